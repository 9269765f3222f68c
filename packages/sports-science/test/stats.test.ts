import { describe, expect, it } from 'vitest'
import { type RegressionPoint, stats } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Passes a value the types forbid, as a JavaScript caller could. */
function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

const textbook: RegressionPoint[] = [
  { x: 1, y: 2 },
  { x: 2, y: 4 },
  { x: 3, y: 5 },
  { x: 4, y: 4 },
  { x: 5, y: 5 },
]

describe('stats.linearRegression', () => {
  it('matches Draper & Smith: Sxx 10, Sxy 6, SSE 2.4, t(3) = 2.1213 (spec §8.1)', () => {
    const fit = stats.linearRegression(textbook)
    expect(fit).not.toBeNull()
    expect(fit?.slope).toBeCloseTo(0.6, 12)
    expect(fit?.intercept).toBeCloseTo(2.2, 12)
    expect(fit?.r2).toBeCloseTo(0.6, 12)
    expect(fit?.r).toBeCloseTo(Math.sqrt(0.6), 12)
    expect(fit?.standardError).toBeCloseTo(Math.sqrt(0.8), 12)
    expect(fit?.slopeStandardError).toBeCloseTo(Math.sqrt(0.08), 12)
    expect(fit?.df).toBe(3)
    expect(fit?.n).toBe(5)
    expect(fit?.pValue).toBeCloseTo(0.124027, 6)
  })

  it.for([
    { name: 'no points', points: [] as RegressionPoint[] },
    { name: 'one point', points: [{ x: 3, y: 4 }] },
  ])('returns null for $name (spec §8.1: n < 2)', ({ points }) => {
    expect(stats.linearRegression(points)).toBeNull()
  })

  it('gives two points an exact line without standard error or p-value (n = 2)', () => {
    expect(
      stats.linearRegression([
        { x: 0, y: 1 },
        { x: 2, y: 5 },
      ]),
    ).toEqual({
      slope: 2,
      intercept: 1,
      r: 1,
      r2: 1,
      standardError: null,
      slopeStandardError: null,
      df: 0,
      pValue: null,
      n: 2,
    })
  })

  it('reports a flat line for constant y: slope 0, r = R² = 0, pValue null (spec §8.1)', () => {
    const fit = stats.linearRegression([
      { x: 0, y: 7 },
      { x: 1, y: 7 },
      { x: 5, y: 7 },
    ])
    expect(fit).toMatchObject({
      slope: 0,
      intercept: 7,
      r: 0,
      r2: 0,
      pValue: null,
      standardError: 0,
    })
  })

  it('gives pValue 0 for an exact fit of non-constant y (spec §8.1)', () => {
    const fit = stats.linearRegression([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 5 },
      { x: 3, y: 7 },
    ])
    expect(fit?.pValue).toBe(0)
    expect(fit?.r2).toBe(1)
  })

  it('keeps full precision for x near Unix timestamps in milliseconds (centred sums)', () => {
    const origin = 1.7e12
    const shifted = textbook.map((point) => ({ x: origin + point.x, y: point.y }))
    const fit = stats.linearRegression(shifted)
    expect(fit?.slope).toBeCloseTo(0.6, 9)
    expect(fit?.r2).toBeCloseTo(0.6, 9)
  })

  it('stays finite for coordinates near the largest double (exact power-of-two scaling)', () => {
    const fit = stats.linearRegression([
      { x: -1e308, y: 1e308 },
      { x: 0, y: 0 },
      { x: 1e308, y: -1e308 },
    ])
    expect(fit?.slope).toBeCloseTo(-1, 12)
    expect(fit?.r).toBeCloseTo(-1, 12)
  })

  it.for([
    {
      name: 'all x equal (Sxx = 0)',
      points: [
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ],
      field: 'points',
    },
    { name: 'a non-finite x', points: [{ x: Number.NaN, y: 1 }], field: 'points[0].x' },
    {
      name: 'an infinite y',
      points: [
        { x: 0, y: 1 },
        { x: 1, y: Number.POSITIVE_INFINITY },
      ],
      field: 'points[1].y',
    },
    {
      name: 'a point that is not an object',
      points: [untyped<RegressionPoint>(3)],
      field: 'points[0]',
    },
    { name: 'points not an array', points: untyped<RegressionPoint[]>('1,2'), field: 'points' },
    {
      name: 'a slope that overflows',
      points: [
        { x: 0, y: -1e308 },
        { x: 1e-300, y: 1e308 },
      ],
      field: 'points',
    },
  ])('throws INVALID_INPUT for $name', ({ points, field }) => {
    expectInvalidInput(() => stats.linearRegression(points), field)
  })
})

