import { fc, test } from '@fast-check/vitest'
import { activitySchema } from '@pierre/providers-core'
import { describe, expect } from 'vitest'
import { mapStravaActivity } from '../src/index.js'

const sports = fc.constantFrom(
  'Run',
  'TrailRun',
  'Ride',
  'GravelRide',
  'Swim',
  'Walk',
  'Hike',
  'Yoga',
  'WeightTraining',
  'Kitesurf',
  'Wheelchair',
)
const optional = <TValue>(arbitrary: fc.Arbitrary<TValue>) =>
  fc.option(arbitrary, { nil: undefined, freq: 3 })

const summaries = fc.record({
  id: fc.oneof(fc.nat(), fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n }).map(String)),
  name: fc.string(),
  sport_type: sports,
  start_date: fc
    .integer({ min: Date.UTC(2005, 0, 1), max: Date.UTC(2035, 0, 1) })
    .map((ms) => new Date(ms - (ms % 1000)).toISOString().replace('.000Z', 'Z')),
  utc_offset: optional(fc.integer({ min: -12, max: 14 }).map((hours) => hours * 3600)),
  elapsed_time: fc.nat({ max: 200_000 }),
  moving_time: optional(fc.nat({ max: 200_000 })),
  distance: optional(fc.double({ min: 0, max: 500_000, noNaN: true })),
  average_speed: optional(fc.double({ min: 0, max: 40, noNaN: true })),
  has_heartrate: fc.boolean(),
  average_heartrate: optional(fc.double({ min: 0, max: 400, noNaN: true })),
  average_cadence: optional(fc.double({ min: 0, max: 150, noNaN: true })),
  average_watts: optional(fc.double({ min: 0, max: 2000, noNaN: true })),
  device_watts: optional(fc.boolean()),
  start_latlng: fc.oneof(
    fc.constant([]),
    fc.constant(null),
    fc.tuple(
      fc.double({ min: -90, max: 90, noNaN: true }),
      fc.double({ min: -180, max: 180, noNaN: true }),
    ),
  ),
  suffer_score: optional(
    fc.oneof(fc.double({ min: -5, max: 500, noNaN: true }), fc.constant(null)),
  ),
})

describe('any Strava summary activity', () => {
  test.prop([summaries], { numRuns: 300 })(
    'maps to a schema-valid activity with the id kept as a string and cadence doubled for runs',
    (raw) => {
      const activity = mapStravaActivity(raw)
      const parsed = activitySchema.safeParse(activity)
      expect(parsed.success, parsed.error?.message).toBe(true)
      expect(activity.id).toBe(String(raw.id))
      if (raw.sport_type === 'Run' && raw.average_cadence !== undefined) {
        expect(activity.average_cadence).toBe(Math.round(raw.average_cadence * 2))
      }
      if (!raw.has_heartrate) expect(activity.average_heart_rate).toBeUndefined()
    },
  )
})
