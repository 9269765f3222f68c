import type { DataKind, DataOwner, ProviderDataStore } from '@pierre/providers-core'
import {
  buildCacheKey,
  createMemoryCache,
  createMemoryDataStore,
  isProviderError,
} from '@pierre/providers-core'
import { describe, expect, it, vi } from 'vitest'
import type { TerraConnection, TerraWebhookHandlerOptions } from '../src/index.js'
import {
  createMemoryTerraConnectionStore,
  createTerraWebhookHandler,
  signTerraPayload,
} from '../src/index.js'
import { createSignedTerraDelivery } from '../src/testing/index.js'
import { camille, createClock, fixture } from './support.js'

const secret = 'whsec-terra-test'
const terraUserId = '471b7bd8-5d0f-484f-b7e0-0c0e2c3726e5'
const owner: DataOwner = { provider: 'terra', ...camille }
const kinds: DataKind[] = ['activity', 'streams', 'sleep', 'recovery', 'health', 'hrv', 'daily']

function setUp(options: Partial<TerraWebhookHandlerOptions> = {}) {
  const clock = createClock('2025-03-14T12:00:00Z')
  const dataStore = createMemoryDataStore()
  const connections = createMemoryTerraConnectionStore()
  const handle = createTerraWebhookHandler({
    signingSecret: secret,
    dataStore,
    connections,
    now: clock.now,
    ...options,
  })
  const sign = (payload: unknown, timestampSeconds = clock.seconds()) =>
    createSignedTerraDelivery(payload, { secret, timestampSeconds })
  const deliver = (payload: unknown, timestampSeconds?: number) => {
    const delivery = sign(payload, timestampSeconds)
    return handle(delivery.body, delivery.headers)
  }
  return { clock, dataStore, connections, handle, sign, deliver }
}

async function countAll(store: ProviderDataStore, who: DataOwner = owner): Promise<number> {
  let count = 0
  for (const kind of kinds) count += (await store.query(kind, who)).length
  return count
}

const connectionOf = (
  id: string,
  who: { tenantId: string; userId: string } = camille,
): TerraConnection => ({
  terraUserId: id,
  ...who,
  resource: 'GARMIN',
  scopes: ['ACTIVITY_EXPORT'],
  status: 'connected',
  statusReason: undefined,
  connectedAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-01T00:00:00.000Z',
})