describe('stats.regressionInterval', () => {
  it('widens away from the data with the leverage term (spec §8.2)', () => {
    const atCentre = stats.regressionInterval(textbook, 3, 0.95)
    const far = stats.regressionInterval(textbook, 6, 0.95)
    expect(far?.y).toBeCloseTo(5.8, 12)
    expect(far?.mean.lower).toBeCloseTo(2.814601, 5)
    expect(far?.prediction.upper).toBeCloseTo(9.924922, 5)
    const width = (interval: { lower: number; upper: number } | undefined) =>
      (interval?.upper ?? 0) - (interval?.lower ?? 0)
    expect(width(far?.mean)).toBeGreaterThan(width(atCentre?.mean))
    expect(width(far?.prediction)).toBeGreaterThan(width(far?.mean))
  })

  it('uses t(0.995, 3) = 5.840909 for a 99% level', () => {
    const interval = stats.regressionInterval(textbook, 3)
    const wide = stats.regressionInterval(textbook, 3, 0.99)
    const halfWidth = (wide?.mean.upper ?? 0) - (wide?.y ?? 0)
    expect(halfWidth).toBeCloseTo(5.840909 * Math.sqrt(0.8) * Math.sqrt(1 / 5), 5)
    expect(interval?.y).toBeCloseTo(4, 12)
  })

  it('returns null below 3 points (no degrees of freedom)', () => {
    expect(stats.regressionInterval(textbook.slice(0, 2), 1)).toBeNull()
    expect(stats.regressionInterval([], 1)).toBeNull()
  })

  it.for([
    { name: 'level 1', x: 1, level: 1, field: 'level' },
    { name: 'level 0', x: 1, level: 0, field: 'level' },
    { name: 'x NaN', x: Number.NaN, level: 0.95, field: 'x' },
  ])('throws INVALID_INPUT for $name', ({ x, level, field }) => {
    expectInvalidInput(() => stats.regressionInterval(textbook, x, level), field)
  })
})

describe('stats.trend', () => {
  const rising = [0, 1, 2, 3, 4, 5, 6, 7].map((day) => ({
    x: day * 2,
    y: 100 + day + (day % 2) * 0.3,
  }))

  it.for([
    { name: 'rising, higher is better', points: rising, options: {}, direction: 'improving' },
    {
      name: 'rising pace, lower is better',
      points: rising,
      options: { lowerIsBetter: true },
      direction: 'declining',
    },
    {
      name: 'significant but below the relative threshold',
      points: rising,
      options: { minRelativeChangePerWeek: 0.05 },
      direction: 'stable',
    },
    {
      name: 'noisy, not significant',
      points: [
        { x: 0, y: 10 },
        { x: 1, y: 12 },
        { x: 2, y: 9 },
        { x: 3, y: 11 },
      ],
      options: {},
      direction: 'stable',
    },
    {
      name: 'around zero mean (relative test skipped)',
      points: [
        { x: 0, y: -2 },
        { x: 1, y: -1.1 },
        { x: 2, y: 0 },
        { x: 3, y: 1.1 },
        { x: 4, y: 2 },
      ],
      options: {},
      direction: 'improving',
    },
  ] as const)('classifies $name (spec §8.3)', ({ points, options, direction }) => {
    expect(stats.trend(points, options)?.direction).toBe(direction)
  })

  it('reports the weekly slope and the change relative to the mean', () => {
    const result = stats.trend([
      { x: 0, y: 10 },
      { x: 7, y: 11 },
      { x: 14, y: 12 },
    ])
    expect(result?.slopePerWeek).toBeCloseTo(1, 12)
    expect(result?.relativeChangePerWeek).toBeCloseTo(1 / 11, 12)
    expect(result?.pValue).toBe(0)
    expect(result?.r2).toBe(1)
  })

  it('returns null below 3 points', () => {
    expect(stats.trend(rising.slice(0, 2))).toBeNull()
  })

  it.for([
    { name: 'alpha 0', options: { alpha: 0 }, field: 'alpha' },
    { name: 'alpha 1', options: { alpha: 1 }, field: 'alpha' },
    {
      name: 'negative relative change',
      options: { minRelativeChangePerWeek: -1 },
      field: 'minRelativeChangePerWeek',
    },
    {
      name: 'lowerIsBetter a string',
      options: { lowerIsBetter: untyped<boolean>('yes') },
      field: 'lowerIsBetter',
    },
    { name: 'options not an object', options: untyped<object>(5), field: 'options' },
  ])('throws INVALID_INPUT for $name', ({ options, field }) => {
    expectInvalidInput(() => stats.trend(rising, options), field)
  })
})

