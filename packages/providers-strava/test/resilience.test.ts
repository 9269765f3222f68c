import { createRateLimitBudget, isProviderError } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { stravaRetryAfter } from '../src/index.js'
import { instantSleep, setUp } from './support.js'

describe('rate limits and upstream failures', () => {
  it('reads the usage headers into the shared budget', async () => {
    const budget = createRateLimitBudget()
    const { provider } = await setUp({ provider: { rateLimitBudget: budget } })
    await provider.getAthlete()
    await provider.getAthlete()
    const windows = budget.windows('strava:app')
    expect(windows.map((window) => [window.name, window.limit, window.remaining])).toEqual([
      ['15min', 200, 198],
      ['daily', 2000, 1998],
      ['read_15min', 100, 98],
      ['read_daily', 1000, 998],
    ])
  })

  it('honours a 429 near the quarter hour: waits for the window to reset, then succeeds', async () => {
    // 40 s before 11:15 UTC: the 15-minute window resets in 40 s.
    let clock = Date.parse('2025-03-14T11:14:20Z')
    const now = () => new Date(clock)
    const waits: number[] = []
    const sleep = async (ms: number) => {
      waits.push(ms)
      clock += ms
    }
    const { fake, provider } = await setUp({ fake: { now }, provider: { now, sleep } })
    fake.script('GET /api/v3/athlete', [
      {
        status: 429,
        fixture: 'error_429_rate_limit.json',
        headers: {
          'x-ratelimit-limit': '200,2000',
          'x-ratelimit-usage': '201,830',
          'x-readratelimit-limit': '100,1000',
          'x-readratelimit-usage': '101,820',
        },
      },
    ])
    const athlete = await provider.getAthlete()
    expect(athlete.id).toBe('48213977')
    expect(waits).toEqual([40_000])
  })

  it('fails at once with rate_limited and the wait to the next quarter hour when it is long', async () => {
    const now = () => new Date('2025-03-14T11:02:13Z')
    const { fake, provider } = await setUp({
      fake: { now, rateLimit: [3, 2000] },
      provider: { now },
    })
    await provider.getAthlete()
    await provider.getAthlete()
    await provider.getAthlete()
    // The fourth is refused by the fake: rate_limited, 12 min 47 s to 11:15.
    const error = await provider.getAthlete().catch((reason: unknown) => reason)
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 767,
      details: { limit_type: '15min' },
    })
    // Now the budget knows: the next call is refused locally, without a request.
    const before = fake.requestsTo('/api/v3/athlete').length
    const local = await provider.getAthlete().catch((reason: unknown) => reason)
    expect(local).toMatchObject({ code: 'rate_limited', details: { local: true } })
    expect(fake.requestsTo('/api/v3/athlete')).toHaveLength(before)
  })

  it('computes the daily reset when only the daily window is used up', () => {
    const headers = { 'x-ratelimit-limit': '200,2000', 'x-ratelimit-usage': '20,2000' }
    expect(stravaRetryAfter(headers, new Date('2025-03-14T23:00:00Z'))).toEqual({
      retryAfterSeconds: 3600,
      limitType: 'daily',
    })
  })

  it('retries 5xx with backoff and succeeds when Strava recovers', async () => {
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({ provider: { sleep } })
    fake.failNext('GET /api/v3/athlete', 2)
    expect((await provider.getAthlete()).username).toBe('camille_tremblay_mtl')
    expect(waits).toHaveLength(2)
    expect(fake.requestsTo('/api/v3/athlete')).toHaveLength(3)
  })

  it('surfaces persistent 5xx as upstream_unavailable after the retries', async () => {
    const { fake, provider } = await setUp({ provider: { retry: { maxRetries: 2 } } })
    fake.failNext('GET /api/v3/athlete', 5, 503)
    const error = await provider.getAthlete().catch((reason: unknown) => reason)
    expect(isProviderError(error) && error.code).toBe('upstream_unavailable')
    expect(error).toMatchObject({ status: 503, retryable: true })
    expect(fake.requestsTo('/api/v3/athlete')).toHaveLength(3)
  })

  it('maps a missing activity to not_found with its id', async () => {
    const { provider } = await setUp()
    const error = await provider.getActivity('1').catch((reason: unknown) => reason)
    expect(error).toMatchObject({
      code: 'not_found',
      details: { resource_type: 'activity', resource_id: '1' },
    })
  })

  it('treats refused activity zones as no zones', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /api/v3/activities/13876543210/zones', [
      { status: 402, body: { message: 'Payment Required', errors: [] } },
    ])
    const activity = await provider.getActivity('13876543210', { details: true })
    expect(activity.heart_rate_zones).toBeUndefined()
    expect(activity.laps).toHaveLength(9)
  })

  it('rejects a list of unexpected shape with invalid_data', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /api/v3/athlete/activities', [{ body: [{ name: 'no id' }] }])
    const error = await provider.getActivities().catch((reason: unknown) => reason)
    expect(error).toMatchObject({ code: 'invalid_data' })
  })
})
