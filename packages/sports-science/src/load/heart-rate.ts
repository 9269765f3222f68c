import { durationMinRange, durationSecRange, heartRateRange } from '../internal/ranges.js'
import { checkIntervalSec, checkStream, heartRateSample, type Stream } from '../internal/stream.js'
import {
  checkFiniteResult,
  checkNumber,
  checkObject,
  checkOneOf,
  clamp,
  invalidInput,
  type NumberRange,
  withDefault,
} from '../internal/validate.js'
import type { StreamOptions } from '../streams.js'
import { type Sex, sexes } from '../types.js'
import { bucketOf } from '../zones/buckets.js'
import { heartRateLthr, type LthrZoneModel } from '../zones/heart-rate.js'

/** Banister weighting exponent k: 1.92 for men, 1.67 for women (Morton et al. 1990). */
const trimpExponent: Readonly<Record<Sex, number>> = { male: 1.92, female: 1.67 }

interface HeartRateBounds {
  readonly restingHr: number
  readonly maxHr: number
}

function checkBounds(restingHr: unknown, maxHr: unknown): HeartRateBounds {
  const max = checkNumber(maxHr, 'maxHr', heartRateRange)
  const rest = checkNumber(restingHr, 'restingHr', heartRateRange)
  if (!(rest < max)) throw invalidInput('restingHr', `less than maxHr (${max})`, restingHr)
  return { restingHr: rest, maxHr: max }
}

/** Fraction of heart-rate reserve, clamped to [0, 1]. */
function reserveFraction(hr: number, bounds: HeartRateBounds): number {
  return clamp((hr - bounds.restingHr) / (bounds.maxHr - bounds.restingHr), 0, 1)
}

function requireValue<TValue>(value: TValue | undefined, field: string, expected: string): TValue {
  if (value === undefined) throw invalidInput(field, expected, value)
  return value
}

/** Method of `load.hrTss`. */
export type HrTssMethod = 'trimp' | 'ratioSquared' | 'zonal'

const hrTssMethods = ['trimp', 'ratioSquared', 'zonal'] as const satisfies readonly HrTssMethod[]

/** Arguments of `load.hrTss`. */
export interface HrTssArgs {
  /** Default `trimp`. */
  readonly method?: HrTssMethod | undefined
  /** Session duration, s, ≥ 0; needed with `avgHr` (a stream carries its own duration). */
  readonly durationSec?: number | undefined
  /** Average heart rate, beats/min; used when no `hr` stream is given. */
  readonly avgHr?: number | undefined
  /** Heart-rate stream, beats/min (preferred; required by `zonal`). */
  readonly hr?: Stream | undefined
  /** Seconds between `hr` samples; default 1. */
  readonly intervalSec?: number | undefined
  /** Lactate-threshold heart rate, beats/min, 20–250. */
  readonly lthr: number
  /** Resting heart rate, beats/min; required by `trimp`, below lthr. */
  readonly restingHr?: number | undefined
  /** Maximum heart rate, beats/min; required by `trimp`, above lthr. */
  readonly maxHr?: number | undefined
  /** Selects the TRIMP exponent (1.92 male, 1.67 female); default `male`. */
  readonly sex?: Sex | undefined
  /** `zonal`: TSS per hour in each LTHR zone bucket (`zoneModel` buckets, lowest first). */
  readonly ratesPerHour?: readonly number[] | undefined
  /** `zonal`: LTHR zone model; default `coggan` (5 buckets). */
  readonly zoneModel?: LthrZoneModel | undefined
}

/**
 * Computes heart-rate Training Stress Score (spec §3.6); `null` when an `hr` stream holds no valid
 * sample.
 *
 * - `trimp` (default), TRIMP normalised so that one hour at LTHR = 100 (GoldenCheetah TRIMP(100)):
 *   `x(h) = clamp((h − restingHr)/(maxHr − restingHr), 0, 1)`, session = Σ (Δt/60)·x·e^(k·x) over
 *   valid samples, or (durationSec/60)·x̄·e^(k·x̄) from avgHr; ref = 60·x_LT·e^(k·x_LT);
 *   hrTSS = 100·session/ref, k = 1.92 (male) / 1.67 (female). Needs restingHr < lthr < maxHr. The
 *   stream form is preferred: by convexity the average form under-counts variable sessions.
 * - `ratioSquared` (compat, the Pierre reference): (durationSec/3600)·(avgHr/lthr)²·100.
 * - `zonal`: Σ hoursInZone × ratesPerHour[zone] over LTHR zones (no default rates are shipped).
 *
 * Sources: Banister E.W. (1991); Morton R.H., Fitz-Clarke J.R. & Banister E.W. (1990) *J Appl
 * Physiol* 69:1171–1177; GoldenCheetah `TRIMPPoints.cpp`.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a heart rate is outside 20–250, the
 *   ordering restingHr < lthr < maxHr fails, a field the method needs is missing, or an option is
 *   unknown.
 */
