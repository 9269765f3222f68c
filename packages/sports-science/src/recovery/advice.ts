import { formatClockTime, minutesPerDay, parseClockTime } from '../internal/dates.js'
import { checkInteger, checkNumberArray } from '../internal/series.js'
import {
  checkNonNegative,
  checkNumber,
  checkObject,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'

/** Arguments of `recovery.sleepTarget`. */
export interface SleepTargetArgs {
  /** Training stress balance, TSS units. */
  readonly tsb: number
  /** Acute training load (7-day), TSS/day, ≥ 0. */
  readonly atl: number
}

/**
 * Recommends tonight's sleep, hours (Pierre reference rule, spec §6.10): 8 h (the athlete optimum)
 * + 0.5 h when tsb < −10, else + 0.25 h when atl > 100. Athletes are advised more than the adult
 * 7–9 h (Walsh N.P. et al. 2021 *Br J Sports Med* 55:356–368); the increments are product heuristics.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when tsb is not finite or atl is negative.
 */
export function sleepTarget(args: SleepTargetArgs): number {
  checkObject(args, 'args')
  const tsb = checkNumber(args.tsb, 'tsb')
  const atl = checkNonNegative(args.atl, 'atl', 'TSS/day')
  if (tsb < -10) return 8.5
  if (atl > 100) return 8.25
  return 8
}

/** Arguments of `recovery.bedtime`. */
export interface BedtimeArgs {
  /** Wake-up time `HH:MM`, 24-hour clock. */
  readonly wake: string
  /** Sleep wanted, hours, 0–24. */
  readonly targetHours: number
  /** Time to fall asleep after going to bed, whole minutes 0–240; default 15. */
  readonly windDownMin?: number | undefined
}

/**
 * Returns the bedtime `HH:MM` for a wake-up time (spec §6.10): wake − round(targetHours·60) −
 * windDownMin, modulo 24 h (rounding half away from zero, to whole minutes). ⚠ The reference truncates
 * the minutes and answers "22:00" for a malformed wake time; here that is an error.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when wake is not `HH:MM`, targetHours is outside
 *   0–24 or windDownMin is not a whole number of minutes from 0 to 240.
 */
export function bedtime(args: BedtimeArgs): string {
  checkObject(args, 'args')
  const wakeMinute = parseClockTime(args.wake, 'wake')
  const targetHours = checkNumber(args.targetHours, 'targetHours', { min: 0, max: 24, unit: 'h' })
  const windDownMin = checkInteger(withDefault(args.windDownMin, 15), 'windDownMin', {
    min: 0,
    max: 240,
  })
  const minutes = wakeMinute - Math.round(targetHours * 60) - windDownMin
  return formatClockTime(((minutes % minutesPerDay) + minutesPerDay) % minutesPerDay)
}

/** Result of `recovery.sleepTrend`. */
export interface SleepTrend {
  readonly trend: 'improving' | 'declining' | 'stable'
  /** Mean quality of the last 7 nights; `null` with fewer than 14 nights. */
  readonly recentMean: number | null
  /** Mean quality of the 7 nights before; `null` with fewer than 14 nights. */
  readonly previousMean: number | null
}

/** Options of `recovery.sleepTrend`. */
export interface SleepTrendOptions {
  /** Smallest difference of the weekly means that counts, points ≥ 0; default 5. */
  readonly thresholdPoints?: number | undefined
}

/**
 * Compares the mean sleep quality of the last 7 nights with the 7 before (Pierre reference rule,
 * spec §6.11): more than 5 points higher → improving, more than 5 lower → declining, else stable;
 * fewer than 14 nights → stable with `null` means. `qualityScores` are 0–100 sleep-quality scores,
 * oldest first. A product heuristic (no single publication).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a score is outside 0–100 or the threshold is
 *   negative.
 */
export function sleepTrend(
  qualityScores: ArrayLike<number>,
  options?: SleepTrendOptions,
): SleepTrend {
  const scores = checkNumberArray(qualityScores, 'qualityScores', { min: 0, max: 100 })
  const opts = optionsOrEmpty(options)
  const threshold = checkNonNegative(withDefault(opts.thresholdPoints, 5), 'thresholdPoints')
  if (scores.length < 14) return { trend: 'stable', recentMean: null, previousMean: null }
  const weekMean = (from: number) => scores.slice(from, from + 7).reduce((sum, v) => sum + v, 0) / 7
  const recentMean = weekMean(scores.length - 7)
  const previousMean = weekMean(scores.length - 14)
  const difference = recentMean - previousMean
  const trend =
    difference > threshold ? 'improving' : difference < -threshold ? 'declining' : 'stable'
  return { trend, recentMean, previousMean }
}

/** Arguments of `recovery.sleepDebt`. */
export interface SleepDebtArgs {
  /** Sleep per night, hours 0–24, oldest first. */
  readonly nightsHours: ArrayLike<number>
  /** Sleep needed per night, hours 0–24; default 8. */
  readonly targetHours?: number | undefined
  /** Nights counted, the most recent ones, an integer ≥ 1; default 7. */
  readonly nights?: number | undefined
}

/** Result of `recovery.sleepDebt`. */
export interface SleepDebt {
  /** Σ max(0, target − sleep) over the counted nights, hours. */
  readonly debtHours: number
  /** Nights actually counted (fewer than `nights` when fewer were given). */
  readonly nightsCounted: number
}

/**
 * Sums the sleep shortfall of the most recent nights, hours: Σ max(0, targetHours − sleep) over the
 * last `nights` nights (spec §14; surplus nights do not repay debt). Cumulative sleep restriction
 * impairs performance even when each night seems tolerable (Van Dongen H.P.A. et al. 2003 *Sleep*
 * 26:117–126).
 *
 * @returns the debt, or `null` when no night is given.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a night or the target is outside 0–24 h or
 *   nights is not a positive integer.
 */
export function sleepDebt(args: SleepDebtArgs): SleepDebt | null {
  checkObject(args, 'args')
  const hours = checkNumberArray(args.nightsHours, 'nightsHours', { min: 0, max: 24, unit: 'h' })
  const target = checkNumber(withDefault(args.targetHours, 8), 'targetHours', {
    min: 0,
    max: 24,
    unit: 'h',
  })
  const nights = checkInteger(withDefault(args.nights, 7), 'nights', { min: 1 })
  if (hours.length === 0) return null
  const counted = hours.slice(-nights)
  const debtHours = counted.reduce((sum, night) => sum + Math.max(0, target - night), 0)
  return { debtHours, nightsCounted: counted.length }
}
