import { ProviderError } from '@pierre/providers-core'

const dayMs = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * Returns a formatter for an IANA zone.
 *
 * @throws ProviderError `invalid_argument` when the zone is unknown.
 */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
    } catch (error) {
      throw new ProviderError('invalid_argument', `unknown time zone ${timeZone}`, {
        provider: 'coros',
        cause: error,
      })
    }
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/**
 * Checks that `timeZone` is an IANA zone the runtime knows.
 *
 * @throws ProviderError `invalid_argument` when it is not.
 */
export function checkTimeZone(timeZone: string): void {
  formatterOf(timeZone)
}

/** Offset of `timeZone` from UTC at an instant, in seconds (−14 400 for Montréal in summer). */
export function zoneOffsetSeconds(timeZone: string, instantMs: number): number {
  const parts: Record<string, number> = {}
  for (const part of formatterOf(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const wallMs = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  )
  return Math.round((wallMs - Math.floor(instantMs / 1000) * 1000) / 1000)
}

/** The local calendar date `YYYY-MM-DD` of an instant in a zone (UTC when absent). */
export function localDate(instantMs: number, timeZone: string | undefined): string {
  const offset = timeZone === undefined ? 0 : zoneOffsetSeconds(timeZone, instantMs)
  return new Date(instantMs + offset * 1000).toISOString().slice(0, 10)
}

/** The instant of local midnight starting `date` (`YYYY-MM-DD`) in a zone (UTC when absent). */
export function localMidnightMs(date: string, timeZone: string | undefined): number {
  const wallMs = Date.parse(`${date}T00:00:00Z`)
  if (timeZone === undefined) return wallMs
  // Two passes: the offset at the guess may differ from the offset at midnight near a DST change.
  const guess = wallMs - zoneOffsetSeconds(timeZone, wallMs) * 1000
  return wallMs - zoneOffsetSeconds(timeZone, guess) * 1000
}

/** Adds whole days to a calendar date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)
}

/** Subtracts calendar months from a date (the day overflows into the next month, as `Date` does). */
export function subtractMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1 - months, day)).toISOString().slice(0, 10)
}

/** `2025-03-14` → `20250314`, the date form of COROS queries. */
export function toCorosDate(date: string): string {
  return date.replaceAll('-', '')
}

/** `20250314` → `2025-03-14`; undefined when it is not a real date. */
export function fromCorosDate(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !/^\d{8}$/.test(text)) return undefined
  const date = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
  const ms = Date.parse(`${date}T00:00:00Z`)
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date ? date : undefined
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs)
}

/** An instant in epoch seconds as ISO UTC without milliseconds (`2025-03-14T11:02:13Z`). */
export function isoOfSeconds(seconds: number): string {
  return new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z')
}
