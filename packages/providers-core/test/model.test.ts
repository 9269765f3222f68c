import { describe, expect, it } from 'vitest'
import {
  activitySchema,
  activityStreamsSchema,
  athleteSchema,
  dailySummarySchema,
  hrvDailySchema,
  isProviderError,
  normalizeRunCadence,
  parseActivityQuery,
  parseDateRange,
  recoveryMetricsSchema,
  sleepSessionSchema,
  sportTypes,
  statsSchema,
} from '../src/index.js'

// The 8.0 km canal run of the shared fixtures (strava/athlete_activities.json), normalized.
const canalRun = {
  id: '13876543210',
  provider: 'strava',
  name: 'Morning Run',
  sport_type: 'run',
  sport_type_detail: 'Run',
  start_date: '2025-03-14T11:02:13Z',
  start_date_local: '2025-03-14T07:02:13',
  utc_offset_seconds: -14_400,
  time_zone: 'America/Toronto',
  duration_seconds: 2745,
  moving_time_seconds: 2688,
  distance_meters: 8012.4,
  elevation_gain: 21.4,
  average_speed: 2.981,
  max_speed: 4.1,
  average_heart_rate: 152,
  max_heart_rate: 171,
  average_cadence: 173,
  start_latitude: 45.4797,
  start_longitude: -73.5706,
}

describe('activity model (spec §3.2)', () => {
  it('accepts a normalized activity in SI units with its local time kept', () => {
    const parsed = activitySchema.parse(canalRun)
    expect(parsed.start_date_local).toBe('2025-03-14T07:02:13')
    expect(parsed.utc_offset_seconds).toBe(-14_400)
  })

  it.for(['id', 'provider', 'name', 'sport_type', 'start_date', 'duration_seconds'])(
    'requires %s',
    (field) => {
      const { [field as keyof typeof canalRun]: _dropped, ...rest } = canalRun
      expect(activitySchema.safeParse(rest).success).toBe(false)
    },
  )

  it('accepts null and absence for every optional field', () => {
    expect(
      activitySchema.safeParse({ ...canalRun, distance_meters: null, laps: null }).success,
    ).toBe(true)
  })

  it.for([
    {
      name: 'a start instant with an offset instead of Z',
      patch: { start_date: '2025-03-14T07:02:13-04:00' },
    },
    { name: 'a local time with a zone', patch: { start_date_local: '2025-03-14T07:02:13Z' } },
    { name: 'fractional elapsed seconds', patch: { duration_seconds: 2745.5 } },
    { name: 'a negative distance', patch: { distance_meters: -1 } },
    { name: 'a heart rate in bps (2.5)', patch: { average_heart_rate: 2.5 } },
    { name: 'a heart rate above 300 bpm', patch: { max_heart_rate: 400 } },
    { name: 'a latitude beyond 90°', patch: { start_latitude: 145.4 } },
    { name: 'an unknown sport type', patch: { sport_type: 'Run' } },
    { name: 'a strain above 21', patch: { strain: 22 } },
    { name: 'a provider name in capitals', patch: { provider: 'Strava' } },
  ])('rejects $name', ({ patch }) => {
    expect(activitySchema.safeParse({ ...canalRun, ...patch }).success).toBe(false)
  })

  it('lists the 36 sport types of the spec, other last', () => {
    expect(sportTypes).toHaveLength(36)
    expect(sportTypes.at(-1)).toBe('other')
  })
})

describe('normalizeRunCadence (spec §2)', () => {
  it.for([
    { sportType: 'run', cadence: 86.5, perLeg: undefined, expected: 173 },
    { sportType: 'run', cadence: 172, perLeg: undefined, expected: 172 },
    { sportType: 'hike', cadence: 50, perLeg: true, expected: 100 },
    { sportType: 'ride', cadence: 88.4, perLeg: undefined, expected: 88 },
    { sportType: 'run', cadence: null, perLeg: undefined, expected: null },
  ] as const)('$sportType $cadence → $expected', ({ sportType, cadence, perLeg, expected }) => {
    expect(
      normalizeRunCadence(cadence, perLeg === undefined ? { sportType } : { sportType, perLeg }),
    ).toBe(expected)
  })
})

