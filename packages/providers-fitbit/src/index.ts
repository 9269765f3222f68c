export {
  fitbitDefaultScopes,
  fitbitDescriptor,
  fitbitOAuthEndpoints,
  googleAuthorizationEndpoint,
  googleHealthApiBaseUrl,
  googleHealthScopes,
  googleRevocationEndpoint,
  googleTokenEndpoint,
} from './descriptor.js'
export type { FitbitQuotaOptions, GoogleApiError } from './errors.js'
export { classifyFitbitResponse, createFitbitQuotaParser, readGoogleApiError } from './errors.js'
export type { GoogleHealthNightlyVitals, GoogleHealthZoneBounds } from './mapping.js'
export {
  mapGoogleHealthAthlete,
  mapGoogleHealthDailyValues,
  mapGoogleHealthExercise,
  mapGoogleHealthHeartRateSamples,
  mapGoogleHealthHeartRateZones,
  mapGoogleHealthHrv,
  mapGoogleHealthRecovery,
  mapGoogleHealthSleep,
  mapGoogleHealthSport,
  parseGoogleDuration,
  withNightlyVitals,
} from './mapping.js'
export type { FitbitBundleOptions, FitbitHttpOptions, FitbitProviderOptions } from './provider.js'
export { createFitbitBundle, createFitbitProvider } from './provider.js'
