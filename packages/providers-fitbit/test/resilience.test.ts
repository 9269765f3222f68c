import {
  createCachingProvider,
  createCircuitBreaker,
  createMemoryCache,
  createRateLimitBudget,
  isProviderError,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { createFitbitBundle, createFitbitProvider } from '../src/index.js'
import { startFakeGoogleHealth } from '../src/testing/index.js'
import { camille, fixtureWeek, instantSleep, setUp } from './support.js'

const identity = '/v4/users/me/identity'
const exercises = '/v4/users/me/dataTypes/exercise/dataPoints'

const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )

describe('429, quota and upstream failures', () => {
  it('honours a 429 Retry-After of 2 s: waits it out, then succeeds', async () => {
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({ provider: { sleep } })
    fake.script(`GET ${identity}`, [
      {
        status: 429,
        fixture: 'error_429_resource_exhausted.json',
        headers: { 'retry-after': '2' },
      },
    ])
    expect((await provider.getAthlete()).id).toBe(fake.healthUserId)
    expect(waits).toEqual([2000])
    expect(fake.requestsTo(identity)).toHaveLength(2)
  })

  it('fails at once with rate_limited when Google asks to wait longer than a minute', async () => {
    const { fake, provider } = await setUp()
    fake.script(`GET ${identity}`, [
      {
        status: 429,
        fixture: 'error_429_resource_exhausted.json',
        headers: { 'retry-after': '120' },
      },
    ])
    const error = await failure(provider.getAthlete())
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 120 })
    expect(fake.requestsTo(identity)).toHaveLength(1)
  })

  it('answers the fake’s own 429 (per-user minute used up) with the seconds to the next minute', async () => {
    const clock = { ms: Date.parse('2025-03-14T11:02:13Z') }
    const now = () => new Date(clock.ms)
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({
      fake: { now, requestsPerMinute: 5 },
      provider: {
        now,
        sleep: async (ms) => {
          await sleep(ms)
          clock.ms += ms
        },
      },
    })
    fake.setUsage(5)
    expect((await provider.getActivities({ limit: 1 })).length).toBe(1)
    expect(waits).toEqual([47_000])
  })

  it('counts the per-user quota locally and refuses the call before Google would', async () => {
    const now = () => new Date('2025-03-14T11:02:13Z')
    const budget = createRateLimitBudget({ now })
    const { fake, provider } = await setUp({
      provider: { now, rateLimitBudget: budget, requestsPerMinute: 3 },
    })
    await provider.getActivities({ limit: 1 })
    await provider.getActivities({ limit: 1 })
    await provider.getActivities({ limit: 1 })
    const before = fake.requestsTo(exercises).length
    const error = await failure(provider.getActivities({ limit: 1 }))
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 60,
      details: { limit_type: 'user_minute', local: true },
    })
    expect(fake.requestsTo(exercises)).toHaveLength(before)
  })

  it('keeps the quota windows of two users of one bundle apart', async () => {
    const fake = await startFakeGoogleHealth()
    try {
      const bundle = createFitbitBundle({ baseUrl: fake.apiBaseUrl, requestsPerMinute: 1 })
      const tokenOf = (token: string) => ({ getAccessToken: async () => token })
      const first = bundle.create({ ...camille, auth: tokenOf(fake.issueTokens().accessToken) })
      const second = bundle.create({
        tenantId: 'tenant-1',
        userId: 'other',
        auth: tokenOf(fake.issueTokens().accessToken),
      })
      await first.getAthlete().catch(() => undefined)
      expect(await failure(first.getActivities({ limit: 1 }))).toMatchObject({
        code: 'rate_limited',
      })
      expect((await second.getActivities({ limit: 1 })).length).toBe(1)
    } finally {
      await fake.close()
    }
  })

  it('retries 5xx with backoff and succeeds when Google recovers', async () => {
    const { sleep, waits } = instantSleep()
    const { fake, provider } = await setUp({ provider: { sleep } })
    fake.failNext(`GET ${exercises}`, 2)
    expect(await provider.getActivities({ limit: 3 })).toHaveLength(3)
    expect(waits).toHaveLength(2)
    expect(fake.requestsTo(exercises)).toHaveLength(3)
  })

  it('surfaces persistent 5xx as a typed upstream_unavailable after the retries', async () => {
    const { fake, provider } = await setUp({ provider: { retry: { maxRetries: 2 } } })
    fake.failNext(`GET ${exercises}`, 5, 503)
    const error = await failure(provider.getActivities())
    expect(isProviderError(error) && error.code).toBe('upstream_unavailable')
    expect(error).toMatchObject({ provider: 'fitbit', status: 503, retryable: true })
    expect(fake.requestsTo(exercises)).toHaveLength(3)
  })

  it('opens the circuit after repeated 5xx, refuses without a request, then recovers', async () => {
    const clock = { ms: Date.parse('2025-03-14T12:00:00Z') }
    const now = () => new Date(clock.ms)
    const breaker = createCircuitBreaker({
      provider: 'fitbit',
      now,
      failureThreshold: 2,
      recoveryTimeoutMs: 30_000,
      successThreshold: 1,
    })
    const { fake, provider } = await setUp({
      fake: { now },
      provider: { now, breaker, retry: { maxRetries: 0 } },
    })
    const list = () => provider.getActivities({ limit: 1 })
    fake.failNext(`GET ${exercises}`, 2, 502)
    expect(await failure(list())).toMatchObject({ code: 'upstream_unavailable' })
    expect(await failure(list())).toMatchObject({ code: 'upstream_unavailable' })
    expect(breaker.state).toBe('open')
    const calls = fake.requestsTo(exercises).length
    expect(await failure(list())).toMatchObject({ code: 'circuit_open' })
    expect(fake.requestsTo(exercises)).toHaveLength(calls)
    clock.ms += 31_000
    expect(breaker.state).toBe('half_open')
    expect(await list()).toHaveLength(1)
    expect(breaker.state).toBe('closed')
  })

  it('reports malformed JSON as invalid_data naming the provider and the endpoint', async () => {
    const { fake, provider } = await setUp()
    fake.script(`GET ${exercises}`, [
      {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"dataPoints": [{"name": ',
      },
    ])
    const error = await failure(provider.getActivities())
    expect(error).toMatchObject({
      code: 'invalid_data',
      provider: 'fitbit',
      details: { endpoint: 'GET /users/me/dataTypes/exercise/dataPoints' },
    })
    expect((error as Error).message).toContain('fitbit')
    expect((error as Error).message).toContain('GET /users/me/dataTypes/exercise/dataPoints')
  })

  it('reports a get of an unknown exercise as not_found with its id', async () => {
    const { provider } = await setUp()
    expect(await failure(provider.getActivity('1'))).toMatchObject({
      code: 'not_found',
      details: { resource_type: 'activity', resource_id: '1' },
    })
  })

  it('maps ACCOUNT_NOT_LINKED to upstream_error with Google’s status, reason and link', async () => {
    const { fake, provider } = await setUp()
    fake.script(`GET ${identity}`, [{ status: 400, fixture: 'error_400_account_not_linked.json' }])
    expect(await failure(provider.getAthlete())).toMatchObject({
      code: 'upstream_error',
      status: 400,
      details: {
        google_status: 'FAILED_PRECONDITION',
        reason: 'ACCOUNT_NOT_LINKED',
        redirect_uri: 'https://fitbit.google.com/auth/signup',
      },
    })
  })

  it('falls back to recency paging when Google refuses the sleep end-time filter', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /v4/users/me/dataTypes/sleep/dataPoints', [
      { status: 400, fixture: 'error_400_invalid_filter.json' },
    ])
    const sessions = await provider.getSleepSessions(fixtureWeek)
    expect(sessions.map((session) => session.end_time)).toEqual([
      '2025-03-14T10:21:30Z',
      '2025-03-13T18:58:00Z',
      '2025-03-13T10:48:30Z',
    ])
    const calls = fake.requestsTo('/v4/users/me/dataTypes/sleep/dataPoints')
    expect(calls).toHaveLength(2)
    expect(calls[1]?.query.has('filter')).toBe(false)
  })
})

