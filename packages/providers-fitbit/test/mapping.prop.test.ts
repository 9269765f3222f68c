import { fc, test } from '@fast-check/vitest'
import { activitySchema, isProviderError, sleepSessionSchema } from '@pierre/providers-core'
import { describe, expect } from 'vitest'
import { mapGoogleHealthExercise, mapGoogleHealthSleep } from '../src/index.js'

const optional = <TValue>(arbitrary: fc.Arbitrary<TValue>) =>
  fc.option(arbitrary, { nil: undefined, freq: 3 })
const instant = fc
  .integer({ min: Date.UTC(2005, 0, 1), max: Date.UTC(2035, 0, 1) })
  .map((ms) => new Date(ms - (ms % 1000)).toISOString().replace('.000Z', 'Z'))
const offset = fc.integer({ min: -12, max: 14 }).map((hours) => `${hours * 3600}s`)
const int64 = (max: number) => fc.nat({ max }).map(String)

const exercises = fc.record({
  name: fc
    .bigInt({ min: 1n, max: 2n ** 63n })
    .map((id) => `users/u-1/dataTypes/exercise/dataPoints/${id}`),
  exercise: fc.record({
    interval: fc.record({
      startTime: instant,
      startUtcOffset: offset,
      endTime: optional(instant),
      endUtcOffset: optional(offset),
    }),
    exerciseType: fc.constantFrom(
      'RUNNING',
      'BIKING',
      'SWIMMING',
      'YOGA',
      'TRAIL_RUN',
      'OTHER',
      'BADMINTON',
    ),
    displayName: optional(fc.string()),
    activeDuration: optional(fc.nat({ max: 200_000 }).map((seconds) => `${seconds}s`)),
    metricsSummary: fc.record({
      distanceMillimeters: optional(fc.double({ min: -10, max: 5e8, noNaN: true })),
      averageSpeedMillimetersPerSecond: optional(fc.double({ min: 0, max: 40_000, noNaN: true })),
      averageHeartRateBeatsPerMinute: optional(int64(400)),
      caloriesKcal: optional(fc.double({ min: 0, max: 10_000, noNaN: true })),
      steps: optional(int64(100_000)),
      mobilityMetrics: optional(
        fc.record({ avgCadenceStepsPerMinute: fc.double({ min: 0, max: 260, noNaN: true }) }),
      ),
    }),
  }),
})

describe('any Google Health exercise data point', () => {
  test.prop([exercises], { numRuns: 300 })(
    'maps to a schema-valid activity keeping the 64-bit id and SI units',
    (point) => {
      const activity = mapGoogleHealthExercise(point)
      const parsed = activitySchema.safeParse(activity)
      expect(parsed.success, parsed.error?.message).toBe(true)
      expect(activity.id).toBe(point.name.slice(point.name.lastIndexOf('/') + 1))
      const distance = point.exercise.metricsSummary.distanceMillimeters
      if (distance !== undefined && distance >= 0) {
        expect(activity.distance_meters).toBeCloseTo(distance / 1000, 6)
      }
      const heartRate = Number(point.exercise.metricsSummary.averageHeartRateBeatsPerMinute)
      if (activity.average_heart_rate !== undefined)
        expect(activity.average_heart_rate).toBe(heartRate)
      else if (!Number.isNaN(heartRate)) expect(heartRate < 20 || heartRate > 300).toBe(true)
    },
  )
})

describe('any JSON value as a sleep or exercise data point', () => {
  test.prop([fc.jsonValue()], { numRuns: 300 })(
    'ends as a valid session or activity, never a TypeError',
    (value) => {
      const point = (
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? value
          : { sleep: value, exercise: value }
      ) as Record<string, unknown>
      try {
        const session = mapGoogleHealthSleep(point)
        expect(sleepSessionSchema.safeParse(session).success).toBe(true)
        const activity = mapGoogleHealthExercise(point)
        expect(activitySchema.safeParse({ ...activity, id: activity.id || 'x' }).success).toBe(true)
      } catch (error) {
        expect(isProviderError(error)).toBe(true)
      }
    },
  )
})
