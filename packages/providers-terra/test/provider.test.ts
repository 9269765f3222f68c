import type { FitnessProvider } from '@pierre/providers-core'
import {
  collect,
  createMemoryDataStore,
  createProviderRegistry,
  hasProviderErrorCode,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import type { TerraConnection } from '../src/index.js'
import {
  createMemoryTerraConnectionStore,
  createTerraBundle,
  createTerraProvider,
  createTerraWebhookHandler,
  terraDescriptor,
} from '../src/index.js'
import { createSignedTerraDelivery } from '../src/testing/index.js'
import { camille, fixture, setUp } from './support.js'

const day = { start: '2025-03-14T00:00:00Z', end: '2025-03-15T00:00:00Z' }
const week = { start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' }

const connected = (terraUserId: string, status: TerraConnection['status'] = 'connected') =>
  ({
    terraUserId,
    ...camille,
    resource: 'GARMIN',
    scopes: [],
    status,
    statusReason: undefined,
    connectedAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
  }) satisfies TerraConnection

describe('descriptor', () => {
  it('declares an API-key provider with the capabilities of spec §4.2', () => {
    expect(terraDescriptor).toMatchObject({
      name: 'terra',
      auth: { kind: 'api_key', headers: ['dev-id', 'x-api-key'] },
      apiBaseUrl: 'https://api.tryterra.co/v2',
      webhooks: { verification: 'hmac_sha256' },
    })
    expect([...terraDescriptor.capabilities].sort()).toEqual(
      [
        'activities',
        'apiKey',
        'daily',
        'health',
        'hrv',
        'recovery',
        'sleep',
        'streams',
        'webhooks',
      ].sort(),
    )
  })
})

describe('activities', () => {
  it('lists newest first across Terra’s windows, with DST-correct offsets', async () => {
    const { provider, fake } = await setUp()
    const all = await collect(provider.iterateActivities())
    expect(all).toHaveLength(24)
    expect(
      all.slice(0, 4).map((activity) => [activity.start_date, activity.utc_offset_seconds]),
    ).toEqual([
      ['2025-03-14T11:02:13Z', -14_400],
      ['2025-03-12T11:02:13Z', -14_400],
      ['2025-03-10T11:02:13Z', -14_400],
      // 07:02 local before the 2025-03-09 change to daylight time is 12:02 UTC.
      ['2025-03-08T12:02:13Z', -18_000],
    ])
    // 365 days of history in windows of 28 days, each request with samples left out.
    const requests = fake.requestsTo('/v2/activity')
    expect(requests).toHaveLength(14)
    expect(requests[0]?.query.get('with_samples')).toBe('false')
    expect(requests[0]?.query.get('to_webhook')).toBe('false')
    expect(requests[0]?.headers).toMatchObject({ 'dev-id': fake.devId, 'x-api-key': fake.apiKey })
  })

  it('honours after (inclusive), before (exclusive), offset and limit', async () => {
    const { provider } = await setUp()
    const after = Date.parse('2025-03-08T12:02:13Z') / 1000
    const before = Date.parse('2025-03-14T11:02:13Z') / 1000
    const between = await provider.getActivities({ after, before })
    expect(between.map((activity) => activity.start_date)).toEqual([
      '2025-03-12T11:02:13Z',
      '2025-03-10T11:02:13Z',
      '2025-03-08T12:02:13Z',
    ])
    const page = await provider.getActivities({ offset: 1, limit: 2 })
    expect(page.map((activity) => activity.id)).toEqual(['17882213507', '17882212507'])
  })

  it('gets an activity it has listed with one request for its day', async () => {
    const { provider, fake } = await setUp()
    await provider.getActivities({ limit: 3 })
    const before = fake.requestsTo('/v2/activity').length
    const activity = await provider.getActivity('17882212507', { details: true })
    expect(activity).toMatchObject({ id: '17882212507', start_date: '2025-03-10T11:02:13Z' })
    expect(activity.laps).toHaveLength(3)
    expect(fake.requestsTo('/v2/activity')).toHaveLength(before + 1)
  })

  it('scans the history for an activity it has not seen, and answers not_found after it', async () => {
    const { provider, fake } = await setUp()
    expect((await provider.getActivity('17882191507')).start_date).toBe('2025-01-27T12:02:13Z')
    const error = await provider.getActivity('1').catch((reason: unknown) => reason)
    expect(hasProviderErrorCode(error, 'not_found')).toBe(true)
    expect(error).toMatchObject({ details: { resource_type: 'activity', resource_id: '1' } })
    expect(fake.requestsTo('/v2/activity').length).toBeGreaterThan(14)
  })

  it('fetches streams with samples for the activity’s day and keeps the asked series', async () => {
    const { provider, fake } = await setUp()
    const streams = await provider.getActivityStreams('17882214507', {
      keys: ['heartrate', 'cadence'],
    })
    expect(streams).toMatchObject({
      activity_id: '17882214507',
      time: [0, 1, 2, 3, 4, 5],
      heartrate: [96, 98, 100, 100, 102, 104],
      cadence: [0, 170, 168, 170, 172, 168],
    })
    expect(streams.latlng).toBeUndefined()
    expect(fake.requestsTo('/v2/activity').at(-1)?.query.get('with_samples')).toBe('true')
  })
})

describe('health data over ranges', () => {
  it('selects nights by the day one wakes up, newest first', async () => {
    const { provider } = await setUp()
    const nights = await provider.getSleepSessions(week)
    expect(nights.map((night) => night.date_of_sleep)).toEqual([
      '2025-03-14',
      '2025-03-13',
      '2025-03-12',
      '2025-03-11',
      '2025-03-10',
      '2025-03-09',
      '2025-03-08',
    ])
    // The night from 22:51 on the 13th ends at 09:37 UTC on the 14th: not in the 13th.
    const thirteenth = await provider.getSleepSessions({
      start: '2025-03-13T00:00:00Z',
      end: '2025-03-14T00:00:00Z',
    })
    expect(thirteenth.map((night) => night.end_time)).toEqual(['2025-03-13T09:37:30Z'])
  })

  it('returns one daily summary, recovery entry and HRV per date', async () => {
    const { provider } = await setUp()
    const summaries = await provider.getDailySummaries(week)
    expect(summaries.map((summary) => summary.calendar_date)).toEqual([
      '2025-03-14',
      '2025-03-13',
      '2025-03-12',
      '2025-03-11',
      '2025-03-10',
      '2025-03-09',
      '2025-03-08',
    ])
    expect(
      (await provider.getRecoveryMetrics(day)).map((entry) => entry.resting_heart_rate),
    ).toEqual([54])
    expect(
      (await provider.getHrv(day)).map((entry) => [entry.calendar_date, entry.rmssd_ms]),
    ).toEqual([['2025-03-14', 44]])
  })

  it('returns body metrics of the range', async () => {
    const { provider } = await setUp()
    const metrics = await provider.getHealthMetrics(week)
    expect(metrics).toHaveLength(6) // the body data ends on the 13th
    expect(metrics[0]).toMatchObject({ calendar_date: '2025-03-13', weight: 58.4 })
  })

  it('finds the latest night of the last 7 days', async () => {
    const { provider } = await setUp()
    expect((await provider.getLatestSleepSession()).end_time).toBe('2025-03-14T09:37:30Z')
  })

  it('splits a long range into windows of 28 days', async () => {
    const { provider, fake } = await setUp()
    await provider.getDailySummaries({ start: '2025-01-01T00:00:00Z', end: '2025-03-15T00:00:00Z' })
    expect(
      fake
        .requestsTo('/v2/daily')
        .map((request) => [request.query.get('start_date'), request.query.get('end_date')]),
    ).toEqual([
      ['2025-02-13', '2025-03-16'],
      ['2025-01-16', '2025-02-16'],
      ['2024-12-30', '2025-01-19'],
    ])
  })
})

describe('store-backed reads (spec §6.6)', () => {
  it('answers a window from the webhook deliveries without asking Terra', async () => {
    const { fake, client, clock, store, connections } = await setUp()
    const handle = createTerraWebhookHandler({
      signingSecret: 'secret',
      dataStore: store,
      connections,
      now: clock.now,
    })
    const delivery = createSignedTerraDelivery(fixture('webhook_sleep.json'), {
      secret: 'secret',
      timestampSeconds: clock.seconds(),
    })
    expect((await handle(delivery.body, delivery.headers)).status).toBe(200)
    const provider = createTerraProvider({
      client,
      user: camille,
      terraUserIds: [fake.terraUserId],
      dataStore: store,
      now: clock.now,
    })
    expect((await provider.getSleepSessions(day)).map((night) => night.id)).toEqual([
      'xd3315b1-67d39994-5f46',
    ])
    expect((await provider.getHrv(day)).map((entry) => entry.rmssd_ms)).toEqual([44])
    expect(fake.requestsTo('/v2/sleep')).toHaveLength(0)
  })

  it('falls back to Terra for a window the store lacks, then keeps the answer', async () => {
    const { fake, provider, store } = await setUp({ withStore: true })
    const first = await provider.getDailySummaries(week)
    const second = await provider.getDailySummaries(week)
    expect(second).toEqual(first)
    expect(fake.requestsTo('/v2/daily')).toHaveLength(1)
    // Recovery comes from the same daily objects: stored with them.
    expect(await provider.getRecoveryMetrics(week)).toHaveLength(7)
    expect(fake.requestsTo('/v2/daily')).toHaveLength(1)
    expect(await store.query('daily', { provider: 'terra', ...camille })).toHaveLength(7)
  })

  it('keeps listed activities and fetched streams', async () => {
    const { fake, provider } = await setUp({ withStore: true })
    await provider.getActivities({ limit: 5 })
    const listed = fake.requestsTo('/v2/activity').length
    await provider.getActivities({ limit: 5 })
    expect(fake.requestsTo('/v2/activity')).toHaveLength(listed)
    await provider.getActivityStreams('17882214507')
    await provider.getActivityStreams('17882214507')
    expect(fake.requestsTo('/v2/activity')).toHaveLength(listed + 1)
  })
})

describe('who is read', () => {
  it('reads every connected Terra user of the person, and skips those needing reauth', async () => {
    const { fake, client, clock, connections } = await setUp()
    const session = await client.generateWidgetSession({ referenceId: fake.referenceId })
    const oura = await fake.completeWidgetSession(session.sessionId, 'OURA')
    const revoked = 'revoked-0000-4000-8000-000000000000'
    await connections.put(connected(fake.terraUserId))
    await connections.put(connected(oura))
    await connections.put(connected(revoked, 'needs_reauth'))
    const provider = createTerraProvider({ client, user: camille, connections, now: clock.now })
    const nights = await provider.getSleepSessions(day)
    expect(nights.map((night) => night.id).sort()).toEqual([
      'xd3315b1-67d39994-5f46',
      'xd3315b1-67d39994-5f46-u1',
    ])
    expect(fake.requestsTo('/v2/sleep').map((request) => request.query.get('user_id'))).toEqual([
      fake.terraUserId,
      oura,
    ])
  })

  it('says not_connected without a connected Terra user, before any request', async () => {
    const { fake, client, clock } = await setUp()
    const provider = createTerraProvider({
      client,
      user: camille,
      connections: createMemoryTerraConnectionStore(),
      now: clock.now,
    })
    for (const call of [
      () => provider.getSleepSessions(day),
      () => provider.getActivities(),
      () => provider.getActivity('17882214507'),
    ]) {
      expect(await call().catch((error: unknown) => error)).toMatchObject({ code: 'not_connected' })
    }
    expect(fake.upstream.requests).toHaveLength(0)
  })

  it('refuses what Terra does not offer, without a request', async () => {
    const { fake, provider } = await setUp()
    expect(await provider.getAthlete().catch((error: unknown) => error)).toMatchObject({
      code: 'unsupported_feature',
    })
    expect(await provider.getStats().catch((error: unknown) => error)).toMatchObject({
      code: 'unsupported_feature',
    })
    expect(fake.upstream.requests).toHaveLength(0)
  })

  it('creates providers per person from the registry bundle', async () => {
    const { fake, client, clock } = await setUp()
    const connections = createMemoryTerraConnectionStore([connected(fake.terraUserId)])
    const registry = createProviderRegistry([
      createTerraBundle({ client, connections, dataStore: createMemoryDataStore() }),
    ])
    const provider: FitnessProvider = registry.create('Terra', { ...camille, now: clock.now })
    expect(await provider.getDailySummaries(day)).toHaveLength(1)
    const stranger = registry.create('terra', { tenantId: camille.tenantId, userId: 'nobody' })
    expect(await stranger.getDailySummaries(day).catch((error: unknown) => error)).toMatchObject({
      code: 'not_connected',
    })
  })

  it('stops when the signal aborts', async () => {
    const { provider } = await setUp()
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(provider.getSleepSessions(week, { signal: controller.signal })).rejects.toThrow(
      'stop',
    )
  })
})
