import { isoWeekStart, weekdayIndex } from '../internal/dates.js'
import { checkNumberArray } from '../internal/series.js'
import { checkOneOf, invalidInput, optionsOrEmpty, withDefault } from '../internal/validate.js'
import { checkActivities, minimumActivities, type PatternActivity } from './activities.js'

/** Day of the week, ISO order (Monday first). */
export type Weekday =
  | 'monday'
  | 'tuesday'
  | 'wednesday'
  | 'thursday'
  | 'friday'
  | 'saturday'
  | 'sunday'

const weekdays = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const satisfies readonly Weekday[]

/**
 * How schedule consistency is measured: `concentration` (default, the reference index 100·Σp²) or
 * `weekOverWeek` (mean Jaccard similarity of the training weekdays of consecutive ISO weeks × 100).
 */
export type ConsistencyMethod = 'concentration' | 'weekOverWeek'

const consistencyMethods = [
  'concentration',
  'weekOverWeek',
] as const satisfies readonly ConsistencyMethod[]

/** Options of `patterns.weeklySchedule`. */
export interface WeeklyScheduleOptions {
  readonly method?: ConsistencyMethod | undefined
}

/** Result of `patterns.weeklySchedule`. */
export interface WeeklySchedule {
  /** Sessions per weekday, Monday … Sunday (all 0 with insufficient data). */
  readonly weekdayCounts: readonly number[]
  /** Up to 3 weekdays with the most sessions (ties: Monday first). */
  readonly mostCommonDays: readonly Weekday[]
  /** Up to 2 local start hours (0–23) with the most sessions (ties: earlier first). */
  readonly mostCommonHours: readonly number[]
  /** Consistency 0–100 by the chosen method; `null` with insufficient data (or one ISO week for `weekOverWeek`). */
  readonly consistency: number | null
  /** n / max(1, spanDays/7), spanDays = last − first date + 1; `null` with insufficient data. */
  readonly avgActivitiesPerWeek: number | null
  readonly insufficientData: boolean
}

/**
 * Concentration of training on few weekdays (Pierre reference index, spec §9.1):
 * min(100, 100·Σ p_d²), p_d = count_d / n — a Herfindahl–Hirschman-type index (Hirschman A.O. 1964
 * *Am Econ Rev* 54:761). 100 when every session falls on one weekday, 100/7 ≈ 14.3 when spread
 * evenly — so an athlete who trains every day reads as "variable"; see `weekOverWeek` in
 * `patterns.weeklySchedule` for a regularity measure.
 *
 * @param weekdayCounts - sessions per weekday, Monday … Sunday (7 non-negative integers).
 * @returns the index, or `null` when every count is 0.
 * @throws {@link SportsScienceError} `INVALID_INPUT` unless given 7 non-negative integers.
 */
export function scheduleConsistency(weekdayCounts: ArrayLike<number>): number | null {
  const counts = checkNumberArray(weekdayCounts, 'weekdayCounts', { min: 0 })
  if (counts.length !== 7)
    throw invalidInput('weekdayCounts', 'an array of 7 counts', weekdayCounts)
  counts.forEach((count, index) => {
    if (!Number.isInteger(count)) {
      throw invalidInput(`weekdayCounts[${index}]`, 'a non-negative integer', count)
    }
  })
  const total = counts.reduce((sum, count) => sum + count, 0)
  if (total === 0) return null
  let concentration = 0
  for (const count of counts) concentration += (count / total) ** 2
  return Math.min(100, 100 * concentration)
}

/** The `limit` keys with the highest counts, ties by key order; zero counts are left out. */
function topKeys(counts: readonly number[], limit: number): number[] {
  return counts
    .map((count, key) => ({ count, key }))
    .filter((entry) => entry.count > 0)
    .sort((left, right) => right.count - left.count || left.key - right.key)
    .slice(0, limit)
    .map((entry) => entry.key)
}

/** Mean Jaccard similarity × 100 of the weekday sets of consecutive ISO weeks (empty pairs skipped). */
function weekOverWeek(days: readonly number[]): number | null {
  const firstWeek = isoWeekStart(days[0] as number)
  const lastWeek = isoWeekStart(days[days.length - 1] as number)
  const weekCount = (lastWeek - firstWeek) / 7 + 1
  if (weekCount < 2) return null
  const masks = new Array<number>(weekCount).fill(0)
  for (const day of days) {
    const week = (isoWeekStart(day) - firstWeek) / 7
    masks[week] = (masks[week] as number) | (1 << weekdayIndex(day))
  }
  let sum = 0
  let pairs = 0
  for (let week = 1; week < weekCount; week++) {
    const union = (masks[week] as number) | (masks[week - 1] as number)
    if (union === 0) continue
    sum += bitCount((masks[week] as number) & (masks[week - 1] as number)) / bitCount(union)
    pairs++
  }
  return pairs === 0 ? null : (100 * sum) / pairs
}

function bitCount(mask: number): number {
  let count = 0
  for (let rest = mask; rest !== 0; rest &= rest - 1) count++
  return count
}

/**
 * Describes when an athlete trains (spec §9.1): sessions per weekday, the 3 most common weekdays and 2
 * most common start hours (deterministic ties: Monday first, earlier hour first), consistency and
 * sessions per week n / max(1, spanDays/7) with spanDays = last − first date + 1. Consistency is the
 * reference concentration index (`patterns.scheduleConsistency`) or, with `method: 'weekOverWeek'`, the
 * mean Jaccard similarity (Jaccard P. 1912 *New Phytol* 11:37–50) of the weekday sets of consecutive ISO
 * weeks × 100, empty weeks included (a pair of two empty weeks is skipped). Needs 6 activities, else an
 * empty result with `insufficientData: true`. ⚠ The reference breaks ties in hash-map order and divides
 * by days/7 without the + 1.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed activity or method.
 */
export function weeklySchedule(
  activities: readonly PatternActivity[],
  options?: WeeklyScheduleOptions,
): WeeklySchedule {
  const sorted = checkActivities(activities)
  const method = checkOneOf(
    withDefault(optionsOrEmpty(options).method, 'concentration'),
    'method',
    consistencyMethods,
  )
  if (sorted.length < minimumActivities) {
    return {
      weekdayCounts: [0, 0, 0, 0, 0, 0, 0],
      mostCommonDays: [],
      mostCommonHours: [],
      consistency: null,
      avgActivitiesPerWeek: null,
      insufficientData: true,
    }
  }
  const weekdayCounts = [0, 0, 0, 0, 0, 0, 0]
  const hourCounts = new Array<number>(24).fill(0)
  for (const { start } of sorted) {
    const weekday = weekdayIndex(start.day)
    weekdayCounts[weekday] = (weekdayCounts[weekday] as number) + 1
    const hour = Math.floor(start.minuteOfDay / 60)
    hourCounts[hour] = (hourCounts[hour] as number) + 1
  }
  const days = sorted.map((activity) => activity.start.day)
  const spanDays = (days[days.length - 1] as number) - (days[0] as number) + 1
  return {
    weekdayCounts,
    mostCommonDays: topKeys(weekdayCounts, 3).map((key) => weekdays[key] as Weekday),
    mostCommonHours: topKeys(hourCounts, 2),
    consistency:
      method === 'concentration' ? scheduleConsistency(weekdayCounts) : weekOverWeek(days),
    avgActivitiesPerWeek: sorted.length / Math.max(1, spanDays / 7),
    insufficientData: false,
  }
}
