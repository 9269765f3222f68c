import {
  activitySchema,
  activityStreamsSchema,
  collect,
  dailySummarySchema,
  healthMetricsSchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SyntheticProvider } from '../src/index.js'
import { createSyntheticProvider } from '../src/index.js'
import { anchor, expectPlausibleActivity, expectPlausibleSleep, fixedNow } from './support.js'

const range = { start: '2024-09-01T00:00:00Z', end: anchor }

describe('physiological plausibility over 180 days (seed 42)', () => {
  let provider: SyntheticProvider
  beforeAll(() => {
    provider = createSyntheticProvider({ seed: 42, now: fixedNow, historyDays: 180 })
  })

  it('draws a profile within the spec ranges', async () => {
    const { profile } = provider
    expect(profile.ageYears).toBeGreaterThanOrEqual(22)
    expect(profile.ageYears).toBeLessThanOrEqual(58)
    expect(profile.ftp / profile.weightKg).toBeGreaterThanOrEqual(2.4)
    expect(profile.ftp / profile.weightKg).toBeLessThanOrEqual(4.6)
    expect(1000 / profile.thresholdSpeedMetersPerSecond).toBeGreaterThanOrEqual(200)
    expect(1000 / profile.thresholdSpeedMetersPerSecond).toBeLessThanOrEqual(360)
    expect(profile.lthr).toBeLessThan(profile.maxHeartRate)
    const athlete = await provider.getAthlete()
    expect(athlete).toMatchObject({
      provider: 'synthetic',
      ftp: profile.ftp,
      weight_kg: profile.weightKg,
    })
  })

  it('trains run, ride and swim with rest days and periodised weeks', async () => {
    const all = await collect(provider.iterateActivities())
    expect(new Set(all.map((activity) => activity.sport_type))).toEqual(
      new Set(['run', 'ride', 'swim']),
    )
    const kinds = new Set(all.map((activity) => activity.sport_type_detail?.split(':')[1]))
    expect(kinds).toEqual(new Set(['easy', 'long', 'tempo', 'intervals']))
    const activeDays = new Set(all.map((activity) => activity.start_date_local?.slice(0, 10)))
    // 181 days, 1–2 rest days a week.
    expect(activeDays.size).toBeLessThanOrEqual(181 - 26)
    expect(activeDays.size).toBeGreaterThanOrEqual(181 - 2 * 26 - 10)
    const weeklyHours = new Map<number, number>()
    for (const activity of all) {
      const week = Math.floor((Date.parse(activity.start_date) / 86_400_000 + 3) / 7)
      weeklyHours.set(week, (weeklyHours.get(week) ?? 0) + activity.duration_seconds / 3600)
    }
    // Whole weeks only: the first and last weeks of the window are partial.
    const hours = [...weeklyHours.entries()]
      .sort(([left], [right]) => left - right)
      .slice(1, -1)
      .map(([, value]) => value)
    expect(Math.min(...hours)).toBeGreaterThan(2)
    expect(Math.max(...hours)).toBeLessThan(16)
    expect(Math.max(...hours) / Math.min(...hours)).toBeGreaterThan(1.3)
  })

  it('keeps every activity and stream in bounds, valid, and consistent with its summary', async () => {
    const all = await collect(provider.iterateActivities())
    expect(all.length).toBeGreaterThan(150)
    for (const activity of all.filter((_, index) => index % 4 === 0)) {
      expect(activitySchema.safeParse(activity).success).toBe(true)
      const streams = await provider.getActivityStreams(activity.id)
      const parsed = activityStreamsSchema.safeParse(streams)
      expect(parsed.success, parsed.error?.message).toBe(true)
      expectPlausibleActivity(activity, streams)
      const moving = streams.moving as boolean[]
      const heart = streams.heartrate as number[]
      const movingHeart = heart.filter((_, index) => moving[index])
      const meanHeart = movingHeart.reduce((sum, value) => sum + value, 0) / movingHeart.length
      expect(Math.abs(meanHeart - (activity.average_heart_rate as number))).toBeLessThanOrEqual(0.5)
      expect(Math.max(...heart)).toBe(activity.max_heart_rate)
      const distance = streams.distance as number[]
      expect(distance[distance.length - 1]).toBeCloseTo(activity.distance_meters as number, 1)
      expect(streams.time.length).toBe(activity.duration_seconds + 1)
      expect(moving.slice(1).filter(Boolean).length).toBe(activity.moving_time_seconds)
      if (activity.sport_type === 'ride') {
        const watts = streams.watts as number[]
        const movingWatts = watts.filter((_, index) => moving[index])
        const meanWatts = movingWatts.reduce((sum, value) => sum + value, 0) / movingWatts.length
        expect(Math.abs(meanWatts - (activity.average_power as number))).toBeLessThanOrEqual(0.5)
        // NP runs over every sample (pauses included), the average over moving ones.
        expect(activity.normalized_power).toBeGreaterThanOrEqual(
          0.95 * (activity.average_power as number),
        )
        expect(activity.calories).toBe(Math.round(activity.kilojoules as number))
        expect(streams.latlng?.length).toBe(streams.time.length)
      }
      if (activity.sport_type === 'swim') expect(streams.latlng).toBeUndefined()
    }
  })

  it('makes heart rate lag the effort and drift on long sessions', async () => {
    const all = await collect(provider.iterateActivities({ sport_types: ['run'] }))
    const intervals = all.find((activity) => activity.sport_type_detail === 'Run:intervals')
    expect(intervals).toBeDefined()
    const streams = await provider.getActivityStreams(intervals?.id as string)
    const heart = streams.heartrate as number[]
    // The first repetition starts at 15:00; heart rate keeps rising well after the effort jumps.
    expect((heart[900 + 60] as number) - (heart[900 + 5] as number)).toBeGreaterThan(5)
    expect(heart[900 + 170] as number).toBeGreaterThan(heart[900 + 60] as number)
    const long = all.find(
      (activity) => activity.sport_type_detail === 'Run:long' && activity.duration_seconds > 4800,
    )
    expect(long).toBeDefined()
    const longHeart = (await provider.getActivityStreams(long?.id as string)).heartrate as number[]
    const mean = (from: number, to: number): number =>
      longHeart.slice(from, to).reduce((sum, value) => sum + value, 0) / (to - from)
    expect(mean(longHeart.length - 1500, longHeart.length - 600)).toBeGreaterThan(
      mean(900, 1800) + 1,
    )
  })

  it('keeps nights, HRV, recovery, health and daily summaries valid and in bounds', async () => {
    const nights = await provider.getSleepSessions(range)
    expect(nights.length).toBeGreaterThan(180)
    for (const night of nights) {
      expect(sleepSessionSchema.safeParse(night).success).toBe(true)
      expectPlausibleSleep(night)
    }
    const totals = { light: 0, deep: 0, rem: 0, awake: 0, bed: 0 }
    for (const night of nights) {
      totals.bed += night.time_in_bed
      for (const stage of night.stages) {
        totals[stage.stage_type as 'light'] += stage.duration_minutes
      }
    }
    expect(totals.deep / totals.bed).toBeGreaterThan(0.1)
    expect(totals.deep / totals.bed).toBeLessThan(0.25)
    expect(totals.rem / totals.bed).toBeGreaterThan(0.15)
    expect(totals.rem / totals.bed).toBeLessThan(0.28)
    expect(totals.awake / totals.bed).toBeLessThan(0.12)
    for (const entry of await provider.getHrv(range)) {
      expect(hrvDailySchema.safeParse(entry).success).toBe(true)
      expect(entry.rmssd_ms).toBeGreaterThan(8)
      expect(entry.rmssd_ms).toBeLessThan(200)
    }
    for (const entry of await provider.getRecoveryMetrics(range)) {
      expect(recoveryMetricsSchema.safeParse(entry).success).toBe(true)
      expect(entry.resting_heart_rate).toBeGreaterThanOrEqual(35)
      expect(entry.resting_heart_rate).toBeLessThanOrEqual(90)
    }
    for (const entry of await provider.getHealthMetrics(range)) {
      expect(healthMetricsSchema.safeParse(entry).success).toBe(true)
      expect(Math.abs((entry.weight as number) - provider.profile.weightKg)).toBeLessThanOrEqual(2)
    }
    const daily = await provider.getDailySummaries(range)
    // 181 local days; the last one has not ended at `now`.
    expect(daily.length).toBe(180)
    for (const entry of daily) {
      expect(dailySummarySchema.safeParse(entry).success).toBe(true)
      expect(entry.steps).toBeGreaterThanOrEqual(5000)
      expect(entry.steps).toBeLessThanOrEqual(40_000)
    }
  })

  it('lowers HRV and raises resting HR after hard days (ATL-driven)', async () => {
    const all = await collect(provider.iterateActivities())
    const loadByDate = new Map<string, number>()
    for (const activity of all) {
      const date = activity.start_date_local?.slice(0, 10) as string
      loadByDate.set(date, (loadByDate.get(date) ?? 0) + (activity.training_stress_score ?? 0))
    }
    const recovery = await provider.getRecoveryMetrics(range)
    const afterHard: { hrv: number; rhr: number }[] = []
    const afterRest: { hrv: number; rhr: number }[] = []
    for (const entry of recovery) {
      const previous = new Date(Date.parse(`${entry.calendar_date}T00:00:00Z`) - 86_400_000)
        .toISOString()
        .slice(0, 10)
      const load = loadByDate.get(previous) ?? 0
      const point = { hrv: entry.hrv_rmssd_ms as number, rhr: entry.resting_heart_rate as number }
      if (load >= 100) afterHard.push(point)
      else if (load === 0) afterRest.push(point)
    }
    expect(afterHard.length).toBeGreaterThan(15)
    expect(afterRest.length).toBeGreaterThan(15)
    const mean = (points: { hrv: number; rhr: number }[], key: 'hrv' | 'rhr'): number =>
      points.reduce((sum, point) => sum + point[key], 0) / points.length
    expect(mean(afterHard, 'hrv')).toBeLessThan(mean(afterRest, 'hrv') * 0.95)
    expect(mean(afterHard, 'rhr')).toBeGreaterThan(mean(afterRest, 'rhr') + 1)
  })
})
