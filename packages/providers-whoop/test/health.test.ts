import { collect } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { setUp } from './support.js'

const fixtureDays = { start: '2025-03-12T00:00:00Z', end: '2025-03-15T00:00:00Z' }

describe('sleep, recovery, HRV, cycles and body data through the fake WHOOP', () => {
  it('lists the sleeps that ended in the range, newest first, with the HRV of their recovery', async () => {
    const { fake, provider } = await setUp()
    const sessions = await provider.getSleepSessions({
      start: '2025-03-13T00:00:00Z',
      end: '2025-03-15T00:00:00Z',
    })
    expect(
      sessions.map((session) => [session.date_of_sleep, session.is_nap, session.hrv_during_sleep]),
    ).toEqual([
      ['2025-03-14', false, 43.208412],
      ['2025-03-13', true, undefined],
      ['2025-03-13', false, 36.51207],
    ])
    const [request] = fake.requestsTo('/developer/v2/activity/sleep')
    // a night ending in the range may have begun the day before
    expect(request?.query.get('start')).toBe('2025-03-12T00:00:00.000Z')
    expect(request?.query.get('end')).toBe('2025-03-15T00:00:00.000Z')
    expect(request?.query.get('limit')).toBe('25')
  })

  it('finds the latest sleep session of the last 7 days', async () => {
    const { provider } = await setUp()
    const latest = await provider.getLatestSleepSession()
    expect(latest).toMatchObject({ id: 'b4b36354-2e36-401a-938d-20b8a8c58424', time_in_bed: 450 })
  })

  it('dates recoveries by their night and adds the day strain and sleep score', async () => {
    const { provider } = await setUp()
    const recoveries = await provider.getRecoveryMetrics(fixtureDays)
    expect(
      recoveries.map((entry) => [
        entry.calendar_date,
        entry.recovery_score,
        entry.hrv_rmssd_ms,
        entry.strain,
        entry.sleep_score,
      ]),
    ).toEqual([
      ['2025-03-14', 64, 43.208412, 11.204571, 86],
      ['2025-03-13', 38, 36.51207, 9.432109, 81],
    ])
  })

  it('gives one HRV entry per scored recovery, measured during sleep', async () => {
    const { provider } = await setUp()
    expect(await provider.getHrv(fixtureDays)).toEqual([
      { calendar_date: '2025-03-14', provider: 'whoop', rmssd_ms: 43.208412, window: 'sleep' },
      { calendar_date: '2025-03-13', provider: 'whoop', rmssd_ms: 36.51207, window: 'sleep' },
    ])
  })

  it('fetches a recovery’s night by cycle when it is not in the sleep collection', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /developer/v2/activity/sleep', [{ body: { records: [] } }])
    const recoveries = await provider.getRecoveryMetrics(fixtureDays)
    expect(recoveries.map((entry) => [entry.calendar_date, entry.sleep_score])).toEqual([
      ['2025-03-14', 86],
      ['2025-03-13', 81],
    ])
    expect(fake.requestsTo('/developer/v2/cycle/928374665/sleep')).toHaveLength(1)
    expect(fake.requestsTo('/developer/v2/cycle/928374644/sleep')).toHaveLength(1)
    // the UNSCORABLE recovery needs no night
    expect(fake.requestsTo('/developer/v2/cycle/928374621/sleep')).toHaveLength(0)
  })

  it('still returns recoveries, without strain, when the cycles are refused', async () => {
    const { fake, provider } = await setUp()
    fake.script('GET /developer/v2/cycle', [{ status: 403, body: { error: 'forbidden' } }])
    const recoveries = await provider.getRecoveryMetrics(fixtureDays)
    expect(recoveries).toHaveLength(2)
    expect(recoveries.every((entry) => entry.strain === undefined)).toBe(true)
  })

  it('maps cycles to days with their strain, and to daily summaries in kcal', async () => {
    const { provider } = await setUp()
    const cycles = await provider.getCycles(fixtureDays)
    expect(
      cycles.map((cycle) => [cycle.calendar_date, cycle.strain, cycle.end_time === null]),
    ).toEqual([
      ['2025-03-14', 11.204571, true],
      ['2025-03-13', 9.432109, false],
      ['2025-03-12', 15.813362, false],
    ])
    const summaries = await provider.getDailySummaries(fixtureDays)
    expect(summaries.map((summary) => [summary.calendar_date, summary.total_calories])).toEqual([
      ['2025-03-14', 1670],
      ['2025-03-13', 2010],
      ['2025-03-12', 2613],
    ])
    await expect(provider.getCycles({ start: 'yesterday', end: 'today' })).rejects.toMatchObject({
      code: 'invalid_argument',
    })
  })

  it('returns the body measurement as today’s health record, and nothing for past ranges', async () => {
    const { fake, provider } = await setUp()
    expect(await provider.getHealthMetrics(fixtureDays)).toEqual([
      { date: '2025-03-14T21:30:00Z', provider: 'whoop', weight: 58.4, bmi: 20.9 },
    ])
    fake.upstream.reset()
    expect(
      await provider.getHealthMetrics({
        start: '2025-01-01T00:00:00Z',
        end: '2025-02-01T00:00:00Z',
      }),
    ).toEqual([])
    expect(fake.upstream.requests).toHaveLength(0)
  })

  it('reads the athlete and bounds workout zones by the measured max heart rate, fetched once', async () => {
    const { fake, provider } = await setUp()
    expect(await provider.getAthlete()).toMatchObject({ id: '34871', max_heart_rate: 186 })
    const activities = await collect(provider.iterateActivities())
    await provider.getActivity('287513a9-8519-4036-99c9-a08094ede83a')
    expect(activities[0]?.heart_rate_zones?.at(-1)).toEqual({
      name: 'Zone 5',
      min_hr: 167,
      max_hr: 186,
      minutes: 1,
    })
    // once for the athlete, once for the zones of every later workout
    expect(fake.requestsTo('/developer/v2/user/measurement/body')).toHaveLength(2)
  })

  it('refuses streams and stats without a request: WHOOP has neither', async () => {
    const { fake, provider } = await setUp()
    await expect(provider.getStats()).rejects.toMatchObject({ code: 'unsupported_feature' })
    await expect(
      provider.getActivityStreams('287513a9-8519-4036-99c9-a08094ede83a'),
    ).rejects.toMatchObject({
      code: 'unsupported_feature',
    })
    expect(fake.upstream.requests).toHaveLength(0)
  })
})
