const brand = Symbol.for('@pierre/tools.error')

/**
 * Codes of a tool execution error (`specs/tools.md` §1.3). A code is API once published: clients and
 * models branch on it.
 */
export type ToolErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'insufficient_data'
  | 'unknown_provider'
  | 'provider_not_connected'
  | 'provider_capability'
  | 'not_configured'
  | 'upstream_unavailable'
  | 'tenant_required'
  | 'internal'

/** Options of a {@link ToolError}. */
export interface ToolErrorOptions {
  /** JSON-safe details a client may read (never secrets or raw upstream payloads). */
  readonly details?: Readonly<Record<string, unknown>>
  /** Whether the same call may succeed later. */
  readonly retryable?: boolean
  /** The underlying error; logged, never sent to a client. */
  readonly cause?: unknown
}

/**
 * A failure a tool reports to its caller as a tool result with `isError: true` (never as a
 * protocol error), so that a model can read the code and correct itself.
 */
export class ToolError extends Error {
  readonly code: ToolErrorCode
  readonly details: Readonly<Record<string, unknown>> | undefined
  readonly retryable: boolean | undefined

  constructor(code: ToolErrorCode, message: string, options: ToolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ToolError'
    this.code = code
    this.details = options.details
    this.retryable = options.retryable
    Object.defineProperty(this, brand, { value: true })
  }
}

/** Returns true when `value` is a {@link ToolError}, even from another copy of this package. */
export function isToolError(value: unknown): value is ToolError {
  return typeof value === 'object' && value !== null && brand in value
}
