export {
  stravaApiBaseUrl,
  stravaDefaultScopes,
  stravaDescriptor,
  stravaOAuthBaseUrl,
  stravaOAuthEndpoints,
} from './descriptor.js'
export type { StravaAthleteZones } from './mapping.js'
export {
  mapStravaActivity,
  mapStravaActivityZones,
  mapStravaAthlete,
  mapStravaAthleteZones,
  mapStravaSport,
  mapStravaStats,
  mapStravaStreams,
} from './mapping.js'
export type {
  StravaBundleOptions,
  StravaHttpOptions,
  StravaProvider,
  StravaProviderOptions,
} from './provider.js'
export { createStravaBundle, createStravaProvider } from './provider.js'
export {
  createStravaErrorClassifier,
  stravaRateLimitParser,
  stravaRetryAfter,
} from './rate-limit.js'
