import {
  checkInteger,
  checkNumberArray,
  createRunningSum,
  maxAbsolute,
  powerOfTwoScale,
} from '../internal/series.js'
import { checkNumber, invalidInput } from '../internal/validate.js'

/**
 * Trailing simple moving average: output i is the mean of values i − window + 1 … i, and the first
 * `window − 1` outputs are `null` (spec §8.5). One pass with a compensated running sum, O(n) whatever
 * the window (the reference re-sums every window, O(n·w)).
 *
 * @param window - number of values averaged, an integer ≥ 1; a window longer than the list gives
 *   only `null`s.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a value is not finite or the window is not a
 *   positive integer.
 */
export function sma(values: ArrayLike<number>, window: number): (number | null)[] {
  const checked = checkNumberArray(values, 'values')
  const size = checkInteger(window, 'window', { min: 1 })
  const { scaled, scale } = scaledCopy(checked)
  const sum = createRunningSum()
  const averages = new Array<number | null>(checked.length)
  for (let index = 0; index < scaled.length; index++) {
    sum.add(scaled[index] as number)
    if (index >= size) sum.add(-(scaled[index - size] as number))
    averages[index] = index >= size - 1 ? (sum.value() / size) * scale : null
  }
  return averages
}

/**
 * Centred simple moving average over an odd window: output i is the mean of values i − h … i + h
 * (h = (window − 1)/2), truncated to the list at both ends, so fewer values are averaged near the
 * ends (spec §8.5). O(n) with a running sum.
 *
 * @param window - an odd integer ≥ 1.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a value is not finite or the window is not a
 *   positive odd integer.
 */
export function smaCentred(values: ArrayLike<number>, window: number): number[] {
  const checked = checkNumberArray(values, 'values')
  const size = checkInteger(window, 'window', { min: 1 })
  if (size % 2 === 0) throw invalidInput('window', 'an odd integer of at least 1', window)
  const half = (size - 1) / 2
  const { scaled, scale } = scaledCopy(checked)
  const sum = createRunningSum()
  let count = 0
  const last = scaled.length - 1
  for (let index = 0; index <= Math.min(half, last); index++) {
    sum.add(scaled[index] as number)
    count++
  }
  const averages = new Array<number>(scaled.length)
  for (let index = 0; index <= last; index++) {
    averages[index] = (sum.value() / count) * scale
    const entering = index + half + 1
    if (entering <= last) {
      sum.add(scaled[entering] as number)
      count++
    }
    const leaving = index - half
    if (leaving >= 0) {
      sum.add(-(scaled[leaving] as number))
      count--
    }
  }
  return averages
}

/**
 * Exponential smoothing s_0 = x_0, s_i = s_{i−1} + α·(x_i − s_{i−1}) (Brown R.G. 1956; spec §8.5).
 * Each output is a weighted mean of the values so far, so it stays between their minimum and maximum.
 *
 * @param alpha - smoothing factor, 0 < alpha ≤ 1 (1 returns the values unchanged).
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a value is not finite or alpha is outside
 *   (0, 1].
 */
export function ema(values: ArrayLike<number>, alpha: number): number[] {
  const checked = checkNumberArray(values, 'values')
  const factor = checkNumber(alpha, 'alpha', { min: 0, max: 1, minExclusive: true })
  return smooth(checked, factor)
}

/**
 * Exponential smoothing with the span convention α = 2/(N + 1) (the "N-period EMA"; spec §8.5),
 * otherwise as `stats.ema`.
 *
 * @param span - N ≥ 1 (N = 1 returns the values unchanged).
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a value is not finite or span < 1.
 */
export function emaSpan(values: ArrayLike<number>, span: number): number[] {
  const checked = checkNumberArray(values, 'values')
  const periods = checkNumber(span, 'span', { min: 1 })
  return smooth(checked, 2 / (periods + 1))
}

function smooth(values: readonly number[], alpha: number): number[] {
  const smoothed = new Array<number>(values.length)
  let level = values[0] ?? 0
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number
    // The convex form keeps the level finite even when value − level would overflow.
    level = index === 0 ? value : (1 - alpha) * level + alpha * value
    smoothed[index] = level
  }
  return smoothed
}

/**
 * The values divided by a power of two near their largest magnitude (exact), so that window sums
 * cannot overflow; averages are multiplied back by `scale`.
 */
function scaledCopy(values: readonly number[]): { scaled: number[]; scale: number } {
  const scale = powerOfTwoScale(maxAbsolute(values))
  return { scaled: values.map((value) => value / scale), scale }
}
