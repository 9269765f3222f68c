import {
  checkFiniteResult,
  checkNonNegative,
  checkNumber,
  checkObject,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import { checkAscending } from '../zones/buckets.js'

/** Form class of a TSB value. */
export type TsbClass = 'overreaching' | 'productive' | 'fresh' | 'detraining'

/** Options of `load.classifyTsb`. */
export interface ClassifyTsbOptions {
  /** Three ascending limits [a, b, c]; default [−10, 0, 10]. */
  readonly bands?: readonly [number, number, number] | undefined
}

/**
 * Classifies training stress balance with the reference bands (spec §3.12): `< a` → overreaching,
 * `[a, b)` → productive, `[b, c]` → fresh, `> c` → detraining, default [a, b, c] = [−10, 0, 10].
 * Heuristic product labels, not physiology: TrainingPeaks places race form around +15…+25 and
 * intervals.icu calls −10…−30 the optimal training range.
 *
 * @example
 * ```ts
 * load.classifyTsb(-12) // 'overreaching'
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when tsb is not finite or the bands are not
 *   three ascending numbers.
 */
export function classifyTsb(tsb: number, options?: ClassifyTsbOptions): TsbClass {
  const value = checkNumber(tsb, 'tsb')
  const bands = withDefault(optionsOrEmpty(options).bands, [-10, 0, 10] as const)
  if (!Array.isArray(bands) || bands.length !== 3) {
    throw invalidInput('bands', 'three ascending numbers', bands)
  }
  const [low, middle, high] = checkAscending(bands, 'bands') as readonly [number, number, number]
  if (value < low) return 'overreaching'
  if (value < middle) return 'productive'
  return value <= high ? 'fresh' : 'detraining'
}

/** Today's PMC values, as `load.pmc(…).current` holds them. */
export interface TrainingLoadState {
  /** Chronic training load, ≥ 0. */
  readonly ctl: number
  /** Acute training load, ≥ 0. */
  readonly atl: number
  /** Training stress balance. */
  readonly tsb: number
}

/** Thresholds of `load.overtrainingRisk`. */
export interface OvertrainingThresholds {
  /** `acuteSpike` fires when atl > ratio × ctl (ctl > 0); default 1.3. */
  readonly acuteChronicRatio?: number | undefined
  /** `veryHighAcute` fires when atl > this; default 150. */
  readonly veryHighAtl?: number | undefined
  /** `deepFatigue` fires when tsb < this; default −10. */
  readonly deepFatigueTsb?: number | undefined
}

/** A factor of `load.overtrainingRisk`. */
export type OvertrainingFactor = 'acuteSpike' | 'veryHighAcute' | 'deepFatigue'

/** Result of `load.overtrainingRisk`. */
export interface OvertrainingRisk {
  /** 0 factors → low, 1 → moderate, ≥ 2 → high. */
  readonly level: 'low' | 'moderate' | 'high'
  /** The factors that fired, in table order. */
  readonly factors: OvertrainingFactor[]
  /** atl / ctl; `null` when ctl is 0. */
  readonly acuteChronicRatio: number | null
}

/**
 * Flags load-based overtraining risk from CTL, ATL and TSB (spec §3.13): `acuteSpike` when
 * ctl > 0 and atl > 1.3 × ctl; `veryHighAcute` when atl > 150; `deepFatigue` when tsb < −10. Level
 * low / moderate / high for 0 / 1 / ≥ 2 factors. The thresholds are the reference's heuristics and
 * configurable. ATL/CTL is an exponentially weighted acute:chronic workload ratio: Gabbett T.J.
 * (2016) *Br J Sports Med* 50:273–280 reports 0.8–1.3 as lower risk; see Lolli L. et al. (2019)
 * and Impellizzeri F.M. et al. (2020) for its limits.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when ctl or atl is negative, a value or
 *   threshold is not finite, or the ratio threshold is ≤ 0.
 */
export function overtrainingRisk(
  load: TrainingLoadState,
  thresholds?: OvertrainingThresholds,
): OvertrainingRisk {
  checkObject(load, 'load')
  const ctl = checkNonNegative(load.ctl, 'ctl')
  const atl = checkNonNegative(load.atl, 'atl')
  const tsb = checkNumber(load.tsb, 'tsb')
  const limits = optionsOrEmpty(thresholds, 'thresholds')
  const ratioLimit = checkNumber(withDefault(limits.acuteChronicRatio, 1.3), 'acuteChronicRatio', {
    min: 0,
    minExclusive: true,
  })
  const atlLimit = checkNumber(withDefault(limits.veryHighAtl, 150), 'veryHighAtl')
  const tsbLimit = checkNumber(withDefault(limits.deepFatigueTsb, -10), 'deepFatigueTsb')
  const factors: OvertrainingFactor[] = []
  if (ctl > 0 && atl > ratioLimit * ctl) factors.push('acuteSpike')
  if (atl > atlLimit) factors.push('veryHighAcute')
  if (tsb < tsbLimit) factors.push('deepFatigue')
  return {
    level: factors.length === 0 ? 'low' : factors.length === 1 ? 'moderate' : 'high',
    factors,
    acuteChronicRatio: ctl === 0 ? null : atl / ctl,
  }
}

/**
 * Recommends recovery days from TSB with the reference's heuristic table (spec §3.14): tsb < −20 →
 * 5, < −15 → 3, < −10 → 2, < 0 → 1, otherwise 0.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when tsb is not finite.
 */
export function recommendedRecoveryDays(tsb: number): number {
  const value = checkNumber(tsb, 'tsb')
  if (value < -20) return 5
  if (value < -15) return 3
  if (value < -10) return 2
  return value < 0 ? 1 : 0
}

/** Result of `load.monotonyStrain`. */
export interface MonotonyStrain {
  /** Mean daily load / population SD; `null` when every day has the same load. */
  readonly monotony: number | null
  /** Weekly load × monotony; `null` with monotony. */
  readonly strain: number | null
  /** Σ of the seven daily loads. */
  readonly weeklyLoad: number
}

/**
 * Computes Foster's training monotony and strain over seven daily loads (spec §3.15):
 * `monotony = mean / SD` (population SD), `strain = Σ loads × monotony`; monotony and strain are
 * `null` when SD = 0. Source: Foster C. (1998) *Med Sci Sports Exerc* 30:1164–1168.
 *
 * @param dailyLoads - seven daily loads (rest days as 0), each ≥ 0.
 * @throws {@link SportsScienceError} `INVALID_INPUT` unless dailyLoads is seven finite numbers ≥ 0.
 */
export function monotonyStrain(dailyLoads: readonly number[]): MonotonyStrain {
  if (!Array.isArray(dailyLoads) || dailyLoads.length !== 7) {
    throw invalidInput('dailyLoads', 'an array of 7 daily loads ≥ 0', dailyLoads)
  }
  const loads = dailyLoads.map((value, index) => checkNonNegative(value, `dailyLoads[${index}]`))
  const weeklyLoad = checkFiniteResult(
    loads.reduce((sum, value) => sum + value, 0),
    'dailyLoads',
    dailyLoads,
  )
  const mean = weeklyLoad / 7
  const variance = loads.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 7
  const sd = Math.sqrt(variance)
  // Identical loads can leave a rounding residue in the SD; treat a relative spread below 1e-12 as 0.
  if (!(sd > 1e-12 * mean) || sd === 0) return { monotony: null, strain: null, weeklyLoad }
  const monotony = mean / sd
  return { monotony, strain: weeklyLoad * monotony, weeklyLoad }
}
