import { durationSecRange, thresholdPaceRange, thresholdPowerRange } from '../internal/ranges.js'
import { checkIntervalSec, checkStream, type Stream } from '../internal/stream.js'
import {
  checkNonNegative,
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import type { Sex } from '../types.js'
import { hrTss } from './heart-rate.js'
import { powerStreamSummary, powerTss } from './power.js'
import { normalizedGradedSpeed, runningTss } from './running.js'

/** What is known about one activity; every field is optional. */
export interface LoadActivity {
  /** A TSS recorded by the provider, ≥ 0 (kept as is). */
  readonly providedTss?: number | undefined
  /** Duration counted, s (moving time); needed by the average-based methods. */
  readonly durationSec?: number | undefined
  /** Seconds between stream samples; default 1. */
  readonly intervalSec?: number | undefined
  /** Power stream, W. */
  readonly power?: Stream | undefined
  /** Average power, W (used when there is no power stream). */
  readonly averagePower?: number | undefined
  /** Heart-rate stream, beats/min. */
  readonly hr?: Stream | undefined
  /** Average heart rate, beats/min (used when there is no HR stream). */
  readonly avgHr?: number | undefined
  /** Speed stream, m/s. */
  readonly speed?: Stream | undefined
  /** Grade stream as a fraction, aligned with `speed`. */
  readonly gradeFraction?: Stream | undefined
  /** Average speed, m/s (used when there is no speed stream). */
  readonly speedMps?: number | undefined
  /** Average pace, s/km (used when there is neither a speed stream nor speedMps). */
  readonly paceSecPerKm?: number | undefined
}

/** The athlete's thresholds; every field is optional. */
export interface LoadProfile {
  /** Functional threshold power, W. */
  readonly ftp?: number | undefined
  /** Lactate-threshold heart rate, beats/min. */
  readonly lthr?: number | undefined
  /** Resting heart rate, beats/min. */
  readonly restingHr?: number | undefined
  /** Maximum heart rate, beats/min. */
  readonly maxHr?: number | undefined
  /** Selects the TRIMP exponent; default `male`. */
  readonly sex?: Sex | undefined
  /** Threshold running pace, s/km. */
  readonly thresholdPaceSecPerKm?: number | undefined
}

/** A family of load methods, in the order `prefer` lists them. */
export type LoadSource = 'provided' | 'power' | 'hr' | 'pace'

/** The method that produced an activity's load. */
export type ActivityLoadMethod =
  | 'provided'
  | 'np'
  | 'avgPower'
  | 'trimp'
  | 'ratioSquared'
  | 'normalizedGradedSpeed'
  | 'averageSpeed'

const loadSources = ['provided', 'power', 'hr', 'pace'] as const satisfies readonly LoadSource[]

/** Options of `load.activityLoad`. */
export interface ActivityLoadOptions {
  /** Sources tried in order; default `['provided', 'power', 'hr', 'pace']`. */
  readonly prefer?: readonly LoadSource[] | undefined
}

/** Result of `load.activityLoad`. */
export interface ActivityLoad {
  /** The training load, TSS-like units (one hour at threshold = 100). */
  readonly load: number
  /** The source family used. */
  readonly source: LoadSource
  /** The exact method used. */
  readonly method: ActivityLoadMethod
  /** Intensity factor when the method defines one, else `null`. */
  readonly intensityFactor: number | null
  /** True for methods that under- or mis-count variable efforts (avgPower, ratioSquared). */
  readonly approximate: boolean
}

/**
 * Chooses and computes the training load of one activity (spec §3.10): the first applicable of
 * `prefer` (default provided → power → hr → pace):
 * 1. `provided`: a provider TSS, kept as is.
 * 2. `power`: power stream + FTP → NP-based TSS (§3.5); a stream shorter than one 30-s window, or
 *    average power + durationSec without a stream → average-power TSS, `approximate: true`.
 * 3. `hr`: HR stream or avgHr + durationSec, with LTHR → TRIMP-normalised hrTSS when restingHr and
 *    maxHr are known (they must bracket LTHR), else (avgHr/LTHR)² hrTSS, `approximate: true` (§3.6).
 * 4. `pace`: threshold pace + speed stream → rTSS from normalized graded speed; or speedMps /
 *    paceSecPerKm + durationSec → rTSS from the average (§3.7).
 * `null` when nothing applies: the activity contributes no load. A method never falls back
 * silently: `method` and `approximate` say what was used. Sources: Coggan A. (2003); Banister E.W.
 * (1991); TrainingPeaks rTSS.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a present value is invalid (FTP 0, a
 *   negative sample…) or `prefer` names an unknown source.
 */
export function activityLoad(
  activity: LoadActivity,
  profile: LoadProfile,
  options?: ActivityLoadOptions,
): ActivityLoad | null {
  checkObject(activity, 'activity')
  checkObject(profile, 'profile')
  const prefer = withDefault(optionsOrEmpty(options).prefer, loadSources)
  if (!Array.isArray(prefer)) throw invalidInput('prefer', 'an array of load sources', prefer)
  const sources = prefer.map((source, index) => checkOneOf(source, `prefer[${index}]`, loadSources))
  for (const source of sources) {
    const result = loadFrom(source, activity, profile)
    if (result !== null) return result
  }
  return null
}

function loadFrom(
  source: LoadSource,
  activity: LoadActivity,
  profile: LoadProfile,
): ActivityLoad | null {
  switch (source) {
    case 'provided':
      if (activity.providedTss === undefined) return null
      return {
        load: checkNonNegative(activity.providedTss, 'providedTss'),
        source,
        method: 'provided',
        intensityFactor: null,
        approximate: false,
      }
    case 'power':
      return powerLoad(activity, profile)
    case 'hr':
      return heartRateLoad(activity, profile)
    case 'pace':
      return paceLoad(activity, profile)
  }
}

function powerLoad(activity: LoadActivity, profile: LoadProfile): ActivityLoad | null {
  if (profile.ftp === undefined) return null
  const ftp = checkNumber(profile.ftp, 'ftp', thresholdPowerRange)
  let averagePower: number
  let durationSec: number
  if (activity.power !== undefined) {
    const intervalSec = checkIntervalSec(activity.intervalSec)
    const summary = powerStreamSummary(activity.power, { ftp, intervalSec })
    if (summary === null) return null
    if (summary.tss !== null && summary.intensityFactor !== null) {
      return {
        load: summary.tss,
        source: 'power',
        method: 'np',
        intensityFactor: summary.intensityFactor,
        approximate: false,
      }
    }
    averagePower = summary.averagePower
    durationSec = summary.durationSec
  } else {
    if (activity.averagePower === undefined || activity.durationSec === undefined) return null
    averagePower = checkNonNegative(activity.averagePower, 'averagePower', 'W')
    durationSec = checkNumber(activity.durationSec, 'durationSec', durationSecRange)
  }
  return {
    load: powerTss({ durationSec, averagePower, ftp, method: 'avgPower' }),
    source: 'power',
    method: 'avgPower',
    intensityFactor: averagePower / ftp,
    approximate: true,
  }
}

function heartRateLoad(activity: LoadActivity, profile: LoadProfile): ActivityLoad | null {
  if (profile.lthr === undefined) return null
  const hasStream = activity.hr !== undefined
  if (!hasStream && (activity.avgHr === undefined || activity.durationSec === undefined)) {
    return null
  }
  const { restingHr, maxHr, lthr } = profile
  // With both bounds the published TRIMP form applies; inconsistent bounds are an error there.
  const trimp = restingHr !== undefined && maxHr !== undefined
  const common = {
    lthr,
    hr: activity.hr,
    avgHr: hasStream ? undefined : activity.avgHr,
    durationSec: hasStream ? undefined : activity.durationSec,
    intervalSec: activity.intervalSec,
  }
  const load = trimp
    ? hrTss({ ...common, method: 'trimp', restingHr, maxHr, sex: profile.sex })
    : hrTss({ ...common, method: 'ratioSquared' })
  if (load === null) return null
  return {
    load,
    source: 'hr',
    method: trimp ? 'trimp' : 'ratioSquared',
    intensityFactor: null,
    approximate: !trimp,
  }
}

function paceLoad(activity: LoadActivity, profile: LoadProfile): ActivityLoad | null {
  if (profile.thresholdPaceSecPerKm === undefined) return null
  const threshold = checkNumber(
    profile.thresholdPaceSecPerKm,
    'thresholdPaceSecPerKm',
    thresholdPaceRange,
  )
  const thresholdSpeedMps = 1000 / threshold
  if (activity.speed !== undefined) {
    const speed = checkStream(activity.speed, 'speed')
    const intervalSec = checkIntervalSec(activity.intervalSec)
    const normalizedSpeedMps = normalizedGradedSpeed(speed, activity.gradeFraction, {
      intervalSec,
    })
    if (normalizedSpeedMps === null) return null
    const durationSec =
      activity.durationSec === undefined
        ? speed.length * intervalSec
        : checkNumber(activity.durationSec, 'durationSec', durationSecRange)
    return {
      load: runningTss({ durationSec, normalizedSpeedMps, thresholdPaceSecPerKm: threshold }),
      source: 'pace',
      method: 'normalizedGradedSpeed',
      intensityFactor: normalizedSpeedMps / thresholdSpeedMps,
      approximate: false,
    }
  }
  if (activity.durationSec === undefined) return null
  if (activity.speedMps === undefined && activity.paceSecPerKm === undefined) return null
  const args = {
    durationSec: activity.durationSec,
    speedMps: activity.speedMps,
    paceSecPerKm: activity.paceSecPerKm,
    thresholdPaceSecPerKm: threshold,
  }
  const speedMps = activity.speedMps ?? 1000 / (activity.paceSecPerKm as number)
  return {
    load: runningTss(args),
    source: 'pace',
    method: 'averageSpeed',
    intensityFactor: speedMps / thresholdSpeedMps,
    approximate: false,
  }
}
