/** One rate-limit window as read from response headers. */
export interface RateLimitWindow {
  /** Window name: `default`, `15min`, `daily`, `read_15min`… */
  readonly name: string
  /** Requests allowed in the window, when known. */
  readonly limit: number | undefined
  /** Requests left in the window, when known. */
  readonly remaining: number | undefined
  /** When the window resets, epoch milliseconds, when known. */
  readonly resetAtMs: number | undefined
}

/** Header values by name, either a fetch `Headers` or a plain record (any letter case). */
export type HeaderSource =
  | Headers
  | Readonly<Record<string, string | readonly string[] | null | undefined>>

/**
 * Reads rate-limit windows from response headers. Must never throw: unusable values are skipped.
 */
export type RateLimitParser = (headers: HeaderSource, now: Date) => readonly RateLimitWindow[]

// A case-insensitive getter over a HeaderSource.
function headerGetter(headers: HeaderSource): (name: string) => string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    return (name) => headers.get(name) ?? undefined
  }
  const lower = new Map<string, string>()
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') lower.set(key.toLowerCase(), value)
    else if (Array.isArray(value)) lower.set(key.toLowerCase(), value.map(String).join(', '))
  }
  return (name) => lower.get(name.toLowerCase())
}

/**
 * One header of a fetch `Headers` or a plain record (Node's `IncomingHttpHeaders`), any letter
 * case; a repeated header as its values joined with `", "`, as `Headers` does. For webhook
 * receivers that take headers from any framework.
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  return headerGetter(headers)(name)
}

function firstInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const match = /^\s*(\d{1,15})(?:\s*(?:[,;].*)?)$/s.exec(value)
  if (match === null) return undefined
  const number = Number(match[1])
  return Number.isSafeInteger(number) ? number : undefined
}

// Epoch seconds are above this; smaller reset values are a delay in seconds.
const epochSecondsThreshold = 1_000_000_000

function resetToMs(reset: number | undefined, nowMs: number): number | undefined {
  if (reset === undefined) return undefined
  return reset >= epochSecondsThreshold ? reset * 1000 : nowMs + reset * 1000
}

function structuredParam(value: string, key: string): number | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(\\d{1,15})\\s*(?:;|,|$)`).exec(value)
  if (match === null) return undefined
  const number = Number(match[1])
  return Number.isSafeInteger(number) ? number : undefined
}

/**
 * The generic rate-limit parser. It reads, in this order, the first set present:
 * - `RateLimit: "name";r=<remaining>;t=<seconds to reset>` with `RateLimit-Policy: …;q=<limit>`
 *   (IETF httpapi-ratelimit-headers, draft 7 and later);
 * - `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (draft 6; reset in seconds);
 * - `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (reset in seconds, or epoch
 *   seconds when ≥ 10^9).
 *
 * @returns zero or one window named `default`; never throws.
 */
export const parseRateLimitHeaders: RateLimitParser = (headers, now) => {
  try {
    const get = headerGetter(headers)
    const nowMs = now.getTime()
    if (!Number.isFinite(nowMs)) return []
    const structured = get('ratelimit')
    if (structured !== undefined) {
      const remaining = structuredParam(structured, 'r')
      const reset = structuredParam(structured, 't')
      const policy = get('ratelimit-policy')
      const limit = policy === undefined ? undefined : structuredParam(policy, 'q')
      if (remaining !== undefined || reset !== undefined) {
        return [
          {
            name: 'default',
            limit,
            remaining,
            resetAtMs: reset === undefined ? undefined : nowMs + reset * 1000,
          },
        ]
      }
    }
    for (const prefix of ['ratelimit-', 'x-ratelimit-']) {
      const limit = firstInteger(get(`${prefix}limit`))
      const remaining = firstInteger(get(`${prefix}remaining`))
      const reset = firstInteger(get(`${prefix}reset`))
      if (limit === undefined && remaining === undefined && reset === undefined) continue
      return [{ name: 'default', limit, remaining, resetAtMs: resetToMs(reset, nowMs) }]
    }
    return []
  } catch {
    return []
  }
}

/** One window of a paired limit/usage header, such as Strava's 15-minute and daily windows. */
export interface UsagePairWindow {
  /** Window name reported in `rate_limited` errors: `15min`, `daily`. */
  readonly name: string
  /** Window length in seconds; windows are aligned to the Unix epoch (UTC quarter hours, midnight). */
  readonly seconds: number
}

/** Options of {@link createUsagePairParser}. */
export interface UsagePairParserOptions {
  /** Header holding comma-separated limits, one per window (`X-RateLimit-Limit`). */
  readonly limitHeader: string
  /** Header holding comma-separated usage, one per window (`X-RateLimit-Usage`). */
  readonly usageHeader: string
  /** The windows, in header order. */
  readonly windows: readonly UsagePairWindow[]
}

