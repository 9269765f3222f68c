import { readFileSync } from 'node:fs'
import {
  activitySchema,
  activityStreamsSchema,
  dailySummarySchema,
  healthMetricsSchema,
  hrvDailySchema,
  parseJsonPreservingBigIntegers,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  mapGarminActivity,
  mapGarminActivityDetails,
  mapGarminBodyComposition,
  mapGarminDaily,
  mapGarminDailyRecovery,
  mapGarminHrv,
  mapGarminSleep,
  mapGarminSport,
  mapGarminUserMetrics,
  parseGarminNotification,
} from '../src/index.js'

type Raw = Record<string, unknown>
const text = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
const first = (name: string, key: string): Raw =>
  ((parseJsonPreservingBigIntegers(text(name)) as Record<string, Raw[]>)[key] as Raw[])[0] as Raw

const rawActivity = first('push_activities.json', 'activities')
const rawDetails = first('push_activity_details.json', 'activityDetails')
const rawSleep = first('push_sleeps.json', 'sleeps')
const rawDaily = first('push_dailies.json', 'dailies')
const rawHrv = first('push_hrv.json', 'hrv')
const rawMetrics = first('push_user_metrics.json', 'userMetrics')

describe('activities → Activity (push_activities.json)', () => {
  const activity = mapGarminActivity(rawActivity)

  it('is a valid activity in SI units with the local clock and offset kept', () => {
    expect(activitySchema.parse(activity)).toEqual(activity)
    expect(activity).toMatchObject({
      id: '17882214507',
      provider: 'garmin',
      name: 'Montréal Running',
      sport_type: 'run',
      sport_type_detail: 'RUNNING',
      // 1741950133 s is 11:02:13 UTC; −14 400 s puts the local clock at 07:02:13.
      start_date: '2025-03-14T11:02:13Z',
      start_date_local: '2025-03-14T07:02:13',
      utc_offset_seconds: -14400,
      duration_seconds: 2745,
      distance_meters: 8012.4,
      elevation_gain: 15.2,
      elevation_loss: 17.1,
      average_speed: 2.981,
      max_speed: 4.238,
      average_heart_rate: 151,
      max_heart_rate: 174,
      steps: 8390,
      start_latitude: 45.479312,
      start_longitude: -73.577401,
      device_name: 'forerunner265',
      manual: false,
      streams_available: false,
    })
  })

  it('keeps run cadence as Garmin sends it (steps per minute, both feet: never doubled)', () => {
    expect(activity.average_cadence).toBe(173)
    expect(activity.max_cadence).toBe(190)
  })

  it('reports activeKilocalories as calories (active energy only) and no power it does not have', () => {
    expect(activity.calories).toBe(475)
    expect(activity.average_power).toBeUndefined()
    expect(activity.temperature).toBeUndefined()
  })

  it('agrees with itself: distance / average speed is a moving time shorter than the elapsed time', () => {
    const movingSeconds = 8012.4 / (activity.average_speed as number)
    expect(movingSeconds).toBeGreaterThan(2600)
    expect(movingSeconds).toBeLessThan(activity.duration_seconds)
  })

  it('derives speed from pace when Garmin sends only the pace (min/km → m/s)', () => {
    const {
      averageSpeedInMetersPerSecond: _a,
      maxSpeedInMetersPerSecond: _m,
      ...paceOnly
    } = rawActivity
    const mapped = mapGarminActivity(paceOnly)
    expect(mapped.average_speed).toBeCloseTo(1000 / (5.59 * 60), 3)
    expect(mapped.max_speed).toBeCloseTo(1000 / (3.93 * 60), 3)
  })

  it('gives no speed for a pace so small that the speed would be Infinity', () => {
    const {
      averageSpeedInMetersPerSecond: _a,
      maxSpeedInMetersPerSecond: _m,
      ...paceOnly
    } = rawActivity
    // Found by the notification property test (seed 1691482525): 5e-324 min/km.
    const mapped = mapGarminActivity({ ...paceOnly, averagePaceInMinutesPerKilometer: 5e-324 })
    expect(mapped.average_speed ?? null).toBeNull()
    expect(mapped.max_speed).toBeCloseTo(1000 / (3.93 * 60), 3)
    expect(activitySchema.safeParse(mapped).success).toBe(true)
  })

  it('uses bike cadence (rpm) for rides, the sport name without a title, null distance for strength', () => {
    const ride = mapGarminActivity({
      summaryId: '1',
      activityType: 'ROAD_BIKING',
      startTimeInSeconds: 1741950133,
      durationInSeconds: 3600,
      averageBikeCadenceInRoundsPerMinute: 88.4,
      averagePowerInWatts: 181.6,
    })
    expect(ride).toMatchObject({ name: 'Ride', average_cadence: 88, average_power: 182 })
    expect(ride.start_date_local).toBeUndefined()
    const strength = mapGarminActivity({
      activityId: 2,
      activityType: 'STRENGTH_TRAINING',
      startTimeInSeconds: 1741950133,
      distanceInMeters: 0,
    })
    expect(strength).toMatchObject({ id: '2', name: 'Strength Training', distance_meters: null })
  })
})

