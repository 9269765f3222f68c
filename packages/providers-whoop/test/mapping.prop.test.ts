import { fc, test } from '@fast-check/vitest'
import {
  activitySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
  sportTypes,
} from '@pierre/providers-core'
import { describe, expect } from 'vitest'
import {
  mapWhoopRecovery,
  mapWhoopSleep,
  mapWhoopSport,
  mapWhoopWorkout,
  whoopRateLimitParser,
} from '../src/index.js'

const optional = <TValue>(arbitrary: fc.Arbitrary<TValue>) =>
  fc.option(arbitrary, { nil: undefined, freq: 4 })
const instantMs = fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) })
const iso = (ms: number) => new Date(ms).toISOString()
const offsets = fc.constantFrom('-04:00', '-05:00', '+00:00', '+05:30', '+13:45', 'Z', 'bogus')
const millis = fc.integer({ min: 0, max: 6 * 3_600_000 })
const sportNames = fc.oneof(
  fc.constantFrom('running', 'cycling', 'weightlifting', 'yoga', 'spin', 'hiking/rucking'),
  fc.string(),
)

const workouts = fc
  .record({
    startMs: instantMs,
    durationMs: fc.integer({ min: -60_000, max: 12 * 3_600_000 }),
    timezone_offset: offsets,
    sport_name: optional(sportNames),
    score_state: fc.constantFrom('SCORED', 'PENDING_SCORE', 'UNSCORABLE'),
    strain: fc.double({ min: -5, max: 30, noNaN: true }),
    kilojoule: fc.double({ min: 0, max: 20_000, noNaN: true }),
    average_heart_rate: fc.integer({ min: 0, max: 400 }),
    distance_meter: optional(fc.double({ min: 0, max: 300_000, noNaN: true })),
    zones: optional(fc.array(millis, { minLength: 6, maxLength: 6 })),
    maxHeartRate: optional(fc.integer({ min: 100, max: 230 })),
  })
  .map((input) => ({
    input,
    raw: {
      id: 'f3c1d7a2-0000-4000-8000-000000000001',
      start: iso(input.startMs),
      end: iso(input.startMs + input.durationMs),
      timezone_offset: input.timezone_offset,
      sport_name: input.sport_name,
      score_state: input.score_state,
      score: {
        strain: input.strain,
        kilojoule: input.kilojoule,
        average_heart_rate: input.average_heart_rate,
        distance_meter: input.distance_meter,
        ...(input.zones === undefined
          ? {}
          : {
              zone_durations: Object.fromEntries(
                ['zero', 'one', 'two', 'three', 'four', 'five'].map((name, index) => [
                  `zone_${name}_milli`,
                  input.zones?.[index],
                ]),
              ),
            }),
      },
    },
  }))

describe('any WHOOP workout', () => {
  test.prop([workouts])(
    'maps to a valid activity: s from ms, kcal = kJ / 4.184, zone minutes from ms',
    ({ input, raw }) => {
      const activity = mapWhoopWorkout(
        raw,
        input.maxHeartRate === undefined ? {} : { maxHeartRate: input.maxHeartRate },
      )
      const parsed = activitySchema.safeParse(activity)
      expect(parsed.success, parsed.error?.message).toBe(true)
      expect(activity.duration_seconds).toBe(
        input.durationMs < 0 ? 0 : Math.round(input.durationMs / 1000),
      )
      if (input.score_state !== 'SCORED') {
        expect(activity.calories).toBeUndefined()
        expect(activity.heart_rate_zones).toBeUndefined()
        return
      }
      expect(activity.calories).toBe(Math.round(input.kilojoule / 4.184))
      expect(activity.kilojoules).toBeUndefined()
      if (input.zones !== undefined && input.maxHeartRate !== undefined) {
        expect(activity.heart_rate_zones?.map((zone) => zone.minutes)).toEqual(
          input.zones.map((ms) => Math.round(ms / 60_000)),
        )
        expect(activity.heart_rate_zones?.at(-1)?.max_hr).toBe(input.maxHeartRate)
      } else {
        expect(activity.heart_rate_zones).toBeUndefined()
      }
    },
  )

  test.prop([sportNames])('maps every sport name to a known sport type', (name) => {
    expect(sportTypes).toContain(mapWhoopSport(name))
  })
})

