import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { z } from 'zod'
import type { CircuitChangeEvent, HttpClientOptions } from '../src/index.js'
import {
  collect,
  combineRateLimitParsers,
  createCircuitBreaker,
  createHttpClient,
  createRateLimitBudget,
  createUsagePairParser,
  isProviderError,
  ProviderError,
} from '../src/index.js'
import type { FakeUpstream, FakeUpstreamOptions } from '../src/testing/index.js'
import { startFakeUpstream } from '../src/testing/index.js'
import { createDemoProvider, createTestClock, demoRuns, startDemoUpstream } from './support/demo.js'

async function fakeWith(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const fake = await startFakeUpstream({
    routes: [
      { path: '/ping', respond: { body: { ok: true } } },
      {
        path: '/big',
        respond: {
          body: '{"id": 123456789012345678901, "ok": 1}',
          headers: { 'content-type': 'application/json' },
        },
      },
    ],
    ...options,
  })
  onTestFinished(() => fake.close())
  return fake
}

function clientFor(fake: FakeUpstream, options: Partial<HttpClientOptions> = {}) {
  const waits: number[] = []
  const client = createHttpClient({
    provider: 'demo',
    baseUrl: fake.url,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms)
    },
    ...options,
  })
  return { client, waits }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  )
}

describe('http client against a loopback fake', () => {
  it('pages through the full history of a provider, one request per page', async () => {
    const fake = await startDemoUpstream()
    onTestFinished(() => fake.close())
    const { accessToken } = fake.tokens.issue()
    const provider = createDemoProvider({
      baseUrl: fake.url,
      auth: { getAccessToken: async () => accessToken },
    })
    const all = await collect(provider.iterateActivities({ pageSize: 10 }))
    expect(all.map((activity) => activity.id)).toEqual(demoRuns.map((run) => run.id))
    expect(fake.requestsTo('/api/activities').map((request) => request.query.get('page'))).toEqual([
      '1',
      '2',
      '3',
    ])
    expect(
      fake.requests.every((request) => request.headers.authorization === `Bearer ${accessToken}`),
    ).toBe(true)
  })

  it('applies the date filters upstream, with the inclusive after', async () => {
    const fake = await startDemoUpstream()
    onTestFinished(() => fake.close())
    const { accessToken } = fake.tokens.issue()
    const provider = createDemoProvider({
      baseUrl: fake.url,
      auth: { getAccessToken: async () => accessToken },
    })
    const after = Date.parse('2025-03-10T11:00:00Z') / 1000
    const before = Date.parse('2025-03-12T11:00:00Z') / 1000
    const window = await collect(provider.iterateActivities({ after, before }))
    expect(window.map((activity) => activity.start_date)).toEqual([
      '2025-03-11T11:00:00Z',
      '2025-03-10T11:00:00Z',
    ])
  })

  it('waits exactly Retry-After seconds on 429, then succeeds', async () => {
    const fake = await fakeWith()
    fake.script('GET /ping', [{ status: 429, headers: { 'retry-after': '7' } }])
    const onRetry = vi.fn()
    const { client, waits } = clientFor(fake, { hooks: { onRetry } })
    expect((await client.request({ path: '/ping' })).body).toEqual({ ok: true })
    expect(waits).toEqual([7000])
    expect(onRetry).toHaveBeenCalledWith(
      expect.objectContaining({ retry: 1, delayMs: 7000, reason: 'rate_limited', status: 429 }),
    )
  })

  it('reads Retry-After as an HTTP date against the injected clock', async () => {
    const fake = await fakeWith()
    fake.script('/ping', [
      { status: 503, headers: { 'retry-after': 'Fri, 14 Mar 2025 11:00:12 GMT' } },
    ])
    const { client, waits } = clientFor(fake, { now: () => new Date('2025-03-14T11:00:00Z') })
    await client.request({ path: '/ping' })
    expect(waits).toEqual([12_000])
  })

  it('fails at once with rate_limited when the provider asks for more than 60 s', async () => {
    const fake = await fakeWith()
    fake.script('/ping', [{ status: 429, headers: { 'retry-after': '120' } }])
    const { client, waits } = clientFor(fake)
    const error = await rejection(client.request({ path: '/ping' }))
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 120, status: 429 })
    expect(fake.requests).toHaveLength(1)
    expect(waits).toEqual([])
  })

  it('computes the wait of a Strava 429 from its windows and then refuses locally until the reset', async () => {
    const clock = createTestClock('2025-03-14T11:07:30Z')
    const fake = await fakeWith()
    const headers = {
      'x-ratelimit-limit': '200,2000',
      'x-ratelimit-usage': '200,512',
      'x-readratelimit-limit': '100,1000',
      'x-readratelimit-usage': '64,480',
    }
    fake.script('/ping', [{ status: 429, headers, body: { message: 'Rate Limit Exceeded' } }])
    const parser = combineRateLimitParsers([
      createUsagePairParser({
        limitHeader: 'x-ratelimit-limit',
        usageHeader: 'x-ratelimit-usage',
        windows: [
          { name: '15min', seconds: 900 },
          { name: 'daily', seconds: 86_400 },
        ],
      }),
      createUsagePairParser({
        limitHeader: 'x-readratelimit-limit',
        usageHeader: 'x-readratelimit-usage',
        windows: [
          { name: 'read_15min', seconds: 900 },
          { name: 'read_daily', seconds: 86_400 },
        ],
      }),
    ])
    const budget = createRateLimitBudget({ now: clock })
    const { client } = clientFor(fake, {
      now: clock,
      rateLimitParser: parser,
      rateLimitBudget: budget,
      rateLimitScope: 'demo:app:1',
    })
    const first = await rejection(client.request({ path: '/ping' }))
    expect(first).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 450,
      details: { limit_type: '15min' },
    })
    const local = await rejection(client.request({ path: '/ping' }))
    expect(local).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 450,
      details: { local: true },
    })
    expect(fake.requests).toHaveLength(1)
    clock.set('2025-03-14T11:15:00Z')
    expect((await client.request({ path: '/ping' })).body).toEqual({ ok: true })
    expect(budget.windows('demo:app:1').map((window) => window.name)).toEqual([
      'daily',
      'read_daily',
    ])
  })

  it('retries 5xx with exponential backoff, then surfaces upstream_unavailable', async () => {
    const fake = await fakeWith()
    fake.script(
      '/ping',
      Array.from({ length: 4 }, () => ({ status: 502, body: 'Bad Gateway' })),
    )
    const { client, waits } = clientFor(fake)
    const error = await rejection(client.request({ path: '/ping' }))
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      status: 502,
      retryable: true,
      provider: 'demo',
    })
    expect(isProviderError(error) && error.upstreamBody).toBe('Bad Gateway')
    expect(waits).toEqual([1000, 2000, 4000])
    expect(fake.requests).toHaveLength(4)
  })

  it('recovers when a 5xx sequence ends before the retries do', async () => {
    const fake = await fakeWith()
    fake.script('/ping', [{ status: 500 }, { status: 503 }])
    const { client, waits } = clientFor(fake)
    expect((await client.request({ path: '/ping' })).body).toEqual({ ok: true })
    expect(waits).toEqual([1000, 2000])
  })

  it('never retries a POST unless told to', async () => {
    const fake = await fakeWith({
      routes: [{ method: 'POST', path: '/write', respond: { status: 201 } }],
    })
    fake.script('POST /write', [{ status: 503 }])
    const { client } = clientFor(fake)
    await expect(
      client.request({ method: 'POST', path: '/write', body: { a: 1 } }),
    ).rejects.toMatchObject({
      code: 'upstream_unavailable',
    })
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]?.body).toBe('{"a":1}')
  })

  it.for([
    { status: 400, code: 'upstream_error' },
    { status: 403, code: 'upstream_error' },
    { status: 404, code: 'not_found' },
    { status: 422, code: 'upstream_error' },
  ])('maps $status to $code without retrying', async ({ status, code }) => {
    const fake = await fakeWith()
    fake.script('/ping', [{ status, body: { message: 'nope' } }])
    const { client } = clientFor(fake)
    await expect(
      client.request({ path: '/ping', resource: 'activity', resourceId: '42' }),
    ).rejects.toMatchObject({ code, status })
    expect(fake.requests).toHaveLength(1)
  })

  it('reports a 404 with the resource type and id', async () => {
    const fake = await fakeWith()
    const { client } = clientFor(fake)
    await expect(
      client.getJson('/nothing', { resource: 'activity', resourceId: '1' }),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: 'demo has no activity 1',
      details: { resource_type: 'activity', resource_id: '1' },
    })
  })

  it('maps a WWW-Authenticate insufficient_scope challenge to insufficient_scope', async () => {
    const fake = await fakeWith()
    fake.script('/ping', [
      { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' } },
    ])
    const { client } = clientFor(fake)
    await expect(client.request({ path: '/ping' })).rejects.toMatchObject({
      code: 'insufficient_scope',
    })
  })

  it('lets a provider classify its own error bodies, before any token refresh', async () => {
    const fake = await fakeWith()
    fake.script('/ping', [
      {
        status: 401,
        body: {
          message: 'Authorization Error',
          errors: [{ field: 'activity:read_permission', code: 'missing' }],
        },
      },
    ])
    const getAccessToken = vi.fn(async () => 'token')
    const { client } = clientFor(fake, {
      auth: { getAccessToken },
      classifyResponse: (response) =>
        response.status === 401 && JSON.stringify(response.body).includes('_permission')
          ? new ProviderError('insufficient_scope', 'demo needs activity:read', {
              provider: 'demo',
            })
          : undefined,
    })
    const error = await rejection(client.request({ path: '/ping' }))
    expect(error).toMatchObject({ code: 'insufficient_scope' })
    expect(isProviderError(error) && error.upstreamBody).toMatchObject({
      message: 'Authorization Error',
    })
    expect(getAccessToken).toHaveBeenCalledTimes(1)
  })

  it('times out a slow attempt and retries it', async () => {
    const fake = await fakeWith()
    fake.script('/ping', [{ delayMs: 300, body: { late: true } }])
    const { client, waits } = clientFor(fake, { timeoutMs: 50 })
    expect((await client.request({ path: '/ping' })).body).toEqual({ ok: true })
    expect(waits).toEqual([1000])
    fake.script('/ping', [{ delayMs: 300 }])
    const noRetry = await rejection(client.request({ path: '/ping', maxRetries: 0 }))
    expect(noRetry).toMatchObject({ code: 'upstream_unavailable', details: { reason: 'timeout' } })
  })

  it('reports an unreachable upstream as upstream_unavailable (network)', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const client = createHttpClient({
      provider: 'demo',
      baseUrl: `http://127.0.0.1:${port}`,
      sleep: async () => {},
    })
    await expect(client.request({ path: '/ping' })).rejects.toMatchObject({
      code: 'upstream_unavailable',
      details: { reason: 'network' },
    })
  })

  it("rejects with the caller's abort reason and does not retry", async () => {
    const fake = await fakeWith()
    fake.script('/ping', [{ delayMs: 200 }])
    const { client } = clientFor(fake)
    const controller = new AbortController()
    const pending = client.request({ path: '/ping', signal: controller.signal })
    // Abort while the fake holds the request (a fixed delay raced the request under load).
    const deadline = Date.now() + 5000
    while (fake.requests.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    controller.abort(new Error('client went away'))
    await expect(pending).rejects.toThrow('client went away')
    // Past the scripted 200 ms: an aborted request is never sent again.
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(fake.requests).toHaveLength(1)
  })

  it('keeps integers beyond 2^53 as strings', async () => {
    const fake = await fakeWith()
    const { client } = clientFor(fake)
    expect(await client.getJson('/big')).toEqual({ id: '123456789012345678901', ok: 1 })
  })

  it('validates bodies with a schema and reports every issue', async () => {
    const fake = await fakeWith()
    const { client } = clientFor(fake)
    await expect(
      client.getJson('/ping', { schema: z.object({ ok: z.string() }) }),
    ).rejects.toMatchObject({
      code: 'invalid_data',
      details: { issues: [{ path: 'ok', message: expect.any(String) }] },
    })
  })

  it('refuses to send a token to another origin', async () => {
    const fake = await fakeWith()
    const { client } = clientFor(fake, { auth: { getAccessToken: async () => 'secret' } })
    await expect(client.request({ path: 'https://evil.example/steal' })).rejects.toMatchObject({
      code: 'invalid_argument',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('rejects a base URL that is not http(s) as not_configured', () => {
    expect(() => createHttpClient({ provider: 'demo', baseUrl: 'ftp://example.com' })).toThrow(
      expect.objectContaining({ code: 'not_configured' }),
    )
  })
})

describe('circuit breaker around the client', () => {
  it('opens after N failures, half-opens after the timeout, and closes after good probes', async () => {
    const clock = createTestClock('2025-03-14T12:00:00Z')
    const events: CircuitChangeEvent[] = []
    const breaker = createCircuitBreaker({
      provider: 'demo',
      failureThreshold: 3,
      recoveryTimeoutMs: 30_000,
      successThreshold: 2,
      now: clock,
      onCircuitChange: (event) => events.push(event),
    })
    const fake = await fakeWith()
    fake.script(
      '/ping',
      Array.from({ length: 4 }, () => ({ status: 503 })),
    )
    const { client } = clientFor(fake, { breaker, retry: { maxRetries: 0 } })
    for (let call = 0; call < 3; call += 1) {
      await expect(client.request({ path: '/ping' })).rejects.toMatchObject({
        code: 'upstream_unavailable',
      })
    }
    expect(breaker.state).toBe('open')
    await expect(client.request({ path: '/ping' })).rejects.toMatchObject({
      code: 'circuit_open',
      retryAfterSeconds: 30,
    })
    expect(fake.requests).toHaveLength(3)

    clock.advance(30_000)
    expect(breaker.state).toBe('half_open')
    await expect(client.request({ path: '/ping' })).rejects.toMatchObject({
      code: 'upstream_unavailable',
    })
    expect(breaker.state).toBe('open')

    clock.advance(30_000)
    await client.request({ path: '/ping' })
    expect(breaker.state).toBe('half_open')
    await client.request({ path: '/ping' })
    expect(breaker.state).toBe('closed')
    expect(events.map((event) => `${event.from}>${event.to}`)).toEqual([
      'closed>open',
      'open>half_open',
      'half_open>open',
      'open>half_open',
      'half_open>closed',
    ])
  })

  it('is not tripped by 4xx or 429 answers', async () => {
    const breaker = createCircuitBreaker({ provider: 'demo', failureThreshold: 2 })
    const fake = await fakeWith()
    fake.script('/ping', [
      { status: 404 },
      { status: 400 },
      { status: 429, headers: { 'retry-after': '999' } },
    ])
    const { client } = clientFor(fake, { breaker })
    for (let call = 0; call < 3; call += 1) await rejection(client.request({ path: '/ping' }))
    expect(breaker.state).toBe('closed')
  })
})
