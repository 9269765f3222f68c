import { describe, expect, it } from 'vitest'
import { addTenant, createFixture } from './support.js'

describe('provider token vault (spec §2.6)', () => {
  it('stores tokens encrypted, bound to tenant/user/provider, and lists connections without tokens', async () => {
    const fixture = await createFixture({ kind: 'sqlite' })
    const a = await addTenant(fixture)
    const { providerTokens, stores } = fixture.tenancy
    const tokens = {
      accessToken: 'access-123',
      refreshToken: 'refresh-456',
      tokenType: 'Bearer',
      scope: 'activity:read',
      expiresAt: '2026-01-15T16:00:00.000Z',
      providerUserId: '99',
    }
    const connection = await providerTokens.save(a.memberContext, 'strava', tokens)
    expect(connection).toEqual({
      provider: 'strava',
      connected: true,
      scope: 'activity:read',
      expiresAt: '2026-01-15T16:00:00.000Z',
      providerUserId: '99',
      updatedAt: '2026-01-15T10:00:00.000Z',
    })
    const row = await stores.providerTokens.get(a.memberContext, 'strava')
    expect(row?.accessTokenEnc).toMatch(/^pe1\./)
    expect(JSON.stringify(row)).not.toContain('access-123')
    expect(JSON.stringify(row)).not.toContain('refresh-456')
    expect(await providerTokens.get(a.memberContext, 'strava')).toEqual(tokens)
    expect(await providerTokens.list(a.memberContext)).toEqual([connection])
    expect(await providerTokens.delete(a.memberContext, 'strava')).toBe(true)
    expect(await providerTokens.get(a.memberContext, 'strava')).toBeUndefined()
  })

  it('refuses provider names that are not identifiers', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    await expect(
      fixture.tenancy.providerTokens.get(a.memberContext, 'strava|x'),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    })
  })
})
