import {
  activitySchema,
  activityStreamsSchema,
  athleteSchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  mapGoogleHealthAthlete,
  mapGoogleHealthDailyValues,
  mapGoogleHealthExercise,
  mapGoogleHealthHeartRateSamples,
  mapGoogleHealthHeartRateZones,
  mapGoogleHealthHrv,
  mapGoogleHealthRecovery,
  mapGoogleHealthSleep,
  mapGoogleHealthSport,
  parseGoogleDuration,
  readGoogleApiError,
  withNightlyVitals,
} from '../src/index.js'
import { localMidnight } from '../src/time.js'
import { fixture, pointsOf } from './support.js'

const exercises = pointsOf('exercise_list.json')
const mapped = exercises.map((point) => mapGoogleHealthExercise(point))
const byId = (id: string) => mapped.find((activity) => activity.id === id)

describe('exercise data point → Activity (exercise_list.json)', () => {
  it('produces schema-valid activities, newest first, ids from the data point name', () => {
    for (const activity of mapped) expect(activitySchema.parse(activity)).toEqual(activity)
    expect(mapped.map((activity) => activity.id)).toEqual([
      '41262215510',
      '41250987766',
      '41236718842',
      '41221140877',
      '41198833021',
    ])
  })

  it('maps the run in SI units: mm → m, mm/s → m/s, durations in s, local time from the offset', () => {
    expect(byId('41250987766')).toMatchObject({
      provider: 'fitbit',
      name: 'Run',
      sport_type: 'run',
      sport_type_detail: 'RUNNING',
      start_date: '2025-03-14T11:02:13Z',
      start_date_local: '2025-03-14T07:02:13',
      utc_offset_seconds: -14_400,
      duration_seconds: 2745,
      moving_time_seconds: 2688,
      distance_meters: 8012,
      elevation_gain: 15.24,
      average_heart_rate: 151,
      average_cadence: 188,
      calories: 482,
      steps: 8412,
      device_name: 'Pixel Watch 3',
    })
    expect(byId('41250987766')?.average_speed).toBeCloseTo(10.73 / 3.6, 3)
    expect(byId('41250987766')?.manual).toBeUndefined()
  })

  it('maps the 1 km splits with their own start, duration, distance and heart rate', () => {
    const splits = byId('41250987766')?.splits ?? []
    expect(splits).toHaveLength(8)
    expect(splits[0]).toMatchObject({
      index: 1,
      start_date: '2025-03-14T11:02:13Z',
      duration_seconds: 361,
      moving_time_seconds: 361,
      distance_meters: 1001,
      average_heart_rate: 142,
    })
    expect(splits[1]?.start_date).toBe('2025-03-14T11:08:14Z')
    expect(splits[4]).toMatchObject({ duration_seconds: 394, moving_time_seconds: 337 })
    expect(splits[0]?.average_speed).toBeCloseTo(2.77, 3)
  })

  it('maps the ride, the weights without distance and the two walks', () => {
    expect(byId('41221140877')).toMatchObject({
      sport_type: 'ride',
      distance_meters: 42_319,
      elevation_gain: 387.096,
      duration_seconds: 6932,
      moving_time_seconds: 6480,
      calories: 1012,
    })
    expect(byId('41221140877')?.steps).toBeUndefined()
    expect(byId('41236718842')).toMatchObject({
      sport_type: 'strength_training',
      sport_type_detail: 'WEIGHTLIFTING',
      distance_meters: null,
      average_heart_rate: 112,
    })
    expect(byId('41198833021')).toMatchObject({
      sport_type: 'walk',
      distance_meters: 1512,
      steps: 2104,
    })
    expect(byId('41262215510')?.elevation_gain).toBeUndefined()
  })

  it('turns zone durations into minutes with the day’s zone bounds', () => {
    const zones = mapGoogleHealthHeartRateZones(
      pointsOf('daily_heart_rate_zones_list.json')[0] ?? {},
    )
    const run = mapGoogleHealthExercise(exercises[1] ?? {}, zones)
    expect(run.heart_rate_zones).toEqual([
      { name: 'light', min_hr: 107, max_hr: 120, minutes: 1 },
      { name: 'moderate', min_hr: 120, max_hr: 146, minutes: 5 },
      { name: 'vigorous', min_hr: 146, max_hr: 166, minutes: 38 },
      { name: 'peak', min_hr: 166, max_hr: 186, minutes: 1 },
    ])
    expect(mapped[1]?.heart_rate_zones).toBeUndefined()
  })

  it('maps exercise types of the current and the wider enum, unknown ones to other', () => {
    expect(mapGoogleHealthSport('MOUNTAIN_BIKE')).toBe('mountain_bike')
    expect(mapGoogleHealthSport('TREADMILL')).toBe('virtual_run')
    expect(mapGoogleHealthSport('SPINNING')).toBe('virtual_ride')
    expect(mapGoogleHealthSport('SWIMMING_OPEN_WATER')).toBe('swim')
    expect(mapGoogleHealthSport('CROSS_COUNTRY_SKI')).toBe('cross_country_skiing')
    expect(mapGoogleHealthSport('HIIT')).toBe('workout')
    expect(mapGoogleHealthSport('BADMINTON')).toBe('other')
    expect(mapGoogleHealthSport('toString')).toBe('other')
    expect(mapGoogleHealthSport(undefined)).toBe('other')
  })
})

