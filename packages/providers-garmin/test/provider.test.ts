import { collect, isProviderError, parseDateRange } from '@pierre/providers-core'
import { describe, expect, it, vi } from 'vitest'
import { pushEverything, setUp, week } from './support.js'

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return isProviderError(error) ? error.code : `not a ProviderError: ${String(error)}`
}

describe('reads answer from the data store (PUSH_ONLY)', () => {
  it('lists activities newest first with filters, without calling Garmin', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    const before = setup.fake.upstream.requests.length
    const all = await collect(setup.provider.iterateActivities())
    expect(all.map((activity) => activity.start_date)).toEqual([
      '2025-03-14T11:02:13Z',
      '2025-03-13T11:02:13Z',
      '2025-03-12T11:02:13Z',
      '2025-03-11T11:02:13Z',
      '2025-03-10T11:02:13Z',
    ])
    const after = Date.parse('2025-03-12T11:02:13Z') / 1000
    expect(await setup.provider.getActivities({ after, limit: 10 })).toHaveLength(3)
    expect(await setup.provider.getActivities({ before: after, limit: 10 })).toHaveLength(2)
    expect(await setup.provider.getActivities({ sport_types: ['ride'] })).toEqual([])
    expect(setup.fake.upstream.requests.length).toBe(before)
  })

  it('asks the store for a range every store accepts when only `after` is given', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    const query = vi.spyOn(setup.store, 'query')
    const after = Date.parse('2025-03-12T11:02:13Z') / 1000
    expect(await setup.provider.getActivities({ after, limit: 10 })).toHaveLength(3)
    const range = query.mock.calls[0]?.[2]?.range
    expect(range?.end).toBe('9999-12-31T23:59:59.999Z')
    expect(parseDateRange(range)).toEqual(range)
  })

  it('returns the summary shape by default and laps with details; streams by key', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    expect((await setup.provider.getActivity('17882214507')).laps).toBeUndefined()
    expect((await setup.provider.getActivity('17882214507', { details: true })).laps).toHaveLength(
      9,
    )
    const streams = await setup.provider.getActivityStreams('17882214507', {
      keys: ['heartrate', 'watts'],
    })
    const present = Object.entries(streams).filter(([, value]) => value !== undefined)
    expect(present.map(([key]) => key).sort()).toEqual([
      'activity_id',
      'heartrate',
      'original_size',
      'provider',
      'sample_rate',
      'start_date',
      'time',
    ])
  })

  it('reports unknown ids as not_found and absent streams as not_found too', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    const error = await setup.provider.getActivity('1').catch((reason: unknown) => reason)
    expect(error).toMatchObject({
      code: 'not_found',
      details: { resource_type: 'activity', resource_id: '1' },
    })
    const [, older] = await setup.provider.getActivities({ limit: 2 })
    expect(older?.streams_available).toBe(false)
    expect(await codeOf(setup.provider.getActivityStreams(older?.id ?? ''))).toBe('not_found')
  })

  it('selects sleep by end time (the night belongs to the wake-up day) and joins the night’s HRV', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    const day14 = { start: '2025-03-14T00:00:00Z', end: '2025-03-15T00:00:00Z' }
    const sleeps = await setup.provider.getSleepSessions(day14)
    expect(sleeps.map((sleep) => sleep.date_of_sleep)).toEqual(['2025-03-14'])
    expect(sleeps[0]?.hrv_during_sleep).toBe(44)
    // The night started on the 13th (22:51 local) but ended on the 14th: not in the 13th.
    const day13 = { start: '2025-03-13T00:00:00Z', end: '2025-03-13T09:00:00Z' }
    expect(await setup.provider.getSleepSessions(day13)).toEqual([])
    expect(await setup.provider.getSleepSessions(week)).toHaveLength(7)
  })

  it('selects daily kinds by the local day they cover and enriches recovery with HRV and sleep score', async () => {
    const setup = await setUp()
    await pushEverything(setup)
    // 02:00 UTC on the 14th is still the 13th in Montréal.
    const early = { start: '2025-03-14T02:00:00Z', end: '2025-03-14T03:00:00Z' }
    expect((await setup.provider.getDailySummaries(early)).map((day) => day.calendar_date)).toEqual(
      ['2025-03-13'],
    )
    const [recovery] = await setup.provider.getRecoveryMetrics({
      start: '2025-03-14T12:00:00Z',
      end: '2025-03-14T13:00:00Z',
    })
    expect(recovery).toMatchObject({
      calendar_date: '2025-03-14',
      resting_heart_rate: 54,
      stress_level: 27,
      hrv_rmssd_ms: 44,
      sleep_score: 82,
    })
    expect(recovery?.recovery_score).toBeUndefined()
    expect(await setup.provider.getHrv(week)).toHaveLength(7)
    expect(await setup.provider.getHealthMetrics(week)).toHaveLength(7)
  })

  it('finds the latest sleep of the last 7 days, else not_found', async () => {
    const setup = await setUp({ provider: { now: () => new Date('2025-03-15T08:00:00Z') } })
    expect(await codeOf(setup.provider.getLatestSleepSession())).toBe('not_found')
    await pushEverything(setup)
    expect((await setup.provider.getLatestSleepSession()).date_of_sleep).toBe('2025-03-14')
  })

  it('refuses what Garmin does not have: athlete and stats', async () => {
    const setup = await setUp()
    expect(await codeOf(setup.provider.getAthlete())).toBe('unsupported_feature')
    expect(await codeOf(setup.provider.getStats())).toBe('unsupported_feature')
    expect(setup.fake.upstream.requests).toHaveLength(0)
  })
})

