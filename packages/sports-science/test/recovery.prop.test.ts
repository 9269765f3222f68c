import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { type AggregationMethod, recovery } from '../src/index.js'

/** Every number anywhere inside `value` is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite)
  return true
}

const epsilon = 1e-9
// Each piece has slope at most 35 points per hour, per percent or per TSB unit (sleep duration 6–7 h),
// so a step of ε moves a continuous score by at most 35·ε.
const maxSlope = 35

const hours = fc.double({ min: 0, max: 24 - 2 * epsilon, noNaN: true })
const percent = fc.double({ min: 0, max: 100 - 2 * epsilon, noNaN: true })
const tsb = fc.double({ min: -300, max: 300, noNaN: true })
const score = fc.double({ min: 0, max: 100, noNaN: true })

function inRange(value: number): void {
  expect(value).toBeGreaterThanOrEqual(0)
  expect(value).toBeLessThanOrEqual(100)
}

describe('sleep and TSB scores stay in [0, 100] and are continuous (spec §13.3)', () => {
  test.prop([hours])('sleepDurationScore', (h) => {
    const here = recovery.sleepDurationScore(h)
    inRange(here)
    expect(Math.abs(recovery.sleepDurationScore(h + epsilon) - here)).toBeLessThanOrEqual(
      maxSlope * epsilon * 1.01 + 1e-12,
    )
  })

  test.prop([percent])('sleepEfficiencyScore', (e) => {
    const here = recovery.sleepEfficiencyScore(e)
    inRange(here)
    expect(Math.abs(recovery.sleepEfficiencyScore(e + epsilon) - here)).toBeLessThanOrEqual(
      maxSlope * epsilon + 1e-12,
    )
  })

  test.prop([tsb])('tsbScore (default continuous variant)', (t) => {
    const here = recovery.tsbScore(t)
    inRange(here)
    expect(Math.abs(recovery.tsbScore(t + epsilon) - here)).toBeLessThanOrEqual(
      maxSlope * epsilon + 1e-12,
    )
  })

  test.prop([fc.constantFrom(25, 15, 5, 0, -10, -15, -30)])(
    'tsbScore is continuous across each knot',
    (knot) => {
      expect(
        Math.abs(recovery.tsbScore(knot + epsilon) - recovery.tsbScore(knot - epsilon)),
      ).toBeLessThan(1e-6)
    },
  )

  const unit = fc.double({ min: 0, max: 1, noNaN: true })
  test.prop([
    fc.record({
      total: fc.double({ min: 0.5, max: 12, noNaN: true }),
      deep: unit,
      rem: unit,
      light: unit,
      nudge: unit,
    }),
  ])(
    'sleepStageScore stays in [0, 100] and moves little when a stage changes by ε',
    ({ total, deep, rem, light, nudge }) => {
      const stageHours = {
        deepHours: deep * total,
        remHours: rem * total,
        lightHours: light * total,
      }
      const here = recovery.sleepStageScore({ totalHours: total, ...stageHours })
      if (here === null) throw new Error('all stages were given')
      inRange(here)
      const nudged = recovery.sleepStageScore({
        totalHours: total,
        ...stageHours,
        deepHours: Math.min(total, stageHours.deepHours + nudge * epsilon),
      })
      // 33.3 points over the lower band edge (15%) is the steepest piece: 2.22 points per percent.
      expect(Math.abs((nudged ?? Number.NaN) - here)).toBeLessThanOrEqual(
        ((2.22 * 100 * epsilon) / total) * 1.01 + 1e-12,
      )
    },
  )

  test.prop([
    fc.record({
      durationHours: hours,
      deepHours: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      remHours: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      lightHours: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      efficiencyPercent: fc.option(percent, { nil: undefined }),
    }),
    fc.constantFrom('renormalize', 'neutral50' as const),
  ])('sleepQuality stays in [0, 100] with finite components', (night, missing) => {
    const scaled = {
      ...night,
      deepHours: night.deepHours === undefined ? undefined : night.deepHours * night.durationHours,
      remHours: night.remHours === undefined ? undefined : night.remHours * night.durationHours,
      lightHours:
        night.lightHours === undefined ? undefined : night.lightHours * night.durationHours,
    }
    const quality = recovery.sleepQuality(scaled, { missing })
    inRange(quality.overall)
    expect(allFinite(quality)).toBe(true)
  })
})

describe('recovery aggregation properties (spec §6.7)', () => {
  const method = fc.constantFrom<AggregationMethod>(
    'weighted',
    'geometric',
    'harmonic',
    'minimum',
    'pierreBayesian',
  )

  test.prop([
    fc.record({
      tsbPoints: score,
      sleepPoints: score,
      hrvPoints: fc.option(score, { nil: undefined }),
      chosen: method,
    }),
  ])(
    'every method gives a finite score in [0, 100], never above the largest component',
    ({ tsbPoints, sleepPoints, hrvPoints, chosen }) => {
      const value = recovery.aggregate(
        { tsb: tsbPoints, sleep: sleepPoints, hrv: hrvPoints },
        { method: chosen },
      )
      inRange(value)
      const parts = [tsbPoints, sleepPoints, ...(hrvPoints === undefined ? [] : [hrvPoints])]
      expect(value).toBeLessThanOrEqual(Math.max(...parts) * (1 + 1e-12))
    },
  )

  test.prop([
    fc.record({
      tsbPoints: score,
      sleepPoints: score,
      hrvPoints: score,
      rise: fc.double({ min: 0, max: 50, noNaN: true }),
    }),
  ])(
    'the weighted score does not fall when a component rises',
    ({ tsbPoints, sleepPoints, hrvPoints, rise }) => {
      const before = recovery.aggregate({ tsb: tsbPoints, sleep: sleepPoints, hrv: hrvPoints })
      const after = recovery.aggregate({
        tsb: tsbPoints,
        sleep: Math.min(100, sleepPoints + rise),
        hrv: hrvPoints,
      })
      expect(after).toBeGreaterThanOrEqual(before)
    },
  )

  test.prop([
    tsb,
    fc.record({ durationHours: hours, efficiencyPercent: fc.option(percent, { nil: undefined }) }),
    fc.option(
      fc.record({
        currentRmssd: fc.double({ min: 1, max: 500, noNaN: true }),
        recentRmssd: fc.array(fc.double({ min: 1, max: 500, noNaN: true }), { maxLength: 7 }),
      }),
      { nil: undefined },
    ),
  ])(
    'recovery.score is finite and its readiness agrees with recovery.readiness',
    (t, sleep, hrv) => {
      const result = recovery.score({ tsb: t, sleep, hrv })
      expect(allFinite(result)).toBe(true)
      inRange(result.overall)
      expect(result.readiness).toBe(
        recovery.readiness({
          score: result.overall,
          tsb: t,
          sleepCategory: result.sleepCategory,
          hrvStatus: result.hrvStatus,
        }),
      )
    },
  )

  test.prop([fc.array(fc.double({ min: 5, max: 300, noNaN: true }), { maxLength: 120 })])(
    'hrvLnStatus is null or finite',
    (values) => {
      expect(allFinite(recovery.hrvLnStatus({ dailyRmssd: values }))).toBe(true)
    },
  )
})
