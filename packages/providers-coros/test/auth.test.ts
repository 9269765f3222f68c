import { createOAuthClient, isProviderError } from '@pierre/providers-core'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { describe, expect, it } from 'vitest'
import {
  corosAccessTokenLifetimeSeconds,
  corosDescriptor,
  corosOAuthEndpoints,
  createCorosBundle,
  createCorosOAuthClient,
} from '../src/index.js'
import {
  camille,
  client,
  fixture,
  fixtureNow,
  rejectionOf,
  setUp,
  steppingClock,
} from './support.js'

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return isProviderError(error) ? error.code : `not a ProviderError: ${String(error)}`
}

const key = { ...camille, provider: 'coros' } as const

describe('connecting', () => {
  it('authorizes without scope or PKCE and reads the camelCase token answer', async () => {
    const { fake, connection } = await setUp()
    const [authorize] = fake.requestsTo('GET /oauth2/authorize')
    expect(authorize?.query.get('client_id')).toBe('coros-client')
    expect(authorize?.query.get('response_type')).toBe('code')
    expect(authorize?.query.has('scope')).toBe(false)
    expect(authorize?.query.has('code_challenge')).toBe(false)
    expect((authorize?.query.get('state') ?? '').length).toBeGreaterThanOrEqual(43)
    // the form of oauth_accesstoken.json's manifest entry
    const exchange = fake.requestsTo('POST /oauth2/accesstoken')[0]?.form
    expect([...(exchange?.keys() ?? [])].sort()).toEqual(
      ['client_id', 'client_secret', 'code', 'grant_type', 'redirect_uri'].sort(),
    )
    expect(exchange?.get('grant_type')).toBe('authorization_code')
    expect(exchange?.get('redirect_uri')).toBe('http://127.0.0.1/callback')
    expect(connection).toMatchObject({
      status: 'connected',
      providerUserId: 'coros-open-51dfe50ec0518813fb9b360a',
      tokenType: 'bearer',
      scopes: [],
      expiresAt: new Date(
        fixtureNow().getTime() + corosAccessTokenLifetimeSeconds * 1000,
      ).toISOString(),
    })
    expect(fake.isTokenValid(connection.accessToken)).toBe(true)
    // the stored refresh token is a handle that carries COROS's refresh token
    expect(connection.refreshToken).toMatch(/^coros-rt\.v1\./)
  })

  it('reads the fixture token answer through the descriptor', () => {
    const body = fixture('oauth_accesstoken.json') as Record<string, unknown>
    const auth = corosDescriptor.auth
    if (auth.kind !== 'oauth2') throw new Error('COROS uses OAuth 2.0')
    expect(auth.tokenResponse).toBe('raw')
    expect(auth.readTokenResponse?.(body)).toEqual({
      accessToken: 'fcfe2688d1fe60237556b30187ec2be7',
      refreshToken: '8252b8ee850169a34aef26b5fcc1e9ed',
      expiresInSeconds: 2_592_000,
      providerUserId: 'coros-open-51dfe50ec0518813fb9b360a',
    })
    expect(
      auth.readTokenResponse?.({ access_token: 'a', refresh_token: 'r', expires_in: '60' }),
    ).toEqual({ accessToken: 'a', refreshToken: 'r', expiresInSeconds: 60 })
  })

  it('reports a refused authorization as access_denied and a reused code as upstream_error', async () => {
    const { fake } = await setUp()
    const store = createMemoryTokenStore()
    const oauth = createCorosOAuthClient({
      baseUrl: fake.url,
      ...client,
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: store,
      now: fixtureNow,
    })
    fake.denyNextAuthorization()
    const denied = await fetch((await oauth.createAuthorizationUrl(camille)).url, {
      redirect: 'manual',
    })
    expect(await codeOf(oauth.handleCallback(denied.headers.get('location') as string))).toBe(
      'access_denied',
    )
    const consent = await fetch((await oauth.createAuthorizationUrl(camille)).url, {
      redirect: 'manual',
    })
    const location = new URL(consent.headers.get('location') as string)
    await oauth.handleCallback(location)
    // the same code again, with a fresh state: COROS refuses it in-band
    const again = await oauth.createAuthorizationUrl(camille)
    location.searchParams.set('state', again.state)
    expect(await codeOf(oauth.handleCallback(location))).toBe('upstream_error')
  })

  it('sends the token and the openId as query parameters, never in a header', async () => {
    const { fake, provider, connection } = await setUp()
    await provider.getAthlete()
    const [request] = fake.requestsTo('GET /coros/open/user/info')
    expect(request?.query.get('token')).toBe(connection.accessToken)
    expect(request?.query.get('openId')).toBe('coros-open-51dfe50ec0518813fb9b360a')
    expect(request?.headers.authorization).toBeUndefined()
  })
})

