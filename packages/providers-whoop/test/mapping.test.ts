import {
  activitySchema,
  athleteSchema,
  dailySummarySchema,
  healthMetricsSchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  mapWhoopAthlete,
  mapWhoopBodyMeasurement,
  mapWhoopCycle,
  mapWhoopDailySummary,
  mapWhoopRecovery,
  mapWhoopSleep,
  mapWhoopSport,
  mapWhoopWorkout,
} from '../src/index.js'
import { fixture } from './support.js'

type Raw = Record<string, unknown>
const recordsOf = (name: string) => (fixture(name) as { records: Raw[] }).records

const workouts = recordsOf('workout_collection.json')
const sleeps = recordsOf('sleep_collection.json')
const recoveries = recordsOf('recovery_collection.json')
const cycles = recordsOf('cycle_collection.json')
const body = fixture('user_measurement_body.json') as Raw
const profile = fixture('user_profile_basic.json') as Raw
const maxHeartRate = body.max_heart_rate as number

const at = (records: Raw[], index: number): Raw => {
  const record = records[index]
  if (record === undefined) throw new Error(`fixture has no record ${index}`)
  return record
}

describe('workout_collection.json → Activity', () => {
  const mapped = workouts.map((raw) => mapWhoopWorkout(raw, { maxHeartRate }))

  it('produces schema-valid activities for every workout', () => {
    for (const activity of mapped) expect(activitySchema.parse(activity)).toEqual(activity)
  })

  it('maps the run: elapsed s from start/end, m, bpm, kJ → kcal, local time from the offset', () => {
    expect(mapped[0]).toEqual({
      id: '287513a9-8519-4036-99c9-a08094ede83a',
      provider: 'whoop',
      name: 'Running',
      sport_type: 'run',
      sport_type_detail: 'running',
      start_date: '2025-03-14T11:02:13.210Z',
      start_date_local: '2025-03-14T07:02:13',
      utc_offset_seconds: -14_400,
      // 11:47:58.640 − 11:02:13.210 = 2745.43 s
      duration_seconds: 2745,
      distance_meters: 8012.4,
      elevation_gain: 15.2,
      average_heart_rate: 151,
      max_heart_rate: 174,
      // 1990.4155 kJ of energy expended / 4.184 = 475.7 kcal; kilojoules (work) stays absent
      calories: 476,
      strain: 10.812113,
      heart_rate_zones: [
        { name: 'Zone 0', min_hr: 0, max_hr: 93, minutes: 0 },
        { name: 'Zone 1', min_hr: 93, max_hr: 112, minutes: 2 },
        { name: 'Zone 2', min_hr: 112, max_hr: 130, minutes: 3 },
        { name: 'Zone 3', min_hr: 130, max_hr: 149, minutes: 25 },
        { name: 'Zone 4', min_hr: 149, max_hr: 167, minutes: 15 },
        { name: 'Zone 5', min_hr: 167, max_hr: 186, minutes: 1 },
      ],
      streams_available: false,
    })
    expect(mapped[0]?.kilojoules).toBeUndefined()
  })

  it('maps the weightlifting session without distance (null, not 0)', () => {
    expect(mapped[1]).toMatchObject({
      name: 'Weightlifting',
      sport_type: 'strength_training',
      duration_seconds: 3121,
      distance_meters: null,
      calories: 298,
      average_heart_rate: 112,
      strain: 6.122047,
    })
    expect(mapped[1]?.elevation_gain).toBeUndefined()
    expect(mapped[1]?.heart_rate_zones?.map((zone) => zone.minutes)).toEqual([7, 30, 13, 2, 0, 0])
  })

  it('maps the ride: metres of distance and climbing, kcal from kJ', () => {
    expect(mapped[2]).toMatchObject({
      sport_type: 'ride',
      duration_seconds: 6933,
      distance_meters: 42_318.6,
      elevation_gain: 388,
      calories: 1012,
      max_heart_rate: 168,
    })
  })

  it('gives zone minutes that add up to the workout’s duration within rounding', () => {
    for (const [index, activity] of mapped.entries()) {
      const minutes = (activity.heart_rate_zones ?? []).reduce((sum, zone) => sum + zone.minutes, 0)
      // six zones, each rounded to the nearest minute: at most 3 min off
      expect(
        Math.abs(minutes * 60 - activity.duration_seconds),
        `workout ${index}`,
      ).toBeLessThanOrEqual(180)
    }
  })

  it('leaves the zones out without a max heart rate, and the score out unless SCORED', () => {
    expect(mapWhoopWorkout(at(workouts, 0)).heart_rate_zones).toBeUndefined()
    const pending = mapWhoopWorkout({ ...at(workouts, 0), score_state: 'PENDING_SCORE' })
    expect(pending.strain).toBeUndefined()
    expect(pending.distance_meters).toBeUndefined()
    expect(pending.duration_seconds).toBe(2745)
  })

  it('maps workout_by_id.json like the collection entry', () => {
    expect(mapWhoopWorkout(fixture('workout_by_id.json') as Raw, { maxHeartRate })).toEqual(
      mapped[0],
    )
  })
})