describe('accepting deliveries', () => {
  it('stores a signed activity delivery: the activity and its streams, keyed by Terra user', async () => {
    const { deliver, dataStore } = setUp()
    const answer = await deliver(fixture('webhook_activity.json'))
    expect(answer).toEqual({ status: 200, body: { status: 'ok', type: 'activity', stored: 2 } })
    const [stored] = await dataStore.query('activity', owner)
    expect(stored).toMatchObject({
      id: `${terraUserId}:17882214507`,
      start: '2025-03-14T11:02:13.000Z',
      payload: { id: '17882214507', provider: 'terra', sport_type: 'run', average_cadence: 173 },
    })
    const streams = await dataStore.get('streams', owner, `${terraUserId}:17882214507`)
    expect(streams?.payload).toMatchObject({ activity_id: '17882214507', time: [0, 1, 2, 3, 4, 5] })
  })

  it('stores a sleep delivery with the night’s HRV', async () => {
    const { deliver, dataStore } = setUp()
    expect((await deliver(fixture('webhook_sleep.json'))).status).toBe(200)
    expect((await dataStore.query('sleep', owner)).map((record) => record.id)).toEqual([
      `${terraUserId}:xd3315b1-67d39994-5f46`,
    ])
    expect((await dataStore.query('hrv', owner))[0]).toMatchObject({
      date: '2025-03-14',
      payload: { rmssd_ms: 44, window: 'sleep' },
    })
  })

  it('stores daily (with recovery) and body deliveries by calendar date', async () => {
    const { deliver, dataStore } = setUp()
    const user = fixture('daily_get.json').user
    await deliver({ type: 'daily', user, data: fixture('daily_get.json').data })
    await deliver({ type: 'body', user, data: fixture('body_get.json').data })
    expect(await dataStore.get('daily', owner, `${terraUserId}:2025-03-14`)).toMatchObject({
      date: '2025-03-14',
      payload: { steps: 17_241 },
    })
    expect(await dataStore.get('recovery', owner, `${terraUserId}:2025-03-14`)).toMatchObject({
      payload: { resting_heart_rate: 54 },
    })
    expect(await dataStore.get('health', owner, `${terraUserId}:2025-03-13`)).toMatchObject({
      payload: { weight: 58.4, muscle_mass: 42.811 },
    })
  })

  it('is idempotent: Terra re-sending the same data (signed anew) leaves one record', async () => {
    const { deliver, dataStore, clock } = setUp()
    const payload = fixture('webhook_activity.json')
    expect((await deliver(payload)).status).toBe(200)
    clock.advance(90_000)
    expect((await deliver(payload)).status).toBe(200)
    expect(await dataStore.query('activity', owner)).toHaveLength(1)
    expect(await dataStore.query('streams', owner)).toHaveLength(1)
  })

  it('finds the owner through the connection before the reference id', async () => {
    const { deliver, dataStore, connections } = setUp()
    const alex = { tenantId: 'tenant-b', userId: 'alex' }
    await connections.put(connectionOf(terraUserId, alex))
    await deliver(fixture('webhook_sleep.json'))
    expect(await dataStore.query('sleep', { provider: 'terra', ...alex })).toHaveLength(1)
    expect(await countAll(dataStore)).toBe(0)
  })

  it('acknowledges data for a user nobody connected without storing it', async () => {
    const { deliver, dataStore } = setUp()
    const payload = fixture('webhook_sleep.json')
    const user = { ...(payload.user as object), reference_id: 'someone-else' }
    const answer = await deliver({ ...payload, user })
    expect(answer).toEqual({
      status: 200,
      body: { status: 'ignored', type: 'sleep', reason: 'unknown_user' },
    })
    expect(await countAll(dataStore)).toBe(0)
  })

  it('with requireConnection, stores data only for a connected Terra user', async () => {
    const { deliver, dataStore, clock } = setUp({ requireConnection: true })
    const payload = fixture('webhook_sleep.json')
    expect(await deliver(payload)).toEqual({
      status: 200,
      body: { status: 'ignored', type: 'sleep', reason: 'unknown_user' },
    })
    expect(await countAll(dataStore)).toBe(0)
    expect((await deliver(fixture('webhook_auth.json'))).status).toBe(200)
    clock.advance(1000)
    expect((await deliver(payload)).status).toBe(200)
    expect(await dataStore.query('sleep', owner)).toHaveLength(1)
    // After the deauthorization, a late delivery carrying our reference id brings nothing back.
    expect((await deliver(fixture('webhook_deauth.json'))).status).toBe(200)
    expect(await countAll(dataStore)).toBe(0)
    clock.advance(1000)
    expect((await deliver(payload)).body).toMatchObject({ status: 'ignored' })
    expect(await countAll(dataStore)).toBe(0)
  })

  it('acknowledges healthchecks, processing notices and unknown types', async () => {
    const { deliver } = setUp()
    for (const payload of [
      fixture('webhook_healthcheck.json'),
      { type: 'large_request_processing', user: fixture('webhook_auth.json').user },
      { type: 'nutrition', user: fixture('webhook_auth.json').user, data: [] },
      { type: 'something_new' },
    ]) {
      expect((await deliver(payload)).status).toBe(200)
    }
  })

  it('reads the header from fetch Headers and from Node header records, any case', async () => {
    const { handle, sign, dataStore } = setUp()
    const first = sign(fixture('webhook_sleep.json'))
    expect((await handle(first.body, new Headers(first.headers))).status).toBe(200)
    const second = sign(fixture('webhook_activity.json'))
    const nodeStyle = {
      'Terra-Signature': [second.headers['terra-signature'] as string],
      'content-type': 'application/json',
    }
    expect((await handle(new TextEncoder().encode(second.body), nodeStyle)).status).toBe(200)
    expect(await countAll(dataStore)).toBe(4)
  })
})

