import { civilFromDayNumber, daysFromCivil, daysInMonth } from './calendar.js'
import { invalidInput } from './validate.js'

// Local date-times, clock times and ISO weeks on top of the day numbers of calendar.ts (spec §1.3).

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/
const clockPattern = /^(\d{2}):(\d{2})$/

/** Minutes in one day. */
export const minutesPerDay = 1440

/** A local date-time split into its day number and the minute of that day. */
export interface LocalDateTime {
  /** Days since 1970-01-01. */
  readonly day: number
  /** Minutes since local midnight, 0–1439 (seconds are dropped). */
  readonly minuteOfDay: number
}

/** Day number of the date in the first three groups of `match`, or `null` when no such date exists. */
function civilDay(match: RegExpExecArray): number | null {
  const year = Number(match[1])
  const month = Number(match[2])
  const dayOfMonth = Number(match[3])
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month))
    return null
  return daysFromCivil(year, month, dayOfMonth)
}

const dateTimeExpectation = "a local date-time 'YYYY-MM-DDTHH:mm' (or a date 'YYYY-MM-DD')"

/**
 * Parses a local date-time `YYYY-MM-DDTHH:mm` (optionally `:ss` and a fraction, `T` or a space; a bare
 * date means midnight). Time-zone suffixes are rejected: the caller supplies local time (spec §1.3).
 */
export function parseLocalDateTime(value: unknown, field: string): LocalDateTime {
  const match = typeof value === 'string' ? dateTimePattern.exec(value) : null
  const day = match === null ? null : civilDay(match)
  if (match === null || day === null) throw invalidInput(field, dateTimeExpectation, value)
  const hours = match[4] === undefined ? 0 : Number(match[4])
  const minutes = match[5] === undefined ? 0 : Number(match[5])
  const seconds = match[6] === undefined ? 0 : Number(match[6])
  if (hours > 23 || minutes > 59 || seconds > 59)
    throw invalidInput(field, dateTimeExpectation, value)
  return { day, minuteOfDay: hours * 60 + minutes }
}

/** Parses a wall-clock time `HH:MM` (00:00–23:59) into minutes since midnight. */
export function parseClockTime(value: unknown, field: string): number {
  const match = typeof value === 'string' ? clockPattern.exec(value) : null
  const hours = match === null ? 24 : Number(match[1])
  const minutes = match === null ? 60 : Number(match[2])
  if (hours > 23 || minutes > 59)
    throw invalidInput(field, "a time of day 'HH:MM' (00:00–23:59)", value)
  return hours * 60 + minutes
}

/** Formats minutes since midnight (0–1439) as `HH:MM`. */
export function formatClockTime(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60)
  const minutes = minuteOfDay - hours * 60
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
}

/** Weekday of a day number, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7
}

/** Day number of the Monday that starts the ISO week containing `day`. */
export function isoWeekStart(day: number): number {
  return day - weekdayIndex(day)
}

/** ISO 8601 week label `YYYY-Www` of a day number (the week-year is the year of its Thursday). */
export function isoWeekLabel(day: number): string {
  const thursday = isoWeekStart(day) + 3
  const { year } = civilFromDayNumber(thursday)
  const week = Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}
