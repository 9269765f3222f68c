import {
  createCachingProvider,
  createCircuitBreaker,
  createMemoryCache,
  isProviderError,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { createTerraClient } from '../src/index.js'
import { setUp } from './support.js'

const day = { start: '2025-03-14T00:00:00Z', end: '2025-03-15T00:00:00Z' }
const week = { start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' }
// The body fixture is a measurement of 2025-03-13.
const bodyDay = { start: '2025-03-13T00:00:00Z', end: '2025-03-14T00:00:00Z' }

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(isProviderError(error), `expected a ProviderError, got ${String(error)}`).toBe(true)
  return error as Error & {
    code: string
    status?: number
    retryAfterSeconds?: number
    details?: Record<string, unknown>
    retryable: boolean
  }
}

describe('retries and failures (providers-core HTTP client)', () => {
  it('retries 5xx with backoff and succeeds when Terra recovers', async () => {
    const { fake, provider, clock } = await setUp()
    fake.failNext('GET /v2/sleep', 2)
    const nights = await provider.getSleepSessions(day)
    expect(nights).toHaveLength(1)
    expect(fake.requestsTo('/v2/sleep')).toHaveLength(3)
    // 1 s then 2 s, ±10 % jitter.
    expect(clock.waits).toHaveLength(2)
    expect(clock.waits[0]).toBeGreaterThanOrEqual(900)
    expect(clock.waits[1]).toBeGreaterThanOrEqual(1800)
  })

  it('surfaces a persistent 5xx as upstream_unavailable after the retries', async () => {
    const { fake, provider } = await setUp({ client: { retry: { maxRetries: 2 } } })
    fake.failNext('GET /v2/daily', 5, 503)
    const error = await failure(provider.getDailySummaries(day))
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      status: 503,
      retryable: true,
      provider: 'terra',
    })
    expect(fake.requestsTo('/v2/daily')).toHaveLength(3)
  })

  it('opens the breaker after 5 failures, refuses without a request, half-opens after 30 s', async () => {
    const { fake, provider, clock } = await setUp({
      client: {
        retry: { maxRetries: 0 },
        breaker: createCircuitBreaker({ provider: 'terra', now: () => clock.now() }),
      },
    })
    fake.failNext('GET /v2/body', 5, 502)
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await failure(provider.getHealthMetrics(bodyDay))).code).toBe('upstream_unavailable')
    }
    const refused = await failure(provider.getHealthMetrics(bodyDay))
    expect(refused).toMatchObject({ code: 'circuit_open', retryAfterSeconds: 30 })
    expect(fake.requestsTo('/v2/body')).toHaveLength(5)
    clock.advance(30_000)
    expect(await provider.getHealthMetrics(bodyDay)).toHaveLength(1)
    expect(fake.requestsTo('/v2/body')).toHaveLength(6)
  })

  it('does not count 4xx against the breaker', async () => {
    const { fake, provider, clock } = await setUp({
      client: { breaker: createCircuitBreaker({ provider: 'terra', now: () => clock.now() }) },
    })
    fake.script(
      'GET /v2/sleep',
      Array.from({ length: 6 }, () => ({ status: 400, body: {} })),
    )
    for (let attempt = 0; attempt < 6; attempt += 1) {
      expect((await failure(provider.getSleepSessions(day))).code).toBe('upstream_error')
    }
    expect(await provider.getSleepSessions(day)).toHaveLength(1)
  })
})

describe('rate limits', () => {
  it('waits out a short 429 reset and then succeeds', async () => {
    const { fake, provider, clock } = await setUp()
    fake.script('GET /v2/daily', [
      {
        status: 429,
        headers: { 'x-terra-ratelimit-rule': 'cumulative_days', 'x-terra-ratelimit-reset': '30' },
        body: { status: 'error', message: 'Rate limit exceeded' },
      },
    ])
    expect(await provider.getDailySummaries(day)).toHaveLength(1)
    expect(clock.waits).toEqual([30_000])
  })

  it('fails at once on a long 429 with the reset and rule, then refuses locally', async () => {
    const { fake, provider } = await setUp({ fake: { daysPerHour: 25 } })
    // Each one-week read asks for 10 days (padded by 2 before and 1 after).
    await provider.getDailySummaries(week)
    await provider.getSleepSessions(week)
    const error = await failure(provider.getHealthMetrics(week))
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterSeconds: 3600,
      details: { limit_type: 'day_budget', rule: 'cumulative_days' },
    })
    expect(fake.requestsTo('/v2/body')).toHaveLength(1)
    const local = await failure(provider.getDailySummaries(week))
    expect(local).toMatchObject({ code: 'rate_limited', details: { local: true } })
    expect(fake.requestsTo('/v2/daily')).toHaveLength(1)
  })

  it('counts requested days locally and refuses before Terra would', async () => {
    const { fake, provider, clock } = await setUp({ client: { daysPerHour: 15 } })
    await provider.getDailySummaries(week)
    const error = await failure(provider.getSleepSessions(week))
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 3600,
      details: { limit_type: 'day_budget', local: true },
    })
    expect(fake.requestsTo('/v2/sleep')).toHaveLength(0)
    clock.advance(3_600_000)
    expect(await provider.getSleepSessions(week)).toHaveLength(7)
  })

  it('maps a 424 (the wearable’s own rate limit) to rate_limited of type provider', async () => {
    const { fake, provider } = await setUp({ client: { retry: { maxRetries: 0 } } })
    fake.script('GET /v2/sleep', [
      {
        status: 424,
        headers: { 'retry-after': '120' },
        body: { status: 'error', message: 'request failed due to a provider rate limit issue' },
      },
    ])
    expect(await failure(provider.getSleepSessions(day))).toMatchObject({
      code: 'rate_limited',
      status: 424,
      retryAfterSeconds: 120,
      details: { limit_type: 'provider' },
    })
  })
})

