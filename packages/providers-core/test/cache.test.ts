import { describe, expect, it, vi } from 'vitest'
import type { Activity, ProviderCache, ProviderDescriptor } from '../src/index.js'
import {
  buildCacheKey,
  createCachingProvider,
  createMemoryCache,
  createProvider,
  invalidateProviderCache,
} from '../src/index.js'
import { createTestClock } from './support/demo.js'

const descriptor: ProviderDescriptor = {
  name: 'demo',
  displayName: 'Demo',
  capabilities: ['activities', 'athlete', 'streams', 'sleep'],
  auth: { kind: 'none' },
  defaultScopes: [],
}

const run: Activity = {
  id: '1',
  provider: 'demo',
  name: 'Run',
  sport_type: 'run',
  start_date: '2025-03-14T11:02:13Z',
  duration_seconds: 2745,
}

function setUp() {
  const clock = createTestClock('2025-03-14T12:00:00Z')
  const cache = createMemoryCache({ now: clock })
  const adapter = {
    getActivities: vi.fn(async () => [run]),
    getActivity: vi.fn(async () => run),
    getAthlete: vi.fn(async () => ({ id: '7', username: '', provider: 'demo' })),
    getSleepSessions: vi.fn(async () => []),
    getActivityStreams: vi.fn(async (id: string) => ({
      activity_id: id,
      provider: 'demo',
      start_date: run.start_date,
      sample_rate: 'irregular' as const,
      original_size: 1,
      time: [0],
    })),
  }
  const provider = createCachingProvider(createProvider(descriptor, adapter), {
    cache,
    tenantId: 'tenant-a',
    userId: 'camille',
    now: clock,
  })
  return { clock, adapter, provider, cache }
}

describe('cache keys', () => {
  const base = {
    tenantId: 't',
    userId: 'u',
    provider: 'strava',
    resource: 'activity_list' as const,
  }

  it('include every parameter, whatever their order', () => {
    const key = buildCacheKey({ ...base, params: { limit: 30, offset: 0, after: 1, before: 2 } })
    expect(buildCacheKey({ ...base, params: { before: 2, after: 1, offset: 0, limit: 30 } })).toBe(
      key,
    )
    for (const changed of [
      { limit: 31, offset: 0, after: 1, before: 2 },
      { limit: 30, offset: 30, after: 1, before: 2 },
      { limit: 30, offset: 0, after: 0, before: 2 },
      { limit: 30, offset: 0, after: 1, before: 3 },
      { limit: 30, offset: 0, after: 1, before: 2, sport_types: ['run'] },
      { limit: 30, offset: 0, after: 1 },
    ]) {
      expect(buildCacheKey({ ...base, params: changed })).not.toBe(key)
    }
  })

  it('separate tenants, users, providers and resources, even with colons in ids', () => {
    expect(buildCacheKey(base)).toBe('tenant:t:user:u:provider:strava:activity_list:-:{}')
    expect(buildCacheKey({ ...base, tenantId: 't:user:x' })).not.toBe(
      buildCacheKey({ ...base, tenantId: 't', userId: 'x:user:u' }),
    )
    expect(buildCacheKey({ ...base, userId: 'v' })).not.toBe(buildCacheKey(base))
    expect(buildCacheKey({ ...base, provider: 'fitbit' })).not.toBe(buildCacheKey(base))
  })
})