export function hrTss(args: HrTssArgs): number | null {
  checkObject(args, 'args')
  const method = checkOneOf(withDefault(args.method, 'trimp'), 'method', hrTssMethods)
  const lthr = checkNumber(args.lthr, 'lthr', heartRateRange)
  const intervalSec = checkIntervalSec(args.intervalSec)
  const hr = args.hr === undefined ? undefined : checkStream(args.hr, 'hr')
  switch (method) {
    case 'trimp':
      return trimpHrTss(args, { lthr, intervalSec, hr })
    case 'ratioSquared':
      return ratioSquaredHrTss(args, { lthr, intervalSec, hr })
    case 'zonal':
      return zonalHrTss(args, { lthr, intervalSec, hr })
  }
}

interface HrTssContext {
  readonly lthr: number
  readonly intervalSec: number
  readonly hr: Stream | undefined
}

const avgHrExpected = 'a heart rate from 20 to 250 (beats/min) when no hr stream is given'
const durationExpected = 'a duration ≥ 0 (s) when no hr stream is given'

function trimpHrTss(args: HrTssArgs, context: HrTssContext): number | null {
  const { lthr, intervalSec, hr } = context
  const bounds = checkBounds(
    requireValue(args.restingHr, 'restingHr', "a heart rate when method is 'trimp'"),
    requireValue(args.maxHr, 'maxHr', "a heart rate when method is 'trimp'"),
  )
  if (!(bounds.restingHr < lthr && lthr < bounds.maxHr)) {
    throw invalidInput(
      'lthr',
      `between restingHr and maxHr (${bounds.restingHr}–${bounds.maxHr})`,
      lthr,
    )
  }
  const k = trimpExponent[checkOneOf(withDefault(args.sex, 'male'), 'sex', sexes)]
  let sessionMinutes: number
  if (hr === undefined) {
    const avgHr = checkNumber(
      requireValue(args.avgHr, 'avgHr', avgHrExpected),
      'avgHr',
      heartRateRange,
    )
    const durationSec = checkNumber(
      requireValue(args.durationSec, 'durationSec', durationExpected),
      'durationSec',
      durationSecRange,
    )
    const x = reserveFraction(avgHr, bounds)
    sessionMinutes = (durationSec / 60) * x * Math.exp(k * x)
  } else {
    const weighted = weightedStreamMinutes(hr, intervalSec, (sample) => {
      const x = reserveFraction(sample, bounds)
      return x * Math.exp(k * x)
    })
    if (weighted === null) return null
    sessionMinutes = weighted
  }
  const xLt = reserveFraction(lthr, bounds)
  return (100 * sessionMinutes) / (60 * xLt * Math.exp(k * xLt))
}

/** Σ (Δt/60)·weight(h) over the valid samples of an HR stream; `null` when none is valid. */
function weightedStreamMinutes(
  hr: Stream,
  intervalSec: number,
  weight: (sample: number) => number,
): number | null {
  let total = 0
  let valid = 0
  for (let index = 0; index < hr.length; index++) {
    const sample = heartRateSample(hr, index, 'hr')
    if (Number.isNaN(sample)) continue
    total += weight(sample)
    valid++
  }
  return valid === 0 ? null : (total * intervalSec) / 60
}

/** Mean of the valid HR samples and the time they cover; `null` when none is valid. */
function streamMean(hr: Stream, intervalSec: number): { mean: number; durationSec: number } | null {
  let total = 0
  let valid = 0
  for (let index = 0; index < hr.length; index++) {
    const sample = heartRateSample(hr, index, 'hr')
    if (Number.isNaN(sample)) continue
    total += sample
    valid++
  }
  return valid === 0 ? null : { mean: total / valid, durationSec: valid * intervalSec }
}

