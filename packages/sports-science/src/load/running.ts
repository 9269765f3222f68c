import { durationSecRange, thresholdPaceRange } from '../internal/ranges.js'
import {
  checkIntervalSec,
  checkStream,
  invalidSample,
  optionalSample,
  resumEvery,
  type Stream,
  windowSamples,
} from '../internal/stream.js'
import {
  checkFiniteResult,
  checkNumber,
  checkObject,
  checkOneOf,
  clamp,
  invalidInput,
  type NumberRange,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import type { StreamOptions } from '../streams.js'
import { tssFromIntensity } from './power.js'

/** Method of `load.runningTss`. */
export type RunningTssMethod = 'threshold' | 'pierreHeuristic'

const runningTssMethods = [
  'threshold',
  'pierreHeuristic',
] as const satisfies readonly RunningTssMethod[]

/** Arguments of `load.runningTss`; give one of normalizedSpeedMps, speedMps or paceSecPerKm. */
export interface RunningTssArgs {
  /** Duration counted, s, ≥ 0. */
  readonly durationSec: number
  /** Normalized graded speed, m/s (from `load.normalizedGradedSpeed`); preferred when given. */
  readonly normalizedSpeedMps?: number | undefined
  /** Average speed, m/s, ≥ 0. */
  readonly speedMps?: number | undefined
  /** Average pace, s/km, > 0. */
  readonly paceSecPerKm?: number | undefined
  /** Threshold (functional threshold) pace, s/km, 120–1800; required by `threshold`. */
  readonly thresholdPaceSecPerKm?: number | undefined
  /**
   * `threshold` (default): TrainingPeaks rTSS. `pierreHeuristic` (compat): the Pierre reference's
   * IF = 0.75 × 600 / pace clamped to 0.5–1.2, which ignores the athlete's threshold.
   */
  readonly method?: RunningTssMethod | undefined
}

const speedRange: NumberRange = { min: 0, max: 15, unit: 'm/s' }
const paceRange: NumberRange = { min: 0, minExclusive: true, max: 86_400, unit: 's/km' }

function runSpeedMps(args: RunningTssArgs): number {
  if (args.normalizedSpeedMps !== undefined) {
    return checkNumber(args.normalizedSpeedMps, 'normalizedSpeedMps', speedRange)
  }
  if (args.speedMps !== undefined) return checkNumber(args.speedMps, 'speedMps', speedRange)
  if (args.paceSecPerKm === undefined) {
    throw invalidInput(
      'paceSecPerKm',
      'a pace > 0 (s/km) when neither speedMps nor normalizedSpeedMps is given',
      undefined,
    )
  }
  return 1000 / checkNumber(args.paceSecPerKm, 'paceSecPerKm', paceRange)
}

/**
 * Computes running Training Stress Score (spec §3.7):
 * `v_thr = 1000 / thresholdPaceSecPerKm`, `v = normalizedSpeedMps ?? speedMps ?? 1000 / paceSecPerKm`,
 * `IF = v / v_thr`, `rTSS = (durationSec / 3600) × IF² × 100`; one hour at threshold pace = 100.
 * The compat method `pierreHeuristic` uses `IF = clamp(0.75 × 600 / pace, 0.5, 1.2)` instead.
 * Source: TrainingPeaks rTSS definition (after Coggan's TSS).
 *
 * @example
 * ```ts
 * load.runningTss({ durationSec: 2700, paceSecPerKm: 300, thresholdPaceSecPerKm: 270 }) // 60.75
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when the threshold pace is missing or outside
 *   120–1800 s/km, no speed or pace is given, a value is out of range or `method` is unknown.
 */
export function runningTss(args: RunningTssArgs): number {
  checkObject(args, 'args')
  const method = checkOneOf(withDefault(args.method, 'threshold'), 'method', runningTssMethods)
  const durationSec = checkNumber(args.durationSec, 'durationSec', durationSecRange)
  const speedMps = runSpeedMps(args)
  if (method === 'pierreHeuristic') {
    const intensity = speedMps === 0 ? 0.5 : clamp((0.75 * 600 * speedMps) / 1000, 0.5, 1.2)
    return tssFromIntensity(durationSec, intensity)
  }
  if (args.thresholdPaceSecPerKm === undefined) {
    throw invalidInput('thresholdPaceSecPerKm', 'a pace from 120 to 1800 (s/km)', undefined)
  }
  const threshold = checkNumber(
    args.thresholdPaceSecPerKm,
    'thresholdPaceSecPerKm',
    thresholdPaceRange,
  )
  return tssFromIntensity(durationSec, speedMps / (1000 / threshold))
}

/**
 * Minetti's energy cost of running on a gradient, J·kg⁻¹·m⁻¹: `C(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ +
 * 46.3i² + 19.5i + 3.6`, i = grade fraction (Minetti A.E. et al. 2002 *J Appl Physiol* 93:1039–1046).
 */
export function minettiCost(gradeFraction: number): number {
  const i = gradeFraction
  return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
}

const flatCost = 3.6
const maxGradeFraction = 0.45

/**
 * Computes normalized graded speed, m/s, an open approximation of TrainingPeaks NGP (whose exact
 * algorithm is unpublished), spec §3.7:
 * 1. grade-adjusted speed `g = v · C(i) / C(0)`, i = grade fraction clamped to [−0.45, 0.45] and
 *    C Minetti's cost of running (see {@link minettiCost}); without a grade stream g = v;
 * 2. normalised like NP: `(mean of (30-s rolling mean of g)⁴)^¼`, full windows only.
 *
 * Samples with a missing speed (or grade) are skipped: the window holds the last w valid samples.
 * `null` when fewer than one window of valid samples exist. Source: Minetti A.E. et al. (2002)
 * *J Appl Physiol* 93:1039–1046; TrainingPeaks NGP / rTSS.
 *
 * @param speed - speed stream, m/s, ≥ 0.
 * @param gradeFraction - optional grade stream as a fraction (0.05 = 5 % uphill), same length.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative speed, a non-finite grade, a
 *   grade stream of another length or `intervalSec` ≤ 0.
 */
export function normalizedGradedSpeed(
  speed: Stream,
  gradeFraction?: Stream,
  options?: StreamOptions,
): number | null {
  checkStream(speed, 'speed')
  if (gradeFraction !== undefined) {
    checkStream(gradeFraction, 'gradeFraction')
    if (gradeFraction.length !== speed.length) {
      throw invalidInput(
        'gradeFraction',
        `a stream as long as speed (${speed.length} samples)`,
        gradeFraction,
      )
    }
  }
  const intervalSec = checkIntervalSec(optionsOrEmpty(options).intervalSec)
  const window = windowSamples(30, intervalSec)
  const ring = new Float64Array(window)
  let slot = 0
  let valid = 0
  let windowSum = 0
  let total = 0
  let count = 0
  for (let index = 0; index < speed.length; index++) {
    const v = optionalSample(speed, index, 'speed')
    if (Number.isNaN(v)) continue
    let adjusted = v
    if (gradeFraction !== undefined) {
      const grade = gradeSample(gradeFraction, index)
      if (Number.isNaN(grade)) continue
      adjusted = (v * minettiCost(clamp(grade, -maxGradeFraction, maxGradeFraction))) / flatCost
    }
    windowSum += adjusted - (ring[slot] as number)
    ring[slot] = adjusted
    slot = slot + 1 === window ? 0 : slot + 1
    valid++
    if ((valid & (resumEvery - 1)) === 0) windowSum = ring.reduce((sum, value) => sum + value, 0)
    if (valid >= window) {
      const mean = windowSum / window
      const squared = mean * mean
      total += squared * squared
      count++
    }
  }
  if (count === 0) return null
  const meanFourth = total / count
  return checkFiniteResult(meanFourth > 0 ? Math.sqrt(Math.sqrt(meanFourth)) : 0, 'speed', speed)
}

function gradeSample(stream: Stream, index: number): number {
  const value = stream[index]
  if (typeof value === 'number') {
    if (Number.isFinite(value) || Number.isNaN(value)) return value
  } else if (value === null || value === undefined) {
    return Number.NaN
  }
  return invalidSample('gradeFraction', index, value)
}

/** Arguments of `load.swimTss`. */
export interface SwimTssArgs {
  /** Duration counted, s, ≥ 0. */
  readonly durationSec: number
  /** Average swim speed, m/s, ≥ 0. */
  readonly speedMps: number
  /** Threshold (functional threshold) swim speed, m/s, > 0. */
  readonly thresholdSpeedMps: number
}

/**
 * Computes swim Training Stress Score: `(durationSec / 3600) × IF³ × 100`, `IF = speedMps /
 * thresholdSpeedMps` — cubed because drag rises steeply with speed (spec §3.8). Source:
 * TrainingPeaks sTSS definition.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when thresholdSpeedMps ≤ 0 or a value is out
 *   of range.
 */
export function swimTss(args: SwimTssArgs): number {
  checkObject(args, 'args')
  const durationSec = checkNumber(args.durationSec, 'durationSec', durationSecRange)
  const speed = checkNumber(args.speedMps, 'speedMps', { min: 0, max: 5, unit: 'm/s' })
  const threshold = checkNumber(args.thresholdSpeedMps, 'thresholdSpeedMps', {
    min: 0,
    minExclusive: true,
    max: 5,
    unit: 'm/s',
  })
  const intensity = speed / threshold
  return (durationSec / 3600) * intensity * intensity * intensity * 100
}
