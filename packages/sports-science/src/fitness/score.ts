import { fromDayNumber, toDayNumber } from '../internal/calendar.js'
import { parseLocalDateTime } from '../internal/dates.js'
import {
  checkNumber,
  checkObject,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import { activityLoad, type LoadProfile } from '../load/activity.js'
import { pmc } from '../load/pmc.js'
import {
  type CheckedActivity,
  checkActivities,
  meanOf,
  type PatternActivity,
} from '../patterns/activities.js'

/** Band of the fitness score (Pierre reference labels, spec §11). */
export type FitnessLevel = 'Excellent' | 'Good' | 'Moderate' | 'Developing' | 'Beginner'

/** Arguments of `fitness.combine`. */
export interface FitnessCombineArgs {
  /** Chronic training load, TSS/day, ≥ 0. */
  readonly ctl: number
  /** 0–100. */
  readonly consistencyScore: number
  /** 0–100. */
  readonly performanceScore: number
}

/** Result of `fitness.combine`. */
export interface FitnessCombination {
  /** min(100, CTL/150 × 100). */
  readonly ctlScore: number
  /** 0.4·ctlScore + 0.3·consistency + 0.3·performance, 0–100. */
  readonly score: number
  readonly level: FitnessLevel
}

const score100 = { min: 0, max: 100 } as const

/** Level of a 0–100 fitness score: ≥ 80 Excellent, ≥ 60 Good, ≥ 40 Moderate, ≥ 20 Developing. */
function levelOf(score: number): FitnessLevel {
  if (score >= 80) return 'Excellent'
  if (score >= 60) return 'Good'
  if (score >= 40) return 'Moderate'
  if (score >= 20) return 'Developing'
  return 'Beginner'
}

/**
 * Combines fitness components into the `calculate_fitness_score` number (Pierre reference, spec §11):
 * ctlScore = min(100, CTL/150 × 100); score = 0.4·ctlScore + 0.3·consistency + 0.3·performance;
 * level ≥ 80 Excellent, ≥ 60 Good, ≥ 40 Moderate, ≥ 20 Developing, else Beginner. CTL after Coggan's
 * Performance Manager (Allen H. & Coggan A. 2010); the weights and the 150 ceiling are product
 * heuristics.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when ctl < 0 or a score is outside 0–100.
 */
export function combine(args: FitnessCombineArgs): FitnessCombination {
  checkObject(args, 'args')
  const ctl = checkNumber(args.ctl, 'ctl', { min: 0, unit: 'TSS/day' })
  const consistency = checkNumber(args.consistencyScore, 'consistencyScore', score100)
  const performance = checkNumber(args.performanceScore, 'performanceScore', score100)
  const ctlScore = Math.min(100, (ctl / 150) * 100)
  const score = 0.4 * ctlScore + 0.3 * consistency + 0.3 * performance
  return { ctlScore, score, level: levelOf(score) }
}

/**
 * Maps a pace improvement to a 0–100 score (Pierre reference, spec §11): clamp((p + 10) × 5, 0, 100),
 * so −10% scores 0, no change 50 and +10% 100.
 *
 * @param paceImprovementPercent - 100·(earlier mean pace − later mean pace)/earlier, percent.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when the value is not finite.
 */
export function performanceScore(paceImprovementPercent: number): number {
  const improvement = checkNumber(paceImprovementPercent, 'paceImprovementPercent')
  return Math.min(100, Math.max(0, (improvement + 10) * 5))
}

/** Arguments of `fitness.applyRecoveryAdjustment`. */
export interface RecoveryAdjustmentArgs {
  /** Fitness score, 0–100. */
  readonly score: number
  /** Sleep or recovery score, 0–100. */
  readonly sleepScore: number
}

/**
 * Adjusts a fitness score for recovery (Pierre reference, spec §11): × 1.05 when sleepScore ≥ 90,
 * × 1.00 when ≥ 70, × 0.95 when ≥ 50, else × 0.90, then rounded half away from zero to an integer.
 * Product heuristic.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a score is outside 0–100.
 */
export function applyRecoveryAdjustment(args: RecoveryAdjustmentArgs): number {
  checkObject(args, 'args')
  const score = checkNumber(args.score, 'score', score100)
  const sleep = checkNumber(args.sleepScore, 'sleepScore', score100)
  const factor = sleep >= 90 ? 1.05 : sleep >= 70 ? 1 : sleep >= 50 ? 0.95 : 0.9
  // Scores are non-negative, so rounding half up is rounding half away from zero.
  return Math.floor(score * factor + 0.5)
}

/**
 * Scores training consistency 0–100 (Pierre reference, spec §11): min(100, 100 × weeks with ≥ 3
 * activities / weekBuckets), with 7-day buckets counted from the first activity and weekBuckets =
 * ⌊(last − first)/7⌋ + 1. 0 without activities. ⚠ The reference omits the + 1, so its score can exceed
 * 100 before clamping.
 *
 * @param activityDates - local dates `YYYY-MM-DD` (or date-times; only the date counts).
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date.
 */
export function consistencyScore(activityDates: readonly string[]): number {
  if (!Array.isArray(activityDates)) {
    throw invalidInput('activityDates', "an array of 'YYYY-MM-DD' dates", activityDates)
  }
  const days = activityDates.map(
    (date: string, index) => parseLocalDateTime(date, `activityDates[${index}]`).day,
  )
  return consistencyOfDays(days)
}

function consistencyOfDays(days: readonly number[]): number {
  if (days.length === 0) return 0
  const first = Math.min(...days)
  const buckets = Math.floor((Math.max(...days) - first) / 7) + 1
  const counts = new Array<number>(buckets).fill(0)
  for (const day of days) {
    const bucket = Math.floor((day - first) / 7)
    counts[bucket] = (counts[bucket] as number) + 1
  }
  const fullWeeks = counts.filter((count) => count >= 3).length
  return Math.min(100, (100 * fullWeeks) / buckets)
}

/** The sport with the most activities (ties: the one trained most recently). */
function mainSport(sorted: readonly CheckedActivity[]): string | null {
  const counts = new Map<string, { count: number; latest: number }>()
  sorted.forEach((activity, position) => {
    counts.set(activity.sport, {
      count: (counts.get(activity.sport)?.count ?? 0) + 1,
      latest: position,
    })
  })
  let best: string | null = null
  let bestCount = 0
  let bestLatest = -1
  for (const [sport, { count, latest }] of counts) {
    if (count > bestCount || (count === bestCount && latest > bestLatest)) {
      best = sport
      bestCount = count
      bestLatest = latest
    }
  }
  return best
}

function paceImprovementOf(sorted: readonly CheckedActivity[]): number | null {
  const sport = mainSport(sorted.filter(hasPace))
  const paces = sorted
    .filter((activity) => activity.sport === sport && hasPace(activity))
    .map((activity) => activity.durationSec / (activity.distanceM as number))
  if (paces.length < 4) return null
  const half = Math.floor(paces.length / 2)
  const earlier = meanOf(paces.slice(0, half))
  return (100 * (earlier - meanOf(paces.slice(half)))) / earlier
}

function hasPace(activity: CheckedActivity): boolean {
  return activity.distanceM !== null && activity.distanceM > 0 && activity.durationSec > 0
}

/**
 * Pace improvement between the earlier and the later half of a sport's activities, percent (Pierre
 * reference, spec §11): 100·(earlier mean pace − later mean pace)/earlier mean pace, pace in s/m,
 * activities of the most frequent sport with distance, sorted by start (the earlier half is the first
 * ⌊n/2⌋). `null` with fewer than 4 such activities. ⚠ The reference's halves depend on input order.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed activity.
 */
export function paceImprovementPercent(activities: readonly PatternActivity[]): number | null {
  return paceImprovementOf(checkActivities(activities))
}

/** Training-volume trend of the fitness score. */
export type FitnessTrend = 'improving' | 'stable' | 'declining'

/** Options of `fitness.score`. */
export interface FitnessScoreOptions {
  /** Today's local date `YYYY-MM-DD`: the PMC runs to it and the window ends on it. */
  readonly to: string
  /** Days analysed for consistency, performance and trend: 30 or 90; default 30. */
  readonly window?: 30 | 90 | undefined
  /** Recovery or sleep score 0–100; when given, `adjustedScore` applies `applyRecoveryAdjustment`. */
  readonly sleepScore?: number | undefined
}

/** Result of `fitness.score`. */
export interface FitnessScore extends FitnessCombination {
  /** CTL on `to` from every activity up to `to` (PMC defaults: α = 1/42, spec §3.11). */
  readonly ctl: number
  readonly consistencyScore: number
  readonly performanceScore: number
  /** `null` with fewer than 4 activities with distance in the window (performance is then 50). */
  readonly paceImprovementPercent: number | null
  readonly trend: FitnessTrend
  /** The score after the recovery adjustment; `null` without `sleepScore`. */
  readonly adjustedScore: number | null
  /** Activities inside the window. */
  readonly activitiesInWindow: number
  /** Activities up to `to` for which no load could be computed (they add 0 to CTL). */
  readonly activitiesWithoutLoad: number
}

/**
 * Computes the `calculate_fitness_score` result (spec §11). Loads: an activity's `load` when given,
 * else `load.activityLoad` from its power (normalizedPower, else averagePower), heart rate or speed
 * with the profile's thresholds (§3.10); CTL is the PMC value on `to` (§3.11, TrainingPeaks constants)
 * over every activity up to `to`. Within the window ending on `to`: consistencyScore
 * (`fitness.consistencyScore`), performanceScore = `fitness.performanceScore(paceImprovementPercent)`
 * (50 with fewer than 4 activities with distance), then `fitness.combine`. Trend: mean duration of the
 * later half of the window's activities vs the earlier half, > +15% improving, < −15% declining.
 * Pierre reference composite; CTL after Coggan (Allen H. & Coggan A. 2010). ⚠ The reference computes
 * CTL without FTP or LTHR (only provider TSS counts) and depends on input order.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed activity, profile, date or option.
 */
export function score(
  activities: readonly PatternActivity[],
  profile: LoadProfile,
  options: FitnessScoreOptions,
): FitnessScore {
  const sorted = checkActivities(activities)
  checkObject(profile, 'profile')
  const opts = optionsOrEmpty(options)
  const today = toDayNumber(opts.to, 'to')
  const window = withDefault(opts.window, 30)
  if (window !== 30 && window !== 90) throw invalidInput('window', '30 or 90 (days)', window)
  const sleepScore =
    opts.sleepScore === undefined ? null : checkNumber(opts.sleepScore, 'sleepScore', score100)

  const upToToday = sorted.filter((activity) => activity.start.day <= today)
  let activitiesWithoutLoad = 0
  const entries = upToToday.map((activity) => {
    const load = loadOf(activity, profile)
    if (load === null) activitiesWithoutLoad++
    return { date: fromDayNumber(activity.start.day), load: load ?? 0 }
  })
  const ctl = entries.length === 0 ? 0 : (pmc(entries, { to: opts.to }).current?.ctl ?? 0)

  const inWindow = upToToday.filter((activity) => activity.start.day > today - window)
  const consistency = consistencyOfDays(inWindow.map((activity) => activity.start.day))
  const improvement = paceImprovementOf(inWindow)
  const performance = improvement === null ? 50 : performanceScore(improvement)
  const combined = combine({ ctl, consistencyScore: consistency, performanceScore: performance })
  return {
    ...combined,
    ctl,
    consistencyScore: consistency,
    performanceScore: performance,
    paceImprovementPercent: improvement,
    trend: durationTrend(inWindow),
    adjustedScore:
      sleepScore === null ? null : applyRecoveryAdjustment({ score: combined.score, sleepScore }),
    activitiesInWindow: inWindow.length,
    activitiesWithoutLoad,
  }
}

function loadOf(activity: CheckedActivity, profile: LoadProfile): number | null {
  if (activity.load !== null) return activity.load
  const power = activity.normalizedPower ?? activity.averagePower
  const result = activityLoad(
    {
      durationSec: activity.durationSec,
      ...(power === null ? {} : { averagePower: power }),
      ...(activity.avgHr === null ? {} : { avgHr: activity.avgHr }),
      ...(activity.distanceM === null || activity.durationSec === 0
        ? {}
        : { speedMps: activity.distanceM / activity.durationSec }),
    },
    profile,
  )
  return result?.load ?? null
}

function durationTrend(sorted: readonly CheckedActivity[]): FitnessTrend {
  if (sorted.length < 2) return 'stable'
  const half = Math.floor(sorted.length / 2)
  const earlier = meanOf(sorted.slice(0, half).map((activity) => activity.durationSec))
  const later = meanOf(sorted.slice(half).map((activity) => activity.durationSec))
  if (earlier === 0) return later > 0 ? 'improving' : 'stable'
  const change = (later - earlier) / earlier
  return change > 0.15 ? 'improving' : change < -0.15 ? 'declining' : 'stable'
}
