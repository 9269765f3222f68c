/** How failed idempotent requests are retried (`specs/providers.md` §5.2). */
export interface RetryPolicy {
  /** Retries after the first attempt; 3 by default. */
  readonly maxRetries: number
  /** Delay before the first retry, ms; 1000 by default. Doubles on each retry. */
  readonly initialDelayMs: number
  /** Largest delay before jitter, ms; 30 000 by default. */
  readonly maxDelayMs: number
  /** Jitter as a fraction of the delay, 0–1; 0.1 (±10 %) by default. */
  readonly jitterFraction: number
  /**
   * Longest wait a provider may ask for (`Retry-After`, rate-limit reset) that is still waited
   * out, seconds; 60 by default. A longer one fails at once with `rate_limited`.
   */
  readonly maxRetryAfterSeconds: number
}

/** The default retry policy: 3 retries, 1 s doubling to at most 30 s, ±10 % jitter, waits ≤ 60 s. */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxRetries: 3,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  jitterFraction: 0.1,
  maxRetryAfterSeconds: 60,
})

/**
 * Returns the delay before retry number `retry` (1-based):
 * `min(maxDelayMs, initialDelayMs · 2^(retry−1))`, then ± `jitterFraction`, rounded to whole ms.
 *
 * @param retry - 1 for the first retry.
 * @param policy - delays and jitter; {@link defaultRetryPolicy} values by default.
 * @param random - a number in [0, 1); `Math.random` by default.
 */
export function computeBackoffMs(
  retry: number,
  policy: Partial<Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs' | 'jitterFraction'>> = {},
  random: () => number = Math.random,
): number {
  const initial = Math.max(0, policy.initialDelayMs ?? defaultRetryPolicy.initialDelayMs)
  const max = Math.max(0, policy.maxDelayMs ?? defaultRetryPolicy.maxDelayMs)
  const jitter = Math.min(
    1,
    Math.max(0, policy.jitterFraction ?? defaultRetryPolicy.jitterFraction),
  )
  const exponent = Math.max(0, Math.floor(retry) - 1)
  const base = Math.min(max, initial * 2 ** Math.min(exponent, 60))
  const draw = random()
  const unit = Number.isFinite(draw) ? Math.min(1, Math.max(0, draw)) : 0.5
  return Math.round(base * (1 + jitter * (2 * unit - 1)))
}

const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const longDayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const monthNames = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
]
const month = monthNames.join('|')

// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms.
const imfFixdate = new RegExp(
  `^(${dayNames.join('|')}), (\\d{2}) (${month}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`,
)
const rfc850Date = new RegExp(
  `^(${longDayNames.join('|')}), (\\d{2})-(${month})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`,
)
const asctimeDate = new RegExp(
  `^(${dayNames.join('|')}) (${month}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`,
)

/**
 * Parses an HTTP date (RFC 9110 §5.6.7: IMF-fixdate, RFC 850 or asctime) to epoch milliseconds.
 *
 * @returns the instant, or `undefined` for anything else (never throws).
 */
export function parseHttpDate(value: string): number | undefined {
  const parts = httpDateParts(value.trim())
  if (parts === undefined) return undefined
  const [year, monthIndex, day, hour, minute, second] = parts
  if (hour > 23 || minute > 59 || second > 60) return undefined
  const instant = Date.UTC(year, monthIndex, day, hour, minute, Math.min(second, 59))
  const check = new Date(instant)
  if (check.getUTCDate() !== day || check.getUTCMonth() !== monthIndex) return undefined
  return instant
}

type DateParts = [number, number, number, number, number, number]

function httpDateParts(text: string): DateParts | undefined {
  const fixdate = imfFixdate.exec(text)
  if (fixdate !== null) {
    const [, , day, name, year, hour, minute, second] = fixdate
    return [
      Number(year),
      monthNames.indexOf(name as string),
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
    ]
  }
  const rfc850 = rfc850Date.exec(text)
  if (rfc850 !== null) {
    const [, , day, name, shortYear, hour, minute, second] = rfc850
    // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the past century.
    const twoDigit = Number(shortYear)
    const year = twoDigit < 70 ? 2000 + twoDigit : 1900 + twoDigit
    return [
      year,
      monthNames.indexOf(name as string),
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
    ]
  }
  const asctime = asctimeDate.exec(text)
  if (asctime !== null) {
    const [, , name, day, hour, minute, second, year] = asctime
    return [
      Number(year),
      monthNames.indexOf(name as string),
      Number((day as string).trim()),
      Number(hour),
      Number(minute),
      Number(second),
    ]
  }
  return undefined
}

/**
 * Parses a `Retry-After` header value (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
 *
 * @param value - the header value; `null`/`undefined` when absent.
 * @param now - the current time, to turn a date into a delay.
 * @returns whole seconds to wait (0 for a date in the past), or `undefined` when the value is
 *   absent or unusable. Never throws.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+$/.test(text)) {
    const seconds = Number(text)
    return Number.isSafeInteger(seconds) ? seconds : undefined
  }
  const instant = parseHttpDate(text)
  if (instant === undefined) return undefined
  const nowMs = now.getTime()
  if (!Number.isFinite(nowMs)) return undefined
  return Math.max(0, Math.ceil((instant - nowMs) / 1000))
}