describe('activityDetails → Activity + streams (push_activity_details.json)', () => {
  const { activity, streams } = mapGarminActivityDetails(rawDetails)

  it('uses the summary id of the embedded summary, not the "-detail" id of the item', () => {
    expect(activity.id).toBe('17882214507')
    expect(activitySchema.parse(activity)).toEqual(activity)
    expect(activity.streams_available).toBe(true)
  })

  it('maps the 8 one-second samples to valid streams (s, m, m/s, bpm, steps/min, °C)', () => {
    expect(streams).toBeDefined()
    const parsed = activityStreamsSchema.safeParse(streams)
    expect(parsed.success, parsed.error?.message).toBe(true)
    expect(streams).toMatchObject({
      activity_id: '17882214507',
      provider: 'garmin',
      start_date: '2025-03-14T11:02:13Z',
      sample_rate: '1hz',
      original_size: 8,
      time: [0, 1, 2, 3, 4, 5, 6, 7],
      distance: [0, 2.5, 5, 7.5, 10, 12.6, 15.1, 17.6],
      altitude: [19.8, 19.8, 19.8, 19.9, 19.9, 19.9, 19.9, 19.9],
      velocity: [2.485, 2.502, 2.511, 2.528, 2.543, 2.532, 2.518, 2.508],
      heartrate: [96, 98, 100, 100, 102, 104, 105, 106],
      cadence: [0, 170, 168, 170, 172, 168, 170, 172],
      temperature: [4, 4, 4, 4, 4, 4, 4, 4],
      // From increments of movingDurationInSeconds: 0→0 still, then one second more each time.
      moving: [null, false, true, true, true, true, true, true],
    })
    expect(streams?.latlng?.[1]).toEqual([45.479303, -73.577431])
    expect(streams?.watts).toBeUndefined()
  })

  it('turns lap start times into boundaries that add up to the elapsed time', () => {
    const laps = activity.laps ?? []
    expect(laps).toHaveLength(9)
    expect(laps.map((lap) => lap.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(laps[1]).toEqual({ index: 2, start_date: '2025-03-14T11:08:14Z', duration_seconds: 338 })
    expect(laps.reduce((sum, lap) => sum + lap.duration_seconds, 0)).toBe(2745)
  })

  it('computes nothing from samples that cover only the first seconds', () => {
    expect(activity.laps?.[0]).toEqual({
      index: 1,
      start_date: '2025-03-14T11:02:13Z',
      duration_seconds: 361,
    })
    expect(activity.temperature).toBeUndefined()
    expect(activity.moving_time_seconds).toBeUndefined()
  })

  it('computes lap figures, moving time and temperature when the samples cover the activity', () => {
    const start = 1741950133
    const samples = Array.from({ length: 10 }, (_, second) => ({
      startTimeInSeconds: start + second,
      heartRate: 120 + second,
      speedMetersPerSecond: 3,
      stepsPerMinute: 170,
      totalDistanceInMeters: second * 3,
      airTemperatureCelcius: second < 5 ? 4 : 6,
      movingDurationInSeconds: second,
    }))
    const full = mapGarminActivityDetails({
      summary: {
        summaryId: '9',
        activityType: 'RUNNING',
        startTimeInSeconds: start,
        durationInSeconds: 10,
      },
      samples,
      laps: [{ startTimeInSeconds: start }, { startTimeInSeconds: start + 5 }],
    })
    expect(full.activity.temperature).toBe(5)
    expect(full.activity.moving_time_seconds).toBe(9)
    expect(full.activity.laps?.[0]).toMatchObject({
      duration_seconds: 5,
      distance_meters: 15,
      average_speed: 3,
      average_heart_rate: 122,
      max_heart_rate: 124,
      average_cadence: 170,
      start_index: 0,
      end_index: 4,
    })
    // The last lap ends with the last sample: its distance runs to it.
    expect(full.activity.laps?.[1]).toMatchObject({
      distance_meters: 12,
      start_index: 5,
      end_index: 9,
    })
  })
})

describe('sleeps → SleepSession (push_sleeps.json)', () => {
  const sleep = mapGarminSleep(rawSleep)

  it('is valid, with the in-bed window from the first to the last segment', () => {
    expect(sleepSessionSchema.parse(sleep)).toEqual(sleep)
    expect(sleep).toMatchObject({
      id: 'xd3315b1-67d39994-5f46',
      provider: 'garmin',
      start_time: '2025-03-14T02:51:00Z',
      end_time: '2025-03-14T09:37:30Z',
      date_of_sleep: '2025-03-14',
      utc_offset_seconds: -14400,
      is_nap: false,
      sleep_score: 82,
      stage_detail: 'segments',
    })
  })

  it('counts minutes: in bed 24 390 s → 407, asleep 23 280 s → 388, efficiency from the two', () => {
    expect(sleep.time_in_bed).toBe(407)
    expect(sleep.total_sleep_time).toBe(388)
    expect(sleep.sleep_efficiency).toBeCloseTo((100 * 388) / 407, 6)
  })

  it('orders the 19 segments and keeps each stage total equal to Garmin’s', () => {
    expect(sleep.stages).toHaveLength(19)
    const starts = sleep.stages.map((stage) => Date.parse(stage.start_time))
    expect(starts).toEqual([...starts].sort((left, right) => left - right))
    const minutes = (type: string) =>
      sleep.stages
        .filter((stage) => stage.stage_type === type)
        .reduce((sum, stage) => sum + stage.duration_minutes, 0)
    expect(minutes('deep')).toBe(5400 / 60)
    expect(minutes('light')).toBe(10680 / 60)
    expect(minutes('rem')).toBe(7200 / 60)
    expect(minutes('awake')).toBe(1110 / 60)
  })

  it('averages respiration (breaths/min) and SpO2 (%), and reads awakenings and latency', () => {
    expect(sleep.respiratory_rate).toBeCloseTo((14.8 + 15.1 + 15.0 + 14.6) / 4, 1)
    expect(sleep.spo2_average).toBe(96)
    expect(sleep.wake_count).toBe(1)
    expect(sleep.sleep_onset_latency).toBe(8)
  })

  it('falls back to stage totals without a level map', () => {
    const { sleepLevelsMap: _map, ...totalsOnly } = rawSleep
    const mapped = mapGarminSleep(totalsOnly)
    expect(mapped.stage_detail).toBe('totals')
    expect(mapped.time_in_bed).toBe(407)
    expect(sleepSessionSchema.safeParse(mapped).success).toBe(true)
  })
})

describe('dailies → DailySummary and RecoveryMetrics (push_dailies.json)', () => {
  it('maps the day: kcal total = active + BMR, intensity seconds → minutes, stress 0–100', () => {
    const daily = mapGarminDaily(rawDaily)
    expect(dailySummarySchema.parse(daily)).toEqual(daily)
    expect(daily).toEqual({
      calendar_date: '2025-03-14',
      provider: 'garmin',
      steps: 17241,
      distance_meters: 13870,
      floors: 8,
      total_calories: 1187 + 1362,
      active_calories: 1187,
      bmr_calories: 1362,
      moderate_minutes: 1140 / 60,
      vigorous_minutes: 2880 / 60,
      resting_heart_rate: 54,
      average_heart_rate: 71,
      min_heart_rate: 49,
      max_heart_rate: 174,
      stress_average: 27,
      stress_max: 91,
    })
  })

  it('does not present Body Battery charged/drained amounts as highs and lows', () => {
    const daily = mapGarminDaily(rawDaily)
    expect(daily.body_battery_high).toBeUndefined()
    expect(
      mapGarminDaily({ ...rawDaily, bodyBatteryHighestValue: 88, bodyBatteryLowestValue: 17 }),
    ).toMatchObject({ body_battery_high: 88, body_battery_low: 17 })
  })

  it('gives the recovery day at local midnight (04:00 UTC in Montréal) without inventing a score', () => {
    const recovery = mapGarminDailyRecovery(rawDaily)
    expect(recoveryMetricsSchema.parse(recovery)).toEqual(recovery)
    expect(recovery).toEqual({
      date: '2025-03-14T04:00:00Z',
      calendar_date: '2025-03-14',
      provider: 'garmin',
      stress_level: 27,
      resting_heart_rate: 54,
      source_record_id: 'xd3315b1-67d3a9c0',
    })
    // Local midnight equals the day's own start instant.
    expect(Date.parse(recovery.date) / 1000).toBe(rawDaily.startTimeInSeconds)
  })
})

describe('hrv → HrvDaily (push_hrv.json)', () => {
  it('maps the night’s RMSSD in ms and times each 5-minute value', () => {
    const hrv = mapGarminHrv(rawHrv)
    expect(hrvDailySchema.parse(hrv)).toEqual(hrv)
    expect(hrv).toMatchObject({
      calendar_date: '2025-03-14',
      provider: 'garmin',
      rmssd_ms: 44,
      five_min_high_ms: 61,
      window: 'sleep',
    })
    expect(hrv.samples).toHaveLength(11)
    expect(hrv.samples?.[0]).toEqual({ time: '2025-03-14T02:56:00Z', rmssd_ms: 38 })
    expect(Math.max(...(hrv.samples ?? []).map((sample) => sample.rmssd_ms))).toBe(61)
  })
})

describe('userMetrics and bodyComps → HealthMetrics', () => {
  it('maps the running VO2max of push_user_metrics.json', () => {
    const metrics = mapGarminUserMetrics(rawMetrics)
    expect(healthMetricsSchema.parse(metrics)).toEqual(metrics)
    expect(metrics).toEqual({
      date: '2025-03-14T00:00:00Z',
      calendar_date: '2025-03-14',
      provider: 'garmin',
      vo2_max: 48,
    })
  })

  it('converts body-composition grams to kg (approximate shape, no fixture)', () => {
    const body = mapGarminBodyComposition({
      summaryId: 'x-1',
      measurementTimeInSeconds: 1741950000,
      measurementTimeOffsetInSeconds: -14400,
      weightInGrams: 58400,
      bodyFatInPercent: 21.5,
      muscleMassInGrams: 24100,
      boneMassInGrams: 2600,
      bodyMassIndex: 21.2,
    })
    expect(healthMetricsSchema.parse(body)).toEqual(body)
    expect(body).toMatchObject({
      calendar_date: '2025-03-14',
      weight: 58.4,
      muscle_mass: 24.1,
      bone_mass: 2.6,
      body_fat_percentage: 21.5,
      bmi: 21.2,
    })
  })
})

describe('lifecycle and ping fixtures', () => {
  it('reads deregistrations, permission changes, pings and activity files', () => {
    expect(parseGarminNotification(text('push_deregistrations.json')).events).toEqual([
      {
        kind: 'deauthorized',
        resource: 'user',
        providerUserId: 'd3315b1072421d0dd7c8f6b8e1de4df8',
        summaryType: 'deregistrations',
      },
    ])
    expect(parseGarminNotification(text('push_user_permissions_change.json')).events).toEqual([
      {
        kind: 'permissions_changed',
        resource: 'user',
        providerUserId: 'd3315b1072421d0dd7c8f6b8e1de4df8',
        summaryType: 'userPermissionsChange',
        permissions: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'],
      },
    ])
    const [ping] = parseGarminNotification(text('ping_activities.json')).events
    expect(ping).toMatchObject({ kind: 'upsert', resource: 'activity', summaryType: 'activities' })
    expect(ping?.callbackUrl).toMatch(
      /^https:\/\/apis\.garmin\.com\/wellness-api\/rest\/activities\?/,
    )
    expect(ping?.records).toBeUndefined()
    expect(parseGarminNotification(text('push_activity_files.json'))).toEqual({
      events: [],
      skipped: [{ summaryType: 'activityFiles', index: 0, reason: 'activity_files_not_supported' }],
    })
  })

  it('turns every data fixture into upsert events keyed by summary id', () => {
    const cases = [
      ['push_activities.json', [['activity', '17882214507']]],
      [
        'push_activity_details.json',
        [
          ['activity', '17882214507'],
          ['streams', '17882214507'],
        ],
      ],
      ['push_sleeps.json', [['sleep', 'xd3315b1-67d39994-5f46']]],
      [
        'push_dailies.json',
        [
          ['daily', 'xd3315b1-67d3a9c0'],
          ['recovery', 'xd3315b1-67d3a9c0'],
        ],
      ],
      ['push_hrv.json', [['hrv', 'xd3315b1-67d39994']]],
      ['push_user_metrics.json', [['health', 'userMetrics:xd3315b1-67d3a9c0']]],
    ] as const
    for (const [file, expected] of cases) {
      const { events, skipped } = parseGarminNotification(text(file))
      expect(skipped, file).toEqual([])
      expect(
        events.map((event) => [event.resource, event.ids?.[0]]),
        file,
      ).toEqual(expected)
    }
  })
})

describe('activityType → SportType', () => {
  it.for([
    ['RUNNING', 'run'],
    ['trail_running', 'trail_running'],
    ['TREADMILL_RUNNING', 'virtual_run'],
    ['GRAVEL_CYCLING', 'gravel_ride'],
    ['INDOOR_CYCLING', 'virtual_ride'],
    ['E_BIKE_FITNESS', 'ebike_ride'],
    ['OPEN_WATER_SWIMMING', 'swim'],
    ['RESORT_SKIING_SNOWBOARDING', 'alpine_skiing'],
    ['CROSS_COUNTRY_SKIING_WS', 'cross_country_skiing'],
    ['STAND_UP_PADDLEBOARDING', 'paddleboarding'],
    ['INDOOR_ROWING', 'rowing'],
    ['ELLIPTICAL', 'workout'],
    ['OBSTACLE_RUN', 'run'],
    ['HANDCYCLING', 'ride'],
    ['Mountain Biking', 'mountain_bike'],
    ['BREATHWORK', 'other'],
  ] as const)('%s → %s', ([raw, sport]) => {
    expect(mapGarminSport(raw)).toBe(sport)
  })
})