describe('faulty answers never crash', () => {
  it('turns malformed JSON into invalid_data naming the provider and the endpoint', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /v2/sleep', [
      {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"status":"success","data":[{"metadata":',
      },
    ])
    const error = await failure(provider.getSleepSessions(day))
    expect(error).toMatchObject({
      code: 'invalid_data',
      provider: 'terra',
      status: 200,
      details: { method: 'GET', endpoint: '/v2/sleep' },
    })
    expect(error.message).toBe('terra sent a body that is not valid JSON for GET /v2/sleep')
  })

  it('turns an unexpected shape into invalid_data naming the endpoint', async () => {
    const { fake, provider, client } = await setUp()
    fake.script('GET /v2/daily', [{ body: { status: 'success', data: 'soon' } }])
    const error = await failure(provider.getDailySummaries(day))
    expect(error.code).toBe('invalid_data')
    expect(error.message).toContain('GET /v2/daily')
    fake.script('GET /v2/subscriptions', [{ body: '<html>maintenance</html>' }])
    expect(await failure(client.listSubscriptions())).toMatchObject({
      code: 'invalid_data',
      details: { endpoint: '/v2/subscriptions' },
    })
  })

  it('refuses a data object without a usable start', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /v2/body', [{ body: { status: 'success', data: [{ metadata: {} }] } }])
    expect(await failure(provider.getHealthMetrics(day))).toMatchObject({
      code: 'invalid_data',
      details: { endpoint: '/body' },
    })
  })

  it('reports a request Terra deferred to the webhook as retryable upstream_unavailable', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /v2/sleep', [
      { body: { status: 'success', type: 'sleep', reference: 'ref-123', message: 'processing' } },
    ])
    expect(await failure(provider.getSleepSessions(day))).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
      details: { reference: 'ref-123' },
    })
  })

  it('maps refused credentials to not_configured and never reveals the key', async () => {
    const { fake } = await setUp()
    const client = createTerraClient({
      devId: fake.devId,
      apiKey: 'sk-terra-wrong-key-0123456789',
      baseUrl: fake.apiBaseUrl,
    })
    const error = await failure(client.listSubscriptions())
    expect(error).toMatchObject({ code: 'not_configured', status: 401, retryable: false })
    expect(fake.requestsTo('/v2/subscriptions')).toHaveLength(1)
    const serialized = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`
    expect(serialized).not.toContain('sk-terra-wrong-key')
    expect(fake.requestsTo('/v2/subscriptions')[0]?.headers['x-api-key']).toBe(
      'sk-terra-wrong-key-0123456789',
    )
  })

  it('sends the credentials on every call; extra headers cannot replace them', async () => {
    const { fake } = await setUp()
    const client = createTerraClient({
      devId: fake.devId,
      apiKey: fake.apiKey,
      baseUrl: fake.apiBaseUrl,
      headers: { 'User-Agent': 'pierre-test', 'X-API-KEY': 'other', 'Dev-Id': 'other' },
    })
    expect(await client.listSubscriptions()).toHaveLength(1)
    expect(fake.requestsTo('/v2/subscriptions')[0]?.headers).toMatchObject({
      'dev-id': fake.devId,
      'x-api-key': fake.apiKey,
      'user-agent': 'pierre-test',
    })
  })

  it('refuses missing credentials and bad queries before any request', async () => {
    const { fake, client } = await setUp()
    for (const options of [
      { devId: '', apiKey: 'key' },
      { devId: 'dev', apiKey: ' ' },
    ]) {
      expect(() => createTerraClient({ ...options, baseUrl: fake.apiBaseUrl })).toThrow(
        expect.objectContaining({ code: 'not_configured' }),
      )
    }
    for (const baseUrl of ['not a url', 'ftp://api.tryterra.co/v2']) {
      expect(() => createTerraClient({ devId: 'd', apiKey: 'k', baseUrl })).toThrow(
        expect.objectContaining({ code: 'not_configured' }),
      )
    }
    const terraUserId = fake.terraUserId
    for (const query of [
      { terraUserId, startDate: '14/03/2025' },
      { terraUserId: '', startDate: '2025-03-14' },
      { terraUserId },
      { terraUserId, startDate: '2015-01-01', endDate: '2025-01-01' },
    ]) {
      expect((await failure(client.fetchData('sleep', query))).code).toBe('invalid_argument')
    }
    expect(fake.upstream.requests).toHaveLength(0)
  })
})

describe('cache decorator', () => {
  it('serves a repeated read from providers-core’s cache without a request', async () => {
    const { fake, provider, clock } = await setUp()
    const cached = createCachingProvider(provider, {
      cache: createMemoryCache({ now: clock.now }),
      tenantId: 'tenant-0f6c2a',
      userId: 'user-7a41e9',
      now: clock.now,
    })
    const first = await cached.getSleepSessions(week)
    const second = await cached.getSleepSessions(week)
    expect(second).toEqual(first)
    expect(fake.requestsTo('/v2/sleep')).toHaveLength(1)
    await cached.getSleepSessions(week, { cache: 'refresh' })
    expect(fake.requestsTo('/v2/sleep')).toHaveLength(2)
  })
})
