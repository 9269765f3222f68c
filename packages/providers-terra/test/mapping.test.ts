import {
  activitySchema,
  activityStreamsSchema,
  dailySummarySchema,
  healthMetricsSchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  mapTerraActivity,
  mapTerraActivityStreams,
  mapTerraBody,
  mapTerraDaily,
  mapTerraDailyRecovery,
  mapTerraSleep,
  mapTerraSleepHrv,
  mapTerraSport,
} from '../src/index.js'
import {
  terraAuthenticateUserSchema,
  terraDataResponseSchema,
  terraDeauthenticateSchema,
  terraSubscriptionsSchema,
  terraUserInfoSchema,
  terraWebhookSchema,
  terraWidgetSessionSchema,
} from '../src/schemas.js'
import { firstData, fixture } from './support.js'

const activity = firstData('activity_get.json')
const sleep = firstData('sleep_get.json')
const daily = firstData('daily_get.json')
const body = firstData('body_get.json')

describe('fixtures parse with the DTO schemas (spec §10 fidelity)', () => {
  it.for([
    { file: 'activity_get.json', schema: terraDataResponseSchema },
    { file: 'activity_get_to_webhook.json', schema: terraDataResponseSchema },
    { file: 'sleep_get.json', schema: terraDataResponseSchema },
    { file: 'daily_get.json', schema: terraDataResponseSchema },
    { file: 'body_get.json', schema: terraDataResponseSchema },
    { file: 'auth_generate_widget_session.json', schema: terraWidgetSessionSchema },
    { file: 'auth_authenticate_user.json', schema: terraAuthenticateUserSchema },
    { file: 'auth_deauthenticate_user.json', schema: terraDeauthenticateSchema },
    { file: 'user_info.json', schema: terraUserInfoSchema },
    { file: 'subscriptions.json', schema: terraSubscriptionsSchema },
    { file: 'webhook_activity.json', schema: terraWebhookSchema },
    { file: 'webhook_sleep.json', schema: terraWebhookSchema },
    { file: 'webhook_auth.json', schema: terraWebhookSchema },
    { file: 'webhook_deauth.json', schema: terraWebhookSchema },
    { file: 'webhook_healthcheck.json', schema: terraWebhookSchema },
  ])('$file', ({ file, schema }) => {
    const result = schema.safeParse(fixture(file))
    expect(result.success, result.error?.message).toBe(true)
  })

  it('webhook data objects are the same objects the GET endpoints return', () => {
    expect(firstData('webhook_activity.json')).toEqual(activity)
    expect(firstData('webhook_sleep.json')).toEqual(sleep)
  })
})

