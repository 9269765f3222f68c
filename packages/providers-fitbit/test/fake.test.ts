import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it, onTestFinished } from 'vitest'
import { googleHealthScopes } from '../src/index.js'
import { startFakeGoogleHealth } from '../src/testing/index.js'
import { fixture } from './support.js'

async function started(options: Parameters<typeof startFakeGoogleHealth>[0] = {}) {
  const fake = await startFakeGoogleHealth(options)
  onTestFinished(() => fake.close())
  const { accessToken, refreshToken } = fake.issueTokens()
  const get = (path: string, token = accessToken) =>
    fetch(`${fake.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
  const token = (form: Record<string, string>) =>
    fetch(`${fake.oauthBaseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    })
  return { fake, accessToken, refreshToken, get, token }
}

describe('the fake Google Health API', () => {
  it('answers an expired or unknown token with Google’s 401 body and challenge', async () => {
    const { fake, accessToken, get } = await started()
    fake.upstream.tokens.expire(accessToken)
    const response = await get('/users/me/identity')
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"')
    expect(await response.json()).toEqual(fixture('error_401_unauthenticated.json'))
    expect((await get('/users/me/identity', 'ya29.unknown')).status).toBe(401)
  })

  it('enforces the scope of each data type with a 403 PERMISSION_DENIED naming the scope', async () => {
    const { fake, get } = await started()
    const limited = fake.issueTokens({ scopes: [googleHealthScopes.sleep] }).accessToken
    const refused = await get('/users/me/dataTypes/heart-rate/dataPoints', limited)
    expect(refused.status).toBe(403)
    expect(refused.headers.get('www-authenticate')).toContain(
      `scope="${googleHealthScopes.healthMetrics}"`,
    )
    expect(await refused.json()).toMatchObject({ error: { status: 'PERMISSION_DENIED' } })
    expect((await get('/users/me/dataTypes/sleep/dataPoints', limited)).status).toBe(200)
    expect((await get('/users/me/profile', limited)).status).toBe(403)
    expect(await (await get('/users/me/profile')).json()).toEqual(fixture('profile.json'))
  })

  it('refuses filters outside the documented members with 400 INVALID_ARGUMENT', async () => {
    const { get } = await started()
    const list = (type: string, filter: string) =>
      get(`/users/me/dataTypes/${type}/dataPoints?filter=${encodeURIComponent(filter)}`)
    expect(
      (await list('exercise', 'exercise.interval.start_time >= "2025-03-01T00:00:00Z"')).status,
    ).toBe(400)
    expect((await list('sleep', 'sleep.interval.civil_start_time >= "2025-03-01"')).status).toBe(
      400,
    )
    expect(
      (await list('heart-rate', 'heart-rate.sample_time.physical_time >= "2025-03-14T00:00:00Z"'))
        .status,
    ).toBe(400)
    const mixed = await list(
      'sleep',
      'sleep.interval.end_time >= "2025-03-13T00:00:00Z" AND sleep.interval.civil_end_time < "2025-03-15"',
    )
    expect(mixed.status).toBe(400)
    expect(await mixed.json()).toEqual(fixture('error_400_invalid_filter.json'))
    const daily = await list(
      'daily-heart-rate-variability',
      'daily_heart_rate_variability.date >= "2025-03-13"',
    )
    expect(((await daily.json()) as { dataPoints: unknown[] }).dataPoints).toHaveLength(2)
    const unknown = await get('/users/me/dataTypes/steps-per-hour/dataPoints')
    expect(await unknown.json()).toMatchObject({
      error: { details: [{ reason: 'INVALID_PARENT_DATA_TYPE_COLLECTION' }] },
    })
  })

  it('sends 429 RESOURCE_EXHAUSTED with Retry-After once the user’s minute is used up', async () => {
    const now = () => new Date('2025-03-14T11:02:13Z')
    const { fake, get } = await started({ now, requestsPerMinute: 2 })
    expect((await get('/users/me/identity')).status).toBe(200)
    expect((await get('/users/me/identity')).status).toBe(200)
    const limited = await get('/users/me/identity')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('47')
    expect(await limited.json()).toEqual(fixture('error_429_resource_exhausted.json'))
    expect(fake.usage()).toBe(3)
  })

  it('issues Google-shaped tokens; a refresh brings no refresh token; reuse after revocation is invalid_grant', async () => {
    const { fake, refreshToken, token } = await started()
    const refreshed = (await (
      await token({ grant_type: 'refresh_token', refresh_token: refreshToken })
    ).json()) as Record<string, unknown>
    expect(Object.keys(refreshed).sort()).toEqual(
      Object.keys(fixture('oauth_token_refresh.json')).sort(),
    )
    expect(refreshed.expires_in).toBe(3599)
    fake.upstream.tokens.revokeGrant(refreshToken)
    const refused = await token({ grant_type: 'refresh_token', refresh_token: refreshToken })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual(fixture('error_400_invalid_grant.json'))
  })

  it('answers every legacy Fitbit Web API path with 410 Gone', async () => {
    const { fake, accessToken } = await started()
    for (const path of [
      '/1/user/-/profile.json',
      '/1.2/user/-/sleep/list.json',
      '/1/user/-/hrv/date/2025-03-08/2025-03-14.json',
    ]) {
      const response = await fetch(`${fake.url}${path}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
      expect(response.status).toBe(410)
      expect(await response.json()).toEqual(fixture('error_410_legacy_gone.json'))
    }
    expect((await fetch(`${fake.url}/oauth2/token`, { method: 'POST' })).status).toBe(410)
  })
})

describe('the fixtures', () => {
  it('are each described in the fixtures README, and every list fixture is a list response', () => {
    const dir = new URL('fixtures/', import.meta.url)
    const readme = readFileSync(new URL('README.md', dir), 'utf8')
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'))
    expect(files.length).toBeGreaterThan(20)
    for (const name of files) expect(readme, name).toContain(`\`${name}\``)
    for (const name of files.filter((file) => file.endsWith('_list.json'))) {
      expect(Object.keys(fixture(name)).sort(), name).toEqual(['dataPoints', 'nextPageToken'])
    }
  })
})
