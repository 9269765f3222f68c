import { createHash } from 'node:crypto'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { OAuthClientOptions, ProviderDescriptor, UserRef } from '../src/index.js'
import { createOAuthClient, isLoopbackHost } from '../src/index.js'
import type { FakeOAuthOptions, FakeUpstream } from '../src/testing/index.js'
import { createMemoryTokenStore } from '../src/testing/index.js'
import {
  createDemoProvider,
  createTestClock,
  demoDescriptor,
  startDemoUpstream,
} from './support/demo.js'

const camille: UserRef = { tenantId: 'tenant-a', userId: 'camille' }

async function setUp(
  options: {
    oauth?: FakeOAuthOptions
    client?: Partial<OAuthClientOptions>
    descriptor?: ProviderDescriptor
  } = {},
) {
  const clock = createTestClock('2025-03-14T11:00:00Z')
  const fake = await startDemoUpstream({
    now: clock,
    oauth: { clientId: 'demo-client', clientSecret: 'demo-secret', ...options.oauth },
  })
  onTestFinished(() => fake.close())
  const tokenStore = createMemoryTokenStore()
  const client = createOAuthClient({
    descriptor: options.descriptor ?? demoDescriptor,
    endpoints: {
      authorizationEndpoint: `${fake.url}/oauth/authorize`,
      tokenEndpoint: `${fake.url}/oauth/token`,
      revocationEndpoint: `${fake.url}/oauth/revoke`,
    },
    clientId: 'demo-client',
    clientSecret: 'demo-secret',
    redirectUri: 'http://127.0.0.1:9/callback/demo',
    tokenStore,
    now: clock,
    sleep: async () => {},
    ...options.client,
  })
  return { clock, fake, tokenStore, client }
}

/** Follows the authorization URL like a browser whose user clicks "Allow"; returns the callback URL. */
async function authorize(fake: FakeUpstream, url: string): Promise<string> {
  expect(url.startsWith(fake.url)).toBe(true)
  const response = await fetch(url, { redirect: 'manual' })
  expect(response.status).toBe(302)
  return response.headers.get('location') as string
}

async function connect(setup: Awaited<ReturnType<typeof setUp>>, user: UserRef = camille) {
  const request = await setup.client.createAuthorizationUrl(user)
  return setup.client.handleCallback(await authorize(setup.fake, request.url))
}

