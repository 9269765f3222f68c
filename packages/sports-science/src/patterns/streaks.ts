import { fromDayNumber, toDayNumber } from '../internal/calendar.js'
import { parseLocalDateTime } from '../internal/dates.js'
import { checkNumber, invalidInput, optionsOrEmpty, withDefault } from '../internal/validate.js'

function activityDays(activityDates: readonly string[]): number[] {
  if (!Array.isArray(activityDates)) {
    throw invalidInput('activityDates', "an array of 'YYYY-MM-DD' dates", activityDates)
  }
  const days = activityDates.map(
    (date: string, index) => parseLocalDateTime(date, `activityDates[${index}]`).day,
  )
  return [...new Set(days)].sort((left, right) => left - right)
}

/**
 * Counts consecutive calendar days with at least one activity, ending on `asOf` or, when there was no
 * activity on `asOf` yet, on the day before (spec §9.5). Several sessions on one day count once;
 * dates after `asOf` are ignored. ⚠ The reference counts activities rather than days (a second
 * session on a day ends its streak) and tolerates one missing day.
 *
 * @param activityDates - local dates `YYYY-MM-DD` (or local date-times; only the date is used).
 * @param asOf - today's local date `YYYY-MM-DD` (the library never reads the clock).
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date.
 */
export function consecutiveTrainingDays(activityDates: readonly string[], asOf: string): number {
  const days = new Set(activityDays(activityDates))
  const today = toDayNumber(asOf, 'asOf')
  let day = days.has(today) ? today : today - 1
  let streak = 0
  while (days.has(day)) {
    streak++
    day--
  }
  return streak
}

/** A break in training between two activity dates. */
export interface TrainingGap {
  /** Last activity date before the gap. */
  readonly from: string
  /** First activity date after the gap. */
  readonly to: string
  /** Calendar days from `from` to `to`. */
  readonly days: number
  readonly severity: 'info' | 'warning'
}

/** Options of `patterns.trainingGaps`. */
export interface TrainingGapOptions {
  /** Gaps longer than this many days are reported; default 7. */
  readonly infoDays?: number | undefined
  /** Gaps longer than this many days are warnings; default 14. */
  readonly warningDays?: number | undefined
}

/**
 * Lists breaks between consecutive activity dates (spec §9.5): more than 7 days → `info`, more than 14
 * days → `warning` (product thresholds). Dates are sorted and de-duplicated first.
 *
 * @param activityDates - local dates `YYYY-MM-DD` (or local date-times; only the date is used).
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date or a negative threshold.
 */
export function trainingGaps(
  activityDates: readonly string[],
  options?: TrainingGapOptions,
): TrainingGap[] {
  const days = activityDays(activityDates)
  const opts = optionsOrEmpty(options)
  const infoDays = checkNumber(withDefault(opts.infoDays, 7), 'infoDays', { min: 0 })
  const warningDays = checkNumber(withDefault(opts.warningDays, 14), 'warningDays', {
    min: infoDays,
  })
  const gaps: TrainingGap[] = []
  for (let index = 1; index < days.length; index++) {
    const from = days[index - 1] as number
    const to = days[index] as number
    const length = to - from
    if (length <= infoDays) continue
    gaps.push({
      from: fromDayNumber(from),
      to: fromDayNumber(to),
      days: length,
      severity: length > warningDays ? 'warning' : 'info',
    })
  }
  return gaps
}
