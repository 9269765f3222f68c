const brand = Symbol.for('@pierre/tenancy.error')

/**
 * Codes of a {@link TenancyError}. Closed union: a code is API once published, and
 * {@link getHttpStatus} maps every one of them.
 */
export type TenancyErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'missing_credential'
  | 'invalid_request'
  | 'invalid_token'
  | 'invalid_api_key'
  | 'invalid_credentials'
  | 'account_pending'
  | 'account_suspended'
  | 'tenant_suspended'
  | 'locked_out'
  | 'rate_limited'
  | 'master_key_invalid'
  | 'master_key_missing'
  | 'master_key_mismatch'
  | 'master_key_file_insecure'
  | 'decryption_failed'
  | 'internal'

/** Options of a {@link TenancyError}. */
export interface TenancyErrorOptions {
  /** JSON-safe details a client may read; never secrets, key material or presented credentials. */
  readonly details?: Readonly<Record<string, unknown>>
  /** Whether the same call may succeed later (for example after `retryAfterSeconds`). */
  readonly retryable?: boolean
  /** The underlying error; for logs only, never sent to a client. */
  readonly cause?: unknown
}

/**
 * The one error class of `@pierre/tenancy`. Branch on `code`; `details` is safe to show to a client,
 * `cause` is not.
 */
export class TenancyError extends Error {
  /** Stable machine-readable code. */
  readonly code: TenancyErrorCode
  /** JSON-safe details (for example `reason`, `retryAfterSeconds`, `issues`). */
  readonly details: Readonly<Record<string, unknown>> | undefined
  /** Whether retrying later may succeed. */
  readonly retryable: boolean | undefined

  constructor(code: TenancyErrorCode, message: string, options: TenancyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'TenancyError'
    this.code = code
    this.details = options.details
    this.retryable = options.retryable
    Object.defineProperty(this, brand, { value: true })
    // `cause` may wrap crypto or driver errors; keep it out of enumerable output (JSON, log serialisers).
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false })
    }
  }
}

/** Returns true when `value` is a {@link TenancyError}, even one from another copy of this package. */
export function isTenancyError(value: unknown): value is TenancyError {
  return typeof value === 'object' && value !== null && brand in value
}

/**
 * Returns the HTTP status a server should answer for an error code (401 for credential problems,
 * 403 for suspended accounts and refused actions, 429 for limits, 500 for key and storage faults).
 */
export function getHttpStatus(code: TenancyErrorCode): number {
  switch (code) {
    case 'invalid_argument':
    case 'invalid_request':
      return 400
    case 'missing_credential':
    case 'invalid_token':
    case 'invalid_api_key':
    case 'invalid_credentials':
      return 401
    case 'forbidden':
    case 'account_pending':
    case 'account_suspended':
    case 'tenant_suspended':
      return 403
    case 'not_found':
      return 404
    case 'conflict':
      return 409
    case 'locked_out':
    case 'rate_limited':
      return 429
    case 'master_key_invalid':
    case 'master_key_missing':
    case 'master_key_mismatch':
    case 'master_key_file_insecure':
    case 'decryption_failed':
    case 'internal':
      return 500
    default: {
      const unhandled: never = code
      return unhandled
    }
  }
}

/** Builds an `invalid_argument` error from zod-style issues, listing every one. */
export function invalidArgument(
  message: string,
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): TenancyError {
  return new TenancyError('invalid_argument', message, {
    details: {
      issues: issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
        message: issue.message,
      })),
    },
  })
}
