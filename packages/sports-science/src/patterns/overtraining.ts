import { checkOneOf, invalidInput, optionsOrEmpty, withDefault } from '../internal/validate.js'
import {
  type CheckedActivity,
  checkActivities,
  checkProfile,
  type IntensityProfile,
  meanOf,
  minimumActivities,
  type PatternActivity,
} from './activities.js'
import { classify, type HardMethod, hardMethodOf } from './intensity.js'

/**
 * Which activities the drift and decline signals compare: `sameSportEasy` (default: one sport only,
 * and only non-hard sessions for the pace decline) or `none` (every activity, as the reference does).
 */
export type OvertrainingRestriction = 'sameSportEasy' | 'none'

const restrictions = ['sameSportEasy', 'none'] as const satisfies readonly OvertrainingRestriction[]

/** Options of `patterns.overtrainingSignals`. */
export interface OvertrainingSignalsOptions {
  readonly restriction?: OvertrainingRestriction | undefined
  /** Sport compared under `sameSportEasy`; default the most frequent one (ties: the latest). */
  readonly sport?: string | undefined
  /** Intensity classification for the hard sessions; default `relative`. */
  readonly method?: HardMethod | undefined
}

/** Risk from activity-based signals. */
export type SignalRiskLevel = 'low' | 'moderate' | 'high'

/** Result of `patterns.overtrainingSignals`. */
export interface OvertrainingSignals {
  /** Mean heart rate of the last third more than 5% above the first third (≥ 9 sessions with HR). */
  readonly hrDrift: boolean
  /** 100·(last-third mean HR − first-third mean HR)/first; `null` below 9 sessions with HR. */
  readonly hrDriftPercent: number | null
  /** Mean pace of the second half more than 5% slower than the first (≥ 8 sessions with distance). */
  readonly performanceDecline: boolean
  /** 100·(second-half mean pace − first)/first, pace in s/m; `null` below 8 sessions. */
  readonly paceChangePercent: number | null
  /** At least 4 hard sessions in a row (all sports). */
  readonly insufficientRecovery: boolean
  readonly longestHardRun: number
  /** 0 signals low, 1 moderate, 2 or more high. */
  readonly riskLevel: SignalRiskLevel
  readonly warnings: readonly string[]
  /** Sport compared under `sameSportEasy`; `null` with `none` or insufficient data. */
  readonly sport: string | null
  /** True with fewer than 6 activities; every signal is then false. */
  readonly insufficientData: boolean
}

function focusSport(sorted: readonly CheckedActivity[], requested: string | undefined): string {
  if (requested !== undefined) {
    if (typeof requested !== 'string' || requested.length === 0) {
      throw invalidInput('sport', 'a non-empty string', requested)
    }
    return requested
  }
  const counts = new Map<string, { count: number; latest: number }>()
  sorted.forEach((activity, position) => {
    const entry = counts.get(activity.sport)
    counts.set(activity.sport, { count: (entry?.count ?? 0) + 1, latest: position })
  })
  let best = ''
  let bestEntry = { count: 0, latest: -1 }
  for (const [sport, entry] of counts) {
    if (
      entry.count > bestEntry.count ||
      (entry.count === bestEntry.count && entry.latest > bestEntry.latest)
    ) {
      best = sport
      bestEntry = entry
    }
  }
  return best
}

/**
 * Looks for signs of overreaching in recent sessions (Pierre reference rules, spec §9.4; markers after
 * Meeusen R. et al. 2013 *Med Sci Sports Exerc* 45:186–205, who note that no single marker is
 * diagnostic):
 * - HR drift (≥ 9 sessions with avgHr): k = ⌊n/3⌋, mean avgHr of the last k vs the first k, > +5%;
 * - performance decline (≥ 8 sessions with distance): mean pace (s/m) of the second half vs the first,
 *   > 5% slower;
 * - insufficient recovery: ≥ 4 consecutive hard sessions (`patterns.isHard`; unknown breaks a run).
 * Risk: 0 signals low, 1 moderate, ≥ 2 high. By default (`sameSportEasy`) drift and decline compare
 * one sport only and the decline only non-hard sessions, since mixing intervals with long easy runs
 * makes false alarms; `restriction: 'none'` compares everything like the reference. Needs 6 activities.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed activity, profile or option.
 */
export function overtrainingSignals(
  activities: readonly PatternActivity[],
  profile?: IntensityProfile,
  options?: OvertrainingSignalsOptions,
): OvertrainingSignals {
  const sorted = checkActivities(activities)
  const checkedProfile = checkProfile(profile)
  const opts = optionsOrEmpty(options)
  const restriction = checkOneOf(
    withDefault(opts.restriction, 'sameSportEasy'),
    'restriction',
    restrictions,
  )
  const method = hardMethodOf({ method: opts.method })
  if (sorted.length < minimumActivities) {
    return {
      hrDrift: false,
      hrDriftPercent: null,
      performanceDecline: false,
      paceChangePercent: null,
      insufficientRecovery: false,
      longestHardRun: 0,
      riskLevel: 'low',
      warnings: [],
      sport: null,
      insufficientData: true,
    }
  }
  const classes = sorted.map((activity) => classify(activity, checkedProfile, method))
  const sport = restriction === 'sameSportEasy' ? focusSport(sorted, opts.sport) : null
  const focus = sorted
    .map((activity, position) => ({ activity, hard: classes[position] === true }))
    .filter(({ activity }) => sport === null || activity.sport === sport)

  const heartRates = focus.flatMap(({ activity }) =>
    activity.avgHr === null ? [] : [activity.avgHr],
  )
  let hrDriftPercent: number | null = null
  if (heartRates.length >= 9) {
    const k = Math.floor(heartRates.length / 3)
    const first = meanOf(heartRates.slice(0, k))
    hrDriftPercent = (100 * (meanOf(heartRates.slice(-k)) - first)) / first
  }

  const paces = focus.flatMap(({ activity, hard }) => {
    if (activity.distanceM === null || activity.distanceM <= 0 || activity.durationSec <= 0)
      return []
    if (sport !== null && hard) return []
    return [activity.durationSec / activity.distanceM]
  })
  let paceChangePercent: number | null = null
  if (paces.length >= 8) {
    const half = Math.floor(paces.length / 2)
    const first = meanOf(paces.slice(0, half))
    paceChangePercent = (100 * (meanOf(paces.slice(half)) - first)) / first
  }

  let run = 0
  let longestHardRun = 0
  for (const hard of classes) {
    run = hard === true ? run + 1 : 0
    longestHardRun = Math.max(longestHardRun, run)
  }

  const hrDrift = hrDriftPercent !== null && hrDriftPercent > 5
  const performanceDecline = paceChangePercent !== null && paceChangePercent > 5
  const insufficientRecovery = longestHardRun >= 4
  const warnings: string[] = []
  if (hrDrift) warnings.push('average heart rate is drifting upwards across recent sessions')
  if (performanceDecline) warnings.push('pace has slowed by more than 5% in recent sessions')
  if (insufficientRecovery) warnings.push('4 or more hard sessions in a row without an easy one')
  const signals = warnings.length
  return {
    hrDrift,
    hrDriftPercent,
    performanceDecline,
    paceChangePercent,
    insufficientRecovery,
    longestHardRun,
    riskLevel: signals === 0 ? 'low' : signals === 1 ? 'moderate' : 'high',
    warnings,
    sport,
    insufficientData: false,
  }
}
