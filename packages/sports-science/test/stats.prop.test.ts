import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { isSportsScienceError, stats } from '../src/index.js'

const coordinate = fc.double({ min: -1e6, max: 1e6, noNaN: true })
// Days with quarter-day resolution, as time series are regressed on elapsed days (spec §8.1).
const day = fc.integer({ min: -40_000, max: 40_000 }).map((quarters) => quarters / 4)
const point = fc.record({ x: day, y: coordinate })
const points = fc.array(point, { minLength: 3, maxLength: 40 })
const values = fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 60 })
const anyFinite = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 30 })

/** Every number anywhere inside `value` is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite)
  return true
}

/** Runs `call`; our own error is an acceptable outcome, anything else is returned for checking. */
function resultOrOwnError(call: () => unknown): unknown {
  try {
    return call()
  } catch (error) {
    if (isSportsScienceError(error)) return undefined
    throw error
  }
}

function hasSpread(list: readonly { x: number }[]): boolean {
  return list.some((item) => item.x !== list[0]?.x)
}

describe('stats.linearRegression properties (spec §13.3)', () => {
  test.prop([points, fc.integer({ min: -1_000_000, max: 1_000_000 })])(
    'the slope does not change when x is shifted, and R² stays in [0, 1]',
    (list, shift) => {
      fc.pre(hasSpread(list))
      const fit = stats.linearRegression(list)
      const shifted = stats.linearRegression(list.map((item) => ({ x: item.x + shift, y: item.y })))
      if (fit === null || shifted === null) throw new Error('three points always fit')
      fc.pre(Math.abs(fit.slope) > 1e-6 && fit.r2 > 1e-6)
      expect(Math.abs(shifted.slope - fit.slope)).toBeLessThanOrEqual(1e-6 * Math.abs(fit.slope))
      for (const result of [fit, shifted]) {
        expect(result.r2).toBeGreaterThanOrEqual(0)
        expect(result.r2).toBeLessThanOrEqual(1)
        expect(Math.abs(result.r)).toBeLessThanOrEqual(1)
      }
    },
  )

  test.prop([points])('p-value lies in [0, 1] and every number is finite', (list) => {
    fc.pre(hasSpread(list))
    const fit = stats.linearRegression(list)
    expect(allFinite(fit)).toBe(true)
    if (fit?.pValue != null) {
      expect(fit.pValue).toBeGreaterThanOrEqual(0)
      expect(fit.pValue).toBeLessThanOrEqual(1)
    }
  })

  test.prop([
    fc.array(
      fc.record({
        x: fc.double({ noNaN: true, noDefaultInfinity: true }),
        y: fc.double({ noNaN: true, noDefaultInfinity: true }),
      }),
      { maxLength: 12 },
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  ])('any finite input gives finite results or our own error', (list, x) => {
    for (const call of [
      () => stats.linearRegression(list),
      () => stats.regressionInterval(list, x),
      () => stats.trend(list),
    ]) {
      expect(allFinite(resultOrOwnError(call))).toBe(true)
    }
  })

  test.prop([points, coordinate, fc.double({ min: 0.5, max: 0.999, noNaN: true })])(
    'the prediction interval contains the mean interval, which contains the fitted value',
    (list, x, level) => {
      fc.pre(hasSpread(list))
      const interval = stats.regressionInterval(list, x, level)
      if (interval === null) throw new Error('three points always give an interval')
      expect(interval.prediction.lower).toBeLessThanOrEqual(interval.mean.lower)
      expect(interval.mean.lower).toBeLessThanOrEqual(interval.y)
      expect(interval.y).toBeLessThanOrEqual(interval.mean.upper)
      expect(interval.mean.upper).toBeLessThanOrEqual(interval.prediction.upper)
    },
  )
})

describe('moving-average properties (spec §8.5)', () => {
  test.prop([values, fc.integer({ min: 1, max: 20 })])(
    'each trailing average lies between the minimum and maximum of its window',
    (list, window) => {
      const averages = stats.sma(list, window)
      expect(averages).toHaveLength(list.length)
      averages.forEach((average, index) => {
        if (index < window - 1) {
          expect(average).toBeNull()
          return
        }
        const slice = list.slice(index - window + 1, index + 1)
        const slack = 1e-9 * Math.max(1, ...slice.map(Math.abs))
        expect(average).toBeGreaterThanOrEqual(Math.min(...slice) - slack)
        expect(average).toBeLessThanOrEqual(Math.max(...slice) + slack)
      })
    },
  )

  test.prop([values, fc.integer({ min: 0, max: 10 })])(
    'each centred average lies between the minimum and maximum of its truncated window',
    (list, half) => {
      const averages = stats.smaCentred(list, 2 * half + 1)
      averages.forEach((average, index) => {
        const slice = list.slice(Math.max(0, index - half), index + half + 1)
        const slack = 1e-9 * Math.max(1, ...slice.map(Math.abs))
        expect(average).toBeGreaterThanOrEqual(Math.min(...slice) - slack)
        expect(average).toBeLessThanOrEqual(Math.max(...slice) + slack)
      })
    },
  )

  test.prop([values, fc.double({ min: 1e-6, max: 1, noNaN: true })])(
    'exponential smoothing stays between the minimum and maximum seen so far',
    (list, alpha) => {
      stats.ema(list, alpha).forEach((level, index) => {
        const seen = list.slice(0, index + 1)
        const slack = 1e-9 * Math.max(1, ...seen.map(Math.abs))
        expect(level).toBeGreaterThanOrEqual(Math.min(...seen) - slack)
        expect(level).toBeLessThanOrEqual(Math.max(...seen) + slack)
      })
    },
  )

  test.prop([anyFinite, fc.integer({ min: 1, max: 5 })])(
    'averages and smoothing of any finite values are finite',
    (list, window) => {
      expect(allFinite(stats.sma(list, window))).toBe(true)
      expect(allFinite(stats.smaCentred(list, 2 * window - 1))).toBe(true)
      expect(allFinite(stats.ema(list, 0.3))).toBe(true)
      expect(allFinite(resultOrOwnError(() => stats.modifiedZScores(list)))).toBe(true)
      expect(allFinite(stats.mean(list))).toBe(true)
      expect(allFinite(stats.median(list))).toBe(true)
      expect(allFinite(resultOrOwnError(() => stats.sampleSd(list)))).toBe(true)
    },
  )
})

describe('outlier properties (spec §8.6)', () => {
  test.prop([
    fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 3, maxLength: 60 }),
  ])(
    'scores are invariant to adding a constant, and outliers are exactly the large scores',
    (list) => {
      const result = stats.modifiedZScores(list)
      const shifted = stats.modifiedZScores(list.map((value) => value + 1000))
      expect(shifted.outliers).toEqual(result.outliers)
      result.scores.forEach((score, index) => {
        expect(result.outliers.includes(index)).toBe(Math.abs(score) > 3.5)
      })
    },
  )
})