describe('refusing deliveries (nothing is stored)', () => {
  it('refuses a forged signature with 401', async () => {
    const { handle, dataStore, clock } = setUp()
    const body = JSON.stringify(fixture('webhook_activity.json'))
    const forged = signTerraPayload(body, 'not-the-secret', clock.seconds())
    const answer = await handle(body, { 'terra-signature': forged })
    expect(answer).toEqual({
      status: 401,
      body: { error: 'invalid_signature', reason: 'signature_mismatch' },
    })
    expect(await countAll(dataStore)).toBe(0)
  })

  it('refuses a tampered body with 401', async () => {
    const { handle, sign, dataStore } = setUp()
    const delivery = sign(fixture('webhook_activity.json'))
    const tampered = delivery.body.replace('"distance_meters":8012.4', '"distance_meters":80124')
    expect(tampered).not.toBe(delivery.body)
    const answer = await handle(tampered, delivery.headers)
    expect(answer.status).toBe(401)
    expect(await countAll(dataStore)).toBe(0)
  })

  it('refuses an authentic delivery signed more than 5 minutes ago (or ahead)', async () => {
    const { deliver, dataStore, clock } = setUp()
    const payload = fixture('webhook_activity.json')
    expect(await deliver(payload, clock.seconds() - 301)).toEqual({
      status: 401,
      body: { error: 'invalid_signature', reason: 'timestamp_out_of_window' },
    })
    expect((await deliver(payload, clock.seconds() + 301)).status).toBe(401)
    expect(await countAll(dataStore)).toBe(0)
  })

  it('refuses a replayed delivery with 409, even after its data was removed', async () => {
    const { handle, sign, dataStore, clock } = setUp()
    const delivery = sign(fixture('webhook_activity.json'))
    expect((await handle(delivery.body, delivery.headers)).status).toBe(200)
    await dataStore.clear(owner)
    clock.advance(60_000)
    expect(await handle(delivery.body, delivery.headers)).toEqual({
      status: 409,
      body: { error: 'replayed_delivery' },
    })
    expect(await countAll(dataStore)).toBe(0)
    // Once outside the window the same bytes are refused by the timestamp check.
    clock.advance(300_000)
    expect((await handle(delivery.body, delivery.headers)).status).toBe(401)
  })

  it('refuses a replayed deauthorization: the reconnected user stays connected', async () => {
    const { handle, sign, deliver, connections, clock } = setUp()
    const deauth = sign(fixture('webhook_deauth.json'))
    await deliver(fixture('webhook_auth.json'))
    expect((await handle(deauth.body, deauth.headers)).status).toBe(200)
    clock.advance(30_000)
    expect((await deliver(fixture('webhook_auth.json'))).status).toBe(200)
    expect((await handle(deauth.body, deauth.headers)).status).toBe(409)
    expect((await connections.get(terraUserId))?.status).toBe('connected')
  })

  it('refuses a missing or malformed signature header with 401', async () => {
    const { handle, dataStore } = setUp()
    const body = JSON.stringify(fixture('webhook_activity.json'))
    expect((await handle(body, {})).body).toEqual({
      error: 'invalid_signature',
      reason: 'missing_signature',
    })
    expect((await handle(body, { 'terra-signature': 'v1=abc' })).body).toEqual({
      error: 'invalid_signature',
      reason: 'malformed_signature',
    })
    expect(await countAll(dataStore)).toBe(0)
  })

  it('refuses signed malformed JSON with 400', async () => {
    const { deliver, dataStore } = setUp()
    const truncated = JSON.stringify(fixture('webhook_activity.json')).slice(0, 500)
    expect(await deliver(truncated)).toEqual({ status: 400, body: { error: 'invalid_json' } })
    expect(await countAll(dataStore)).toBe(0)
  })

  it('refuses a payload that is not a Terra delivery, or an unusable data object, with 400', async () => {
    const { deliver, dataStore } = setUp()
    expect((await deliver([1, 2, 3])).status).toBe(400)
    expect((await deliver({ user: {} })).body).toMatchObject({ error: 'invalid_payload' })
    const payload = fixture('webhook_activity.json')
    const good = (payload.data as object[])[0] as Record<string, unknown>
    const broken = { ...good, metadata: { ...(good.metadata as object), end_time: 'later' } }
    const answer = await deliver({ ...payload, data: [good, broken] })
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'invalid_payload',
        issues: [{ path: 'data.1.metadata.end_time', message: 'expected an ISO-8601 timestamp' }],
      },
    })
    expect(await countAll(dataStore)).toBe(0)
  })

  it('refuses a body above maxBodyBytes with 413 before verifying it', async () => {
    const { deliver } = setUp({ maxBodyBytes: 1024 })
    expect((await deliver(fixture('webhook_activity.json'))).status).toBe(413)
  })

  it('rejects when the store fails, and lets Terra’s retry of the same delivery through', async () => {
    const dataStore = createMemoryDataStore()
    let failures = 1
    const flaky: ProviderDataStore = {
      ...dataStore,
      upsert: async (...args) => {
        if (failures > 0) {
          failures -= 1
          throw new Error('disk full')
        }
        return dataStore.upsert(...args)
      },
    }
    const { handle, sign } = setUp({ dataStore: flaky })
    const delivery = sign(fixture('webhook_sleep.json'))
    await expect(handle(delivery.body, delivery.headers)).rejects.toThrow('disk full')
    expect((await handle(delivery.body, delivery.headers)).status).toBe(200)
    expect(await dataStore.query('sleep', owner)).toHaveLength(1)
  })

  it('cannot be created without a signing secret', () => {
    const base = {
      dataStore: createMemoryDataStore(),
      connections: createMemoryTerraConnectionStore(),
    }
    for (const signingSecret of ['', [] as string[], ['ok', '']]) {
      const error = (() => {
        try {
          createTerraWebhookHandler({ ...base, signingSecret })
        } catch (caught) {
          return caught
        }
        return undefined
      })()
      expect(isProviderError(error) && error.code).toBe('not_configured')
    }
  })
})

