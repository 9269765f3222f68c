import { describe, expect, it } from 'vitest'
import {
  type CriticalPowerEffort,
  type FtpFromTestArgs,
  performance,
  type Stream,
} from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

function constant(value: number | null, count: number): (number | null)[] {
  return new Array<number | null>(count).fill(value)
}

describe('performance.vdotFromRace and vdotDetails (Daniels & Gilbert 1979)', () => {
  it.for([
    {
      name: '5K in 20:00 by the equations',
      distanceM: 5000,
      timeSec: 1200,
      vdot: 49.806233,
      tolerance: 1e-4,
    },
    {
      name: 'VDOT 50 table row, 5K 19:57',
      distanceM: 5000,
      timeSec: 1197,
      vdot: 50,
      tolerance: 0.1,
    },
    {
      name: 'VDOT 50 table row, marathon 3:10:49',
      distanceM: 42195,
      timeSec: 11449,
      vdot: 50,
      tolerance: 0.1,
    },
    {
      name: 'VDOT 60 table row, 10K 35:22',
      distanceM: 10000,
      timeSec: 2122,
      vdot: 60,
      tolerance: 0.1,
    },
  ])('$name', ({ distanceM, timeSec, vdot, tolerance }) => {
    expect(Math.abs(performance.vdotFromRace(distanceM, timeSec) - vdot)).toBeLessThanOrEqual(
      tolerance,
    )
  })

  it('reports the intermediate quantities and flags', () => {
    const details = performance.vdotDetails(5000, 1200)
    expect(details.velocityMPerMin).toBe(250)
    expect(details.vo2Cost).toBeCloseTo(-4.6 + 0.182258 * 250 + 0.000104 * 250 ** 2, 12)
    expect(details.fractionOfVo2max).toBeCloseTo(details.vo2Cost / details.vdot, 12)
    expect(details).toMatchObject({ inTableRange: true, extrapolated: false })
    expect(performance.vdotDetails(800, 150)).toMatchObject({ extrapolated: true })
    expect(performance.vdotDetails(42195, 6 * 3600).inTableRange).toBe(false)
  })

  it.for([
    { name: 'distance 0', call: () => performance.vdotFromRace(0, 1200), field: 'distanceM' },
    { name: 'negative time', call: () => performance.vdotFromRace(5000, -1), field: 'timeSec' },
    {
      name: 'too slow (under 100 m/min)',
      call: () => performance.vdotFromRace(5000, 3600),
      field: 'timeSec',
    },
    {
      name: 'too fast (over 500 m/min)',
      call: () => performance.vdotFromRace(5000, 500),
      field: 'timeSec',
    },
    {
      name: 'NaN distance',
      call: () => performance.vdotDetails(Number.NaN, 1200),
      field: 'distanceM',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('performance.raceTimeFromVdot and equivalentRaceTime', () => {
  it.for([
    { vdot: 50, distanceM: 5000, tableSec: 1197 },
    { vdot: 50, distanceM: 42195, tableSec: 11449 },
    { vdot: 60, distanceM: 21097.5, tableSec: 4689 },
    { vdot: 40, distanceM: 10000, tableSec: 3003 },
    { vdot: 30, distanceM: 42195, tableSec: 17357 },
    { vdot: 40, distanceM: 5000, tableSec: 1448 },
  ])(
    'VDOT $vdot over $distanceM m is within 0.3 % of the Daniels table',
    ({ vdot, distanceM, tableSec }) => {
      expect(Math.abs(performance.raceTimeFromVdot(vdot, distanceM) / tableSec - 1)).toBeLessThan(
        0.003,
      )
    },
  )

  it('inverts vdotFromRace to the last bits', () => {
    const timeSec = performance.raceTimeFromVdot(52.3, 10000)
    expect(performance.vdotFromRace(10000, timeSec)).toBeCloseTo(52.3, 10)
  })

  it('flags extrapolation outside the tables', () => {
    expect(performance.raceTimeDetails(50, 10000).extrapolated).toBe(false)
    expect(performance.raceTimeDetails(25, 10000).extrapolated).toBe(true)
    expect(performance.raceTimeDetails(50, 800).extrapolated).toBe(true)
    expect(performance.raceTimeDetails(50, 10000).velocityMPerMin).toBeCloseTo(
      10000 / (performance.raceTimeFromVdot(50, 10000) / 60),
      9,
    )
  })

  it('predicts a marathon from a 5K', () => {
    expect(performance.equivalentRaceTime(5000, 1200, 42195)).toBeCloseTo(11477.19, 0)
  })

  it.for([
    { name: 'VDOT below 20', call: () => performance.raceTimeFromVdot(19, 5000), field: 'vdot' },
    { name: 'VDOT above 90', call: () => performance.raceTimeFromVdot(91, 5000), field: 'vdot' },
    { name: 'distance 0', call: () => performance.raceTimeFromVdot(50, 0), field: 'distanceM' },
    {
      name: 'a distance too short to solve',
      call: () => performance.raceTimeFromVdot(50, 10),
      field: 'distanceM',
    },
    {
      name: 'a race outside VDOT 20–90',
      call: () => performance.equivalentRaceTime(5000, 2900, 10000),
      field: 'timeSec',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('performance.riegel (Riegel 1981)', () => {
  it.for([
    {
      name: 'half to marathon',
      args: [21097.5, 5400, 42195] as [number, number, number, number?],
      timeSec: 11258.6302,
    },
    {
      name: '10K to half',
      args: [10000, 2400, 21097.5] as [number, number, number, number?],
      timeSec: 5295.3674,
    },
    {
      name: 'custom exponent 1.08',
      args: [5000, 1500, 10000, 1.08] as [number, number, number, number?],
      timeSec: 3171.0541,
    },
  ])('$name', ({ args, timeSec }) => {
    expect(performance.riegel(...args)).toBeCloseTo(timeSec, 3)
  })

  it('flags predictions outside 3.5–230 min', () => {
    expect(
      performance.riegelDetails({
        knownDistanceM: 10000,
        knownTimeSec: 2400,
        targetDistanceM: 21097.5,
      }),
    ).toMatchObject({ extrapolated: false })
    expect(
      performance.riegelDetails({
        knownDistanceM: 10000,
        knownTimeSec: 2400,
        targetDistanceM: 100000,
      }).extrapolated,
    ).toBe(true)
    expect(
      performance.riegelDetails({ knownDistanceM: 400, knownTimeSec: 60, targetDistanceM: 1000 })
        .extrapolated,
    ).toBe(true)
  })

  it.for([
    { name: 'exponent 1', call: () => performance.riegel(5000, 1200, 10000, 1), field: 'exponent' },
    {
      name: 'exponent 1.3',
      call: () => performance.riegel(5000, 1200, 10000, 1.3),
      field: 'exponent',
    },
    {
      name: 'known distance 0',
      call: () => performance.riegel(0, 1200, 10000),
      field: 'knownDistanceM',
    },
    {
      name: 'known time negative',
      call: () => performance.riegel(5000, -1, 10000),
      field: 'knownTimeSec',
    },
    {
      name: 'target NaN',
      call: () => performance.riegel(5000, 1200, Number.NaN),
      field: 'targetDistanceM',
    },
    {
      name: 'details without args',
      call: () => performance.riegelDetails(untyped(null)),
      field: 'args',
    },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('performance.vVo2max and danielsPaces (Daniels 2014)', () => {
  it('solves the cost equation exactly', () => {
    const v = performance.vVo2max(50)
    expect(v).toBeCloseTo(260.772, 3)
    expect(-4.6 + 0.182258 * v + 0.000104 * v * v).toBeCloseTo(50, 10)
  })

  it('matches the VDOT 50 pace table (T 4:15, I 3:55 per km)', () => {
    const paces = performance.danielsPaces(50)
    expect(paces.thresholdSecPerKm).toBeCloseTo(255.2, 0)
    expect(paces.intervalSecPerKm).toBeCloseTo(234.9, 0)
    expect(Math.abs(paces.marathonSecPerKm - 271.12)).toBeLessThan(1.5)
    expect(paces.repetitionSecPerKm).toBeLessThan(paces.intervalSecPerKm)
    expect(paces.easySlowSecPerKm).toBeGreaterThan(paces.easyFastSecPerKm)
    expect(paces.easyFastSecPerKm).toBeGreaterThan(paces.marathonSecPerKm)
    expect(paces.marathonSecPerKm).toBeGreaterThan(paces.thresholdSecPerKm)
  })

  it('rejects a VDOT outside 20–90', () => {
    expectInvalidInput(() => performance.vVo2max(10), 'vdot')
    expectInvalidInput(() => performance.danielsPaces(95), 'vdot')
  })
})

describe('performance.bestPerformance (spec §4.13)', () => {
  it('picks the highest VDOT, not the highest speed', () => {
    const runs = [
      { distanceM: 3000, durationSec: 720 }, // 250 m/min over 12 min
      { distanceM: 10000, durationSec: 2460 }, // 243.9 m/min over 41 min, a higher VDOT
      { distanceM: 2000, durationSec: 300 }, // too short
      { distanceM: 30000, durationSec: 7500 }, // too long
      { distanceM: 5000, durationSec: 2500 }, // slower than 8:00/km
    ]
    const best = performance.bestPerformance(runs)
    expect(best?.index).toBe(1)
    expect(best?.vdot).toBeCloseTo(performance.vdotFromRace(10000, 2460), 12)
    expect(performance.vdotFromRace(10000, 2460)).toBeGreaterThan(
      performance.vdotFromRace(3000, 720),
    )
  })

  it('returns null when nothing qualifies and rejects bad runs', () => {
    expect(performance.bestPerformance([])).toBeNull()
    expect(performance.bestPerformance([{ distanceM: 5000, durationSec: 100 }])).toBeNull()
    expectInvalidInput(
      () => performance.bestPerformance([{ distanceM: -1, durationSec: 100 }]),
      'runs[0].distanceM',
    )
    expectInvalidInput(
      () => performance.bestPerformance([{ distanceM: 5000, durationSec: 0 }]),
      'runs[0].durationSec',
    )
    expectInvalidInput(() => performance.bestPerformance(untyped({})), 'runs')
    expectInvalidInput(() => performance.bestPerformance(untyped([null])), 'runs[0]')
  })
})

describe('performance.ftpFromTest (spec §4.5)', () => {
  it.for([
    { name: '60 min', args: { protocol: '60min' as const, power: 280 }, ftp: 280 },
    {
      name: '20 min × 0.95 (Allen & Coggan 2010)',
      args: { protocol: '20min' as const, power: 300 },
      ftp: 285,
    },
    { name: '8 min × 0.90 (CTS)', args: { protocol: '8min' as const, power: 320 }, ftp: 288 },
    { name: 'ramp × 0.75', args: { protocol: 'ramp' as const, power: 400 }, ftp: 300 },
    {
      name: 'power curve 20-min value × 0.95',
      args: { protocol: 'powerCurve' as const, power: 300 },
      ftp: 285,
    },
    {
      name: 'critical power',
      args: {
        protocol: 'cp' as const,
        efforts: [
          { durationSec: 180, power: 400 },
          { durationSec: 720, power: 300 },
        ],
      },
      ftp: 266.666666667,
    },
    {
      name: 'VO2max and mass (ACSM), default fraction 0.75',
      args: { protocol: 'vo2max' as const, vo2max: 50, massKg: 70 },
      ftp: (0.75 * 43 * 70) / 10.8,
    },
  ])('$name', ({ args, ftp }) => {
    expect(performance.ftpFromTest(args)).toBeCloseTo(ftp, 8)
  })

  it.for([
    {
      name: 'unknown protocol',
      args: untyped({ protocol: '30min', power: 300 }),
      field: 'protocol',
    },
    { name: 'power 0', args: { protocol: '20min' as const, power: 0 }, field: 'power' },
    {
      name: 'power above 2500 W',
      args: { protocol: 'ramp' as const, power: 2600 },
      field: 'power',
    },
    {
      name: 'one effort',
      args: { protocol: 'cp' as const, efforts: [{ durationSec: 180, power: 400 }] },
      field: 'efforts',
    },
    {
      name: 'efforts with a degenerate fit',
      args: {
        protocol: 'cp' as const,
        efforts: [
          { durationSec: 180, power: 300 },
          { durationSec: 720, power: 400 },
        ],
      },
      field: 'efforts',
    },
    {
      name: 'vo2max without mass',
      args: untyped({ protocol: 'vo2max', vo2max: 50 }),
      field: 'massKg',
    },
    {
      name: 'vo2max out of range',
      args: { protocol: 'vo2max' as const, vo2max: 5, massKg: 70 },
      field: 'vo2max',
    },
    {
      name: 'fraction 1',
      args: { protocol: 'vo2max' as const, vo2max: 50, massKg: 70, fraction: 1 },
      field: 'fraction',
    },
  ] satisfies { name: string; args: FtpFromTestArgs; field: string }[])(
    'rejects $name',
    ({ args, field }) => {
      expectInvalidInput(() => performance.ftpFromTest(args), field)
    },
  )
})

describe('performance.criticalPower (Monod & Scherrer 1965)', () => {
  const exact = [180, 420, 900].map((durationSec) => ({
    durationSec,
    power: 250 + 20000 / durationSec,
  }))

  it('solves two efforts exactly', () => {
    expect(
      performance.criticalPower([
        { durationSec: 180, power: 400 },
        { durationSec: 720, power: 300 },
      ]),
    ).toMatchObject({
      cp: expect.closeTo(266.666667, 6),
      wPrime: expect.closeTo(24000, 6),
      r2: 1,
      n: 2,
      valid: true,
      warnings: [],
      model: 'work-time',
    })
  })

  it.for(['work-time', 'inverse-time'] as const)('recovers collinear efforts with %s', (model) => {
    const fit = performance.criticalPower(exact, { model })
    expect(fit?.cp).toBeCloseTo(250, 9)
    expect(fit?.wPrime).toBeCloseTo(20000, 6)
    expect(fit?.r2).toBeCloseTo(1, 12)
  })

  it('reports r² below 1 for noisy efforts and warnings for poor protocols', () => {
    const noisy = [
      { durationSec: 60, power: 480 },
      { durationSec: 80, power: 450 },
      { durationSec: 1800, power: 255 },
    ]
    const fit = performance.criticalPower(noisy)
    expect(fit?.r2).toBeLessThan(1)
    expect(fit?.warnings).toEqual([
      'effortShorterThan120s',
      'effortLongerThan1200s',
      'durationsCloserThan1.5x',
    ])
    expect(fit?.valid).toBe(true)
  })

  it('marks degenerate fits invalid instead of returning nonsense', () => {
    const fit = performance.criticalPower([
      { durationSec: 180, power: 300 },
      { durationSec: 720, power: 400 },
    ])
    expect(fit?.valid).toBe(false)
    expect(fit?.warnings).toContain('wPrimeNotPositive')
    const flat = performance.criticalPower([
      { durationSec: 180, power: 300 },
      { durationSec: 720, power: 300 },
    ])
    expect(flat?.warnings).toContain('cpNotBelowEffortPower')
    const falling = performance.criticalPower([
      { durationSec: 1000, power: 10 },
      { durationSec: 1100, power: 5 },
    ])
    expect(falling?.warnings).toContain('cpNotPositive')
  })

  it('returns null without two distinct durations', () => {
    expect(performance.criticalPower([])).toBeNull()
    expect(
      performance.criticalPower([
        { durationSec: 300, power: 300 },
        { durationSec: 300, power: 310 },
      ]),
    ).toBeNull()
  })

  it.for([
    { name: 'not an array', efforts: untyped<CriticalPowerEffort[]>(5), field: 'efforts' },
    { name: 'a null effort', efforts: untyped<CriticalPowerEffort[]>([null]), field: 'efforts[0]' },
    {
      name: 'duration 0',
      efforts: [{ durationSec: 0, power: 300 }],
      field: 'efforts[0].durationSec',
    },
    { name: 'power 0', efforts: [{ durationSec: 60, power: 0 }], field: 'efforts[0].power' },
  ])('rejects $name', ({ efforts, field }) => {
    expectInvalidInput(() => performance.criticalPower(efforts), field)
  })

  it('rejects an unknown model', () => {
    expectInvalidInput(
      () => performance.criticalPower(exact, { model: untyped('morton') }),
      'model',
    )
  })
})

describe('performance.meanMaximalPower and meanMaximalPace', () => {
  const ride = [...constant(200, 600), ...constant(400, 300), null, ...constant(100, 299), 1000]

  it('finds the best window per duration with its start', () => {
    const curve = performance.meanMaximalPower(ride, [1, 300, 600, 1200, 3600])
    expect(curve).toEqual([
      { durationSec: 1, power: 1000, startIndex: 1200 },
      { durationSec: 300, power: 400, startIndex: 600 },
      { durationSec: 600, power: 300, startIndex: 300 },
      {
        durationSec: 1200,
        power: (200 * 599 + 400 * 300 + 100 * 299 + 1000) / 1200,
        startIndex: 1,
      },
      { durationSec: 3600, power: null, startIndex: null },
    ])
  })

  it('stays exact across the periodic re-summing on a long ride', () => {
    const long = Array.from({ length: 150_000 }, (_, index) => (index * 7919) % 600)
    const brute = (duration: number): number => {
      let best = 0
      let sum = 0
      for (let index = 0; index < long.length; index++) {
        sum +=
          (long[index] as number) - (index >= duration ? (long[index - duration] as number) : 0)
        if (index >= duration - 1) best = Math.max(best, sum)
      }
      return best / duration
    }
    const curve = performance.meanMaximalPower(Float64Array.from(long), [7, 61])
    expect(curve.map((point) => point.power)).toEqual([brute(7), brute(61)])
  })

  it('uses the standard durations by default and honours intervalSec', () => {
    const curve = performance.meanMaximalPower(constant(250, 4000))
    expect(curve.map((point) => point.durationSec)).toEqual([
      1, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600,
    ])
    expect(curve.every((point) => point.power === 250)).toBe(true)
    const coarse = performance.meanMaximalPower([100, 300, 300, 100], [4, 6], { intervalSec: 2 })
    expect(coarse.map((point) => point.power)).toEqual([300, 700 / 3])
  })

  it('computes a pace curve where gaps count as standing still', () => {
    const curve = performance.meanMaximalPace([4, 5, null, 5, 5], [1, 2, 3, 10])
    expect(curve.map((point) => point.speedMps)).toEqual([5, 5, 10 / 3, null])
    expect(curve[0]?.paceSecPerKm).toBe(200)
    expect(performance.meanMaximalPace([0, 0], [1])[0]?.paceSecPerKm).toBeNull()
  })

  it('rejects bad durations and samples', () => {
    expectInvalidInput(() => performance.meanMaximalPower([1], [0]), 'durationsSec[0]')
    expectInvalidInput(() => performance.meanMaximalPower([1], untyped(5)), 'durationsSec')
    expectInvalidInput(() => performance.meanMaximalPower([-1]), 'power[0]')
    expectInvalidInput(() => performance.meanMaximalPace([-1]), 'speed[0]')
    expectInvalidInput(() => performance.meanMaximalPace(untyped<Stream>(undefined)), 'speed')
  })
})

describe('performance.criticalPowerFromPowerCurve (eFTP)', () => {
  it('fits the curve of a ride holding model-exact efforts', () => {
    // Best efforts exactly on P = 250 + 20000/t for 180, 300, 600 and 1200 s, separated by rest.
    const segments = [180, 300, 600, 1200].flatMap((duration) => [
      ...constant(250 + 20000 / duration, duration),
      ...constant(0, 900),
    ])
    const fit = performance.criticalPowerFromPowerCurve(segments)
    expect(fit?.cp).toBeCloseTo(250, 6)
    expect(fit?.wPrime).toBeCloseTo(20000, 3)
    expect(fit?.eftp).toBeCloseTo(250 + 20000 / 3600, 6)
    expect(fit?.efforts).toHaveLength(4)
  })

  it('returns null for a short ride and eftp null for an invalid fit', () => {
    expect(performance.criticalPowerFromPowerCurve(constant(300, 200))).toBeNull()
    expect(performance.criticalPowerFromPowerCurve(constant(300, 1500))?.eftp).toBeNull()
  })
})

describe('performance.wPrimeBalance (Skiba 2012, 2015)', () => {
  const efforts = [...constant(450, 60), ...constant(150, 120)]

  it('spends and recovers W′ with the differential model', () => {
    const result = performance.wPrimeBalance(efforts, { cp: 250, wPrime: 20000 })
    expect(result?.minimum).toBeCloseTo(8000, 9)
    expect(result?.minimumIndex).toBe(59)
    expect(result?.final).toBeCloseTo(20000 - 12000 * Math.exp((-100 * 120) / 20000), 6)
    expect(result?.balance).toHaveLength(180)
    expect(result).toMatchObject({ tau: null, warnings: [] })
  })

  it('uses Skiba’s τ with the integral model', () => {
    const result = performance.wPrimeBalance(efforts, { cp: 250, wPrime: 20000, model: 'integral' })
    const tau = 546 * Math.exp(-0.01 * 100) + 316
    expect(result?.tau).toBeCloseTo(tau, 12)
    let spent = 0
    for (let second = 0; second < 60; second++) spent = spent * Math.exp(-1 / tau) + 200
    expect(result?.balance[59]).toBeCloseTo(20000 - spent, 9)
    expect(result?.final).toBeCloseTo(20000 - spent * Math.exp(-120 / tau), 9)
    const fixed = performance.wPrimeBalance(efforts, {
      cp: 250,
      wPrime: 20000,
      model: 'integral',
      tau: 400,
    })
    expect(fixed?.tau).toBe(400)
    const allAbove = performance.wPrimeBalance(constant(300, 10), {
      cp: 250,
      wPrime: 20000,
      model: 'integral',
    })
    expect(allAbove?.tau).toBeCloseTo(546 * Math.exp(-2.5) + 316, 12)
  })

  it('reports a negative balance as a warning, treats gaps as 0 W and honours intervalSec', () => {
    const over = performance.wPrimeBalance(constant(500, 100), { cp: 250, wPrime: 20000 })
    expect(over?.final).toBe(-5000)
    expect(over?.warnings).toEqual(['negativeBalance'])
    const gaps = performance.wPrimeBalance([450, null, Number.NaN], { cp: 250, wPrime: 20000 })
    const zeros = performance.wPrimeBalance([450, 0, 0], { cp: 250, wPrime: 20000 })
    expect(gaps?.balance).toEqual(zeros?.balance)
    const coarse = performance.wPrimeBalance([450], { cp: 250, wPrime: 20000, intervalSec: 5 })
    expect(coarse?.final).toBe(19000)
    expect(performance.wPrimeBalance([], { cp: 250, wPrime: 20000 })).toBeNull()
  })

  it.for([
    { name: 'cp 0', options: { cp: 0, wPrime: 20000 }, field: 'cp' },
    { name: 'wPrime 0', options: { cp: 250, wPrime: 0 }, field: 'wPrime' },
    { name: 'tau 0', options: { cp: 250, wPrime: 20000, tau: 0 }, field: 'tau' },
    {
      name: 'unknown model',
      options: { cp: 250, wPrime: 20000, model: untyped<'integral'>('froncioni') },
      field: 'model',
    },
    {
      name: 'no options',
      options: untyped<{ cp: number; wPrime: number }>(undefined),
      field: 'options',
    },
  ])('rejects $name', ({ options, field }) => {
    expectInvalidInput(() => performance.wPrimeBalance([300], options), field)
  })
})

describe('performance.maxHr (spec §4.9)', () => {
  it('applies each published equation at age 40', () => {
    const methods = ['fox', 'tanaka', 'nes', 'gulati', 'gellish'] as const
    expect(methods.map((method) => performance.maxHr(40, { method }))).toEqual([
      180, 180, 185.4, 170.8, 179,
    ])
    expect(performance.maxHr(40)).toBe(180)
  })

  it('flags ages outside 18–80', () => {
    expect(performance.maxHrDetails(40)).toEqual({
      maxHr: 180,
      method: 'tanaka',
      extrapolated: false,
    })
    expect(performance.maxHrDetails(12).extrapolated).toBe(true)
    expect(performance.maxHrDetails(85, { method: 'fox' }).extrapolated).toBe(true)
  })

  it('rejects bad ages and methods', () => {
    expectInvalidInput(() => performance.maxHr(0), 'age')
    expectInvalidInput(() => performance.maxHr(121), 'age')
    expectInvalidInput(() => performance.maxHr(40, { method: untyped('astrand') }), 'method')
  })
})

describe('performance.vo2max (spec §4.10)', () => {
  it.for([
    {
      name: 'from VDOT passes through (Daniels 2014)',
      value: () => performance.vo2max.fromVdot(50),
      expected: 50,
    },
    {
      name: 'Cooper 2800 m (Cooper 1968)',
      value: () => performance.vo2max.cooper(2800),
      expected: 51.310083,
    },
    {
      name: 'Rockport published example: 160 lb, 40 y, 14:00, 130 bpm (Kline 1987)',
      value: () =>
        performance.vo2max.rockport({
          weightKg: 160 * 0.45359237,
          ageYears: 40,
          sex: 'male',
          timeSec: 840,
          hr: 130,
        }),
      expected: 45.3024,
    },
    {
      name: 'Rockport, woman',
      value: () =>
        performance.vo2max.rockport({
          weightKg: 160 * 0.45359237,
          ageYears: 40,
          sex: 'female',
          timeSec: 840,
          hr: 130,
        }),
      expected: 45.3024 - 6.315,
    },
    {
      name: 'Uth 190/50 (Uth 2004)',
      value: () => performance.vo2max.uth(190, 50),
      expected: 58.14,
    },
  ])('$name', ({ value, expected }) => {
    expect(value()).toBeCloseTo(expected, 3)
  })

  it.for([
    { name: 'VDOT above 90', call: () => performance.vo2max.fromVdot(91), field: 'vdot' },
    {
      name: 'Cooper distance that gives VO2max ≤ 0',
      call: () => performance.vo2max.cooper(500),
      field: 'distanceM',
    },
    {
      name: 'Cooper distance above 6000 m',
      call: () => performance.vo2max.cooper(6001),
      field: 'distanceM',
    },
    {
      name: 'Rockport time that gives VO2max ≤ 0',
      call: () =>
        performance.vo2max.rockport({
          weightKg: 150,
          ageYears: 90,
          sex: 'female',
          timeSec: 2400,
          hr: 180,
        }),
      field: 'timeSec',
    },
    {
      name: 'Rockport unknown sex',
      call: () =>
        performance.vo2max.rockport({
          weightKg: 70,
          ageYears: 40,
          sex: untyped('x'),
          timeSec: 840,
          hr: 130,
        }),
      field: 'sex',
    },
    {
      name: 'Rockport missing args',
      call: () => performance.vo2max.rockport(untyped(undefined)),
      field: 'args',
    },
    { name: 'Uth resting ≥ max', call: () => performance.vo2max.uth(60, 60), field: 'restingHr' },
    { name: 'Uth max above 250', call: () => performance.vo2max.uth(260, 60), field: 'maxHr' },
  ])('rejects $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('performance.lthr (Friel 2009)', () => {
  it('averages minutes 10–30 of a 30-minute test', () => {
    expect(performance.lthr.friel30([...constant(150, 600), ...constant(170, 1200)])).toBe(170)
    expect(
      performance.lthr.friel30([
        ...constant(150, 600),
        ...constant(170, 1200),
        ...constant(200, 600),
      ]),
    ).toBe(170)
    expect(
      performance.lthr.friel30([...constant(150, 120), ...constant(170, 240)], { intervalSec: 5 }),
    ).toBe(170)
    expect(
      performance.lthr.friel30([...constant(150, 600), 160, null, 0, ...constant(160, 1197)]),
    ).toBe(160)
  })

  it('returns null for short or empty tests', () => {
    expect(performance.lthr.friel30(constant(170, 1799))).toBeNull()
    expect(performance.lthr.friel30([...constant(170, 600), ...constant(null, 1200)])).toBeNull()
  })

  it('passes race HR through and scales max HR', () => {
    expect(performance.lthr.fromRace(165)).toBe(165)
    expect(performance.lthr.fromMaxHr(190)).toBeCloseTo(167.2, 12)
    expect(performance.lthr.fromMaxHr(190, 0.9)).toBeCloseTo(171, 12)
  })

  it('rejects bad input', () => {
    expectInvalidInput(() => performance.lthr.friel30([300]), 'hr[0]')
    expectInvalidInput(() => performance.lthr.friel30([150], { intervalSec: 0 }), 'intervalSec')
    expectInvalidInput(() => performance.lthr.fromRace(10), 'avgHr')
    expectInvalidInput(() => performance.lthr.fromMaxHr(190, 0.5), 'fraction')
  })
})

describe('performance.efficiencyFactor and aerobicDecoupling (Friel)', () => {
  it('divides normalised output by heart rate', () => {
    expect(performance.efficiencyFactor({ avgHr: 140, normalizedPower: 210 })).toBe(1.5)
    expect(performance.efficiencyFactor({ avgHr: 150, normalizedSpeedMps: 3.75 })).toBe(1.5)
    expectInvalidInput(
      () => performance.efficiencyFactor(untyped({ avgHr: 150 })),
      'normalizedPower',
    )
    expectInvalidInput(
      () => performance.efficiencyFactor({ avgHr: 0, normalizedPower: 200 }),
      'avgHr',
    )
    expectInvalidInput(
      () => performance.efficiencyFactor({ avgHr: 150, normalizedPower: -1 }),
      'normalizedPower',
    )
  })

  it('measures heart-rate drift between halves', () => {
    const power = constant(200, 3600)
    const hr = [...constant(140, 1800), ...constant(147, 1800)]
    const result = performance.aerobicDecoupling(power, hr)
    expect(result?.firstHalfRatio).toBeCloseTo(200 / 140, 12)
    expect(result?.decouplingPercent).toBeCloseTo(100 * (1 - 140 / 147), 12)
    expect(performance.aerobicDecoupling(power, constant(140, 3600))?.decouplingPercent).toBe(0)
  })

  it('skips missing heart rates and, for speed, missing outputs', () => {
    const hr = [...constant(140, 1800), ...constant(null, 900), ...constant(140, 900)]
    expect(performance.aerobicDecoupling(constant(200, 3600), hr)?.decouplingPercent).toBeCloseTo(
      0,
      12,
    )
    const speed = [...constant(3, 1800), ...constant(null, 900), ...constant(3, 900)]
    const result = performance.aerobicDecoupling(speed, constant(150, 3600), { output: 'speed' })
    expect(result?.decouplingPercent).toBeCloseTo(0, 12)
  })

  it('returns null under 20 minutes or without usable halves', () => {
    expect(performance.aerobicDecoupling(constant(200, 1199), constant(140, 1199))).toBeNull()
    expect(
      performance.aerobicDecoupling(constant(200, 600), constant(140, 600), { intervalSec: 2 }),
    ).not.toBeNull()
    expect(performance.aerobicDecoupling(constant(0, 1200), constant(140, 1200))).toBeNull()
    expect(
      performance.aerobicDecoupling(constant(200, 1200), [
        ...constant(null, 600),
        ...constant(140, 600),
      ]),
    ).toBeNull()
  })

  it('rejects mismatched streams and unknown outputs', () => {
    expectInvalidInput(() => performance.aerobicDecoupling([1, 2], [1]), 'hr')
    expectInvalidInput(
      () => performance.aerobicDecoupling([1], [1], { output: untyped('pace') }),
      'output',
    )
  })
})
