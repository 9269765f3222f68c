import { describe, expect, it } from 'vitest'
import { type Stream, zones } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

function constant(value: number | null, count: number): (number | null)[] {
  return new Array<number | null>(count).fill(value)
}

describe('zones.heartRateKarvonen and heartRatePercentMax', () => {
  it('builds heart-rate-reserve zones (Karvonen et al. 1957)', () => {
    expect(zones.heartRateKarvonen({ maxHr: 190, restingHr: 60 })).toEqual({
      starts: [125, 138, 151, 164, 177],
      labels: ['belowZ1', 'Z1', 'Z2', 'Z3', 'Z4', 'Z5'],
      max: 190,
    })
    expect(zones.heartRateKarvonen({ maxHr: 200, restingHr: 50, fractions: [0.6, 0.8] })).toEqual({
      starts: [140, 170],
      labels: ['belowZ1', 'Z1', 'Z2'],
      max: 200,
    })
  })

  it('builds %HRmax zones', () => {
    expect(zones.heartRatePercentMax({ maxHr: 200 })).toEqual({
      starts: [100, 120, 140, 160, 180],
      labels: ['belowZ1', 'Z1', 'Z2', 'Z3', 'Z4', 'Z5'],
      max: 200,
    })
  })

  it.for([
    {
      name: 'resting ≥ max',
      call: () => zones.heartRateKarvonen({ maxHr: 150, restingHr: 150 }),
      field: 'restingHr',
    },
    {
      name: 'max above 250',
      call: () => zones.heartRateKarvonen({ maxHr: 260, restingHr: 50 }),
      field: 'maxHr',
    },
    {
      name: 'resting missing',
      call: () => zones.heartRateKarvonen(untyped({ maxHr: 190 })),
      field: 'restingHr',
    },
    {
      name: 'fraction above 1',
      call: () => zones.heartRatePercentMax({ maxHr: 190, fractions: [0.5, 1.1] }),
      field: 'fractions[1]',
    },
    {
      name: 'fractions not ascending',
      call: () => zones.heartRatePercentMax({ maxHr: 190, fractions: [0.7, 0.6] }),
      field: 'fractions[1]',
    },
    {
      name: 'fractions empty',
      call: () => zones.heartRatePercentMax({ maxHr: 190, fractions: [] }),
      field: 'fractions',
    },
    { name: 'no args', call: () => zones.heartRatePercentMax(untyped(null)), field: 'args' },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('zones.heartRateLthr', () => {
  it.for([
    {
      model: 'coggan' as const,
      starts: [115.6, 141.1, 159.8, 178.5],
      labels: ['L1', 'L2', 'L3', 'L4', 'L5'],
    },
    {
      model: 'friel-run' as const,
      starts: [144.5, 153, 161.5, 170, 175.1, 180.2],
      labels: ['Z1', 'Z2', 'Z3', 'Z4', 'Z5a', 'Z5b', 'Z5c'],
    },
    {
      model: 'friel-bike' as const,
      starts: [137.7, 153, 159.8, 170, 175.1, 180.2],
      labels: ['Z1', 'Z2', 'Z3', 'Z4', 'Z5a', 'Z5b', 'Z5c'],
    },
  ])('$model at LTHR 170', ({ model, starts, labels }) => {
    const result = zones.heartRateLthr({ lthr: 170, model })
    expect(result.labels).toEqual(labels)
    result.starts.forEach((start, index) => {
      expect(start).toBeCloseTo(starts[index] as number, 9)
    })
  })

  it('rejects a bad LTHR or model', () => {
    expectInvalidInput(() => zones.heartRateLthr({ lthr: 0, model: 'coggan' }), 'lthr')
    expectInvalidInput(() => zones.heartRateLthr(untyped({ lthr: 170 })), 'model')
  })
})

describe('zones.power and zones.pace', () => {
  it('builds Coggan levels (Coggan 2001)', () => {
    const levels = zones.power({ ftp: 250 })
    expect(levels.starts).toEqual([137.5, 187.5, 225, 262.5, 300, 375])
    expect(levels.labels).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'])
    expect(levels.names[6]).toBe('Neuromuscular power')
    expectInvalidInput(() => zones.power({ ftp: 0 }), 'ftp')
  })

  it('builds Friel pace zones with matching speed starts', () => {
    const paceZones = zones.pace({ thresholdPaceSecPerKm: 240 })
    const expected = [309.6, 273.6, 254.4, 237.6, 232.8, 216]
    paceZones.boundariesSecPerKm.forEach((value, index) => {
      expect(value).toBeCloseTo(expected[index] as number, 9)
    })
    expect(paceZones.speedStartsMps).toEqual(paceZones.boundariesSecPerKm.map((b) => 1000 / b))
    expect(paceZones.labels).toHaveLength(7)
    expectInvalidInput(() => zones.pace({ thresholdPaceSecPerKm: 60 }), 'thresholdPaceSecPerKm')
  })

  it('classifies paces with boundaries to the faster zone', () => {
    const { boundariesSecPerKm } = zones.pace({ thresholdPaceSecPerKm: 240 })
    expect(zones.classifyPace(400, boundariesSecPerKm)).toBe(0)
    expect(zones.classifyPace(309.6, boundariesSecPerKm)).toBe(1)
    expect(zones.classifyPace(240, boundariesSecPerKm)).toBe(3)
    expect(zones.classifyPace(200, boundariesSecPerKm)).toBe(6)
    expectInvalidInput(() => zones.classifyPace(0, boundariesSecPerKm), 'paceSecPerKm')
    expectInvalidInput(() => zones.classifyPace(300, [200, 300]), 'boundariesSecPerKm[1]')
    expectInvalidInput(() => zones.classifyPace(300, untyped('fast')), 'boundariesSecPerKm')
  })

  it('exposes Daniels paces', () => {
    expect(zones.danielsPaces(50).thresholdSecPerKm).toBeCloseTo(255.2, 0)
  })
})

describe('zones.classify and zones.timeInZones (spec §5.1)', () => {
  const starts = [137.5, 187.5, 225, 262.5, 300, 375]

  it('puts a value on a boundary in the higher zone', () => {
    expect([0, 137.4, 137.5, 300, 1000].map((value) => zones.classify(value, starts))).toEqual([
      0, 0, 1, 5, 6,
    ])
    expect(zones.classify(5, [])).toBe(0)
  })

  it('sums seconds per bucket, skipping missing samples', () => {
    const stream = [
      ...constant(100, 60),
      ...constant(200, 60),
      ...constant(250, 60),
      ...constant(300, 60),
      ...constant(400, 60),
    ]
    expect(zones.timeInZones(stream, starts)).toEqual([60, 0, 60, 60, 0, 60, 60])
    expect(zones.timeInZones([100, null, Number.NaN, 400], starts, { intervalSec: 5 })).toEqual([
      5, 0, 0, 0, 0, 0, 5,
    ])
    expect(zones.timeInZones(new Float64Array(0), starts)).toEqual([0, 0, 0, 0, 0, 0, 0])
  })

  it('classifies a speed stream with pace-zone speed starts like the paces', () => {
    const { speedStartsMps, boundariesSecPerKm } = zones.pace({ thresholdPaceSecPerKm: 240 })
    const paces = [400, 300, 260, 245, 235, 220, 200]
    const bySpeed = zones.timeInZones(
      paces.map((pace) => 1000 / pace),
      speedStartsMps,
    )
    const byPace = new Array(7).fill(0)
    for (const pace of paces) byPace[zones.classifyPace(pace, boundariesSecPerKm)]++
    expect(bySpeed).toEqual(byPace)
  })

  it.for([
    { name: 'a NaN value', call: () => zones.classify(Number.NaN, starts), field: 'value' },
    { name: 'descending starts', call: () => zones.classify(1, [2, 1]), field: 'starts[1]' },
    { name: 'repeated starts', call: () => zones.classify(1, [1, 1]), field: 'starts[1]' },
    { name: 'starts not an array', call: () => zones.classify(1, untyped(3)), field: 'starts' },
    { name: 'a negative sample', call: () => zones.timeInZones([-1], starts), field: 'stream[0]' },
    {
      name: 'a stream that is not array-like',
      call: () => zones.timeInZones(untyped<Stream>('abc'), starts),
      field: 'stream',
    },
    {
      name: 'intervalSec 0',
      call: () => zones.timeInZones([1], starts, { intervalSec: 0 }),
      field: 'intervalSec',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})