/**
 * Returns a parser for headers that list limits and usage as comma-separated values, one per
 * fixed window: Strava sends `X-RateLimit-Limit: 200,2000` and `X-RateLimit-Usage: 12,340` for its
 * 15-minute and daily windows, which reset at :00/:15/:30/:45 and at 00:00 UTC.
 *
 * @example
 * ```ts
 * const strava = createUsagePairParser({
 *   limitHeader: 'x-ratelimit-limit', usageHeader: 'x-ratelimit-usage',
 *   windows: [{ name: '15min', seconds: 900 }, { name: 'daily', seconds: 86_400 }],
 * })
 * ```
 */
export function createUsagePairParser(options: UsagePairParserOptions): RateLimitParser {
  return (headers, now) => {
    try {
      const get = headerGetter(headers)
      const limits = splitIntegers(get(options.limitHeader))
      const usages = splitIntegers(get(options.usageHeader))
      const nowMs = now.getTime()
      if (limits === undefined || !Number.isFinite(nowMs)) return []
      const windows: RateLimitWindow[] = []
      options.windows.forEach((window, index) => {
        const limit = limits[index]
        if (limit === undefined || !(window.seconds > 0)) return
        const used = usages?.[index]
        const periodMs = window.seconds * 1000
        windows.push({
          name: window.name,
          limit,
          remaining: used === undefined ? undefined : Math.max(0, limit - used),
          resetAtMs: Math.floor(nowMs / periodMs) * periodMs + periodMs,
        })
      })
      return windows
    } catch {
      return []
    }
  }
}

function splitIntegers(value: string | undefined): (number | undefined)[] | undefined {
  if (value === undefined) return undefined
  const parts = value.split(',').map((part) => {
    const text = part.trim()
    if (!/^\d{1,15}$/.test(text)) return undefined
    return Number(text)
  })
  return parts.some((part) => part !== undefined) ? parts : undefined
}

/** Returns a parser that concatenates the windows of several parsers. */
export function combineRateLimitParsers(parsers: readonly RateLimitParser[]): RateLimitParser {
  return (headers, now) => parsers.flatMap((parser) => parser(headers, now))
}

/** An exhausted window found by {@link RateLimitBudget.check}. */
export interface RateLimitBlock {
  /** The exhausted window that resets last. */
  readonly window: RateLimitWindow
  /** Whole seconds until it resets. */
  readonly retryAfterSeconds: number
}

/**
 * The rate-limit state per credential scope (`strava:app:<client id>`, `fitbit:user:<id>`), fed
 * from response headers. Share one budget between the clients of one credential.
 */
export interface RateLimitBudget {
  /** Stores the windows read from a response for `scope`; windows of other names are kept. */
  record(scope: string, windows: readonly RateLimitWindow[]): void
  /** Returns the window that blocks requests for `scope` now, or `undefined` when none does. */
  check(scope: string): RateLimitBlock | undefined
  /** Returns the windows known for `scope` that have not reset yet. */
  windows(scope: string): readonly RateLimitWindow[]
}

/** Options of {@link createRateLimitBudget}. */
export interface RateLimitBudgetOptions {
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/**
 * Creates an in-memory {@link RateLimitBudget}. A window blocks when it has no requests left and
 * its reset time is known and in the future.
 */
export function createRateLimitBudget(options: RateLimitBudgetOptions = {}): RateLimitBudget {
  const now = options.now ?? (() => new Date())
  const scopes = new Map<string, Map<string, RateLimitWindow>>()

  const live = (scope: string): RateLimitWindow[] => {
    const known = scopes.get(scope)
    if (known === undefined) return []
    const nowMs = now().getTime()
    const result: RateLimitWindow[] = []
    for (const [name, window] of known) {
      if (window.resetAtMs !== undefined && window.resetAtMs <= nowMs) known.delete(name)
      else result.push(window)
    }
    return result
  }

  return {
    record(scope, windows) {
      if (windows.length === 0) return
      let known = scopes.get(scope)
      if (known === undefined) {
        known = new Map()
        scopes.set(scope, known)
      }
      for (const window of windows) known.set(window.name, window)
    },
    check(scope) {
      const nowMs = now().getTime()
      let block: RateLimitBlock | undefined
      for (const window of live(scope)) {
        if (window.remaining === undefined || window.remaining > 0) continue
        if (window.resetAtMs === undefined) continue
        const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAtMs - nowMs) / 1000))
        if (block === undefined || retryAfterSeconds > block.retryAfterSeconds) {
          block = { window, retryAfterSeconds }
        }
      }
      return block
    },
    windows: (scope) => live(scope),
  }
}