describe('heart-rate samples → ActivityStreams (heart_rate_list.json)', () => {
  it('keeps samples from the run start on, seconds since start, bpm, irregular rate', () => {
    const run = mapped[1]
    if (run === undefined) throw new Error('fixture lost the run')
    const streams = mapGoogleHealthHeartRateSamples(pointsOf('heart_rate_list.json'), run)
    expect(activityStreamsSchema.safeParse(streams).success).toBe(true)
    expect(streams.time.slice(0, 3)).toEqual([47, 107, 167])
    expect(streams.heartrate?.slice(0, 3)).toEqual([108, 120, 129])
    expect(streams.time).toHaveLength(28)
    expect(streams).toMatchObject({ sample_rate: 'irregular', original_size: 28 })
  })
})

describe('sleep data point → SleepSession (sleep_list.json)', () => {
  const sessions = pointsOf('sleep_list.json').map((point) => mapGoogleHealthSleep(point))

  it('maps the night of 13→14 March with contiguous stage segments in minutes', () => {
    const night = sessions[0]
    expect(sleepSessionSchema.parse(night)).toEqual(night)
    expect(night).toMatchObject({
      start_time: '2025-03-14T02:51:00Z',
      end_time: '2025-03-14T10:21:30Z',
      date_of_sleep: '2025-03-14',
      is_nap: false,
      utc_offset_seconds: -14_400,
      time_in_bed: 450,
      total_sleep_time: 421,
      sleep_efficiency: 93.6,
      sleep_score: null,
      stage_detail: 'segments',
      wake_count: 7,
      sleep_onset_latency: 0,
    })
    const stages = night?.stages ?? []
    expect(stages[0]).toEqual({
      stage_type: 'awake',
      start_time: '2025-03-14T02:51:00Z',
      duration_minutes: 8,
    })
    const minutes = (type: string) =>
      stages
        .filter((stage) => stage.stage_type === type)
        .reduce((sum, s) => sum + s.duration_minutes, 0)
    expect(minutes('deep')).toBe(100)
    expect(minutes('rem')).toBe(120)
    expect(minutes('light')).toBeCloseTo(201.5, 5)
    expect(minutes('awake')).toBe(29)
    for (let index = 1; index < stages.length; index += 1) {
      const previous = stages[index - 1]
      if (previous === undefined) continue
      expect(Date.parse(stages[index]?.start_time ?? '')).toBe(
        Date.parse(previous.start_time) + previous.duration_minutes * 60_000,
      )
    }
  })

  it('maps the classic nap: restless counts as awake, asleep stays asleep', () => {
    const nap = sessions[1]
    expect(nap).toMatchObject({
      is_nap: true,
      time_in_bed: 48,
      total_sleep_time: 41,
      wake_count: 1,
    })
    expect(new Set(nap?.stages.map((stage) => stage.stage_type))).toEqual(
      new Set(['awake', 'asleep']),
    )
  })

  it('adds the nightly vitals of the wake-up date to main sleeps only', () => {
    const vitals = mapGoogleHealthDailyValues([
      ...pointsOf('daily_heart_rate_variability_list.json'),
      ...pointsOf('daily_respiratory_rate_list.json'),
      ...pointsOf('daily_sleep_temperature_derivations_list.json'),
      ...pointsOf('daily_oxygen_saturation_list.json'),
    ])
    const night = withNightlyVitals(sessions[0] as never, vitals.get('2025-03-14'))
    expect(night).toMatchObject({
      hrv_during_sleep: 43.208,
      respiratory_rate: 15.4,
      temperature_variation: 0,
      spo2_average: 96.1,
    })
    expect(withNightlyVitals(sessions[1] as never, vitals.get('2025-03-13'))).toEqual(sessions[1])
  })
})