describe('refreshing', () => {
  it('extends the token once for 20 concurrent callers when COROS answers a bare success', async () => {
    const clock = steppingClock('2025-03-14T21:30:00Z')
    const { fake, provider, connection, store } = await setUp({
      now: clock.now,
      fake: { tokenDelayMs: 50 },
    })
    // 29 days and 23 hours later the token is within the 5-minute refresh skew
    clock.advance(corosAccessTokenLifetimeSeconds * 1000 - 120_000)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => provider.getActivities({ limit: 2 })),
    )
    expect(results.every((rows) => rows.length === 2)).toBe(true)
    expect(fake.refreshCount).toBe(1)
    const [refresh] = fake.requestsTo('POST /oauth2/refresh')
    expect(fake.requestsTo('POST /oauth2/refresh')).toHaveLength(1)
    expect(fake.requestsTo('POST /oauth2/accesstoken')).toHaveLength(1)
    // the form of oauth_refresh.json's manifest entry, with COROS's own refresh token
    expect(Object.fromEntries(refresh?.form ?? [])).toEqual({
      client_id: 'coros-client',
      client_secret: 'coros-secret',
      grant_type: 'refresh_token',
      refresh_token: expect.stringMatching(/^[0-9a-f]{32}$/),
    })
    const stored = await store.get(key)
    expect(stored?.status).toBe('connected')
    expect(stored?.accessToken).toBe(connection.accessToken)
    expect(stored?.refreshToken).toBe(connection.refreshToken)
    expect(stored?.expiresAt).toBe(
      new Date(clock.now().getTime() + corosAccessTokenLifetimeSeconds * 1000).toISOString(),
    )
    expect(fake.isTokenValid(connection.accessToken)).toBe(true)
  })

  it('stores the new pair when COROS answers one', async () => {
    const { fake, oauth, store, connection } = await setUp({ fake: { refreshAnswer: 'new_pair' } })
    const token = await oauth.getAccessToken(camille, {
      forceRefresh: true,
      rejectedToken: connection.accessToken,
    })
    expect(token).not.toBe(connection.accessToken)
    expect(fake.isTokenValid(token)).toBe(true)
    expect(fake.isTokenValid(connection.accessToken)).toBe(false)
    const stored = await store.get(key)
    expect(stored?.refreshToken).toMatch(/^coros-rt\.v1\./)
    expect(stored?.refreshToken).not.toBe(connection.refreshToken)
    // the rotated pair keeps working
    await oauth.getAccessToken(camille, { forceRefresh: true, rejectedToken: token })
    expect(fake.refreshCount).toBe(2)
  })

  it('answers an in-band invalid token by refreshing once and repeating the call', async () => {
    const { fake, provider, connection } = await setUp({ fake: { refreshAnswer: 'new_pair' } })
    fake.expireToken(connection.accessToken)
    const athlete = await provider.getAthlete()
    expect(athlete.username).toBe('camille.t')
    expect(fake.refreshCount).toBe(1)
    const calls = fake.requestsTo('GET /coros/open/user/info')
    expect(calls).toHaveLength(2)
    expect(calls[1]?.query.get('token')).not.toBe(connection.accessToken)
  })

  it('revives an expired token with a bare-success refresh and repeats the call with it', async () => {
    const { fake, provider, connection, store } = await setUp()
    fake.expireToken(connection.accessToken)
    expect((await provider.getAthlete()).username).toBe('camille.t')
    expect(fake.refreshCount).toBe(1)
    const calls = fake.requestsTo('GET /coros/open/user/info')
    expect(calls.map((call) => call.query.get('token'))).toEqual([
      connection.accessToken,
      connection.accessToken,
    ])
    expect((await store.get(key))?.accessToken).toBe(connection.accessToken)
  })

  it('reports a token refused again after the refresh as token_expired, with the COROS code', async () => {
    const { fake, provider } = await setUp()
    const invalid = { fixture: 'error_invalid_token.json' }
    fake.script('GET /coros/open/user/info', [invalid, invalid])
    const error = await rejectionOf(provider.getAthlete())
    expect(error).toMatchObject({
      code: 'token_expired',
      provider: 'coros',
      status: 200,
      details: { result: '1019', message: 'access token invalid' },
    })
    expect(fake.refreshCount).toBe(1)
  })

  it('marks the connection needs_reauth and keeps its tokens when consent was revoked upstream', async () => {
    const { fake, provider, connection, oauth } = await setUp()
    const handle = connection.refreshToken as string
    const corosRefresh = JSON.parse(
      Buffer.from(handle.slice('coros-rt.v1.'.length), 'base64url').toString(),
    ).r as string
    fake.revokeGrant(corosRefresh)
    const error = await rejectionOf(provider.getActivities())
    expect(error).toMatchObject({ code: 'reauth_required', provider: 'coros' })
    const stored = await oauth.getConnection(camille)
    expect(stored?.status).toBe('needs_reauth')
    expect(stored?.statusReason).toBe('refresh_rejected')
    expect(stored?.accessToken).toBe(connection.accessToken)
    expect(stored?.refreshToken).toBe(connection.refreshToken)
    // later calls fail locally, without another token request
    expect(await codeOf(provider.getAthlete())).toBe('reauth_required')
    expect(fake.requestsTo('POST /oauth2/refresh')).toHaveLength(1)
  })

  it('cannot extend a plain refresh token (no handle): invalid_data, the connection untouched', async () => {
    const { fake, store, oauth, connection } = await setUp()
    const handle = connection.refreshToken as string
    const plain = JSON.parse(
      Buffer.from(handle.slice('coros-rt.v1.'.length), 'base64url').toString(),
    ).r as string
    await store.put({ ...connection, refreshToken: plain })
    expect(
      await codeOf(
        oauth.getAccessToken(camille, {
          forceRefresh: true,
          rejectedToken: connection.accessToken,
        }),
      ),
    ).toBe('invalid_data')
    expect(fake.refreshCount).toBe(1)
    expect((await store.get(key))?.status).toBe('connected')
  })

  it('with the descriptor alone, refresh grants go to the code endpoint and fail', async () => {
    const { fake, store, connection } = await setUp()
    const plain = createOAuthClient({
      descriptor: corosDescriptor,
      endpoints: corosOAuthEndpoints(fake.url),
      ...client,
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: store,
      now: fixtureNow,
    })
    expect(
      await codeOf(
        plain.getAccessToken(camille, {
          forceRefresh: true,
          rejectedToken: connection.accessToken,
        }),
      ),
    ).toBe('invalid_data')
    expect(fake.requestsTo('POST /oauth2/refresh')).toHaveLength(0)
    const [misrouted] = fake.requestsTo('POST /oauth2/accesstoken').slice(-1)
    expect(misrouted?.form?.get('grant_type')).toBe('refresh_token')
  })
})

