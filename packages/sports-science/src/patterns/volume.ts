import { fromDayNumber } from '../internal/calendar.js'
import { isoWeekLabel, isoWeekStart } from '../internal/dates.js'
import { checkNumberArray } from '../internal/series.js'
import { checkNumber, checkOneOf, optionsOrEmpty, withDefault } from '../internal/validate.js'
import {
  type CheckedActivity,
  checkActivities,
  meanOf,
  type PatternActivity,
} from './activities.js'

/** What a weekly volume adds up (spec §9.3). */
export type VolumeMetric = 'distanceKm' | 'durationHours' | 'load'

const volumeMetrics = [
  'distanceKm',
  'durationHours',
  'load',
] as const satisfies readonly VolumeMetric[]

/** Options of `patterns.weeklyVolumes`. */
export interface WeeklyVolumesOptions {
  /** Default `distanceKm`. */
  readonly metric?: VolumeMetric | undefined
}

/** Result of `patterns.weeklyVolumes`: parallel lists, one entry per ISO week. */
export interface WeeklyVolumes {
  /** Monday of each week, `YYYY-MM-DD`. */
  readonly weekStarts: readonly string[]
  /** ISO week label of each week, `YYYY-Www`. */
  readonly isoWeeks: readonly string[]
  /** Volume of each week in the metric's unit (km, h or load units); empty weeks are 0. */
  readonly volumes: readonly number[]
  /** Activities without the metric's field (no distance, no load); they add 0. */
  readonly activitiesWithoutMetric: number
}

function metricValue(activity: CheckedActivity, metric: VolumeMetric): number | null {
  switch (metric) {
    case 'distanceKm':
      return activity.distanceM === null ? null : activity.distanceM / 1000
    case 'durationHours':
      return activity.durationSec / 3600
    case 'load':
      return activity.load
  }
}

/**
 * Sums training volume per ISO week (Monday start, local dates; spec §9.3), one entry for every week
 * from the first activity's week to the last one's, **empty weeks included as 0** — so a comeback
 * week is compared with the empty week before it, not with the last week of training. Metric:
 * `distanceKm` (default), `durationHours` or `load`. ISO 8601 week numbering. ⚠ The reference counts
 * weeks from the first activity and drops empty weeks.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed activity or metric.
 */
export function weeklyVolumes(
  activities: readonly PatternActivity[],
  options?: WeeklyVolumesOptions,
): WeeklyVolumes {
  const sorted = checkActivities(activities)
  const metric = checkOneOf(
    withDefault(optionsOrEmpty(options).metric, 'distanceKm'),
    'metric',
    volumeMetrics,
  )
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  if (first === undefined || last === undefined) {
    return { weekStarts: [], isoWeeks: [], volumes: [], activitiesWithoutMetric: 0 }
  }
  const firstWeek = isoWeekStart(first.start.day)
  const weekCount = (isoWeekStart(last.start.day) - firstWeek) / 7 + 1
  const volumes = new Array<number>(weekCount).fill(0)
  let activitiesWithoutMetric = 0
  for (const activity of sorted) {
    const value = metricValue(activity, metric)
    if (value === null) {
      activitiesWithoutMetric++
      continue
    }
    const week = (isoWeekStart(activity.start.day) - firstWeek) / 7
    volumes[week] = (volumes[week] as number) + value
  }
  const weekDays = volumes.map((_, week) => firstWeek + 7 * week)
  return {
    weekStarts: weekDays.map(fromDayNumber),
    isoWeeks: weekDays.map(isoWeekLabel),
    volumes,
    activitiesWithoutMetric,
  }
}

/** Direction of weekly volume. */
export type VolumeTrend = 'increasing' | 'decreasing' | 'stable'

/** Options of `patterns.volumeProgression`. */
export interface VolumeProgressionOptions {
  /** Week-over-week increase (fraction) above which a week is a spike; default 0.10. */
  readonly spikeThreshold?: number | undefined
  /** Increase above which a spike is large; default 0.30 (Nielsen et al. 2014). */
  readonly largeSpikeThreshold?: number | undefined
}

