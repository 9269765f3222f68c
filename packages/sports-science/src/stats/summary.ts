import { checkNumberArray, maxAbsolute, powerOfTwoScale } from '../internal/series.js'
import { checkFiniteResult, invalidInput } from '../internal/validate.js'

/**
 * Sum of `values` divided by `divisor`, immune to overflow of the intermediate sum: the values are
 * first divided by a power of two (exact), so the result is finite whenever the true quotient is.
 */
function scaledSumOver(values: readonly number[], divisor: number): number {
  const scale = powerOfTwoScale(maxAbsolute(values))
  let sum = 0
  for (const value of values) sum += value / scale
  return (sum / divisor) * scale
}

/** Sum of squared deviations from the mean, divided by `divisor`, computed on scaled values. */
function centredSquares(values: readonly number[], divisor: number, field: string): number {
  const scale = powerOfTwoScale(maxAbsolute(values))
  const scaled = values.map((value) => value / scale)
  const centre = scaledSumOver(scaled, scaled.length)
  let sum = 0
  for (const value of scaled) sum += (value - centre) ** 2
  return checkFiniteResult((sum / divisor) * scale * scale, field, values)
}

/**
 * Returns the arithmetic mean Σx/n, or `null` for an empty list (spec §8.7).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an element is not a finite number.
 */
export function mean(values: ArrayLike<number>): number | null {
  const checked = checkNumberArray(values, 'values')
  return checked.length === 0 ? null : scaledSumOver(checked, checked.length)
}

/**
 * Returns the median (the middle value, or the mean of the two middle values), or `null` for an empty
 * list (spec §8.7).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an element is not a finite number.
 */
export function median(values: ArrayLike<number>): number | null {
  return medianOf(checkNumberArray(values, 'values'))
}

/** Median of checked values; `null` when there are none. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((left, right) => left - right)
  const middle = sorted.length >> 1
  const upper = sorted[middle] as number
  if (sorted.length % 2 === 1) return upper
  const lower = sorted[middle - 1] as number
  // Halving first keeps the midpoint of two huge values finite.
  return lower / 2 + upper / 2
}

/**
 * Returns the sample variance Σ(x − x̄)²/(n − 1) (Bessel's correction), or `null` with fewer than 2
 * values (spec §8.7).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an element is not a finite number or the
 *   variance overflows.
 */
export function sampleVariance(values: ArrayLike<number>): number | null {
  const checked = checkNumberArray(values, 'values')
  return checked.length < 2 ? null : centredSquares(checked, checked.length - 1, 'values')
}

/**
 * Returns the population variance Σ(x − x̄)²/n, or `null` for an empty list (spec §8.7).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an element is not a finite number or the
 *   variance overflows.
 */
export function populationVariance(values: ArrayLike<number>): number | null {
  const checked = checkNumberArray(values, 'values')
  return checked.length === 0 ? null : centredSquares(checked, checked.length, 'values')
}

/**
 * Returns the sample standard deviation √(Σ(x − x̄)²/(n − 1)), or `null` with fewer than 2 values
 * (spec §8.7).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an element is not a finite number.
 */
export function sampleSd(values: ArrayLike<number>): number | null {
  const checked = checkNumberArray(values, 'values')
  return checked.length < 2 ? null : standardDeviation(checked, checked.length - 1)
}

/**
 * Returns the population standard deviation √(Σ(x − x̄)²/n), or `null` for an empty list (spec §8.7).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an element is not a finite number.
 */
export function populationSd(values: ArrayLike<number>): number | null {
  const checked = checkNumberArray(values, 'values')
  return checked.length === 0 ? null : standardDeviation(checked, checked.length)
}

/** Standard deviation of checked values with the given divisor, finite for every finite input. */
function standardDeviation(values: readonly number[], divisor: number): number {
  const scale = powerOfTwoScale(maxAbsolute(values))
  const scaled = values.map((value) => value / scale)
  const centre = scaledSumOver(scaled, scaled.length)
  let sum = 0
  for (const value of scaled) sum += (value - centre) ** 2
  return checkFiniteResult(Math.sqrt(sum / divisor) * scale, 'values', values)
}

/**
 * Returns Pearson's correlation coefficient r = Sxy/√(Sxx·Syy) of paired lists, in [−1, 1]; `null`
 * with fewer than 2 pairs or when either list is constant (Pearson K. 1895 *Proc R Soc Lond*
 * 58:240–242; spec §8.7).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an element is not a finite number or the
 *   lists differ in length (reported on `ys`).
 */
export function pearson(xs: ArrayLike<number>, ys: ArrayLike<number>): number | null {
  const checkedXs = checkNumberArray(xs, 'xs')
  const checkedYs = checkNumberArray(ys, 'ys')
  if (checkedYs.length !== checkedXs.length) {
    throw invalidInput('ys', `an array of the same length as xs (${checkedXs.length})`, ys)
  }
  if (checkedXs.length < 2) return null
  const sums = centredSums(checkedXs, checkedYs)
  if (sums.sxx === 0 || sums.syy === 0) return null
  return clampUnit(sums.sxy / Math.sqrt(sums.sxx * sums.syy))
}

/** Centred sums of scaled paired values (scales are powers of two, so the scaling is exact). */
export interface CentredSums {
  readonly n: number
  /** Scaled x values (x / xScale) and their mean. */
  readonly xs: readonly number[]
  readonly meanX: number
  readonly ys: readonly number[]
  readonly meanY: number
  readonly sxx: number
  readonly syy: number
  readonly sxy: number
  readonly xScale: number
  readonly yScale: number
}

/** Means and centred sums of squares and products of `xs` and `ys` after exact power-of-two scaling. */
export function centredSums(xs: readonly number[], ys: readonly number[]): CentredSums {
  const xScale = powerOfTwoScale(maxAbsolute(xs))
  const yScale = powerOfTwoScale(maxAbsolute(ys))
  const scaledXs = xs.map((value) => value / xScale)
  const scaledYs = ys.map((value) => value / yScale)
  const meanX = scaledSumOver(scaledXs, scaledXs.length)
  const meanY = scaledSumOver(scaledYs, scaledYs.length)
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let index = 0; index < scaledXs.length; index++) {
    const dx = (scaledXs[index] as number) - meanX
    const dy = (scaledYs[index] as number) - meanY
    sxx += dx * dx
    syy += dy * dy
    sxy += dx * dy
  }
  return {
    n: xs.length,
    xs: scaledXs,
    meanX,
    ys: scaledYs,
    meanY,
    sxx,
    syy,
    sxy,
    xScale,
    yScale,
  }
}

/** Clamps a correlation-like value into [−1, 1] against rounding. */
export function clampUnit(value: number): number {
  return Math.min(1, Math.max(-1, value))
}