function ratioSquaredHrTss(args: HrTssArgs, context: HrTssContext): number | null {
  const { lthr, intervalSec, hr } = context
  let avgHr: number
  let durationSec: number
  if (hr === undefined) {
    avgHr = checkNumber(requireValue(args.avgHr, 'avgHr', avgHrExpected), 'avgHr', heartRateRange)
    durationSec = checkNumber(
      requireValue(args.durationSec, 'durationSec', durationExpected),
      'durationSec',
      durationSecRange,
    )
  } else {
    const summary = streamMean(hr, intervalSec)
    if (summary === null) return null
    avgHr = summary.mean
    durationSec = summary.durationSec
  }
  const ratio = avgHr / lthr
  return (durationSec / 3600) * ratio * ratio * 100
}

const lthrModels = ['coggan', 'friel-run', 'friel-bike'] as const satisfies readonly LthrZoneModel[]

function zonalHrTss(args: HrTssArgs, context: HrTssContext): number | null {
  const { lthr, intervalSec, hr } = context
  const model = checkOneOf(withDefault(args.zoneModel, 'coggan'), 'zoneModel', lthrModels)
  const { starts } = heartRateLthr({ lthr, model })
  const rates = args.ratesPerHour
  if (!Array.isArray(rates) || rates.length !== starts.length + 1) {
    throw invalidInput(
      'ratesPerHour',
      `an array of ${starts.length + 1} TSS-per-hour rates, one per '${model}' zone`,
      rates,
    )
  }
  rates.forEach((rate, index) => {
    checkNumber(rate, `ratesPerHour[${index}]`, { min: 0, max: 1000, unit: 'TSS/h' })
  })
  const stream = requireValue(hr, 'hr', "a heart-rate stream when method is 'zonal'")
  const weighted = weightedStreamMinutes(
    stream,
    intervalSec,
    (sample) => rates[bucketOf(sample, starts)] as number,
  )
  return weighted === null ? null : weighted / 60
}

const femaleScaleRange: NumberRange = { min: 0, minExclusive: true, max: 1 }

/** Arguments of `load.trimpBanister`. */
export interface TrimpBanisterArgs {
  /** Session duration, min, > 0. */
  readonly durationMin: number
  /** Average heart rate, beats/min, 20–250. */
  readonly avgHr: number
  /** Resting heart rate, beats/min, 20–250, below maxHr. */
  readonly restingHr: number
  /** Maximum heart rate, beats/min, 20–250. */
  readonly maxHr: number
  /** Default `male`. */
  readonly sex?: Sex | undefined
  /** Female weighting constant A; default 0.86 (Morton et al. 1990); GoldenCheetah uses 0.64. */
  readonly femaleScale?: number | undefined
}

function banisterWeight(x: number, sex: Sex, femaleScale: number): number {
  return (sex === 'male' ? 0.64 : femaleScale) * x * Math.exp(trimpExponent[sex] * x)
}

/**
 * Computes Banister's training impulse from an average heart rate (spec §3.9):
 * `TRIMP = durationMin · x · A · e^(k·x)`, `x = clamp((avgHr − restingHr)/(maxHr − restingHr), 0, 1)`,
 * men A = 0.64, k = 1.92; women A = 0.86 (`femaleScale`), k = 1.67. The stream form
 * {@link trimpBanisterStream} is preferred for variable sessions.
 *
 * Sources: Banister E.W. (1991); Morton R.H., Fitz-Clarke J.R. & Banister E.W. (1990) *J Appl
 * Physiol* 69:1171–1177.
 *
 * @example
 * ```ts
 * load.trimpBanister({ durationMin: 45, avgHr: 150, restingHr: 60, maxHr: 190 }) // 75.33
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when durationMin ≤ 0, a heart rate is outside
 *   20–250, restingHr ≥ maxHr, `sex` is unknown or femaleScale is outside (0, 1].
 */
export function trimpBanister(args: TrimpBanisterArgs): number {
  checkObject(args, 'args')
  const durationMin = checkNumber(args.durationMin, 'durationMin', {
    ...durationMinRange,
    minExclusive: true,
  })
  const avgHr = checkNumber(args.avgHr, 'avgHr', heartRateRange)
  const bounds = checkBounds(args.restingHr, args.maxHr)
  const sex = checkOneOf(withDefault(args.sex, 'male'), 'sex', sexes)
  const femaleScale = checkNumber(
    withDefault(args.femaleScale, 0.86),
    'femaleScale',
    femaleScaleRange,
  )
  return durationMin * banisterWeight(reserveFraction(avgHr, bounds), sex, femaleScale)
}

