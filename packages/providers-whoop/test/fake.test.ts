import { describe, expect, it, onTestFinished } from 'vitest'
import { startFakeWhoop } from '../src/testing/index.js'
import { fixture, fixtureNow } from './support.js'

async function started(options: Parameters<typeof startFakeWhoop>[0] = {}) {
  const fake = await startFakeWhoop({ now: fixtureNow, ...options })
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

interface ManifestEntry {
  readonly file: string | null
  readonly method: string
  readonly path: string
  readonly status: number
  readonly query?: Readonly<Record<string, string>>
}

const manifest = fixture('manifest.json') as { entries: ManifestEntry[] }
const dataEntries = manifest.entries.filter(
  (entry) =>
    entry.method === 'GET' &&
    entry.status === 200 &&
    entry.file !== null &&
    entry.path.startsWith('/developer/v2/'),
)
const sampleIds: Readonly<Record<string, string>> = {
  '{sleepId}': 'b4b36354-2e36-401a-938d-20b8a8c58424',
  '{workoutId}': '287513a9-8519-4036-99c9-a08094ede83a',
}

describe('the fake WHOOP', () => {
  it('has the manifest entries to replay', () => {
    expect(dataEntries.map((entry) => entry.file)).toHaveLength(11)
  })

  it.for(dataEntries)(
    'answers $method $path like $file, with the rate-limit headers',
    async (entry) => {
      const { fake, accessToken } = await started()
      const path = entry.path.replace(/\{\w+\}/g, (name) => sampleIds[name] ?? name)
      const query = new URLSearchParams(entry.query ?? {}).toString()
      const response = await fetch(`${fake.url}${path}${query === '' ? '' : `?${query}`}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual(fixture(entry.file as string))
      expect(response.headers.get('x-ratelimit-limit')).toBe(
        '100, 100;window=60, 10000;window=86400',
      )
      expect(response.headers.get('x-ratelimit-remaining')).toBe('99')
      expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0)
    },
  )

  it('serves v2 only: v1 paths are 404', async () => {
    const { get } = await started()
    expect((await get('/v1/cycle')).status).toBe(404)
    expect((await get('/v1/activity/workout')).status).toBe(404)
    expect((await get('/v2/cycle')).status).toBe(200)
  })

  it('checks limit, start, end and nextToken like WHOOP', async () => {
    const { get } = await started()
    expect((await get('/v2/cycle?limit=26')).status).toBe(400)
    expect((await get('/v2/cycle?limit=0')).status).toBe(400)
    expect((await get('/v2/cycle?limit=2.5')).status).toBe(400)
    expect((await get('/v2/cycle?start=yesterday')).status).toBe(400)
    expect((await get('/v2/cycle?nextToken=bm90LWEtdG9rZW4=')).status).toBe(400)
    const page = (await (await get('/v2/cycle')).json()) as { records: unknown[] }
    expect(page.records).toHaveLength(10)
  })

  it('pages the whole history newest first through next_token', async () => {
    const { fake, get } = await started({ cycleCount: 30 })
    const seen: string[] = []
    let next: string | undefined
    let pages = 0
    do {
      const query = new URLSearchParams({
        limit: '7',
        ...(next === undefined ? {} : { nextToken: next }),
      })
      const body = (await (await get(`/v2/cycle?${query}`)).json()) as {
        records: { id: number; start: string }[]
        next_token?: string
      }
      seen.push(...body.records.map((record) => record.start))
      next = body.next_token
      pages += 1
    } while (next !== undefined)
    expect(pages).toBe(5)
    expect(seen).toEqual(fake.cycles.map((cycle) => cycle.start))
    expect(seen).toEqual([...seen].sort().reverse())
  })

  it('filters on the record start: start inclusive, end exclusive', async () => {
    const { get } = await started()
    const exact = '2025-03-13T03:18:30.407Z'
    const from = (await (await get(`/v2/cycle?start=${exact}`)).json()) as {
      records: { id: number }[]
    }
    expect(from.records.map((record) => record.id)).toEqual([928374665, 928374644])
    const until = (await (await get(`/v2/cycle?end=${exact}&limit=2`)).json()) as {
      records: { id: number }[]
    }
    expect(until.records.map((record) => record.id)).toEqual([928374621, 928374565])
    const none = (await (await get(`/v2/cycle?start=${exact}&end=${exact}`)).json()) as {
      records: unknown[]
      next_token?: string
    }
    expect(none).toEqual({ records: [] })
  })

  it('keeps the generated history consistent: chained cycles, scored sleeps, matching recoveries', async () => {
    const { fake } = await started({ cycleCount: 12, workoutCount: 10 })
    expect(fake.cycles).toHaveLength(12)
    expect(fake.cycles[0]?.end).toBeUndefined()
    for (let index = 1; index < fake.cycles.length; index += 1) {
      expect(fake.cycles[index]?.end).toBe(fake.cycles[index - 1]?.start)
    }
    const cycleIds = new Set(fake.cycles.map((cycle) => cycle.id))
    expect(cycleIds.size).toBe(12)
    for (const sleep of fake.sleeps) expect(cycleIds.has(sleep.cycle_id)).toBe(true)
    for (const recovery of fake.recoveries) expect(cycleIds.has(recovery.cycle_id)).toBe(true)
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    for (const record of [...fake.sleeps, ...fake.workouts]) expect(record.id).toMatch(uuid)
    expect(new Set(fake.workouts.map((workout) => workout.id)).size).toBe(10)
    expect(fake.recoveries).toHaveLength(12)
    // the nights of scored recoveries exist; UNSCORABLE ones point at a night without data
    const sleepIds = new Set(fake.sleeps.map((sleep) => sleep.id))
    for (const recovery of fake.recoveries) {
      expect(sleepIds.has(recovery.sleep_id)).toBe(recovery.score_state === 'SCORED')
    }
  })

  it('answers one record by id and 404 for an unknown one', async () => {
    const { get } = await started()
    expect((await get('/v2/activity/workout/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    )
    expect((await get('/v2/cycle/1')).status).toBe(404)
    expect((await get('/v2/cycle/928374621/sleep')).status).toBe(404)
    const recovery = (await (await get('/v2/cycle/928374644/recovery')).json()) as {
      sleep_id: string
    }
    expect(recovery.sleep_id).toBe('e5c2c391-1f2b-4cc6-9c42-b8154feb2f07')
  })

  it('answers an expired or unknown token with a bodiless 401', async () => {
    const { fake, accessToken, get } = await started()
    fake.upstream.tokens.expire(accessToken)
    const expired = await get('/v2/cycle')
    expect(expired.status).toBe(401)
    expect(await expired.text()).toBe('')
    expect((await get('/v2/cycle', 'unknown-token')).status).toBe(401)
  })

  it('counts requests app-wide and answers 429 once the minute is used up', async () => {
    const { fake, get } = await started({ rateLimit: [3, 10_000] })
    const other = fake.issueTokens().accessToken
    expect((await get('/v2/user/profile/basic')).headers.get('x-ratelimit-remaining')).toBe('2')
    expect((await get('/v2/user/profile/basic', other)).headers.get('x-ratelimit-remaining')).toBe(
      '1',
    )
    await get('/v2/cycle')
    const limited = await get('/v2/cycle', other)
    expect(limited.status).toBe(429)
    expect(await limited.text()).toBe('')
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3, 3;window=60, 10000;window=86400')
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    // fixtureNow is 21:30:00: the minute window resets in 60 s
    expect(limited.headers.get('x-ratelimit-reset')).toBe('60')
    expect(fake.usage()).toEqual([4, 4])
    fake.setUsage(0, 10_000)
    const daily = await get('/v2/cycle')
    expect(daily.status).toBe(429)
    // 21:30:00 UTC: the day window resets at midnight UTC, in 2 h 30 min
    expect(daily.headers.get('x-ratelimit-limit')).toBe('10000, 3;window=60, 10000;window=86400')
    expect(daily.headers.get('x-ratelimit-reset')).toBe('9000')
  })

  it('refuses a state under 8 characters with error=invalid_state on the redirect', async () => {
    const { fake } = await started()
    const authorize = (state: string) =>
      fetch(
        `${fake.oauthBaseUrl}/auth?${new URLSearchParams({
          response_type: 'code',
          client_id: 'whoop-client',
          redirect_uri: 'http://127.0.0.1/callback',
          scope: 'offline read:cycles',
          state,
        })}`,
        { redirect: 'manual' },
      )
    const refused = new URL((await authorize('short')).headers.get('location') as string)
    expect(refused.searchParams.get('error')).toBe('invalid_state')
    expect(refused.searchParams.get('code')).toBeNull()
    const accepted = new URL((await authorize('long-enough')).headers.get('location') as string)
    expect(accepted.searchParams.get('code')).toMatch(/^[0-9a-f]{40}$/)
    expect(accepted.searchParams.get('state')).toBe('long-enough')
  })

  it('answers the token grants in WHOOP’s shape, with a refresh token only with offline', async () => {
    const { fake, token } = await started()
    const codeFor = async (scope: string) => {
      const answer = await fetch(
        `${fake.oauthBaseUrl}/auth?${new URLSearchParams({
          response_type: 'code',
          client_id: 'whoop-client',
          redirect_uri: 'http://127.0.0.1/callback',
          scope,
          state: 'state-12345',
        })}`,
        { redirect: 'manual' },
      )
      return new URL(answer.headers.get('location') as string).searchParams.get('code') as string
    }
    const exchange = (code: string) =>
      token({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1/callback' })
    const granted = (await (await exchange(await codeFor('offline read:cycles'))).json()) as Record<
      string,
      unknown
    >
    const recorded = fixture('oauth_token_authorization_code.json') as Record<string, unknown>
    expect(Object.keys(granted).sort()).toEqual(Object.keys(recorded).sort())
    for (const key of Object.keys(recorded)) expect(typeof granted[key]).toBe(typeof recorded[key])
    expect(granted.token_type).toBe('bearer')
    expect(granted.expires_in).toBe(3600)
    const online = (await (await exchange(await codeFor('read:cycles'))).json()) as Record<
      string,
      unknown
    >
    expect(online.access_token).toBeDefined()
    expect(online.refresh_token).toBeUndefined()

    const refreshToken = granted.refresh_token as string
    const refreshed = (await (
      await token({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'offline' })
    ).json()) as Record<string, unknown>
    expect(Object.keys(refreshed).sort()).toEqual(
      Object.keys(fixture('oauth_token_refresh.json') as object).sort(),
    )
    expect(refreshed.refresh_token).not.toBe(refreshToken)
    // rotated: the old refresh token is refused with WHOOP's RFC 6749 body
    const reused = await token({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: 'offline',
    })
    expect(reused.status).toBe(400)
    expect(await reused.json()).toEqual(fixture('oauth_error_invalid_grant.json'))
    // a refresh that does not ask for offline again gets no new refresh token
    const withoutOffline = (await (
      await token({ grant_type: 'refresh_token', refresh_token: refreshed.refresh_token as string })
    ).json()) as Record<string, unknown>
    expect(withoutOffline.access_token).toBeDefined()
    expect(withoutOffline.refresh_token).toBeUndefined()
  })

  it('revokes the member’s access with DELETE /v2/user/access', async () => {
    const { fake, accessToken, get } = await started()
    const revoked = await fetch(`${fake.apiBaseUrl}/v2/user/access`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${accessToken}` },
    })
    expect(revoked.status).toBe(204)
    expect(fake.upstream.tokens.isValid(accessToken)).toBe(false)
    expect((await get('/v2/cycle')).status).toBe(401)
  })

  it('replays the documented 403 for a lapsed membership when scripted', async () => {
    const { fake, get } = await started()
    fake.script('GET /developer/v2/cycle', [
      { status: 403, fixture: 'error_403_deactivated_user.json' },
    ])
    const refused = await get('/v2/cycle')
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({ error: 'deactivated_user' })
  })
})