describe('sport_name → SportType', () => {
  it.for([
    { name: 'running', sport: 'run' },
    { name: 'track & field', sport: 'run' },
    { name: 'cycling', sport: 'ride' },
    { name: 'mountain biking', sport: 'mountain_bike' },
    { name: 'spin', sport: 'virtual_ride' },
    { name: 'swimming', sport: 'swim' },
    { name: 'walking', sport: 'walk' },
    { name: 'hiking/rucking', sport: 'hike' },
    { name: 'rowing', sport: 'rowing' },
    { name: 'yoga', sport: 'yoga' },
    { name: 'power yoga', sport: 'yoga' },
    { name: 'pilates', sport: 'pilates' },
    { name: 'weightlifting', sport: 'strength_training' },
    { name: 'powerlifting', sport: 'strength_training' },
    { name: 'functional-fitness', sport: 'strength_training' },
    { name: 'crossfit', sport: 'crossfit' },
    { name: 'HIIT', sport: 'workout' },
    { name: 'elliptical', sport: 'workout' },
    { name: 'stairmaster', sport: 'workout' },
    { name: 'skiing', sport: 'alpine_skiing' },
    { name: 'cross country skiing', sport: 'cross_country_skiing' },
    { name: 'snowboarding', sport: 'snowboarding' },
    { name: 'rock climbing', sport: 'rock_climbing' },
    { name: 'tennis', sport: 'tennis' },
    { name: 'paddle tennis', sport: 'tennis' },
    { name: 'golf', sport: 'golf' },
    { name: 'soccer', sport: 'soccer' },
    { name: 'basketball', sport: 'basketball' },
    { name: 'paddleboarding', sport: 'paddleboarding' },
    { name: 'surfing', sport: 'surfing' },
    { name: 'kayaking', sport: 'kayaking' },
    { name: 'meditation', sport: 'other' },
    { name: 'toString', sport: 'other' },
  ])('$name → $sport (spec §6.3 keywords)', ({ name, sport }) => {
    expect(mapWhoopSport(name)).toBe(sport)
  })

  it('maps a missing sport name to other and titles the activity "Workout"', () => {
    expect(mapWhoopSport(undefined)).toBe('other')
    const activity = mapWhoopWorkout({ id: 'x', start: '2025-03-14T11:02:13.210Z' })
    expect(activity).toMatchObject({ name: 'Workout', sport_type: 'other', duration_seconds: 0 })
  })
})

