import type { Activity, ActivityStreams, SleepSession } from '@pierre/providers-core'
import { expect } from 'vitest'

/** The anchor the spec uses in tests (`specs/providers.md` §7). */
export const anchor = '2025-03-15T00:00:00Z'
export const fixedNow = (): Date => new Date(anchor)

/** Plausible speed ranges per sport, m/s. */
const speedBounds = {
  run: { averageMin: 1.8, averageMax: 6.5, max: 8 },
  ride: { averageMin: 4, averageMax: 15, max: 22 },
  swim: { averageMin: 0.5, averageMax: 2.2, max: 2.5 },
} as const

/** Checks the physiological bounds of one activity and its streams. */
export function expectPlausibleActivity(activity: Activity, streams: ActivityStreams): void {
  const sport = activity.sport_type as keyof typeof speedBounds
  const bounds = speedBounds[sport]
  expect(bounds, `unexpected sport ${activity.sport_type}`).toBeDefined()
  expect(activity.average_speed).toBeGreaterThanOrEqual(bounds.averageMin)
  expect(activity.average_speed).toBeLessThanOrEqual(bounds.averageMax)
  expect(activity.max_speed).toBeLessThanOrEqual(bounds.max)
  expect(activity.duration_seconds).toBeGreaterThanOrEqual(15 * 60)
  expect(activity.duration_seconds).toBeLessThanOrEqual(5 * 3600)
  const range = (values: readonly (number | null)[] | null | undefined): [number, number] => {
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    for (const value of values ?? []) {
      if (value === null) continue
      if (value < min) min = value
      if (value > max) max = value
    }
    return [min, max]
  }
  const [heartMin, heartMax] = range(streams.heartrate)
  expect(heartMin).toBeGreaterThanOrEqual(35)
  expect(heartMax).toBeLessThanOrEqual(210)
  if (streams.watts) {
    const [wattsMin, wattsMax] = range(streams.watts)
    expect(wattsMin).toBeGreaterThanOrEqual(0)
    expect(wattsMax).toBeLessThanOrEqual(2000)
  }
  const [speedMin, speedMax] = range(streams.velocity)
  expect(speedMin).toBeGreaterThanOrEqual(0)
  expect(speedMax).toBeLessThanOrEqual(bounds.max)
  const [cadenceMin, cadenceMax] = range(streams.cadence)
  expect(cadenceMin).toBeGreaterThanOrEqual(0)
  expect(cadenceMax).toBeLessThanOrEqual(200)
  const distance = streams.distance ?? []
  let decreasing = 0
  for (let index = 1; index < distance.length; index += 1) {
    if ((distance[index] as number) < (distance[index - 1] as number)) decreasing += 1
  }
  expect(decreasing).toBe(0)
}

/** Checks the bounds of one night: 3–11 h in bed, stages tiling the session exactly. */
export function expectPlausibleSleep(sleep: SleepSession): void {
  const hours = sleep.time_in_bed / 60
  expect(hours).toBeGreaterThanOrEqual(3)
  expect(hours).toBeLessThanOrEqual(11)
  const stageMinutes = sleep.stages.reduce((sum, stage) => sum + stage.duration_minutes, 0)
  expect(stageMinutes).toBe(sleep.time_in_bed)
  expect(Date.parse(sleep.end_time) - Date.parse(sleep.start_time)).toBe(sleep.time_in_bed * 60_000)
  let cursor = Date.parse(sleep.start_time)
  for (const stage of sleep.stages) {
    expect(Date.parse(stage.start_time)).toBe(cursor)
    cursor += stage.duration_minutes * 60_000
  }
  const asleep = sleep.stages
    .filter((stage) => stage.stage_type !== 'awake')
    .reduce((sum, stage) => sum + stage.duration_minutes, 0)
  expect(asleep).toBe(sleep.total_sleep_time)
  expect(sleep.sleep_efficiency).toBeCloseTo((100 * sleep.total_sleep_time) / sleep.time_in_bed, 1)
  expect(sleep.lowest_heart_rate).toBeGreaterThanOrEqual(35)
  expect(sleep.hrv_during_sleep).toBeGreaterThan(5)
  expect(sleep.hrv_during_sleep).toBeLessThan(250)
}
