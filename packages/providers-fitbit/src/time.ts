// Calendar helpers for Google Health's civil dates, on the platform's Intl time-zone data.

/** Returns `value` when it is an IANA zone Intl knows, else `fallback`. */
export function resolveTimeZone(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value === '') return fallback
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return value
  } catch {
    return fallback
  }
}

/** The UTC wall clock of `ms` as a civil literal `YYYY-MM-DDTHH:mm:ss` (filters take no zone). */
export function civilDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** The local date `YYYY-MM-DD` of the instant `ms` in an IANA zone. */
export function localDateOf(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(ms))
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '00'
  return `${part('year')}-${part('month')}-${part('day')}`
}

/** The offset of an IANA zone from UTC at the instant `ms`, in ms. */
function offsetMs(ms: number, timeZone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(ms))
      .find((entry) => entry.type === 'timeZoneName')?.value ?? 'GMT'
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name)
  if (match === null) return 0
  const minutes = Number(match[2]) * 60 + Number(match[3])
  return (match[1] === '-' ? -1 : 1) * minutes * 60_000
}

/** Local midnight of a `YYYY-MM-DD` date in an IANA zone, as an ISO UTC instant. */
export function localMidnight(date: string, timeZone: string): string {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`)
  // Two passes settle the offset on days when it changes (DST).
  const first = utcMidnight - offsetMs(utcMidnight, timeZone)
  const second = utcMidnight - offsetMs(first, timeZone)
  return new Date(second).toISOString().replace('.000Z', 'Z')
}
