import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { type LthrZoneModel, zones } from '../src/index.js'

const maxHr = fc.integer({ min: 120, max: 230 })
const restingHr = fc.integer({ min: 30, max: 100 })
const ftp = fc.double({ min: 50, max: 600, noNaN: true })
const model = fc.constantFrom<LthrZoneModel>('coggan', 'friel-run', 'friel-bike')

/** Zones are contiguous: strictly ascending starts, so every value falls in exactly one bucket. */
function expectContiguous(starts: readonly number[]): void {
  starts.forEach((start, index) => {
    if (index > 0) expect(start).toBeGreaterThan(starts[index - 1] as number)
    expect(Number.isFinite(start)).toBe(true)
  })
}

describe('zone properties', () => {
  test.prop([maxHr, restingHr])(
    'Karvonen zones are contiguous and lie between rest and max',
    (max, rest) => {
      const { starts } = zones.heartRateKarvonen({ maxHr: max, restingHr: rest })
      expectContiguous(starts)
      expect(starts[0]).toBeGreaterThan(rest)
      expect(starts.at(-1)).toBeLessThan(max)
    },
  )

  test.prop([ftp, fc.double({ min: 0, max: 2000, noNaN: true })])(
    'power zones cover every power: one bucket, its start ≤ power < the next start',
    (threshold, watts) => {
      const { starts, labels } = zones.power({ ftp: threshold })
      expectContiguous(starts)
      const bucket = zones.classify(watts, starts)
      expect(bucket).toBeGreaterThanOrEqual(0)
      expect(bucket).toBeLessThan(labels.length)
      if (bucket > 0) expect(watts).toBeGreaterThanOrEqual(starts[bucket - 1] as number)
      if (bucket < starts.length) expect(watts).toBeLessThan(starts[bucket] as number)
    },
  )

  test.prop([
    fc.tuple(
      fc.integer({ min: 100, max: 220 }),
      model,
      fc.double({ min: 0, max: 250, noNaN: true }),
      fc.double({ min: 0, max: 50, noNaN: true }),
    ),
  ])('classify is monotone in the value', ([lthr, lthrModel, value, step]) => {
    const { starts } = zones.heartRateLthr({ lthr, model: lthrModel })
    expectContiguous(starts)
    expect(zones.classify(value + step, starts)).toBeGreaterThanOrEqual(
      zones.classify(value, starts),
    )
  })

  test.prop([
    fc.double({ min: 150, max: 900, noNaN: true }),
    fc.double({ min: 60, max: 1200, noNaN: true }),
    fc.double({ min: 0, max: 100, noNaN: true }),
  ])(
    'pace zones are contiguous and a slower pace never lands in a faster zone',
    (threshold, pace, slower) => {
      const { boundariesSecPerKm, speedStartsMps } = zones.pace({
        thresholdPaceSecPerKm: threshold,
      })
      expectContiguous(speedStartsMps)
      expectContiguous(boundariesSecPerKm.map((boundary) => -boundary))
      expect(zones.classifyPace(pace + slower, boundariesSecPerKm)).toBeLessThanOrEqual(
        zones.classifyPace(pace, boundariesSecPerKm),
      )
    },
  )

  test.prop([
    fc.array(fc.oneof(fc.double({ min: 0, max: 500, noNaN: true }), fc.constant(null)), {
      maxLength: 300,
    }),
    ftp,
    fc.double({ min: 0.1, max: 10, noNaN: true }),
  ])('time in zones adds up to the time of the valid samples', (stream, threshold, intervalSec) => {
    const seconds = zones.timeInZones(stream, zones.power({ ftp: threshold }).starts, {
      intervalSec,
    })
    const valid = stream.filter((value) => value !== null).length
    expect(seconds.reduce((sum, value) => sum + value, 0)).toBeCloseTo(valid * intervalSec, 9)
  })
})
