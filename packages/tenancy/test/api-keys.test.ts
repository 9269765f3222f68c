import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateApiKey } from '../src/api-keys.js'
import { isApiKeyFormat, isTenancyError, maxActiveApiKeysPerUser } from '../src/index.js'
import { addTenant, createFixture } from './support.js'

describe('API key format (spec §4.2)', () => {
  it('is pk_live_ or pk_trial_ plus 32 base62 characters', () => {
    const live = generateApiKey('starter')
    const trial = generateApiKey('trial')
    expect(live).toMatch(/^pk_live_[A-Za-z0-9]{32}$/)
    expect(live).toHaveLength(40)
    expect(trial).toMatch(/^pk_trial_[A-Za-z0-9]{32}$/)
    expect(trial).toHaveLength(41)
    expect(isApiKeyFormat(live)).toBe(true)
    expect(isApiKeyFormat(`${live}x`)).toBe(false)
    expect(isApiKeyFormat('pk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe(false)
  })

  it('draws characters without modulo bias (every base62 character appears, none dominates)', () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 2000; i += 1) {
      for (const char of generateApiKey('starter').slice(8))
        counts.set(char, (counts.get(char) ?? 0) + 1)
    }
    expect(counts.size).toBe(62)
    const expected = (2000 * 32) / 62
    for (const count of counts.values())
      expect(Math.abs(count - expected) / expected).toBeLessThan(0.2)
  })
})

describe('API key service', () => {
  it('shows the key once, stores only a peppered HMAC and a display hint', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { key, record } = await fixture.tenancy.apiKeys.create(a.memberContext, {
      name: 'laptop',
    })
    expect(record).not.toHaveProperty('lookupHash')
    const stored = await fixture.tenancy.stores.apiKeys.get(a.memberContext, record.id)
    expect(stored?.lookupHash).toBe(fixture.tenancy.keyring.hmac(key))
    expect(stored?.lookupHash).not.toBe(createHash('sha256').update(key).digest('hex'))
    expect(JSON.stringify(stored)).not.toContain(key.slice(8))
    expect(record.displayHint).toBe(`pk_live_${key.slice(8, 12)}…${key.slice(-4)}`)
    expect(record.scopes).toEqual(['fitness:read', 'fitness:write', 'providers:manage'])
    expect((await fixture.tenancy.apiKeys.list(a.memberContext)).map((k) => k.id)).toEqual([
      record.id,
    ])
    expect((await fixture.tenancy.apiKeys.verify(key))?.id).toBe(record.id)
  })

  it('forces a 14-day expiry on trial keys', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { key, record } = await fixture.tenancy.apiKeys.provision(
      fixture.system,
      { tenantId: a.tenantId, userId: a.member.id },
      { name: 'trial', tier: 'trial' },
    )
    expect(key.startsWith('pk_trial_')).toBe(true)
    expect(record.expiresAt).toBe('2026-01-29T10:00:00.000Z')
    fixture.clock.advance(14 * 86_400)
    expect(await fixture.tenancy.apiKeys.verify(key)).toBeUndefined()
  })

  it('allows provisioning with a tier only to platform admins', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const error = await fixture.tenancy.apiKeys
      .provision(
        a.ownerContext,
        { tenantId: a.tenantId, userId: a.member.id },
        { name: 'x', tier: 'enterprise' },
      )
      .catch((e: unknown) => e)
    expect(isTenancyError(error) && error.code).toBe('forbidden')
  })

  it(`keeps at most ${maxActiveApiKeysPerUser} live keys per user`, async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    for (let i = 0; i < maxActiveApiKeysPerUser; i += 1) {
      await fixture.tenancy.apiKeys.create(a.memberContext, { name: `k${i}` })
    }
    const error = await fixture.tenancy.apiKeys
      .create(a.memberContext, { name: 'one more' })
      .catch((e: unknown) => e)
    expect(isTenancyError(error) && error.code).toBe('conflict')
  })

  it('revokes at once; revoked and expired keys no longer verify', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const revoked = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'r' })
    const expiring = await fixture.tenancy.apiKeys.create(a.memberContext, {
      name: 'e',
      expiresAt: '2026-01-15T11:00:00Z',
    })
    expect(await fixture.tenancy.apiKeys.revoke(a.memberContext, revoked.record.id)).toBe(true)
    expect(await fixture.tenancy.apiKeys.verify(revoked.key)).toBeUndefined()
    expect(await fixture.tenancy.apiKeys.verify(expiring.key)).toBeDefined()
    fixture.clock.advance(3600)
    expect(await fixture.tenancy.apiKeys.verify(expiring.key)).toBeUndefined()
  })
})