describe('backfill', () => {
  it('asks for 30 days on an empty store, returns what exists, then reads the pushed history', async () => {
    const now = () => new Date('2025-03-15T00:00:00Z')
    const setup = await setUp({ provider: { now } })
    setup.fake.setReceiver(setup.receiver)
    expect(await setup.provider.getActivities()).toEqual([])
    expect(setup.fake.requestsTo('/wellness-api/rest/backfill/activities')).toHaveLength(1)
    expect(setup.fake.requestsTo('/wellness-api/rest/backfill/activityDetails')).toHaveLength(1)
    expect(setup.waits).toEqual([500])
    await setup.fake.settled()
    await setup.receiver.drain()
    const activities = await setup.provider.getActivities()
    expect(activities).toHaveLength(5)
    expect(activities[0]?.streams_available).toBe(true)
  })

  it('does not fail a read when the automatic backfill is refused', async () => {
    const onBackfillError = vi.fn()
    const setup = await setUp({
      fake: { permissions: ['ACTIVITY_EXPORT'] },
      provider: { onBackfillError },
    })
    expect(await setup.provider.getActivities()).toEqual([])
    expect(onBackfillError).toHaveBeenCalledWith(
      expect.objectContaining({
        code: 'insufficient_scope',
        details: { missing: ['HISTORICAL_DATA_EXPORT'] },
      }),
    )
  })

  it('splits long windows into 30-day requests, spaces them, and reports duplicates', async () => {
    const setup = await setUp()
    const request = {
      summaryTypes: ['sleeps'] as const,
      start: '2025-01-01T00:00:00Z',
      end: '2025-03-15T00:00:00Z',
    }
    const results = await setup.provider.requestBackfill({ ...request, summaryTypes: ['sleeps'] })
    expect(results.map((entry) => entry.endSeconds - entry.startSeconds)).toEqual([
      30 * 86_400,
      30 * 86_400,
      13 * 86_400,
    ])
    expect(results.every((entry) => entry.outcome === 'accepted')).toBe(true)
    expect(setup.waits).toEqual([500, 500])
    const again = await setup.provider.requestBackfill({ ...request, summaryTypes: ['sleeps'] })
    expect(again.map((entry) => entry.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate'])
  })

  it('validates the request before any call', async () => {
    const setup = await setUp()
    const bad = [
      { summaryTypes: [], start: '2025-01-01T00:00:00Z', end: '2025-01-02T00:00:00Z' },
      { summaryTypes: ['sleeps'], start: '2025-01-02T00:00:00Z', end: '2025-01-01T00:00:00Z' },
      {
        summaryTypes: ['deregistrations'],
        start: '2025-01-01T00:00:00Z',
        end: '2025-01-02T00:00:00Z',
      },
      { summaryTypes: ['sleeps'], start: 'yesterday', end: '2025-01-02T00:00:00Z' },
    ]
    for (const request of bad) {
      expect(
        await codeOf(setup.provider.requestBackfill(request as never)),
        JSON.stringify(request),
      ).toBe('invalid_argument')
    }
    expect(setup.fake.upstream.requests).toHaveLength(0)
  })
})
