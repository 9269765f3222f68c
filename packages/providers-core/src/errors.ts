const brand = Symbol.for('@pierre/providers-core.error')

/**
 * Codes of a {@link ProviderError}. The vocabulary follows the tool error codes of `specs/tools.md`
 * §1.3 where one exists (`not_found`, `unknown_provider`, `upstream_unavailable`, `not_configured`,
 * `invalid_argument`); the others are specific to talking to an upstream fitness API. A code is API
 * once published: callers branch on it.
 *
 * - `not_connected`: no stored connection for this tenant, user and provider.
 * - `reauth_required`: the provider refused to refresh the grant (revoked consent, reused or expired
 *   refresh token); the connection is marked `needs_reauth` and the user must connect again.
 * - `token_expired`: the provider rejected the access token even after one refresh.
 * - `insufficient_scope`: the user did not grant a scope the call needs (`details.missing`).
 * - `access_denied`: the user refused the authorization request.
 * - `invalid_state`: an OAuth callback `state` is unknown, used, expired or bound to someone else.
 * - `rate_limited`: a provider or local rate-limit window is exhausted (`retryAfterSeconds`).
 * - `quota_exceeded`: a tenant's own request quota is used up.
 * - `circuit_open`: the provider failed repeatedly and calls are refused for a while
 *   (`retryAfterSeconds`).
 * - `upstream_unavailable`: 5xx, network failure or timeout, after retries.
 * - `upstream_error`: an unexpected response the provider will not change by retrying (e.g. 400).
 * - `invalid_data`: a response did not match the expected shape.
 * - `not_found`: the resource does not exist upstream.
 * - `unsupported_feature`: the provider lacks the capability; no request was made.
 * - `unknown_provider`: no provider is registered under that name (`details.supported`).
 * - `invalid_cursor`: a page cursor is malformed or belongs to another provider.
 * - `invalid_argument`: the caller passed a value outside its documented range.
 * - `not_configured`: client id, secret or endpoint missing or unusable.
 */
export type ProviderErrorCode =
  | 'not_connected'
  | 'reauth_required'
  | 'token_expired'
  | 'insufficient_scope'
  | 'access_denied'
  | 'invalid_state'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'circuit_open'
  | 'upstream_unavailable'
  | 'upstream_error'
  | 'invalid_data'
  | 'not_found'
  | 'unsupported_feature'
  | 'unknown_provider'
  | 'invalid_cursor'
  | 'invalid_argument'
  | 'not_configured'

const retryableByDefault: ReadonlySet<ProviderErrorCode> = new Set([
  'rate_limited',
  'circuit_open',
  'upstream_unavailable',
])

/** Options of a {@link ProviderError}. */
export interface ProviderErrorOptions {
  /** The provider's registry name, when the error concerns one. */
  readonly provider?: string
  /** The upstream HTTP status, when the error comes from a response. */
  readonly status?: number
  /** Seconds to wait before trying again (`rate_limited`, `circuit_open`). */
  readonly retryAfterSeconds?: number
  /** JSON-safe details a client may read; snake_case keys. Never secrets or upstream bodies. */
  readonly details?: Readonly<Record<string, unknown>>
  /** Whether the same call may succeed later; defaults from the code. */
  readonly retryable?: boolean
  /** The underlying error; for logs, never sent to a client. */
  readonly cause?: unknown
  /** The raw upstream body; stored as a non-enumerable property so logs never print it. */
  readonly upstreamBody?: unknown
}

/**
 * A failure talking to a fitness provider, or in the provider plumbing around it.
 *
 * Branch on `code`; `retryAfterSeconds` is set for `rate_limited` and `circuit_open`. The raw
 * upstream body, when there is one, is in the non-enumerable `upstreamBody`.
 *
 * @example
 * ```ts
 * try { await provider.getActivity('42') } catch (error) {
 *   if (isProviderError(error) && error.code === 'not_found') return undefined
 *   throw error
 * }
 * ```
 */
export class ProviderError extends Error {
  /** What went wrong, from the closed {@link ProviderErrorCode} union. */
  readonly code: ProviderErrorCode
  /** The provider's registry name, when known. */
  readonly provider: string | undefined
  /** The upstream HTTP status, when the error comes from a response. */
  readonly status: number | undefined
  /** Seconds to wait before the same call may succeed; set for `rate_limited` and `circuit_open`. */
  readonly retryAfterSeconds: number | undefined
  /** JSON-safe details for a client. */
  readonly details: Readonly<Record<string, unknown>> | undefined
  /** Whether the same call may succeed later. */
  readonly retryable: boolean
  /** The raw upstream body (non-enumerable). */
  declare readonly upstreamBody: unknown

  /**
   * Creates a provider error.
   *
   * @param code - one of {@link ProviderErrorCode}.
   * @param message - lower-case, no trailing period, never containing tokens or secrets.
   * @param options - provider, status, retry time, details, cause and raw upstream body.
   */
  constructor(code: ProviderErrorCode, message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ProviderError'
    this.code = code
    this.provider = options.provider
    this.status = options.status
    this.retryAfterSeconds = options.retryAfterSeconds
    this.details = options.details
    this.retryable = options.retryable ?? retryableByDefault.has(code)
    Object.defineProperty(this, 'upstreamBody', {
      value: options.upstreamBody,
      enumerable: false,
      writable: false,
    })
    Object.defineProperty(this, brand, { value: true, enumerable: false })
  }

  /** Returns the JSON-safe form `{code, message, details?, retryable}`, never the cause or body. */
  toJSON(): {
    code: ProviderErrorCode
    message: string
    details?: Readonly<Record<string, unknown>>
    retryable: boolean
  } {
    const details = {
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.retryAfterSeconds === undefined
        ? {}
        : { retry_after_seconds: this.retryAfterSeconds }),
      ...this.details,
    }
    return Object.keys(details).length === 0
      ? { code: this.code, message: this.message, retryable: this.retryable }
      : { code: this.code, message: this.message, details, retryable: this.retryable }
  }
}

/**
 * Returns true when `value` is a {@link ProviderError}, also when it comes from another copy of
 * this package.
 */
export function isProviderError(value: unknown): value is ProviderError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  )
}

/** Returns true when `value` is a {@link ProviderError} with the given code. */
export function hasProviderErrorCode(
  value: unknown,
  code: ProviderErrorCode,
): value is ProviderError {
  return isProviderError(value) && value.code === code
}

const secretParams = [
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
  'code',
  'code_verifier',
]

/**
 * Returns a URL string safe for messages: secret query parameters (`token`, `access_token`,
 * `refresh_token`, `client_secret`, `code`, `code_verifier`) become `[redacted]`.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return '[invalid url]'
  }
  for (const name of secretParams) {
    if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '[redacted]')
  }
  parsed.username = ''
  parsed.password = ''
  return parsed.toString()
}

/** Truncates a value for an error message (STYLE B.5.4: at most 200 characters). */
export function truncateForMessage(value: unknown): string {
  const text = typeof value === 'string' ? value : safeStringify(value)
  return text.length > 200 ? `${text.slice(0, 197)}...` : text
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
