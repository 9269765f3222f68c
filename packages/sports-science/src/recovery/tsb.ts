import { checkNumber, checkOneOf, optionsOrEmpty, withDefault } from '../internal/validate.js'
import { checkAscending } from './thresholds.js'

/**
 * Shape of the TSB score above the detraining threshold: `continuous` (default, 90 − …) or `pierre`
 * (compat: 100 − …, which jumps from 90 to 100 just above the threshold).
 */
export type TsbScoreVariant = 'continuous' | 'pierre'

const tsbVariants = ['continuous', 'pierre'] as const satisfies readonly TsbScoreVariant[]

/** Options of `recovery.tsbScore`; thresholds must satisfy highly < fatigued < 0 < freshMin ≤ freshMax < detraining. */
export interface TsbScoreOptions {
  readonly variant?: TsbScoreVariant | undefined
  /** Default −15. */
  readonly highlyFatigued?: number | undefined
  /** Default −10. */
  readonly fatigued?: number | undefined
  /** Default 5. */
  readonly freshMin?: number | undefined
  /** Default 15. */
  readonly freshMax?: number | undefined
  /** Default 25. */
  readonly detraining?: number | undefined
}

/** Resolved and checked TSB thresholds. */
export interface TsbThresholds {
  readonly highlyFatigued: number
  readonly fatigued: number
  readonly freshMin: number
  readonly freshMax: number
  readonly detraining: number
}

/** Checks the TSB score options and fills in the reference defaults. */
export function tsbThresholds(options: TsbScoreOptions | undefined): TsbThresholds {
  const opts = optionsOrEmpty(options)
  const highlyFatigued = checkNumber(withDefault(opts.highlyFatigued, -15), 'highlyFatigued')
  const fatigued = checkNumber(withDefault(opts.fatigued, -10), 'fatigued', {
    max: 0,
    maxExclusive: true,
  })
  const freshMin = checkNumber(withDefault(opts.freshMin, 5), 'freshMin', {
    min: 0,
    minExclusive: true,
  })
  const freshMax = checkNumber(withDefault(opts.freshMax, 15), 'freshMax')
  const detraining = checkNumber(withDefault(opts.detraining, 25), 'detraining')
  checkAscending([
    { field: 'highlyFatigued', value: highlyFatigued },
    { field: 'fatigued', value: fatigued },
  ])
  checkAscending(
    [
      { field: 'freshMin', value: freshMin },
      { field: 'freshMax', value: freshMax },
      { field: 'detraining', value: detraining },
    ],
    ['freshMax'],
  )
  return { highlyFatigued, fatigued, freshMin, freshMax, detraining }
}

/**
 * Maps training stress balance (TSB = CTL − ATL) to a 0–100 readiness score (Pierre reference,
 * spec §6.6; form after Coggan's Performance Manager, Allen H. & Coggan A. 2010):
 *
 * | TSB t            | score                              |
 * | ---------------- | ---------------------------------- |
 * | 5 ≤ t ≤ 15       | 100                                |
 * | 15 < t ≤ 25      | 100 − 10·(t − 15)/10               |
 * | t > 25           | 90 − min(2·(t − 25), 30)           |
 * | 0 ≤ t < 5        | 85 + 15·t/5                        |
 * | −10 ≤ t < 0      | 60 + 25·(t + 10)/10                |
 * | −15 ≤ t < −10    | 30 + 30·(t + 15)/5                 |
 * | t < −15          | 30 − min(30·(|t| − 15)/15, 30)     |
 *
 * (thresholds configurable). The default is continuous everywhere; `variant: 'pierre'` reproduces the
 * reference's 100 − min(2·(t − 25), 30) above +25, which jumps from 90 to 100 there.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when tsb is not finite, the variant is unknown
 *   or the thresholds are out of order.
 */
export function tsbScore(tsb: number, options?: TsbScoreOptions): number {
  const t = checkNumber(tsb, 'tsb')
  const opts = optionsOrEmpty(options)
  const variant = checkOneOf(withDefault(opts.variant, 'continuous'), 'variant', tsbVariants)
  const { highlyFatigued, fatigued, freshMin, freshMax, detraining } = tsbThresholds(opts)
  if (t > detraining) {
    return (variant === 'pierre' ? 100 : 90) - Math.min(2 * (t - detraining), 30)
  }
  if (t > freshMax) return 100 - (10 * (t - freshMax)) / (detraining - freshMax)
  if (t >= freshMin) return 100
  if (t >= 0) return 85 + (15 * t) / freshMin
  if (t >= fatigued) return 60 + (25 * (t - fatigued)) / -fatigued
  if (t >= highlyFatigued) return 30 + (30 * (t - highlyFatigued)) / (fatigued - highlyFatigued)
  return 30 - Math.min((30 * (highlyFatigued - t)) / -highlyFatigued, 30)
}