describe('activity_get.json → Activity', () => {
  const mapped = mapTerraActivity(activity)

  it('is a valid normalized activity', () => {
    expect(activitySchema.parse(mapped)).toEqual(mapped)
  })

  it('keeps the identity, sport and time: UTC start, local wall clock, offset, elapsed time', () => {
    expect(mapped).toMatchObject({
      id: '17882214507',
      provider: 'terra',
      name: 'Montréal Running',
      sport_type: 'run',
      sport_type_detail: '8',
      // 07:02:13-04:00 is 11:02:13 UTC; 07:02:13 → 07:47:58 is 45 min 45 s.
      start_date: '2025-03-14T11:02:13Z',
      start_date_local: '2025-03-14T07:02:13',
      utc_offset_seconds: -14_400,
      duration_seconds: 2745,
      moving_time_seconds: 2688,
    })
  })

  it('reads distances in m, speeds in m/s, heart rate rounded to bpm, energy in kcal', () => {
    expect(mapped).toMatchObject({
      distance_meters: 8012.4,
      elevation_gain: 15.2,
      elevation_loss: 17.1,
      steps: 8390,
      average_speed: 2.981,
      max_speed: 4.238,
      average_heart_rate: 151, // 151.2
      max_heart_rate: 174,
      calories: 475,
    })
    // energy_kilojoules (1988 kJ ≈ 475 kcal) is metabolic energy, not mechanical work.
    expect(mapped.kilojoules).toBeUndefined()
    expect(mapped.average_power).toBeUndefined()
  })

  it('doubles the per-leg running cadence to steps per minute (spec §2)', () => {
    expect(mapped.average_cadence).toBe(173) // 86.5 × 2
    expect(mapped.max_cadence).toBe(190) // 95 × 2
  })

  it('turns zone percentages of the 186 bpm maximum into bpm, and seconds into minutes', () => {
    expect(mapped.heart_rate_zones).toEqual([
      { name: 'Zone 0', min_hr: 0, max_hr: 93, minutes: 0 },
      { name: 'Zone 1', min_hr: 93, max_hr: 112, minutes: 1.58 },
      { name: 'Zone 2', min_hr: 112, max_hr: 130, minutes: 2.97 },
      { name: 'Zone 3', min_hr: 130, max_hr: 149, minutes: 25.18 },
      { name: 'Zone 4', min_hr: 149, max_hr: 167, minutes: 15.47 },
      { name: 'Zone 5', min_hr: 167, max_hr: 186, minutes: 0.55 },
    ])
    const zoneSeconds = (mapped.heart_rate_zones ?? []).reduce(
      (sum, zone) => sum + zone.minutes * 60,
      0,
    )
    expect(zoneSeconds).toBeCloseTo(2745, -1)
  })

  it('keeps position, polyline, place, device and laps', () => {
    expect(mapped).toMatchObject({
      start_latitude: 45.479312,
      start_longitude: -73.577401,
      end_latitude: 45.47757,
      end_longitude: -73.576258,
      city: 'Montréal',
      region: 'QC',
      country: 'CA',
      device_name: 'Forerunner 265',
      manual: false,
      streams_available: true,
    })
    expect(mapped.polyline?.startsWith('utqtGvqa`M')).toBe(true)
    expect(mapped.laps).toEqual([
      {
        index: 1,
        start_date: '2025-03-14T11:02:13Z',
        duration_seconds: 361,
        distance_meters: 1001,
        average_speed: 2.77,
        average_heart_rate: 142,
      },
      {
        index: 2,
        start_date: '2025-03-14T11:08:14Z',
        duration_seconds: 338,
        distance_meters: 999.5,
        average_speed: 2.96,
        average_heart_rate: 150,
      },
      {
        index: 3,
        start_date: '2025-03-14T11:13:52Z',
        duration_seconds: 342,
        distance_meters: 1000.7,
        average_speed: 2.93,
        average_heart_rate: 149,
      },
    ])
  })

  it('reads power, TSS, work and calories from energy when Terra has them', () => {
    const ride = mapTerraActivity({
      ...activity,
      metadata: { ...(activity.metadata as object), type: 16, upload_type: 2 },
      movement_data: { avg_cadence_rpm: 88, max_cadence_rpm: 121 },
      power_data: { avg_watts: 201.6, max_watts: 612, power_samples: [] },
      TSS_data: {
        TSS_samples: [
          {
            planned: 80,
            actual: 74.2,
            intensity_factor_actual: 0.88,
            normalized_power_watts: 214.4,
          },
        ],
      },
      work_data: { work_kilojoules: 545 },
      calories_data: { total_burned_calories: null },
      energy_data: { energy_kilojoules: 2092 },
    })
    expect(ride).toMatchObject({
      sport_type: 'ride',
      manual: true,
      average_cadence: 88, // rpm: not doubled for rides
      max_cadence: 121,
      average_power: 202,
      max_power: 612,
      normalized_power: 214,
      training_stress_score: 74.2,
      intensity_factor: 0.88,
      kilojoules: 545,
      calories: 500, // 2092 kJ / 4.184
    })
    expect(activitySchema.safeParse(ride).success).toBe(true)
  })

  it('names an untitled activity after its sport and falls back to the start for the id', () => {
    const untitled = mapTerraActivity({
      metadata: {
        type: 35,
        start_time: '2025-03-09T10:00:00.000000-04:00',
        end_time: '2025-03-09T12:30:00.000000-04:00',
      },
    })
    expect(untitled).toMatchObject({
      id: 'start-2025-03-09T14:00:00Z',
      name: 'Hike',
      sport_type: 'hike',
      duration_seconds: 9000,
    })
    expect(activitySchema.safeParse(untitled).success).toBe(true)
  })

  it('refuses an activity without a usable start with invalid_data', () => {
    expect(() => mapTerraActivity({ metadata: { start_time: 'yesterday' } })).toThrow(
      expect.objectContaining({ code: 'invalid_data', provider: 'terra' }),
    )
  })
})

