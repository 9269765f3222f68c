import { readFileSync } from 'node:fs'
import type { DataOwner } from '@pierre/providers-core'
import { buildCacheKey, createMemoryCache } from '@pierre/providers-core'
import { describe, expect, it, vi } from 'vitest'
import { camille, pushEverything, setUp, week } from './support.js'

const owner: DataOwner = { provider: 'garmin', ...camille }
const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')

async function counts(store: Awaited<ReturnType<typeof setUp>>['store']) {
  const kinds = ['activity', 'streams', 'sleep', 'daily', 'recovery', 'hrv', 'health'] as const
  const result: Record<string, number> = {}
  for (const kind of kinds) result[kind] = (await store.query(kind, owner)).length
  return result
}

describe('push deliveries', () => {
  it('answers 200 at once and stores every summary type, normalized and keyed by summary id', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    expect(await counts(setup.store)).toEqual({
      activity: 5,
      streams: 1,
      sleep: 7,
      daily: 7,
      recovery: 7,
      hrv: 7,
      health: 7,
    })
    const run = await setup.store.get('activity', owner, '17882214507')
    expect(run?.payload).toMatchObject({
      provider: 'garmin',
      sport_type: 'run',
      streams_available: true,
    })
  })

  it('is idempotent: the same delivery twice leaves the same records', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    const before = await counts(setup.store)
    const sleepsBefore = await setup.store.query('sleep', owner)
    await pushEverything(setup)
    expect(await counts(setup.store)).toEqual(before)
    expect(await setup.store.query('sleep', owner)).toEqual(sleepsBefore)
  })

  it('keeps laps and streams when a summary push follows the details push', async () => {
    const setup = await setUp()
    await setup.fake.push(setup.receiver, 'activityDetails')
    await setup.fake.push(setup.receiver, 'activities')
    await setup.receiver.drain()
    const activity = await setup.provider.getActivity('17882214507', { details: true })
    expect(activity.streams_available).toBe(true)
    expect(activity.laps).toHaveLength(9)
  })

  it('refuses malformed JSON with 400 and stores nothing', async () => {
    const onIngested = vi.fn()
    const setup = await setUp({ receiver: { receiverHooks: { onIngested } } })
    for (const body of ['{"activities": [', '[]', '"sleeps"', '{"sleeps": {"userId": "x"}}']) {
      const answer = await setup.fake.deliver(setup.receiver, body)
      expect(answer.status, body).toBe(400)
      expect(answer.body).toMatchObject({ error: 'invalid_request' })
    }
    await setup.receiver.drain()
    expect(onIngested).not.toHaveBeenCalled()
    expect(Object.values(await counts(setup.store)).every((count) => count === 0)).toBe(true)
  })

  it('refuses a wrong or missing garmin-client-id with 401 and a huge body with 413', async () => {
    const setup = await setUp({ receiver: { maxBodyBytes: 2000 } })
    const wrong = await setup.fake.deliver(setup.receiver, fixture('push_hrv.json'), {
      headers: { 'garmin-client-id': 'someone-else' },
    })
    expect(wrong).toEqual({ status: 401, body: { error: 'unauthorized' } })
    expect(
      await setup.receiver.handle({ body: '{}', headers: { 'content-type': 'application/json' } }),
    ).toMatchObject({ status: 401 })
    expect((await setup.fake.deliver(setup.receiver, fixture('push_sleeps.json'))).status).toBe(413)
    await setup.receiver.drain()
    expect(await setup.store.query('hrv', owner)).toEqual([])
    expect(setup.receiver.verify(new Headers({ 'Garmin-Client-Id': setup.fake.clientId }))).toBe(
      true,
    )
    expect(setup.receiver.verify({ 'GARMIN-CLIENT-ID': [setup.fake.clientId] })).toBe(true)
  })

  it('skips unknown users, unsupported types and invalid items, and uses the rest', async () => {
    const setup = await setUp()
    const [valid] = setup.fake.summaries.sleeps
    const answer = await setup.fake.deliver(setup.receiver, {
      sleeps: [valid, { ...valid, userId: 'stranger', summaryId: 'other' }, { userId: 'x' }],
      epochs: [{ userId: setup.fake.userId, summaryId: 'e1' }],
      somethingNew: [{}],
    })
    expect(answer).toEqual({ status: 200, body: { accepted: 2, skipped: 3 } })
    const report = await setup.receiver.ingest(
      setup.receiver.parse(JSON.stringify({ sleeps: [{ ...valid, userId: 'stranger' }] })).events,
    )
    expect(report.unknownUsers).toEqual(['stranger'])
    await setup.receiver.drain()
    expect(await setup.store.query('sleep', owner)).toHaveLength(1)
  })

  it('invalidates cached reads of what changed', async () => {
    const cache = createMemoryCache()
    const setup = await setUp({ receiver: { cache } })
    const sleepKey = buildCacheKey({ ...owner, resource: 'sleep', params: week })
    const activityKey = buildCacheKey({ ...owner, resource: 'activity', id: '17882214507' })
    const otherKey = buildCacheKey({ ...owner, resource: 'daily', params: week })
    for (const key of [sleepKey, activityKey, otherKey]) await cache.set(key, 'cached', 600)
    await setup.fake.push(setup.receiver, 'sleeps')
    await setup.fake.push(setup.receiver, 'activities')
    await setup.receiver.drain()
    expect(await cache.get(sleepKey)).toBeUndefined()
    expect(await cache.get(activityKey)).toBeUndefined()
    expect(await cache.get(otherKey)).toBe('cached')
  })
})

