import { SportsScienceError } from '../errors.js'

/** Bounds for {@link checkNumber}; bounds are inclusive unless the matching `…Exclusive` flag is set. */
export interface NumberRange {
  readonly min?: number
  readonly minExclusive?: boolean
  readonly max?: number
  readonly maxExclusive?: boolean
  /** Unit printed after the range in messages (`kg`, `kcal/day`). */
  readonly unit?: string
}

const maxReceivedLength = 200

/** Describes a received value for an error message, truncated to 200 characters. */
export function describeValue(value: unknown): string {
  const text = describeUntruncated(value)
  return text.length > maxReceivedLength ? `${text.slice(0, maxReceivedLength - 1)}…` : text
}

function describeUntruncated(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `'${value}'`
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value)
    case 'bigint':
      return `${value}n`
    case 'symbol':
      return value.toString()
    case 'function':
      return 'a function'
    default:
      if (value === null) return 'null'
      return Array.isArray(value) ? `an array of length ${value.length}` : 'an object'
  }
}

/** Builds the `INVALID_INPUT` error for `field`: `<field> must be <expected>, received <value>`. */
export function invalidInput(
  field: string,
  expected: string,
  received: unknown,
): SportsScienceError {
  return new SportsScienceError(
    'INVALID_INPUT',
    `${field} must be ${expected}, received ${describeValue(received)}`,
    { details: { field } },
  )
}

/** Describes a range in words: `a number greater than 0 and at most 300 (kg)`. */
export function describeRange(range: NumberRange): string {
  const { min, max, minExclusive = false, maxExclusive = false, unit } = range
  let text: string
  if (min !== undefined && max !== undefined && !minExclusive && !maxExclusive) {
    text = `a number from ${min} to ${max}`
  } else {
    const parts: string[] = []
    if (min !== undefined) parts.push(minExclusive ? `greater than ${min}` : `at least ${min}`)
    if (max !== undefined) parts.push(maxExclusive ? `less than ${max}` : `at most ${max}`)
    text = parts.length === 0 ? 'a finite number' : `a number ${parts.join(' and ')}`
  }
  return unit === undefined ? text : `${text} (${unit})`
}

/** Returns `value` when it is a finite number inside `range`; throws `INVALID_INPUT` otherwise. */
export function checkNumber(value: unknown, field: string, range: NumberRange = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !isInRange(value, range)) {
    throw invalidInput(field, describeRange(range), value)
  }
  return value
}

function isInRange(value: number, range: NumberRange): boolean {
  const { min, max, minExclusive = false, maxExclusive = false } = range
  if (min !== undefined && (minExclusive ? value <= min : value < min)) return false
  if (max !== undefined && (maxExclusive ? value >= max : value > max)) return false
  return true
}

/** Like {@link checkNumber}, but `undefined` (the field was omitted) passes through. */
export function checkOptionalNumber(
  value: unknown,
  field: string,
  range: NumberRange = {},
): number | undefined {
  return value === undefined ? undefined : checkNumber(value, field, range)
}

/** Returns `value` when it is a finite number greater than 0. */
export function checkPositive(value: unknown, field: string, unit?: string): number {
  return checkNumber(value, field, unit === undefined ? positive : { ...positive, unit })
}

/** Returns `value` when it is a finite number greater than or equal to 0. */
export function checkNonNegative(value: unknown, field: string, unit?: string): number {
  return checkNumber(value, field, unit === undefined ? nonNegative : { ...nonNegative, unit })
}

const positive: NumberRange = { min: 0, minExclusive: true }
const nonNegative: NumberRange = { min: 0 }

/** Returns `value` when it is one of `allowed`; throws `INVALID_INPUT` listing the allowed values. */
export function checkOneOf<const TValue extends string>(
  value: unknown,
  field: string,
  allowed: readonly TValue[],
): TValue {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidInput(field, `one of ${allowed.map((item) => `'${item}'`).join(', ')}`, value)
  }
  return value as TValue
}

/** Returns `value` when it is a boolean. */
export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalidInput(field, 'a boolean', value)
  return value
}

/** Returns `value` when it is a non-null object (an argument or options bag). */
export function checkObject<TValue extends object>(value: TValue, field: string): TValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput(field, 'an object', value)
  }
  return value
}

/** Returns the options bag, or an empty one when the caller passed none. */
export function optionsOrEmpty<TOptions extends object>(
  options: TOptions | undefined,
  field = 'options',
): Partial<TOptions> {
  return options === undefined ? {} : checkObject(options, field)
}

/** Returns `value`, or `fallback` when the field was omitted (`undefined`; `null` is not omission). */
export function withDefault<TValue>(value: TValue | undefined, fallback: TValue): TValue {
  return value === undefined ? fallback : value
}

/**
 * Returns `result` when it is finite; otherwise blames `field` (whose value was `received`) for
 * overflowing, so no public function ever returns `NaN` or `±Infinity`.
 */
export function checkFiniteResult(result: number, field: string, received: unknown): number {
  if (!Number.isFinite(result)) {
    throw invalidInput(field, 'small enough for the result to be a finite number', received)
  }
  return result
}

/** Clamps `value` into `[min, max]`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}