describe('stats.confidenceLevel', () => {
  it.for([
    { n: 25, r2: 0.75, pValue: 0.01, level: 'veryHigh' },
    { n: 25, r2: 0.75, pValue: 0.2, level: 'high' },
    { n: 20, r2: 0.7, pValue: null, level: 'high' },
    { n: 19, r2: 0.9, pValue: undefined, level: 'medium' },
    { n: 10, r2: 0.4, pValue: 0.05, level: 'medium' },
    { n: 9, r2: 0.9, pValue: 0.049, level: 'medium' },
    { n: 3, r2: 0, pValue: 0.9, level: 'low' },
  ] as const)('n $n, R² $r2, p $pValue → $level (spec §8.4)', ({ n, r2, pValue, level }) => {
    expect(stats.confidenceLevel({ n, r2, pValue })).toBe(level)
  })

  it.for([
    { name: 'fractional n', value: { n: 2.5, r2: 0.5 }, field: 'n' },
    { name: 'negative n', value: { n: -1, r2: 0.5 }, field: 'n' },
    { name: 'r2 above 1', value: { n: 5, r2: 1.2 }, field: 'r2' },
    { name: 'pValue above 1', value: { n: 5, r2: 0.5, pValue: 2 }, field: 'pValue' },
    { name: 'not an object', value: untyped<{ n: number; r2: number }>(null), field: 'case' },
  ])('throws INVALID_INPUT for $name', ({ value, field }) => {
    expectInvalidInput(() => stats.confidenceLevel(value), field)
  })
})

describe('stats.pointsFromDates', () => {
  it('sorts by date and counts days from the earliest, across a leap day', () => {
    expect(
      stats.pointsFromDates([
        { date: '2024-03-01', value: 3 },
        { date: '2024-02-27', value: 1 },
        { date: '2024-02-29', value: 2 },
      ]),
    ).toEqual([
      { x: 0, y: 1 },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
    ])
    expect(stats.pointsFromDates([])).toEqual([])
  })

  it.for([
    { name: 'a malformed date', date: '2024-2-27', field: 'entries[0].date' },
    { name: 'an impossible date', date: '2023-02-29', field: 'entries[0].date' },
    { name: 'a date-time', date: '2024-02-27T10:00', field: 'entries[0].date' },
  ])('throws INVALID_INPUT for $name', ({ date, field }) => {
    expectInvalidInput(() => stats.pointsFromDates([{ date, value: 1 }]), field)
  })

  it('throws INVALID_INPUT for a non-finite value', () => {
    expectInvalidInput(
      () => stats.pointsFromDates([{ date: '2024-01-01', value: Number.NaN }]),
      'entries[0].value',
    )
  })
})

