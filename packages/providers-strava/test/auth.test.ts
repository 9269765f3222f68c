import { createOAuthClient, isProviderError } from '@pierre/providers-core'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { describe, expect, it } from 'vitest'
import { stravaDescriptor, stravaOAuthEndpoints } from '../src/index.js'
import { camille, setUp } from './support.js'

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return isProviderError(error) ? error.code : `not a ProviderError: ${String(error)}`
}

describe('tokens and consent', () => {
  it('sends the header form of the token and never puts it in the URL', async () => {
    const { fake, provider, connection } = await setUp()
    await provider.getAthlete()
    const [request] = fake.requestsTo('GET /api/v3/athlete')
    expect(request?.headers.authorization).toBe(`Bearer ${connection.accessToken}`)
    expect(request?.query.has('access_token')).toBe(false)
  })

  it('refreshes once on a 401 shared by 20 concurrent callers, then all succeed', async () => {
    const { fake, provider, connection, store } = await setUp({ fake: { tokenDelayMs: 50 } })
    fake.upstream.tokens.expire(connection.accessToken)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => provider.getActivities({ limit: 2 })),
    )
    expect(results.every((rows) => rows.length === 2)).toBe(true)
    expect(fake.refreshCount).toBe(1)
    expect(fake.requestsTo('POST /oauth/token')).toHaveLength(1)
    const stored = await store.get({ ...camille, provider: 'strava' })
    expect(stored?.accessToken).not.toBe(connection.accessToken)
    expect(stored?.accessToken).toMatch(/^[0-9a-f]{40}$/)
    expect(stored?.status).toBe('connected')
    const refresh = fake.requestsTo('POST /oauth/token')[0]
    expect(refresh?.form?.get('grant_type')).toBe('refresh_token')
    expect(refresh?.form?.get('client_secret')).toBe('demo-secret')
  })

  it('turns revoked consent into reauth_required and keeps the stored tokens', async () => {
    const { fake, provider, connection, oauth } = await setUp()
    fake.upstream.tokens.revokeGrant(connection.refreshToken as string)
    expect(await codeOf(provider.getAthlete())).toBe('reauth_required')
    const stored = await oauth.getConnection(camille)
    expect(stored?.status).toBe('needs_reauth')
    expect(stored?.refreshToken).toBe(connection.refreshToken)
    // Later calls fail locally without another token request.
    expect(await codeOf(provider.getStats())).toBe('reauth_required')
    expect(fake.requestsTo('POST /oauth/token')).toHaveLength(1)
  })

  it('reports a token refused again after a refresh as token_expired', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /api/v3/athlete', [
      { status: 401, fixture: 'error_401_invalid_token.json' },
      { status: 401, fixture: 'error_401_invalid_token.json' },
    ])
    expect(await codeOf(provider.getAthlete())).toBe('token_expired')
  })

  it('maps the missing-scope 401 to insufficient_scope without refreshing', async () => {
    const { fake, provider } = await setUp({ scopes: ['read'] })
    const error = await provider.getActivities().catch((reason: unknown) => reason)
    expect(error).toMatchObject({
      code: 'insufficient_scope',
      details: { missing: ['activity:read'] },
    })
    expect(await codeOf(provider.getAthleteZones())).toBe('insufficient_scope')
    expect(fake.requestsTo('POST /oauth/token')).toHaveLength(0)
  })

  it('connects through authorize and token, reads expires_at and the athlete, and deauthorizes', async () => {
    const { fake } = await setUp()
    const store = createMemoryTokenStore()
    const oauth = createOAuthClient({
      descriptor: stravaDescriptor,
      endpoints: stravaOAuthEndpoints(fake.oauthBaseUrl),
      clientId: '98765',
      clientSecret: 'demo-secret',
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: store,
    })
    const { url } = await oauth.createAuthorizationUrl(camille)
    const authorize = new URL(url)
    expect(authorize.pathname).toBe('/oauth/authorize')
    expect(authorize.searchParams.get('scope')).toBe('read,activity:read_all,profile:read_all')
    expect(authorize.searchParams.get('approval_prompt')).toBe('auto')
    expect(authorize.searchParams.has('code_challenge')).toBe(false)
    const redirect = await fetch(url, { redirect: 'manual' })
    const callback = new URL(redirect.headers.get('location') as string)
    callback.searchParams.set('scope', 'read,activity:read_all,profile:read_all')
    const connection = await oauth.handleCallback(callback)
    expect(connection.providerUserId).toBe('48213977')
    expect(connection.accessToken).toMatch(/^[0-9a-f]{40}$/)
    expect(connection.expiresAt).toBeDefined()
    expect(await oauth.disconnect(camille)).toEqual({ revoked: true })
    const revoke = fake.requestsTo('POST /oauth/deauthorize')[0]
    expect(revoke?.form?.get('access_token')).toBe(connection.accessToken)
    const echoed = await fetch(`${fake.oauthBaseUrl}/deauthorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: 'a'.repeat(40) }),
    })
    expect(await echoed.json()).toEqual({ access_token: 'a'.repeat(40) })
    expect(fake.upstream.tokens.isValid(connection.accessToken)).toBe(false)
  })

  it('refuses a bundle context without auth', async () => {
    const { createStravaBundle } = await import('../src/index.js')
    expect(() => createStravaBundle().create({ tenantId: 't', userId: 'u' })).toThrow(
      expect.objectContaining({ code: 'not_connected' }),
    )
  })
})
