import {
  activityStreamsSchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { googleHealthScopes } from '../src/index.js'
import { fixtureWeek, setUp } from './support.js'

const run = '41250987766'

describe('the provider against the fake Google Health API', () => {
  it('gets one exercise; details add the day’s zone bounds through one more call', async () => {
    const { fake, provider } = await setUp()
    const plain = await provider.getActivity(run)
    expect(plain).toMatchObject({ id: run, sport_type: 'run', distance_meters: 8012 })
    expect(plain.heart_rate_zones).toBeUndefined()
    const detailed = await provider.getActivity(run, { details: true })
    expect(detailed.heart_rate_zones?.map((zone) => zone.minutes)).toEqual([1, 5, 38, 1])
    const zonesCall = fake.requestsTo('/v4/users/me/dataTypes/daily-heart-rate-zones/dataPoints')
    expect(zonesCall[0]?.query.get('filter')).toBe(
      'daily_heart_rate_zones.date >= "2025-03-14" AND daily_heart_rate_zones.date < "2025-03-15"',
    )
  })

  it('returns the run’s heart-rate samples as streams, filtered on physical time', async () => {
    const { fake, provider } = await setUp()
    const streams = await provider.getActivityStreams(run)
    expect(activityStreamsSchema.safeParse(streams).success).toBe(true)
    expect(streams.heartrate).toHaveLength(28)
    expect(streams.time[0]).toBe(47)
    const call = fake.requestsTo('/v4/users/me/dataTypes/heart-rate/dataPoints')[0]
    expect(call?.query.get('filter')).toBe(
      'heart_rate.sample_time.physical_time >= "2025-03-14T11:02:13Z" AND ' +
        'heart_rate.sample_time.physical_time < "2025-03-14T11:47:59Z"',
    )
    expect(call?.query.get('pageSize')).toBe('10000')
    const none = await provider.getActivityStreams(run, { keys: ['watts'] })
    expect(none.time).toEqual([])
    expect(fake.requestsTo('/v4/users/me/dataTypes/heart-rate/dataPoints')).toHaveLength(1)
  })

  it('lists the week’s sleep newest first with stages and the nightly vitals', async () => {
    const { fake, provider } = await setUp()
    const sessions = await provider.getSleepSessions(fixtureWeek)
    expect(sessions).toHaveLength(3)
    for (const session of sessions) expect(sleepSessionSchema.parse(session)).toEqual(session)
    expect(sessions[0]).toMatchObject({
      date_of_sleep: '2025-03-14',
      hrv_during_sleep: 43.208,
      respiratory_rate: 15.4,
      spo2_average: 96.1,
    })
    expect(sessions[1]).toMatchObject({ is_nap: true })
    expect(sessions[1]?.hrv_during_sleep).toBeUndefined()
    expect(sessions[2]).toMatchObject({ date_of_sleep: '2025-03-13', hrv_during_sleep: 36.512 })
    const call = fake.requestsTo('/v4/users/me/dataTypes/sleep/dataPoints')[0]
    expect(call?.query.get('filter')).toBe(
      'sleep.interval.end_time >= "2025-03-08T05:00:00Z" AND sleep.interval.end_time < "2025-03-15T04:00:00Z"',
    )
    const narrow = await provider.getSleepSessions({
      start: '2025-03-14T00:00:00Z',
      end: '2025-03-15T00:00:00Z',
    })
    expect(narrow.map((session) => session.end_time)).toEqual(['2025-03-14T10:21:30Z'])
  })

  it('keeps sleep without vitals when the health metrics scope was not granted', async () => {
    const { provider } = await setUp({
      scopes: [googleHealthScopes.sleep, googleHealthScopes.settings],
    })
    const sessions = await provider.getSleepSessions(fixtureWeek)
    expect(sessions).toHaveLength(3)
    expect(sessions[0]?.hrv_during_sleep).toBeUndefined()
  })

  it('reads HRV and recovery for the local dates of the range (the user’s zone)', async () => {
    const { fake, provider } = await setUp()
    const hrv = await provider.getHrv(fixtureWeek)
    expect(hrv.map((entry) => entry.calendar_date)).toEqual([
      '2025-03-08',
      '2025-03-09',
      '2025-03-10',
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
      '2025-03-14',
    ])
    for (const entry of hrv) expect(hrvDailySchema.safeParse(entry).success).toBe(true)
    const filter = fake
      .requestsTo('/v4/users/me/dataTypes/daily-heart-rate-variability/dataPoints')[0]
      ?.query.get('filter')
    expect(filter).toBe(
      'daily_heart_rate_variability.date >= "2025-03-08" AND daily_heart_rate_variability.date < "2025-03-15"',
    )
    const recovery = await provider.getRecoveryMetrics({
      start: '2025-03-13T04:00:00Z',
      end: '2025-03-15T04:00:00Z',
    })
    expect(
      recovery.map((entry) => [entry.calendar_date, entry.date, entry.resting_heart_rate]),
    ).toEqual([
      ['2025-03-13', '2025-03-13T04:00:00Z', 56],
      ['2025-03-14', '2025-03-14T04:00:00Z', 54],
    ])
    for (const entry of recovery) expect(recoveryMetricsSchema.parse(entry)).toEqual(entry)
    expect(fake.requestsTo('/v4/users/me/settings')).toHaveLength(1)
  })

  it('builds the athlete from identity, settings and the latest body measurements', async () => {
    const { fake, provider } = await setUp()
    expect(await provider.getAthlete()).toMatchObject({
      id: fake.healthUserId,
      weight_kg: 58.4,
      height_m: 1.67,
      resting_heart_rate: 54,
      time_zone: 'America/Toronto',
      measurement_preference: 'metric',
    })
    expect(
      fake.requestsTo('/v4/users/me/dataTypes/weight/dataPoints')[0]?.query.get('pageSize'),
    ).toBe('1')
  })

  it('refuses what the API does not offer without a request', async () => {
    const { fake, provider } = await setUp()
    await expect(provider.getStats()).rejects.toMatchObject({ code: 'unsupported_feature' })
    await expect(provider.getDailySummaries(fixtureWeek)).rejects.toMatchObject({
      code: 'unsupported_feature',
    })
    expect(fake.upstream.requests).toHaveLength(0)
  })
})
