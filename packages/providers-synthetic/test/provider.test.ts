import {
  collect,
  createProviderRegistry,
  hasProviderErrorCode,
  isProviderError,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  createSyntheticBundle,
  createSyntheticProvider,
  syntheticDescriptor,
} from '../src/index.js'
import { anchor, fixedNow } from './support.js'

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return isProviderError(error) ? error.code : undefined
}

describe('createSyntheticProvider', () => {
  const provider = createSyntheticProvider({ seed: 42, now: fixedNow, historyDays: 60 })

  it('describes a local provider with no authentication', () => {
    expect(syntheticDescriptor.name).toBe('synthetic')
    expect(syntheticDescriptor.auth).toEqual({ kind: 'none' })
    expect(syntheticDescriptor.capabilities).toEqual(
      expect.arrayContaining(['local', 'activities', 'streams', 'sleep', 'hrv', 'daily']),
    )
    expect(provider.descriptor).toBe(syntheticDescriptor)
  })

  it('pages with offset, limit and cursors over the same newest-first order', async () => {
    const all = await collect(provider.iterateActivities())
    expect(all.length).toBeGreaterThan(40)
    const page = await provider.getActivities({ offset: 5, limit: 7 })
    expect(page.map((activity) => activity.id)).toEqual(
      all.slice(5, 12).map((activity) => activity.id),
    )
    const ids: string[] = []
    let cursor: string | undefined
    do {
      const result = await provider.getActivitiesPage({ limit: 9, ...(cursor ? { cursor } : {}) })
      ids.push(...result.items.map((activity) => activity.id))
      cursor = result.next_cursor ?? undefined
    } while (cursor !== undefined)
    expect(ids).toEqual(all.map((activity) => activity.id))
  })

  it('filters on after, before and sport', async () => {
    const after = Date.parse('2025-02-01T00:00:00Z') / 1000
    const before = Date.parse('2025-03-01T00:00:00Z') / 1000
    const february = await provider.getActivities({ after, before, limit: 100 })
    expect(february.length).toBeGreaterThan(15)
    for (const activity of february) {
      expect(Date.parse(activity.start_date) / 1000).toBeGreaterThanOrEqual(after)
      expect(Date.parse(activity.start_date) / 1000).toBeLessThan(before)
    }
    const swims = await collect(provider.iterateActivities({ sport_types: ['swim'], after }))
    expect(swims.length).toBeGreaterThan(3)
    expect(new Set(swims.map((activity) => activity.sport_type))).toEqual(new Set(['swim']))
    expect(await provider.getActivities({ sport_types: ['yoga'] })).toEqual([])
  })

  it('returns only what ended by now', async () => {
    const [newest] = await provider.getActivities({ limit: 1 })
    expect(
      Date.parse(newest?.start_date as string) + (newest?.duration_seconds as number) * 1000,
    ).toBeLessThanOrEqual(Date.parse(anchor))
    const nights = await provider.getSleepSessions({
      start: '2025-03-10T00:00:00Z',
      end: '2025-04-10T00:00:00Z',
    })
    for (const night of nights)
      expect(Date.parse(night.end_time)).toBeLessThanOrEqual(Date.parse(anchor))
    const latest = await provider.getLatestSleepSession()
    expect(latest.date_of_sleep).toBe('2025-03-14')
  })

  it('selects stream keys and reports unknown ids as not_found', async () => {
    const [newest] = await provider.getActivities({ limit: 1 })
    const streams = await provider.getActivityStreams(newest?.id as string, { keys: ['heartrate'] })
    expect(Object.keys(streams).filter((key) => Array.isArray(streams[key as 'time']))).toEqual([
      'time',
      'heartrate',
    ])
    expect(await codeOf(provider.getActivity('1999-01-01-1'))).toBe('not_found')
    expect(await codeOf(provider.getActivityStreams('nope'))).toBe('not_found')
    expect(
      await codeOf(provider.getHealthMetrics({ start: anchor, end: '2025-03-01T00:00:00Z' })),
    ).toBe('invalid_argument')
  })

  it('grows the history with the injected clock and never reads the system clock', async () => {
    let nowMs = Date.parse(anchor)
    const moving = createSyntheticProvider({
      seed: 42,
      now: () => new Date(nowMs),
      historyDays: 10,
    })
    const before = await moving.getActivities({ limit: 1 })
    nowMs += 3 * 86_400_000
    const after = await moving.getActivities({ limit: 1 })
    expect(Date.parse(after[0]?.start_date as string)).toBeGreaterThan(
      Date.parse(before[0]?.start_date as string),
    )
  })

  it('rejects invalid options with invalid_argument listing every issue', () => {
    let error: unknown
    try {
      createSyntheticProvider({ seed: -1, now: fixedNow, historyDays: 0 })
    } catch (caught) {
      error = caught
    }
    expect(hasProviderErrorCode(error, 'invalid_argument')).toBe(true)
    expect(
      (error as { details: { issues: { path: string }[] } }).details.issues.map(
        (issue) => issue.path,
      ),
    ).toEqual(['seed', 'historyDays'])
    const broken = createSyntheticProvider({ seed: 1, now: () => new Date(Number.NaN) })
    return expect(codeOf(broken.getAthlete().then(() => broken.getActivities()))).resolves.toBe(
      'invalid_argument',
    )
  })

  it('computes stats that add up to the activities', async () => {
    const stats = await provider.getStats()
    const all = await collect(provider.iterateActivities())
    expect(stats.total_activities).toBe(all.length)
    const runs = all.filter((activity) => activity.sport_type === 'run')
    expect(stats.by_sport?.run?.count).toBe(runs.length)
    expect(stats.by_sport?.run?.distance).toBe(
      Math.round(runs.reduce((sum, activity) => sum + (activity.distance_meters ?? 0), 0)),
    )
    const records = await provider.getPersonalRecords()
    expect(records.map((record) => record.metric)).toContain('fastest_pace')
  })
})

describe('createSyntheticBundle', () => {
  it('registers as synthetic and creates a provider per user from the context clock', async () => {
    const registry = createProviderRegistry([createSyntheticBundle({ historyDays: 14 })])
    expect(registry.list()).toEqual(['synthetic'])
    const provider = registry.create('Synthetic', { tenantId: 't1', userId: 'u1', now: fixedNow })
    const athlete = await provider.getAthlete()
    expect(athlete.id).toBe('u1')
    const direct = createSyntheticProvider({ seed: 42, now: fixedNow, historyDays: 14 })
    expect(await provider.getActivities({ limit: 3 })).toEqual(
      await direct.getActivities({ limit: 3 }),
    )
  })

  it('falls back to the fixed default anchor without a clock', async () => {
    const provider = createSyntheticBundle({ seed: 5 }).create({ tenantId: 't', userId: 'u' })
    const [newest] = await provider.getActivities({ limit: 1 })
    expect(Date.parse(newest?.start_date as string)).toBeLessThan(Date.parse(anchor))
    expect(Date.parse(newest?.start_date as string)).toBeGreaterThan(
      Date.parse(anchor) - 4 * 86_400_000,
    )
  })
})
