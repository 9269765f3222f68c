import { toDayNumber } from '../internal/calendar.js'
import {
  checkBoolean,
  checkFiniteResult,
  checkNumber,
  checkObject,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import { studentTCritical, studentTTwoSided } from './distributions.js'
import { type CentredSums, centredSums, clampUnit } from './summary.js'

/** One observation for a regression: `x` (for time series, days since the first point) and `y`. */
export interface RegressionPoint {
  readonly x: number
  readonly y: number
}

/** Result of `stats.linearRegression`. */
export interface LinearRegression {
  /** Change of y per unit of x (per day for time series). */
  readonly slope: number
  /** Fitted y at x = 0. */
  readonly intercept: number
  /** Pearson correlation, −1 … 1 (0 when y is constant). */
  readonly r: number
  /** Coefficient of determination 1 − SSE/Syy, 0 … 1 (0 when y is constant). */
  readonly r2: number
  /** Residual standard error s = √(SSE/df), in units of y; `null` when n = 2. */
  readonly standardError: number | null
  /** Standard error of the slope s/√Sxx; `null` when n = 2. */
  readonly slopeStandardError: number | null
  /** Degrees of freedom n − 2. */
  readonly df: number
  /** Two-sided p-value of the slope (Student t); `null` when n = 2 or y is constant. */
  readonly pValue: number | null
  /** Number of points. */
  readonly n: number
}

/** Everything the regression functions need, in scaled units (see {@link centredSums}). */
interface Fit {
  readonly sums: CentredSums
  readonly result: LinearRegression
  /** Residual sum of squares in scaled y units. */
  readonly sse: number
}

function checkPoints(points: readonly RegressionPoint[]): { xs: number[]; ys: number[] } {
  if (!Array.isArray(points)) throw invalidInput('points', 'an array of { x, y } points', points)
  const xs: number[] = []
  const ys: number[] = []
  points.forEach((point: RegressionPoint, index) => {
    checkObject(point, `points[${index}]`)
    xs.push(checkNumber(point.x, `points[${index}].x`))
    ys.push(checkNumber(point.y, `points[${index}].y`))
  })
  return { xs, ys }
}

function fit(points: readonly RegressionPoint[]): Fit | null {
  const { xs, ys } = checkPoints(points)
  if (xs.length < 2) return null
  const sums = centredSums(xs, ys)
  if (sums.sxx === 0)
    throw invalidInput('points', 'points with at least two distinct x values', points)
  const { n, sxx, syy, sxy, xScale, yScale } = sums
  const scaledSlope = sxy / sxx
  let sse = 0
  for (let index = 0; index < n; index++) {
    const residual =
      (sums.ys[index] as number) -
      sums.meanY -
      scaledSlope * ((sums.xs[index] as number) - sums.meanX)
    sse += residual * residual
  }
  const df = n - 2
  const slope = checkFiniteResult((scaledSlope * yScale) / xScale, 'points', points)
  const intercept = checkFiniteResult(
    (sums.meanY - scaledSlope * sums.meanX) * yScale,
    'points',
    points,
  )
  const constantY = syy === 0
  const r = constantY ? 0 : clampUnit(sxy / Math.sqrt(sxx * syy))
  const r2 = constantY ? 0 : Math.min(1, Math.max(0, 1 - sse / syy))
  const scaledS = df > 0 ? Math.sqrt(sse / df) : null
  const standardError =
    scaledS === null ? null : checkFiniteResult(scaledS * yScale, 'points', points)
  const slopeStandardError =
    scaledS === null
      ? null
      : checkFiniteResult(((scaledS / Math.sqrt(sxx)) * yScale) / xScale, 'points', points)
  let pValue: number | null = null
  if (scaledS !== null && !constantY) {
    pValue = sse === 0 ? 0 : studentTTwoSided(scaledSlope / (scaledS / Math.sqrt(sxx)), df)
  }
  return {
    sums,
    sse,
    result: { slope, intercept, r, r2, standardError, slopeStandardError, df, pValue, n },
  }
}

/**
 * Fits y = intercept + slope·x by ordinary least squares (Gauss–Legendre; Draper N.R. & Smith H.
 * 1998 *Applied Regression Analysis*, 3rd ed.; spec §8.1).
 *
 * Centred sums Sxx = Σ(x − x̄)², Sxy = Σ(x − x̄)(y − ȳ), Syy = Σ(y − ȳ)² (no cancellation for large
 * x such as timestamps); slope = Sxy/Sxx, intercept = ȳ − slope·x̄, SSE = Σ(y − ŷ)²,
 * r = Sxy/√(Sxx·Syy), R² = 1 − SSE/Syy, s = √(SSE/(n − 2)), t = slope/(s/√Sxx) and the two-sided
 * p-value I_{df/(df+t²)}(df/2, ½) from the regularised incomplete beta function.
 *
 * For a time series pass x as days since the first point (see `stats.pointsFromDates`), not the
 * sample index. Edge cases: fewer than 2 points → `null`; constant y → slope 0, r = R² = 0, pValue
 * `null`; n = 2 → standardError and pValue `null`; an exact fit of non-constant y → pValue 0.
 *
 * @example
 * ```ts
 * stats.linearRegression([{ x: 1, y: 2 }, { x: 2, y: 4 }, { x: 3, y: 5 }, { x: 4, y: 4 }, { x: 5, y: 5 }])
 * // { slope: 0.6, intercept: 2.2, r2: 0.6, standardError: 0.894…, df: 3, pValue: 0.124…, … }
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a coordinate is not finite, all x are
 *   equal, or a result overflows.
 */
export function linearRegression(points: readonly RegressionPoint[]): LinearRegression | null {
  return fit(points)?.result ?? null
}

/** A lower and an upper bound, in units of y. */
export interface Interval {
  readonly lower: number
  readonly upper: number
}

/** Result of `stats.regressionInterval`. */
export interface RegressionInterval {
  /** Fitted value ŷ at x. */
  readonly y: number
  /** Confidence interval of the mean response at x. */
  readonly mean: Interval
  /** Prediction interval of a new observation at x. */
  readonly prediction: Interval
}

/**
 * Returns the fitted value at `x` with the confidence interval of the mean response and the
 * prediction interval of a new observation (Draper & Smith 1998 §3.1; spec §8.2):
 * ŷ ± t_{(1+level)/2, n−2} · s · √(k + 1/n + (x − x̄)²/Sxx), k = 0 (mean) or 1 (prediction). The
 * leverage term widens the intervals away from the data. `null` with fewer than 3 points.
 *
 * @param level - confidence level, 0 < level < 1 (default 0.95).
 * @throws {@link SportsScienceError} `INVALID_INPUT` as `linearRegression` does, or when x or level is
 *   out of range.
 */
export function regressionInterval(
  points: readonly RegressionPoint[],
  x: number,
  level = 0.95,
): RegressionInterval | null {
  const at = checkNumber(x, 'x')
  const checkedLevel = checkNumber(level, 'level', {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  })
  const fitted = fit(points)
  if (fitted === null || fitted.result.df < 1) return null
  const { sums, sse, result } = fitted
  const critical = checkFiniteResult(studentTCritical(1 - checkedLevel, result.df), 'level', level)
  const scaledX = at / sums.xScale
  const leverage = 1 / sums.n + (scaledX - sums.meanX) ** 2 / sums.sxx
  const scaledS = Math.sqrt(sse / result.df)
  const scaledY = sums.meanY + (sums.sxy / sums.sxx) * (scaledX - sums.meanX)
  const y = checkFiniteResult(scaledY * sums.yScale, 'x', x)
  const meanHalfWidth = checkFiniteResult(
    critical * scaledS * Math.sqrt(leverage) * sums.yScale,
    'x',
    x,
  )
  const predictionHalfWidth = checkFiniteResult(
    critical * scaledS * Math.sqrt(1 + leverage) * sums.yScale,
    'x',
    x,
  )
  const bound = (value: number): number => checkFiniteResult(value, 'points', points)
  return {
    y,
    mean: { lower: bound(y - meanHalfWidth), upper: bound(y + meanHalfWidth) },
    prediction: { lower: bound(y - predictionHalfWidth), upper: bound(y + predictionHalfWidth) },
  }
}

/** Direction of a trend, from the athlete's point of view. */
export type TrendDirection = 'improving' | 'declining' | 'stable'

/** Options of `stats.trend`. */
export interface TrendOptions {
  /** True for metrics where smaller is better (pace, race time, resting HR); default false. */
  readonly lowerIsBetter?: boolean | undefined
  /** Significance level of the slope test, 0 < alpha < 1; default 0.05. */
  readonly alpha?: number | undefined
  /** Smallest |slope·7|/|ȳ| that counts as a change, ≥ 0; default 0.005 (0.5% per week). */
  readonly minRelativeChangePerWeek?: number | undefined
}

/** Result of `stats.trend`. */
export interface Trend {
  readonly direction: TrendDirection
  /** Slope × 7, units of y per week (x in days). */
  readonly slopePerWeek: number
  /** slopePerWeek / |ȳ| (a fraction, signed like the slope); `null` when ȳ = 0. */
  readonly relativeChangePerWeek: number | null
  readonly pValue: number | null
  readonly r2: number
}

/**
 * Classifies a time series as improving, declining or stable (spec §8.3): stable unless the OLS
 * slope is significant (pValue < alpha) **and** its weekly change relative to the mean,
 * |slope·7|/|ȳ|, reaches `minRelativeChangePerWeek`; then improving when the slope points the good
 * way (negative when `lowerIsBetter`). When ȳ = 0 the relative test is skipped. x must be in days.
 * Needs at least 3 points, else `null`. Regression per Draper & Smith (1998).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` as `linearRegression` does, or for a bad option.
 */
export function trend(points: readonly RegressionPoint[], options?: TrendOptions): Trend | null {
  const opts = optionsOrEmpty(options)
  const lowerIsBetter = checkBoolean(withDefault(opts.lowerIsBetter, false), 'lowerIsBetter')
  const alpha = checkNumber(withDefault(opts.alpha, 0.05), 'alpha', {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  })
  const minRelative = checkNumber(
    withDefault(opts.minRelativeChangePerWeek, 0.005),
    'minRelativeChangePerWeek',
    { min: 0 },
  )
  const fitted = fit(points)
  if (fitted === null || fitted.result.n < 3) return null
  const { result, sums } = fitted
  const slopePerWeek = checkFiniteResult(result.slope * 7, 'points', points)
  const meanY = sums.meanY * sums.yScale
  const relativeChangePerWeek =
    meanY === 0 ? null : checkFiniteResult(slopePerWeek / Math.abs(meanY), 'points', points)
  const significant =
    result.pValue !== null &&
    result.pValue < alpha &&
    result.slope !== 0 &&
    (relativeChangePerWeek === null || Math.abs(relativeChangePerWeek) >= minRelative)
  let direction: TrendDirection = 'stable'
  if (significant) direction = result.slope > 0 !== lowerIsBetter ? 'improving' : 'declining'
  return { direction, slopePerWeek, relativeChangePerWeek, pValue: result.pValue, r2: result.r2 }
}

/** Confidence in a fitted trend or projection. */
export type ConfidenceLevel = 'low' | 'medium' | 'high' | 'veryHigh'

/** Argument of `stats.confidenceLevel`. */
export interface ConfidenceCase {
  /** Number of observations, a non-negative integer. */
  readonly n: number
  /** Coefficient of determination, 0 … 1. */
  readonly r2: number
  /** p-value of the fit, 0 … 1; `null` or omitted when unknown. */
  readonly pValue?: number | null | undefined
}

const confidenceLevels = ['low', 'medium', 'high', 'veryHigh'] as const satisfies ConfidenceLevel[]

/**
 * Grades confidence in a fit (Pierre reference rules, spec §8.4): high when n ≥ 20 and R² ≥ 0.7,
 * medium when n ≥ 10 and R² ≥ 0.4, otherwise low; a p-value below 0.05 raises the grade one step
 * (low → medium → high → veryHigh). A product heuristic with no single published source.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when n is not a non-negative integer or r2 or
 *   pValue lies outside 0 … 1.
 */
export function confidenceLevel(confidenceCase: ConfidenceCase): ConfidenceLevel {
  checkObject(confidenceCase, 'case')
  const n = checkNumber(confidenceCase.n, 'n', { min: 0 })
  if (!Number.isInteger(n)) throw invalidInput('n', 'a non-negative integer', confidenceCase.n)
  const r2 = checkNumber(confidenceCase.r2, 'r2', { min: 0, max: 1 })
  const pValue =
    confidenceCase.pValue === null || confidenceCase.pValue === undefined
      ? null
      : checkNumber(confidenceCase.pValue, 'pValue', { min: 0, max: 1 })
  let step = n >= 20 && r2 >= 0.7 ? 2 : n >= 10 && r2 >= 0.4 ? 1 : 0
  if (pValue !== null && pValue < 0.05) step += 1
  return confidenceLevels[step] as ConfidenceLevel
}

/** A dated value, for `stats.pointsFromDates`. */
export interface DatedValue {
  /** Local calendar date `YYYY-MM-DD`. */
  readonly date: string
  readonly value: number
}

/**
 * Turns dated values into regression points with x = days since the earliest date (spec §8.1: time
 * series regress on elapsed days, not on the sample index, so irregular spacing does not distort the
 * slope). Points come back sorted by date; values on the same date keep their input order.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date or a non-finite value.
 */
export function pointsFromDates(entries: readonly DatedValue[]): RegressionPoint[] {
  if (!Array.isArray(entries)) throw invalidInput('entries', 'an array of { date, value }', entries)
  const days = entries.map((entry: DatedValue, index) => {
    checkObject(entry, `entries[${index}]`)
    return {
      day: toDayNumber(entry.date, `entries[${index}].date`),
      value: checkNumber(entry.value, `entries[${index}].value`),
    }
  })
  days.sort((left, right) => left.day - right.day)
  const first = days[0]?.day ?? 0
  return days.map(({ day, value }) => ({ x: day - first, y: value }))
}