/** Result of `patterns.volumeProgression`. */
export interface VolumeProgression {
  /** 0-based indices of weeks more than `spikeThreshold` above the week before. */
  readonly spikeWeeks: readonly number[]
  /** 0-based indices of weeks more than `largeSpikeThreshold` above the week before. */
  readonly largeSpikeWeeks: readonly number[]
  readonly trend: VolumeTrend
  /** Change of the last third's mean over the first third's, fraction; `null` below 3 weeks or from 0. */
  readonly trendChange: number | null
  readonly recommendation: string
}

/**
 * Flags sudden rises in weekly volume and the overall trend (spec §9.3). Week i is a spike when the
 * week before was above 0 and (v_i − v_{i−1})/v_{i−1} > spikeThreshold (strictly; a week after an
 * empty week is not compared), a large spike above `largeSpikeThreshold`. Trend: with k = ⌊n/3⌋,
 * the mean of the last k weeks against the first k: > +10% increasing, < −10% decreasing (from a
 * first mean of 0: increasing if the last mean is above 0); stable below 3 weeks. Evidence: the 10%
 * rule is convention — a randomised trial found no fewer injuries with it (Buist I. et al. 2008 *Am J
 * Sports Med* 36:33–39), while novice runners raising weekly distance by more than 30% were injured
 * more often (Nielsen R.O. et al. 2014 *J Orthop Sports Phys Ther* 44:739–747).
 *
 * @param weeklyVolumes - one non-negative volume per consecutive week, oldest first (for example
 *   `patterns.weeklyVolumes(…).volumes`).
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a volume is negative or not finite, or a
 *   threshold is negative.
 */
export function volumeProgression(
  weeklyVolumes: ArrayLike<number>,
  options?: VolumeProgressionOptions,
): VolumeProgression {
  const volumes = checkNumberArray(weeklyVolumes, 'weeklyVolumes', { min: 0 })
  const opts = optionsOrEmpty(options)
  const spikeThreshold = checkNumber(withDefault(opts.spikeThreshold, 0.1), 'spikeThreshold', {
    min: 0,
  })
  const largeSpikeThreshold = checkNumber(
    withDefault(opts.largeSpikeThreshold, 0.3),
    'largeSpikeThreshold',
    { min: 0 },
  )
  const spikeWeeks: number[] = []
  const largeSpikeWeeks: number[] = []
  for (let week = 1; week < volumes.length; week++) {
    const previous = volumes[week - 1] as number
    if (previous <= 0) continue
    const change = ((volumes[week] as number) - previous) / previous
    if (change > spikeThreshold) spikeWeeks.push(week)
    if (change > largeSpikeThreshold) largeSpikeWeeks.push(week)
  }
  let trend: VolumeTrend = 'stable'
  let trendChange: number | null = null
  if (volumes.length >= 3) {
    const k = Math.floor(volumes.length / 3)
    const firstMean = meanOf(volumes.slice(0, k))
    const lastMean = meanOf(volumes.slice(-k))
    if (firstMean === 0) {
      trend = lastMean > 0 ? 'increasing' : 'stable'
    } else {
      trendChange = (lastMean - firstMean) / firstMean
      trend = trendChange > 0.1 ? 'increasing' : trendChange < -0.1 ? 'decreasing' : 'stable'
    }
  }
  return {
    spikeWeeks,
    largeSpikeWeeks,
    trend,
    trendChange,
    recommendation: recommendationFor(spikeWeeks.length, largeSpikeWeeks.length, trend),
  }
}

function recommendationFor(spikes: number, largeSpikes: number, trend: VolumeTrend): string {
  if (largeSpikes > 0) {
    return 'weekly volume jumped by more than 30% at least once; build up in smaller steps'
  }
  if (spikes > 0) return 'weekly volume rose by more than 10% at least once; watch for fatigue'
  if (trend === 'decreasing') return 'volume is falling; fine for a taper or a recovery block'
  if (trend === 'increasing') return 'volume is rising steadily'
  return 'volume is steady'
}
