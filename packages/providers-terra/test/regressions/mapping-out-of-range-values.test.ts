import { activitySchema, sleepSessionSchema } from '@pierre/providers-core'
import { expect, it } from 'vitest'
import { mapTerraActivity, mapTerraSleep } from '../../src/index.js'

// Counterexamples found by test/webhook.prop.test.ts (seeds -59518931, -725799527, -946988951).

it('drops a cadence of 2^53 instead of emitting an unsafe integer', () => {
  const activity = mapTerraActivity({
    metadata: { start_time: '2000-01-01T00:00:00.000Z', end_time: '2000-01-01T00:00:00.000Z' },
    movement_data: { avg_cadence_rpm: 9_007_199_254_740_992, avg_speed_meters_per_second: 0 },
  })
  expect(activity.average_cadence).toBeUndefined()
  expect(activitySchema.safeParse(activity).success).toBe(true)
})

it('refuses a sleep session that ends before it starts', () => {
  expect(() =>
    mapTerraSleep({
      metadata: {
        start_time: '2025-03-14T07:02:13.000000-04:00',
        end_time: '2000-01-01T00:00:00.000Z',
      },
      sleep_durations_data: { other: { duration_in_bed_seconds: 540_431_955_284_459_500 } },
    }),
  ).toThrow(expect.objectContaining({ code: 'invalid_data' }))
})

it('ignores stage totals and in-bed times longer than the session', () => {
  const session = mapTerraSleep({
    metadata: {
      start_time: '2000-01-01T00:00:00.000Z',
      end_time: '2000-01-01T08:00:00.000Z',
    },
    sleep_durations_data: {
      asleep: {
        duration_asleep_state_seconds: 0,
        duration_deep_sleep_state_seconds: 1.0786158809173895e308,
      },
      other: { duration_in_bed_seconds: 540_431_955_284_459_500 },
      hypnogram_samples: [],
    },
  })
  expect(session).toMatchObject({ time_in_bed: 480, stage_detail: 'none', stages: [] })
  expect(sleepSessionSchema.safeParse(session).success).toBe(true)
})
