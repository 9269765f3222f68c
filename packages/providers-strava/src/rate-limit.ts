import type { ErrorResponseInfo, HeaderSource, RateLimitParser } from '@pierre/providers-core'
import {
  combineRateLimitParsers,
  createUsagePairParser,
  ProviderError,
} from '@pierre/providers-core'

const quarterHourMs = 900_000
const dayMs = 86_400_000

/**
 * Reads Strava's four rate-limit headers into windows `15min`, `daily` (overall) and
 * `read_15min`, `read_daily` (`X-ReadRateLimit-*`), for providers-core's budget.
 */
export const stravaRateLimitParser: RateLimitParser = combineRateLimitParsers([
  createUsagePairParser({
    limitHeader: 'x-ratelimit-limit',
    usageHeader: 'x-ratelimit-usage',
    windows: [
      { name: '15min', seconds: 900 },
      { name: 'daily', seconds: 86_400 },
    ],
  }),
  createUsagePairParser({
    limitHeader: 'x-readratelimit-limit',
    usageHeader: 'x-readratelimit-usage',
    windows: [
      { name: 'read_15min', seconds: 900 },
      { name: 'read_daily', seconds: 86_400 },
    ],
  }),
])

/**
 * Computes the wait after a Strava 429, which carries no `Retry-After`: until the next quarter hour
 * (:00, :15, :30, :45 UTC) when a 15-minute window is used up, else until the next 00:00 UTC.
 */
export function stravaRetryAfter(
  headers: HeaderSource,
  now: Date,
): { readonly retryAfterSeconds: number; readonly limitType: '15min' | 'daily' } {
  const nowMs = now.getTime()
  const windows = stravaRateLimitParser(headers, now)
  const shortExhausted = windows.some(
    (window) =>
      window.name.endsWith('15min') && window.remaining !== undefined && window.remaining <= 0,
  )
  const period = shortExhausted ? quarterHourMs : dayMs
  const resetMs = Math.floor(nowMs / period) * period + period
  return {
    retryAfterSeconds: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)),
    limitType: shortExhausted ? '15min' : 'daily',
  }
}

interface StravaFault {
  readonly resource?: unknown
  readonly field?: unknown
  readonly code?: unknown
}

function faultsOf(body: unknown): readonly StravaFault[] {
  if (typeof body !== 'object' || body === null) return []
  const errors = (body as { errors?: unknown }).errors
  return Array.isArray(errors)
    ? errors.filter((entry): entry is StravaFault => typeof entry === 'object' && entry !== null)
    : []
}

function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const message = (body as { message?: unknown }).message
  return typeof message === 'string' ? message : undefined
}

/**
 * Maps Strava's error bodies (`{message, errors: [{resource, field, code}]}`) to typed errors: a
 * missing `…_permission` → `insufficient_scope` with `details.missing`; a 429 → `rate_limited`
 * with the wait computed from the usage headers. Everything else keeps providers-core's mapping
 * (401 → refresh then `token_expired`, 404 → `not_found`, 5xx → `upstream_unavailable`).
 */
export function createStravaErrorClassifier(
  now: () => Date,
): (response: ErrorResponseInfo) => ProviderError | undefined {
  return (response) => {
    const faults = faultsOf(response.body)
    const missing = faults
      .filter((fault) => fault.code === 'missing' && typeof fault.field === 'string')
      .map((fault) => (fault.field as string).replace(/_permission$/, ''))
    if ((response.status === 401 || response.status === 403) && missing.length > 0) {
      return new ProviderError(
        'insufficient_scope',
        `strava refused the call: scope ${missing.join(', ')} was not granted`,
        { provider: 'strava', status: response.status, details: { missing } },
      )
    }
    if (response.status === 429) {
      const { retryAfterSeconds, limitType } = stravaRetryAfter(response.headers, now())
      return new ProviderError('rate_limited', `strava rate limit exceeded (${limitType} window)`, {
        provider: 'strava',
        status: 429,
        retryAfterSeconds,
        details: {
          limit_type: limitType,
          message: messageOf(response.body) ?? 'Rate Limit Exceeded',
        },
      })
    }
    return undefined
  }
}