describe('connection lifecycle', () => {
  it('records the connection on auth, from our reference id', async () => {
    const { deliver, connections, clock } = setUp()
    const answer = await deliver(fixture('webhook_auth.json'))
    expect(answer.body).toEqual({ status: 'ok', type: 'auth', connected: terraUserId })
    expect(await connections.get(terraUserId)).toEqual({
      terraUserId,
      ...camille,
      resource: 'GARMIN',
      scopes: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'],
      status: 'connected',
      statusReason: undefined,
      connectedAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
    })
  })

  it('ignores a failed authentication', async () => {
    const { deliver, connections } = setUp()
    const answer = await deliver({ ...fixture('webhook_auth.json'), status: 'error' })
    expect(answer.body).toMatchObject({ status: 'ignored', reason: 'authentication_failed' })
    expect(await connections.get(terraUserId)).toBeUndefined()
  })

  it('on deauth removes that Terra user and its data, and nothing of anyone else', async () => {
    const { deliver, dataStore, connections } = setUp()
    const ouraUser = 'a8b1c2d3-0000-4000-8000-000000000001'
    const alex = { tenantId: camille.tenantId, userId: 'alex' }
    const alexTerra = 'a8b1c2d3-0000-4000-8000-000000000002'
    await deliver(fixture('webhook_auth.json'))
    await connections.put(connectionOf(ouraUser))
    await connections.put(connectionOf(alexTerra, alex))
    const sleep = fixture('webhook_sleep.json')
    await deliver(sleep)
    await deliver({ ...sleep, user: { user_id: ouraUser, provider: 'OURA' } })
    await deliver({ ...sleep, user: { user_id: alexTerra, provider: 'GARMIN' } })
    await deliver(fixture('webhook_activity.json'))
    expect(await countAll(dataStore)).toBe(6) // 2 nights + 2 HRV, activity + streams

    const answer = await deliver(fixture('webhook_deauth.json'))
    expect(answer.body).toEqual({ status: 'ok', type: 'deauth', disconnected: true, removed: 4 })
    expect(await connections.get(terraUserId)).toBeUndefined()
    expect((await dataStore.query('sleep', owner)).map((record) => record.id)).toEqual([
      `${ouraUser}:xd3315b1-67d39994-5f46`,
    ])
    expect(await connections.get(ouraUser)).toBeDefined()
    expect(await countAll(dataStore, { provider: 'terra', ...alex })).toBe(2)
    expect(await connections.get(alexTerra)).toBeDefined()
  })

  it('marks the connection needs_reauth on access_revoked and connection_error', async () => {
    for (const type of ['access_revoked', 'connection_error']) {
      const { deliver, connections } = setUp()
      await deliver(fixture('webhook_auth.json'))
      const user = fixture('webhook_auth.json').user
      expect((await deliver({ type, user, status: 'warning' })).body).toMatchObject({
        needs_reauth: terraUserId,
      })
      expect(await connections.get(terraUserId)).toMatchObject({
        status: 'needs_reauth',
        statusReason: type,
      })
    }
  })

  it('moves the connection to the new Terra user on user_reauth', async () => {
    const { deliver, connections } = setUp()
    await deliver(fixture('webhook_auth.json'))
    const oldUser = fixture('webhook_auth.json').user as Record<string, unknown>
    const newUser = { ...oldUser, user_id: 'c0ffee00-0000-4000-8000-000000000003' }
    await deliver({ type: 'user_reauth', old_user: oldUser, new_user: newUser, status: 'success' })
    expect(await connections.get(terraUserId)).toBeUndefined()
    expect(await connections.get(newUser.user_id)).toMatchObject({
      ...camille,
      status: 'connected',
      connectedAt: '2025-03-14T12:00:00.000Z',
    })
  })

  it('updates the scopes on permission_change, keeping the status', async () => {
    const { deliver, connections } = setUp()
    await deliver(fixture('webhook_auth.json'))
    const user = { ...(fixture('webhook_auth.json').user as object), scopes: 'ACTIVITY_EXPORT' }
    await deliver({ type: 'permission_change', user, status: 'success' })
    expect(await connections.get(terraUserId)).toMatchObject({
      scopes: ['ACTIVITY_EXPORT'],
      status: 'connected',
    })
  })

  it('ignores lifecycle events of Terra users it does not know', async () => {
    const { deliver, connections } = setUp()
    const stranger = { user_id: 'dead0000-0000-4000-8000-000000000004', reference_id: 'other' }
    for (const type of ['deauth', 'access_revoked', 'permission_change', 'auth']) {
      expect((await deliver({ type, user: stranger, status: 'success' })).body).toMatchObject({
        status: 'ignored',
      })
    }
    expect(await connections.get(stranger.user_id)).toBeUndefined()
  })
})