describe('mapTerraSport (Terra ActivityType)', () => {
  it.for([
    { type: 1, sport: 'ride' },
    { type: 7, sport: 'walk' },
    { type: 8, sport: 'run' },
    { type: 15, sport: 'mountain_bike' },
    { type: 16, sport: 'ride' },
    { type: 17, sport: 'virtual_ride' },
    { type: 18, sport: 'virtual_ride' },
    { type: 35, sport: 'hike' },
    { type: 49, sport: 'pilates' },
    { type: 52, sport: 'rock_climbing' },
    { type: 53, sport: 'rowing' },
    { type: 54, sport: 'rowing' },
    { type: 56, sport: 'run' },
    { type: 58, sport: 'virtual_run' },
    { type: 67, sport: 'cross_country_skiing' },
    { type: 68, sport: 'alpine_skiing' },
    { type: 73, sport: 'snowboarding' },
    { type: 80, sport: 'strength_training' },
    { type: 82, sport: 'swim' },
    { type: 83, sport: 'swim' },
    { type: 84, sport: 'swim' },
    { type: 97, sport: 'strength_training' },
    { type: 100, sport: 'yoga' },
    { type: 108, sport: 'other' },
    { type: 113, sport: 'crossfit' },
    { type: 114, sport: 'workout' },
    { type: 999, sport: 'other' },
    { type: '8', sport: 'other' },
    { type: 8.5, sport: 'other' },
  ])('$type → $sport (spec §6.6)', ({ type, sport }) => {
    expect(mapTerraSport(type)).toBe(sport)
  })
})

describe('activity samples → ActivityStreams', () => {
  const streams = mapTerraActivityStreams(activity)

  it('aligns every series on the sample timestamps, in SI units', () => {
    expect(activityStreamsSchema.parse(streams)).toEqual(streams)
    expect(streams).toEqual({
      activity_id: '17882214507',
      provider: 'terra',
      start_date: '2025-03-14T11:02:13Z',
      sample_rate: 'irregular',
      original_size: 6,
      time: [0, 1, 2, 3, 4, 5],
      distance: [0, 2.5, 5, 7.5, 10, 12.6],
      latlng: [
        [45.479312, -73.577401],
        [45.479303, -73.577431],
        [45.479295, -73.57746],
        [45.479286, -73.57749],
        [45.479277, -73.57752],
        [45.479268, -73.57755],
      ],
      velocity: [2.485, 2.502, 2.511, 2.528, 2.543, 2.532],
      heartrate: [96, 98, 100, 100, 102, 104],
      cadence: [0, 170, 168, 170, 172, 168],
    })
  })

  it('leaves gaps as null where one series has no sample, and omits absent series', () => {
    const sparse = mapTerraActivityStreams({
      metadata: activity.metadata,
      heart_rate_data: {
        detailed: {
          hr_samples: [
            { timestamp: '2025-03-14T07:02:13.000000-04:00', bpm: 96 },
            { timestamp: '2025-03-14T07:02:23.000000-04:00', bpm: 120 },
          ],
        },
      },
      power_data: {
        power_samples: [{ timestamp: '2025-03-14T07:02:18.000000-04:00', watts: 250 }],
      },
      distance_data: {
        detailed: {
          elevation_samples: [{ timestamp: '2025-03-14T07:02:23.000000-04:00', elev_metres: 21.5 }],
        },
      },
    })
    expect(sparse).toMatchObject({
      time: [0, 5, 10],
      heartrate: [96, null, 120],
      watts: [null, 250, null],
      altitude: [null, null, 21.5],
    })
    expect(sparse.velocity).toBeUndefined()
    expect(activityStreamsSchema.safeParse(sparse).success).toBe(true)
  })
})

