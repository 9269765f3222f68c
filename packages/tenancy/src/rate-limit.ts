import { assertRequestContext, type RequestContext } from './context.js'
import { systemNow } from './internal/defaults.js'
import { monthOf } from './stores/paging.js'
import type { QuotaSubject, RateLimitStore, TenantStore } from './stores/types.js'
import type { Now, TenantPlan, Tier } from './types.js'

/** Limits of one tier (spec §4.3). */
export interface TierLimits {
  /** Tool calls per calendar month (UTC); `null` is unlimited. */
  readonly monthlyQuota: number | null
  /** Requests per minute per credential (token bucket). */
  readonly burstPerMinute: number
}

/** The spec's tiers: trial 1 000/10, starter 10 000/100, professional 100 000/500, enterprise ∞/2 000. */
export const tierLimits: Readonly<Record<Tier, TierLimits>> = Object.freeze({
  trial: { monthlyQuota: 1_000, burstPerMinute: 10 },
  starter: { monthlyQuota: 10_000, burstPerMinute: 100 },
  professional: { monthlyQuota: 100_000, burstPerMinute: 500 },
  enterprise: { monthlyQuota: null, burstPerMinute: 2_000 },
})

/** Monthly tool calls of a tenant plan, before the tenant's multiplier (spec §4.3). */
export const planQuotas: Readonly<Record<TenantPlan, number>> = Object.freeze({
  starter: 10_000,
  professional: 100_000,
  enterprise: 1_000_000,
})

/** The `details` of a 429 body (spec §4.5). */
export interface RateLimitDetails {
  readonly policy: 'burst' | 'monthly' | 'tenant_monthly'
  readonly limit: number
  readonly remaining: number
  /** ISO 8601 instant when a unit is available again. */
  readonly reset_at: string
  readonly retry_after_seconds: number
  readonly tier: Tier
}

/** The answer of {@link RateLimiter.check}. */
export interface RateLimitDecision {
  /** Whether the request may proceed. */
  readonly allowed: boolean
  /**
   * Headers to set on the response: `RateLimit-Policy`, `RateLimit` (IETF draft structured
   * fields), `X-RateLimit-*` for REF clients, and, when refused, `Retry-After` and
   * `Cache-Control: no-store`.
   */
  readonly headers: Readonly<Record<string, string>>
  /** Seconds to wait when refused; null when allowed. */
  readonly retryAfterSeconds: number | null
  /** Body details when refused; null when allowed. */
  readonly details: RateLimitDetails | null
  /** Message for the 429 body when refused (`monthly quota of 10000 tool calls for tier starter exhausted`). */
  readonly message: string | null
}

/** The answer of {@link RateLimiter.consume}. */
export interface SimpleRateLimitDecision {
  readonly allowed: boolean
  /** Units left in the window after this one. */
  readonly remaining: number
  /** Seconds until one unit is available; 0 when allowed. */
  readonly retryAfterSeconds: number
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Counters and bucket state (shared by instances). */
  readonly store: RateLimitStore
  /** Read for the tenant's plan and multiplier. */
  readonly tenants: TenantStore
  /** Clock. */
  readonly now?: Now
  /** Tier limits; default {@link tierLimits}. */
  readonly tiers?: Readonly<Record<Tier, TierLimits>>
}

/** Burst and monthly limits per credential and tenant (spec §4.4). */
export interface RateLimiter {
  /**
   * Consumes one burst unit of the context's credential and, when `countsTowardQuota` (a
   * `tools/call` or A2A skill), one unit of the monthly quota of the credential (key or user) and
   * of the tenant; an over-quota increment is rolled back. Returns the headers to set either way.
   */
  check(
    ctx: RequestContext,
    options?: { readonly countsTowardQuota?: boolean },
  ): Promise<RateLimitDecision>
  /**
   * A generic GCRA limit on any key (per client address for login, OAuth endpoints or rejected
   * credentials): `limit` units per `windowSeconds`.
   */
  consume(
    key: string,
    policy: { readonly limit: number; readonly windowSeconds: number },
  ): Promise<SimpleRateLimitDecision>
  /** Like {@link RateLimiter.consume} without consuming: is a unit available now? */
  peek(
    key: string,
    policy: { readonly limit: number; readonly windowSeconds: number },
  ): Promise<SimpleRateLimitDecision>
}

const monthSeconds = 2_592_000

function nextMonthMs(ms: number): number {
  const date = new Date(ms)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
}

