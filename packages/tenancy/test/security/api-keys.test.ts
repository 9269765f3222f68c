import crypto from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { generateApiKey } from '../../src/api-keys.js'
import { createTestContext } from '../../src/testing/index.js'
import { addTenant, createFixture, mcpResource } from '../support.js'

// Threat catalogue T-38 (API key enumeration and probing), T-21 (timing-safe comparison), T-40(c)
// (deleted key) and T-50 (suspended owner), at the authentication layer.

afterEach(() => {
  vi.restoreAllMocks()
  syncBuiltinESMExports()
})

function request(apiKey: string, clientIp = '203.0.113.7') {
  return { authorization: `Bearer ${apiKey}`, audience: mcpResource, requestId: 'r', clientIp }
}

describe('API key probing', () => {
  it('T-38 random well-formed, hint-sharing, revoked, expired and removed-member keys all get one identical invalid_api_key', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { authenticator, apiKeys, identity } = fixture.tenancy
    const real = await apiKeys.create(a.memberContext, { name: 'real' })
    const revoked = await apiKeys.create(a.memberContext, { name: 'revoked' })
    await apiKeys.revoke(a.memberContext, revoked.record.id)
    const expired = await apiKeys.create(a.memberContext, {
      name: 'expired',
      expiresAt: '2026-01-15T10:30:00Z',
    })
    const outsider = await addTenant(fixture)
    const removedOwner = await apiKeys.create(outsider.memberContext, { name: 'removed' })
    await identity.removeMember(outsider.ownerContext, outsider.member.id)
    fixture.clock.advance(3600)

    const sharingHint = `pk_live_${real.key.slice(8, 12)}${'A'.repeat(24)}${real.key.slice(-4)}`
    const candidates = [
      ...Array.from({ length: 1000 }, () => generateApiKey('starter')),
      sharingHint,
      revoked.key,
      expired.key,
      removedOwner.key,
    ]
    const bodies = new Set<string>()
    for (const [index, key] of candidates.entries()) {
      const result = await authenticator.authenticate(request(key, `198.51.100.${index % 200}`))
      if (result.ok) throw new Error('a probe was accepted')
      bodies.add(
        JSON.stringify({
          code: result.error.code,
          message: result.error.message,
          details: result.error.details,
        }),
      )
      expect(result.error.message).not.toContain(key.slice(8, 12))
    }
    expect([...bodies]).toEqual(['{"code":"invalid_api_key","message":"invalid api key"}'])
  })

  it('T-38 malformed keys are rejected without any store lookup', async () => {
    const fixture = await createFixture()
    const lookup = vi.spyOn(fixture.tenancy.stores.apiKeys, 'findByLookupHash')
    for (const key of [
      'pk_live_short',
      `pk_live_${'A'.repeat(31)}!`,
      `pk_live_${'A'.repeat(33)}`,
      'pk_test_x',
    ]) {
      const result = await fixture.tenancy.authenticator.authenticate(request(key))
      expect(!result.ok && result.error.code).toBe('invalid_api_key')
    }
    expect(lookup).not.toHaveBeenCalled()
  })

  it('T-38 after 100 rejected credentials in a minute the address gets rate_limited, others do not', async () => {
    const fixture = await createFixture()
    const { authenticator } = fixture.tenancy
    for (let i = 0; i < 100; i += 1) {
      const result = await authenticator.authenticate(
        request(generateApiKey('starter'), '192.0.2.1'),
      )
      expect(!result.ok && result.error.code).toBe('invalid_api_key')
    }
    const blocked = await authenticator.authenticate(
      request(generateApiKey('starter'), '192.0.2.1'),
    )
    expect(!blocked.ok && blocked.error.code).toBe('rate_limited')
    expect(!blocked.ok && (blocked.error.details?.retryAfterSeconds as number)).toBeGreaterThan(0)
    const other = await authenticator.authenticate(request(generateApiKey('starter'), '192.0.2.2'))
    expect(!other.ok && other.error.code).toBe('invalid_api_key')
    fixture.clock.advance(60)
    const later = await authenticator.authenticate(request(generateApiKey('starter'), '192.0.2.1'))
    expect(!later.ok && later.error.code).toBe('invalid_api_key')
  })

  it('T-21 known and unknown keys both go through one timingSafeEqual of equal-length digests', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const real = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'real' })
    const spy = vi.spyOn(crypto, 'timingSafeEqual')
    syncBuiltinESMExports()
    expect(await fixture.tenancy.apiKeys.verify(real.key)).toBeDefined()
    const knownCalls = spy.mock.calls.map(([x, y]) => [x.byteLength, y.byteLength])
    spy.mockClear()
    expect(await fixture.tenancy.apiKeys.verify(generateApiKey('starter'))).toBeUndefined()
    const unknownCalls = spy.mock.calls.map(([x, y]) => [x.byteLength, y.byteLength])
    expect(knownCalls).toEqual([[32, 32]])
    expect(unknownCalls).toEqual(knownCalls)
  })

  it('T-40 a deleted (revoked) key stops working on the next request', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { key, record } = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'k' })
    expect((await fixture.tenancy.authenticator.authenticate(request(key))).ok).toBe(true)
    await fixture.tenancy.apiKeys.revoke(a.memberContext, record.id)
    const after = await fixture.tenancy.authenticator.authenticate(request(key))
    expect(!after.ok && after.error.code).toBe('invalid_api_key')
  })

  it('T-50 a key of a suspended user answers account_suspended; of a suspended tenant tenant_suspended', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { key } = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'k' })
    await fixture.tenancy.identity.suspendUser(a.ownerContext, a.member.id)
    const suspended = await fixture.tenancy.authenticator.authenticate(request(key))
    expect(!suspended.ok && suspended.error.code).toBe('account_suspended')
    await fixture.tenancy.identity.reactivateUser(a.ownerContext, a.member.id)
    await fixture.tenancy.stores.tenants.update(a.tenantId, {
      status: 'suspended',
      updatedAt: '2026-01-15T10:00:00.000Z',
    })
    const tenantSuspended = await fixture.tenancy.authenticator.authenticate(request(key))
    expect(!tenantSuspended.ok && tenantSuspended.error.code).toBe('tenant_suspended')
  })

  it('keys cannot be revoked or listed across tenants through the service (IDOR)', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const b = await addTenant(fixture)
    const { key, record } = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'k' })
    expect(await fixture.tenancy.apiKeys.revoke(b.ownerContext, record.id)).toBe(false)
    const forged = createTestContext({ tenantId: b.tenantId, userId: a.member.id })
    expect(await fixture.tenancy.apiKeys.revoke(forged, record.id)).toBe(false)
    expect(await fixture.tenancy.apiKeys.list(b.ownerContext)).toEqual([])
    expect(await fixture.tenancy.apiKeys.verify(key)).toBeDefined()
  })
})
