import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { type PatternActivity, patterns } from '../src/index.js'

/** Every number anywhere inside `value` is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite)
  return true
}

const pad = (value: number) => String(value).padStart(2, '0')

/** Local date of `day` days after 2023-01-02 (a Monday), computed independently of the library. */
function dateOf(day: number): string {
  return new Date(Date.UTC(2023, 0, 2 + day)).toISOString().slice(0, 10)
}

const activity: fc.Arbitrary<PatternActivity> = fc
  .record({
    day: fc.integer({ min: 0, max: 400 }),
    minute: fc.integer({ min: 0, max: 1439 }),
    durationSec: fc.integer({ min: 0, max: 20_000 }),
    sport: fc.constantFrom('run', 'ride', 'swim'),
    distanceM: fc.option(fc.double({ min: 0, max: 200_000, noNaN: true }), { nil: undefined }),
    avgHr: fc.option(fc.double({ min: 60, max: 200, noNaN: true }), { nil: undefined }),
    normalizedPower: fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: undefined }),
    load: fc.option(fc.double({ min: 0, max: 400, noNaN: true }), { nil: undefined }),
  })
  .map(({ day, minute, ...rest }) => ({
    ...rest,
    start: `${dateOf(day)}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`,
  }))
const history = fc.array(activity, { maxLength: 40 })
const profile = fc.record({
  ftp: fc.option(fc.double({ min: 100, max: 400, noNaN: true }), { nil: undefined }),
  lthr: fc.option(fc.double({ min: 130, max: 190, noNaN: true }), { nil: undefined }),
  maxHr: fc.option(fc.double({ min: 160, max: 210, noNaN: true }), { nil: undefined }),
})

describe('pattern properties (spec §9)', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 7, maxLength: 7 })])(
    'schedule consistency lies between 100/7 and 100',
    (counts) => {
      const value = patterns.scheduleConsistency(counts)
      if (counts.every((count) => count === 0)) {
        expect(value).toBeNull()
        return
      }
      expect(value).toBeGreaterThanOrEqual(100 / 7 - 1e-9)
      expect(value).toBeLessThanOrEqual(100)
    },
  )

  test.prop([history])(
    'weekly volumes keep every kilometre and are one per calendar week',
    (list) => {
      const result = patterns.weeklyVolumes(list)
      const total = list.reduce((sum, item) => sum + (item.distanceM ?? 0) / 1000, 0)
      const summed = result.volumes.reduce((sum, volume) => sum + volume, 0)
      expect(Math.abs(summed - total)).toBeLessThanOrEqual(1e-9 * Math.max(1, total))
      expect(result.weekStarts).toHaveLength(result.volumes.length)
      result.weekStarts.forEach((monday, index) => {
        if (index > 0) {
          const gap = Date.parse(monday) - Date.parse(result.weekStarts[index - 1] ?? '')
          expect(gap).toBe(7 * 86_400_000)
        }
        expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1)
      })
    },
  )

  test.prop([fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 30 })])(
    'large spikes are spikes, and every spike follows a non-empty week',
    (volumes) => {
      const result = patterns.volumeProgression(volumes)
      for (const week of result.largeSpikeWeeks) expect(result.spikeWeeks).toContain(week)
      for (const week of result.spikeWeeks) {
        expect(volumes[week - 1]).toBeGreaterThan(0)
        expect(volumes[week]).toBeGreaterThan(volumes[week - 1] ?? Number.POSITIVE_INFINITY)
      }
    },
  )

  test.prop([history, profile])(
    'every analysis gives finite numbers and bounded shares',
    (list, athlete) => {
      const schedule = patterns.weeklySchedule(list)
      const weekOverWeek = patterns.weeklySchedule(list, { method: 'weekOverWeek' })
      const hardEasy = patterns.hardEasyPattern(list, athlete)
      const signals = patterns.overtrainingSignals(list, athlete)
      for (const result of [schedule, weekOverWeek, hardEasy, signals])
        expect(allFinite(result)).toBe(true)
      for (const share of [schedule.consistency, weekOverWeek.consistency, hardEasy.hardPercent]) {
        if (share !== null) {
          expect(share).toBeGreaterThanOrEqual(0)
          expect(share).toBeLessThanOrEqual(100)
        }
      }
      expect(hardEasy.insufficientData).toBe(list.length < 6)
    },
  )

  test.prop([
    fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }),
    fc.integer({ min: 0, max: 60 }),
  ])(
    'a streak never exceeds the distinct training days up to asOf, and adding a day never shortens it',
    (days, asOf) => {
      const dates = days.map(dateOf)
      const streak = patterns.consecutiveTrainingDays(dates, dateOf(asOf))
      expect(streak).toBeLessThanOrEqual(new Set(days.filter((day) => day <= asOf)).size)
      expect(
        patterns.consecutiveTrainingDays([...dates, dateOf(asOf)], dateOf(asOf)),
      ).toBeGreaterThanOrEqual(streak)
    },
  )
})