describe('deregistration and permission changes', () => {
  it('marks the connection needs_reauth on a deregistration and keeps the data by default', async () => {
    const setup = await setUp()
    await setup.fake.push(setup.receiver, 'sleeps')
    await setup.fake.deliver(setup.receiver, fixture('push_deregistrations.json'))
    await setup.receiver.drain()
    const stored = await setup.oauth.getConnection(camille)
    expect(stored).toMatchObject({ status: 'needs_reauth', statusReason: 'deregistered' })
    expect(await setup.store.query('sleep', owner)).toHaveLength(7)
    await expect(setup.provider.fetchPermissions()).rejects.toMatchObject({
      code: 'reauth_required',
    })
  })

  it('removes the connection and the user’s data with deregistration: remove', async () => {
    const setup = await setUp({ receiver: { deregistration: 'remove' } })
    await pushEverything(setup)
    const report = await setup.receiver.ingest(
      setup.receiver.parse(fixture('push_deregistrations.json')).events,
    )
    expect(report).toMatchObject({ connectionsChanged: 1, deleted: 41, failures: [] })
    expect(await setup.oauth.getConnection(camille)).toBeUndefined()
    expect(Object.values(await counts(setup.store)).every((count) => count === 0)).toBe(true)
  })

  it('records a permission change: insufficient_scope while a required permission is missing', async () => {
    const onPermissionsChange = vi.fn()
    const setup = await setUp({ receiver: { receiverHooks: { onPermissionsChange } } })
    // The fixture drops HISTORICAL_DATA_EXPORT only: still connected.
    await setup.receiver.ingest(
      setup.receiver.parse(fixture('push_user_permissions_change.json')).events,
    )
    expect((await setup.tokenStore.get({ ...owner }))?.status).toBe('connected')
    const dropHealth = {
      userPermissionsChange: [{ userId: setup.fake.userId, permissions: ['ACTIVITY_EXPORT'] }],
    }
    const report = await setup.receiver.ingest(
      setup.receiver.parse(JSON.stringify(dropHealth)).events,
    )
    expect(report.connectionsChanged).toBe(1)
    expect(await setup.tokenStore.get({ ...owner })).toMatchObject({
      status: 'insufficient_scope',
      statusReason: 'missing_permissions:HEALTH_EXPORT',
    })
    expect(onPermissionsChange).toHaveBeenLastCalledWith({
      user: camille,
      providerUserId: setup.fake.userId,
      permissions: ['ACTIVITY_EXPORT'],
      missing: ['HEALTH_EXPORT'],
    })
    await setup.receiver.ingest(
      setup.receiver.parse(fixture('push_user_permissions_change.json')).events,
    )
    expect(await setup.tokenStore.get({ ...owner })).toMatchObject({
      status: 'connected',
      statusReason: undefined,
    })
  })
})
