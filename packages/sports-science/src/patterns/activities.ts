import { type LocalDateTime, parseLocalDateTime } from '../internal/dates.js'
import {
  checkNumber,
  checkObject,
  invalidInput,
  type NumberRange,
  optionsOrEmpty,
} from '../internal/validate.js'

/** One training session as the pattern functions see it (spec §9). */
export interface PatternActivity {
  /** Local start `YYYY-MM-DDTHH:mm` (seconds allowed; no time-zone suffix). */
  readonly start: string
  /** Duration, s, 0 … 31 622 400 (366 days). */
  readonly durationSec: number
  /** Sport label as the caller names it (`run`, `ride`…), compared exactly. */
  readonly sport: string
  /** Distance, m, ≥ 0. */
  readonly distanceM?: number | undefined
  /** Average heart rate, beats/min, 20–250. */
  readonly avgHr?: number | undefined
  /** Average power, W, 0–2500. */
  readonly averagePower?: number | undefined
  /** Normalized power, W, 0–2500. */
  readonly normalizedPower?: number | undefined
  /** Training load (TSS or equivalent), ≥ 0. */
  readonly load?: number | undefined
}

/** The athlete's thresholds used to classify intensity; every field is optional. */
export interface IntensityProfile {
  /** Functional threshold power, W, 0 < ftp ≤ 2500. */
  readonly ftp?: number | undefined
  /** Lactate-threshold heart rate, beats/min, 20–250. */
  readonly lthr?: number | undefined
  /** Maximum heart rate, beats/min, 20–250. */
  readonly maxHr?: number | undefined
}

/** A checked activity with its parsed start and its position in the caller's list. */
export interface CheckedActivity {
  readonly index: number
  readonly start: LocalDateTime
  readonly durationSec: number
  readonly sport: string
  readonly distanceM: number | null
  readonly avgHr: number | null
  readonly averagePower: number | null
  readonly normalizedPower: number | null
  readonly load: number | null
}

const durationRange: NumberRange = { min: 0, max: 366 * 86_400, unit: 's' }
/** Plausible heart rate, beats/min (20–250, as in the load functions). */
const heartRateRange: NumberRange = { min: 20, max: 250, unit: 'beats/min' }
const powerRange: NumberRange = { min: 0, max: 2500, unit: 'W' }

/** Minimum activities for schedule, intensity and overtraining analyses (spec §9). */
export const minimumActivities = 6

function optional(value: unknown, field: string, range: NumberRange): number | null {
  return value === undefined ? null : checkNumber(value, field, range)
}

/** Checks one activity; `field` prefixes the names in messages (`activities[3]`). */
export function checkActivity(
  activity: PatternActivity,
  field: string,
  index = 0,
): CheckedActivity {
  checkObject(activity, field)
  if (typeof activity.sport !== 'string' || activity.sport.length === 0) {
    throw invalidInput(`${field}.sport`, 'a non-empty string', activity.sport)
  }
  return {
    index,
    start: parseLocalDateTime(activity.start, `${field}.start`),
    durationSec: checkNumber(activity.durationSec, `${field}.durationSec`, durationRange),
    sport: activity.sport,
    distanceM: optional(activity.distanceM, `${field}.distanceM`, { min: 0, unit: 'm' }),
    avgHr: optional(activity.avgHr, `${field}.avgHr`, heartRateRange),
    averagePower: optional(activity.averagePower, `${field}.averagePower`, powerRange),
    normalizedPower: optional(activity.normalizedPower, `${field}.normalizedPower`, powerRange),
    load: optional(activity.load, `${field}.load`, { min: 0 }),
  }
}

/** Checks a list of activities and sorts it by start (ties keep the input order). */
export function checkActivities(activities: readonly PatternActivity[]): CheckedActivity[] {
  if (!Array.isArray(activities)) {
    throw invalidInput('activities', 'an array of activities', activities)
  }
  const checked = activities.map((activity: PatternActivity, index) =>
    checkActivity(activity, `activities[${index}]`, index),
  )
  return checked.sort(
    (left, right) =>
      left.start.day - right.start.day ||
      left.start.minuteOfDay - right.start.minuteOfDay ||
      left.index - right.index,
  )
}

/** A checked intensity profile. */
export interface CheckedProfile {
  readonly ftp: number | null
  readonly lthr: number | null
  readonly maxHr: number | null
}

/** Checks the athlete's thresholds (an omitted profile has none). */
export function checkProfile(profile: IntensityProfile | undefined): CheckedProfile {
  const opts = optionsOrEmpty(profile, 'profile')
  return {
    ftp: optional(opts.ftp, 'ftp', { min: 0, minExclusive: true, max: 2500, unit: 'W' }),
    lthr: optional(opts.lthr, 'lthr', heartRateRange),
    maxHr: optional(opts.maxHr, 'maxHr', heartRateRange),
  }
}

/** Mean of a non-empty list. */
export function meanOf(values: readonly number[]): number {
  let sum = 0
  for (const value of values) sum += value
  return sum / values.length
}
