/** Milliseconds in one day. */
export const dayMs = 86_400_000

/** Daylight-saving rule of a home place; evaluated per calendar date, no time-zone database. */
export type DaylightRule = 'north_america' | 'europe' | 'none'

/** Returns `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function toCalendarDate(dayNumber: number): string {
  return new Date(dayNumber * dayMs).toISOString().slice(0, 10)
}

/** Returns the day number (days since 1970-01-01) of a UTC instant. */
export function toDayNumber(epochMs: number): number {
  return Math.floor(epochMs / dayMs)
}

/** Returns 0 for Monday … 6 for Sunday. */
export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday.
  return (dayNumber + 3) % 7
}

function nthSunday(year: number, month: number, nth: number): number {
  const first = toDayNumber(Date.UTC(year, month, 1))
  const firstSunday = first + ((6 - weekdayOf(first) + 7) % 7)
  return firstSunday + 7 * (nth - 1)
}

function lastSunday(year: number, month: number): number {
  const last = toDayNumber(Date.UTC(year, month + 1, 0))
  return last - ((weekdayOf(last) + 1) % 7)
}

/** Returns the UTC offset in seconds of a local calendar day at a place with the given rule. */
export function utcOffsetSeconds(
  dayNumber: number,
  place: { readonly standardOffsetSeconds: number; readonly daylight: DaylightRule },
): number {
  if (place.daylight === 'none') return place.standardOffsetSeconds
  const year = new Date(dayNumber * dayMs).getUTCFullYear()
  const [start, end] =
    place.daylight === 'north_america'
      ? [nthSunday(year, 2, 2), nthSunday(year, 10, 1)]
      : [lastSunday(year, 2), lastSunday(year, 9)]
  const summer = dayNumber >= start && dayNumber < end
  return place.standardOffsetSeconds + (summer ? 3600 : 0)
}

/** Formats a local wall-clock time `YYYY-MM-DDTHH:mm:ss` from a UTC instant and an offset. */
export function toLocalDateTime(epochMs: number, offsetSeconds: number): string {
  return new Date(epochMs + offsetSeconds * 1000).toISOString().slice(0, 19)
}

/** Formats an instant as ISO-8601 UTC without milliseconds. */
export function toIsoInstant(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`
}

/** Rounds to a number of decimals (explicit rounding keeps JSON identical across platforms). */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}

/** Clamps a value to [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
