import type { AccessTokenSource, HttpClient, ProviderHttpOptions } from '@pierre/providers-core'
import { createHttpClient, pickHttpOptions } from '@pierre/providers-core'

/**
 * HTTP settings for calls to Garmin (user id, permissions, backfill, ping callbacks), passed to
 * providers-core's `createHttpClient`. Garmin publishes no rate-limit headers; the generic
 * `Retry-After` and `X-RateLimit-*` readers apply.
 */
export interface GarminHttpOptions extends ProviderHttpOptions {
  /** Per-attempt timeout, ms; 30 000 for API calls and 60 000 for ping callbacks by default. */
  readonly timeoutMs?: number
  /** `garmin:app` by default; use `garmin:app:<client id>` with several applications. */
  readonly rateLimitScope?: string
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/** Creates the HTTP client of one connected Garmin user. */
export function createGarminHttpClient(
  options: GarminHttpOptions,
  target: {
    readonly baseUrl: string
    readonly auth: AccessTokenSource | undefined
    readonly defaultTimeoutMs: number
  },
): HttpClient {
  return createHttpClient({
    ...pickHttpOptions(options),
    ...(options.now === undefined ? {} : { now: options.now }),
    provider: 'garmin',
    baseUrl: target.baseUrl,
    ...(target.auth === undefined ? {} : { auth: target.auth }),
    rateLimitScope: options.rateLimitScope ?? 'garmin:app',
    timeoutMs: options.timeoutMs ?? target.defaultTimeoutMs,
  })
}
