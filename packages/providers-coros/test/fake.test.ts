import { describe, expect, it, onTestFinished } from 'vitest'
import { startFakeCoros } from '../src/testing/index.js'
import { client, fixture, fixtureNow, steppingClock } from './support.js'

async function started(options: Parameters<typeof startFakeCoros>[0] = {}) {
  const fake = await startFakeCoros({ now: fixtureNow, ...client, ...options })
  onTestFinished(() => fake.close())
  const tokens = fake.issueTokens()
  const get = async (path: string, query: Record<string, string> = {}) => {
    const search = new URLSearchParams({ token: tokens.accessToken, openId: fake.openId, ...query })
    const response = await fetch(`${fake.url}${path}?${search}`)
    return { status: response.status, headers: response.headers, body: await response.text() }
  }
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }))
  return { fake, tokens, get, post }
}

interface ManifestEntry {
  readonly file: string
  readonly method: string
  readonly path: string
  readonly status: number
  readonly query?: Readonly<Record<string, string>>
}

const manifest = fixture('manifest.json') as { entries: ManifestEntry[] }
const dataEntries = manifest.entries.filter(
  (entry) => entry.method === 'GET' && entry.query !== undefined,
)

describe('the fake COROS', () => {
  it('has the manifest entries to replay', () => {
    expect(dataEntries.map((entry) => entry.file)).toEqual([
      'user_info.json',
      'sport_data.json',
      'daily_data.json',
    ])
  })

  it.for(dataEntries)('answers $method $path like $file', async (entry) => {
    const { get } = await started()
    const query = Object.fromEntries(
      Object.entries(entry.query ?? {}).filter(([, value]) => !value.startsWith('<')),
    )
    const answer = await get(entry.path, query)
    expect(answer.status).toBe(entry.status)
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
    expect(JSON.parse(answer.body)).toEqual(fixture(entry.file))
  })

  it('answers a bad, expired or revoked token with the in-band error of the fixture', async () => {
    const { fake, tokens, get } = await started()
    const invalid = fixture('error_invalid_token.json')
    const unknown = await get('/coros/open/user/info', { token: 'nope' })
    expect(unknown.status).toBe(200)
    expect(JSON.parse(unknown.body)).toEqual(invalid)
    fake.expireToken(tokens.accessToken)
    expect(JSON.parse((await get('/coros/open/user/info')).body)).toEqual(invalid)
    const other = fake.issueTokens()
    fake.revokeGrant(other.refreshToken)
    expect(fake.isTokenValid(other.accessToken)).toBe(false)
  })

  it('wants the openId of the token and yyyyMMdd dates over at most 30 days', async () => {
    const { get } = await started()
    const refused = async (query: Record<string, string>) =>
      JSON.parse((await get('/coros/open/sport/data', query)).body).result
    expect(
      await refused({ openId: 'someone-else', startDate: '20250310', endDate: '20250314' }),
    ).not.toBe('0000')
    expect(await refused({ startDate: '2025-03-10', endDate: '20250314' })).not.toBe('0000')
    expect(await refused({ startDate: '20250314', endDate: '20250310' })).not.toBe('0000')
    expect(await refused({ startDate: '20250212', endDate: '20250314' })).not.toBe('0000')
    expect(await refused({ startDate: '20250213', endDate: '20250314' })).toBe('0000')
  })

  it('keeps only the last 3 months', async () => {
    const { get } = await started({ activityCount: 40 })
    const old = JSON.parse(
      (await get('/coros/open/sport/data', { startDate: '20241120', endDate: '20241219' })).body,
    )
    const dates = (old.data as { startTime: number }[]).map((workout) =>
      new Date(workout.startTime * 1000).toISOString().slice(0, 10),
    )
    expect(dates.length).toBeGreaterThan(0)
    for (const date of dates) expect(date >= '2024-12-14').toBe(true)
  })

  it('answers a 429 with Retry-After past the per-minute limit', async () => {
    const clock = steppingClock('2025-03-14T21:30:40Z')
    const { get } = await started({ now: clock.now, requestsPerMinute: 1 })
    expect((await get('/coros/open/user/info')).status).toBe(200)
    const limited = await get('/coros/open/user/info')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('20')
    clock.advance(20_000)
    expect((await get('/coros/open/user/info')).status).toBe(200)
  })

  it('runs the OAuth endpoints in COROS’s forms', async () => {
    const { fake, tokens, post } = await started()
    const authorize = await fetch(
      `${fake.url}/oauth2/authorize?client_id=coros-client&redirect_uri=${encodeURIComponent(
        'http://127.0.0.1/cb',
      )}&response_type=code&state=s1`,
      { redirect: 'manual' },
    )
    expect(authorize.status).toBe(302)
    const code = new URL(authorize.headers.get('location') as string).searchParams.get('code')
    const exchange = {
      ...{ client_id: 'coros-client', client_secret: 'coros-secret' },
      code: code as string,
      redirect_uri: 'http://127.0.0.1/cb',
      grant_type: 'authorization_code',
    }
    const issued = await post('/oauth2/accesstoken', exchange)
    expect(Object.keys(issued.body).sort()).toEqual(
      Object.keys(fixture('oauth_accesstoken.json') as object).sort(),
    )
    expect(issued.body.openId).toBe(fake.openId)
    // a code works once
    expect((await post('/oauth2/accesstoken', exchange)).body.result).not.toBe('0000')
    const refresh = {
      client_id: 'coros-client',
      client_secret: 'coros-secret',
      refresh_token: tokens.refreshToken,
      grant_type: 'refresh_token',
    }
    expect(await post('/oauth2/refresh', refresh)).toEqual({
      status: 200,
      body: fixture('oauth_refresh.json'),
    })
    expect(fake.refreshCount).toBe(1)
    const wrongSecret = await post('/oauth2/refresh', { ...refresh, client_secret: 'x' })
    expect(wrongSecret.body.result).not.toBe('0000')
    const unbound = await fetch(`${fake.url}/coros/open/unbind`, {
      method: 'POST',
      headers: { token: tokens.accessToken },
    })
    expect(await unbound.json()).toEqual({ result: '0000', message: 'OK' })
    expect(fake.isTokenValid(tokens.accessToken)).toBe(false)
    expect((await post('/oauth2/refresh', refresh)).body.result).not.toBe('0000')
  })

  it('fails on demand with plain-text 5xx', async () => {
    const { fake, get } = await started()
    fake.failNext('GET /coros/open/user/info', 1)
    const failed = await get('/coros/open/user/info')
    expect(failed.status).toBe(503)
    expect(failed.body).toBe('Service Unavailable')
    expect((await get('/coros/open/user/info')).status).toBe(200)
  })
})
