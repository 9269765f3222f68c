/** A Terra timestamp (`2025-03-14T07:02:13.000000-04:00`) read into its parts. */
export interface TerraTime {
  /** Epoch milliseconds. */
  readonly ms: number
  /** The UTC offset written in the timestamp, seconds; `undefined` when it has none. */
  readonly offsetSeconds: number | undefined
  /** Local wall clock `YYYY-MM-DDTHH:mm:ss`. */
  readonly local: string
  /** Local calendar date `YYYY-MM-DD`. */
  readonly date: string
}

const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/

const maxOffsetSeconds = 14 * 3600

/**
 * Reads a Terra timestamp: ISO-8601 with microseconds and the local offset. A timestamp without an
 * offset is read as UTC with the offset unknown. Returns `undefined` for anything else.
 */
export function parseTerraTime(value: unknown): TerraTime | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined
  const match = timestampPattern.exec(value.trim())
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    string | undefined,
  ]
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const [y, mo, d, h, mi, s] = parts
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined
  const wallMs = Date.UTC(y, mo - 1, d, h, mi, s)
  // Date.UTC rolls 2025-02-30 over to March; a real timestamp never needs that.
  if (new Date(wallMs).getUTCDate() !== d) return undefined
  let offsetSeconds: number | undefined
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offsetSeconds = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60)
    if (Math.abs(offsetSeconds) > maxOffsetSeconds) return undefined
  } else if (zone === 'Z') {
    offsetSeconds = 0
  }
  const fractionMs = fraction === '' ? 0 : Math.floor(Number(`0${fraction}`) * 1000)
  const ms = wallMs - (offsetSeconds ?? 0) * 1000 + fractionMs
  return {
    ms,
    offsetSeconds,
    local: `${year}-${month}-${day}T${hour}:${minute}:${second}`,
    date: `${year}-${month}-${day}`,
  }
}

/** Formats an instant as ISO-8601 UTC, without milliseconds when they are zero. */
export function toInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/** Formats an instant as ISO-8601 UTC with milliseconds, which sorts correctly as text. */
export function toSortableInstant(ms: number): string {
  return new Date(ms).toISOString()
}

const dayMs = 86_400_000

/** Returns the UTC calendar date of an instant, shifted by whole days. */
export function utcDate(ms: number, shiftDays = 0): string {
  return new Date(ms + shiftDays * dayMs).toISOString().slice(0, 10)
}

/** Returns the instant of 00:00 UTC of a calendar date. */
export function dateStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`)
}
