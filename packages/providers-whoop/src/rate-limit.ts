import type { ErrorResponseInfo, RateLimitParser, RateLimitWindow } from '@pierre/providers-core'
import { ProviderError, parseRetryAfter, readHeader } from '@pierre/providers-core'

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d{1,15}\s*$/.test(text)) return undefined
  return Number(text)
}

/** Name of a WHOOP window by its length: `minute`, `daily`, or `<seconds>s`. */
function windowName(seconds: number): string {
  if (seconds === 60) return 'minute'
  if (seconds === 86_400) return 'daily'
  return `${seconds}s`
}

/**
 * Reads WHOOP's rate-limit headers for providers-core's budget. WHOOP limits each application
 * (100 requests a minute, 10 000 a day) and reports only the limit closest to exhaustion:
 * `X-RateLimit-Limit: 100, 100;window=60, 10000;window=86400` (the first number is that limit,
 * then every policy), `X-RateLimit-Remaining` and `X-RateLimit-Reset` (seconds until it resets).
 *
 * @returns one window named after the policy the first number belongs to (`minute`, `daily`), or
 *   none when the headers are absent or unreadable; never throws.
 */
export const whoopRateLimitParser: RateLimitParser = (headers, now) => {
  try {
    const nowMs = now.getTime()
    const limitText = readHeader(headers, 'x-ratelimit-limit')
    const remaining = wholeNumber(readHeader(headers, 'x-ratelimit-remaining'))
    const reset = wholeNumber(readHeader(headers, 'x-ratelimit-reset'))
    if (!Number.isFinite(nowMs)) return []
    const parts = (limitText ?? '').split(',').map((part) => part.trim())
    const limit = wholeNumber(parts[0])
    if (limit === undefined && remaining === undefined && reset === undefined) return []
    let name = 'default'
    for (const policy of parts.slice(1)) {
      const match = /^(\d{1,15})\s*;\s*window\s*=\s*(\d{1,15})$/.exec(policy)
      if (match !== null && Number(match[1]) === limit) {
        name = windowName(Number(match[2]))
        break
      }
    }
    const window: RateLimitWindow = {
      name,
      limit,
      remaining,
      resetAtMs: reset === undefined ? undefined : nowMs + reset * 1000,
    }
    return [window]
  } catch {
    return []
  }
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const error = (body as { error?: unknown }).error
  return typeof error === 'string' ? error : undefined
}

/**
 * Maps WHOOP's error answers to typed errors. A 429 (its body is undocumented and not read) →
 * `rate_limited` with `retryAfterSeconds` from `Retry-After`, else `X-RateLimit-Reset`, and
 * `details.limit_type` (`minute`, `daily`); a 403 `{"error":"deactivated_user"}` (lapsed
 * membership) → `upstream_error` with `details.error`. Everything else keeps providers-core's
 * mapping by status (401 → one refresh then `token_expired`, 404 → `not_found`, 5xx →
 * `upstream_unavailable`).
 */
export function createWhoopErrorClassifier(
  now: () => Date,
): (response: ErrorResponseInfo) => ProviderError | undefined {
  return (response) => {
    if (response.status === 429) {
      const at = now()
      const [window] = whoopRateLimitParser(response.headers, at)
      const fromReset =
        window?.resetAtMs === undefined
          ? undefined
          : Math.max(1, Math.ceil((window.resetAtMs - at.getTime()) / 1000))
      const retryAfterSeconds =
        parseRetryAfter(response.headers.get('retry-after'), at) ?? fromReset
      const limitType = window?.name ?? 'default'
      return new ProviderError('rate_limited', `whoop rate limit exceeded (${limitType} window)`, {
        provider: 'whoop',
        status: 429,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        details: { limit_type: limitType },
      })
    }
    if (response.status === 403 && errorCodeOf(response.body) === 'deactivated_user') {
      return new ProviderError(
        'upstream_error',
        'whoop refused the call: the member’s WHOOP membership is inactive (deactivated_user)',
        { provider: 'whoop', status: 403, details: { error: 'deactivated_user' } },
      )
    }
    return undefined
  }
}