describe('after a delivery', () => {
  it('invalidates the cached values it changed and reports the event', async () => {
    const cache = createMemoryCache()
    const onEvent = vi.fn()
    const { deliver } = setUp({ cache, onEvent })
    const key = (resource: 'activity' | 'activity_list' | 'sleep', id?: string) =>
      buildCacheKey({
        ...camille,
        provider: 'terra',
        resource,
        ...(id === undefined ? {} : { id }),
      })
    await cache.set(key('activity', '17882214507'), { stale: true }, 3600)
    await cache.set(key('activity_list'), [], 3600)
    await cache.set(key('sleep'), [], 3600)
    await deliver(fixture('webhook_activity.json'))
    expect(await cache.get(key('activity', '17882214507'))).toBeUndefined()
    expect(await cache.get(key('activity_list'))).toBeUndefined()
    expect(await cache.get(key('sleep'))).toEqual([])
    await deliver(fixture('webhook_sleep.json'))
    expect(await cache.get(key('sleep'))).toBeUndefined()
    expect(onEvent).toHaveBeenCalledTimes(2)
    expect(onEvent.mock.calls[0]?.[0]).toMatchObject({
      type: 'activity',
      owner,
      event: { kind: 'upsert', resource: 'activity', providerUserId: terraUserId },
    })
  })

  it('reports a deauthorization and clears the user’s cache', async () => {
    const cache = createMemoryCache()
    const onEvent = vi.fn()
    const { deliver } = setUp({ cache, onEvent })
    await deliver(fixture('webhook_auth.json'))
    const key = buildCacheKey({ ...camille, provider: 'terra', resource: 'daily' })
    await cache.set(key, [], 3600)
    await deliver(fixture('webhook_deauth.json'))
    expect(await cache.get(key)).toBeUndefined()
    expect(onEvent.mock.calls.at(-1)?.[0]).toMatchObject({
      event: { kind: 'deauthorized', resource: 'user', providerUserId: terraUserId },
    })
  })
})
