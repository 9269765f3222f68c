export {
  whoopApiBaseUrl,
  whoopDefaultScopes,
  whoopDescriptor,
  whoopOAuthBaseUrl,
  whoopOAuthEndpoints,
} from './descriptor.js'
export type {
  WhoopCycle,
  WhoopRecoveryContext,
  WhoopSleepContext,
  WhoopWorkoutContext,
} from './mapping.js'
export {
  mapWhoopAthlete,
  mapWhoopBodyMeasurement,
  mapWhoopCycle,
  mapWhoopDailySummary,
  mapWhoopRecovery,
  mapWhoopSleep,
  mapWhoopSport,
  mapWhoopWorkout,
} from './mapping.js'
export type { WhoopOAuthClientOptions } from './oauth.js'
export { createWhoopOAuthClient } from './oauth.js'
export type {
  WhoopBundleOptions,
  WhoopHttpOptions,
  WhoopProvider,
  WhoopProviderOptions,
} from './provider.js'
export { createWhoopBundle, createWhoopProvider } from './provider.js'
export { createWhoopErrorClassifier, whoopRateLimitParser } from './rate-limit.js'
