/**
 * Codes a {@link SportsScienceError} can carry. Once published, a code is part of the API.
 *
 * - `INVALID_INPUT`: a number is not finite or outside its valid range, a required field is missing,
 *   or an option names an unknown variant (spec §1.4).
 */
export type SportsScienceErrorCode = 'INVALID_INPUT'

/** JSON-safe context attached to a {@link SportsScienceError}. */
export interface SportsScienceErrorDetails {
  /** Name of the offending input as the caller spelled it (`weightKg`, `activityLevel`, `method`). */
  readonly field: string
}

/** Options accepted by the {@link SportsScienceError} constructor. */
export interface SportsScienceErrorOptions {
  readonly details?: SportsScienceErrorDetails | undefined
  readonly cause?: unknown
}

const errorBrand = Symbol.for('@pierre/sports-science.error')

/**
 * Error thrown by every function of this package when it cannot compute a result.
 *
 * Messages are lower-case without a trailing period and name the field, what was expected and what
 * was received, e.g. `weightKg must be a number greater than 0 and at most 300 (kg), received -5`.
 */
export class SportsScienceError extends Error {
  override readonly name = 'SportsScienceError'
  /** Stable machine-readable code. */
  readonly code: SportsScienceErrorCode
  /** Context for a client; always holds `field` for `INVALID_INPUT`. */
  readonly details: SportsScienceErrorDetails | undefined

  constructor(code: SportsScienceErrorCode, message: string, options?: SportsScienceErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.details = options?.details
    Object.defineProperty(this, errorBrand, { value: true, enumerable: false })
  }
}

/**
 * Returns true when `value` is a {@link SportsScienceError}, including one created by another copy of
 * this package (the check reads a `Symbol.for('@pierre/sports-science.error')` brand, not only the
 * prototype chain).
 */
export function isSportsScienceError(value: unknown): value is SportsScienceError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Readonly<Record<symbol, unknown>>)[errorBrand] === true
  )
}
