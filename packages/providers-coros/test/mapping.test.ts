import {
  activitySchema,
  athleteSchema,
  dailySummarySchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  mapCorosAthlete,
  mapCorosDailySummary,
  mapCorosHrv,
  mapCorosRecovery,
  mapCorosRunningTotals,
  mapCorosSleep,
  mapCorosSport,
  mapCorosWorkout,
} from '../src/index.js'
import { fixture } from './support.js'

type Raw = Record<string, unknown>

const sportData = (fixture('sport_data.json') as { data: Raw[] }).data
const [run, ride] = sportData as [Raw, Raw]
const daily = (fixture('daily_data.json') as { data: Raw[] }).data[0] as Raw
const userInfo = (fixture('user_info.json') as { data: Raw }).data
const toronto = { timeZone: 'America/Toronto' }

describe('sport_data.json → activities (specs/providers.md §6.5)', () => {
  it('maps the outdoor run: epoch seconds, quarter-hour zone, m, s, kcal, steps/min', () => {
    const activity = mapCorosWorkout(run)
    expect(activitySchema.safeParse(activity).success).toBe(true)
    expect(activity).toEqual({
      id: '426887715123987459',
      provider: 'coros',
      name: 'Run',
      sport_type: 'run',
      sport_type_detail: 'coros:8/1',
      start_date: '2025-03-14T11:02:13Z',
      start_date_local: '2025-03-14T07:02:13',
      utc_offset_seconds: -14_400,
      duration_seconds: 2745,
      moving_time_seconds: 2688,
      distance_meters: 8012.4,
      average_speed: expect.closeTo(8012.4 / 2745, 9),
      calories: 475,
      steps: 8390,
      average_cadence: 173,
      device_name: 'PACE 3',
      streams_available: false,
    })
  })

  it('maps the ride: rpm cadence, no steps for a ride that reports 0', () => {
    const activity = mapCorosWorkout(ride)
    expect(activitySchema.safeParse(activity).success).toBe(true)
    expect(activity).toMatchObject({
      id: '426801122339981266',
      name: 'Bike',
      sport_type: 'ride',
      sport_type_detail: 'coros:9/1',
      start_date: '2025-03-12T20:31:40Z',
      start_date_local: '2025-03-12T16:31:40',
      utc_offset_seconds: -14_400,
      duration_seconds: 6932,
      moving_time_seconds: 6480,
      distance_meters: 42_318.6,
      calories: 1012,
      average_cadence: 85,
    })
    expect(activity.average_speed).toBeCloseTo(42_318.6 / 6932, 9)
    expect(activity.steps).toBeUndefined()
  })

  it.for([
    { name: 'run', workout: run },
    { name: 'ride', workout: ride },
  ])(
    'reads avgSpeed of the $name as a pace in s/km over the timer time (units check)',
    ({ workout }) => {
      // avgSpeed is not used for the mapping; this pins down its unit against distance and duration.
      const fromPace = 1000 / Number(workout.avgSpeed)
      const fromTotals = Number(workout.distance) / Number(workout.duration)
      expect(Math.abs(fromPace - fromTotals) / fromTotals).toBeLessThan(0.01)
      // and the elapsed-time speed the mapping reports is the lower one (pauses included)
      expect(mapCorosWorkout(workout).average_speed).toBeLessThan(fromTotals)
    },
  )

  it('drops a zone offset beyond ±14 h and reads others in quarter hours', () => {
    const activity = mapCorosWorkout({ ...run, startTimezone: 99 })
    expect(activity.utc_offset_seconds).toBeUndefined()
    expect(activity.start_date_local).toBeUndefined()
    expect(mapCorosWorkout({ ...run, startTimezone: 22 }).utc_offset_seconds).toBe(19_800)
  })

  it('falls back to the timer duration when endTime is unusable, and leaves zeros unknown', () => {
    const activity = mapCorosWorkout({ ...run, endTime: null, distance: 0, calorie: null })
    expect(activity.duration_seconds).toBe(2688)
    expect(activity.distance_meters).toBeNull()
    expect(activity.average_speed).toBeUndefined()
    expect(activity.calories).toBeUndefined()
  })

  it('refuses a workout without labelId or startTime with invalid_data', () => {
    expect(() => mapCorosWorkout({ ...run, labelId: undefined })).toThrow(
      expect.objectContaining({ code: 'invalid_data', details: { field: 'labelId' } }),
    )
    expect(() => mapCorosWorkout({ ...run, startTime: 'soon' })).toThrow(
      expect.objectContaining({ code: 'invalid_data', details: { field: 'startTime' } }),
    )
  })

  it('maps the pushed workout exactly like the same workout pulled', () => {
    const pushed = (fixture('webhook_sport_data_push.json') as { sportDataList: Raw[] })
      .sportDataList[0] as Raw
    expect(mapCorosWorkout(pushed)).toEqual(mapCorosWorkout(run))
  })
})

