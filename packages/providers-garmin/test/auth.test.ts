import { createMemoryDataStore, createOAuthClient, isProviderError } from '@pierre/providers-core'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { describe, expect, it } from 'vitest'
import {
  completeGarminConnection,
  createGarminBundle,
  createGarminProvider,
  garminDescriptor,
} from '../src/index.js'
import { camille, setUp } from './support.js'

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return isProviderError(error) ? error.code : `not a ProviderError: ${String(error)}`
}

describe('OAuth 2.0 with PKCE and the connection', () => {
  it('connects: PKCE authorize URL without scope, code exchange, then user id, permissions and backfill', async () => {
    const { fake } = await setUp()
    const tokenStore = createMemoryTokenStore()
    const store = createMemoryDataStore()
    const oauth = createOAuthClient({
      descriptor: garminDescriptor,
      endpoints: fake.oauthEndpoints,
      clientId: fake.clientId,
      clientSecret: 'demo-secret',
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore,
    })
    const { url } = await oauth.createAuthorizationUrl(camille)
    const authorize = new URL(url)
    expect(authorize.pathname).toBe('/connect/oauth2Confirm')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(authorize.searchParams.has('scope')).toBe(false)
    const redirect = await fetch(url, { redirect: 'manual' })
    const connection = await oauth.handleCallback(redirect.headers.get('location') as string)
    const exchange = fake.requestsTo('POST /diauth/di-oauth2-service/oauth/token')[0]
    expect(exchange?.form?.get('code_verifier')).toMatch(/^[\w-]{43}$/)
    expect(exchange?.form?.get('client_secret')).toBe('demo-secret')
    expect(connection.scopes).toEqual([
      'PARTNER_WRITE',
      'PARTNER_READ',
      'CONNECT_READ',
      'CONNECT_WRITE',
    ])
    expect(connection.providerUserId).toBeUndefined()

    const provider = createGarminProvider({
      ...camille,
      store,
      tokenSource: oauth.tokenSource(camille),
      baseUrl: fake.apiBaseUrl,
      backfillSpacingMs: 0,
    })
    const now = () => new Date('2025-03-15T12:00:00Z')
    const result = await completeGarminConnection({ provider, tokenStore, user: camille, now })
    expect(result.providerUserId).toBe(fake.userId)
    expect(result.permissions).toEqual([
      'ACTIVITY_EXPORT',
      'HEALTH_EXPORT',
      'HISTORICAL_DATA_EXPORT',
    ])
    expect(result.connection).toMatchObject({ providerUserId: fake.userId, status: 'connected' })
    expect((await tokenStore.get({ ...camille, provider: 'garmin' }))?.providerUserId).toBe(
      fake.userId,
    )
    // Six summary types, 30 days back in one window each.
    expect(result.backfill?.map((entry) => entry.summaryType)).toEqual([
      'activities',
      'activityDetails',
      'sleeps',
      'dailies',
      'hrv',
      'userMetrics',
    ])
    expect(result.backfill?.every((entry) => entry.outcome === 'accepted')).toBe(true)
    const [first] = fake.requestsTo('GET /wellness-api/rest/backfill/activities')
    expect(first?.query.get('summaryEndTimeInSeconds')).toBe(
      String(Date.parse('2025-03-15T12:00:00Z') / 1000),
    )
    expect(
      Number(first?.query.get('summaryEndTimeInSeconds')) -
        Number(first?.query.get('summaryStartTimeInSeconds')),
    ).toBe(30 * 86_400)
  })

  it('marks a connection without HEALTH_EXPORT insufficient_scope and skips the backfill without history', async () => {
    const { fake, provider, tokenStore } = await setUp({
      fake: { permissions: ['ACTIVITY_EXPORT'] },
    })
    const result = await completeGarminConnection({ provider, tokenStore, user: camille })
    expect(result.connection).toMatchObject({
      status: 'insufficient_scope',
      statusReason: 'missing_permissions:HEALTH_EXPORT',
    })
    expect(result.backfill).toBeUndefined()
    expect(fake.requestsTo('/wellness-api/rest/backfill/activities')).toHaveLength(0)
  })

  it('refreshes once on a 401 shared by 20 concurrent callers, then all succeed', async () => {
    const { fake, provider, connection, tokenStore } = await setUp({ fake: { tokenDelayMs: 50 } })
    fake.upstream.tokens.expire(connection.accessToken)
    const results = await Promise.all(Array.from({ length: 20 }, () => provider.fetchPermissions()))
    expect(results.every((permissions) => permissions.includes('HEALTH_EXPORT'))).toBe(true)
    expect(fake.refreshCount).toBe(1)
    expect(fake.requestsTo('POST /diauth/di-oauth2-service/oauth/token')).toHaveLength(1)
    const stored = await tokenStore.get({ ...camille, provider: 'garmin' })
    expect(stored?.accessToken).not.toBe(connection.accessToken)
    // Garmin rotates refresh tokens: the new one is stored before use.
    expect(stored?.refreshToken).not.toBe(connection.refreshToken)
    expect(stored?.status).toBe('connected')
  })

  it('refreshes once for 20 concurrent ping fetches with an expired token', async () => {
    const setup = await setUp({ fake: { tokenDelayMs: 50 } })
    setup.fake.upstream.tokens.expire(setup.connection.accessToken)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => setup.fake.ping(setup.receiver, 'sleeps')),
    )
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    await setup.receiver.drain()
    expect(setup.fake.refreshCount).toBe(1)
    expect(await setup.store.query('sleep', { provider: 'garmin', ...camille })).toHaveLength(7)
    expect(setup.fake.requestsTo('GET /wellness-api/rest/sleeps').length).toBeGreaterThanOrEqual(20)
  })

  it('turns a refused refresh into reauth_required and needs_reauth', async () => {
    const { fake, provider, connection, oauth } = await setUp()
    fake.upstream.tokens.revokeGrant(connection.refreshToken as string)
    expect(await codeOf(provider.fetchUserId())).toBe('reauth_required')
    expect((await oauth.getConnection(camille))?.status).toBe('needs_reauth')
  })

  it('deletes the registration: 204, then Garmin’s deregistration notification marks needs_reauth', async () => {
    const setup = await setUp()
    setup.fake.setReceiver(setup.receiver)
    await setup.provider.deleteRegistration()
    expect(setup.fake.requestsTo('DELETE /wellness-api/rest/user/registration')).toHaveLength(1)
    await setup.fake.settled()
    await setup.receiver.drain()
    expect(await setup.oauth.getConnection(camille)).toMatchObject({
      status: 'needs_reauth',
      statusReason: 'deregistered',
    })
  })

  it('refuses API calls without a token source and bundles providers per user', async () => {
    const store = createMemoryDataStore()
    const bundle = createGarminBundle({ store })
    expect(bundle.descriptor.name).toBe('garmin')
    const provider = bundle.create({ tenantId: 't', userId: 'u' }) as ReturnType<
      typeof createGarminProvider
    >
    expect(await codeOf(provider.fetchUserId())).toBe('not_connected')
    expect(await provider.getActivities()).toEqual([])
    expect(() =>
      createOAuthClient({
        descriptor: garminDescriptor,
        clientId: 'id',
        clientSecret: 'secret',
        redirectUri: 'http://127.0.0.1/callback',
        tokenStore: createMemoryTokenStore(),
      }),
    ).not.toThrow()
  })
})