describe('the cache decorator around the provider', () => {
  it('serves a repeated call from the cache, and asks again after bypass', async () => {
    const { fake, provider } = await setUp()
    const lookups: boolean[] = []
    const cached = createCachingProvider(provider, {
      cache: createMemoryCache(),
      ...camille,
      onCacheLookup: ({ hit }) => lookups.push(hit),
    })
    const first = await cached.getActivity('41250987766')
    const second = await cached.getActivity('41250987766')
    expect(second).toEqual(first)
    expect(lookups).toEqual([false, true])
    const path = `${exercises}/41250987766`
    expect(fake.requestsTo(path)).toHaveLength(1)
    await cached.getActivity('41250987766', { cache: 'bypass' })
    expect(fake.requestsTo(path)).toHaveLength(2)
  })
})

describe('the legacy Fitbit Web API', () => {
  it('is never called, and answers 410 Gone where it used to live', async () => {
    const { fake, provider } = await setUp()
    await provider.getAthlete()
    await provider.getActivities({ limit: 5 })
    await provider.getSleepSessions(fixtureWeek)
    await provider.getRecoveryMetrics(fixtureWeek)
    await provider.getHrv(fixtureWeek)
    const paths = fake.upstream.requests.map((request) => request.path)
    expect(paths.every((path) => path.startsWith('/v4/users/me/'))).toBe(true)
    const legacy = await fetch(`${fake.legacyBaseUrl}/activities/list.json`)
    expect(legacy.status).toBe(410)
    const legacyProvider = createFitbitProvider({
      tokenSource: { getAccessToken: async () => 'token' },
      baseUrl: `${fake.url}/1/user/-`,
      sleep: instantSleep().sleep,
    })
    const error = await failure(legacyProvider.getActivities())
    expect(error).toMatchObject({
      code: 'upstream_error',
      status: 410,
      details: { reason: 'gone' },
    })
  })
})
