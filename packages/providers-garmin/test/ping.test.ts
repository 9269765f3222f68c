import type { DataOwner } from '@pierre/providers-core'
import { createCircuitBreaker, isProviderError } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import type { GarminWebhookEvent } from '../src/index.js'
import { camille, setUp } from './support.js'

const owner: DataOwner = { provider: 'garmin', ...camille }
const activitiesRoute = 'GET /wellness-api/rest/activities'

async function pingOf(
  setup: Awaited<ReturnType<typeof setUp>>,
  type: 'activities' | 'sleeps' | 'activityDetails' | 'dailies',
  items?: readonly unknown[],
): Promise<GarminWebhookEvent[]> {
  const url = setup.fake.callbackUrl(type, items === undefined ? {} : { items })
  const body = { [type]: [{ userId: setup.fake.userId, callbackURL: url }] }
  return [...setup.receiver.parse(JSON.stringify(body)).events]
}

describe('ping deliveries', () => {
  it('fetches the callback URL with the user’s token and stores what it returns', async () => {
    const setup = await setUp()
    expect((await setup.fake.ping(setup.receiver, 'activities')).status).toBe(200)
    expect((await setup.fake.ping(setup.receiver, 'activityDetails')).status).toBe(200)
    expect((await setup.fake.ping(setup.receiver, 'dailies')).status).toBe(200)
    await setup.receiver.drain()
    expect(await setup.store.query('activity', owner)).toHaveLength(5)
    expect(await setup.store.query('streams', owner)).toHaveLength(1)
    expect(await setup.store.query('daily', owner)).toHaveLength(7)
    expect(await setup.store.query('recovery', owner)).toHaveLength(7)
    const [call] = setup.fake.requestsTo(activitiesRoute)
    expect(call?.headers.authorization).toBe(`Bearer ${setup.connection.accessToken}`)
    expect(call?.query.get('token')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('retries 5xx with backoff and succeeds when Garmin recovers', async () => {
    const setup = await setUp()
    const events = await pingOf(setup, 'activities')
    setup.fake.failNext(activitiesRoute, 2)
    const report = await setup.receiver.ingest(events)
    expect(report).toMatchObject({ stored: 5, failures: [] })
    expect(setup.fake.requestsTo(activitiesRoute)).toHaveLength(3)
    expect(setup.waits).toHaveLength(2)
  })

  it('waits out a 429 Retry-After of a few seconds, then succeeds', async () => {
    const setup = await setUp()
    const events = await pingOf(setup, 'sleeps')
    setup.fake.rateLimitNext('GET /wellness-api/rest/sleeps', 1, 7)
    const report = await setup.receiver.ingest(events)
    expect(report).toMatchObject({ stored: 7, failures: [] })
    expect(setup.waits).toEqual([7000])
  })

  it('reports a long 429 as rate_limited at once, naming the endpoint and not the token', async () => {
    const setup = await setUp()
    const events = await pingOf(setup, 'sleeps')
    setup.fake.rateLimitNext('GET /wellness-api/rest/sleeps', 1, 3600)
    const { failures, stored } = await setup.receiver.ingest(events)
    expect(stored).toBe(0)
    expect(failures).toHaveLength(1)
    const error = failures[0]?.error
    expect(error).toMatchObject({
      code: 'rate_limited',
      provider: 'garmin',
      retryAfterSeconds: 3600,
      details: { endpoint: '/wellness-api/rest/sleeps', summary_type: 'sleeps' },
    })
    expect(error?.message).not.toContain('token')
    expect(setup.waits).toEqual([])
  })

  it('reports persistent 5xx as upstream_unavailable after the retries, then opens the breaker', async () => {
    const breaker = createCircuitBreaker({ provider: 'garmin', failureThreshold: 2 })
    const setup = await setUp({ receiver: { breaker, retry: { maxRetries: 1 } } })
    setup.fake.failNext(activitiesRoute, 10, 502)
    const first = await setup.receiver.ingest(await pingOf(setup, 'activities'))
    expect(first.failures[0]?.error).toMatchObject({ code: 'upstream_unavailable', status: 502 })
    expect(setup.fake.requestsTo(activitiesRoute)).toHaveLength(2)
    expect(breaker.state).toBe('open')
    const second = await setup.receiver.ingest(await pingOf(setup, 'activities'))
    expect(second.failures[0]?.error.code).toBe('circuit_open')
    expect(setup.fake.requestsTo(activitiesRoute)).toHaveLength(2)
  })

  it('turns malformed JSON from a callback into invalid_data naming garmin and the endpoint', async () => {
    const setup = await setUp()
    const events = await pingOf(setup, 'activities')
    setup.fake.script(activitiesRoute, [
      {
        status: 200,
        headers: { 'content-type': 'application/json;charset=UTF-8' },
        body: '[{"userId": "d3315b10", "summaryId": ',
      },
    ])
    const { failures, stored } = await setup.receiver.ingest(events)
    expect(stored).toBe(0)
    const error = failures[0]?.error
    expect(isProviderError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'invalid_data',
      provider: 'garmin',
      details: { endpoint: '/wellness-api/rest/activities', summary_type: 'activities' },
    })
    expect(error?.message).toContain('garmin')
    expect(error?.message).toContain('/wellness-api/rest/activities')
    expect(await setup.store.query('activity', owner)).toEqual([])
  })

  it('refuses a callback body that is valid JSON of the wrong shape', async () => {
    const setup = await setUp()
    const events = await pingOf(setup, 'activities')
    setup.fake.script(activitiesRoute, [{ body: { message: 'hello' } }])
    const { failures } = await setup.receiver.ingest(events)
    expect(failures[0]?.error).toMatchObject({
      code: 'invalid_data',
      details: { endpoint: '/wellness-api/rest/activities' },
    })
  })

  it('never files another user’s items, and skips invalid ones', async () => {
    const setup = await setUp()
    const [run] = setup.fake.summaries.activities
    const events = await pingOf(setup, 'activities', [
      run,
      { ...run, userId: 'someone-else', summaryId: '1' },
      { userId: setup.fake.userId },
    ])
    const report = await setup.receiver.ingest(events)
    expect(report).toMatchObject({ stored: 1, skipped: 2, failures: [] })
  })

  it('does not fetch callback URLs on another origin', async () => {
    const setup = await setUp()
    const body = {
      activities: [{ userId: setup.fake.userId, callbackURL: 'https://attacker.example/steal' }],
    }
    const report = await setup.receiver.ingest(setup.receiver.parse(JSON.stringify(body)).events)
    expect(report.failures[0]?.error.code).toBe('invalid_argument')
    expect(setup.fake.upstream.requests).toHaveLength(0)
  })

  it('reports an expired callback token as upstream_error (400), without retrying', async () => {
    let clock = Date.parse('2025-03-14T12:00:00Z')
    const now = () => new Date(clock)
    const setup = await setUp({ fake: { now } })
    const events = await pingOf(setup, 'sleeps')
    clock += 25 * 3600 * 1000
    const { failures } = await setup.receiver.ingest(events)
    expect(failures[0]?.error).toMatchObject({ code: 'upstream_error', status: 400 })
    expect(setup.fake.requestsTo('/wellness-api/rest/sleeps').length).toBeGreaterThanOrEqual(1)
  })
})
