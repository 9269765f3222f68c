import { createOAuthClient, isProviderError } from '@pierre/providers-core'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { describe, expect, it } from 'vitest'
import {
  createFitbitBundle,
  fitbitDefaultScopes,
  fitbitDescriptor,
  fitbitOAuthEndpoints,
  googleHealthScopes,
} from '../src/index.js'
import { camille, setUp } from './support.js'

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return isProviderError(error) ? error.code : `not a ProviderError: ${String(error)}`
}

describe('Google OAuth and the access token', () => {
  it('sends the bearer header and never puts the token in the URL', async () => {
    const { fake, provider, connection } = await setUp()
    await provider.getAthlete()
    const [request] = fake.requestsTo('GET /v4/users/me/identity')
    expect(request?.headers.authorization).toBe(`Bearer ${connection.accessToken}`)
    expect(request?.query.has('access_token')).toBe(false)
  })

  it('refreshes once for 20 concurrent callers after a 401, then all succeed', async () => {
    const { fake, provider, connection, store } = await setUp({ fake: { tokenDelayMs: 50 } })
    fake.upstream.tokens.expire(connection.accessToken)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => provider.getActivities({ limit: 2 })),
    )
    expect(results.every((rows) => rows.length === 2)).toBe(true)
    expect(fake.refreshCount).toBe(1)
    expect(fake.requestsTo('POST /token')).toHaveLength(1)
    const refresh = fake.requestsTo('POST /token')[0]
    expect(refresh?.form?.get('grant_type')).toBe('refresh_token')
    expect(refresh?.form?.get('client_secret')).toBe('demo-secret')
    expect(refresh?.form?.has('code_verifier')).toBe(false)
    const stored = await store.get({ ...camille, provider: 'fitbit' })
    expect(stored?.accessToken).not.toBe(connection.accessToken)
    // Google's refresh answer has no refresh_token: the stored one is kept.
    expect(stored?.refreshToken).toBe(connection.refreshToken)
    expect(stored?.status).toBe('connected')
  })

  it('turns a revoked grant (invalid_grant) into reauth_required and keeps the tokens', async () => {
    const { fake, provider, connection, oauth } = await setUp()
    fake.upstream.tokens.revokeGrant(connection.refreshToken as string)
    expect(await codeOf(provider.getAthlete())).toBe('reauth_required')
    const stored = await oauth.getConnection(camille)
    expect(stored?.status).toBe('needs_reauth')
    expect(stored?.statusReason).toContain('invalid_grant')
    expect(stored?.accessToken).toBe(connection.accessToken)
    expect(stored?.refreshToken).toBe(connection.refreshToken)
    expect(await codeOf(provider.getActivities())).toBe('reauth_required')
    expect(fake.requestsTo('POST /token')).toHaveLength(1)
  })

  it('reports a token refused again after a refresh as token_expired', async () => {
    const { fake, provider } = await setUp()
    const unauthorized = { status: 401, fixture: 'error_401_unauthenticated.json' }
    fake.script('GET /v4/users/me/identity', [unauthorized, unauthorized])
    expect(await codeOf(provider.getAthlete())).toBe('token_expired')
    expect(fake.refreshCount).toBe(1)
  })

  it('maps a 403 for a scope not granted to insufficient_scope, naming the scope', async () => {
    const { fake, provider } = await setUp({ scopes: [googleHealthScopes.settings] })
    const error = await provider.getActivities().catch((reason: unknown) => reason)
    expect(error).toMatchObject({
      code: 'insufficient_scope',
      status: 403,
      details: {
        google_status: 'PERMISSION_DENIED',
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        missing: [googleHealthScopes.activityAndFitness],
      },
    })
    expect(fake.requestsTo('POST /token')).toHaveLength(0)
    // Optional parts (weight, height, resting heart rate) are left out, not failed.
    const athlete = await provider.getAthlete()
    expect(athlete).toMatchObject({ id: fake.healthUserId, time_zone: 'America/Toronto' })
    expect(athlete.weight_kg).toBeUndefined()
  })

  it('connects with PKCE, offline access and consent, exchanges the code and revokes', async () => {
    const { fake } = await setUp()
    const store = createMemoryTokenStore()
    const oauth = createOAuthClient({
      descriptor: fitbitDescriptor,
      endpoints: fitbitOAuthEndpoints(fake.oauthBaseUrl),
      clientId: 'pierre-test.apps.googleusercontent.com',
      clientSecret: 'demo-secret',
      redirectUri: 'http://127.0.0.1/callback',
      tokenStore: store,
    })
    const { url } = await oauth.createAuthorizationUrl(camille)
    const authorize = new URL(url)
    expect(authorize.pathname).toBe('/o/oauth2/v2/auth')
    expect(authorize.searchParams.get('scope')).toBe(fitbitDefaultScopes.join(' '))
    expect(authorize.searchParams.get('access_type')).toBe('offline')
    expect(authorize.searchParams.get('prompt')).toBe('consent')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    const redirect = await fetch(url, { redirect: 'manual' })
    const connection = await oauth.handleCallback(redirect.headers.get('location') as string)
    expect(connection.scopes).toEqual([...fitbitDefaultScopes])
    expect(connection.refreshToken).toBeDefined()
    const exchange = fake.requestsTo('POST /token')[0]
    expect(exchange?.form?.get('grant_type')).toBe('authorization_code')
    expect(exchange?.form?.get('code_verifier')?.length).toBeGreaterThanOrEqual(43)
    expect(Date.parse(connection.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(3_600_000)
    expect(await oauth.disconnect(camille)).toEqual({ revoked: true })
    const revoke = fake.requestsTo('POST /revoke')[0]
    expect(revoke?.form?.get('token')).toBe(connection.refreshToken)
    expect(fake.upstream.tokens.isValid(connection.accessToken)).toBe(false)
  })

  it('refuses a bundle context without auth', () => {
    expect(() => createFitbitBundle().create({ tenantId: 't', userId: 'u' })).toThrow(
      expect.objectContaining({ code: 'not_connected' }),
    )
  })
})
