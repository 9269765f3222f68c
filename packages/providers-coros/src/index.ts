export type { CorosOAuthEndpoints } from './descriptor.js'
export {
  corosAccessTokenLifetimeSeconds,
  corosApiBaseUrl,
  corosDescriptor,
  corosOAuthEndpoints,
  corosTestApiBaseUrl,
} from './descriptor.js'
export { classifyCorosError, createCorosApiFetch } from './errors.js'
export type { CorosDailyContext, CorosRunningTotals } from './mapping.js'
export {
  mapCorosAthlete,
  mapCorosDailySummary,
  mapCorosHrv,
  mapCorosRecovery,
  mapCorosRunningTotals,
  mapCorosSleep,
  mapCorosSport,
  mapCorosWorkout,
} from './mapping.js'
export type { CorosOAuthClientOptions } from './oauth.js'
export { createCorosOAuthClient } from './oauth.js'
export type {
  CorosBundleOptions,
  CorosHttpOptions,
  CorosProvider,
  CorosProviderOptions,
} from './provider.js'
export { createCorosBundle, createCorosProvider } from './provider.js'
export type {
  CorosPushHandler,
  CorosPushHandlerOptions,
  CorosPushNotice,
  CorosPushResponse,
  CorosUserRef,
} from './push.js'
export { createCorosPushHandler } from './push.js'