describe('authorization with PKCE and state', () => {
  it('builds the authorization URL, exchanges the code with the verifier and stores the tokens', async () => {
    const setup = await setUp()
    const request = await setup.client.createAuthorizationUrl(camille)
    const url = new URL(request.url)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'demo-client',
      redirect_uri: 'http://127.0.0.1:9/callback/demo',
      response_type: 'code',
      scope: 'activity:read profile:read',
      state: request.state,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    })
    expect(request.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(request.expiresAt).toBe('2025-03-14T11:10:00.000Z')

    const connection = await setup.client.handleCallback(await authorize(setup.fake, request.url))
    expect(connection).toMatchObject({
      tenantId: 'tenant-a',
      userId: 'camille',
      provider: 'demo',
      tokenType: 'bearer',
      status: 'connected',
      scopes: ['activity:read', 'profile:read'],
      expiresAt: '2025-03-14T17:00:00.000Z',
    })
    expect(connection.accessToken).toMatch(/^[0-9a-f]{40}$/)
    expect(await setup.tokenStore.get({ ...camille, provider: 'demo' })).toEqual(connection)
    const [exchange] = setup.fake.requestsTo('POST /oauth/token')
    const verifier = exchange?.form?.get('code_verifier') as string
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      url.searchParams.get('code_challenge'),
    )
    expect(exchange?.headers.authorization).toMatch(/^Basic /)
  })

  it('uses a state once', async () => {
    const setup = await setUp()
    const request = await setup.client.createAuthorizationUrl(camille)
    const callback = await authorize(setup.fake, request.url)
    await setup.client.handleCallback(callback)
    await expect(setup.client.handleCallback(callback)).rejects.toMatchObject({
      code: 'invalid_state',
      message: 'authorization state is unknown or already used',
    })
  })

  it('refuses a tampered state without consuming the real one', async () => {
    const setup = await setUp()
    const request = await setup.client.createAuthorizationUrl(camille)
    const callback = new URL(await authorize(setup.fake, request.url))
    const tampered = new URL(callback)
    const state = request.state
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`)
    await expect(setup.client.handleCallback(tampered)).rejects.toMatchObject({
      code: 'invalid_state',
    })
    await expect(setup.client.handleCallback(callback)).resolves.toMatchObject({
      status: 'connected',
    })
  })

  it('refuses an expired state, a missing one, and one bound to another user', async () => {
    const setup = await setUp()
    const late = await setup.client.createAuthorizationUrl(camille)
    const lateCallback = await authorize(setup.fake, late.url)
    setup.clock.advance(601_000)
    await expect(setup.client.handleCallback(lateCallback)).rejects.toMatchObject({
      code: 'invalid_state',
      message: 'authorization state has expired',
    })
    await expect(setup.client.handleCallback('?code=abc')).rejects.toMatchObject({
      code: 'invalid_state',
    })
    const other = await setup.client.createAuthorizationUrl(camille)
    await expect(
      setup.client.handleCallback(await authorize(setup.fake, other.url), {
        expected: { tenantId: 'tenant-a', userId: 'mallory' },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_state',
      message: 'authorization state belongs to another user',
    })
    expect(setup.fake.requestsTo('POST /oauth/token')).toHaveLength(0)
  })

  it('reports a refusal as access_denied and stores nothing', async () => {
    const setup = await setUp()
    setup.fake.denyNextAuthorization()
    const request = await setup.client.createAuthorizationUrl(camille)
    await expect(
      setup.client.handleCallback(await authorize(setup.fake, request.url)),
    ).rejects.toMatchObject({
      code: 'access_denied',
    })
    expect(await setup.client.getConnection(camille)).toBeUndefined()
  })

  it('fails fast when a required scope was not granted, keeping the tokens for a later revoke', async () => {
    const setup = await setUp({ client: { requiredScopes: ['activity:read_all'] } })
    await expect(connect(setup)).rejects.toMatchObject({
      code: 'insufficient_scope',
      details: { missing: ['activity:read_all'] },
    })
    expect(await setup.client.getConnection(camille)).toMatchObject({
      status: 'insufficient_scope',
    })
  })
})

describe('token refresh', () => {
  it('refreshes before expiry once for 20 concurrent callers and persists the rotated pair', async () => {
    const setup = await setUp({ oauth: { tokenDelayMs: 30 } })
    const first = await connect(setup)
    setup.clock.advance(6 * 3600_000 - 4 * 60_000)
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => setup.client.getAccessToken(camille)),
    )
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(first.accessToken)
    expect(setup.fake.tokens.refreshCount).toBe(1)
    const stored = await setup.client.getConnection(camille)
    expect(stored).toMatchObject({ accessToken: tokens[0], status: 'connected' })
    expect(stored?.refreshToken).not.toBe(first.refreshToken)
    const [refresh] = setup.fake.requestsTo('POST /oauth/token').slice(1)
    expect(refresh?.form?.get('code_verifier')).toBeNull()
  })

  it('does not refresh a token that is far from expiry', async () => {
    const setup = await setUp()
    const connection = await connect(setup)
    expect(await setup.client.getAccessToken(camille)).toBe(connection.accessToken)
    expect(setup.fake.tokens.refreshCount).toBe(0)
  })

  it('on 401 refreshes once for 20 concurrent data calls and retries each call once', async () => {
    const setup = await setUp({ oauth: { tokenDelayMs: 30 } })
    const connection = await connect(setup)
    setup.fake.tokens.expire(connection.accessToken)
    const provider = createDemoProvider({
      baseUrl: setup.fake.url,
      auth: setup.client.tokenSource(camille),
    })
    const athletes = await Promise.all(Array.from({ length: 20 }, () => provider.getAthlete()))
    expect(athletes.every((athlete) => athlete.firstname === 'Camille')).toBe(true)
    expect(setup.fake.tokens.refreshCount).toBe(1)
    const calls = setup.fake.requestsTo('GET /api/athlete')
    expect(calls).toHaveLength(40)
    expect(calls.filter((call) => call.bearerToken === connection.accessToken)).toHaveLength(20)
  })

  it('gives up with token_expired when the refreshed token is refused too', async () => {
    const setup = await setUp({ oauth: { rotateRefreshTokens: false } })
    await connect(setup)
    setup.fake.script('GET /api/athlete', [{ status: 401 }, { status: 401 }])
    const provider = createDemoProvider({
      baseUrl: setup.fake.url,
      auth: setup.client.tokenSource(camille),
    })
    await expect(provider.getAthlete()).rejects.toMatchObject({ code: 'token_expired' })
    expect(setup.fake.requestsTo('GET /api/athlete')).toHaveLength(2)
    expect(setup.fake.tokens.refreshCount).toBe(1)
  })

  it('marks revoked consent as needs_reauth and keeps the stored tokens', async () => {
    const onConnectionChange = vi.fn()
    const setup = await setUp({ client: { hooks: { onConnectionChange } } })
    const connection = await connect(setup)
    setup.fake.tokens.revokeGrant(connection.refreshToken as string)
    const provider = createDemoProvider({
      baseUrl: setup.fake.url,
      auth: setup.client.tokenSource(camille),
    })
    await expect(provider.getAthlete()).rejects.toMatchObject({
      code: 'reauth_required',
      details: { provider: 'demo', reason: 'invalid_grant' },
    })
    const stored = await setup.client.getConnection(camille)
    expect(stored).toMatchObject({
      status: 'needs_reauth',
      statusReason: 'invalid_grant',
      accessToken: connection.accessToken,
      refreshToken: connection.refreshToken,
    })
    expect(onConnectionChange).toHaveBeenLastCalledWith({
      key: { ...camille, provider: 'demo' },
      status: 'needs_reauth',
      reason: 'invalid_grant',
    })
    const tokenCalls = setup.fake.requestsTo('POST /oauth/token').length
    await expect(setup.client.getAccessToken(camille)).rejects.toMatchObject({
      code: 'reauth_required',
    })
    expect(setup.fake.requestsTo('POST /oauth/token')).toHaveLength(tokenCalls)
    await connect(setup)
    expect(await setup.client.getConnection(camille)).toMatchObject({ status: 'connected' })
  })

  it('keeps the connection usable when the token endpoint is only down', async () => {
    const setup = await setUp()
    await connect(setup)
    setup.clock.advance(6 * 3600_000)
    setup.fake.script('POST /oauth/token', [{ status: 503 }, { status: 503 }])
    await expect(setup.client.getAccessToken(camille)).rejects.toMatchObject({
      code: 'upstream_unavailable',
    })
    expect(await setup.client.getConnection(camille)).toMatchObject({ status: 'connected' })
    await expect(setup.client.getAccessToken(camille)).resolves.toMatch(/^[0-9a-f]{40}$/)
  })

  it('says not_connected when there is no connection', async () => {
    const setup = await setUp()
    await expect(setup.client.getAccessToken(camille)).rejects.toMatchObject({
      code: 'not_connected',
    })
  })
})

describe('disconnect', () => {
  it('revokes the grant at the provider and forgets the tokens', async () => {
    const setup = await setUp()
    const connection = await connect(setup)
    expect(await setup.client.disconnect(camille)).toEqual({ revoked: true })
    expect(setup.fake.requestsTo('POST /oauth/revoke')[0]?.form?.get('token')).toBe(
      connection.refreshToken,
    )
    expect(setup.fake.tokens.isValid(connection.accessToken)).toBe(false)
    expect(await setup.client.getConnection(camille)).toBeUndefined()
  })

  it('still forgets the tokens when revocation fails, and reports it', async () => {
    const onRevocationError = vi.fn()
    const setup = await setUp({ client: { hooks: { onRevocationError } } })
    await connect(setup)
    setup.fake.script('POST /oauth/revoke', [{ status: 500 }, { status: 500 }])
    expect(await setup.client.disconnect(camille)).toEqual({ revoked: false })
    expect(onRevocationError).toHaveBeenCalledOnce()
    expect(await setup.client.getConnection(camille)).toBeUndefined()
  })
})

describe('a provider with explicit, non-standard endpoints (Strava-shaped)', () => {
  const strava: ProviderDescriptor = {
    name: 'strava',
    displayName: 'Strava',
    capabilities: ['oauth', 'activities'],
    auth: {
      kind: 'oauth2',
      authorizationEndpoint: 'https://www.strava.com/oauth/authorize',
      tokenEndpoint: 'https://www.strava.com/oauth/token',
      revocation: {
        endpoint: 'https://www.strava.com/oauth/deauthorize',
        tokenParam: 'access_token',
        tokenKind: 'access',
      },
      scopeSeparator: ',',
      pkce: 'unsupported',
      clientAuth: 'client_secret_post',
      extraAuthorizeParams: { approval_prompt: 'auto' },
      readTokenResponse: (body) => {
        const athlete = body.athlete as { id?: number } | undefined
        return {
          ...(typeof body.expires_at === 'number'
            ? { expiresAt: new Date(body.expires_at * 1000).toISOString() }
            : {}),
          ...(athlete?.id === undefined ? {} : { providerUserId: String(athlete.id) }),
        }
      },
    },
    defaultScopes: ['read', 'activity:read_all', 'profile:read_all'],
  }

  it('works without PKCE, posts the secret, reads expires_at and the athlete, and keeps callback scopes', async () => {
    const setup = await setUp({
      descriptor: strava,
      oauth: {
        extraTokenFields: ({ grantType, expiresAtSeconds }) => ({
          expires_at: expiresAtSeconds - 60,
          ...(grantType === 'authorization_code' ? { athlete: { id: 48213977 } } : {}),
        }),
      },
    })
    const request = await setup.client.createAuthorizationUrl(camille)
    const url = new URL(request.url)
    expect(url.searchParams.get('scope')).toBe('read,activity:read_all,profile:read_all')
    expect(url.searchParams.get('approval_prompt')).toBe('auto')
    expect(url.searchParams.has('code_challenge')).toBe(false)
    const callback = new URL(await authorize(setup.fake, request.url))
    callback.searchParams.set('scope', 'read,activity:read_all')
    const connection = await setup.client.handleCallback(callback)
    expect(connection).toMatchObject({
      providerUserId: '48213977',
      expiresAt: '2025-03-14T16:59:00.000Z',
      scopes: ['read', 'activity:read_all'],
    })
    const exchange = setup.fake.requestsTo('POST /oauth/token')[0]
    expect(exchange?.form?.get('client_secret')).toBe('demo-secret')
    expect(exchange?.form?.has('code_verifier')).toBe(false)
    await setup.client.disconnect(camille)
    expect(setup.fake.requestsTo('POST /oauth/revoke')[0]?.form?.get('access_token')).toBe(
      connection.accessToken,
    )
  })
})

describe('endpoint safety', () => {
  it('allows plain http only on loopback', async () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('localhost')).toBe(true)
    expect(isLoopbackHost('127.example.com')).toBe(false)
    const base = {
      descriptor: demoDescriptor,
      clientId: 'id',
      clientSecret: 'secret',
      redirectUri: 'https://app.example/callback',
      tokenStore: createMemoryTokenStore(),
    }
    expect(() =>
      createOAuthClient({ ...base, endpoints: { tokenEndpoint: 'http://demo.example/token' } }),
    ).toThrow(expect.objectContaining({ code: 'not_configured' }))
    expect(() => createOAuthClient({ ...base, clientSecret: '' })).toThrow(
      expect.objectContaining({ code: 'not_configured' }),
    )
    expect(() =>
      createOAuthClient({ ...base, descriptor: { ...demoDescriptor, auth: { kind: 'none' } } }),
    ).toThrow(expect.objectContaining({ code: 'not_configured' }))
    expect(createOAuthClient(base).provider).toBe('demo')
  })
})
