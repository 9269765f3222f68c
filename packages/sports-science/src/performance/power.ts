import { thresholdPowerRange } from '../internal/ranges.js'
import {
  checkIntervalSec,
  checkStream,
  optionalSample,
  powerSample,
  resumEvery,
  type Stream,
  toPowerArray,
} from '../internal/stream.js'
import {
  checkFiniteResult,
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  type NumberRange,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import type { StreamOptions } from '../streams.js'

const effortPowerRange: NumberRange = { min: 0, minExclusive: true, max: 2500, unit: 'W' }
const effortDurationRange: NumberRange = {
  min: 0,
  minExclusive: true,
  max: 86_400,
  unit: 's',
}

/** A maximal effort: the best mean power held for a duration. */
export interface CriticalPowerEffort {
  /** Duration, s, > 0. */
  readonly durationSec: number
  /** Mean power over the effort, W, > 0 and ≤ 2500. */
  readonly power: number
}

/** Regression used to fit critical power. */
export type CriticalPowerModel = 'work-time' | 'inverse-time'

const criticalPowerModels = [
  'work-time',
  'inverse-time',
] as const satisfies readonly CriticalPowerModel[]

/** Options of `performance.criticalPower`. */
export interface CriticalPowerOptions {
  /** `work-time` (default): W = CP·t + W′. `inverse-time`: P = CP + W′/t. */
  readonly model?: CriticalPowerModel | undefined
}

/** Why a critical-power fit deserves caution. */
export type CriticalPowerWarning =
  | 'effortShorterThan120s'
  | 'effortLongerThan1200s'
  | 'durationsCloserThan1.5x'
  | 'cpNotPositive'
  | 'wPrimeNotPositive'
  | 'cpNotBelowEffortPower'

/** Result of `performance.criticalPower`. */
export interface CriticalPowerFit {
  /** Critical power, W. */
  readonly cp: number
  /** W′, the work capacity above CP, J. */
  readonly wPrime: number
  /** Coefficient of determination of the regression (1 for two efforts). */
  readonly r2: number
  /** Number of efforts fitted. */
  readonly n: number
  /** False when CP ≤ 0, W′ ≤ 0 or CP ≥ the lowest effort power: the fit is degenerate. */
  readonly valid: boolean
  /** Cautions, in a fixed order. */
  readonly warnings: CriticalPowerWarning[]
  /** The regression used. */
  readonly model: CriticalPowerModel
}

function checkEfforts(efforts: readonly CriticalPowerEffort[]): CriticalPowerEffort[] {
  if (!Array.isArray(efforts)) {
    throw invalidInput('efforts', 'an array of { durationSec, power }', efforts)
  }
  return efforts.map((effort: CriticalPowerEffort, index) => {
    checkObject(effort, `efforts[${index}]`)
    return {
      durationSec: checkNumber(
        effort.durationSec,
        `efforts[${index}].durationSec`,
        effortDurationRange,
      ),
      power: checkNumber(effort.power, `efforts[${index}].power`, effortPowerRange),
    }
  })
}

/**
 * Fits the two-parameter critical-power model to maximal efforts (spec §4.6). `work-time`
 * (default): least squares of work `W_i = P_i·t_i` on `t_i`, CP = slope, W′ = intercept.
 * `inverse-time`: least squares of `P_i` on `1/t_i`, CP = intercept, W′ = slope. With two efforts
 * both give `CP = (P₂t₂ − P₁t₁)/(t₂ − t₁)`, `W′ = t₁t₂(P₁ − P₂)/(t₂ − t₁)`. `null` with fewer than
 * two distinct durations.
 *
 * Warnings: an effort under 120 s or over 1200 s (Hill D.W. 1993 *Sports Med* 16:237–254
 * recommends roughly 2–15 min trials), two durations closer than ×1.5; `valid` is false when
 * CP ≤ 0, W′ ≤ 0 or CP ≥ the lowest effort power. Sources: Monod H. & Scherrer J. (1965)
 * *Ergonomics* 8:329–338; Moritani T. et al. (1981) *Ergonomics* 24:339–350.
 *
 * @example
 * ```ts
 * performance.criticalPower([{ durationSec: 180, power: 400 }, { durationSec: 720, power: 300 }])
 * // { cp: 266.67, wPrime: 24000, r2: 1, n: 2, valid: true, warnings: [], model: 'work-time' }
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a duration ≤ 0, a power outside
 *   (0, 2500] W or an unknown model.
 */
export function criticalPower(
  efforts: readonly CriticalPowerEffort[],
  options?: CriticalPowerOptions,
): CriticalPowerFit | null {
  const checked = checkEfforts(efforts)
  const model = checkOneOf(
    withDefault(optionsOrEmpty(options).model, 'work-time'),
    'model',
    criticalPowerModels,
  )
  const durations = [...new Set(checked.map(({ durationSec }) => durationSec))].sort(
    (a, b) => a - b,
  )
  if (durations.length < 2) return null
  const points = checked.map(({ durationSec, power }) =>
    model === 'work-time'
      ? { x: durationSec, y: power * durationSec }
      : { x: 1 / durationSec, y: power },
  )
  const { slope, intercept, r2 } = leastSquares(points)
  const cp = model === 'work-time' ? slope : intercept
  const wPrime = model === 'work-time' ? intercept : slope
  const lowestPower = Math.min(...checked.map(({ power }) => power))
  const warnings: CriticalPowerWarning[] = []
  if ((durations[0] as number) < 120) warnings.push('effortShorterThan120s')
  if ((durations.at(-1) as number) > 1200) warnings.push('effortLongerThan1200s')
  if (
    durations.some(
      (duration, index) => index > 0 && duration < 1.5 * (durations[index - 1] as number),
    )
  ) {
    warnings.push('durationsCloserThan1.5x')
  }
  if (!(cp > 0)) warnings.push('cpNotPositive')
  if (!(wPrime > 0)) warnings.push('wPrimeNotPositive')
  if (cp > 0 && cp >= lowestPower) warnings.push('cpNotBelowEffortPower')
  return {
    cp,
    wPrime,
    r2,
    n: checked.length,
    valid: cp > 0 && wPrime > 0 && cp < lowestPower,
    warnings,
    model,
  }
}

/** Ordinary least squares on centred sums (two passes, stable for large x). */
function leastSquares(points: readonly { x: number; y: number }[]): {
  slope: number
  intercept: number
  r2: number
} {
  const n = points.length
  const meanX = points.reduce((sum, { x }) => sum + x, 0) / n
  const meanY = points.reduce((sum, { y }) => sum + y, 0) / n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (const { x, y } of points) {
    sxx += (x - meanX) ** 2
    sxy += (x - meanX) * (y - meanY)
    syy += (y - meanY) ** 2
  }
  const slope = sxy / sxx
  const intercept = meanY - slope * meanX
  let residual = 0
  for (const { x, y } of points) residual += (y - intercept - slope * x) ** 2
  const r2 = syy === 0 ? 1 : Math.min(1, Math.max(0, 1 - residual / syy))
  return { slope, intercept, r2 }
}

/** Field-test protocols of `performance.ftpFromTest`. */
export type FtpTestProtocol = '60min' | '20min' | '8min' | 'ramp' | 'powerCurve' | 'cp' | 'vo2max'

/** `ftpFromTest` from one power value (best mean power over the protocol's duration). */
export interface FtpFromPowerArgs {
  /**
   * `60min`: best 60-min power. `20min`: best 20-min power. `8min`: best 8-min power. `ramp`: best
   * 1-min power of a 1-min-step ramp. `powerCurve`: the 20-min value of a mean-maximal power curve.
   */
  readonly protocol: '60min' | '20min' | '8min' | 'ramp' | 'powerCurve'
  /** The protocol's power, W, > 0 and ≤ 2500. */
  readonly power: number
}

/** `ftpFromTest` from maximal efforts through critical power. */
export interface FtpFromEffortsArgs {
  readonly protocol: 'cp'
  /** At least two maximal efforts of distinct durations (ideally 2–15 min). */
  readonly efforts: readonly CriticalPowerEffort[]
}

/** `ftpFromTest` from VO2max and body mass (low confidence). */
export interface FtpFromVo2maxArgs {
  readonly protocol: 'vo2max'
  /** VO2max, ml·kg⁻¹·min⁻¹, 10–95. */
  readonly vo2max: number
  /** Body mass, kg, 20–300. */
  readonly massKg: number
  /** Fraction of VO2max power sustained for an hour, 0.5–0.95; default 0.75. */
  readonly fraction?: number | undefined
}

/** Arguments of `performance.ftpFromTest`. */
export type FtpFromTestArgs = FtpFromPowerArgs | FtpFromEffortsArgs | FtpFromVo2maxArgs

const ftpProtocols = [
  '60min',
  '20min',
  '8min',
  'ramp',
  'powerCurve',
  'cp',
  'vo2max',
] as const satisfies readonly FtpTestProtocol[]

const powerFactors = { '60min': 1, '20min': 0.95, '8min': 0.9, ramp: 0.75, powerCurve: 0.95 }

/**
 * Estimates functional threshold power, W, from a field test (spec §4.5):
 *
 * | protocol | FTP | source |
 * | --- | --- | --- |
 * | `60min` | best 60-min power | definition (Allen & Coggan 2010) |
 * | `20min` | 0.95 × best 20-min power | Allen H. & Coggan A. (2010) |
 * | `8min` | 0.90 × best 8-min power | Carmichael Training Systems field test |
 * | `ramp` | 0.75 × best 1-min power | TrainerRoad / Zwift convention |
 * | `powerCurve` | 0.95 × 20-min mean-maximal power | as `20min` |
 * | `cp` | critical power of the efforts (sits a few % above 1-h power) | Monod & Scherrer (1965) |
 * | `vo2max` | fraction × (vo2max − 7) × massKg / 10.8 — low confidence | ACSM leg-ergometry equation |
 *
 * @example
 * ```ts
 * performance.ftpFromTest({ protocol: '20min', power: 300 }) // 285
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` for an unknown protocol, a power outside
 *   (0, 2500] W, efforts without a valid critical-power fit, or vo2max/massKg out of range.
 */
export function ftpFromTest(args: FtpFromTestArgs): number {
  checkObject(args, 'args')
  const protocol = checkOneOf(args.protocol, 'protocol', ftpProtocols)
  switch (args.protocol) {
    case 'cp': {
      const fit = criticalPower(args.efforts)
      if (fit === null || !fit.valid) {
        throw invalidInput(
          'efforts',
          'maximal efforts of at least two durations giving a valid critical-power fit',
          args.efforts,
        )
      }
      return fit.cp
    }
    case 'vo2max': {
      const vo2max = checkNumber(args.vo2max, 'vo2max', { min: 10, max: 95, unit: 'ml/kg/min' })
      const massKg = checkNumber(args.massKg, 'massKg', { min: 20, max: 300, unit: 'kg' })
      const fraction = checkNumber(withDefault(args.fraction, 0.75), 'fraction', {
        min: 0.5,
        max: 0.95,
      })
      return (fraction * (vo2max - 7) * massKg) / 10.8
    }
    default: {
      const power = checkNumber(args.power, 'power', effortPowerRange)
      return powerFactors[protocol as keyof typeof powerFactors] * power
    }
  }
}

/** The standard mean-maximal durations, s: 1 s … 60 min. */
const standardDurationsSec = [1, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const

/** One point of a mean-maximal power curve. */
export interface MeanMaximalPowerPoint {
  /** Duration, s. */
  readonly durationSec: number
  /** Best mean power over any window of that duration, W; `null` when the ride is shorter. */
  readonly power: number | null
  /** Index of the first sample of that best window; `null` with power. */
  readonly startIndex: number | null
}

function checkDurations(durationsSec: readonly number[], intervalSec: number): number[] {
  if (!Array.isArray(durationsSec)) {
    throw invalidInput('durationsSec', 'an array of durations > 0 (s)', durationsSec)
  }
  return durationsSec.map((duration, index) => {
    const seconds = checkNumber(duration, `durationsSec[${index}]`, effortDurationRange)
    return Math.max(1, Math.round(seconds / intervalSec))
  })
}

/**
 * Best window mean of `values` for a window of `window` samples, with its start; O(n) with a
 * running sum re-summed every 65 536 samples.
 */
function bestWindow(values: Float64Array, window: number): { mean: number; start: number } | null {
  const length = values.length
  if (length < window) return null
  let sum = 0
  for (let index = 0; index < window; index++) sum += values[index] as number
  let best = sum
  let bestEnd = window - 1
  for (let blockStart = window; blockStart < length; blockStart += resumEvery) {
    const blockEnd = Math.min(blockStart + resumEvery, length)
    if (blockStart > window) {
      sum = 0
      for (let index = blockStart - window; index < blockStart; index++)
        sum += values[index] as number
    }
    for (let index = blockStart; index < blockEnd; index++) {
      sum += (values[index] as number) - (values[index - window] as number)
      if (sum > best) {
        best = sum
        bestEnd = index
      }
    }
  }
  return { mean: best / window, start: bestEnd - window + 1 }
}

/**
 * Computes the mean-maximal power curve: for each duration, the best mean power over any window of
 * that length, W (spec §4.8). Missing samples count as 0 W. A window holds
 * `max(1, round(durationSec / intervalSec))` samples; durations longer than the ride give `null`.
 * O(n) per duration (running sums). Source: the mean-maximal power curve of GoldenCheetah and
 * WKO; Allen H. & Coggan A. (2010).
 *
 * @param power - power stream, W.
 * @param durationsSec - durations, s; default 1, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative sample, a duration ≤ 0 or
 *   `intervalSec` ≤ 0.
 */
export function meanMaximalPower(
  power: Stream,
  durationsSec: readonly number[] = standardDurationsSec,
  options?: StreamOptions,
): MeanMaximalPowerPoint[] {
  checkStream(power, 'power')
  const intervalSec = checkIntervalSec(optionsOrEmpty(options).intervalSec)
  const windows = checkDurations(durationsSec, intervalSec)
  const values = toPowerArray(power, 'power')
  return windows.map((window, index) => {
    const best = bestWindow(values, window)
    return {
      durationSec: durationsSec[index] as number,
      power: best === null ? null : best.mean,
      startIndex: best === null ? null : best.start,
    }
  })
}

/** One point of a mean-maximal speed (pace) curve. */
export interface MeanMaximalPacePoint {
  /** Duration, s. */
  readonly durationSec: number
  /** Best mean speed over any window of that duration, m/s; `null` when the run is shorter. */
  readonly speedMps: number | null
  /** The same as a pace, s/km; `null` when the speed is `null` or 0. */
  readonly paceSecPerKm: number | null
  /** Index of the first sample of that best window; `null` with speed. */
  readonly startIndex: number | null
}

/**
 * Computes the mean-maximal pace curve: for each duration, the best mean speed over any window of
 * that length, m/s, and its pace, s/km (spec §14). Inside a window a missing speed sample counts as
 * standing still, so a recording gap can never make a best effort faster. O(n) per duration.
 * Source: the mean-maximal curves of GoldenCheetah and intervals.icu, applied to speed.
 *
 * @param speed - speed stream, m/s.
 * @param durationsSec - durations, s; default as `meanMaximalPower`.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative sample, a duration ≤ 0 or
 *   `intervalSec` ≤ 0.
 */
export function meanMaximalPace(
  speed: Stream,
  durationsSec: readonly number[] = standardDurationsSec,
  options?: StreamOptions,
): MeanMaximalPacePoint[] {
  checkStream(speed, 'speed')
  const intervalSec = checkIntervalSec(optionsOrEmpty(options).intervalSec)
  const windows = checkDurations(durationsSec, intervalSec)
  const values = new Float64Array(speed.length)
  for (let index = 0; index < speed.length; index++) {
    const sample = optionalSample(speed, index, 'speed')
    values[index] = Number.isNaN(sample) ? 0 : sample
  }
  return windows.map((window, index) => {
    const best = bestWindow(values, window)
    const speedMps = best === null ? null : best.mean
    return {
      durationSec: durationsSec[index] as number,
      speedMps,
      paceSecPerKm: speedMps === null || speedMps === 0 ? null : 1000 / speedMps,
      startIndex: best === null ? null : best.start,
    }
  })
}

/** Options of `performance.criticalPowerFromPowerCurve`. */
export interface CriticalPowerFromCurveOptions extends StreamOptions {
  /** Curve durations fitted, s; default 180, 300, 600, 1200 (within Hill's 2–15+ min range). */
  readonly durationsSec?: readonly number[] | undefined
  /** Regression; default `work-time`. */
  readonly model?: CriticalPowerModel | undefined
}

/** Result of `performance.criticalPowerFromPowerCurve`. */
export interface CriticalPowerFromCurve extends CriticalPowerFit {
  /** The mean-maximal efforts fitted. */
  readonly efforts: CriticalPowerEffort[]
  /** Estimated FTP: the model's 60-min power CP + W′/3600, W; `null` when the fit is invalid. */
  readonly eftp: number | null
}

/**
 * Fits critical power and W′ to a ride's mean-maximal power curve and derives an FTP estimate
 * (eFTP) as the model's one-hour power, `CP + W′/3600` (spec §14). The curve's points are only as
 * maximal as the efforts in the ride, so the estimate is a lower bound unless the ride held true
 * maximal efforts. `null` when fewer than two durations fit inside the ride or a curve value is 0.
 * Sources: Monod H. & Scherrer J. (1965); mean-maximal curve as in {@link meanMaximalPower};
 * eFTP as in GoldenCheetah / intervals.icu.
 *
 * @param power - power stream, W.
 * @throws {@link SportsScienceError} `INVALID_INPUT` as {@link meanMaximalPower} and
 *   {@link criticalPower}.
 */
export function criticalPowerFromPowerCurve(
  power: Stream,
  options?: CriticalPowerFromCurveOptions,
): CriticalPowerFromCurve | null {
  const opts = optionsOrEmpty(options)
  const durations = withDefault(opts.durationsSec, [180, 300, 600, 1200])
  const curve = meanMaximalPower(power, durations, { intervalSec: opts.intervalSec })
  const efforts = curve.flatMap(({ durationSec, power: best }) =>
    best === null || best === 0 ? [] : [{ durationSec, power: Math.min(best, 2500) }],
  )
  const fit = criticalPower(efforts, { model: opts.model })
  if (fit === null) return null
  return { ...fit, efforts, eftp: fit.valid ? fit.cp + fit.wPrime / 3600 : null }
}

/** W′ balance model. */
export type WPrimeBalanceModel = 'differential' | 'integral'

const wPrimeModels = ['differential', 'integral'] as const satisfies readonly WPrimeBalanceModel[]

/** Options of `performance.wPrimeBalance`. */
export interface WPrimeBalanceOptions extends StreamOptions {
  /** Critical power, W, > 0 and ≤ 2500. */
  readonly cp: number
  /** W′, J, > 0 and ≤ 100 000. */
  readonly wPrime: number
  /** Default `differential`. */
  readonly model?: WPrimeBalanceModel | undefined
  /** `integral` only: recovery time constant, s, > 0; default from Skiba's formula. */
  readonly tau?: number | undefined
}

/** Result of `performance.wPrimeBalance`. */
export interface WPrimeBalance {
  /** W′ remaining after each sample, J (not clamped). */
  readonly balance: number[]
  /** Lowest balance, J. */
  readonly minimum: number
  /** Index of the lowest balance (the first one on ties). */
  readonly minimumIndex: number
  /** Balance after the last sample, J. */
  readonly final: number
  /** `integral`: the recovery time constant used, s; `null` for `differential`. */
  readonly tau: number | null
  /** `negativeBalance` when W′ went below 0: CP or W′ is set too low. */
  readonly warnings: 'negativeBalance'[]
}

/**
 * Computes W′ balance over a ride, J, one value per sample (spec §4.7); missing power is 0 W;
 * `null` for an empty stream.
 *
 * - `differential` (default; Clarke D.C. & Skiba P.F. 2013 *Adv Physiol Educ* 37:134–152; Skiba
 *   P.F. et al. 2015 *Eur J Appl Physiol* 115:703–713): W₀ = W′; P ≥ CP: W ← W − (P − CP)·Δt;
 *   P < CP: W ← W′ − (W′ − W)·e^(−(CP − P)·Δt/W′).
 * - `integral` (Skiba P.F. et al. 2012 *Med Sci Sports Exerc* 44:1526–1532): τ = 546·e^(−0.01·D_CP)
 *   + 316 s with D_CP = CP − mean of the sub-CP samples (CP when there are none), unless `tau` is
 *   given; `S_i = S_{i−1}·e^(−Δt/τ) + max(0, P_i − CP)·Δt`, balance = W′ − S_i (the O(n) recursive
 *   form of the published double sum).
 *
 * No clamping: a negative balance is reported with a `negativeBalance` warning.
 *
 * @param power - power stream, W.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative sample, CP or W′ out of range,
 *   tau ≤ 0 or an unknown model.
 */
export function wPrimeBalance(power: Stream, options: WPrimeBalanceOptions): WPrimeBalance | null {
  checkStream(power, 'power')
  const opts = checkObject(options, 'options')
  const cp = checkNumber(opts.cp, 'cp', thresholdPowerRange)
  const wPrime = checkNumber(opts.wPrime, 'wPrime', {
    min: 0,
    minExclusive: true,
    max: 100_000,
    unit: 'J',
  })
  const intervalSec = checkIntervalSec(opts.intervalSec)
  const model = checkOneOf(withDefault(opts.model, 'differential'), 'model', wPrimeModels)
  const tauOption =
    opts.tau === undefined
      ? undefined
      : checkNumber(opts.tau, 'tau', { min: 0, minExclusive: true, max: 86_400, unit: 's' })
  const length = power.length
  if (length === 0) return null
  const balance = new Array<number>(length)
  let tau: number | null = null
  if (model === 'differential') {
    differentialBalance(power, { cp, wPrime, intervalSec }, balance)
  } else {
    tau = tauOption ?? skibaTau(power, cp)
    integralBalance(power, { cp, wPrime, intervalSec, tau }, balance)
  }
  let minimum = balance[0] as number
  let minimumIndex = 0
  for (let index = 1; index < length; index++) {
    if ((balance[index] as number) < minimum) {
      minimum = balance[index] as number
      minimumIndex = index
    }
  }
  checkFiniteResult(minimum, 'power', power)
  return {
    balance,
    minimum,
    minimumIndex,
    final: balance[length - 1] as number,
    tau,
    warnings: minimum < 0 ? ['negativeBalance'] : [],
  }
}

interface BalanceParameters {
  readonly cp: number
  readonly wPrime: number
  readonly intervalSec: number
}

function differentialBalance(power: Stream, parameters: BalanceParameters, out: number[]): void {
  const { cp, wPrime, intervalSec } = parameters
  const rate = intervalSec / wPrime
  let balance = wPrime
  let lastPower = Number.NaN
  let lastFactor = 1
  for (let index = 0; index < power.length; index++) {
    const sample = powerSample(power, index, 'power')
    if (sample >= cp) {
      balance -= (sample - cp) * intervalSec
    } else {
      // Consecutive equal samples (steady riding, coasting) reuse the exponential.
      if (sample !== lastPower) {
        lastPower = sample
        lastFactor = Math.exp(-(cp - sample) * rate)
      }
      balance = wPrime - (wPrime - balance) * lastFactor
    }
    out[index] = balance
  }
}

/** Skiba (2012): τ = 546·e^(−0.01·D_CP) + 316 s, D_CP = CP − mean of the sub-CP samples. */
function skibaTau(power: Stream, cp: number): number {
  let total = 0
  let count = 0
  for (let index = 0; index < power.length; index++) {
    const sample = powerSample(power, index, 'power')
    if (sample < cp) {
      total += sample
      count++
    }
  }
  const belowCp = count === 0 ? cp : cp - total / count
  return 546 * Math.exp(-0.01 * belowCp) + 316
}

function integralBalance(
  power: Stream,
  parameters: BalanceParameters & { readonly tau: number },
  out: number[],
): void {
  const { cp, wPrime, intervalSec, tau } = parameters
  const decay = Math.exp(-intervalSec / tau)
  let spent = 0
  for (let index = 0; index < power.length; index++) {
    const sample = powerSample(power, index, 'power')
    spent = spent * decay + (sample > cp ? (sample - cp) * intervalSec : 0)
    out[index] = wPrime - spent
  }
}
