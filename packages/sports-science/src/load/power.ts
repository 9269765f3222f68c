import { thresholdPowerRange } from '../internal/ranges.js'
import {
  checkIntervalSec,
  checkStream,
  powerSample,
  resumEvery,
  type Stream,
  windowSamples,
} from '../internal/stream.js'
import {
  checkFiniteResult,
  checkNonNegative,
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import type { StreamOptions } from '../streams.js'

/**
 * How normalized power treats the first window: `strict` uses full windows only (Allen & Coggan;
 * TrainingPeaks); `zeroPad` counts samples before the start as 0 W and so yields one rolling mean per
 * sample (GoldenCheetah).
 */
export type NormalizedPowerWarmup = 'strict' | 'zeroPad'

const warmups = ['strict', 'zeroPad'] as const satisfies readonly NormalizedPowerWarmup[]

/** Options of `load.normalizedPower`. */
export interface NormalizedPowerOptions extends StreamOptions {
  /** Rolling-mean window, seconds, > 0; default 30. */
  readonly windowSec?: number | undefined
  /** Treatment of the first window; default `strict`. */
  readonly warmup?: NormalizedPowerWarmup | undefined
}

/**
 * Computes Normalized Power, W: the fourth root of the mean fourth power of the 30-s rolling mean
 * power (spec §3.2).
 *
 * With `w = max(1, round(windowSec / intervalSec))` samples per window and rolling means
 * `r_k = (1/w) Σ_{j=k−w+1..k} p_j`:
 * - `strict` (default): NP = (Σ_{k=w−1..n−1} r_k⁴ / (n − w + 1))^¼; `null` when n < w.
 * - `zeroPad`: samples before the start are 0 W, NP = (Σ_{k=0..n−1} r_k⁴ / n)^¼; `null` when n = 0.
 *
 * Missing samples (`null`, `NaN`) count as 0 W. One pass with a running window sum (re-summed
 * every 65 536 samples) and a compensated sum of fourth powers: O(n) time, O(w) memory. A
 * `Float64Array` without gaps takes a faster path that reads the leaving sample back from the array
 * and sums the fourth powers plainly within blocks of 1024, compensating between blocks.
 *
 * Source: Coggan A. (2003); Allen H. & Coggan A. (2010) *Training and Racing with a Power Meter*;
 * GoldenCheetah `Coggan.cpp` for `zeroPad`.
 *
 * @param power - power stream, W.
 * @example
 * ```ts
 * load.normalizedPower([...Array(1800)].flatMap(() => [400, 0])) // 200
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative or non-numeric sample, an
 *   `intervalSec` or `windowSec` ≤ 0, or an unknown `warmup`.
 */
export function normalizedPower(power: Stream, options?: NormalizedPowerOptions): number | null {
  checkStream(power, 'power')
  const opts = optionsOrEmpty(options)
  const intervalSec = checkIntervalSec(opts.intervalSec)
  const windowSec = checkNumber(withDefault(opts.windowSec, 30), 'windowSec', {
    min: 0,
    minExclusive: true,
    max: 86_400,
    unit: 's',
  })
  const warmup = checkOneOf(withDefault(opts.warmup, 'strict'), 'warmup', warmups)
  return normalizedPowerOfStream(power, windowSamples(windowSec, intervalSec), warmup === 'zeroPad')
}

/** The NP computation, for an already validated window length. */
function normalizedPowerOfStream(power: Stream, window: number, zeroPad: boolean): number | null {
  const length = power.length
  const first = zeroPad ? 0 : window - 1
  if (length === 0 || length <= first) {
    // Too short for a result, but an invalid sample is still an error, not missing data.
    for (let index = 0; index < length; index++) powerSample(power, index, 'power')
    return null
  }
  const fourthPowers =
    (power instanceof Float64Array ? sumFourthPowersOfCleanArray(power, window, first) : null) ??
    sumFourthPowers(power, window, first)
  const meanFourth = fourthPowers / (length - first)
  // NaN (an overflow inside the sums) falls through to the finiteness check.
  const np = meanFourth === 0 ? 0 : Math.sqrt(Math.sqrt(meanFourth)) / window
  return checkFiniteResult(np, 'power', power)
}

/** Fourth powers are summed plainly within blocks this long, then block totals with compensation. */
const blockLength = 1024

/**
 * Σ_{k ≥ first} (window sum at k)⁴ for a `Float64Array` whose samples are all finite and ≥ 0: the
 * sample leaving the window is read back from the array, so the loop needs no ring buffer. Returns
 * `null` on a missing, negative or infinite sample; the caller then takes the general path, which
 * maps missing samples to 0 W and reports invalid ones.
 */
function sumFourthPowersOfCleanArray(
  power: Float64Array,
  window: number,
  first: number,
): number | null {
  const length = power.length
  let windowSum = 0
  let total = 0
  let compensation = 0
  let block = 0
  const warmupEnd = Math.min(window, length)
  for (let index = 0; index < warmupEnd; index++) {
    const sample = power[index] as number
    if (!(sample >= 0)) return null
    windowSum += sample
    if (index >= first) {
      const squared = windowSum * windowSum
      block += squared * squared
    }
  }
  let blocks = 0
  for (let start = warmupEnd; start < length; start += blockLength) {
    const end = Math.min(start + blockLength, length)
    // Four samples per step: the window sum advances by one addition per step, the fourth powers
    // go to two accumulators and validity is checked once per block, which keeps the dependency
    // chains short and the loop free of early exits.
    let other = 0
    let invalid = false
    let index = start
    for (; index + 3 < end; index += 4) {
      const a = power[index] as number
      const b = power[index + 1] as number
      const c = power[index + 2] as number
      const d = power[index + 3] as number
      invalid = invalid || !(a >= 0) || !(b >= 0) || !(c >= 0) || !(d >= 0)
      const changeA = a - (power[index - window] as number)
      const changeB = b - (power[index + 1 - window] as number)
      const changeC = c - (power[index + 2 - window] as number)
      const changeD = d - (power[index + 3 - window] as number)
      const changeAb = changeA + changeB
      const sumA = windowSum + changeA
      const sumB = windowSum + changeAb
      const sumC = sumB + changeC
      windowSum += changeAb + (changeC + changeD)
      const squaredA = sumA * sumA
      const squaredB = sumB * sumB
      const squaredC = sumC * sumC
      const squaredD = windowSum * windowSum
      block += squaredA * squaredA + squaredB * squaredB
      other += squaredC * squaredC + squaredD * squaredD
    }
    if (invalid) return null
    for (; index < end; index++) {
      const sample = power[index] as number
      if (!(sample >= 0)) return null
      windowSum += sample - (power[index - window] as number)
      const squared = windowSum * windowSum
      block += squared * squared
    }
    block += other
    const next = total + block
    compensation += total >= block ? total - next + block : block - next + total
    total = next
    block = 0
    if (++blocks % (resumEvery / blockLength) === 0) {
      windowSum = 0
      for (let index = end - window; index < end; index++) windowSum += power[index] as number
    }
  }
  const result = total + compensation + block
  return Number.isFinite(result) && Number.isFinite(windowSum) ? result : null
}

/** The general path: any array-like, missing samples as 0 W, a ring buffer for the window. */
function sumFourthPowers(power: Stream, window: number, first: number): number {
  const length = power.length
  const ring = new Float64Array(window)
  let slot = 0
  let windowSum = 0
  let total = 0
  let compensation = 0
  for (let index = 0; index < length; index++) {
    const sample = powerSample(power, index, 'power')
    windowSum += sample - (ring[slot] as number)
    ring[slot] = sample
    slot = slot + 1 === window ? 0 : slot + 1
    if ((index & (resumEvery - 1)) === resumEvery - 1) windowSum = sumOf(ring)
    if (index >= first) {
      const squared = windowSum * windowSum
      const fourth = squared * squared
      const next = total + fourth
      compensation += total >= fourth ? total - next + fourth : fourth - next + total
      total = next
    }
  }
  return total + compensation
}

function sumOf(values: Float64Array): number {
  let sum = 0
  for (let index = 0; index < values.length; index++) sum += values[index] as number
  return sum
}

/**
 * Computes average power, W: the mean of every sample with missing samples as 0 W, so coasting
 * and dropouts lower the average (spec §3.3). `null` for an empty stream. Compensated summation.
 *
 * Source: Allen H. & Coggan A. (2010) *Training and Racing with a Power Meter*.
 *
 * @param power - power stream, W.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative or non-numeric sample.
 */
export function averagePower(power: Stream): number | null {
  checkStream(power, 'power')
  const length = power.length
  if (length === 0) return null
  return sumOfPower(power) / length
}

function sumOfPower(power: Stream): number {
  let total = 0
  let compensation = 0
  for (let index = 0; index < power.length; index++) {
    const sample = powerSample(power, index, 'power')
    const next = total + sample
    compensation += total >= sample ? total - next + sample : sample - next + total
    total = next
  }
  return checkFiniteResult(total + compensation, 'power', power)
}

/**
 * Computes mechanical work, kJ: Σ p·Δt / 1000 with missing samples as 0 W (spec §3.3). An empty
 * stream does no work (0 kJ).
 *
 * @param power - power stream, W.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative sample or `intervalSec` ≤ 0.
 */
export function workKj(power: Stream, options?: StreamOptions): number {
  checkStream(power, 'power')
  const intervalSec = checkIntervalSec(optionsOrEmpty(options).intervalSec)
  return checkFiniteResult((sumOfPower(power) * intervalSec) / 1000, 'power', power)
}

/**
 * Computes the Intensity Factor: `normalizedPower / ftp` (dimensionless; 1 = an effort at FTP).
 * Spec §3.4; Allen H. & Coggan A. (2010).
 *
 * @param normalizedPower - W, ≥ 0.
 * @param ftp - functional threshold power, W, > 0 and ≤ 2500.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when ftp ≤ 0 (never a silent default) or
 *   normalizedPower < 0.
 */
export function intensityFactor(normalizedPower: number, ftp: number): number {
  const np = checkNonNegative(normalizedPower, 'normalizedPower', 'W')
  const threshold = checkNumber(ftp, 'ftp', thresholdPowerRange)
  return checkFiniteResult(np / threshold, 'normalizedPower', normalizedPower)
}

/**
 * Computes the Variability Index: `normalizedPower / averagePower` (≥ 1 for steady riding, larger
 * for surging); `null` when averagePower is 0. Spec §3.4; Allen H. & Coggan A. (2010).
 *
 * @param normalizedPower - W, ≥ 0.
 * @param averagePower - W, ≥ 0.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when either is negative or not finite.
 */
export function variabilityIndex(normalizedPower: number, averagePower: number): number | null {
  const np = checkNonNegative(normalizedPower, 'normalizedPower', 'W')
  const average = checkNonNegative(averagePower, 'averagePower', 'W')
  if (average === 0) return null
  return checkFiniteResult(np / average, 'normalizedPower', normalizedPower)
}

/** Which power drives `load.powerTss`: normalized power (default) or average power. */
export type PowerTssMethod = 'np' | 'avgPower'

const powerTssMethods = ['np', 'avgPower'] as const satisfies readonly PowerTssMethod[]

/** Arguments of `load.powerTss`. */
export interface PowerTssArgs {
  /** Duration counted, s, ≥ 0. */
  readonly durationSec: number
  /** Normalized power, W, ≥ 0; required by `np`. */
  readonly normalizedPower?: number | undefined
  /** Average power, W, ≥ 0; required by `avgPower`. */
  readonly averagePower?: number | undefined
  /** Functional threshold power, W, > 0 and ≤ 2500. */
  readonly ftp: number
  /** Default `np`. `avgPower` under-counts variable efforts (VI > 1) and is approximate. */
  readonly method?: PowerTssMethod | undefined
}

/**
 * Computes the power-based Training Stress Score (spec §3.5):
 * `TSS = (durationSec × X × IF) / (ftp × 3600) × 100 = (durationSec / 3600) × IF² × 100` with
 * `X` = normalized power (`np`, default) or average power (`avgPower`) and `IF = X / ftp`. One hour
 * at FTP scores 100. Not rounded.
 *
 * Source: Coggan A. (2003) Training Stress Score; Allen H. & Coggan A. (2010); GoldenCheetah
 * `Coggan.cpp`.
 *
 * @example
 * ```ts
 * load.powerTss({ durationSec: 7200, normalizedPower: 180, ftp: 300 }) // 72
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when ftp ≤ 0, durationSec < 0, the power the
 *   method needs is missing or negative, or `method` is unknown.
 */
export function powerTss(args: PowerTssArgs): number {
  checkObject(args, 'args')
  const method = checkOneOf(withDefault(args.method, 'np'), 'method', powerTssMethods)
  const durationSec = checkNonNegative(args.durationSec, 'durationSec', 's')
  const ftp = checkNumber(args.ftp, 'ftp', thresholdPowerRange)
  const field = method === 'np' ? 'normalizedPower' : 'averagePower'
  const raw = method === 'np' ? args.normalizedPower : args.averagePower
  if (raw === undefined) {
    throw invalidInput(field, `a number of watts ≥ 0 when method is '${method}'`, raw)
  }
  const power = checkNonNegative(raw, field, 'W')
  return checkFiniteResult(tssFromIntensity(durationSec, power / ftp), field, raw)
}

/** `(durationSec / 3600) × IF² × 100`, the shape shared by power TSS, rTSS and the like. */
export function tssFromIntensity(durationSec: number, intensity: number): number {
  return (durationSec / 3600) * intensity * intensity * 100
}

/** Options of `load.powerStreamSummary`. */
export interface PowerStreamSummaryOptions extends StreamOptions {
  /** Functional threshold power, W, > 0 and ≤ 2500. */
  readonly ftp: number
  /** NP warm-up convention; default `strict`. */
  readonly warmup?: NormalizedPowerWarmup | undefined
}

/** Result of `load.powerStreamSummary`. */
export interface PowerStreamSummary {
  /** n × intervalSec: the whole recorded duration, zeros included, s. */
  readonly durationSec: number
  /** W, missing samples as 0. */
  readonly averagePower: number
  /** W; `null` when the stream is shorter than one 30-s window (strict). */
  readonly normalizedPower: number | null
  /** NP / FTP; `null` with NP. */
  readonly intensityFactor: number | null
  /** NP / average power; `null` with NP or when average power is 0. */
  readonly variabilityIndex: number | null
  /** Power TSS from NP; `null` with NP. */
  readonly tss: number | null
  /** Mechanical work, kJ. */
  readonly workKj: number
}

/**
 * Summarises a ride's power stream: duration, average power, normalized power, intensity factor,
 * variability index, TSS (NP form) and work (spec §3.5). `null` for an empty stream.
 *
 * `durationSec = n × intervalSec` (the whole recording, as GoldenCheetah and TrainingPeaks count
 * it); `TSS = (durationSec / 3600) × (NP / ftp)² × 100`.
 *
 * Source: Coggan A. (2003); Allen H. & Coggan A. (2010); GoldenCheetah `Coggan.cpp`.
 *
 * @param power - power stream, W.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when ftp ≤ 0 or missing, a sample is
 *   negative, `intervalSec` ≤ 0 or `warmup` is unknown.
 */
export function powerStreamSummary(
  power: Stream,
  options: PowerStreamSummaryOptions,
): PowerStreamSummary | null {
  checkStream(power, 'power')
  const opts = checkObject(options, 'options')
  const ftp = checkNumber(opts.ftp, 'ftp', thresholdPowerRange)
  const intervalSec = checkIntervalSec(opts.intervalSec)
  const warmup = checkOneOf(withDefault(opts.warmup, 'strict'), 'warmup', warmups)
  const length = power.length
  if (length === 0) return null
  const totalPower = sumOfPower(power)
  const average = totalPower / length
  const durationSec = length * intervalSec
  const np = normalizedPowerOfStream(power, windowSamples(30, intervalSec), warmup === 'zeroPad')
  const intensity = np === null ? null : checkFiniteResult(np / ftp, 'ftp', ftp)
  const tss = intensity === null ? null : tssFromIntensity(durationSec, intensity)
  return {
    durationSec,
    averagePower: average,
    normalizedPower: np,
    intensityFactor: intensity,
    variabilityIndex: np === null || average === 0 ? null : np / average,
    tss: tss === null ? null : checkFiniteResult(tss, 'ftp', ftp),
    workKj: checkFiniteResult((totalPower * intervalSec) / 1000, 'power', power),
  }
}
