export type {
  CacheKeyParts,
  CacheResource,
  CacheTtlSeconds,
  CachingProviderOptions,
  MemoryCacheOptions,
  ProviderCache,
} from './cache.js'
export {
  buildCacheKey,
  cacheKeyPrefix,
  createCachingProvider,
  createMemoryCache,
  defaultCacheTtlSeconds,
  invalidateProviderCache,
} from './cache.js'
export type { Capability } from './capabilities.js'
export {
  capabilityBits,
  fromCapabilityMask,
  hasCapability,
  toCapabilityMask,
} from './capabilities.js'
export type {
  DataKind,
  DataOwner,
  DataQuery,
  DataRecord,
  ProviderDataStore,
  WebhookEvent,
} from './data-store.js'
export { createMemoryDataStore } from './data-store.js'
export type { ProviderErrorCode, ProviderErrorOptions } from './errors.js'
export { hasProviderErrorCode, isProviderError, ProviderError, redactUrl } from './errors.js'
export type {
  CircuitBreaker,
  CircuitBreakerOptions,
  CircuitBreakerSettings,
  CircuitChangeEvent,
  CircuitOutcome,
  CircuitState,
} from './http/circuit-breaker.js'
export {
  circuitBreakerPresets,
  classifyForCircuit,
  createCircuitBreaker,
} from './http/circuit-breaker.js'
export type {
  ErrorResponseInfo,
  GetJsonOptions,
  HttpClient,
  HttpClientHooks,
  HttpClientOptions,
  HttpRequest,
  HttpResponse,
  QueryValue,
  ResponseEvent,
  RetryEvent,
} from './http/http-client.js'
export { createHttpClient } from './http/http-client.js'
export type { ProviderHttpOptions } from './http/provider-http-options.js'
export { pickHttpOptions } from './http/provider-http-options.js'
export type {
  HeaderSource,
  RateLimitBlock,
  RateLimitBudget,
  RateLimitBudgetOptions,
  RateLimitParser,
  RateLimitWindow,
  UsagePairParserOptions,
  UsagePairWindow,
} from './http/rate-limit.js'
export {
  combineRateLimitParsers,
  createRateLimitBudget,
  createUsagePairParser,
  parseRateLimitHeaders,
  readHeader,
} from './http/rate-limit.js'
export type { RetryPolicy } from './http/retry.js'
export {
  computeBackoffMs,
  defaultRetryPolicy,
  parseHttpDate,
  parseRetryAfter,
} from './http/retry.js'
export { parseJsonPreservingBigIntegers } from './internal/json.js'
export type {
  Activity,
  HeartRateZone,
  Lap,
  PowerZone,
  SegmentEffort,
  SportType,
  TimeSeriesData,
} from './model/activity.js'
export {
  activitySchema,
  heartRateZoneSchema,
  isDistanceFreeSport,
  lapSchema,
  normalizeRunCadence,
  powerZoneSchema,
  segmentEffortSchema,
  sportTypeSchema,
  sportTypes,
  timeSeriesDataSchema,
} from './model/activity.js'
export type { Athlete, PersonalRecord, SportTotals, Stats, Totals } from './model/athlete.js'
export {
  athleteSchema,
  personalRecordSchema,
  sportTotalsSchema,
  statsSchema,
  totalsSchema,
} from './model/athlete.js'
export type {
  DailySummary,
  HealthMetrics,
  HrvDaily,
  RecoveryMetrics,
  SleepSession,
  SleepStage,
} from './model/health.js'
export {
  dailySummarySchema,
  healthMetricsSchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
  sleepStageSchema,
} from './model/health.js'
export type { ActivityQuery, CursorPage, DateRange, PageParams } from './model/query.js'
export {
  activityQuerySchema,
  compareActivitiesNewestFirst,
  dateRangeSchema,
  matchesActivityQuery,
  pageParamsSchema,
  parseActivityQuery,
  parseDateRange,
} from './model/query.js'
export type { ActivityStreams, StreamKey } from './model/streams.js'
export { activityStreamsSchema, selectStreams, streamKeys } from './model/streams.js'
export { withoutUndefined } from './model/without-undefined.js'
export type {
  AuthorizationRequest,
  AuthorizationUrlOptions,
  CallbackOptions,
  ConnectionChangeEvent,
  OAuthClient,
  OAuthClientHooks,
  OAuthClientOptions,
  OAuthEndpoints,
  TokenRefreshEvent,
  UserRef,
} from './oauth/oauth-client.js'
export { createOAuthClient, isLoopbackHost } from './oauth/oauth-client.js'
export type {
  MemoryStateStoreOptions,
  OAuthStateStore,
  PendingAuthorization,
} from './oauth/state-store.js'
export { createMemoryStateStore } from './oauth/state-store.js'
export type {
  AccessTokenOptions,
  AccessTokenSource,
  ConnectionKey,
  ConnectionStatus,
  StoredConnection,
  TokenResponseFields,
  TokenResponseReader,
  TokenStore,
} from './oauth/types.js'
export type {
  CollectOptions,
  CursorSource,
  OffsetSource,
  PageNumberSource,
  PageSource,
  PaginateOptions,
} from './paging.js'
export { collect, decodeCursor, encodeCursor, paginate } from './paging.js'
export type {
  ActivityIterationQuery,
  ActivityOptions,
  ActivityPageQuery,
  ApiKeyDescriptor,
  CachePolicy,
  CallOptions,
  CreateProviderOptions,
  FitnessProvider,
  OAuthDescriptor,
  ProviderDescriptor,
  ProviderImplementation,
  StreamOptions,
  WebhookDescriptor,
} from './provider.js'
export { createProvider, derivePersonalRecords } from './provider.js'
export type { ProviderBundle, ProviderContext, ProviderRegistry } from './registry.js'
export { createProviderRegistry } from './registry.js'