describe('sport table (specs/providers.md §6.5)', () => {
  it.for([
    { mode: 8, subMode: 1, sport: 'run', name: 'Run' },
    { mode: 8, subMode: 2, sport: 'virtual_run', name: 'Indoor Run' },
    { mode: 15, subMode: 1, sport: 'trail_running', name: 'Trail Run' },
    { mode: 20, subMode: 1, sport: 'run', name: 'Track Run' },
    { mode: 16, subMode: 1, sport: 'hike', name: 'Hike' },
    { mode: 31, subMode: 1, sport: 'walk', name: 'Walk' },
    { mode: 9, subMode: 1, sport: 'ride', name: 'Bike' },
    { mode: 9, subMode: 2, sport: 'virtual_ride', name: 'Indoor Bike' },
    { mode: 10, subMode: 1, sport: 'swim', name: 'Open Water Swim' },
    { mode: 10, subMode: 2, sport: 'swim', name: 'Pool Swim' },
    { mode: 13, subMode: 1, sport: 'other', name: 'Triathlon' },
    { mode: 13, subMode: 2, sport: 'other', name: 'Multisport' },
    { mode: 100, subMode: 0, sport: 'other', name: 'Workout' },
  ])('$mode/$subMode → $sport', ({ mode, subMode, sport, name }) => {
    expect(mapCorosSport(mode, subMode)).toBe(sport)
    const activity = mapCorosWorkout({ ...run, mode, subMode })
    expect(activity).toMatchObject({
      sport_type: sport,
      name,
      sport_type_detail: `coros:${mode}/${subMode}`,
    })
  })

  it('doubles nothing: a walk cadence in steps/min stays as COROS reports it', () => {
    expect(mapCorosWorkout({ ...run, mode: 31, avgFrequency: 104 }).average_cadence).toBe(104)
  })
})

describe('user_info.json → athlete and running totals', () => {
  it('maps the profile without inventing fields', () => {
    const athlete = mapCorosAthlete(userInfo)
    expect(athleteSchema.safeParse(athlete).success).toBe(true)
    expect(athlete).toEqual({
      id: 'coros-open-51dfe50ec0518813fb9b360a',
      username: 'camille.t',
      provider: 'coros',
      profile_picture: 'https://oss.coros.com/avatar/2025/03/avatar-88412.jpg',
    })
  })

  it('reads the running totals in m, s and kcal (units check against the run fixture)', () => {
    const totals = mapCorosRunningTotals(userInfo)
    expect(totals).toEqual({
      distance_meters: 8_812_443,
      duration_seconds: 2_901_887,
      calories: 412_880,
    })
    // m and s give a lifetime pace within 5 % of the run fixture's 335 s/km.
    const pace = (totals.duration_seconds as number) / ((totals.distance_meters as number) / 1000)
    expect(Math.abs(pace - 335) / 335).toBeLessThan(0.05)
    // kcal: about 1 kcal per kg and km for a 58.4 kg runner.
    const perKgKm = (totals.calories as number) / 58.4 / ((totals.distance_meters as number) / 1000)
    expect(perKgKm).toBeGreaterThan(0.6)
    expect(perKgKm).toBeLessThan(1.2)
  })

  it('refuses a profile without openId', () => {
    expect(() => mapCorosAthlete({ nick: 'x' })).toThrow(
      expect.objectContaining({ code: 'invalid_data' }),
    )
  })
})