describe('sleep_get.json → SleepSession and HrvDaily', () => {
  const session = mapTerraSleep(sleep)

  it('is a valid session: UTC window, wake-up date, minutes, recomputed efficiency', () => {
    expect(sleepSessionSchema.parse(session)).toEqual(session)
    expect(session).toMatchObject({
      id: 'xd3315b1-67d39994-5f46',
      start_time: '2025-03-14T02:51:00Z', // 22:51-04:00 the evening before
      end_time: '2025-03-14T09:37:30Z',
      date_of_sleep: '2025-03-14',
      is_nap: false,
      utc_offset_seconds: -14_400,
      time_in_bed: 407, // 24 390 s = 406.5 min, rounded half up
      total_sleep_time: 388, // 23 280 s
      sleep_efficiency: 95.33, // 100 × 388 / 407, not Terra's 0.954 ratio
      sleep_score: 82,
      stage_detail: 'segments',
      hrv_during_sleep: 44,
      respiratory_rate: 14.9,
      average_heart_rate: 57,
      lowest_heart_rate: 49,
      spo2_average: 96,
      wake_count: 3,
      sleep_onset_latency: 8,
    })
  })

  it('turns the hypnogram into segments whose totals match Terra’s stage durations', () => {
    const minutesOf = (stage: string) =>
      session.stages
        .filter((entry) => entry.stage_type === stage)
        .reduce((sum, entry) => sum + entry.duration_minutes, 0)
    expect(session.stages).toHaveLength(19)
    expect(session.stages[0]).toEqual({
      stage_type: 'awake',
      start_time: '2025-03-14T02:51:00Z',
      duration_minutes: 8,
    })
    expect(session.stages.at(-1)).toEqual({
      stage_type: 'awake',
      start_time: '2025-03-14T09:32:30Z',
      duration_minutes: 5, // the last sample lasts until end_time
    })
    expect(minutesOf('light') * 60).toBeCloseTo(10_680)
    expect(minutesOf('deep') * 60).toBeCloseTo(5400)
    expect(minutesOf('rem') * 60).toBeCloseTo(7200)
    expect(minutesOf('awake') * 60).toBeCloseTo(1110)
  })

  it('reads levels 0 (skipped), 2 (asleep) and 3 (out of bed → awake)', () => {
    const stages = mapTerraSleep({
      ...sleep,
      sleep_durations_data: {
        hypnogram_samples: [
          { timestamp: '2025-03-13T22:51:00.000000-04:00', level: 0 },
          { timestamp: '2025-03-13T23:00:00.000000-04:00', level: 2 },
          { timestamp: '2025-03-14T05:00:00.000000-04:00', level: 3 },
        ],
      },
    }).stages
    expect(stages.map((stage) => [stage.stage_type, stage.duration_minutes])).toEqual([
      ['asleep', 360],
      ['awake', 37.5],
    ])
  })

  it('falls back to stage totals without a hypnogram, and to none without durations', () => {
    const durations = sleep.sleep_durations_data as Record<string, unknown>
    const totals = mapTerraSleep({
      ...sleep,
      sleep_durations_data: { ...durations, hypnogram_samples: [] },
    })
    expect(totals.stage_detail).toBe('totals')
    expect(totals.stages.map((stage) => [stage.stage_type, stage.duration_minutes])).toEqual([
      ['awake', 18.5],
      ['light', 178],
      ['deep', 90],
      ['rem', 120],
    ])
    const bare = mapTerraSleep({ metadata: sleep.metadata })
    expect(bare).toMatchObject({
      stage_detail: 'none',
      stages: [],
      time_in_bed: 407, // the window, 6 h 46.5 min
      total_sleep_time: 0,
      sleep_efficiency: 0,
    })
    expect(sleepSessionSchema.safeParse(bare).success).toBe(true)
  })

  it('maps the night’s HRV to the wake-up date with its samples in ms', () => {
    const hrv = mapTerraSleepHrv(sleep)
    expect(hrvDailySchema.parse(hrv)).toEqual(hrv)
    expect(hrv).toEqual({
      calendar_date: '2025-03-14',
      provider: 'terra',
      rmssd_ms: 44,
      window: 'sleep',
      samples: [
        { time: '2025-03-14T02:56:00Z', rmssd_ms: 38 },
        { time: '2025-03-14T03:01:00Z', rmssd_ms: 41 },
        { time: '2025-03-14T03:06:00Z', rmssd_ms: 47 },
        { time: '2025-03-14T03:11:00Z', rmssd_ms: 52 },
        { time: '2025-03-14T03:16:00Z', rmssd_ms: 49 },
      ],
    })
    const withoutAverage = mapTerraSleepHrv({
      ...sleep,
      heart_rate_data: {
        summary: {},
        detailed: (sleep.heart_rate_data as Record<string, unknown>).detailed,
      },
    })
    expect(withoutAverage?.rmssd_ms).toBe(45.4) // mean of 38, 41, 47, 52, 49
    expect(mapTerraSleepHrv({ metadata: sleep.metadata })).toBeUndefined()
  })
})

