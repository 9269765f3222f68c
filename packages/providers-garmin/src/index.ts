export type { GarminSummaryType } from './descriptor.js'
export {
  garminApiBaseUrl,
  garminAuthorizationEndpoint,
  garminDescriptor,
  garminSummaryTypes,
  garminTokenEndpoint,
} from './descriptor.js'
export type { GarminHttpOptions } from './http.js'
export type { GarminActivityDetails } from './mapping.js'
export {
  mapGarminActivity,
  mapGarminActivityDetails,
  mapGarminBodyComposition,
  mapGarminDaily,
  mapGarminDailyRecovery,
  mapGarminHrv,
  mapGarminSleep,
  mapGarminSport,
  mapGarminUserMetrics,
} from './mapping.js'
export type {
  GarminNotification,
  GarminSkippedItem,
  GarminSkipReason,
  GarminWebhookEvent,
} from './notification.js'
export { parseGarminNotification } from './notification.js'
export type {
  CompleteGarminConnectionOptions,
  GarminBackfillRequest,
  GarminBackfillResult,
  GarminBackfillType,
  GarminBundleOptions,
  GarminConnectionResult,
  GarminProvider,
  GarminProviderOptions,
} from './provider.js'
export {
  completeGarminConnection,
  createGarminBundle,
  createGarminProvider,
  garminBackfillTypes,
  garminDefaultBackfillTypes,
  garminDefaultRequiredPermissions,
} from './provider.js'
export type {
  GarminIngestFailure,
  GarminIngestReport,
  GarminPermissionsChangeEvent,
  GarminReceiver,
  GarminReceiverHooks,
  GarminReceiverOptions,
  GarminWebhookRequest,
  GarminWebhookResponse,
} from './receiver.js'
export { createGarminReceiver } from './receiver.js'