describe('daily_data.json → sleep, recovery, HRV, daily summary', () => {
  it('maps the sleep window: minutes, wake date, no stages', () => {
    const session = mapCorosSleep(daily, toronto)
    expect(sleepSessionSchema.safeParse(session).success).toBe(true)
    expect(session).toEqual({
      id: '1741920660',
      provider: 'coros',
      start_time: '2025-03-14T02:51:00Z',
      end_time: '2025-03-14T09:37:30Z',
      date_of_sleep: '2025-03-14',
      is_nap: false,
      utc_offset_seconds: -14_400,
      // 24 390 s = 406.5 min, rounded half up
      time_in_bed: 407,
      total_sleep_time: 407,
      sleep_efficiency: 100,
      stages: [],
      stage_detail: 'none',
      hrv_during_sleep: 44,
      average_heart_rate: 57,
    })
  })

  it('reports no offset when no zone is configured', () => {
    const session = mapCorosSleep(daily)
    expect(session?.utc_offset_seconds).toBeUndefined()
    expect(session?.date_of_sleep).toBe('2025-03-14')
  })

  it('maps recovery: resting HR in bpm, overnight HRV in ms, local midnight as the date', () => {
    const recovery = mapCorosRecovery(daily, toronto)
    expect(recoveryMetricsSchema.safeParse(recovery).success).toBe(true)
    expect(recovery).toEqual({
      date: '2025-03-14T04:00:00Z',
      calendar_date: '2025-03-14',
      provider: 'coros',
      resting_heart_rate: 54,
      hrv_rmssd_ms: 44,
    })
    // before the 2025-03-09 change, Montréal is UTC−05:00
    expect(mapCorosRecovery({ ...daily, date: '20250308' }, toronto)?.date).toBe(
      '2025-03-08T05:00:00Z',
    )
    expect(mapCorosRecovery(daily)?.date).toBe('2025-03-14T00:00:00Z')
  })

  it('maps HRV with its overnight samples', () => {
    const hrv = mapCorosHrv(daily, toronto)
    expect(hrvDailySchema.safeParse(hrv).success).toBe(true)
    expect(hrv).toMatchObject({
      calendar_date: '2025-03-14',
      provider: 'coros',
      rmssd_ms: 44,
      window: 'sleep',
    })
    expect(hrv?.samples).toEqual([
      { time: '2025-03-14T03:01:00Z', rmssd_ms: 41 },
      { time: '2025-03-14T03:51:00Z', rmssd_ms: 49 },
      { time: '2025-03-14T04:51:00Z', rmssd_ms: 52 },
      { time: '2025-03-14T05:51:00Z', rmssd_ms: 45 },
      { time: '2025-03-14T06:51:00Z', rmssd_ms: 40 },
    ])
  })

  it('maps the daily summary: steps and kcal', () => {
    const summary = mapCorosDailySummary(daily, toronto)
    expect(dailySummarySchema.safeParse(summary).success).toBe(true)
    expect(summary).toEqual({
      calendar_date: '2025-03-14',
      provider: 'coros',
      steps: 17_241,
      total_calories: 2481,
      resting_heart_rate: 54,
    })
  })

  it('leaves out what a record does not have', () => {
    expect(mapCorosSleep({ ...daily, sleepEndTime: 0 })).toBeUndefined()
    expect(mapCorosHrv({ ...daily, ppgHrv: null })).toBeUndefined()
    expect(mapCorosRecovery({ ...daily, rhr: 0, ppgHrv: 0 })).toBeUndefined()
    // without `date`, the day is the local date of the wake-up
    expect(mapCorosDailySummary({ ...daily, date: undefined }, toronto)?.calendar_date).toBe(
      '2025-03-14',
    )
    expect(mapCorosDailySummary({ step: 10 })).toBeUndefined()
  })

  it('refuses an unknown time zone', () => {
    expect(() => mapCorosSleep(daily, { timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    )
  })
})
