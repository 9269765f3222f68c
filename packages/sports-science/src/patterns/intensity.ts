import { checkOneOf, optionsOrEmpty, withDefault } from '../internal/validate.js'
import {
  type CheckedActivity,
  type CheckedProfile,
  checkActivities,
  checkActivity,
  checkProfile,
  type IntensityProfile,
  minimumActivities,
  type PatternActivity,
} from './activities.js'

/**
 * How a session is classed as hard: `relative` (default, against the athlete's thresholds) or
 * `pierre` (compat: absolute thresholds of the reference).
 */
export type HardMethod = 'relative' | 'pierre'

const hardMethods = ['relative', 'pierre'] as const satisfies readonly HardMethod[]

/** Options of the intensity classification. */
export interface HardOptions {
  readonly method?: HardMethod | undefined
}

/** Classification of a checked activity; `null` when the relative method has nothing to go on. */
export function classify(
  activity: CheckedActivity,
  profile: CheckedProfile,
  method: HardMethod,
): boolean | null {
  if (method === 'pierre') {
    const speedMps =
      activity.distanceM !== null && activity.durationSec > 0
        ? activity.distanceM / activity.durationSec
        : 0
    return (
      (activity.avgHr !== null && activity.avgHr > 150) ||
      (activity.durationSec > 3600 && speedMps > 3.5)
    )
  }
  const power = activity.normalizedPower ?? activity.averagePower
  if (power !== null && profile.ftp !== null) return power / profile.ftp >= 0.85
  if (activity.avgHr !== null && profile.lthr !== null) return activity.avgHr >= 0.9 * profile.lthr
  if (activity.avgHr !== null && profile.maxHr !== null)
    return activity.avgHr >= 0.8 * profile.maxHr
  return null
}

/** Reads and checks the `method` option. */
export function hardMethodOf(options: HardOptions | undefined): HardMethod {
  return checkOneOf(withDefault(optionsOrEmpty(options).method, 'relative'), 'method', hardMethods)
}

/**
 * Classes one session as hard (`true`), easy (`false`) or unknown (`null`) (spec §9.2).
 * `relative` (default): intensity factor (normalizedPower, else averagePower)/FTP ≥ 0.85 (Coggan
 * levels 3/4 boundary; Allen H. & Coggan A. 2010); else avgHr ≥ 0.90·LTHR (start of Friel's zone 3;
 * Friel J. 2009); else avgHr ≥ 0.80·maxHr (Edwards' zone 4; Edwards S. 1993); else `null`.
 * `pierre` (compat): avgHr > 150 bpm, or longer than 1 h at more than 3.5 m/s — ⚠ absolute thresholds
 * that ignore the athlete; never `null`.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed activity, profile or method.
 */
export function isHard(
  activity: PatternActivity,
  profile?: IntensityProfile,
  options?: HardOptions,
): boolean | null {
  return classify(checkActivity(activity, 'activity'), checkProfile(profile), hardMethodOf(options))
}

/** Kind of hard/easy summary, for programs (the description says the same in words). */
export type HardEasySummary =
  | 'alternating'
  | 'tooManyHard'
  | 'mostlyEasy'
  | 'noClearPattern'
  | 'insufficientData'

/** Result of `patterns.hardEasyPattern`. */
export interface HardEasyPattern {
  /** True when at least 4 classified sessions alternate in more than 60% of consecutive pairs. */
  readonly patternDetected: boolean
  /** Share of hard sessions among the classified ones, percent; `null` when none is classified. */
  readonly hardPercent: number | null
  readonly easyPercent: number | null
  /** Share of consecutive classified pairs that differ, 0–1; `null` below 2 classified sessions. */
  readonly alternationFraction: number | null
  /** Longest run of consecutive hard sessions ≤ 2; `null` when none is classified. */
  readonly adequateRecovery: boolean | null
  readonly longestHardRun: number
  /** Sessions whose intensity could be classed (unknown ones are left out of the sequence). */
  readonly classifiedCount: number
  readonly summary: HardEasySummary
  readonly description: string
  /** True with fewer than 6 activities; the other fields are then empty. */
  readonly insufficientData: boolean
}

const descriptions: Readonly<Record<HardEasySummary, string>> = {
  alternating: 'hard and easy sessions alternate',
  tooManyHard: 'too many high-intensity sessions',
  mostlyEasy: 'mostly easy sessions',
  noClearPattern: 'no clear hard/easy alternation',
  insufficientData: 'not enough activities to judge (at least 6 are needed)',
}

/**
 * Looks for hard/easy alternation (spec §9.2; the hard/easy principle associated with Bill Bowerman:
 * Bowerman W.J. & Freeman W.H. 1991 *High-Performance Training for Track and Field*). Activities are sorted by start and classed with
 * `patterns.isHard`; sessions of unknown intensity are left out. Alternation = share of consecutive
 * pairs with different classes; a pattern needs ≥ 4 classified sessions and alternation > 0.6;
 * recovery is adequate when no more than 2 hard sessions follow each other. Descriptions: pattern
 * found; > 70% hard: too many high-intensity sessions; > 90% easy: mostly easy. ⚠ The reference uses
 * absolute HR/speed thresholds and does not sort before counting alternations.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed activity, profile or method.
 */
export function hardEasyPattern(
  activities: readonly PatternActivity[],
  profile?: IntensityProfile,
  options?: HardOptions,
): HardEasyPattern {
  const sorted = checkActivities(activities)
  const checkedProfile = checkProfile(profile)
  const method = hardMethodOf(options)
  if (sorted.length < minimumActivities) {
    return {
      patternDetected: false,
      hardPercent: null,
      easyPercent: null,
      alternationFraction: null,
      adequateRecovery: null,
      longestHardRun: 0,
      classifiedCount: 0,
      summary: 'insufficientData',
      description: descriptions.insufficientData,
      insufficientData: true,
    }
  }
  const classes = sorted
    .map((activity) => classify(activity, checkedProfile, method))
    .filter((value): value is boolean => value !== null)
  const hardCount = classes.filter(Boolean).length
  let changes = 0
  let run = 0
  let longestHardRun = 0
  classes.forEach((hard, index) => {
    if (index > 0 && hard !== classes[index - 1]) changes++
    run = hard ? run + 1 : 0
    longestHardRun = Math.max(longestHardRun, run)
  })
  const n = classes.length
  const hardPercent = n === 0 ? null : (100 * hardCount) / n
  const easyPercent = n === 0 ? null : (100 * (n - hardCount)) / n
  const alternationFraction = n < 2 ? null : changes / (n - 1)
  const patternDetected = n >= 4 && alternationFraction !== null && alternationFraction > 0.6
  let summary: HardEasySummary = 'noClearPattern'
  if (patternDetected) summary = 'alternating'
  else if (hardPercent !== null && hardPercent > 70) summary = 'tooManyHard'
  else if (easyPercent !== null && easyPercent > 90) summary = 'mostlyEasy'
  return {
    patternDetected,
    hardPercent,
    easyPercent,
    alternationFraction,
    adequateRecovery: n === 0 ? null : longestHardRun <= 2,
    longestHardRun,
    classifiedCount: n,
    summary,
    description: descriptions[summary],
    insufficientData: false,
  }
}