/** Options of `load.trimpBanisterStream`. */
export interface TrimpBanisterStreamOptions extends StreamOptions {
  /** Resting heart rate, beats/min, 20–250, below maxHr. */
  readonly restingHr: number
  /** Maximum heart rate, beats/min, 20–250. */
  readonly maxHr: number
  /** Default `male`. */
  readonly sex?: Sex | undefined
  /** Female weighting constant A; default 0.86. */
  readonly femaleScale?: number | undefined
}

/**
 * Computes Banister's TRIMP sample by sample: Σ (Δt/60) · x_i · A · e^(k·x_i) over the valid heart
 * rates (spec §3.9); `null` when no sample is valid. Constants as in {@link trimpBanister}; missing
 * samples and 0 bpm are skipped. Source: Banister E.W. (1991); Morton R.H. et al. (1990).
 *
 * @param hr - heart-rate stream, beats/min.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a sample outside 0–250, invalid bounds or
 *   an unknown `sex`.
 */
export function trimpBanisterStream(
  hr: Stream,
  options: TrimpBanisterStreamOptions,
): number | null {
  checkStream(hr, 'hr')
  const opts = checkObject(options, 'options')
  const intervalSec = checkIntervalSec(opts.intervalSec)
  const bounds = checkBounds(opts.restingHr, opts.maxHr)
  const sex = checkOneOf(withDefault(opts.sex, 'male'), 'sex', sexes)
  const femaleScale = checkNumber(
    withDefault(opts.femaleScale, 0.86),
    'femaleScale',
    femaleScaleRange,
  )
  return weightedStreamMinutes(hr, intervalSec, (sample) =>
    banisterWeight(reserveFraction(sample, bounds), sex, femaleScale),
  )
}

/** `load.trimpEdwards` from minutes already summed per zone. */
export interface TrimpEdwardsMinutesArgs {
  /** Minutes in the five %HRmax zones [50,60), [60,70), [70,80), [80,90), ≥ 90; each ≥ 0. */
  readonly minutesInZones: readonly number[]
}

/** `load.trimpEdwards` from a heart-rate stream. */
export interface TrimpEdwardsStreamArgs extends StreamOptions {
  /** Heart-rate stream, beats/min. */
  readonly hr: Stream
  /** Maximum heart rate, beats/min, 20–250. */
  readonly maxHr: number
}

/** Arguments of `load.trimpEdwards`. */
export type TrimpEdwardsArgs = TrimpEdwardsMinutesArgs | TrimpEdwardsStreamArgs

const edwardsStarts = [0.5, 0.6, 0.7, 0.8, 0.9] as const

/**
 * Computes Edwards' summated-heart-rate-zone TRIMP: `Σ minutes_z × z` with zones of %HRmax
 * [50,60) → 1, [60,70) → 2, [70,80) → 3, [80,90) → 4, ≥ 90 → 5 and below 50 % → 0 (spec §3.9).
 * From `minutesInZones` or, time in zone by time in zone, from an `hr` stream (`null` when the
 * stream has no valid sample). Source: Edwards S. (1993) *The Heart Rate Monitor Book*.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when minutesInZones is not five numbers ≥ 0,
 *   maxHr is outside 20–250 or a sample is invalid.
 */
export function trimpEdwards(args: TrimpEdwardsMinutesArgs): number
export function trimpEdwards(args: TrimpEdwardsStreamArgs): number | null
export function trimpEdwards(args: TrimpEdwardsArgs): number | null
export function trimpEdwards(args: TrimpEdwardsArgs): number | null {
  checkObject(args, 'args')
  if ('minutesInZones' in args) {
    const minutes = checkMinutesList(args.minutesInZones, 'minutesInZones', 5)
    return minutes.reduce((sum, value, index) => sum + value * (index + 1), 0)
  }
  const hr = checkStream(requireValue(args.hr, 'hr', 'a heart-rate stream'), 'hr')
  const maxHr = checkNumber(args.maxHr, 'maxHr', heartRateRange)
  const intervalSec = checkIntervalSec(args.intervalSec)
  const starts = edwardsStarts.map((fraction) => fraction * maxHr)
  return weightedStreamMinutes(hr, intervalSec, (sample) => bucketOf(sample, starts))
}