describe('streams model (spec §3.3)', () => {
  const streams = {
    activity_id: '13876543210',
    provider: 'strava',
    start_date: '2025-03-14T11:02:13Z',
    sample_rate: 'irregular',
    original_size: 4,
    time: [0, 1, 2, 4],
    heartrate: [120, null, 122, 125],
    latlng: [[45.4797, -73.5706], null, [45.48, -73.57], [45.4801, -73.5699]],
    moving: [true, true, false, true],
  }

  it('accepts series as long as time, with null gaps', () => {
    expect(activityStreamsSchema.safeParse(streams).success).toBe(true)
  })

  it('requires time', () => {
    const { time: _time, ...rest } = streams
    expect(activityStreamsSchema.safeParse(rest).success).toBe(false)
  })

  it('rejects a series of another length and a decreasing time axis', () => {
    const short = activityStreamsSchema.safeParse({ ...streams, heartrate: [120, 121] })
    expect(short.success).toBe(false)
    expect(short.error?.issues[0]?.path).toEqual(['heartrate'])
    expect(activityStreamsSchema.safeParse({ ...streams, time: [0, 2, 1, 4] }).success).toBe(false)
  })
})

describe('athlete, stats and health models (spec §3.4–3.9)', () => {
  it('accepts an athlete in kg and m and refuses a height in cm', () => {
    const athlete = {
      id: '48213977',
      username: '',
      provider: 'strava',
      weight_kg: 58.4,
      height_m: 1.68,
    }
    expect(athleteSchema.safeParse(athlete).success).toBe(true)
    expect(athleteSchema.safeParse({ ...athlete, height_m: 168 }).success).toBe(false)
  })

  it('keeps unknown totals as null, not zero', () => {
    const stats = {
      total_activities: null,
      total_distance: 1_234_000,
      total_duration: null,
      total_elevation_gain: null,
    }
    expect(statsSchema.parse(stats).total_activities).toBeNull()
    expect(statsSchema.safeParse({ total_distance: 1 }).success).toBe(false)
  })

  it('accepts a night with stages and refuses an efficiency given as a fraction above 100', () => {
    const night = {
      id: 'fitbit:48',
      provider: 'fitbit',
      start_time: '2025-03-14T03:12:00Z',
      end_time: '2025-03-14T10:41:00Z',
      date_of_sleep: '2025-03-14',
      is_nap: false,
      time_in_bed: 449,
      total_sleep_time: 412,
      sleep_efficiency: 91.8,
      stages: [{ stage_type: 'light', start_time: '2025-03-14T03:12:00Z', duration_minutes: 30 }],
      stage_detail: 'segments',
    }
    expect(sleepSessionSchema.safeParse(night).success).toBe(true)
    expect(sleepSessionSchema.safeParse({ ...night, sleep_efficiency: 918 }).success).toBe(false)
    expect(sleepSessionSchema.safeParse({ ...night, date_of_sleep: '2025-02-30' }).success).toBe(
      false,
    )
  })

  it('accepts recovery, HRV and daily summaries with calendar dates', () => {
    expect(
      recoveryMetricsSchema.safeParse({
        date: '2025-03-14T04:00:00Z',
        calendar_date: '2025-03-14',
        provider: 'whoop',
        recovery_score: 67,
        hrv_rmssd_ms: 61.2,
      }).success,
    ).toBe(true)
    expect(
      hrvDailySchema.safeParse({
        calendar_date: '2025-03-14',
        provider: 'fitbit',
        rmssd_ms: 58.1,
        window: 'sleep',
      }).success,
    ).toBe(true)
    expect(
      dailySummarySchema.safeParse({
        calendar_date: '2025-03-14',
        provider: 'garmin',
        steps: 10_512.5,
      }).success,
    ).toBe(false)
  })
})

describe('queries (spec §3.10)', () => {
  it('accepts a query and lists every issue of a bad one', () => {
    expect(parseActivityQuery({ limit: 30, after: 1_741_900_000 })).toEqual({
      limit: 30,
      after: 1_741_900_000,
    })
    try {
      parseActivityQuery({ limit: 0, offset: -1, sport_types: ['Run'] })
      expect.unreachable()
    } catch (error) {
      expect(isProviderError(error) && error.code).toBe('invalid_argument')
      expect(isProviderError(error) ? error.details?.issues : undefined).toHaveLength(3)
    }
  })

  it('refuses an empty or reversed date range', () => {
    expect(() =>
      parseDateRange({ start: '2025-03-14T00:00:00Z', end: '2025-03-14T00:00:00Z' }),
    ).toThrow('start must be earlier than end')
  })
})