const sleeps = fc
  .record({
    startMs: instantMs,
    awake: millis,
    light: millis,
    deep: millis,
    rem: millis,
    noData: fc.integer({ min: 0, max: 600_000 }),
    nap: fc.boolean(),
    timezone_offset: offsets,
    performance: optional(fc.double({ min: 0, max: 100, noNaN: true })),
  })
  .map((input) => {
    const inBed = input.awake + input.light + input.deep + input.rem + input.noData
    return {
      input,
      raw: {
        id: 'b4b36354-2e36-401a-938d-20b8a8c58424',
        start: iso(input.startMs),
        end: iso(input.startMs + inBed),
        timezone_offset: input.timezone_offset,
        nap: input.nap,
        score_state: 'SCORED',
        score: {
          stage_summary: {
            total_in_bed_time_milli: inBed,
            total_awake_time_milli: input.awake,
            total_no_data_time_milli: input.noData,
            total_light_sleep_time_milli: input.light,
            total_slow_wave_sleep_time_milli: input.deep,
            total_rem_sleep_time_milli: input.rem,
            disturbance_count: 3,
          },
          respiratory_rate: 15.5,
          sleep_performance_percentage: input.performance,
        },
      },
    }
  })

describe('any scored WHOOP sleep', () => {
  test.prop([sleeps])(
    'maps to a valid session whose asleep minutes never exceed the minutes in bed',
    ({ input, raw }) => {
      const session = mapWhoopSleep(raw)
      if (session === undefined) throw new Error('a scored sleep must map')
      const parsed = sleepSessionSchema.safeParse(session)
      expect(parsed.success, parsed.error?.message).toBe(true)
      expect(session.total_sleep_time).toBe(
        Math.round((input.light + input.deep + input.rem) / 60_000),
      )
      expect(session.total_sleep_time).toBeLessThanOrEqual(session.time_in_bed)
      expect(session.sleep_efficiency).toBeGreaterThanOrEqual(0)
      expect(session.sleep_efficiency).toBeLessThanOrEqual(100)
      expect(session.stage_detail).toBe('totals')
    },
  )
})

describe('totality on arbitrary input', () => {
  const anyRecord = fc.dictionary(
    fc.constantFrom(
      'id',
      'start',
      'end',
      'timezone_offset',
      'score_state',
      'score',
      'sleep_id',
      'cycle_id',
      'nap',
      'sport_name',
    ),
    fc.oneof(fc.anything(), fc.constant('SCORED'), fc.constant('2025-03-14T02:51:04.112Z')),
  )

  test.prop([anyRecord, anyRecord])(
    'the mappers return a valid value or undefined, never throw',
    (first, second) => {
      // the provider's schema admits only workouts with a non-empty string id
      const activity = mapWhoopWorkout({ ...first, id: 'f3c1d7a2-0000-4000-8000-000000000001' })
      expect(activitySchema.safeParse(activity).success).toBe(true)
      const session = mapWhoopSleep(first, { recovery: second })
      if (session !== undefined) expect(sleepSessionSchema.safeParse(session).success).toBe(true)
      const recovery = mapWhoopRecovery(first, { sleep: second, cycle: second })
      if (recovery !== undefined) {
        expect(recoveryMetricsSchema.safeParse(recovery).success).toBe(true)
      }
    },
  )

  test.prop([fc.string(), fc.string(), fc.string()])(
    'the rate-limit parser never throws and never reports negative values',
    (limit, remaining, reset) => {
      const windows = whoopRateLimitParser(
        {
          'x-ratelimit-limit': limit,
          'x-ratelimit-remaining': remaining,
          'x-ratelimit-reset': reset,
        },
        new Date('2025-03-14T21:30:00Z'),
      )
      expect(windows.length).toBeLessThanOrEqual(1)
      for (const window of windows) {
        expect(window.limit ?? 0).toBeGreaterThanOrEqual(0)
        expect(window.remaining ?? 0).toBeGreaterThanOrEqual(0)
      }
    },
  )
})
