import { describe, expect, it } from 'vitest'
import { type HrTssArgs, type LoadEntry, load, type Stream } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Passes a value the types forbid, as a JavaScript caller could. */
function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

function constant(value: number | null, count: number): (number | null)[] {
  return new Array<number | null>(count).fill(value)
}

/** Textbook NP: re-sums every 30-s window (O(n·w)), the slow reference for the one-pass version. */
function naiveNormalizedPower(power: readonly number[], window = 30): number | null {
  if (power.length < window) return null
  let total = 0
  for (let end = window - 1; end < power.length; end++) {
    let sum = 0
    for (let index = end - window + 1; index <= end; index++) sum += power[index] as number
    total += (sum / window) ** 4
  }
  return (total / (power.length - window + 1)) ** 0.25
}

function days(count: number, loadPerDay: number, start = '2025-01-01'): LoadEntry[] {
  const first = Date.UTC(
    Number(start.slice(0, 4)),
    Number(start.slice(5, 7)) - 1,
    Number(start.slice(8)),
  )
  return Array.from({ length: count }, (_, index) => ({
    date: new Date(first + index * 86_400_000).toISOString().slice(0, 10),
    load: loadPerDay,
  }))
}

describe('load.normalizedPower', () => {
  const square = Array.from({ length: 3600 }, (_, index) =>
    Math.floor(index / 30) % 2 === 0 ? 300 : 100,
  )
  it.for([
    {
      name: 'constant 200 W (Allen & Coggan 2010)',
      power: constant(200, 3600),
      options: {},
      np: 200,
    },
    {
      name: '1-s 400/0 W alternation smooths to 200 W (spec §3.2 ⚠1)',
      power: Array.from({ length: 3600 }, (_, index) => (index % 2 === 0 ? 400 : 0)),
      options: {},
      np: 200,
    },
    { name: '30/30 s square wave', power: square, options: {}, np: 221.850941 },
    {
      name: 'zeroPad counts the warm-up from 0 W (GoldenCheetah)',
      power: constant(200, 60),
      options: { warmup: 'zeroPad' as const },
      np: 176.643817,
    },
    { name: 'exactly one window', power: constant(250, 30), options: {}, np: 250 },
    { name: 'all zeros', power: constant(0, 100), options: {}, np: 0 },
    {
      name: 'missing samples count as 0 W',
      power: [...constant(200, 30), null, Number.NaN, ...constant(200, 28)],
      options: {},
      np: naiveNormalizedPower([...constant(200, 30), 0, 0, ...constant(200, 28)] as number[]),
    },
    {
      name: 'intervalSec 2 gives a 15-sample window',
      power: square.filter((_, index) => index % 2 === 0),
      options: { intervalSec: 2 },
      np: naiveNormalizedPower(
        square.filter((_, index) => index % 2 === 0),
        15,
      ),
    },
    {
      name: 'windowSec 10',
      power: square,
      options: { windowSec: 10 },
      np: naiveNormalizedPower(square, 10),
    },
    { name: 'Float64Array input', power: new Float64Array(600).fill(180), options: {}, np: 180 },
    { name: 'Int16Array input', power: new Int16Array(600).fill(180), options: {}, np: 180 },
  ])('$name', ({ power, options, np }) => {
    expect(load.normalizedPower(power, options)).toBeCloseTo(np as number, 6)
  })

  it('agrees with the naive re-summing implementation on an irregular ride', () => {
    const power = Array.from({ length: 5000 }, (_, index) =>
      Math.round(200 + 150 * Math.sin(index / 7) + (index % 13) * 9),
    )
    expect(load.normalizedPower(power)).toBeCloseTo(naiveNormalizedPower(power) as number, 9)
  })

  it('stays exact over 200 000 samples, across the periodic re-summing of the window', () => {
    const power = Array.from({ length: 200_000 }, (_, index) => (index * 7919) % 600)
    const typed = load.normalizedPower(Float64Array.from(power)) as number
    expect(typed).toBeCloseTo(naiveNormalizedPower(power) as number, 9)
    expect(load.normalizedPower(power)).toBeCloseTo(typed, 9)
  })

  it('rejects invalid samples on the Float64Array path too', () => {
    expectInvalidInput(
      () => load.normalizedPower(Float64Array.from([...constant(100, 40), -1] as number[])),
      'power[40]',
    )
    expectInvalidInput(
      () =>
        load.normalizedPower(
          Float64Array.from([...constant(100, 40), Number.POSITIVE_INFINITY] as number[]),
        ),
      'power[40]',
    )
    expect(
      load.normalizedPower(Float64Array.from([...constant(100, 40), Number.NaN] as number[])),
    ).toBeCloseTo(naiveNormalizedPower([...constant(100, 40), 0] as number[]) as number, 9)
  })

  it.for([
    { name: 'shorter than a window (strict)', power: constant(250, 29), options: {} },
    { name: 'empty (strict)', power: [], options: {} },
    { name: 'empty (zeroPad)', power: [], options: { warmup: 'zeroPad' as const } },
  ])('returns null when $name', ({ power, options }) => {
    expect(load.normalizedPower(power, options)).toBeNull()
  })

  it('gives one rolling mean per sample with zeroPad even when shorter than a window', () => {
    expect(load.normalizedPower([300], { warmup: 'zeroPad' })).toBeCloseTo(10, 9)
  })

  it.for([
    { name: 'negative sample', call: () => load.normalizedPower([100, -1]), field: 'power[1]' },
    {
      name: 'infinite sample',
      call: () => load.normalizedPower([Number.POSITIVE_INFINITY]),
      field: 'power[0]',
    },
    {
      name: 'string sample',
      call: () => load.normalizedPower(untyped<Stream>(['100'])),
      field: 'power[0]',
    },
    { name: 'not an array', call: () => load.normalizedPower(untyped<Stream>(5)), field: 'power' },
    {
      name: 'intervalSec 0',
      call: () => load.normalizedPower([1], { intervalSec: 0 }),
      field: 'intervalSec',
    },
    {
      name: 'windowSec negative',
      call: () => load.normalizedPower([1], { windowSec: -30 }),
      field: 'windowSec',
    },
    {
      name: 'unknown warmup',
      call: () => load.normalizedPower([1], untyped({ warmup: 'pad' })),
      field: 'warmup',
    },
    {
      name: 'options not an object',
      call: () => load.normalizedPower([1], untyped('strict')),
      field: 'options',
    },
    {
      name: 'samples so large the result overflows',
      call: () => load.normalizedPower(constant(1e300, 40)),
      field: 'power',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('load.averagePower and load.workKj', () => {
  it('averages with missing samples as 0 W (spec §3.3)', () => {
    expect(load.averagePower([100, null, 200, Number.NaN])).toBe(75)
    expect(load.averagePower(new Float64Array([250, 250]))).toBe(250)
  })

  it('returns null for an empty stream', () => {
    expect(load.averagePower([])).toBeNull()
  })

  it('sums work in kJ, scaled by intervalSec', () => {
    expect(load.workKj(constant(250, 3600))).toBe(900)
    expect(load.workKj(constant(250, 1800), { intervalSec: 2 })).toBe(900)
    expect(load.workKj([])).toBe(0)
  })

  it('rejects invalid samples and intervals', () => {
    expectInvalidInput(() => load.averagePower([-5]), 'power[0]')
    expectInvalidInput(() => load.workKj([5], { intervalSec: -1 }), 'intervalSec')
    expectInvalidInput(() => load.workKj(untyped<Stream>(null)), 'power')
  })
})

describe('load.intensityFactor and load.variabilityIndex (Allen & Coggan 2010)', () => {
  it('divides by FTP and by average power', () => {
    expect(load.intensityFactor(262.5, 300)).toBe(0.875)
    expect(load.variabilityIndex(220, 200)).toBeCloseTo(1.1, 12)
    expect(load.variabilityIndex(0, 0)).toBeNull()
    expect(load.variabilityIndex(200, 0)).toBeNull()
  })

  it.for([
    { name: 'ftp 0', call: () => load.intensityFactor(200, 0), field: 'ftp' },
    { name: 'ftp negative', call: () => load.intensityFactor(200, -5), field: 'ftp' },
    { name: 'ftp above 2500 W', call: () => load.intensityFactor(200, 2501), field: 'ftp' },
    { name: 'NP negative', call: () => load.intensityFactor(-1, 250), field: 'normalizedPower' },
    {
      name: 'NP NaN',
      call: () => load.variabilityIndex(Number.NaN, 200),
      field: 'normalizedPower',
    },
    { name: 'average negative', call: () => load.variabilityIndex(200, -1), field: 'averagePower' },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('load.powerTss (Coggan 2003)', () => {
  it.for([
    {
      name: 'one hour at FTP = 100',
      args: { durationSec: 3600, normalizedPower: 250, ftp: 250 },
      tss: 100,
    },
    { name: '2 h at IF 0.6', args: { durationSec: 7200, normalizedPower: 180, ftp: 300 }, tss: 72 },
    {
      name: 'average power, unrounded',
      args: { durationSec: 7200, averagePower: 250, ftp: 300, method: 'avgPower' as const },
      tss: 138.888888889,
    },
    { name: 'zero duration', args: { durationSec: 0, normalizedPower: 250, ftp: 250 }, tss: 0 },
  ])('$name', ({ args, tss }) => {
    expect(load.powerTss(args)).toBeCloseTo(tss, 8)
  })

  it.for([
    { name: 'NP missing with np', args: { durationSec: 3600, ftp: 250 }, field: 'normalizedPower' },
    {
      name: 'average missing with avgPower',
      args: { durationSec: 3600, ftp: 250, normalizedPower: 200, method: 'avgPower' as const },
      field: 'averagePower',
    },
    { name: 'ftp 0', args: { durationSec: 3600, ftp: 0, normalizedPower: 200 }, field: 'ftp' },
    {
      name: 'negative duration',
      args: { durationSec: -1, ftp: 250, normalizedPower: 200 },
      field: 'durationSec',
    },
    {
      name: 'unknown method',
      args: { durationSec: 1, ftp: 250, normalizedPower: 200, method: untyped<'np'>('xpower') },
      field: 'method',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(() => load.powerTss(args), field)
  })

  it('rejects a missing argument object', () => {
    expectInvalidInput(() => load.powerTss(untyped(undefined)), 'args')
  })
})

describe('load.powerStreamSummary', () => {
  it('summarises an interval session (spec vector load-stream-summary-intervals)', () => {
    const power = [
      ...constant(150, 600),
      ...Array.from({ length: 5 }, () => [...constant(350, 180), ...constant(100, 180)]).flat(),
      ...constant(150, 600),
    ]
    const summary = load.powerStreamSummary(power, { ftp: 280 })
    expect(summary).toMatchObject({ durationSec: 3000, averagePower: 195 })
    expect(summary?.normalizedPower).toBeCloseTo(258.196557, 5)
    expect(summary?.tss).toBeCloseTo(70.860397, 5)
    expect(summary?.workKj).toBeCloseTo(585, 9)
  })

  it('keeps the duration and average but nulls NP-dependent fields for a short stream', () => {
    expect(load.powerStreamSummary(constant(200, 10), { ftp: 250, intervalSec: 2 })).toEqual({
      durationSec: 20,
      averagePower: 200,
      normalizedPower: null,
      intensityFactor: null,
      variabilityIndex: null,
      tss: null,
      workKj: 4,
    })
  })

  it('nulls the variability index of an all-zero ride and returns null for an empty one', () => {
    expect(load.powerStreamSummary(constant(0, 60), { ftp: 250 })?.variabilityIndex).toBeNull()
    expect(load.powerStreamSummary([], { ftp: 250 })).toBeNull()
  })

  it('rejects a missing or zero FTP and a bad warm-up', () => {
    expectInvalidInput(() => load.powerStreamSummary([1], untyped({})), 'ftp')
    expectInvalidInput(() => load.powerStreamSummary([1], { ftp: 0 }), 'ftp')
    expectInvalidInput(() => load.powerStreamSummary([1], untyped(undefined)), 'options')
    expectInvalidInput(
      () => load.powerStreamSummary([1], { ftp: 250, warmup: untyped('none') }),
      'warmup',
    )
  })
})

describe('load.hrTss', () => {
  const athlete = { lthr: 170, restingHr: 50, maxHr: 190 }
  it.for([
    {
      name: 'trimp: one hour at LTHR = 100 (GoldenCheetah TRIMP(100))',
      args: { durationSec: 3600, avgHr: 168, lthr: 168, restingHr: 48, maxHr: 188 },
      tss: 100,
    },
    {
      name: 'trimp: 90 min at 150 bpm (spec vector)',
      args: { ...athlete, durationSec: 5400, avgHr: 150 },
      tss: 95.014359,
    },
    {
      name: 'trimp from a constant stream equals the average form',
      args: { ...athlete, hr: constant(150, 5400) },
      tss: 95.014359,
    },
    {
      name: 'trimp skips missing and 0-bpm samples',
      args: { ...athlete, hr: [...constant(150, 5400), null, 0, Number.NaN] },
      tss: 95.014359,
    },
    {
      name: 'trimp stream with intervalSec 5',
      args: { ...athlete, hr: constant(150, 1080), intervalSec: 5 },
      tss: 95.014359,
    },
    {
      name: 'trimp: female exponent 1.67',
      args: { ...athlete, durationSec: 3600, avgHr: 170, sex: 'female' as const },
      tss: 100,
    },
    {
      name: 'ratioSquared (Pierre reference)',
      args: { method: 'ratioSquared' as const, durationSec: 3600, avgHr: 135, lthr: 165 },
      tss: 66.942149,
    },
    {
      name: 'ratioSquared from a stream uses the valid samples',
      args: { method: 'ratioSquared' as const, hr: [135, 135, null, 135], lthr: 165 },
      tss: (3 / 3600) * (135 / 165) ** 2 * 100,
    },
    {
      name: 'zonal with Coggan LTHR zones',
      args: {
        method: 'zonal' as const,
        lthr: 170,
        hr: [...constant(100, 1800), ...constant(180, 1800)],
        ratesPerHour: [20, 40, 60, 80, 120],
      },
      tss: 0.5 * 20 + 0.5 * 120,
    },
    {
      name: 'zonal with Friel run zones',
      args: {
        method: 'zonal' as const,
        lthr: 170,
        zoneModel: 'friel-run' as const,
        hr: constant(170, 3600),
        ratesPerHour: [1, 2, 3, 4, 5, 6, 7],
      },
      tss: 5,
    },
  ] satisfies { name: string; args: HrTssArgs; tss: number }[])('$name', ({ args, tss }) => {
    expect(load.hrTss(args)).toBeCloseTo(tss, 6)
  })

  it('returns null for a stream without a valid sample', () => {
    expect(load.hrTss({ ...athlete, hr: [null, 0] })).toBeNull()
    expect(load.hrTss({ method: 'ratioSquared', lthr: 170, hr: [] })).toBeNull()
    expect(
      load.hrTss({ method: 'zonal', lthr: 170, hr: [], ratesPerHour: [1, 2, 3, 4, 5] }),
    ).toBeNull()
  })

  it.for([
    {
      name: 'trimp without restingHr',
      args: { lthr: 170, maxHr: 190, avgHr: 150, durationSec: 60 },
      field: 'restingHr',
    },
    {
      name: 'trimp without maxHr',
      args: { lthr: 170, restingHr: 50, avgHr: 150, durationSec: 60 },
      field: 'maxHr',
    },
    {
      name: 'lthr above maxHr',
      args: { ...athlete, lthr: 195, avgHr: 150, durationSec: 60 },
      field: 'lthr',
    },
    { name: 'lthr above 250', args: { ...athlete, lthr: 260 }, field: 'lthr' },
    {
      name: 'restingHr ≥ maxHr',
      args: { ...athlete, restingHr: 190, avgHr: 150, durationSec: 60 },
      field: 'restingHr',
    },
    { name: 'avgHr missing', args: { ...athlete, durationSec: 60 }, field: 'avgHr' },
    { name: 'durationSec missing', args: { ...athlete, avgHr: 150 }, field: 'durationSec' },
    { name: 'avgHr above 250', args: { ...athlete, avgHr: 251, durationSec: 60 }, field: 'avgHr' },
    { name: 'HR sample above 250', args: { ...athlete, hr: [150, 300] }, field: 'hr[1]' },
    {
      name: 'unknown sex',
      args: { ...athlete, avgHr: 150, durationSec: 60, sex: untyped<'male'>('x') },
      field: 'sex',
    },
    {
      name: 'unknown method',
      args: { ...athlete, method: untyped<'trimp'>('edwards') },
      field: 'method',
    },
    {
      name: 'zonal without rates',
      args: { method: 'zonal' as const, lthr: 170, hr: [150] },
      field: 'ratesPerHour',
    },
    {
      name: 'zonal with the wrong number of rates',
      args: { method: 'zonal' as const, lthr: 170, hr: [150], ratesPerHour: [1, 2, 3] },
      field: 'ratesPerHour',
    },
    {
      name: 'zonal with a negative rate',
      args: { method: 'zonal' as const, lthr: 170, hr: [150], ratesPerHour: [1, 2, -3, 4, 5] },
      field: 'ratesPerHour[2]',
    },
    {
      name: 'zonal without a stream',
      args: { method: 'zonal' as const, lthr: 170, ratesPerHour: [1, 2, 3, 4, 5] },
      field: 'hr',
    },
    {
      name: 'zonal with an unknown zone model',
      args: { method: 'zonal' as const, lthr: 170, hr: [1], zoneModel: untyped<'coggan'>('x') },
      field: 'zoneModel',
    },
    {
      name: 'ratioSquared without avgHr',
      args: { method: 'ratioSquared' as const, lthr: 170, durationSec: 1 },
      field: 'avgHr',
    },
  ] satisfies { name: string; args: HrTssArgs; field: string }[])(
    'rejects $name',
    ({ args, field }) => {
      expectInvalidInput(() => load.hrTss(args), field)
    },
  )
})

describe('load.runningTss and load.swimTss', () => {
  it.for([
    {
      name: '45 min at IF 0.9 (TrainingPeaks rTSS)',
      args: { durationSec: 2700, paceSecPerKm: 300, thresholdPaceSecPerKm: 270 },
      tss: 60.75,
    },
    {
      name: 'one hour at threshold = 100',
      args: { durationSec: 3600, paceSecPerKm: 255, thresholdPaceSecPerKm: 255 },
      tss: 100,
    },
    {
      name: 'from speed',
      args: { durationSec: 3600, speedMps: 1000 / 300, thresholdPaceSecPerKm: 300 },
      tss: 100,
    },
    {
      name: 'normalizedSpeedMps wins over speed and pace',
      args: {
        durationSec: 3600,
        normalizedSpeedMps: 4,
        speedMps: 1,
        paceSecPerKm: 600,
        thresholdPaceSecPerKm: 250,
      },
      tss: 100,
    },
    {
      name: 'pierreHeuristic: IF = 0.75 × 600 / 300 = 1.5, clamped to 1.2',
      args: { durationSec: 3600, paceSecPerKm: 300, method: 'pierreHeuristic' as const },
      tss: 144,
    },
    {
      name: 'pierreHeuristic: 10 min/km gives IF 0.75',
      args: { durationSec: 3600, paceSecPerKm: 600, method: 'pierreHeuristic' as const },
      tss: 56.25,
    },
    {
      name: 'pierreHeuristic: standing still clamps to IF 0.5',
      args: { durationSec: 3600, speedMps: 0, method: 'pierreHeuristic' as const },
      tss: 25,
    },
  ])('$name', ({ args, tss }) => {
    expect(load.runningTss(args)).toBeCloseTo(tss, 9)
  })

  it.for([
    {
      name: 'no threshold',
      args: { durationSec: 60, paceSecPerKm: 300 },
      field: 'thresholdPaceSecPerKm',
    },
    {
      name: 'threshold 0',
      args: { durationSec: 60, paceSecPerKm: 300, thresholdPaceSecPerKm: 0 },
      field: 'thresholdPaceSecPerKm',
    },
    {
      name: 'no pace or speed',
      args: { durationSec: 60, thresholdPaceSecPerKm: 300 },
      field: 'paceSecPerKm',
    },
    {
      name: 'pace 0',
      args: { durationSec: 60, paceSecPerKm: 0, thresholdPaceSecPerKm: 300 },
      field: 'paceSecPerKm',
    },
    {
      name: 'negative speed',
      args: { durationSec: 60, speedMps: -1, thresholdPaceSecPerKm: 300 },
      field: 'speedMps',
    },
    {
      name: 'negative duration',
      args: { durationSec: -1, speedMps: 3, thresholdPaceSecPerKm: 300 },
      field: 'durationSec',
    },
    {
      name: 'unknown method',
      args: {
        durationSec: 1,
        speedMps: 3,
        thresholdPaceSecPerKm: 300,
        method: untyped<'threshold'>('ngp'),
      },
      field: 'method',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(() => load.runningTss(args), field)
  })

  it('scores swims with IF cubed (TrainingPeaks sTSS)', () => {
    expect(load.swimTss({ durationSec: 3600, speedMps: 1.2, thresholdSpeedMps: 1.2 })).toBeCloseTo(
      100,
      12,
    )
    expect(load.swimTss({ durationSec: 1800, speedMps: 1, thresholdSpeedMps: 1.25 })).toBeCloseTo(
      25.6,
      12,
    )
    expectInvalidInput(
      () => load.swimTss({ durationSec: 1, speedMps: 1, thresholdSpeedMps: 0 }),
      'thresholdSpeedMps',
    )
    expectInvalidInput(
      () => load.swimTss({ durationSec: 1, speedMps: -1, thresholdSpeedMps: 1 }),
      'speedMps',
    )
  })
})

describe('load.normalizedGradedSpeed (Minetti et al. 2002)', () => {
  it('equals the speed on the flat and for a constant pace', () => {
    expect(load.normalizedGradedSpeed(constant(3.5, 600))).toBeCloseTo(3.5, 12)
    expect(load.normalizedGradedSpeed(constant(3.5, 600), constant(0, 600))).toBeCloseTo(3.5, 12)
  })

  it('raises uphill and lowers gentle downhill speed by the cost ratio', () => {
    expect(load.normalizedGradedSpeed(constant(3, 600), constant(0.1, 600))).toBeCloseTo(
      (3 * load.minettiCost(0.1)) / 3.6,
      12,
    )
    expect(load.normalizedGradedSpeed(constant(3, 600), constant(-0.05, 600))).toBeLessThan(3)
    expect(load.minettiCost(0)).toBe(3.6)
  })

  it('clamps grades to ±45 %', () => {
    expect(load.normalizedGradedSpeed(constant(1, 60), constant(0.9, 60))).toBeCloseTo(
      load.minettiCost(0.45) / 3.6,
      12,
    )
  })

  it('skips missing samples: the window holds the last valid ones', () => {
    const speed = [...constant(3, 20), null, Number.NaN, ...constant(3, 10)]
    expect(load.normalizedGradedSpeed(speed)).toBeCloseTo(3, 12)
    expect(load.normalizedGradedSpeed([...constant(3, 29), null])).toBeNull()
    const grade = [...constant(0, 30), null]
    expect(load.normalizedGradedSpeed([...constant(3, 30), 100], grade)).toBeCloseTo(3, 12)
  })

  it('honours intervalSec and rejects bad streams', () => {
    expect(load.normalizedGradedSpeed(constant(4, 15), undefined, { intervalSec: 2 })).toBeCloseTo(
      4,
      12,
    )
    expectInvalidInput(() => load.normalizedGradedSpeed([3, -1]), 'speed[1]')
    expectInvalidInput(() => load.normalizedGradedSpeed([3], [0, 0]), 'gradeFraction')
    expectInvalidInput(
      () => load.normalizedGradedSpeed([3], [Number.POSITIVE_INFINITY]),
      'gradeFraction[0]',
    )
  })
})

describe('load TRIMP variants and session RPE', () => {
  it.for([
    {
      name: 'Banister, male (Morton et al. 1990)',
      value: () => load.trimpBanister({ durationMin: 45, avgHr: 150, restingHr: 60, maxHr: 190 }),
      expected: 75.3302,
    },
    {
      name: 'Banister, female 0.86·e^(1.67x)',
      value: () =>
        load.trimpBanister({
          durationMin: 45,
          avgHr: 150,
          restingHr: 60,
          maxHr: 190,
          sex: 'female',
        }),
      expected: 85.1376,
    },
    {
      name: 'Banister, female with GoldenCheetah scale 0.64',
      value: () =>
        load.trimpBanister({
          durationMin: 45,
          avgHr: 150,
          restingHr: 60,
          maxHr: 190,
          sex: 'female',
          femaleScale: 0.64,
        }),
      expected: (85.1376 * 0.64) / 0.86,
    },
    {
      name: 'Banister below resting HR clamps to 0',
      value: () => load.trimpBanister({ durationMin: 45, avgHr: 40, restingHr: 60, maxHr: 190 }),
      expected: 0,
    },
    {
      name: 'Banister stream, constant, equals the average form',
      value: () => load.trimpBanisterStream(constant(150, 2700), { restingHr: 60, maxHr: 190 }),
      expected: 75.3302,
    },
    {
      name: 'Banister stream, 10-s samples',
      value: () =>
        load.trimpBanisterStream(constant(150, 270), {
          restingHr: 60,
          maxHr: 190,
          intervalSec: 10,
        }),
      expected: 75.3302,
    },
    {
      name: 'Edwards from minutes (Edwards 1993)',
      value: () => load.trimpEdwards({ minutesInZones: [10, 20, 15, 10, 5] }),
      expected: 160,
    },
    {
      name: 'Edwards from a stream: 10 min at 45 %, 10 min at 65 %, 10 min at 95 % of 200',
      value: () =>
        load.trimpEdwards({
          hr: [...constant(90, 600), ...constant(130, 600), ...constant(190, 600)],
          maxHr: 200,
        }),
      expected: 10 * 0 + 10 * 2 + 10 * 5,
    },
    {
      name: 'Edwards boundary: exactly 60 % is zone 2',
      value: () => load.trimpEdwards({ hr: constant(120, 60), maxHr: 200 }),
      expected: 2,
    },
    {
      name: 'Lucia from minutes (Lucia et al. 2003)',
      value: () =>
        load.trimpLucia({ minutesBelowVt1: 40, minutesVt1ToVt2: 15, minutesAboveVt2: 5 }),
      expected: 85,
    },
    {
      name: 'Lucia from a stream, thresholds in the higher band',
      value: () =>
        load.trimpLucia({
          hr: [...constant(140, 60), ...constant(150, 60), ...constant(175, 60)],
          vt1Hr: 150,
          vt2Hr: 175,
        }),
      expected: 1 + 2 + 3,
    },
    {
      name: 'session RPE (Foster et al. 2001)',
      value: () => load.sessionRpe({ rpe: 7, durationMin: 60 }),
      expected: 420,
    },
  ])('$name', ({ value, expected }) => {
    expect(value()).toBeCloseTo(expected, 3)
  })

  it('returns null without data or thresholds', () => {
    expect(load.trimpBanisterStream([null], { restingHr: 60, maxHr: 190 })).toBeNull()
    expect(load.trimpEdwards({ hr: [], maxHr: 190 })).toBeNull()
    expect(load.trimpLucia({ hr: constant(150, 60) })).toBeNull()
    expect(load.trimpLucia({ hr: constant(150, 60), vt1Hr: 140 })).toBeNull()
    expect(load.trimpLucia({ hr: [null], vt1Hr: 140, vt2Hr: 170 })).toBeNull()
  })

  it.for([
    {
      name: 'Banister duration 0',
      call: () => load.trimpBanister({ durationMin: 0, avgHr: 150, restingHr: 60, maxHr: 190 }),
      field: 'durationMin',
    },
    {
      name: 'Banister resting ≥ max',
      call: () => load.trimpBanister({ durationMin: 1, avgHr: 150, restingHr: 190, maxHr: 190 }),
      field: 'restingHr',
    },
    {
      name: 'Banister HR above 250',
      call: () => load.trimpBanister({ durationMin: 1, avgHr: 260, restingHr: 60, maxHr: 190 }),
      field: 'avgHr',
    },
    {
      name: 'Banister maxHr below 20',
      call: () => load.trimpBanister({ durationMin: 1, avgHr: 150, restingHr: 10, maxHr: 15 }),
      field: 'maxHr',
    },
    {
      name: 'Banister femaleScale 0',
      call: () =>
        load.trimpBanister({
          durationMin: 1,
          avgHr: 150,
          restingHr: 60,
          maxHr: 190,
          femaleScale: 0,
        }),
      field: 'femaleScale',
    },
    {
      name: 'Banister stream without options',
      call: () => load.trimpBanisterStream([1], untyped(undefined)),
      field: 'options',
    },
    {
      name: 'Banister stream bad sample',
      call: () => load.trimpBanisterStream([-1], { restingHr: 60, maxHr: 190 }),
      field: 'hr[0]',
    },
    {
      name: 'Edwards four zones',
      call: () => load.trimpEdwards({ minutesInZones: [1, 2, 3, 4] }),
      field: 'minutesInZones',
    },
    {
      name: 'Edwards negative minutes',
      call: () => load.trimpEdwards({ minutesInZones: [1, 2, -3, 4, 5] }),
      field: 'minutesInZones[2]',
    },
    {
      name: 'Edwards stream maxHr missing',
      call: () => load.trimpEdwards(untyped({ hr: [150] })),
      field: 'maxHr',
    },
    {
      name: 'Lucia negative minutes',
      call: () => load.trimpLucia({ minutesBelowVt1: -1, minutesVt1ToVt2: 0, minutesAboveVt2: 0 }),
      field: 'minutesBelowVt1',
    },
    {
      name: 'Lucia thresholds reversed',
      call: () => load.trimpLucia({ hr: [150], vt1Hr: 170, vt2Hr: 150 }),
      field: 'vt1Hr',
    },
    {
      name: 'session RPE above 10',
      call: () => load.sessionRpe({ rpe: 11, durationMin: 60 }),
      field: 'rpe',
    },
    {
      name: 'session RPE negative duration',
      call: () => load.sessionRpe({ rpe: 5, durationMin: -1 }),
      field: 'durationMin',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('load.activityLoad (spec §3.10)', () => {
  const profile = { ftp: 250, lthr: 170, restingHr: 50, maxHr: 190, thresholdPaceSecPerKm: 250 }
  it.for([
    {
      name: 'a provider TSS comes first',
      activity: { providedTss: 88, power: constant(250, 3600) },
      expected: { load: 88, source: 'provided', method: 'provided', approximate: false },
    },
    {
      name: 'a power stream gives NP-based TSS',
      activity: { power: constant(250, 3600) },
      expected: {
        load: 100,
        source: 'power',
        method: 'np',
        intensityFactor: 1,
        approximate: false,
      },
    },
    {
      name: 'average power without a stream is approximate',
      activity: { averagePower: 200, durationSec: 3600 },
      expected: { load: 64, method: 'avgPower', intensityFactor: 0.8, approximate: true },
    },
    {
      name: 'a stream shorter than a window is labelled avgPower',
      activity: { power: constant(250, 20) },
      expected: { method: 'avgPower', approximate: true },
    },
    {
      name: 'heart rate with resting and max uses TRIMP',
      activity: { avgHr: 170, durationSec: 3600 },
      expected: { load: 100, source: 'hr', method: 'trimp', approximate: false },
    },
    {
      name: 'a speed stream gives rTSS from normalized graded speed',
      activity: { speed: constant(4, 3600) },
      expected: { load: 100, source: 'pace', method: 'normalizedGradedSpeed', intensityFactor: 1 },
    },
    {
      name: 'average pace gives rTSS',
      activity: { paceSecPerKm: 250, durationSec: 1800 },
      expected: { load: 50, method: 'averageSpeed', intensityFactor: 1 },
    },
  ])('$name', ({ activity, expected }) => {
    const result = load.activityLoad(activity, profile)
    expect(result).toMatchObject({
      ...expected,
      load: expect.closeTo(expected.load ?? result?.load ?? 0, 9),
    })
  })

  it('falls through to the next source and labels ratioSquared as approximate', () => {
    const result = load.activityLoad(
      { avgHr: 150, durationSec: 3600, power: constant(200, 60) },
      { lthr: 150 },
    )
    expect(result).toMatchObject({ load: 100, method: 'ratioSquared', approximate: true })
  })

  it('respects prefer and returns null when nothing applies', () => {
    const activity = { power: constant(250, 3600), avgHr: 170, durationSec: 3600 }
    expect(load.activityLoad(activity, profile, { prefer: ['hr', 'power'] })?.method).toBe('trimp')
    expect(load.activityLoad(activity, {})).toBeNull()
    expect(load.activityLoad({ durationSec: 60 }, profile)).toBeNull()
    expect(load.activityLoad({ hr: [null] }, profile, { prefer: ['hr'] })).toBeNull()
    expect(load.activityLoad({ speed: [3] }, profile, { prefer: ['pace'] })).toBeNull()
    expect(load.activityLoad({ power: [] }, profile, { prefer: ['power'] })).toBeNull()
  })

  it('rejects invalid present values instead of skipping them', () => {
    expectInvalidInput(
      () => load.activityLoad({ averagePower: 200, durationSec: 60 }, { ftp: 0 }),
      'ftp',
    )
    expectInvalidInput(() => load.activityLoad({ providedTss: -1 }, {}), 'providedTss')
    expectInvalidInput(() => load.activityLoad({}, {}, { prefer: untyped(['gps']) }), 'prefer[0]')
    expectInvalidInput(() => load.activityLoad({}, {}, { prefer: untyped('hr') }), 'prefer')
    expectInvalidInput(() => load.activityLoad(untyped(null), {}), 'activity')
    expectInvalidInput(() => load.activityLoad({}, untyped(null)), 'profile')
    expectInvalidInput(
      () =>
        load.activityLoad(
          { avgHr: 150, durationSec: 60 },
          { lthr: 170, restingHr: 180, maxHr: 190 },
        ),
      'lthr',
    )
  })
})

describe('load.pmc (Coggan 2003; GoldenCheetah PMCData)', () => {
  it('follows the closed form for 42 days of constant load (TrainingPeaks decay)', () => {
    const { current, days: series } = load.pmc(days(42, 100))
    expect(series).toHaveLength(42)
    expect(current?.date).toBe('2025-02-11')
    expect(current?.ctl).toBeCloseTo(100 * (1 - (41 / 42) ** 42), 9)
    expect(current?.atl).toBeCloseTo(100 * (1 - (6 / 7) ** 42), 9)
    expect(current?.tsb).toBeCloseTo(100 * ((6 / 7) ** 41 - (41 / 42) ** 41), 9)
    expect(current?.rampRate).toBeCloseTo(100 * ((41 / 42) ** 35 - (41 / 42) ** 42), 9)
  })

  it('decays through rest days up to `to` and counts rest days as 0', () => {
    const current = load.pmc(days(42, 100), { to: '2025-02-25' }).current
    expect(current).toMatchObject({ date: '2025-02-25', load: 0 })
    expect(current?.ctl).toBeCloseTo(45.426826, 6)
    expect(current?.atl).toBeCloseTo(11.536512, 6)
  })

  it('sums same-day entries in any order and supports same-day TSB', () => {
    const result = load.pmc(
      [
        { date: '2025-03-02', load: 50 },
        { date: '2025-03-01', load: 80 },
        { date: '2025-03-01', load: 60 },
      ],
      { tsb: 'sameDay' },
    )
    expect(result.days.map((day) => day.load)).toEqual([140, 50])
    expect(result.days[1]?.tsb).toBeCloseTo(-19.84127, 5)
  })

  it('uses seeds, ignores entries outside [from, to] and starts the ramp from the seed', () => {
    const result = load.pmc(
      [
        { date: '2024-12-31', load: 1000 },
        { date: '2025-01-02', load: 100 },
        { date: '2025-01-05', load: 1000 },
      ],
      { from: '2025-01-01', to: '2025-01-03', initialCtl: 50, initialAtl: 70 },
    )
    expect(result.days.map((day) => day.date)).toEqual(['2025-01-01', '2025-01-02', '2025-01-03'])
    expect(result.days[0]).toMatchObject({ load: 0, tsb: -20 })
    expect(result.days[0]?.ctl).toBeCloseTo(50 * (41 / 42), 12)
    expect(result.days[0]?.rampRate).toBeCloseTo(50 * (41 / 42) - 50, 12)
  })

  it('handles the exponential and span decays and other time constants', () => {
    const exponential = load.pmc(days(42, 100), { decay: 'exponential', tsb: 'sameDay' }).current
    expect(exponential?.ctl).toBeCloseTo(100 * (1 - Math.exp(-1)), 9)
    const span = load.pmc(days(7, 100), { decay: 'span', ctlDays: 28, atlDays: 3 }).current
    expect(span?.ctl).toBeCloseTo(100 * (1 - (27 / 29) ** 7), 9)
    expect(span?.atl).toBeCloseTo(100 * (1 - 0.5 ** 7), 9)
  })

  it('lists every calendar day across years, as the proleptic Gregorian calendar has them', () => {
    const dates = load.pmc([], { from: '1899-12-25', to: '2001-03-05' }).days.map((day) => day.date)
    const first = Date.UTC(1899, 11, 25)
    expect(dates).toEqual(
      dates.map((_, index) => new Date(first + index * 86_400_000).toISOString().slice(0, 10)),
    )
  })

  it('crosses month, leap-day and year boundaries', () => {
    const result = load.pmc([{ date: '2024-02-28', load: 10 }], { to: '2024-03-01' })
    expect(result.days.map((day) => day.date)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01'])
    expect(load.pmc([], { from: '1999-12-31', to: '2000-01-01' }).days).toHaveLength(2)
  })

  it('returns an empty chart without entries or range, and a range of rest days with one', () => {
    expect(load.pmc([])).toEqual({ days: [], current: null })
    expect(load.pmc([], { to: '2025-01-01' }).days).toHaveLength(1)
    expect(load.pmc([], { from: '2025-01-01' }).current?.ctl).toBe(0)
  })

  it.for([
    {
      name: 'a malformed date',
      call: () => load.pmc([{ date: '2025-1-1', load: 1 }]),
      field: 'entries[0].date',
    },
    {
      name: 'February 30',
      call: () => load.pmc([{ date: '2025-02-30', load: 1 }]),
      field: 'entries[0].date',
    },
    {
      name: 'February 29 of a common year',
      call: () => load.pmc([{ date: '2025-02-29', load: 1 }]),
      field: 'entries[0].date',
    },
    {
      name: 'month 13',
      call: () => load.pmc([{ date: '2025-13-01', load: 1 }]),
      field: 'entries[0].date',
    },
    {
      name: 'a negative load',
      call: () => load.pmc([{ date: '2025-01-01', load: -1 }]),
      field: 'entries[0].load',
    },
    {
      name: 'a NaN load',
      call: () => load.pmc([{ date: '2025-01-01', load: Number.NaN }]),
      field: 'entries[0].load',
    },
    { name: 'a null entry', call: () => load.pmc(untyped([null])), field: 'entries[0]' },
    { name: 'entries not an array', call: () => load.pmc(untyped({})), field: 'entries' },
    {
      name: 'from after to',
      call: () => load.pmc([], { from: '2025-02-01', to: '2025-01-01' }),
      field: 'from',
    },
    {
      name: 'a span over 100 000 days',
      call: () => load.pmc([], { from: '1000-01-01', to: '2500-01-01' }),
      field: 'to',
    },
    { name: 'ctlDays 0', call: () => load.pmc([], { ctlDays: 0 }), field: 'ctlDays' },
    { name: 'atlDays NaN', call: () => load.pmc([], { atlDays: Number.NaN }), field: 'atlDays' },
    {
      name: 'an unknown decay',
      call: () => load.pmc([], { decay: untyped('kalman') }),
      field: 'decay',
    },
    {
      name: 'an unknown TSB convention',
      call: () => load.pmc([], { tsb: untyped('today') }),
      field: 'tsb',
    },
    { name: 'a negative seed', call: () => load.pmc([], { initialCtl: -1 }), field: 'initialCtl' },
    { name: 'a malformed to', call: () => load.pmc([], { to: 'today' }), field: 'to' },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('load.ewmaAlpha and load.formPercent', () => {
  it('gives the spec constants and time constants', () => {
    expect(load.ewmaAlpha(42, 'trainingpeaks')).toBeCloseTo(1 / 42, 15)
    expect(load.ewmaAlpha(42)).toBeCloseTo(1 / 42, 15)
    expect(load.ewmaAlpha(42, 'exponential')).toBeCloseTo(0.023528313348, 12)
    expect(load.ewmaAlpha(7, 'span')).toBe(0.25)
    expect(-1 / Math.log(1 - load.ewmaAlpha(42, 'span'))).toBeCloseTo(21.0, 1)
  })

  it('computes form as a percentage of fitness', () => {
    expect(load.formPercent(-20, 80)).toBe(-25)
    expect(load.formPercent(5, 0)).toBeNull()
  })

  it('rejects bad arguments', () => {
    expectInvalidInput(() => load.ewmaAlpha(0.5), 'days')
    expectInvalidInput(() => load.ewmaAlpha(42, untyped('linear')), 'decay')
    expectInvalidInput(() => load.formPercent(Number.NaN, 1), 'tsb')
    expectInvalidInput(() => load.formPercent(1, -1), 'ctl')
  })
})

describe('load.projectForm and load.restForTargetTsb (spec §14)', () => {
  const state = { date: '2025-03-01', ctl: 60, atl: 80 }

  it('projects a plan exactly as the PMC seeded with the state', () => {
    const planned = [
      { date: '2025-03-02', load: 100 },
      { date: '2025-03-04', load: 50 },
    ]
    const projection = load.projectForm(state, planned)
    const reference = load.pmc(planned, { from: '2025-03-02', initialCtl: 60, initialAtl: 80 })
    expect(projection).toEqual(reference)
    expect(projection.days[0]?.tsb).toBe(-20)
  })

  it('decays through rest to `to` and ignores past plans', () => {
    const projection = load.projectForm(state, [{ date: '2025-02-20', load: 500 }], {
      to: '2025-03-08',
    })
    expect(projection.days).toHaveLength(7)
    expect(projection.current?.ctl).toBeCloseTo(60 * (41 / 42) ** 7, 12)
    expect(projection.current?.atl).toBeCloseTo(80 * (6 / 7) ** 7, 12)
    expect(load.projectForm(state, [])).toEqual({ days: [], current: null })
  })

  it('finds the shortest taper reaching the target form', () => {
    const planned = days(20, 100, '2025-03-02')
    const result = load.restForTargetTsb(state, {
      targetTsb: 10,
      targetDate: '2025-03-21',
      planned,
    })
    expect(result).not.toBeNull()
    const restDays = result?.restDays ?? 0
    expect(restDays).toBeGreaterThan(0)
    expect(result?.restFrom).toBe(
      new Date(Date.UTC(2025, 2, 21 - restDays)).toISOString().slice(0, 10),
    )
    expect(result?.tsb).toBeGreaterThanOrEqual(10 - 1e-9)
    expect(result?.projection.current?.date).toBe('2025-03-21')
    // One rest day fewer falls short.
    const tooShort = load.projectForm(
      state,
      planned.map((entry) => {
        const dayOfMonth = Number(entry.date.slice(8))
        return dayOfMonth > 21 - restDays && dayOfMonth < 21 ? { ...entry, load: 0 } : entry
      }),
      { to: '2025-03-21' },
    )
    expect(tooShort.current?.tsb).toBeLessThan(10)
  })

  it('needs no rest when the plan already reaches the target, and null when unreachable', () => {
    const noRest = load.restForTargetTsb(state, { targetTsb: -30, targetDate: '2025-03-03' })
    expect(noRest).toMatchObject({ restDays: 0, restFrom: null })
    expect(load.restForTargetTsb(state, { targetTsb: 50, targetDate: '2025-03-05' })).toBeNull()
  })

  it('keeps the target day’s own load and counts it with same-day TSB', () => {
    const state = { date: '2025-03-01', ctl: 50, atl: 50 }
    const options = {
      targetDate: '2025-03-03',
      planned: days(2, 100, '2025-03-02'),
      tsb: 'sameDay' as const,
    }
    const result = load.restForTargetTsb(state, { ...options, targetTsb: -5 })
    const rested = load.projectForm(state, [{ date: '2025-03-03', load: 100 }], {
      to: '2025-03-03',
      tsb: 'sameDay',
    })
    expect(result?.restDays).toBe(1)
    expect(result?.tsb).toBeCloseTo(rested.current?.tsb ?? Number.NaN, 12)
    expect(load.restForTargetTsb(state, { ...options, targetTsb: 0 })).toBeNull()
  })

  it.for([
    {
      name: 'a state without date',
      call: () => load.projectForm(untyped({ ctl: 1, atl: 1 }), []),
      field: 'date',
    },
    {
      name: 'a negative ctl',
      call: () => load.projectForm({ ...state, ctl: -1 }, []),
      field: 'ctl',
    },
    { name: 'a null state', call: () => load.projectForm(untyped(null), []), field: 'state' },
    {
      name: 'to before the first projected day',
      call: () => load.projectForm(state, [], { to: '2025-03-01' }),
      field: 'to',
    },
    {
      name: 'a bad planned load',
      call: () => load.projectForm(state, [{ date: '2025-03-02', load: -5 }]),
      field: 'planned[0].load',
    },
    {
      name: 'a target date not after the state',
      call: () => load.restForTargetTsb(state, { targetTsb: 0, targetDate: '2025-03-01' }),
      field: 'targetDate',
    },
    {
      name: 'a NaN target',
      call: () => load.restForTargetTsb(state, { targetTsb: Number.NaN, targetDate: '2025-03-05' }),
      field: 'targetTsb',
    },
    {
      name: 'missing options',
      call: () => load.restForTargetTsb(state, untyped(undefined)),
      field: 'options',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('load.acwr (Williams et al. 2017; Gabbett 2016)', () => {
  it('computes EWMA acute and chronic loads with λ = 2/(N+1)', () => {
    const result = load.acwr(days(28, 100))
    expect(result.current?.acute).toBeCloseTo(100 * (1 - 0.75 ** 28), 9)
    expect(result.current?.chronic).toBeCloseTo(100 * (1 - (27 / 29) ** 28), 9)
    expect(result.current?.ratio).toBeCloseTo((1 - 0.75 ** 28) / (1 - (27 / 29) ** 28), 9)
  })

  it('computes coupled rolling means', () => {
    const entries = [...days(21, 0), ...days(7, 140, '2025-01-22')]
    const result = load.acwr(entries, { method: 'rolling' })
    expect(result.current).toMatchObject({ acute: 140, chronic: 35, ratio: 4 })
    const later = load.acwr(entries, { method: 'rolling', to: '2025-03-01' })
    expect(later.current).toMatchObject({ acute: 0, chronic: 0, ratio: null })
  })

  it('returns an empty series without data and rejects bad options', () => {
    expect(load.acwr([])).toEqual({ days: [], current: null })
    expectInvalidInput(() => load.acwr([], { acuteDays: 28, chronicDays: 7 }), 'acuteDays')
    expectInvalidInput(() => load.acwr([], { acuteDays: 7.5 }), 'acuteDays')
    expectInvalidInput(() => load.acwr([], { chronicDays: 400 }), 'chronicDays')
    expectInvalidInput(() => load.acwr([], { method: untyped('coupled') }), 'method')
  })
})

describe('load TSB classes, risk, recovery days, monotony', () => {
  it('classifies TSB with the reference bands, boundaries included (spec §3.12)', () => {
    expect([-12, -10, 0, 10, 10.5].map((tsb) => load.classifyTsb(tsb))).toEqual([
      'overreaching',
      'productive',
      'fresh',
      'fresh',
      'detraining',
    ])
    expect(load.classifyTsb(-25, { bands: [-30, -5, 20] })).toBe('productive')
  })

  it('flags overtraining factors in table order (spec §3.13)', () => {
    expect(load.overtrainingRisk({ ctl: 50, atl: 70, tsb: -20 })).toEqual({
      level: 'high',
      factors: ['acuteSpike', 'deepFatigue'],
      acuteChronicRatio: 1.4,
    })
    expect(load.overtrainingRisk({ ctl: 0, atl: 160, tsb: 0 })).toEqual({
      level: 'moderate',
      factors: ['veryHighAcute'],
      acuteChronicRatio: null,
    })
    expect(load.overtrainingRisk({ ctl: 60, atl: 60, tsb: 0 }).level).toBe('low')
    expect(
      load.overtrainingRisk(
        { ctl: 50, atl: 70, tsb: -20 },
        { acuteChronicRatio: 1.5, deepFatigueTsb: -30 },
      ).level,
    ).toBe('low')
  })

  it('recommends recovery days (spec §3.14)', () => {
    expect([-25, -20, -16, -12, -5, 0, 3].map((tsb) => load.recommendedRecoveryDays(tsb))).toEqual([
      5, 3, 3, 2, 1, 0, 0,
    ])
  })

  it('computes Foster monotony and strain (Foster 1998)', () => {
    const result = load.monotonyStrain([100, 0, 100, 0, 100, 0, 100])
    const mean = 400 / 7
    const sd = Math.sqrt((4 * (100 - mean) ** 2 + 3 * mean ** 2) / 7)
    expect(result.monotony).toBeCloseTo(mean / sd, 12)
    expect(result.strain).toBeCloseTo((400 * mean) / sd, 9)
    expect(load.monotonyStrain(constant(50, 7) as number[])).toEqual({
      monotony: null,
      strain: null,
      weeklyLoad: 350,
    })
    expect(load.monotonyStrain(constant(0.1, 7) as number[]).monotony).toBeNull()
  })

  it.for([
    { name: 'classifyTsb NaN', call: () => load.classifyTsb(Number.NaN), field: 'tsb' },
    {
      name: 'classifyTsb two bands',
      call: () => load.classifyTsb(0, { bands: untyped([1, 2]) }),
      field: 'bands',
    },
    {
      name: 'classifyTsb descending bands',
      call: () => load.classifyTsb(0, { bands: [10, 0, -10] }),
      field: 'bands[1]',
    },
    {
      name: 'risk negative ctl',
      call: () => load.overtrainingRisk({ ctl: -1, atl: 0, tsb: 0 }),
      field: 'ctl',
    },
    {
      name: 'risk missing tsb',
      call: () => load.overtrainingRisk(untyped({ ctl: 1, atl: 1 })),
      field: 'tsb',
    },
    {
      name: 'risk ratio 0',
      call: () => load.overtrainingRisk({ ctl: 1, atl: 1, tsb: 0 }, { acuteChronicRatio: 0 }),
      field: 'acuteChronicRatio',
    },
    {
      name: 'risk bad thresholds',
      call: () => load.overtrainingRisk({ ctl: 1, atl: 1, tsb: 0 }, untyped(5)),
      field: 'thresholds',
    },
    {
      name: 'recovery days Infinity',
      call: () => load.recommendedRecoveryDays(Number.NEGATIVE_INFINITY),
      field: 'tsb',
    },
    {
      name: 'monotony six days',
      call: () => load.monotonyStrain([1, 2, 3, 4, 5, 6]),
      field: 'dailyLoads',
    },
    {
      name: 'monotony negative load',
      call: () => load.monotonyStrain([1, 2, 3, 4, 5, 6, -7]),
      field: 'dailyLoads[6]',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})
