import { checkNumber, invalidInput, type NumberRange } from './validate.js'

/**
 * Returns `values` as a plain array after checking that it is an array-like of finite numbers inside
 * `range`; a bad element is reported as `<field>[index]`.
 */
export function checkNumberArray(
  values: ArrayLike<number>,
  field: string,
  range: NumberRange = {},
): number[] {
  if (
    typeof values !== 'object' ||
    values === null ||
    typeof values.length !== 'number' ||
    !Number.isInteger(values.length) ||
    values.length < 0
  ) {
    throw invalidInput(field, 'an array of numbers', values)
  }
  const checked = new Array<number>(values.length)
  for (let index = 0; index < values.length; index++) {
    checked[index] = checkNumber(values[index], `${field}[${index}]`, range)
  }
  return checked
}

/** Returns `value` when it is an integer inside `range` (a window length, a count). */
export function checkInteger(value: unknown, field: string, range: NumberRange = {}): number {
  const checked = checkNumber(value, field, range)
  if (!Number.isInteger(checked)) {
    const { min, max } = range
    const bounds =
      min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
          ? ` of at least ${min}`
          : max !== undefined
            ? ` of at most ${max}`
            : ''
    throw invalidInput(field, `an integer${bounds}`, value)
  }
  return checked
}

/**
 * Neumaier's compensated running sum (Neumaier A. 1974 *ZAMM* 54:39–51): a running window sum whose
 * rounding error does not grow with the number of additions and removals (spec §1.6).
 */
export interface RunningSum {
  add(value: number): void
  value(): number
}

/** Creates an empty {@link RunningSum}. */
export function createRunningSum(): RunningSum {
  let sum = 0
  let compensation = 0
  return {
    add(value: number): void {
      const next = sum + value
      compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum
      sum = next
    },
    value(): number {
      return sum + compensation
    },
  }
}

/**
 * The power of two nearest below `maxAbs` (1 for 0). Dividing by it is exact, so values can be
 * brought near 1 before squaring without changing their digits, keeping sums of squares finite.
 */
export function powerOfTwoScale(maxAbs: number): number {
  if (maxAbs === 0 || !Number.isFinite(maxAbs)) return 1
  const exponent = Math.max(-1022, Math.min(1023, Math.floor(Math.log2(maxAbs))))
  return 2 ** exponent
}

/** Largest absolute value of `values` (0 for none). */
export function maxAbsolute(values: readonly number[]): number {
  let largest = 0
  for (const value of values) largest = Math.max(largest, Math.abs(value))
  return largest
}