describe('daily_get.json → DailySummary and RecoveryMetrics', () => {
  it('reads the day in SI units with intensity seconds as minutes', () => {
    const summary = mapTerraDaily(daily)
    expect(dailySummarySchema.parse(summary)).toEqual(summary)
    expect(summary).toEqual({
      calendar_date: '2025-03-14',
      provider: 'terra',
      steps: 17_241,
      distance_meters: 13_870,
      floors: 8,
      elevation_meters: 24.4,
      total_calories: 2549,
      active_calories: 1187,
      bmr_calories: 1362,
      sedentary_minutes: 671, // 40 260 s
      light_minutes: 86, // 5160 s
      moderate_minutes: 19, // 1140 s
      vigorous_minutes: 48, // 2880 s
      resting_heart_rate: 54,
      average_heart_rate: 71,
      min_heart_rate: 49,
      max_heart_rate: 174,
      stress_average: 27,
      stress_max: 91,
      spo2_average: 96.1,
      vo2_max: 48,
    })
  })

  it('maps recovery with Terra’s scores only, never inventing one', () => {
    const recovery = mapTerraDailyRecovery(daily)
    expect(recoveryMetricsSchema.parse(recovery)).toEqual(recovery)
    expect(recovery).toEqual({
      date: '2025-03-14T04:00:00Z', // local midnight (−04:00) as a UTC instant
      calendar_date: '2025-03-14',
      provider: 'terra',
      sleep_score: 82,
      stress_level: 27,
      resting_heart_rate: 54,
      spo2_percentage: 96.1,
    })
    expect(recovery.recovery_score).toBeUndefined() // scores.recovery is null
  })

  it('reads body battery from its samples', () => {
    const summary = mapTerraDaily({
      ...daily,
      stress_data: {
        body_battery_samples: [
          { timestamp: '2025-03-14T06:00:00.000000-04:00', level: 88 },
          { timestamp: '2025-03-14T18:00:00.000000-04:00', level: 23 },
        ],
      },
    })
    expect(summary).toMatchObject({ body_battery_high: 88, body_battery_low: 23 })
  })
})

describe('body_get.json → HealthMetrics', () => {
  it('converts grams to kg and keeps the latest blood pressure', () => {
    const metrics = mapTerraBody(body)
    expect(healthMetricsSchema.parse(metrics)).toEqual(metrics)
    expect(metrics).toEqual({
      date: '2025-03-13T11:59:52Z', // the measurement at 07:59:52-04:00
      calendar_date: '2025-03-13',
      provider: 'terra',
      weight: 58.4,
      bmi: 20.94,
      body_fat_percentage: 22.6,
      muscle_mass: 42.811, // 42 811 g
      bone_mass: 2.41, // 2410 g
      body_water_percentage: 55.8,
      bmr: 1362,
      blood_pressure: [112, 71],
    })
  })

  it('keeps the latest non-null value of each measurement of the day', () => {
    const metrics = mapTerraBody({
      metadata: body.metadata,
      measurements_data: {
        measurements: [
          { measurement_time: '2025-03-13T21:00:00.000000-04:00', weight_kg: 58.9, BMI: null },
          { measurement_time: '2025-03-13T07:00:00.000000-04:00', weight_kg: 58.2, BMI: 20.9 },
        ],
      },
      glucose_data: { day_avg_blood_glucose_mg_per_dL: 92.5 },
    })
    expect(metrics).toMatchObject({
      date: '2025-03-14T01:00:00Z',
      weight: 58.9,
      bmi: 20.9,
      blood_glucose: 92.5,
    })
  })
})