describe('sleep_collection.json → SleepSession', () => {
  const recoveryOf = (sleep: Raw) => recoveries.find((entry) => entry.sleep_id === sleep.id)
  const mapped = sleeps.map((raw) => {
    const recovery = recoveryOf(raw)
    return mapWhoopSleep(raw, recovery === undefined ? {} : { recovery })
  })

  it('produces schema-valid sessions for every sleep', () => {
    for (const session of mapped) expect(sleepSessionSchema.parse(session)).toEqual(session)
  })

  it('maps the night: stage totals ms → minutes, efficiency computed, HRV from its recovery', () => {
    expect(mapped[0]).toEqual({
      id: 'b4b36354-2e36-401a-938d-20b8a8c58424',
      provider: 'whoop',
      start_time: '2025-03-14T02:51:04.112Z',
      end_time: '2025-03-14T10:21:09.870Z',
      // woke at 06:21 local (UTC−04:00)
      date_of_sleep: '2025-03-14',
      is_nap: false,
      utc_offset_seconds: -14_400,
      // 26 995 758 ms in bed = 449.9 min
      time_in_bed: 450,
      // light + slow wave + REM = 25 353 448 ms = 422.6 min
      total_sleep_time: 423,
      sleep_efficiency: 94,
      sleep_score: 86,
      stages: [
        { stage_type: 'awake', start_time: '2025-03-14T02:51:04.112Z', duration_minutes: 27.37 },
        { stage_type: 'light', start_time: '2025-03-14T02:51:04.112Z', duration_minutes: 204.47 },
        { stage_type: 'deep', start_time: '2025-03-14T02:51:04.112Z', duration_minutes: 100.35 },
        { stage_type: 'rem', start_time: '2025-03-14T02:51:04.112Z', duration_minutes: 117.74 },
      ],
      stage_detail: 'totals',
      hrv_during_sleep: 43.208412,
      respiratory_rate: 15.234375,
      wake_count: 9,
    })
  })

  it('maps the nap: no performance score, no recovery, no deep sleep', () => {
    expect(mapped[1]).toMatchObject({
      is_nap: true,
      date_of_sleep: '2025-03-13',
      time_in_bed: 48,
      total_sleep_time: 43,
      sleep_efficiency: 89.6,
      respiratory_rate: 15.8203125,
      wake_count: 1,
    })
    expect(mapped[1]?.sleep_score).toBeUndefined()
    expect(mapped[1]?.hrv_during_sleep).toBeUndefined()
    expect(mapped[1]?.stages.find((stage) => stage.stage_type === 'deep')?.duration_minutes).toBe(0)
  })

  it('maps the previous night with its own recovery HRV', () => {
    expect(mapped[2]).toMatchObject({
      date_of_sleep: '2025-03-13',
      time_in_bed: 443,
      total_sleep_time: 404,
      sleep_efficiency: 91.2,
      sleep_score: 81,
      hrv_during_sleep: 36.51207,
      wake_count: 13,
    })
  })

  it('keeps efficiency within 0.2 points of WHOOP’s own figure', () => {
    for (const [index, raw] of sleeps.entries()) {
      const whoop = (raw.score as Raw).sleep_efficiency_percentage as number
      expect(Math.abs((mapped[index]?.sleep_efficiency ?? -1) - whoop)).toBeLessThan(0.2)
    }
  })

  it('skips a sleep WHOOP has not scored and ignores a recovery of another sleep', () => {
    expect(mapWhoopSleep({ ...at(sleeps, 0), score_state: 'PENDING_SCORE' })).toBeUndefined()
    const other = mapWhoopSleep(at(sleeps, 0), { recovery: at(recoveries, 1) })
    expect(other?.hrv_during_sleep).toBeUndefined()
  })

  it('maps sleep_by_id.json and cycle_sleep.json like the collection entry (without HRV)', () => {
    const alone = mapWhoopSleep(at(sleeps, 0))
    expect(mapWhoopSleep(fixture('sleep_by_id.json') as Raw)).toEqual(alone)
    expect(mapWhoopSleep(fixture('cycle_sleep.json') as Raw)).toEqual(alone)
  })
})

describe('recovery_collection.json → RecoveryMetrics', () => {
  const context = (recovery: Raw) => {
    const sleep = sleeps.find((entry) => entry.id === recovery.sleep_id)
    const cycle = cycles.find((entry) => entry.id === recovery.cycle_id)
    return { ...(sleep === undefined ? {} : { sleep }), ...(cycle === undefined ? {} : { cycle }) }
  }
  const mapped = recoveries.map((raw) => mapWhoopRecovery(raw, context(raw)))

  it('maps today: HRV RMSSD in ms despite "milli", SpO2 %, absolute skin °C, cycle strain', () => {
    expect(mapped[0]).toEqual({
      date: '2025-03-14T04:00:00Z',
      calendar_date: '2025-03-14',
      provider: 'whoop',
      recovery_score: 64,
      sleep_score: 86,
      resting_heart_rate: 54,
      hrv_rmssd_ms: 43.208412,
      spo2_percentage: 96.125,
      skin_temp_celsius: 33.61,
      strain: 11.204571,
      user_calibrating: false,
      source_record_id: 'b4b36354-2e36-401a-938d-20b8a8c58424',
    })
    expect(recoveryMetricsSchema.parse(mapped[0])).toEqual(mapped[0])
    expect(mapped[0]?.body_temperature).toBeUndefined()
  })

  it('maps yesterday from its own sleep and cycle', () => {
    expect(mapped[1]).toMatchObject({
      calendar_date: '2025-03-13',
      date: '2025-03-13T04:00:00Z',
      recovery_score: 38,
      resting_heart_rate: 56,
      hrv_rmssd_ms: 36.51207,
      spo2_percentage: 95.6875,
      skin_temp_celsius: 34.02,
      strain: 9.432109,
      sleep_score: 81,
    })
  })

  it('skips the UNSCORABLE record', () => {
    expect(mapped[2]).toBeUndefined()
  })

  it('dates a recovery by its cycle when the sleep is not at hand', () => {
    const alone = mapWhoopRecovery(at(recoveries, 0), { cycle: at(cycles, 0) })
    expect(alone).toMatchObject({ calendar_date: '2025-03-14', strain: 11.204571 })
    expect(alone?.sleep_score).toBeUndefined()
    expect(mapWhoopRecovery(at(recoveries, 0))).toBeUndefined()
  })

  it('maps cycle_recovery.json like the collection entry', () => {
    expect(
      mapWhoopRecovery(fixture('cycle_recovery.json') as Raw, context(at(recoveries, 0))),
    ).toEqual(mapped[0])
  })
})

