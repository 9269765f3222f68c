import type {
  AccessTokenSource,
  CircuitBreaker,
  HttpClient,
  HttpClientHooks,
  RateLimitBudget,
  RetryPolicy,
} from '@pierre/providers-core'
import { createHttpClient } from '@pierre/providers-core'

/**
 * HTTP settings for calls to Garmin (user id, permissions, backfill, ping callbacks), passed to
 * providers-core's `createHttpClient`. Garmin publishes no rate-limit headers; the generic
 * `Retry-After` and `X-RateLimit-*` readers apply.
 */
export interface GarminHttpOptions {
  /** Per-attempt timeout, ms; 30 000 for API calls and 60 000 for ping callbacks by default. */
  readonly timeoutMs?: number
  readonly retry?: Partial<RetryPolicy>
  /** Share one budget between all users of one Garmin application. */
  readonly rateLimitBudget?: RateLimitBudget
  /** `garmin:app` by default; use `garmin:app:<client id>` with several applications. */
  readonly rateLimitScope?: string
  readonly breaker?: CircuitBreaker
  readonly fetch?: typeof fetch
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly random?: () => number
  readonly headers?: Readonly<Record<string, string>>
  readonly beforeRequest?: (request: {
    readonly method: string
    readonly url: string
  }) => void | Promise<void>
  readonly hooks?: HttpClientHooks
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

const httpKeys = [
  'retry',
  'rateLimitBudget',
  'breaker',
  'fetch',
  'sleep',
  'random',
  'headers',
  'beforeRequest',
  'hooks',
  'now',
] as const

/** Creates the HTTP client of one connected Garmin user. */
export function createGarminHttpClient(
  options: GarminHttpOptions,
  target: {
    readonly baseUrl: string
    readonly auth: AccessTokenSource | undefined
    readonly defaultTimeoutMs: number
  },
): HttpClient {
  const settings: Record<string, unknown> = {}
  for (const key of httpKeys) if (options[key] !== undefined) settings[key] = options[key]
  return createHttpClient({
    ...(settings as Partial<Pick<GarminHttpOptions, (typeof httpKeys)[number]>>),
    provider: 'garmin',
    baseUrl: target.baseUrl,
    ...(target.auth === undefined ? {} : { auth: target.auth }),
    rateLimitScope: options.rateLimitScope ?? 'garmin:app',
    timeoutMs: options.timeoutMs ?? target.defaultTimeoutMs,
  })
}
