import { describe, expect, it, onTestFinished } from 'vitest'
import { startFakeStrava } from '../src/testing/index.js'

async function started(options: Parameters<typeof startFakeStrava>[0] = {}) {
  const fake = await startFakeStrava(options)
  onTestFinished(() => fake.close())
  const { accessToken } = fake.issueTokens()
  const get = (path: string, token = accessToken) =>
    fetch(`${fake.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { fake, accessToken, get }
}

describe('the fake Strava', () => {
  it('answers an expired or unknown token with Strava’s 401 body', async () => {
    const { fake, accessToken, get } = await started()
    fake.upstream.tokens.expire(accessToken)
    const response = await get('/athlete')
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({
      message: 'Authorization Error',
      errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }],
    })
    expect((await get('/athlete', 'f'.repeat(40))).status).toBe(401)
  })

  it('sends the four rate-limit headers and a 429 once the 15-minute window is used up', async () => {
    const now = () => new Date('2025-03-14T11:02:13Z')
    const { fake, get } = await started({ now })
    const first = await get('/athlete')
    expect(first.headers.get('x-ratelimit-limit')).toBe('200,2000')
    expect(first.headers.get('x-ratelimit-usage')).toBe('1,1')
    expect(first.headers.get('x-readratelimit-limit')).toBe('100,1000')
    fake.setUsage(100, 400)
    const limited = await get('/athlete')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBeNull()
    expect(limited.headers.get('x-readratelimit-usage')).toBe('101,401')
    expect(await limited.json()).toMatchObject({ message: 'Rate Limit Exceeded' })
    expect(fake.usage()).toEqual([101, 401])
  })

  it('serves streams in both forms and only the requested keys', async () => {
    const { get } = await started()
    const keyed = (await (
      await get('/activities/13876543210/streams?keys=heartrate,watts&key_by_type=true')
    ).json()) as Record<string, { data: unknown[] }>
    expect(Object.keys(keyed).sort()).toEqual(['heartrate', 'time'])
    const listed = (await (
      await get('/activities/13876543210/streams?keys=heartrate&key_by_type=false')
    ).json()) as { type: string }[]
    expect(listed.map((stream) => stream.type).sort()).toEqual(['heartrate', 'time'])
  })

  it('restricts stats to the token’s athlete and zones to profile:read_all', async () => {
    const { fake, get } = await started()
    expect((await get('/athletes/48213977/stats')).status).toBe(200)
    expect((await get('/athletes/1/stats')).status).toBe(403)
    const limited = fake.issueTokens({ scopes: ['read', 'activity:read'] }).accessToken
    expect((await get('/athlete/zones', limited)).status).toBe(401)
    expect((await get('/athlete/activities', limited)).status).toBe(200)
  })

  it('issues 40-hex tokens with expires_at and keeps the refresh token on refresh', async () => {
    const { fake } = await started()
    const { refreshToken } = fake.issueTokens()
    const response = await fetch(`${fake.oauthBaseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    })
    const body = (await response.json()) as Record<string, unknown>
    expect(body.access_token).toMatch(/^[0-9a-f]{40}$/)
    expect(body.refresh_token).toBe(refreshToken)
    expect(typeof body.expires_at).toBe('number')
    fake.upstream.tokens.revokeGrant(refreshToken)
    const refused = await fetch(`${fake.oauthBaseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ errors: [{ resource: 'RefreshToken' }] })
  })
})