describe('cycle_collection.json → WhoopCycle and DailySummary', () => {
  it('maps the current cycle (no end) to the day it covers, strain and kcal from kJ', () => {
    expect(mapWhoopCycle(at(cycles, 0))).toEqual({
      id: '928374665',
      provider: 'whoop',
      start_time: '2025-03-14T02:51:04.112Z',
      end_time: null,
      utc_offset_seconds: -14_400,
      // began 22:51 local on the 13th: the day it covers is the 14th
      calendar_date: '2025-03-14',
      score_state: 'SCORED',
      strain: 11.204571,
      kilojoules: 6987.4355,
      calories: 1670,
      average_heart_rate: 73,
      max_heart_rate: 176,
    })
  })

  it.for([
    { index: 0, date: '2025-03-14', calories: 1670, average: 73, max: 176 },
    { index: 1, date: '2025-03-13', calories: 2010, average: 68, max: 151 },
    { index: 2, date: '2025-03-12', calories: 2613, average: 76, max: 171 },
  ])(
    'maps cycle $index to the daily summary of $date',
    ({ index, date, calories, average, max }) => {
      const summary = mapWhoopDailySummary(at(cycles, index))
      expect(summary).toEqual({
        calendar_date: date,
        provider: 'whoop',
        total_calories: calories,
        average_heart_rate: average,
        max_heart_rate: max,
      })
      expect(dailySummarySchema.parse(summary)).toEqual(summary)
    },
  )

  it('maps cycle_by_id.json like the collection entry and skips unscored cycles', () => {
    expect(mapWhoopCycle(fixture('cycle_by_id.json') as Raw)).toEqual(mapWhoopCycle(at(cycles, 1)))
    const pending = { ...at(cycles, 0), score_state: 'PENDING_SCORE' }
    expect(mapWhoopDailySummary(pending)).toBeUndefined()
    expect(mapWhoopCycle(pending)?.strain).toBeUndefined()
  })
})

describe('profile and body measurement → Athlete and HealthMetrics', () => {
  it('maps the athlete in kg, m and bpm without the e-mail address', () => {
    const athlete = mapWhoopAthlete(profile, body)
    expect(athlete).toEqual({
      id: '34871',
      username: '',
      firstname: 'Camille',
      lastname: 'Tremblay',
      provider: 'whoop',
      weight_kg: 58.4,
      height_m: 1.67,
      max_heart_rate: 186,
    })
    expect(athleteSchema.parse(athlete)).toEqual(athlete)
    expect(JSON.stringify(athlete)).not.toContain('@')
  })

  it('maps the body measurement to one health record with the BMI', () => {
    const metrics = mapWhoopBodyMeasurement(body, new Date('2025-03-14T21:30:00Z'))
    // 58.4 kg / 1.67² m = 20.94
    expect(metrics).toEqual({
      date: '2025-03-14T21:30:00Z',
      provider: 'whoop',
      weight: 58.4,
      bmi: 20.9,
    })
    expect(healthMetricsSchema.parse(metrics)).toEqual(metrics)
  })
})
