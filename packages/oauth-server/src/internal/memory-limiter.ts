import type { OAuthRateLimiter } from '../types.js'

/**
 * A fixed-window limiter kept in this process (REF behaviour: 60-second windows per key). Stale
 * windows are dropped as keys are touched. Several instances need a shared limiter instead.
 */
export function createMemoryRateLimiter(now: () => Date): OAuthRateLimiter {
  const windows = new Map<string, { startMs: number; count: number }>()
  return {
    async consume(key, policy) {
      const nowMs = now().getTime()
      const windowMs = policy.windowSeconds * 1000
      if (windows.size > 10_000) {
        for (const [name, entry] of windows) {
          if (nowMs - entry.startMs >= 2 * windowMs) windows.delete(name)
        }
      }
      let entry = windows.get(key)
      if (entry === undefined || nowMs - entry.startMs >= windowMs) {
        entry = { startMs: nowMs, count: 0 }
        windows.set(key, entry)
      }
      entry.count += 1
      if (entry.count <= policy.limit) return { allowed: true, retryAfterSeconds: 0 }
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((entry.startMs + windowMs - nowMs) / 1000)),
      }
    },
  }
}
