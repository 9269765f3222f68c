import { modifiedZScores } from './outliers.js'
import {
  confidenceLevel,
  linearRegression,
  pointsFromDates,
  regressionInterval,
  trend,
} from './regression.js'
import { ema, emaSpan, sma, smaCentred } from './smoothing.js'
import {
  mean,
  median,
  pearson,
  populationSd,
  populationVariance,
  sampleSd,
  sampleVariance,
} from './summary.js'

/**
 * Statistics for training data (spec §8): least-squares regression with exact Student-t p-values and
 * intervals, trend detection on day-based time series, confidence grading, moving averages and
 * exponential smoothing in O(n), robust outliers, and summary statistics. Every function is pure and
 * throws `SportsScienceError` (`INVALID_INPUT`) on bad input; too little data gives `null`.
 *
 * @example
 * ```ts
 * import { stats } from '@pierre/sports-science'
 *
 * stats.sma([1, 2, 3, 4, 5, 6], 3) // [null, null, 2, 3, 4, 5]
 * stats.linearRegression([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])?.slope // 2
 * ```
 */
export const stats = {
  linearRegression,
  regressionInterval,
  trend,
  confidenceLevel,
  pointsFromDates,
  sma,
  smaCentred,
  ema,
  emaSpan,
  modifiedZScores,
  mean,
  median,
  sampleVariance,
  populationVariance,
  sampleSd,
  populationSd,
  pearson,
} as const