function checkMinutesList(values: unknown, field: string, length: number): number[] {
  if (!Array.isArray(values) || values.length !== length) {
    throw invalidInput(field, `an array of ${length} durations ≥ 0 (min)`, values)
  }
  return values.map((value, index) => checkNumber(value, `${field}[${index}]`, durationMinRange))
}

/** `load.trimpLucia` from minutes already summed per ventilatory-threshold band. */
export interface TrimpLuciaMinutesArgs {
  /** Minutes below VT1, ≥ 0. */
  readonly minutesBelowVt1: number
  /** Minutes between VT1 and VT2, ≥ 0. */
  readonly minutesVt1ToVt2: number
  /** Minutes above VT2, ≥ 0. */
  readonly minutesAboveVt2: number
}

/** `load.trimpLucia` from a heart-rate stream and the ventilatory-threshold heart rates. */
export interface TrimpLuciaStreamArgs extends StreamOptions {
  /** Heart-rate stream, beats/min. */
  readonly hr: Stream
  /** Heart rate at the first ventilatory threshold, beats/min; without it the result is `null`. */
  readonly vt1Hr?: number | undefined
  /** Heart rate at the second ventilatory threshold, beats/min, above vt1Hr. */
  readonly vt2Hr?: number | undefined
}

/** Arguments of `load.trimpLucia`. */
export type TrimpLuciaArgs = TrimpLuciaMinutesArgs | TrimpLuciaStreamArgs

/**
 * Computes Lucia's TRIMP: minutes below VT1 × 1 + between VT1 and VT2 × 2 + above VT2 × 3
 * (spec §3.9). From minutes per band, or from an `hr` stream with `vt1Hr` and `vt2Hr` (a heart rate
 * equal to a threshold belongs to the higher band). Without both thresholds, or without a valid
 * sample, the result is `null`: percentages of HRmax are no stand-in for measured thresholds.
 * Source: Lucia A. et al. (2003) *Med Sci Sports Exerc* 35:872–878.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for negative minutes, thresholds outside
 *   20–250 or vt1Hr ≥ vt2Hr.
 */
export function trimpLucia(args: TrimpLuciaMinutesArgs): number
export function trimpLucia(args: TrimpLuciaStreamArgs): number | null
export function trimpLucia(args: TrimpLuciaArgs): number | null
export function trimpLucia(args: TrimpLuciaArgs): number | null {
  checkObject(args, 'args')
  if (!('hr' in args)) {
    const below = checkNumber(args.minutesBelowVt1, 'minutesBelowVt1', durationMinRange)
    const between = checkNumber(args.minutesVt1ToVt2, 'minutesVt1ToVt2', durationMinRange)
    const above = checkNumber(args.minutesAboveVt2, 'minutesAboveVt2', durationMinRange)
    return below + 2 * between + 3 * above
  }
  const hr = checkStream(args.hr, 'hr')
  const intervalSec = checkIntervalSec(args.intervalSec)
  if (args.vt1Hr === undefined || args.vt2Hr === undefined) return null
  const vt1Hr = checkNumber(args.vt1Hr, 'vt1Hr', heartRateRange)
  const vt2Hr = checkNumber(args.vt2Hr, 'vt2Hr', heartRateRange)
  if (!(vt1Hr < vt2Hr)) throw invalidInput('vt1Hr', `less than vt2Hr (${vt2Hr})`, args.vt1Hr)
  const starts = [vt1Hr, vt2Hr]
  return weightedStreamMinutes(hr, intervalSec, (sample) => bucketOf(sample, starts) + 1)
}

/** Arguments of `load.sessionRpe`. */
export interface SessionRpeArgs {
  /** Session rating of perceived exertion on Borg's CR-10 scale, 0–10. */
  readonly rpe: number
  /** Session duration, min, ≥ 0. */
  readonly durationMin: number
}

/**
 * Computes session-RPE load, arbitrary units: `rpe × durationMin` with RPE on Borg's CR-10 scale
 * (spec §3.9). Source: Foster C. et al. (2001) *J Strength Cond Res* 15:109–115.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when rpe is outside 0–10 or durationMin < 0.
 */
export function sessionRpe(args: SessionRpeArgs): number {
  checkObject(args, 'args')
  const rpe = checkNumber(args.rpe, 'rpe', { min: 0, max: 10 })
  const durationMin = checkNumber(args.durationMin, 'durationMin', durationMinRange)
  return checkFiniteResult(rpe * durationMin, 'durationMin', durationMin)
}
