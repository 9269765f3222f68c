import { fc, test } from '@fast-check/vitest'
import {
  activitySchema,
  createMemoryDataStore,
  dailySummarySchema,
  hrvDailySchema,
  isProviderError,
  recoveryMetricsSchema,
  sleepSessionSchema,
  sportTypes,
} from '@pierre/providers-core'
import { describe, expect } from 'vitest'
import {
  createCorosPushHandler,
  mapCorosDailySummary,
  mapCorosHrv,
  mapCorosRecovery,
  mapCorosSleep,
  mapCorosWorkout,
} from '../src/index.js'

const optional = <TValue>(arbitrary: fc.Arbitrary<TValue>) =>
  fc.option(arbitrary, { nil: undefined, freq: 4 })
const epochSeconds = fc.integer({
  min: Date.UTC(2015, 0, 1) / 1000,
  max: Date.UTC(2035, 0, 1) / 1000,
})
const modes = fc.oneof(
  fc.constantFrom([8, 1], [8, 2], [15, 1], [20, 1], [16, 1], [31, 1], [9, 1], [9, 2], [10, 1]),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 10 })),
)

const workouts = fc
  .record({
    start: epochSeconds,
    elapsed: fc.integer({ min: -600, max: 24 * 3600 }),
    timer: optional(fc.integer({ min: 0, max: 24 * 3600 })),
    quarterHours: fc.integer({ min: -60, max: 60 }),
    mode: modes,
    distance: optional(fc.double({ min: 0, max: 500_000, noNaN: true })),
    calorie: optional(fc.double({ min: 0, max: 20_000, noNaN: true })),
    avgFrequency: optional(fc.integer({ min: 0, max: 250 })),
    step: optional(fc.integer({ min: 0, max: 100_000 })),
  })
  .map((input) => ({
    input,
    raw: {
      labelId: '426887715123987459',
      mode: input.mode[0],
      subMode: input.mode[1],
      startTime: input.start,
      endTime: input.start + input.elapsed,
      startTimezone: input.quarterHours,
      duration: input.timer,
      distance: input.distance,
      calorie: input.calorie,
      avgFrequency: input.avgFrequency,
      step: input.step,
    },
  }))

describe('any COROS workout', () => {
  test.prop([workouts])(
    'maps to a valid activity: elapsed time from the instants, speed = distance / time',
    ({ input, raw }) => {
      const activity = mapCorosWorkout(raw)
      const parsed = activitySchema.safeParse(activity)
      expect(parsed.success, parsed.error?.message).toBe(true)
      expect(sportTypes).toContain(activity.sport_type)
      expect(Date.parse(activity.start_date)).toBe(input.start * 1000)
      const expected = input.elapsed >= 0 ? input.elapsed : (input.timer ?? 0)
      expect(activity.duration_seconds).toBe(expected)
      if (activity.average_speed !== undefined && activity.average_speed !== null) {
        expect(activity.average_speed * activity.duration_seconds).toBeCloseTo(
          activity.distance_meters as number,
          6,
        )
      }
      if (Math.abs(input.quarterHours) <= 56) {
        expect(activity.utc_offset_seconds).toBe(input.quarterHours * 900)
        const local = Date.parse(`${activity.start_date_local}Z`)
        expect(local - Date.parse(activity.start_date)).toBe(input.quarterHours * 900_000)
      } else {
        expect(activity.utc_offset_seconds).toBeUndefined()
      }
    },
  )
})

describe('any local date', () => {
  const dates = fc
    .integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2030, 11, 31) / 86_400_000 })
    .map((days) => new Date(days * 86_400_000).toISOString().slice(0, 10))

  test.prop([dates, fc.constantFrom('America/Toronto', 'Asia/Kolkata', 'Australia/Lord_Howe')])(
    'dates recovery at the local midnight of the zone, whatever the DST rules',
    (date, timeZone) => {
      const recovery = mapCorosRecovery({ date: date.replaceAll('-', ''), rhr: 50 }, { timeZone })
      const offsetMs = Date.parse(`${date}T00:00:00Z`) - Date.parse(recovery?.date ?? '')
      const allowed: Readonly<Record<string, readonly number[]>> = {
        'America/Toronto': [-4, -5],
        'Asia/Kolkata': [5.5],
        'Australia/Lord_Howe': [10.5, 11],
      }
      expect(allowed[timeZone]?.map((hours) => hours * 3_600_000)).toContain(offsetMs)
      expect(recovery?.calendar_date).toBe(date)
    },
  )
})

describe('totality on arbitrary input', () => {
  const anyRecord = fc.dictionary(
    fc.constantFrom(
      'labelId',
      'mode',
      'subMode',
      'startTime',
      'endTime',
      'startTimezone',
      'distance',
      'duration',
      'calorie',
      'avgFrequency',
      'step',
      'deviceName',
      'date',
      'sleepStartTime',
      'sleepEndTime',
      'rhr',
      'ppgHrv',
      'sleepAvgHr',
      'hrvList',
    ),
    fc.oneof(fc.anything(), fc.integer(), fc.constant('20250314'), fc.constant(1741945050)),
  )

  test.prop([anyRecord])('the workout mapper returns a valid activity or invalid_data', (raw) => {
    try {
      expect(activitySchema.safeParse(mapCorosWorkout(raw)).success).toBe(true)
    } catch (error) {
      expect(isProviderError(error) && error.code).toBe('invalid_data')
    }
  })

  test.prop([anyRecord])('the daily mappers return a valid value or undefined', (raw) => {
    const context = { timeZone: 'America/Toronto' }
    const checks = [
      [sleepSessionSchema, mapCorosSleep(raw, context)],
      [recoveryMetricsSchema, mapCorosRecovery(raw, context)],
      [hrvDailySchema, mapCorosHrv(raw, context)],
      [dailySummarySchema, mapCorosDailySummary(raw, context)],
    ] as const
    for (const [schema, value] of checks) {
      if (value === undefined) continue
      const parsed = schema.safeParse(value)
      expect(parsed.success, parsed.error?.message).toBe(true)
    }
  })

  const handle = createCorosPushHandler({
    clientId: 'coros-client',
    clientSecret: 'coros-secret',
    dataStore: createMemoryDataStore(),
    resolveUser: async () => ({ tenantId: 't', userId: 'u' }),
  })
  const headers = { client: 'coros-client', secret: 'coros-secret' }

  test.prop([
    fc.oneof(
      fc.string(),
      fc.json(),
      anyRecord.map((workout) => JSON.stringify({ sportDataList: [workout] })),
    ),
  ])('the push receiver answers 200 or 400 to any body, never throws', async (body) => {
    const answer = await handle(body, headers)
    expect([200, 400]).toContain(answer.status)
  })
})
