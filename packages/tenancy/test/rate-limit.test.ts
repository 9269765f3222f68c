import { describe, expect, it } from 'vitest'
import { createMemoryStores, createRateLimiter, planQuotas, tierLimits } from '../src/index.js'
import { createTestContext } from '../src/testing/index.js'
import { createClock, seedSqliteTenant } from './rate-limit-support.js'

function setup(start?: string) {
  const clock = createClock(start)
  const stores = createMemoryStores()
  const limiter = createRateLimiter({
    store: stores.rateLimits,
    tenants: stores.tenants,
    now: clock.now,
  })
  return { clock, stores, limiter }
}

const keyContext = (tier: 'trial' | 'starter' | 'professional' | 'enterprise', keyId = 'key-1') =>
  createTestContext({
    tenantId: 'tenant-1',
    userId: 'user-1',
    tier,
    credential: { kind: 'api_key', keyId, tier },
  })

describe('tiers (spec §4.3)', () => {
  it('keeps the spec numbers', () => {
    expect(tierLimits).toEqual({
      trial: { monthlyQuota: 1000, burstPerMinute: 10 },
      starter: { monthlyQuota: 10000, burstPerMinute: 100 },
      professional: { monthlyQuota: 100000, burstPerMinute: 500 },
      enterprise: { monthlyQuota: null, burstPerMinute: 2000 },
    })
    expect(planQuotas).toEqual({ starter: 10000, professional: 100000, enterprise: 1000000 })
  })
})

describe('rate limiter (spec §4.4, §4.5)', () => {
  it('sets IETF RateLimit fields and the REF X-RateLimit headers', async () => {
    const { limiter } = setup()
    const decision = await limiter.check(keyContext('starter'))
    expect(decision.allowed).toBe(true)
    expect(decision.headers).toEqual({
      'RateLimit-Policy': '"burst";q=100;w=60, "monthly";q=10000;w=2592000',
      RateLimit: '"burst";r=99;t=0, "monthly";r=10000;t=1432800',
      'X-RateLimit-Limit': '10000',
      'X-RateLimit-Remaining': '10000',
      'X-RateLimit-Reset': String(Date.parse('2026-02-01T00:00:00Z') / 1000),
      'X-RateLimit-Window': '2592000',
      'X-RateLimit-Tier': 'starter',
      'X-RateLimit-AuthMethod': 'api_key',
    })
  })

  it('allows a burst of the per-minute limit, then answers 429 data with Retry-After', async () => {
    const { limiter, clock } = setup()
    const ctx = keyContext('trial')
    for (let i = 0; i < 10; i += 1) expect((await limiter.check(ctx)).allowed).toBe(true)
    const refused = await limiter.check(ctx)
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfterSeconds).toBe(6)
    expect(refused.headers['Retry-After']).toBe('6')
    expect(refused.headers['Cache-Control']).toBe('no-store')
    expect(refused.headers.RateLimit).toBe('"burst";r=0;t=6, "monthly";r=1000;t=1432800')
    expect(refused.details).toEqual({
      policy: 'burst',
      limit: 10,
      remaining: 0,
      reset_at: '2026-01-15T10:00:06.000Z',
      retry_after_seconds: 6,
      tier: 'trial',
    })
    clock.advance(6)
    expect((await limiter.check(ctx)).allowed).toBe(true)
    expect((await limiter.check(keyContext('trial', 'key-2'))).allowed).toBe(true)
  })

  it('counts only tool calls toward the monthly quota and refuses until the 1st of next month', async () => {
    const { limiter, clock } = setup('2026-01-31T20:00:00.000Z')
    const ctx = keyContext('trial')
    for (let i = 0; i < 1000; i += 1) {
      expect((await limiter.check(ctx, { countsTowardQuota: true })).allowed).toBe(true)
      clock.advance(6)
    }
    const notCounted = await limiter.check(ctx)
    expect(notCounted.allowed).toBe(true)
    expect(notCounted.headers['X-RateLimit-Remaining']).toBe('0')
    clock.advance(6)
    const refused = await limiter.check(ctx, { countsTowardQuota: true })
    expect(refused.allowed).toBe(false)
    expect(refused.details?.policy).toBe('monthly')
    expect(refused.message).toBe('monthly quota of 1000 tool calls for tier trial exhausted')
    expect(refused.details?.reset_at).toBe('2026-02-01T00:00:00.000Z')
    const untilMonthEnd = (Date.parse('2026-02-01T00:00:00Z') - clock.now().getTime()) / 1000
    expect(refused.retryAfterSeconds).toBe(untilMonthEnd)
    clock.advance(untilMonthEnd)
    expect((await limiter.check(ctx, { countsTowardQuota: true })).allowed).toBe(true)
  })

  it('applies the tenant plan quota times its multiplier across all keys', async () => {
    const { limiter, stores } = await seedSqliteTenant({ plan: 'starter', quotaMultiplier: 0.0002 })
    const first = keyContext('enterprise', 'key-a')
    const second = keyContext('enterprise', 'key-b')
    expect((await limiter.check(first, { countsTowardQuota: true })).allowed).toBe(true)
    expect((await limiter.check(second, { countsTowardQuota: true })).allowed).toBe(true)
    const refused = await limiter.check(first, { countsTowardQuota: true })
    expect(refused.details?.policy).toBe('tenant_monthly')
    expect(await stores.rateLimits.getUsage('2026-01', 'key:key-a')).toBe(1)
  })

  it('omits monthly items for enterprise and reports oauth as the method for tokens', async () => {
    const { limiter } = setup()
    const ctx = createTestContext({
      tenantId: 'tenant-1',
      userId: 'user-1',
      tier: 'enterprise',
      credential: { kind: 'oauth', clientId: 'c', jti: 'j', grantId: null },
    })
    const decision = await limiter.check(ctx)
    expect(decision.headers).toEqual({
      'RateLimit-Policy': '"burst";q=2000;w=60',
      RateLimit: '"burst";r=1999;t=0',
      'X-RateLimit-Tier': 'enterprise',
      'X-RateLimit-AuthMethod': 'oauth',
    })
  })

  it('offers a generic per-key limit for client addresses', async () => {
    const { limiter, clock } = setup()
    const policy = { limit: 20, windowSeconds: 60 }
    for (let i = 0; i < 20; i += 1)
      expect((await limiter.consume('login:192.0.2.1', policy)).allowed).toBe(true)
    const refused = await limiter.consume('login:192.0.2.1', policy)
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 3 })
    expect((await limiter.peek('login:192.0.2.1', policy)).allowed).toBe(false)
    clock.advance(3)
    expect((await limiter.peek('login:192.0.2.1', policy)).allowed).toBe(true)
  })
})