describe('caching provider', () => {
  it('answers a repeated call from the cache and a different query from the provider', async () => {
    const { adapter, provider } = setUp()
    await provider.getActivities({ limit: 5 })
    await provider.getActivities({ limit: 5 })
    expect(adapter.getActivities).toHaveBeenCalledTimes(1)
    await provider.getActivities({ limit: 5, offset: 5 })
    expect(adapter.getActivities).toHaveBeenCalledTimes(2)
  })

  it('expires entries after their TTL (activity lists 15 min, athlete 24 h)', async () => {
    const { adapter, provider, clock } = setUp()
    await provider.getActivities()
    await provider.getAthlete()
    clock.advance(15 * 60_000)
    await provider.getActivities()
    await provider.getAthlete()
    expect(adapter.getActivities).toHaveBeenCalledTimes(2)
    expect(adapter.getAthlete).toHaveBeenCalledTimes(1)
  })

  it('honours the bypass and refresh policies', async () => {
    const { adapter, provider } = setUp()
    await provider.getActivity('1')
    await provider.getActivity('1', { cache: 'bypass' })
    expect(adapter.getActivity).toHaveBeenCalledTimes(2)
    await provider.getActivity('1', { cache: 'refresh' })
    await provider.getActivity('1')
    expect(adapter.getActivity).toHaveBeenCalledTimes(3)
    await provider.getActivity('1', { details: true })
    expect(adapter.getActivity).toHaveBeenCalledTimes(4)
  })

  it('keys streams by the requested series, in any order', async () => {
    const { adapter, provider } = setUp()
    await provider.getActivityStreams('1', { keys: ['heartrate', 'watts'] })
    await provider.getActivityStreams('1', { keys: ['watts', 'heartrate'] })
    await provider.getActivityStreams('1', { keys: ['heartrate'] })
    expect(adapter.getActivityStreams).toHaveBeenCalledTimes(2)
  })

  it('keeps a past range 30 min and a current one 5 min', async () => {
    const { adapter, provider, clock } = setUp()
    const past = { start: '2025-03-10T00:00:00Z', end: '2025-03-14T00:00:00Z' }
    const current = { start: '2025-03-10T00:00:00Z', end: '2025-03-15T00:00:00Z' }
    await provider.getSleepSessions(past)
    await provider.getSleepSessions(current)
    clock.advance(6 * 60_000)
    await provider.getSleepSessions(past)
    await provider.getSleepSessions(current)
    expect(adapter.getSleepSessions).toHaveBeenCalledTimes(3)
  })

  it('falls through to the provider when the cache backend fails', async () => {
    const broken: ProviderCache = {
      get: async () => {
        throw new Error('redis down')
      },
      set: async () => {
        throw new Error('redis down')
      },
      delete: async () => {},
      deleteByPrefix: async () => {},
    }
    const onCacheError = vi.fn()
    const adapter = { getActivity: vi.fn(async () => run) }
    const provider = createCachingProvider(createProvider(descriptor, adapter), {
      cache: broken,
      tenantId: 't',
      userId: 'u',
      onCacheError,
    })
    expect(await provider.getActivity('1')).toEqual(run)
    expect(onCacheError).toHaveBeenCalledTimes(2)
  })

  it('never caches errors', async () => {
    const { adapter, provider } = setUp()
    adapter.getActivity.mockRejectedValueOnce(new Error('boom'))
    await expect(provider.getActivity('1')).rejects.toThrow('boom')
    expect(await provider.getActivity('1')).toEqual(run)
  })

  it('is invalidated per activity and per user', async () => {
    const { adapter, provider, cache } = setUp()
    await provider.getActivity('1')
    await provider.getActivities()
    await provider.getAthlete()
    const user = { tenantId: 'tenant-a', userId: 'camille', provider: 'demo' }
    await invalidateProviderCache(cache, { ...user, activityId: '1' })
    await provider.getActivity('1')
    await provider.getActivities()
    await provider.getAthlete()
    expect(adapter.getActivity).toHaveBeenCalledTimes(2)
    expect(adapter.getActivities).toHaveBeenCalledTimes(2)
    expect(adapter.getAthlete).toHaveBeenCalledTimes(1)
    await invalidateProviderCache(cache, user)
    await provider.getAthlete()
    expect(adapter.getAthlete).toHaveBeenCalledTimes(2)
  })
})

describe('memory cache', () => {
  it('evicts the least recently used entry', async () => {
    const cache = createMemoryCache({ maxEntries: 2 })
    await cache.set('a', 1, 60)
    await cache.set('b', 2, 60)
    await cache.get('a')
    await cache.set('c', 3, 60)
    expect(await cache.get('a')).toBe(1)
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('c')).toBe(3)
  })
})
