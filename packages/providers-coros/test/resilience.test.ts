import {
  createCachingProvider,
  createCircuitBreaker,
  createMemoryCache,
  isProviderError,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { camille, instantSleep, rejectionOf, setUp, steppingClock } from './support.js'

const week = { start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' }

describe('rate limits', () => {
  it('honours a 429: waits out Retry-After, then succeeds', async () => {
    const clock = steppingClock('2025-03-14T21:30:00Z')
    const { fake, provider } = await setUp({ now: clock.now, provider: { sleep: clock.sleep } })
    fake.script('GET /coros/open/user/info', [
      { status: 429, headers: { 'retry-after': '17' }, body: 'Too Many Requests' },
    ])
    expect((await provider.getAthlete()).username).toBe('camille.t')
    expect(clock.waits).toEqual([17_000])
    expect(fake.requestsTo('/coros/open/user/info')).toHaveLength(2)
  })

  it('fails at once with rate_limited when the wait is longer than a minute', async () => {
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({ provider: { sleep } })
    fake.script('GET /coros/open/user/info', [
      { status: 429, headers: { 'retry-after': '3600' }, body: 'Too Many Requests' },
    ])
    const error = await rejectionOf(provider.getAthlete())
    expect(error).toMatchObject({
      code: 'rate_limited',
      provider: 'coros',
      status: 429,
      retryAfterSeconds: 3600,
      retryable: true,
    })
    expect(waits).toEqual([])
    expect(fake.requestsTo('/coros/open/user/info')).toHaveLength(1)
  })

  it('meets the fake’s per-minute limit and waits for the next minute', async () => {
    const clock = steppingClock('2025-03-14T21:30:00Z')
    const { fake, provider } = await setUp({
      now: clock.now,
      fake: { requestsPerMinute: 2 },
      provider: { sleep: clock.sleep },
    })
    clock.advance(45_000)
    await provider.getAthlete()
    await provider.getAthlete()
    // the third call of the minute gets a 429 with Retry-After: 15
    await provider.getAthlete()
    expect(clock.waits).toEqual([15_000])
    expect(fake.requestsTo('/coros/open/user/info').map((request) => request.at)).toEqual([
      '2025-03-14T21:30:45.000Z',
      '2025-03-14T21:30:45.000Z',
      '2025-03-14T21:30:45.000Z',
      '2025-03-14T21:31:00.000Z',
    ])
  })
})

describe('upstream failures', () => {
  it('retries 5xx with backoff and succeeds when COROS recovers', async () => {
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({ provider: { sleep } })
    fake.failNext('GET /coros/open/user/info', 2, 502)
    expect((await provider.getAthlete()).username).toBe('camille.t')
    expect(waits).toHaveLength(2)
    expect(waits[1] as number).toBeGreaterThan(waits[0] as number)
    expect(fake.requestsTo('/coros/open/user/info')).toHaveLength(3)
  })

  it('surfaces persistent 5xx as upstream_unavailable after the retries', async () => {
    const { fake, provider } = await setUp({ provider: { retry: { maxRetries: 2 } } })
    fake.failNext('GET /coros/open/daily/data', 5)
    const error = await rejectionOf(provider.getDailySummaries(week))
    expect(isProviderError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      provider: 'coros',
      status: 503,
      retryable: true,
    })
    expect(fake.requestsTo('/coros/open/daily/data')).toHaveLength(3)
  })

  it('opens the circuit after 5 failures, fails fast, and closes again after the probes', async () => {
    const clock = steppingClock('2025-03-14T21:30:00Z')
    const breaker = createCircuitBreaker({ provider: 'coros', now: clock.now })
    const { fake, provider } = await setUp({
      now: clock.now,
      provider: { breaker, retry: { maxRetries: 0 } },
    })
    fake.failNext('GET /coros/open/user/info', 5)
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await rejectionOf(provider.getAthlete())).toMatchObject({
        code: 'upstream_unavailable',
      })
    }
    expect(breaker.state).toBe('open')
    const requests = fake.upstream.requests.length
    expect(await rejectionOf(provider.getAthlete())).toMatchObject({
      code: 'circuit_open',
      retryAfterSeconds: 30,
    })
    expect(fake.upstream.requests).toHaveLength(requests)
    clock.advance(30_000)
    expect(breaker.state).toBe('half_open')
    expect((await provider.getAthlete()).username).toBe('camille.t')
    expect((await provider.getAthlete()).username).toBe('camille.t')
    expect(breaker.state).toBe('closed')
  })

  it('does not count in-band refusals against the breaker', async () => {
    const clock = steppingClock('2025-03-14T21:30:00Z')
    const breaker = createCircuitBreaker({ provider: 'coros', now: clock.now })
    const { fake, provider } = await setUp({ now: clock.now, provider: { breaker } })
    const refusal = { body: { result: '5002', message: 'system busy' } }
    fake.script(
      'GET /coros/open/user/info',
      Array.from({ length: 6 }, () => refusal),
    )
    for (let attempt = 0; attempt < 6; attempt += 1) {
      expect(await rejectionOf(provider.getAthlete())).toMatchObject({ code: 'upstream_error' })
    }
    expect(breaker.state).toBe('closed')
  })

  it('turns malformed JSON into invalid_data naming the provider and the endpoint', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /coros/open/sport/data', [
      {
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"result":"0000","data":[{"labelId":"4268877',
      },
    ])
    const error = await rejectionOf(provider.getActivities())
    expect(isProviderError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'invalid_data',
      provider: 'coros',
      status: 200,
      details: { endpoint: 'GET /coros/open/sport/data' },
    })
    expect((error as Error).message).toContain('coros')
    expect((error as Error).message).toContain('/coros/open/sport/data')
  })

  it('turns a body of the wrong shape into invalid_data naming the endpoint', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /coros/open/daily/data', [
      { body: { result: '0000', message: 'OK', data: { not: 'a list' } } },
    ])
    expect(await rejectionOf(provider.getHrv(week))).toMatchObject({
      code: 'invalid_data',
      details: { endpoint: 'GET /coros/open/daily/data' },
    })
    fake.script('GET /coros/open/sport/data', [
      { body: { result: '0000', message: 'OK', data: [{ mode: 8 }] } },
    ])
    expect(await rejectionOf(provider.getActivities())).toMatchObject({
      code: 'invalid_data',
      details: { endpoint: 'GET /coros/open/sport/data' },
    })
  })

  it('maps other in-band refusals to upstream_error with the COROS code, without retrying', async () => {
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({ provider: { sleep } })
    fake.script('GET /coros/open/sport/data', [
      { body: { result: '5002', message: 'system busy' } },
    ])
    const error = await rejectionOf(provider.getActivities())
    expect(error).toMatchObject({
      code: 'upstream_error',
      provider: 'coros',
      status: 200,
      retryable: false,
      details: { result: '5002', message: 'system busy' },
    })
    expect((error as Error).message).toBe(
      'coros refused GET /coros/open/sport/data: result 5002 (system busy)',
    )
    expect(waits).toEqual([])
    expect(fake.refreshCount).toBe(0)
  })

  it('never puts the token in an error message or an event', async () => {
    const events: string[] = []
    const { fake, provider, connection } = await setUp({
      provider: {
        retry: { maxRetries: 1 },
        hooks: {
          onRetry: (event) => events.push(event.url),
          onResponse: (event) => events.push(event.url),
        },
      },
    })
    fake.failNext('GET /coros/open/user/info', 2)
    const error = await rejectionOf(provider.getAthlete())
    expect(events.length).toBeGreaterThan(0)
    for (const text of [...events, (error as Error).message, JSON.stringify(error)]) {
      expect(text).not.toContain(connection.accessToken)
    }
    expect(events.some((url) => url.includes('token=%5Bredacted%5D'))).toBe(true)
  })
})