describe('disconnecting', () => {
  it('unbinds with the access token in a token header, then forgets the connection', async () => {
    const { fake, oauth, connection, store } = await setUp()
    expect(await oauth.disconnect(camille)).toEqual({ revoked: true })
    const [unbind] = fake.requestsTo('POST /coros/open/unbind')
    expect(unbind?.headers.token).toBe(connection.accessToken)
    expect(unbind?.body).toBe('')
    expect(fake.isTokenValid(connection.accessToken)).toBe(false)
    expect(await store.get(key)).toBeUndefined()
  })

  it('reports a refused unbind through the hook and still forgets the connection', async () => {
    const { fake, store } = await setUp()
    const failures: unknown[] = []
    const oauth = createCorosOAuthClient({
      baseUrl: fake.url,
      ...client,
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: store,
      now: fixtureNow,
      hooks: { onRevocationError: (event) => failures.push(event.error) },
    })
    fake.script('POST /coros/open/unbind', [{ fixture: 'error_invalid_token.json' }])
    expect(await oauth.disconnect(camille)).toEqual({ revoked: false })
    expect(failures).toHaveLength(1)
    expect(await store.get(key)).toBeUndefined()
  })
})

describe('the registry bundle', () => {
  it('looks the openId up for each user and needs a token source', async () => {
    const { fake, oauth } = await setUp()
    const lookups: string[] = []
    const bundle = createCorosBundle({
      baseUrl: fake.url,
      openIdOf: async (user) => {
        lookups.push(user.userId)
        return (await oauth.getConnection(user))?.providerUserId
      },
    })
    const provider = bundle.create({
      ...camille,
      auth: oauth.tokenSource(camille),
      now: fixtureNow,
    })
    expect((await provider.getAthlete()).id).toBe('coros-open-51dfe50ec0518813fb9b360a')
    expect(lookups).toEqual(['camille'])
    expect(() => bundle.create(camille)).toThrow(expect.objectContaining({ code: 'not_connected' }))
    const stranger = bundle.create({
      tenantId: 'tenant-1',
      userId: 'nobody',
      auth: oauth.tokenSource(camille),
    })
    expect(await codeOf(stranger.getAthlete())).toBe('not_connected')
  })
})
