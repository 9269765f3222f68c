import type {
  ErrorResponseInfo,
  RateLimitBudget,
  RateLimitParser,
  RateLimitWindow,
} from '@pierre/providers-core'
import { ProviderError } from '@pierre/providers-core'

/** The parts of a Google error body (AIP-193) the adapter reads. */
export interface GoogleApiError {
  /** Canonical status name: `UNAUTHENTICATED`, `PERMISSION_DENIED`, `RESOURCE_EXHAUSTED`… */
  readonly status: string | undefined
  readonly message: string | undefined
  /** `ErrorInfo.reason`: `ACCESS_TOKEN_SCOPE_INSUFFICIENT`, `INVALID_DATA_POINT_FILTER`… */
  readonly reason: string | undefined
  /** `ErrorInfo.metadata`, string values only. */
  readonly metadata: Readonly<Record<string, string>>
}

/**
 * Reads a Google error body `{"error": {"code", "message", "status", "details": [ErrorInfo…]}}`;
 * everything is `undefined` when the body has another shape (an HTML 404 page).
 */
export function readGoogleApiError(body: unknown): GoogleApiError {
  const error =
    typeof body === 'object' && body !== null
      ? ((body as { error?: unknown }).error as Record<string, unknown> | undefined)
      : undefined
  const details = Array.isArray(error?.details) ? error.details : []
  const info = details.find(
    (entry): entry is Record<string, unknown> =>
      typeof entry === 'object' &&
      entry !== null &&
      (entry as { '@type'?: unknown })['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo',
  )
  const metadata: Record<string, string> = {}
  const rawMetadata = info?.metadata
  if (typeof rawMetadata === 'object' && rawMetadata !== null) {
    for (const [key, value] of Object.entries(rawMetadata)) {
      if (typeof value === 'string') metadata[key] = value
    }
  }
  return {
    status: typeof error?.status === 'string' ? error.status : undefined,
    message: typeof error?.message === 'string' ? error.message : undefined,
    reason: typeof info?.reason === 'string' ? info.reason : undefined,
    metadata,
  }
}

const scopeReasons: ReadonlySet<string> = new Set([
  'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
  'MISSING_OAUTH_SCOPE',
])

function challengeScopes(challenge: string | null): string[] {
  const match = /scope\s*=\s*"([^"]*)"/i.exec(challenge ?? '')
  return match === null ? [] : (match[1] as string).split(/\s+/).filter((scope) => scope !== '')
}

/**
 * Maps Google's error bodies to typed errors: a 403 for a scope the user did not grant →
 * `insufficient_scope` (`details.missing` from the `WWW-Authenticate` challenge when Google names
 * the scope); other 4xx (400 `INVALID_ARGUMENT`, 400 `FAILED_PRECONDITION`/`ACCOUNT_NOT_LINKED`,
 * 410 from the switched-off legacy API, 412) → `upstream_error` with the Google `status` and
 * `reason` in `details`. 401, 404, 429 and 5xx keep providers-core's mapping (refresh then
 * `token_expired`, `not_found`, `rate_limited` honouring `Retry-After`, `upstream_unavailable`).
 */
export function classifyFitbitResponse(response: ErrorResponseInfo): ProviderError | undefined {
  const { status } = response
  if (status === 401 || status === 404 || status === 429 || status >= 500) return undefined
  const google = readGoogleApiError(response.body)
  const challenge = response.headers.get('www-authenticate')
  const details = {
    ...(google.status === undefined ? {} : { google_status: google.status }),
    ...(google.reason === undefined ? {} : { reason: google.reason }),
  }
  if (
    status === 403 &&
    ((google.reason !== undefined && scopeReasons.has(google.reason)) ||
      /error\s*=\s*"?insufficient_scope/i.test(challenge ?? ''))
  ) {
    return new ProviderError(
      'insufficient_scope',
      'fitbit refused the call: the user did not grant a scope it needs',
      { provider: 'fitbit', status, details: { ...details, missing: challengeScopes(challenge) } },
    )
  }
  if (status === 410) {
    return new ProviderError(
      'upstream_error',
      'fitbit answered 410: the legacy Fitbit Web API is switched off, use the Google Health API',
      { provider: 'fitbit', status, details: { ...details, reason: 'gone' } },
    )
  }
  const redirect = google.metadata.redirect_uri
  return new ProviderError(
    'upstream_error',
    `fitbit answered ${status}${google.reason === undefined ? '' : ` ${google.reason}`}`,
    {
      provider: 'fitbit',
      status,
      details: { ...details, ...(redirect === undefined ? {} : { redirect_uri: redirect }) },
    },
  )
}

/** Options of {@link createFitbitQuotaParser}. */
export interface FitbitQuotaOptions {
  /** The budget the HTTP client records into; the quota window is kept there. */
  readonly budget: RateLimitBudget
  /** The budget scope of this user (`fitbit:user:<tenant>:<user>`). */
  readonly scope: string
  /** Requests allowed per user per minute; 300 (Google's documented default) by default. */
  readonly requestsPerMinute?: number
}

/**
 * Returns a rate-limit "parser" that counts requests instead of reading headers: Google Health
 * documents a quota of 300 requests per user per minute but sends no rate-limit headers. Every
 * response (errors included) spends one request of a window named `user_minute` that opens with
 * the first request and lasts 60 s; the window lives in the shared budget, so once it is used up,
 * calls fail locally with `rate_limited` until it ends instead of spending requests Google would
 * refuse.
 */
export function createFitbitQuotaParser(options: FitbitQuotaOptions): RateLimitParser {
  const limit = Math.max(1, Math.floor(options.requestsPerMinute ?? 300))
  return (_headers, now) => {
    const nowMs = now.getTime()
    if (!Number.isFinite(nowMs)) return []
    const open = options.budget
      .windows(options.scope)
      .find(
        (window) =>
          window.name === 'user_minute' &&
          window.resetAtMs !== undefined &&
          window.resetAtMs > nowMs,
      )
    const window: RateLimitWindow =
      open === undefined
        ? { name: 'user_minute', limit, remaining: limit - 1, resetAtMs: nowMs + 60_000 }
        : { ...open, remaining: Math.max(0, (open.remaining ?? limit) - 1) }
    return [window]
  }
}
