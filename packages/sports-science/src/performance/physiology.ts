import { heartRateRange } from '../internal/ranges.js'
import {
  checkIntervalSec,
  checkStream,
  heartRateSample,
  optionalSample,
  powerSample,
  type Stream,
} from '../internal/stream.js'
import {
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  type NumberRange,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import type { StreamOptions } from '../streams.js'
import { type Sex, sexes } from '../types.js'

/** Age-predicted maximum heart-rate equation. */
export type MaxHrMethod = 'tanaka' | 'fox' | 'nes' | 'gellish' | 'gulati'

const maxHrMethods = [
  'tanaka',
  'fox',
  'nes',
  'gellish',
  'gulati',
] as const satisfies readonly MaxHrMethod[]

const maxHrEquations: Readonly<Record<MaxHrMethod, readonly [number, number]>> = {
  tanaka: [208, 0.7],
  fox: [220, 1],
  nes: [211, 0.64],
  gellish: [207, 0.7],
  gulati: [206, 0.88],
}

/** Options of `performance.maxHr`. */
export interface MaxHrOptions {
  /** Default `tanaka`. */
  readonly method?: MaxHrMethod | undefined
}

/** Result of `performance.maxHrDetails`. */
export interface MaxHrDetails {
  /** Predicted maximum heart rate, beats/min. */
  readonly maxHr: number
  /** Equation used. */
  readonly method: MaxHrMethod
  /** True outside ages 18–80, beyond the equations' samples. */
  readonly extrapolated: boolean
}

const ageRange: NumberRange = { min: 0, minExclusive: true, max: 120, unit: 'years' }

/**
 * Predicts maximum heart rate from age with its method and an `extrapolated` flag (ages outside
 * 18–80). Equations as in {@link maxHr}; spec §4.9.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` as {@link maxHr}.
 */
export function maxHrDetails(age: number, options?: MaxHrOptions): MaxHrDetails {
  const years = checkNumber(age, 'age', ageRange)
  const method = checkOneOf(
    withDefault(optionsOrEmpty(options).method, 'tanaka'),
    'method',
    maxHrMethods,
  )
  const [intercept, slope] = maxHrEquations[method]
  return { maxHr: intercept - slope * years, method, extrapolated: years < 18 || years > 80 }
}

/**
 * Predicts maximum heart rate, beats/min, from age in years (spec §4.9), unclamped; every equation
 * carries about ±10 bpm individual error, so a measured maximum always wins:
 *
 * | method | formula | source |
 * | --- | --- | --- |
 * | `tanaka` (default) | 208 − 0.7·age | Tanaka H. et al. (2001) *J Am Coll Cardiol* 37:153–156 |
 * | `fox` | 220 − age | Fox S.M. et al. (1971) *Ann Clin Res* 3:404–432 |
 * | `nes` | 211 − 0.64·age | Nes B.M. et al. (2013) *Scand J Med Sci Sports* 23:697–704 |
 * | `gellish` | 207 − 0.7·age | Gellish R.L. et al. (2007) *Med Sci Sports Exerc* 39:822–829 |
 * | `gulati` | 206 − 0.88·age (derived in women) | Gulati M. et al. (2010) *Circulation* 122:130–137 |
 *
 * @param age - years, > 0 and ≤ 120.
 * @example
 * ```ts
 * performance.maxHr(40) // 180
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when age is outside (0, 120] or the method is
 *   unknown.
 */
export function maxHr(age: number, options?: MaxHrOptions): number {
  return maxHrDetails(age, options).maxHr
}

const vdotRange: NumberRange = { min: 20, max: 90 }

/**
 * Returns VDOT as a VO2max estimate, ml·kg⁻¹·min⁻¹: VDOT is already in those units (a
 * running-specific pseudo-VO2max), so the value passes through (spec §4.10). Source: Daniels J.
 * (2014) *Daniels' Running Formula*.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when vdot is outside 20–90.
 */
function fromVdot(vdot: number): number {
  return checkNumber(vdot, 'vdot', vdotRange)
}

/**
 * Estimates VO2max, ml·kg⁻¹·min⁻¹, from the distance run in Cooper's 12-minute test:
 * `(distanceM − 504.9) / 44.73` (spec §4.10; validated for 1000–5000 m). Source: Cooper K.H. (1968)
 * *JAMA* 203:201–204.
 *
 * @param distanceM - metres covered in 12 min, above 504.9 (a positive estimate) and ≤ 6000.
 * @throws {@link SportsScienceError} `INVALID_INPUT` outside (504.9, 6000] m.
 */
function cooper(distanceM: number): number {
  const distance = checkNumber(distanceM, 'distanceM', {
    min: 504.9,
    minExclusive: true,
    max: 6000,
    unit: 'm',
  })
  return (distance - 504.9) / 44.73
}

/** Arguments of `performance.vo2max.rockport`. */
export interface RockportArgs {
  /** Body mass, kg, 20–300 (the equation uses pounds: kg / 0.45359237). */
  readonly weightKg: number
  /** Age, years, 10–120 (validated for 30–69). */
  readonly ageYears: number
  readonly sex: Sex
  /** Time to walk one mile, s, 180–7200. */
  readonly timeSec: number
  /** Heart rate at the end of the walk, beats/min, 20–250. */
  readonly hr: number
}

/**
 * Estimates VO2max, ml·kg⁻¹·min⁻¹, from the Rockport one-mile walk (spec §4.10):
 * `132.853 − 0.0769·W_lb − 0.3877·age + 6.315·(male ? 1 : 0) − 3.2649·t_min − 0.1565·HR` with
 * W_lb = weightKg / 0.45359237 and t_min the walk time in minutes. Validated in adults 30–69.
 * Source: Kline G.M. et al. (1987) *Med Sci Sports Exerc* 19:253–259.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a value out of range or inputs that give an
 *   estimate ≤ 0.
 */
function rockport(args: RockportArgs): number {
  checkObject(args, 'args')
  const weightKg = checkNumber(args.weightKg, 'weightKg', { min: 20, max: 300, unit: 'kg' })
  const ageYears = checkNumber(args.ageYears, 'ageYears', { min: 10, max: 120, unit: 'years' })
  const sex = checkOneOf(args.sex, 'sex', sexes)
  const timeSec = checkNumber(args.timeSec, 'timeSec', { min: 180, max: 7200, unit: 's' })
  const hr = checkNumber(args.hr, 'hr', heartRateRange)
  const weightLb = weightKg / 0.45359237
  const estimate =
    132.853 -
    0.0769 * weightLb -
    0.3877 * ageYears +
    (sex === 'male' ? 6.315 : 0) -
    3.2649 * (timeSec / 60) -
    0.1565 * hr
  if (!(estimate > 0)) {
    throw invalidInput(
      'timeSec',
      'a walk time that, with the other inputs, gives a VO2max > 0',
      timeSec,
    )
  }
  return estimate
}

/**
 * Estimates VO2max, ml·kg⁻¹·min⁻¹, from the heart-rate ratio: `15.3 × maxHr / restingHr`
 * (spec §4.10; derived in trained men aged 21–51). Source: Uth N. et al. (2004) *Eur J Appl
 * Physiol* 91:111–115.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a heart rate is outside 20–250 or
 *   restingHr ≥ maxHr.
 */
function uth(maxHr: number, restingHr: number): number {
  const max = checkNumber(maxHr, 'maxHr', heartRateRange)
  const rest = checkNumber(restingHr, 'restingHr', heartRateRange)
  if (!(rest < max)) throw invalidInput('restingHr', `less than maxHr (${max})`, restingHr)
  return (15.3 * max) / rest
}

/**
 * VO2max estimates, ml·kg⁻¹·min⁻¹ (spec §4.10): `fromVdot` (Daniels 2014), `cooper` (Cooper 1968),
 * `rockport` (Kline et al. 1987), `uth` (Uth et al. 2004). Results are not clamped.
 */
export const vo2max = { fromVdot, cooper, rockport, uth } as const

/**
 * Estimates lactate-threshold heart rate with Friel's 30-minute test: the mean of the valid heart
 * rates recorded from minute 10 to minute 30 (600 s ≤ t < 1800 s) of a 30-min solo time trial;
 * `null` with less than 1800 s of data or no valid sample in that span (spec §4.11). Source: Friel J.
 * (2009) *The Cyclist's Training Bible*, 4th ed.
 *
 * @param hr - heart-rate stream, beats/min, starting with the test.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a sample outside 0–250 or `intervalSec`
 *   ≤ 0.
 */
function friel30(hr: Stream, options?: StreamOptions): number | null {
  checkStream(hr, 'hr')
  const intervalSec = checkIntervalSec(optionsOrEmpty(options).intervalSec)
  let total = 0
  let count = 0
  for (let index = 0; index < hr.length; index++) {
    const sample = heartRateSample(hr, index, 'hr')
    const time = index * intervalSec
    if (Number.isNaN(sample) || time < 600 || time >= 1800) continue
    total += sample
    count++
  }
  return hr.length * intervalSec < 1800 || count === 0 ? null : total / count
}

/**
 * Estimates LTHR as the average heart rate of a race lasting about an hour (spec §4.11); the value
 * passes through after validation. Source: Friel J. (2009).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when avgHr is outside 20–250.
 */
function fromRace(avgHr: number): number {
  return checkNumber(avgHr, 'avgHr', heartRateRange)
}

/**
 * Estimates LTHR as a fraction of maximum heart rate, default 0.88 — low confidence: LT commonly
 * lies at 85–92 % of HRmax in trained athletes (spec §4.11).
 *
 * @param fraction - 0.7–1; default 0.88.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when maxHr is outside 20–250 or the fraction
 *   outside 0.7–1.
 */
function fromMaxHr(maxHr: number, fraction = 0.88): number {
  const max = checkNumber(maxHr, 'maxHr', heartRateRange)
  return max * checkNumber(fraction, 'fraction', { min: 0.7, max: 1 })
}

/** Lactate-threshold heart-rate estimates, beats/min (spec §4.11). */
export const lthr = { friel30, fromRace, fromMaxHr } as const

/** Arguments of `performance.efficiencyFactor`: average HR and one normalised output. */
export type EfficiencyFactorArgs =
  | { readonly avgHr: number; readonly normalizedPower: number }
  | { readonly avgHr: number; readonly normalizedSpeedMps: number }

/**
 * Computes the efficiency factor (spec §4.12): cycling `normalizedPower / avgHr` (W per beat/min) or
 * running `NGS / avgHr` with NGS in m/min (m·min⁻¹ per beat/min). A rising EF at the same effort
 * indicates improving aerobic fitness. Source: Friel J.; Allen H. & Coggan A. (2010).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when avgHr is outside 20–250 or the output is
 *   negative or missing.
 */
export function efficiencyFactor(args: EfficiencyFactorArgs): number {
  checkObject(args, 'args')
  const avgHr = checkNumber(args.avgHr, 'avgHr', heartRateRange)
  if ('normalizedPower' in args) {
    return (
      checkNumber(args.normalizedPower, 'normalizedPower', { min: 0, max: 2500, unit: 'W' }) / avgHr
    )
  }
  if (!('normalizedSpeedMps' in args)) {
    throw invalidInput('normalizedPower', 'a power ≥ 0 (W), or normalizedSpeedMps', undefined)
  }
  const speed = checkNumber(args.normalizedSpeedMps, 'normalizedSpeedMps', {
    min: 0,
    max: 15,
    unit: 'm/s',
  })
  return (speed * 60) / avgHr
}

/** Output stream kind of `performance.aerobicDecoupling`. */
export type DecouplingOutput = 'power' | 'speed'

const decouplingOutputs = ['power', 'speed'] as const satisfies readonly DecouplingOutput[]

/** Options of `performance.aerobicDecoupling`. */
export interface AerobicDecouplingOptions extends StreamOptions {
  /** `power` (default; missing = 0 W) or `speed` (missing samples skipped). */
  readonly output?: DecouplingOutput | undefined
}

/** Result of `performance.aerobicDecoupling`. */
export interface AerobicDecoupling {
  /** 100 × (R₁ − R₂) / R₁; positive = heart rate drifted up relative to output; < 5 % is good. */
  readonly decouplingPercent: number
  /** Output / HR in the first half. */
  readonly firstHalfRatio: number
  /** Output / HR in the second half. */
  readonly secondHalfRatio: number
}

/**
 * Computes aerobic decoupling (Pa:HR or Pace:HR), spec §4.12: split the samples at the midpoint;
 * in each half take the mean output and mean heart rate over samples with a valid heart rate
 * (> 0) and output; R = output / HR; `decoupling% = 100 × (R₁ − R₂) / R₁`. `null` with less than
 * 20 min of data or a half without a usable sample or with zero output. Sources: Friel J.;
 * GoldenCheetah `AerobicDecoupling.cpp`.
 *
 * @param output - power (W) or speed (m/s) stream.
 * @param hr - heart-rate stream, beats/min, the same length.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for streams of different lengths, an invalid
 *   sample, `intervalSec` ≤ 0 or an unknown output kind.
 */
export function aerobicDecoupling(
  output: Stream,
  hr: Stream,
  options?: AerobicDecouplingOptions,
): AerobicDecoupling | null {
  checkStream(output, 'output')
  checkStream(hr, 'hr')
  if (hr.length !== output.length) {
    throw invalidInput('hr', `a stream as long as output (${output.length} samples)`, hr)
  }
  const opts = optionsOrEmpty(options)
  const intervalSec = checkIntervalSec(opts.intervalSec)
  const kind = checkOneOf(withDefault(opts.output, 'power'), 'output', decouplingOutputs)
  const middle = Math.floor(output.length / 2)
  const first = halfRatio(output, hr, { start: 0, end: middle, kind })
  const second = halfRatio(output, hr, { start: middle, end: output.length, kind })
  if (output.length * intervalSec < 1200 || first === null || second === null || first === 0) {
    return null
  }
  return {
    decouplingPercent: (100 * (first - second)) / first,
    firstHalfRatio: first,
    secondHalfRatio: second,
  }
}

function halfRatio(
  output: Stream,
  hr: Stream,
  span: { start: number; end: number; kind: DecouplingOutput },
): number | null {
  let outputTotal = 0
  let hrTotal = 0
  let count = 0
  for (let index = span.start; index < span.end; index++) {
    const heartRate = heartRateSample(hr, index, 'hr')
    const value =
      span.kind === 'power'
        ? powerSample(output, index, 'output')
        : optionalSample(output, index, 'output')
    if (Number.isNaN(heartRate) || Number.isNaN(value)) continue
    outputTotal += value
    hrTotal += heartRate
    count++
  }
  return count === 0 ? null : outputTotal / hrTotal
}
