import { describe, expect, it } from 'vitest'
import { assertRequestContext, type RequestContext } from '../../src/index.js'
import { createSqliteStores } from '../../src/sqlite/index.js'
import {
  addTenant,
  createFixture,
  createSqliteDatabase,
  mcpResource,
  type StoreKind,
} from '../support.js'

// Threat catalogue T-36 (IDOR inside a tenant) and T-37 (cross-tenant access), on every tenant
// store and service, against both implementations.

describe.for<StoreKind>(['memory', 'sqlite'])('tenant isolation (%s stores)', (kind) => {
  async function world() {
    const fixture = await createFixture({ kind })
    const a = await addTenant(fixture)
    const b = await addTenant(fixture)
    return { fixture, a, b, ...fixture.tenancy }
  }

  it('T-37 memberships: another tenant’s members are not found and unchanged', async () => {
    const { a, b, stores } = await world()
    const before = await stores.memberships.list(a.ownerContext)
    expect(await stores.memberships.get(b.ownerContext, a.member.id)).toBeUndefined()
    expect(await stores.memberships.setRole(b.ownerContext, a.member.id, 'admin')).toBeUndefined()
    expect(await stores.memberships.remove(b.ownerContext, a.member.id)).toBe(false)
    expect(await stores.memberships.list(a.ownerContext)).toEqual(before)
  })

  it('T-37 api keys: another tenant’s key id is not found, not revocable, not listed', async () => {
    const { a, b, apiKeys, stores } = await world()
    const { record } = await apiKeys.create(a.memberContext, { name: 'k' })
    const before = await stores.apiKeys.get(a.memberContext, record.id)
    expect(await stores.apiKeys.get(b.ownerContext, record.id)).toBeUndefined()
    expect(await apiKeys.revoke(b.ownerContext, record.id)).toBe(false)
    expect(await apiKeys.list(b.ownerContext)).toEqual([])
    expect(await stores.apiKeys.get(a.memberContext, record.id)).toEqual(before)
  })

  it('T-36 api keys: a user of the same tenant cannot read or revoke a colleague’s key', async () => {
    const { a, apiKeys, stores } = await world()
    const { record } = await apiKeys.create(a.memberContext, { name: 'k' })
    expect(await stores.apiKeys.get(a.ownerContext, record.id)).toBeUndefined()
    expect(await apiKeys.revoke(a.ownerContext, record.id)).toBe(false)
    expect((await stores.apiKeys.get(a.memberContext, record.id))?.revokedAt).toBeNull()
  })

  it('T-37 usage events: another tenant sees none of them', async () => {
    const { a, b, stores } = await world()
    await stores.usageEvents.record(a.memberContext, {
      id: 'e1',
      credentialId: null,
      tool: 'get_activities',
      status: 'ok',
      durationMs: 5,
      at: '2026-01-15T10:00:00.000Z',
    })
    expect(await stores.usageEvents.list(b.ownerContext, { scope: 'tenant' })).toEqual([])
    expect(await stores.usageEvents.list(a.ownerContext, { scope: 'tenant' })).toHaveLength(1)
  })

  it('T-36/T-37 provider tokens: neither a colleague nor another tenant can read, replace or delete them', async () => {
    const { a, b, providerTokens } = await world()
    const tokens = {
      accessToken: 'strava-access',
      refreshToken: 'strava-refresh',
      tokenType: 'Bearer',
      scope: 'read',
      expiresAt: null,
      providerUserId: '7',
    }
    await providerTokens.save(a.memberContext, 'strava', tokens)
    for (const ctx of [a.ownerContext, b.ownerContext, b.memberContext]) {
      expect(await providerTokens.get(ctx, 'strava')).toBeUndefined()
      expect(await providerTokens.list(ctx)).toEqual([])
      expect(await providerTokens.delete(ctx, 'strava')).toBe(false)
    }
    await providerTokens.save(b.memberContext, 'strava', { ...tokens, accessToken: 'other' })
    expect(await providerTokens.get(a.memberContext, 'strava')).toEqual(tokens)
  })

  it('T-37 a token whose tenant claim names a tenant the user is not a member of is refused', async () => {
    const { a, b, tokens, authenticator } = await world()
    const { token } = await tokens.issueAccessToken({
      subject: a.member.id,
      audience: mcpResource,
      tenantId: b.tenantId,
      clientId: 'c',
      scopes: ['fitness:read'],
    })
    const result = await authenticator.authenticate({
      authorization: `Bearer ${token}`,
      audience: mcpResource,
      requestId: 'r',
      clientIp: '192.0.2.1',
    })
    expect(!result.ok && result.error.code).toBe('invalid_token')
  })

  it('T-37 a look-alike context object (e.g. built from an X-Tenant-ID header) is refused by every store', async () => {
    const { a, b, stores } = await world()
    const forged = { ...a.memberContext, tenantId: b.tenantId } as unknown as RequestContext
    expect(() => assertRequestContext(forged)).toThrow()
    const attempts = [
      () => stores.memberships.list(forged),
      () => stores.apiKeys.list(forged),
      () => stores.usageEvents.list(forged),
      () => stores.providerTokens.list(forged),
    ]
    for (const attempt of attempts)
      await expect(attempt()).rejects.toMatchObject({ code: 'forbidden' })
  })
})

describe('tenant isolation at rest', () => {
  it('T-29 a provider-token ciphertext copied to another user or tenant fails authentication', async () => {
    const db = createSqliteDatabase()
    const fixture = await createFixture({ stores: createSqliteStores(db) })
    const a = await addTenant(fixture)
    const b = await addTenant(fixture)
    const { providerTokens } = fixture.tenancy
    const tokens = (value: string) => ({
      accessToken: `${value}-access`,
      refreshToken: `${value}-refresh`,
      tokenType: 'Bearer',
      scope: null,
      expiresAt: null,
      providerUserId: null,
    })
    await providerTokens.save(a.memberContext, 'strava', tokens('a-member'))
    await providerTokens.save(a.ownerContext, 'strava', tokens('a-owner'))
    await providerTokens.save(b.memberContext, 'strava', tokens('b-member'))
    const copy = (from: { tenant: string; user: string }, to: { tenant: string; user: string }) =>
      db
        .prepare(
          `UPDATE provider_tokens SET refresh_token_enc = (
             SELECT refresh_token_enc FROM provider_tokens WHERE tenant_id = ? AND user_id = ?)
           WHERE tenant_id = ? AND user_id = ?`,
        )
        .run(from.tenant, from.user, to.tenant, to.user)
    copy({ tenant: a.tenantId, user: a.member.id }, { tenant: a.tenantId, user: a.owner.id })
    copy({ tenant: a.tenantId, user: a.member.id }, { tenant: b.tenantId, user: b.member.id })
    for (const ctx of [a.ownerContext, b.memberContext]) {
      const error = await providerTokens.get(ctx, 'strava').catch((e: unknown) => e)
      expect(error).toMatchObject({
        code: 'decryption_failed',
        message: 'decryption failed for provider_tokens.refresh_token',
      })
      expect(String(error)).not.toContain('a-member')
    }
    expect((await providerTokens.get(a.memberContext, 'strava'))?.refreshToken).toBe(
      'a-member-refresh',
    )
  })
})
