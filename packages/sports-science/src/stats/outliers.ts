import { checkNumberArray } from '../internal/series.js'
import { checkFiniteResult, checkNumber } from '../internal/validate.js'
import { medianOf } from './summary.js'

/** Result of `stats.modifiedZScores`. */
export interface ModifiedZScores {
  /** 0.6745·(x − median)/MAD for each value, in input order (all 0 when MAD = 0). */
  readonly scores: number[]
  /** 0-based indices of the values with |score| > threshold, ascending. */
  readonly outliers: number[]
  /** Median of the values; `null` for an empty list. */
  readonly median: number | null
  /** Median absolute deviation from the median; `null` for an empty list. */
  readonly mad: number | null
}

/** 0.6745 is the 0.75 quantile of the standard normal, so MAD/0.6745 estimates σ for normal data. */
const madToSigma = 0.6745

/**
 * Flags outliers by the modified z-score M_i = 0.6745·(x_i − median)/MAD, MAD = median |x_i − median|;
 * values with |M| > threshold are outliers (Iglewicz B. & Hoaglin D.C. 1993 *How to Detect and
 * Handle Outliers*, ASQC; spec §8.6). Robust where the ordinary z-score is not: one extreme value
 * cannot hide itself by inflating the SD. MAD = 0 → all scores 0 and no outliers; fewer than 3 values
 * → no outliers. A score too large for a double (MAD near 5e-324) is reported as ±Number.MAX_VALUE.
 *
 * @param threshold - |M| above which a value is an outlier, > 0; default 3.5 (the authors'
 *   recommendation; the reference uses 2.5).
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a value is not finite or threshold ≤ 0.
 */
export function modifiedZScores(values: ArrayLike<number>, threshold = 3.5): ModifiedZScores {
  const checked = checkNumberArray(values, 'values')
  const limit = checkNumber(threshold, 'threshold', { min: 0, minExclusive: true })
  const centre = medianOf(checked)
  if (centre === null) return { scores: [], outliers: [], median: null, mad: null }
  // Halving before subtracting keeps deviations of huge values finite; MAD is doubled back below.
  const halfDeviations = checked.map((value) => Math.abs(value / 2 - centre / 2))
  const halfMad = medianOf(halfDeviations) as number
  const scores =
    halfMad === 0
      ? checked.map(() => 0)
      : checked.map((value) => {
          const score = (madToSigma * (value / 2 - centre / 2)) / halfMad
          // A MAD near the smallest double can push a ratio past the largest one.
          return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, score))
        })
  const outliers: number[] = []
  if (checked.length >= 3) {
    scores.forEach((score, index) => {
      if (Math.abs(score) > limit) outliers.push(index)
    })
  }
  return { scores, outliers, median: centre, mad: checkFiniteResult(halfMad * 2, 'values', values) }
}