/** Creates the rate limiter. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { store, tenants } = options
  const now = options.now ?? systemNow
  const tiers = options.tiers ?? tierLimits

  async function gcra(
    key: string,
    policy: { limit: number; windowSeconds: number },
    mode: { nowMs: number; consume: boolean },
  ): Promise<SimpleRateLimitDecision & { tatMs: number }> {
    const { nowMs, consume } = mode
    const intervalMs = (policy.windowSeconds * 1000) / policy.limit
    const burstMs = policy.windowSeconds * 1000
    let allowed: boolean
    let tatMs: number
    if (consume) {
      const result = await store.consumeToken(key, { nowMs, intervalMs, burstMs })
      allowed = result.allowed
      tatMs = result.tatMs
    } else {
      tatMs = Math.max(await store.peekToken(key), nowMs)
      allowed = tatMs + intervalMs - nowMs <= burstMs
    }
    const used = Math.max(tatMs - nowMs, 0)
    const remaining = Math.max(Math.floor((burstMs - used) / intervalMs), 0)
    const retryAfterSeconds = allowed
      ? 0
      : Math.max(Math.ceil((tatMs + intervalMs - burstMs - nowMs) / 1000), 1)
    return { allowed, remaining, retryAfterSeconds, tatMs }
  }

  return {
    async check(ctx, checkOptions) {
      assertRequestContext(ctx)
      const nowMs = now().getTime()
      const tier = ctx.tier
      const limits = tiers[tier]
      const credential = ctx.credential
      const isKey = credential.kind === 'api_key'
      const subject = isKey ? `key:${credential.keyId}` : `user:${ctx.tenantId}:${ctx.userId}`
      const burstPolicy = { limit: limits.burstPerMinute, windowSeconds: 60 }
      const burst = await gcra(`burst:${subject}`, burstPolicy, { nowMs, consume: true })

      const period = monthOf(nowMs)
      const resetMs = nextMonthMs(nowMs)
      const resetSeconds = Math.ceil((resetMs - nowMs) / 1000)
      const tenant = await tenants.get(ctx.tenantId)
      const tenantLimit = tenant
        ? Math.floor(planQuotas[tenant.plan] * tenant.quotaMultiplier)
        : planQuotas.starter
      const monthly = limits.monthlyQuota

      let monthlyUsed: number
      let refusal: RateLimitDetails | null = null
      let message: string | null = null
      if (!burst.allowed) {
        monthlyUsed = monthly === null ? 0 : await store.getUsage(period, subject)
        refusal = {
          policy: 'burst',
          limit: limits.burstPerMinute,
          remaining: 0,
          reset_at: new Date(nowMs + burst.retryAfterSeconds * 1000).toISOString(),
          retry_after_seconds: burst.retryAfterSeconds,
          tier,
        }
        message = `burst limit of ${limits.burstPerMinute} requests per minute exceeded`
      } else if (checkOptions?.countsTowardQuota === true) {
        const subjects: QuotaSubject[] = [
          { subject, limit: monthly },
          { subject: `tenant:${ctx.tenantId}`, limit: tenantLimit },
        ]
        const result = await store.incrementUsage(period, subjects)
        monthlyUsed = result.counts[0] ?? 0
        if (!result.allowed) {
          const keyExhausted = monthly !== null && monthlyUsed + 1 > monthly
          refusal = {
            policy: keyExhausted ? 'monthly' : 'tenant_monthly',
            limit: keyExhausted ? (monthly ?? 0) : tenantLimit,
            remaining: 0,
            reset_at: new Date(resetMs).toISOString(),
            retry_after_seconds: resetSeconds,
            tier,
          }
          message = keyExhausted
            ? `monthly quota of ${monthly} tool calls for tier ${tier} exhausted`
            : `monthly quota of ${tenantLimit} tool calls for the tenant exhausted`
        }
      } else {
        monthlyUsed = monthly === null ? 0 : await store.getUsage(period, subject)
      }

      const burstRemaining = burst.allowed ? burst.remaining : 0
      const burstReset = burstRemaining > 0 ? 0 : burst.retryAfterSeconds
      const headers: Record<string, string> = {}
      const policies = [`"burst";q=${limits.burstPerMinute};w=60`]
      const states = [`"burst";r=${burstRemaining};t=${burstReset}`]
      if (monthly !== null) {
        const monthlyRemaining = Math.max(monthly - monthlyUsed, 0)
        policies.push(`"monthly";q=${monthly};w=${monthSeconds}`)
        states.push(`"monthly";r=${monthlyRemaining};t=${resetSeconds}`)
        headers['X-RateLimit-Limit'] = String(monthly)
        headers['X-RateLimit-Remaining'] = String(monthlyRemaining)
        headers['X-RateLimit-Reset'] = String(Math.floor(resetMs / 1000))
        headers['X-RateLimit-Window'] = String(monthSeconds)
      }
      headers['RateLimit-Policy'] = policies.join(', ')
      headers.RateLimit = states.join(', ')
      headers['X-RateLimit-Tier'] = tier
      headers['X-RateLimit-AuthMethod'] = isKey ? 'api_key' : 'oauth'
      if (refusal) {
        headers['Retry-After'] = String(refusal.retry_after_seconds)
        headers['Cache-Control'] = 'no-store'
      }
      return {
        allowed: refusal === null,
        headers,
        retryAfterSeconds: refusal?.retry_after_seconds ?? null,
        details: refusal,
        message,
      }
    },

    async consume(key, policy) {
      const { tatMs: _tat, ...decision } = await gcra(key, policy, {
        nowMs: now().getTime(),
        consume: true,
      })
      return decision
    },

    async peek(key, policy) {
      const { tatMs: _tat, ...decision } = await gcra(key, policy, {
        nowMs: now().getTime(),
        consume: false,
      })
      return decision
    },
  }
}