describe('moving averages (spec §8.5)', () => {
  it('sma: trailing, nulls until the window is full', () => {
    expect(stats.sma([1, 2, 3, 4, 5, 6], 3)).toEqual([null, null, 2, 3, 4, 5])
    expect(stats.sma(new Float64Array([4, 8]), 1)).toEqual([4, 8])
    expect(stats.sma([1, 2], 3)).toEqual([null, null])
    expect(stats.sma([], 3)).toEqual([])
  })

  it('sma: a running sum stays exact over many decimal values (compensated)', () => {
    const values = Array.from({ length: 100_000 }, (_, index) => (index % 10) * 0.1)
    const averages = stats.sma(values, 10)
    expect(averages.at(-1)).toBeCloseTo(0.45, 13)
  })

  it('smaCentred: symmetric window truncated at both ends', () => {
    expect(stats.smaCentred([1, 2, 3, 4, 5], 3)).toEqual([1.5, 2, 3, 4, 4.5])
    expect(stats.smaCentred([1, 2, 3, 4, 5], 5)).toEqual([2, 2.5, 3, 3.5, 4])
    expect(stats.smaCentred([2, 9], 7)).toEqual([5.5, 5.5])
    expect(stats.smaCentred([], 3)).toEqual([])
  })

  it('ema and emaSpan: seeded with the first value', () => {
    expect(stats.ema([10, 20, 30], 0.5)).toEqual([10, 15, 22.5])
    expect(stats.ema([10, 20, 30], 1)).toEqual([10, 20, 30])
    expect(stats.emaSpan([10, 20, 30], 3)).toEqual([10, 15, 22.5])
    expect(stats.ema([], 0.5)).toEqual([])
  })

  it.for([
    { name: 'sma window 0', call: () => stats.sma([1], 0), field: 'window' },
    { name: 'sma window 1.5', call: () => stats.sma([1], 1.5), field: 'window' },
    { name: 'sma NaN value', call: () => stats.sma([1, Number.NaN], 1), field: 'values[1]' },
    {
      name: 'sma null value',
      call: () => stats.sma(untyped<number[]>([null]), 1),
      field: 'values[0]',
    },
    {
      name: 'sma values not an array',
      call: () => stats.sma(untyped<number[]>(3), 1),
      field: 'values',
    },
    { name: 'smaCentred even window', call: () => stats.smaCentred([1], 4), field: 'window' },
    { name: 'ema alpha 0', call: () => stats.ema([1], 0), field: 'alpha' },
    { name: 'ema alpha above 1', call: () => stats.ema([1], 1.1), field: 'alpha' },
    { name: 'emaSpan below 1', call: () => stats.emaSpan([1], 0.5), field: 'span' },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('stats.modifiedZScores', () => {
  it('flags 40 in a cluster around 11 (Iglewicz & Hoaglin 1993)', () => {
    const result = stats.modifiedZScores([10, 11, 12, 11, 10, 11, 40])
    expect(result.outliers).toEqual([6])
    expect(result.median).toBe(11)
    expect(result.mad).toBe(1)
    expect(result.scores[6]).toBeCloseTo(19.5605, 9)
  })

  it('uses the threshold strictly and accepts a lower one', () => {
    expect(stats.modifiedZScores([1, 2, 3, 4, 100], 2.5).outliers).toEqual([4])
    expect(stats.modifiedZScores([0, 1, 1, 1, 2], 0.6745).outliers).toEqual([])
  })

  it.for([
    { name: 'MAD 0', values: [5, 5, 5, 9], scores: [0, 0, 0, 0] },
    { name: 'two values', values: [1, 100], scores: [-0.6745, 0.6745] },
    { name: 'no values', values: [], scores: [] },
  ])('gives no outliers for $name', ({ values, scores }) => {
    const result = stats.modifiedZScores(values)
    expect(result.outliers).toEqual([])
    result.scores.forEach((score, index) => {
      expect(score).toBeCloseTo(scores[index] ?? Number.NaN, 12)
    })
  })

  it.for([
    { name: 'threshold 0', call: () => stats.modifiedZScores([1, 2, 3], 0), field: 'threshold' },
    {
      name: 'an infinite value',
      call: () => stats.modifiedZScores([Number.NEGATIVE_INFINITY]),
      field: 'values[0]',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('summary statistics (spec §8.7)', () => {
  it.for([
    { name: 'mean', value: stats.mean([1, 2, 3, 4]), expected: 2.5 },
    { name: 'mean of huge values', value: stats.mean([1.5e308, 1.5e308]), expected: 1.5e308 },
    { name: 'median, odd', value: stats.median([3, 1, 2]), expected: 2 },
    { name: 'median, even', value: stats.median([4, 1, 3, 2]), expected: 2.5 },
    {
      name: 'sample variance',
      value: stats.sampleVariance([2, 4, 4, 4, 5, 5, 7, 9]),
      expected: 32 / 7,
    },
    {
      name: 'population variance',
      value: stats.populationVariance([2, 4, 4, 4, 5, 5, 7, 9]),
      expected: 4,
    },
    {
      name: 'sample SD',
      value: stats.sampleSd([2, 4, 4, 4, 5, 5, 7, 9]),
      expected: Math.sqrt(32 / 7),
    },
    { name: 'population SD', value: stats.populationSd([2, 4, 4, 4, 5, 5, 7, 9]), expected: 2 },
    {
      name: 'population SD of huge values',
      value: stats.populationSd([-1e308, 1e308]),
      expected: 1e308,
    },
    { name: 'pearson', value: stats.pearson([1, 2, 3], [2, 4, 7]), expected: 0.9933992677987828 },
  ])('$name', ({ value, expected }) => {
    expect(value).toBeCloseTo(expected, 12)
  })

  it.for([
    { name: 'mean of nothing', value: stats.mean([]) },
    { name: 'median of nothing', value: stats.median([]) },
    { name: 'sample SD of one value', value: stats.sampleSd([3]) },
    { name: 'sample variance of one value', value: stats.sampleVariance([3]) },
    { name: 'population SD of nothing', value: stats.populationSd([]) },
    { name: 'population variance of nothing', value: stats.populationVariance([]) },
    { name: 'pearson of one pair', value: stats.pearson([1], [1]) },
    { name: 'pearson with constant y', value: stats.pearson([1, 2, 3], [5, 5, 5]) },
  ])('$name is null', ({ value }) => {
    expect(value).toBeNull()
  })

  it.for([
    { name: 'mean of NaN', call: () => stats.mean([Number.NaN]), field: 'values[0]' },
    { name: 'pearson length mismatch', call: () => stats.pearson([1, 2], [1]), field: 'ys' },
    { name: 'pearson bad x', call: () => stats.pearson([Number.NaN], [1]), field: 'xs[0]' },
    {
      name: 'sample variance overflow',
      call: () => stats.sampleVariance([-1.7e308, 1.7e308]),
      field: 'values',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})