describe('cache', () => {
  it('serves repeated calls from the cache, and refetches on refresh or bypass', async () => {
    const { fake, provider } = await setUp()
    const lookups: boolean[] = []
    const cached = createCachingProvider(provider, {
      cache: createMemoryCache(),
      ...camille,
      now: () => new Date('2025-03-14T21:30:00Z'),
      onCacheLookup: (event) => lookups.push(event.hit),
    })
    const first = await cached.getSleepSessions(week)
    const requests = fake.requestsTo('/coros/open/daily/data').length
    expect(await cached.getSleepSessions(week)).toEqual(first)
    expect(fake.requestsTo('/coros/open/daily/data')).toHaveLength(requests)
    await cached.getAthlete()
    await cached.getAthlete()
    expect(fake.requestsTo('/coros/open/user/info')).toHaveLength(1)
    await cached.getAthlete({ cache: 'refresh' })
    expect(fake.requestsTo('/coros/open/user/info')).toHaveLength(2)
    await cached.getAthlete({ cache: 'bypass' })
    expect(fake.requestsTo('/coros/open/user/info')).toHaveLength(3)
    expect(lookups).toEqual([false, true, false, true])
    // another range is another entry
    await cached.getSleepSessions({ ...week, start: '2025-03-10T00:00:00Z' })
    expect(lookups.at(-1)).toBe(false)
  })
})
