import { invalidInput } from './validate.js'

const dash = 45
const zero = 48

/** Reads `length` decimal digits of `text` from `start`; −1 when one of them is not a digit. */
function readDigits(text: string, start: number, length: number): number {
  let value = 0
  for (let index = start; index < start + length; index++) {
    const digit = text.charCodeAt(index) - zero
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/**
 * Converts a local calendar date `YYYY-MM-DD` to a day number (days since 1970-01-01 in the
 * proleptic Gregorian calendar). Pure arithmetic: no `Date`, no time zone (spec §1.3).
 * Throws `INVALID_INPUT` naming `field` for anything that is not a real calendar date.
 */
export function toDayNumber(date: unknown, field: string): number {
  if (
    typeof date !== 'string' ||
    date.length !== 10 ||
    date.charCodeAt(4) !== dash ||
    date.charCodeAt(7) !== dash
  ) {
    throw invalidInput(field, "a calendar date 'YYYY-MM-DD'", date)
  }
  const year = readDigits(date, 0, 4)
  const month = readDigits(date, 5, 2)
  const day = readDigits(date, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw invalidInput(field, "a calendar date 'YYYY-MM-DD'", date)
  }
  return daysFromCivil(year, month, day)
}

const twoDigits = Array.from({ length: 32 }, (_, value) => String(value).padStart(2, '0'))

/** Converts a day number back to `YYYY-MM-DD`. */
export function fromDayNumber(dayNumber: number): string {
  const { year, month, day } = civilFromDayNumber(dayNumber)
  const yearText = year >= 1000 && year <= 9999 ? String(year) : String(year).padStart(4, '0')
  return `${yearText}-${twoDigits[month]}-${twoDigits[day]}`
}

/** The civil date of a day number: inverse of {@link daysFromCivil} (H. Hinnant, 2013). */
export function civilFromDayNumber(dayNumber: number): {
  year: number
  month: number
  day: number
} {
  const z = dayNumber + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  )
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Days in `month` (1–12) of `year`, Gregorian leap rule. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** Days since 1970-01-01 of a valid civil date (the era-based method of H. Hinnant, 2013). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/** The `YYYY-MM-DD` strings of `count` consecutive days from `fromDay`, built month by month. */
export function consecutiveDates(fromDay: number, count: number): string[] {
  const out = new Array<string>(count)
  if (count === 0) return out
  const first = fromDayNumber(fromDay)
  let year = Number(first.slice(0, -6))
  let month = Number(first.slice(-5, -3))
  let day = Number(first.slice(-2))
  let prefix = first.slice(0, -2)
  let monthLength = daysInMonth(year, month)
  for (let index = 0; index < count; index++) {
    out[index] = prefix + (twoDigits[day] as string)
    if (++day > monthLength) {
      day = 1
      if (++month > 12) {
        month = 1
        year++
      }
      monthLength = daysInMonth(year, month)
      prefix = fromDayNumber(fromDay + index + 1).slice(0, -2)
    }
  }
  return out
}
