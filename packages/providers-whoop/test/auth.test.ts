import { createOAuthClient, isProviderError } from '@pierre/providers-core'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { describe, expect, it } from 'vitest'
import {
  createWhoopBundle,
  createWhoopOAuthClient,
  createWhoopProvider,
  whoopDescriptor,
  whoopOAuthEndpoints,
} from '../src/index.js'
import { camille, fixtureNow, setUp } from './support.js'

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return isProviderError(error) ? error.code : `not a ProviderError: ${String(error)}`
}

describe('tokens and consent', () => {
  it('sends the access token as a bearer header, never in the URL', async () => {
    const { fake, provider, connection } = await setUp()
    await provider.getAthlete()
    const [request] = fake.requestsTo('GET /developer/v2/user/profile/basic')
    expect(request?.headers.authorization).toBe(`Bearer ${connection.accessToken}`)
    expect(request?.query.toString()).toBe('')
  })

  it('refreshes once on a 401 shared by 20 concurrent callers, then all succeed', async () => {
    const { fake, provider, connection, store } = await setUp({ fake: { tokenDelayMs: 50 } })
    fake.upstream.tokens.expire(connection.accessToken)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => provider.getActivities({ limit: 2 })),
    )
    expect(results.every((rows) => rows.length === 2)).toBe(true)
    expect(fake.refreshCount).toBe(1)
    const refreshes = fake.requestsTo('POST /oauth/oauth2/token')
    expect(refreshes).toHaveLength(1)
    const form = refreshes[0]?.form
    expect(form?.get('grant_type')).toBe('refresh_token')
    expect(form?.get('refresh_token')).toBe(connection.refreshToken)
    expect(form?.get('scope')).toBe('offline')
    expect(form?.get('client_id')).toBe('whoop-client')
    expect(form?.get('client_secret')).toBe('whoop-secret')
    const stored = await store.get({ ...camille, provider: 'whoop' })
    expect(stored?.status).toBe('connected')
    expect(stored?.accessToken).not.toBe(connection.accessToken)
    // WHOOP rotates refresh tokens: the new one is persisted
    expect(stored?.refreshToken).toBeDefined()
    expect(stored?.refreshToken).not.toBe(connection.refreshToken)
    expect(fake.upstream.tokens.isValid(stored?.accessToken as string)).toBe(true)
  })

  it('keeps getting refresh tokens across rotations because each refresh asks for offline', async () => {
    const { fake, oauth, store } = await setUp()
    for (let round = 0; round < 3; round += 1) {
      const before = await store.get({ ...camille, provider: 'whoop' })
      await oauth.getAccessToken(camille, {
        forceRefresh: true,
        rejectedToken: before?.accessToken as string,
      })
    }
    expect(fake.refreshCount).toBe(3)
    expect((await store.get({ ...camille, provider: 'whoop' }))?.status).toBe('connected')
  })

  it('without scope=offline on refresh (plain client), the rotated refresh token is lost', async () => {
    const { fake, store } = await setUp()
    const plain = createOAuthClient({
      descriptor: whoopDescriptor,
      endpoints: whoopOAuthEndpoints(fake.oauthBaseUrl),
      clientId: 'whoop-client',
      clientSecret: 'whoop-secret',
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: store,
      now: fixtureNow,
    })
    const first = await store.get({ ...camille, provider: 'whoop' })
    await plain.getAccessToken(camille, {
      forceRefresh: true,
      rejectedToken: first?.accessToken as string,
    })
    const second = await store.get({ ...camille, provider: 'whoop' })
    expect(second?.refreshToken).toBe(first?.refreshToken)
    expect(
      await codeOf(
        plain.getAccessToken(camille, {
          forceRefresh: true,
          rejectedToken: second?.accessToken as string,
        }),
      ),
    ).toBe('reauth_required')
  })

  it('marks the connection needs_reauth and keeps its tokens when WHOOP answers invalid_grant', async () => {
    const { fake, provider, connection, oauth } = await setUp()
    fake.upstream.tokens.revokeGrant(connection.refreshToken as string)
    const error = await provider.getAthlete().catch((reason: unknown) => reason)
    expect(error).toMatchObject({ code: 'reauth_required', details: { reason: 'invalid_grant' } })
    const stored = await oauth.getConnection(camille)
    expect(stored?.status).toBe('needs_reauth')
    expect(stored?.statusReason).toBe('invalid_grant')
    expect(stored?.accessToken).toBe(connection.accessToken)
    expect(stored?.refreshToken).toBe(connection.refreshToken)
    // Later calls fail locally, without another token request.
    expect(await codeOf(provider.getActivities())).toBe('reauth_required')
    expect(fake.requestsTo('POST /oauth/oauth2/token')).toHaveLength(1)
  })

  it('reports a token refused again after a refresh as token_expired', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /developer/v2/user/profile/basic', [{ status: 401 }, { status: 401 }])
    expect(await codeOf(provider.getAthlete())).toBe('token_expired')
    expect(fake.refreshCount).toBe(1)
  })

  it('connects through authorize and token with space-separated scopes, PKCE and a long state', async () => {
    const { fake } = await setUp()
    const store = createMemoryTokenStore()
    const oauth = createWhoopOAuthClient({
      oauthBaseUrl: fake.oauthBaseUrl,
      clientId: 'whoop-client',
      clientSecret: 'whoop-secret',
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: store,
      now: fixtureNow,
    })
    const { url, state } = await oauth.createAuthorizationUrl(camille)
    const authorize = new URL(url)
    expect(authorize.pathname).toBe('/oauth/oauth2/auth')
    expect(authorize.searchParams.get('scope')).toBe(
      'offline read:profile read:body_measurement read:cycles read:recovery read:sleep read:workout',
    )
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(state.length).toBeGreaterThanOrEqual(8)
    const redirect = await fetch(url, { redirect: 'manual' })
    const connection = await oauth.handleCallback(redirect.headers.get('location') as string)
    expect(connection.tokenType).toBe('bearer')
    expect(connection.refreshToken).toBeDefined()
    expect(connection.scopes).toContain('offline')
    expect(connection.expiresAt).toBe(new Date(fixtureNow().getTime() + 3_600_000).toISOString())
    const exchange = fake.requestsTo('POST /oauth/oauth2/token')[0]?.form
    expect(exchange?.get('grant_type')).toBe('authorization_code')
    expect(exchange?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(exchange?.has('scope')).toBe(false)
  })

  it('takes each OAuth endpoint on its own, ahead of the base URL', async () => {
    const { fake } = await setUp()
    const oauth = createWhoopOAuthClient({
      oauthBaseUrl: 'http://127.0.0.1:9/nowhere',
      endpoints: {
        authorizationEndpoint: `${fake.oauthBaseUrl}/auth`,
        tokenEndpoint: `${fake.oauthBaseUrl}/token`,
      },
      clientId: 'whoop-client',
      clientSecret: 'whoop-secret',
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: createMemoryTokenStore(),
      now: fixtureNow,
    })
    const { url } = await oauth.createAuthorizationUrl(camille)
    expect(url.startsWith(`${fake.oauthBaseUrl}/auth?`)).toBe(true)
    const redirect = await fetch(url, { redirect: 'manual' })
    const connection = await oauth.handleCallback(redirect.headers.get('location') as string)
    expect(connection.refreshToken).toBeDefined()
    expect(fake.requestsTo('POST /oauth/oauth2/token')).toHaveLength(1)
  })

  it('revokes access at WHOOP, then forgets the connection locally', async () => {
    const { fake, provider, oauth, connection } = await setUp()
    await provider.revokeAccess()
    const [request] = fake.requestsTo('DELETE /developer/v2/user/access')
    expect(request?.headers.authorization).toBe(`Bearer ${connection.accessToken}`)
    expect(fake.upstream.tokens.isValid(connection.accessToken)).toBe(false)
    // WHOOP has no RFC 7009 endpoint: disconnect only removes the stored tokens.
    expect(await oauth.disconnect(camille)).toEqual({ revoked: false })
    expect(await oauth.getConnection(camille)).toBeUndefined()
    expect(fake.requestsTo('POST /oauth/oauth2/token')).toHaveLength(0)
  })

  it('builds providers from the bundle and refuses a context without auth', async () => {
    const { fake, connection } = await setUp()
    const bundle = createWhoopBundle({ baseUrl: fake.apiBaseUrl })
    expect(bundle.descriptor).toBe(whoopDescriptor)
    const provider = bundle.create({
      tenantId: 't',
      userId: 'u',
      auth: { getAccessToken: async () => connection.accessToken },
    })
    expect((await provider.getAthlete()).id).toBe('34871')
    expect(() => bundle.create({ tenantId: 't', userId: 'u' })).toThrow(
      expect.objectContaining({ code: 'not_connected' }),
    )
    expect(() =>
      createWhoopProvider({ tokenSource: { getAccessToken: async () => 'x' }, baseUrl: 'ftp://x' }),
    ).toThrow(expect.objectContaining({ code: 'not_configured' }))
  })
})
