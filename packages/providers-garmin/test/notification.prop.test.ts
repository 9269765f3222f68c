import { fc, test } from '@fast-check/vitest'
import {
  activitySchema,
  dailySummarySchema,
  hrvDailySchema,
  isProviderError,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { afterAll, describe, expect } from 'vitest'
import { mapGarminActivity, parseGarminNotification } from '../src/index.js'

const summaryKeys = fc.constantFrom(
  'activities',
  'activityDetails',
  'sleeps',
  'dailies',
  'hrv',
  'userMetrics',
  'bodyComps',
  'deregistrations',
  'userPermissionsChange',
  'epochs',
  'activityFiles',
  'whatever',
)
const jsonish = fc.jsonValue({ maxDepth: 4 })
const anyValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  jsonish,
)
// Member names the mappers read, with values of any type: the mappers must cope.
const fieldNames = fc.constantFrom(
  'activityType',
  'activityName',
  'durationInSeconds',
  'startTimeOffsetInSeconds',
  'distanceInMeters',
  'averageSpeedInMetersPerSecond',
  'averagePaceInMinutesPerKilometer',
  'averageHeartRateInBeatsPerMinute',
  'averageRunCadenceInStepsPerMinute',
  'averageBikeCadenceInRoundsPerMinute',
  'activeKilocalories',
  'bmrKilocalories',
  'startingLatitudeInDegree',
  'deepSleepDurationInSeconds',
  'remSleepInSeconds',
  'timeOffsetSleepRespiration',
  'timeOffsetSleepSpo2',
  'overallSleepScore',
  'averageStressLevel',
  'restingHeartRateInBeatsPerMinute',
  'hrvValues',
  'lastNight5MinHigh',
  'vo2Max',
  'weightInGrams',
)
const sample = fc.record(
  {
    startTimeInSeconds: fc.integer({ min: 1_741_950_000, max: 1_741_960_000 }),
    heartRate: anyValue,
    totalDistanceInMeters: anyValue,
    latitudeInDegree: anyValue,
    longitudeInDegree: anyValue,
    stepsPerMinute: anyValue,
    movingDurationInSeconds: anyValue,
  },
  { requiredKeys: ['startTimeInSeconds'] },
)
const interval = fc
  .tuple(
    fc.integer({ min: 1_741_900_000, max: 1_741_950_000 }),
    fc.integer({ min: 1, max: 20_000 }),
  )
  .map(([start, length]) => ({ startTimeInSeconds: start, endTimeInSeconds: start + length }))
const plausible = fc
  .tuple(
    fc.record({
      userId: fc.constantFrom('u1', 'u2'),
      summaryId: fc.oneof(fc.nat().map(String), fc.string({ minLength: 1 })),
      calendarDate: fc
        .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
        .map((ms) => new Date(ms).toISOString().slice(0, 10)),
      startTimeInSeconds: fc.integer({ min: 0, max: 2_000_000_000 }),
      lastNightAvg: fc.double({ min: 0, max: 300, noNaN: true }),
      measurementTimeInSeconds: fc.integer({ min: 0, max: 2_000_000_000 }),
      permissions: fc.array(fc.string()),
      summary: fc.record({
        summaryId: fc.nat().map(String),
        startTimeInSeconds: fc.constant(1_741_950_000),
        activityType: anyValue,
        durationInSeconds: anyValue,
      }),
      samples: fc.array(sample, { maxLength: 5 }),
      laps: fc.array(fc.record({ startTimeInSeconds: anyValue }), { maxLength: 3 }),
      sleepLevelsMap: fc.record(
        {
          deep: fc.array(interval, { maxLength: 3 }),
          light: fc.array(interval, { maxLength: 3 }),
          awake: fc.array(interval, { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.dictionary(fieldNames, anyValue, { maxKeys: 6 }),
  )
  .map(([required, extra]) => ({ ...extra, ...required }))
const items = fc.array(fc.oneof(jsonish, plausible, plausible), { maxLength: 4 })
const bodies = fc.oneof(
  fc.string(),
  jsonish.map((value) => JSON.stringify(value)),
  fc.dictionary(summaryKeys, items, { maxKeys: 4 }).map((value) => JSON.stringify(value)),
)

const stats = { validated: 0 }

describe('parseGarminNotification', () => {
  afterAll(() => {
    // The generator must reach the mappers, not only the rejections.
    expect(stats.validated).toBeGreaterThan(100)
  })

  test.prop([bodies], { numRuns: 400 })(
    'ends in events whose records validate, or in invalid_argument; never a TypeError',
    (body) => {
      let parsed: ReturnType<typeof parseGarminNotification>
      try {
        parsed = parseGarminNotification(body)
      } catch (error) {
        expect(isProviderError(error) && error.code).toBe('invalid_argument')
        return
      }
      for (const event of parsed.events) {
        expect(event.providerUserId.length).toBeGreaterThan(0)
        for (const record of event.records ?? []) {
          const schema =
            event.resource === 'activity'
              ? activitySchema
              : event.resource === 'sleep'
                ? sleepSessionSchema
                : event.resource === 'daily'
                  ? dailySummarySchema
                  : event.resource === 'hrv'
                    ? hrvDailySchema
                    : undefined
          if (schema === undefined) continue
          const result = schema.safeParse(record.payload)
          expect(result.success, result.error?.message).toBe(true)
          expect(record.id.length).toBeGreaterThan(0)
          stats.validated += 1
        }
      }
    },
  )
})

const optional = <TValue>(arbitrary: fc.Arbitrary<TValue>) =>
  fc.option(arbitrary, { nil: undefined, freq: 3 })

describe('mapGarminActivity', () => {
  test.prop(
    [
      fc.record({
        summaryId: fc.oneof(fc.nat().map(String), fc.string({ minLength: 1 })),
        activityType: fc.constantFrom(
          'RUNNING',
          'CYCLING',
          'LAP_SWIMMING',
          'YOGA',
          'UNKNOWN_SPORT',
        ),
        startTimeInSeconds: fc.integer({ min: 0, max: 2_000_000_000 }),
        startTimeOffsetInSeconds: optional(
          fc.integer({ min: -12, max: 14 }).map((hours) => hours * 3600),
        ),
        durationInSeconds: optional(fc.double({ min: 0, max: 200_000, noNaN: true })),
        distanceInMeters: optional(fc.double({ min: 0, max: 500_000, noNaN: true })),
        averageRunCadenceInStepsPerMinute: optional(fc.double({ min: 0, max: 250, noNaN: true })),
        averageHeartRateInBeatsPerMinute: optional(fc.double({ min: 0, max: 400, noNaN: true })),
      }),
    ],
    { numRuns: 300 },
  )('maps to a valid activity; the local clock is the start shifted by the offset', (raw) => {
    const activity = mapGarminActivity(raw)
    const parsed = activitySchema.safeParse(activity)
    expect(parsed.success, parsed.error?.message).toBe(true)
    expect(activity.id).toBe(raw.summaryId)
    if (raw.startTimeOffsetInSeconds !== undefined) {
      const local = Date.parse(`${activity.start_date_local}Z`)
      expect(local - Date.parse(activity.start_date)).toBe(raw.startTimeOffsetInSeconds * 1000)
    }
    if (raw.activityType === 'RUNNING' && raw.averageRunCadenceInStepsPerMinute !== undefined) {
      expect(activity.average_cadence).toBe(Math.round(raw.averageRunCadenceInStepsPerMinute))
    }
  })
})
