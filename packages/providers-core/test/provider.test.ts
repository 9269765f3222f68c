import { describe, expect, it, vi } from 'vitest'
import type { Activity, ProviderBundle, ProviderDescriptor, SleepSession } from '../src/index.js'
import {
  collect,
  createProvider,
  createProviderRegistry,
  fromCapabilityMask,
  hasCapability,
  isProviderError,
  toCapabilityMask,
} from '../src/index.js'

const descriptor: ProviderDescriptor = {
  name: 'local',
  displayName: 'Local',
  capabilities: ['local', 'activities', 'sleep'],
  auth: { kind: 'none' },
  defaultScopes: [],
}

const activities: Activity[] = Array.from(
  { length: 12 },
  (_, index): Activity => ({
    id: String(index + 1),
    provider: 'local',
    name: `Run ${index + 1}`,
    sport_type: index % 2 === 0 ? 'run' : 'ride',
    start_date: new Date(Date.UTC(2025, 2, 1 + index, 12)).toISOString(),
    duration_seconds: 1800 + index,
    distance_meters: 5000 + index * 500,
    elevation_gain: index * 10,
  }),
).reverse()

function listing() {
  return vi.fn(
    async (query: { offset?: number; limit?: number; after?: number; before?: number } = {}) => {
      const matching = activities.filter((activity) => {
        const start = Date.parse(activity.start_date) / 1000
        return (
          (query.after === undefined || start >= query.after) &&
          (query.before === undefined || start < query.before)
        )
      })
      return matching.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 30))
    },
  )
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(isProviderError(error) && error.code).toBe(code)
}

describe('createProvider', () => {
  it('derives iteration and cursor pages from getActivities', async () => {
    const provider = createProvider(descriptor, { getActivities: listing() })
    expect((await collect(provider.iterateActivities({ pageSize: 10 }))).map((a) => a.id)).toEqual(
      activities.map((a) => a.id),
    )
    const first = await provider.getActivitiesPage({ limit: 5 })
    expect(first).toMatchObject({ count: 5, has_more: true, prev_cursor: null })
    const second = await provider.getActivitiesPage({
      limit: 5,
      cursor: first.next_cursor as string,
    })
    expect(second.items.map((a) => a.id)).toEqual(activities.slice(5, 10).map((a) => a.id))
    const third = await provider.getActivitiesPage({
      limit: 5,
      cursor: second.next_cursor as string,
    })
    expect(third).toMatchObject({ count: 2, has_more: false, next_cursor: null })
  })

  it('filters sport types client-side and keeps offset and limit exact', async () => {
    const provider = createProvider(descriptor, { getActivities: listing() })
    const rides = await provider.getActivities({ sport_types: ['ride'], offset: 1, limit: 2 })
    const allRides = activities.filter((a) => a.sport_type === 'ride')
    expect(rides.map((a) => a.id)).toEqual(allRides.slice(1, 3).map((a) => a.id))
  })

  it('validates queries and ids before calling the adapter', async () => {
    const getActivities = listing()
    const provider = createProvider(descriptor, { getActivities })
    await expectCode(provider.getActivities({ limit: 1001 }), 'invalid_argument')
    await expectCode(provider.getActivity(''), 'invalid_argument')
    expect(getActivities).not.toHaveBeenCalled()
  })

  it('refuses absent capabilities and missing methods without calling anything', async () => {
    const getStats = vi.fn()
    const provider = createProvider(descriptor, { getActivities: listing(), getStats })
    await expectCode(provider.getStats(), 'unsupported_feature')
    await expectCode(provider.getAthlete(), 'unsupported_feature')
    await expectCode(
      provider.getRecoveryMetrics({ start: '2025-03-01T00:00:00Z', end: '2025-03-02T00:00:00Z' }),
      'unsupported_feature',
    )
    await expectCode(provider.getActivity('1'), 'unsupported_feature')
    expect(getStats).not.toHaveBeenCalled()
  })

  it('finds the latest sleep session of the last 7 days, else not_found', async () => {
    const night = (end: string): SleepSession => ({
      id: end,
      provider: 'local',
      start_time: '2025-03-13T03:00:00Z',
      end_time: end,
      date_of_sleep: end.slice(0, 10),
      is_nap: false,
      time_in_bed: 480,
      total_sleep_time: 450,
      sleep_efficiency: 93.75,
      stages: [],
      stage_detail: 'none',
    })
    const getSleepSessions = vi.fn(async () => [
      night('2025-03-13T10:00:00Z'),
      night('2025-03-14T10:40:00Z'),
    ])
    const now = () => new Date('2025-03-14T12:00:00Z')
    const provider = createProvider(descriptor, { getSleepSessions }, { now })
    expect((await provider.getLatestSleepSession()).id).toBe('2025-03-14T10:40:00Z')
    expect(getSleepSessions).toHaveBeenCalledWith(
      { start: '2025-03-07T12:00:00.000Z', end: '2025-03-14T12:00:00.001Z' },
      undefined,
    )
    const empty = createProvider(descriptor, { getSleepSessions: async () => [] }, { now })
    await expectCode(empty.getLatestSleepSession(), 'not_found')
  })

  it('derives personal records from recent activities', async () => {
    const provider = createProvider(descriptor, { getActivities: listing() })
    const records = await provider.getPersonalRecords()
    expect(records.map((record) => [record.metric, record.activity_id])).toEqual([
      ['longest_distance', '12'],
      ['highest_elevation', '12'],
      ['fastest_pace', '11'],
    ])
  })
})

describe('capabilities', () => {
  it('keep the Rust bit values and round-trip through a mask', () => {
    const mask = toCapabilityMask(['oauth', 'activities', 'streams', 'webhooks'])
    expect(mask).toBe(1 + 2 + 32 + 256)
    expect(fromCapabilityMask(mask)).toEqual(['oauth', 'activities', 'streams', 'webhooks'])
    expect(hasCapability(descriptor, 'sleep')).toBe(true)
    expect(hasCapability(['activities'], 'sleep')).toBe(false)
  })
})

describe('provider registry', () => {
  const bundle = (name: string): ProviderBundle => ({
    descriptor: { ...descriptor, name, displayName: name },
    create: () => createProvider({ ...descriptor, name }, { getActivities: listing() }),
  })

  it('finds providers by name in any case and lists them in registration order', () => {
    const registry = createProviderRegistry([bundle('synthetic'), bundle('strava')])
    expect(registry.list()).toEqual(['synthetic', 'strava'])
    expect(registry.isSupported('STRAVA')).toBe(true)
    expect(registry.describe(' Strava ').name).toBe('strava')
    expect(registry.create('Synthetic', { tenantId: 't', userId: 'u' }).descriptor.name).toBe(
      'synthetic',
    )
    expect(registry.find('garmin')).toBeUndefined()
  })

  it('names the known providers when asked for an unknown one', () => {
    const registry = createProviderRegistry([bundle('synthetic'), bundle('strava')])
    try {
      registry.create('garmin', { tenantId: 't', userId: 'u' })
      expect.unreachable()
    } catch (error) {
      expect(isProviderError(error) && error.code).toBe('unknown_provider')
      expect(isProviderError(error) && error.details?.supported).toEqual(['synthetic', 'strava'])
      expect((error as Error).message).toBe(
        'unknown provider "garmin", expected one of: synthetic, strava',
      )
    }
  })

  it('refuses duplicate and malformed names', () => {
    const registry = createProviderRegistry([bundle('strava')])
    expect(() => registry.register(bundle('strava'))).toThrow('already registered')
    expect(() => registry.register(bundle('Strava'))).toThrow('lower-case')
  })
})
