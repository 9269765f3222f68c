import { fc, test } from '@fast-check/vitest'
import {
  activitySchema,
  activityStreamsSchema,
  athleteSchema,
  dailySummarySchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect } from 'vitest'
import { createSyntheticProvider } from '../src/index.js'
import { expectPlausibleActivity, expectPlausibleSleep } from './support.js'

const seeds = fc.oneof(fc.nat(), fc.string({ minLength: 1, maxLength: 20 }))
// Any instant between 2020 and 2030.
const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })

describe('any seed and clock', () => {
  test.prop([seeds, instants], { numRuns: 60 })(
    'gives schema-valid data within physiological bounds',
    async (seed, nowMs) => {
      const now = () => new Date(nowMs)
      const provider = createSyntheticProvider({ seed, now, historyDays: 10 })
      expect(athleteSchema.safeParse(await provider.getAthlete()).success).toBe(true)
      const { profile } = provider
      expect(profile.maxHeartRate).toBeGreaterThan(profile.lthr)
      expect(profile.restingHeartRate).toBeGreaterThanOrEqual(44)
      expect(profile.restingHeartRate).toBeLessThanOrEqual(66)
      const activities = await provider.getActivities({ limit: 4 })
      expect(activities.length).toBeGreaterThan(0)
      for (const activity of activities) {
        expect(activitySchema.safeParse(activity).success).toBe(true)
        const streams = await provider.getActivityStreams(activity.id)
        const parsed = activityStreamsSchema.safeParse(streams)
        expect(parsed.success, parsed.error?.message).toBe(true)
        expectPlausibleActivity(activity, streams)
      }
      const range = {
        start: new Date(nowMs - 8 * 86_400_000).toISOString(),
        end: new Date(nowMs).toISOString(),
      }
      const nights = await provider.getSleepSessions(range)
      expect(nights.length).toBeGreaterThanOrEqual(6)
      for (const night of nights) {
        expect(sleepSessionSchema.safeParse(night).success).toBe(true)
        expectPlausibleSleep(night)
      }
      for (const entry of await provider.getHrv(range)) {
        expect(hrvDailySchema.safeParse(entry).success).toBe(true)
      }
      for (const entry of await provider.getRecoveryMetrics(range)) {
        expect(recoveryMetricsSchema.safeParse(entry).success).toBe(true)
      }
      for (const entry of await provider.getDailySummaries(range)) {
        expect(dailySummarySchema.safeParse(entry).success).toBe(true)
      }
    },
  )
})
