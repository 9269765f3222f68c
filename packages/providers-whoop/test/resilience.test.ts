import {
  collect,
  createCachingProvider,
  createCircuitBreaker,
  createMemoryCache,
  createRateLimitBudget,
  isProviderError,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { whoopRateLimitParser } from '../src/index.js'
import { camille, fixtureNow, instantSleep, setUp, steppingClock } from './support.js'

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (reason: unknown) => reason,
  )

describe('rate limits', () => {
  it('reads WHOOP’s headers into the shared per-app budget', async () => {
    const budget = createRateLimitBudget({ now: fixtureNow })
    const { provider } = await setUp({ provider: { rateLimitBudget: budget } })
    await provider.getAthlete()
    const [window] = budget.windows('whoop:app')
    expect(window).toMatchObject({ name: 'minute', limit: 100, remaining: 98 })
  })

  it('parses the limit closest to exhaustion and its policy window', () => {
    const now = new Date('2025-03-14T21:30:00Z')
    expect(
      whoopRateLimitParser(
        {
          'X-RateLimit-Limit': '10000, 100;window=60, 10000;window=86400',
          'X-RateLimit-Remaining': '12',
          'X-RateLimit-Reset': '3600',
        },
        now,
      ),
    ).toEqual([
      { name: 'daily', limit: 10_000, remaining: 12, resetAtMs: now.getTime() + 3_600_000 },
    ])
    expect(whoopRateLimitParser({}, now)).toEqual([])
    expect(whoopRateLimitParser({ 'x-ratelimit-limit': 'lots' }, now)).toEqual([])
  })

  it('honours a 429: waits out X-RateLimit-Reset, then succeeds', async () => {
    const clock = steppingClock('2025-03-14T21:30:23Z')
    const { fake, provider } = await setUp({
      now: clock.now,
      provider: { sleep: clock.sleep },
    })
    fake.script('GET /developer/v2/user/profile/basic', [
      {
        status: 429,
        headers: {
          'x-ratelimit-limit': '100, 100;window=60, 10000;window=86400',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '37',
        },
      },
    ])
    const athlete = await provider.getAthlete()
    expect(athlete.firstname).toBe('Camille')
    expect(clock.waits).toEqual([37_000])
    expect(fake.requestsTo('/developer/v2/user/profile/basic')).toHaveLength(2)
  })

  it('fails at once with rate_limited when the day is used up, then refuses locally', async () => {
    const { fake, provider } = await setUp({ fake: { rateLimit: [100, 3] } })
    await provider.getActivities({ limit: 1 })
    await provider.getActivity('287513a9-8519-4036-99c9-a08094ede83a')
    // fixture clock 21:30:00 UTC: the day resets in 2 h 30 min
    const error = await rejectionOf(provider.getAthlete())
    expect(error).toMatchObject({
      code: 'rate_limited',
      provider: 'whoop',
      retryAfterSeconds: 9000,
      details: { limit_type: 'daily' },
    })
    const before = fake.upstream.requests.length
    const local = await rejectionOf(provider.getActivity('287513a9-8519-4036-99c9-a08094ede83a'))
    expect(local).toMatchObject({ code: 'rate_limited', details: { local: true } })
    expect(fake.upstream.requests).toHaveLength(before)
  })
})

