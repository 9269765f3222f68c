import { describe, expect, it } from 'vitest'
import { isRequestContext } from '../src/index.js'
import { addTenant, createFixture, mcpResource } from './support.js'

function base(extra: Record<string, string | undefined> = {}) {
  return { audience: mcpResource, requestId: 'req-1', clientIp: '192.0.2.10', ...extra }
}

describe('authenticate', () => {
  it('turns a Bearer access token into a frozen context with roles read from the database', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { token, jti } = await fixture.tenancy.tokens.issueAccessToken({
      subject: a.owner.id,
      audience: mcpResource,
      tenantId: a.tenantId,
      clientId: 'client-1',
      scopes: ['fitness:read'],
    })
    const result = await fixture.tenancy.authenticator.authenticate(
      base({ authorization: `Bearer ${token}` }),
    )
    if (!result.ok) throw result.error
    const ctx = result.context
    expect(isRequestContext(ctx)).toBe(true)
    expect(Object.isFrozen(ctx)).toBe(true)
    expect(ctx).toMatchObject({
      requestId: 'req-1',
      tenantId: a.tenantId,
      userId: a.owner.id,
      roles: { platform: 'user', tenant: 'owner' },
      credential: { kind: 'oauth', clientId: 'client-1', jti, grantId: null },
      tier: 'starter',
      clientIp: '192.0.2.10',
      transport: 'http',
    })
    expect([...ctx.scopes]).toEqual(['fitness:read'])
    expect(() => (ctx.scopes as Set<string>).add('fitness:write')).toThrow()
  })

  it('accepts an API key as Bearer, as X-API-Key and in the REF form', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { key, record } = await fixture.tenancy.apiKeys.create(a.memberContext, {
      name: 'k',
      scopes: ['fitness:read'],
    })
    for (const headers of [
      { authorization: `Bearer ${key}` },
      { apiKey: key },
      { authorization: key },
      { authorization: `Bearer ${key}`, apiKey: key },
    ]) {
      const result = await fixture.tenancy.authenticator.authenticate(base(headers))
      if (!result.ok) throw result.error
      expect(result.context.credential).toEqual({
        kind: 'api_key',
        keyId: record.id,
        tier: 'starter',
      })
      expect([...result.context.scopes]).toEqual(['fitness:read'])
    }
    expect((await fixture.tenancy.stores.apiKeys.get(a.memberContext, record.id))?.lastUsedAt).toBe(
      '2026-01-15T10:00:00.000Z',
    )
  })

  it('answers missing_credential, invalid_request for two credentials, invalid_token for other schemes', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { key } = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'k' })
    const { token } = await fixture.tenancy.tokens.issueAccessToken({
      subject: a.member.id,
      audience: mcpResource,
      tenantId: a.tenantId,
      clientId: 'c',
      scopes: [],
    })
    const cases: [Record<string, string | undefined>, string][] = [
      [{}, 'missing_credential'],
      [{ authorization: `Bearer ${token}`, apiKey: key }, 'invalid_request'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'invalid_token'],
      [{ authorization: 'Bearer padm_abcdef' }, 'invalid_token'],
    ]
    for (const [headers, code] of cases) {
      const result = await fixture.tenancy.authenticator.authenticate(base(headers))
      expect(!result.ok && result.error.code).toBe(code)
    }
  })

  it('honours the route’s accepted credential kinds', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { key } = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'k' })
    const result = await fixture.tenancy.authenticator.authenticate({
      ...base({ apiKey: key }),
      accept: ['jwt'],
    })
    expect(!result.ok && result.error.code).toBe('invalid_api_key')
  })

  it('rejects a token the OAuth server reports as revoked and records its grant otherwise', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const { createAuthenticator } = await import('../src/index.js')
    const revoked = new Set<string>()
    const authenticator = createAuthenticator({
      tokens: fixture.tenancy.tokens,
      apiKeys: fixture.tenancy.apiKeys,
      stores: fixture.tenancy.stores,
      checkAccessToken: async (claims) => ({
        revoked: revoked.has(claims.jti),
        grantId: 'grant-1',
      }),
    })
    const { token, jti } = await fixture.tenancy.tokens.issueAccessToken({
      subject: a.member.id,
      audience: mcpResource,
      tenantId: a.tenantId,
      clientId: 'c',
      scopes: [],
    })
    const ok = await authenticator.authenticate(base({ authorization: `Bearer ${token}` }))
    expect(ok.ok && ok.context.credential).toMatchObject({ grantId: 'grant-1' })
    revoked.add(jti)
    const refused = await authenticator.authenticate(base({ authorization: `Bearer ${token}` }))
    expect(!refused.ok && refused.error.details).toEqual({ reason: 'revoked' })
  })

  it('builds contexts for server-verified credentials after the same checks', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const b = await addTenant(fixture)
    const ok = await fixture.tenancy.authenticator.contextFor({
      tenantId: a.tenantId,
      userId: a.member.id,
      credential: { kind: 'stdio' },
      requestId: 'r',
      transport: 'stdio',
    })
    expect(ok.ok && ok.context.roles).toEqual({ platform: 'user', tenant: 'member' })
    const refused = await fixture.tenancy.authenticator.contextFor({
      tenantId: b.tenantId,
      userId: a.member.id,
      credential: { kind: 'session', sessionId: 's' },
      requestId: 'r',
      transport: 'http',
    })
    expect(!refused.ok && refused.error.code).toBe('forbidden')
  })
})