describe('daily data points → HRV and recovery', () => {
  it('maps daily HRV (RMSSD and deep-sleep RMSSD in ms)', () => {
    const hrv = pointsOf('daily_heart_rate_variability_list.json').map((p) => mapGoogleHealthHrv(p))
    expect(hrv).toHaveLength(7)
    for (const entry of hrv) expect(hrvDailySchema.safeParse(entry).success).toBe(true)
    expect(hrv[0]).toEqual({
      calendar_date: '2025-03-14',
      provider: 'fitbit',
      rmssd_ms: 43.208,
      deep_rmssd_ms: 46.001,
      window: 'sleep',
    })
  })

  it('joins five daily types per date, local midnight across the DST change, no invented score', () => {
    const vitals = mapGoogleHealthDailyValues(
      [
        'daily_resting_heart_rate_list.json',
        'daily_heart_rate_variability_list.json',
        'daily_respiratory_rate_list.json',
        'daily_oxygen_saturation_list.json',
        'daily_sleep_temperature_derivations_list.json',
      ].flatMap(pointsOf),
    )
    const recovery = mapGoogleHealthRecovery(vitals, (date) =>
      localMidnight(date, 'America/Toronto'),
    )
    expect(recovery.map((entry) => entry.calendar_date)).toEqual([
      '2025-03-08',
      '2025-03-09',
      '2025-03-10',
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
      '2025-03-14',
    ])
    for (const entry of recovery) expect(recoveryMetricsSchema.parse(entry)).toEqual(entry)
    expect(recovery[0]?.date).toBe('2025-03-08T05:00:00Z')
    expect(recovery[1]?.date).toBe('2025-03-09T05:00:00Z')
    expect(recovery[2]?.date).toBe('2025-03-10T04:00:00Z')
    expect(recovery[5]).toMatchObject({
      resting_heart_rate: 56,
      hrv_rmssd_ms: 36.512,
      resting_respiratory_rate: 16.2,
      spo2_percentage: 95.7,
      body_temperature: 0.4,
      recovery_score: null,
      readiness_score: null,
    })
  })
})

describe('identity, settings and body → Athlete', () => {
  it('uses the healthUserId, kg, m, bpm, the time zone and the metric preference', () => {
    const athlete = mapGoogleHealthAthlete({
      identity: fixture('identity.json'),
      settings: fixture('settings.json'),
      latestWeight: pointsOf('weight_list.json')[0],
      latestHeight: pointsOf('height_list.json')[0],
      latestRestingHeartRate: pointsOf('daily_resting_heart_rate_list.json')[0],
    })
    expect(athleteSchema.parse(athlete)).toEqual({
      id: '4k2Pq9Xw-Tm7Rb3Lc',
      username: '',
      provider: 'fitbit',
      weight_kg: 58.4,
      height_m: 1.67,
      resting_heart_rate: 54,
      time_zone: 'America/Toronto',
      measurement_preference: 'metric',
    })
    expect(mapGoogleHealthAthlete({ identity: { healthUserId: 'x' } })).toEqual({
      id: 'x',
      username: '',
      provider: 'fitbit',
    })
  })
})

describe('wire helpers', () => {
  it.for([
    { text: '2745s', seconds: 2745 },
    { text: '-14400s', seconds: -14_400 },
    { text: '0.5s', seconds: 0.5 },
    { text: '12', seconds: undefined },
    { text: 'PT1H', seconds: undefined },
  ])('parses the duration $text', ({ text, seconds }) => {
    expect(parseGoogleDuration(text)).toBe(seconds)
  })

  it('reads status, reason and metadata of Google error bodies, and nothing from others', () => {
    expect(readGoogleApiError(fixture('error_403_insufficient_scope.json'))).toMatchObject({
      status: 'PERMISSION_DENIED',
      reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
    })
    expect(readGoogleApiError(fixture('error_400_account_not_linked.json')).metadata).toEqual({
      redirect_uri: 'https://fitbit.google.com/auth/signup',
    })
    expect(readGoogleApiError('<html>404</html>')).toEqual({
      status: undefined,
      message: undefined,
      reason: undefined,
      metadata: {},
    })
  })
})