describe('upstream failures', () => {
  it('retries 5xx with backoff and succeeds when WHOOP recovers', async () => {
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({ provider: { sleep } })
    fake.failNext('GET /developer/v2/user/profile/basic', 2, 503)
    expect((await provider.getAthlete()).lastname).toBe('Tremblay')
    expect(waits).toHaveLength(2)
    expect(fake.requestsTo('/developer/v2/user/profile/basic')).toHaveLength(3)
  })

  it('surfaces persistent 5xx as upstream_unavailable after the retries', async () => {
    const { fake, provider } = await setUp({ provider: { retry: { maxRetries: 2 } } })
    fake.failNext('GET /developer/v2/cycle', 5, 502)
    const range = { start: '2025-03-13T00:00:00Z', end: '2025-03-15T00:00:00Z' }
    const error = await rejectionOf(provider.getDailySummaries(range))
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      provider: 'whoop',
      status: 502,
      retryable: true,
    })
    expect(fake.requestsTo('/developer/v2/cycle')).toHaveLength(3)
  })

  it('opens the circuit after 5 failures, fails fast, and closes again after a probe window', async () => {
    const clock = steppingClock('2025-03-14T21:30:00Z')
    const breaker = createCircuitBreaker({ provider: 'whoop', now: clock.now })
    const { fake, provider } = await setUp({
      now: clock.now,
      provider: { breaker, retry: { maxRetries: 0 } },
    })
    const get = () => provider.getActivity('287513a9-8519-4036-99c9-a08094ede83a')
    await get() // the body measurement is fetched once and kept
    fake.failNext('GET /developer/v2/activity/workout/287513a9-8519-4036-99c9-a08094ede83a', 5)
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await rejectionOf(get())).toMatchObject({ code: 'upstream_unavailable' })
    }
    expect(breaker.state).toBe('open')
    const requests = fake.upstream.requests.length
    const open = await rejectionOf(get())
    expect(open).toMatchObject({ code: 'circuit_open', retryAfterSeconds: 30 })
    expect(fake.upstream.requests).toHaveLength(requests)
    clock.advance(30_000)
    expect(breaker.state).toBe('half_open')
    expect((await get()).sport_type).toBe('run')
    expect((await get()).sport_type).toBe('run')
    expect(breaker.state).toBe('closed')
  })

  it('turns malformed JSON into invalid_data naming the provider and the endpoint', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /developer/v2/activity/workout', [
      {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"records": [{"id": "287513a9-8519',
      },
    ])
    const error = await rejectionOf(provider.getActivities())
    expect(isProviderError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'invalid_data',
      provider: 'whoop',
      details: { endpoint: 'GET /v2/activity/workout' },
    })
    expect((error as Error).message).toContain('whoop')
    expect((error as Error).message).toContain('/v2/activity/workout')
  })

  it('turns a body of the wrong shape into invalid_data naming the endpoint', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /developer/v2/activity/sleep', [{ body: { records: [{ nap: true }] } }])
    const range = { start: '2025-03-13T00:00:00Z', end: '2025-03-15T00:00:00Z' }
    const error = await rejectionOf(provider.getSleepSessions(range))
    expect(error).toMatchObject({
      code: 'invalid_data',
      provider: 'whoop',
      details: { endpoint: 'GET /v2/activity/sleep' },
    })
    expect((error as Error).message).toContain('/v2/activity/sleep')
    fake.script('GET /developer/v2/user/profile/basic', [
      { headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' },
    ])
    expect(await rejectionOf(provider.getAthlete())).toMatchObject({
      code: 'invalid_data',
      details: { endpoint: 'GET /v2/user/profile/basic' },
    })
  })

  it('maps odd but well-formed values without crashing', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /developer/v2/activity/workout', [
      {
        body: {
          records: [
            {
              id: 'f3c1d7a2-0000-4000-8000-000000000001',
              start: '2025-03-14T11:02:13.210Z',
              end: 'not a date',
              timezone_offset: '+99:99',
              sport_name: 42,
              score_state: 'SCORED',
              score: { strain: 'high', average_heart_rate: 9000, zone_durations: [] },
            },
          ],
        },
      },
    ])
    const [activity] = await provider.getActivities({ limit: 1 })
    expect(activity).toMatchObject({
      id: 'f3c1d7a2-0000-4000-8000-000000000001',
      sport_type: 'other',
      duration_seconds: 0,
    })
    expect(activity?.average_heart_rate).toBeUndefined()
    expect(activity?.utc_offset_seconds).toBeUndefined()
  })

  it('maps the documented 403 of a lapsed membership and a missing workout', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /developer/v2/user/profile/basic', [
      { status: 403, fixture: 'error_403_deactivated_user.json' },
    ])
    expect(await rejectionOf(provider.getAthlete())).toMatchObject({
      code: 'upstream_error',
      status: 403,
      details: { error: 'deactivated_user' },
    })
    const missing = await rejectionOf(provider.getActivity('00000000-0000-4000-8000-000000000000'))
    expect(missing).toMatchObject({
      code: 'not_found',
      details: { resource_type: 'activity', resource_id: '00000000-0000-4000-8000-000000000000' },
    })
  })
})

describe('cache', () => {
  it('serves repeated calls from the cache and refetches on refresh', async () => {
    const { fake, provider } = await setUp()
    const lookups: boolean[] = []
    const cached = createCachingProvider(provider, {
      cache: createMemoryCache(),
      ...camille,
      onCacheLookup: (event) => lookups.push(event.hit),
    })
    const range = { start: '2025-03-13T00:00:00Z', end: '2025-03-15T00:00:00Z' }
    const first = await cached.getSleepSessions(range)
    const requests = fake.upstream.requests.length
    expect(await cached.getSleepSessions(range)).toEqual(first)
    expect(fake.upstream.requests).toHaveLength(requests)
    await cached.getAthlete()
    await cached.getAthlete()
    expect(fake.requestsTo('/developer/v2/user/profile/basic')).toHaveLength(1)
    await cached.getAthlete({ cache: 'refresh' })
    expect(fake.requestsTo('/developer/v2/user/profile/basic')).toHaveLength(2)
    await cached.getAthlete({ cache: 'bypass' })
    expect(fake.requestsTo('/developer/v2/user/profile/basic')).toHaveLength(3)
    expect(lookups).toEqual([false, true, false, true])
    // another range is another entry
    await cached.getSleepSessions({ ...range, start: '2025-03-14T00:00:00Z' })
    expect(lookups.at(-1)).toBe(false)
    expect(await collect(cached.iterateActivities({ pageSize: 10 }))).toHaveLength(45)
  })
})
