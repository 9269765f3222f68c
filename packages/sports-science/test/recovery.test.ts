import { describe, expect, it } from 'vitest'
import { type HrvStatusArgs, type RecoveryScore, recovery, type SleepInput } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Passes a value the types forbid, as a JavaScript caller could. */
function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

describe('recovery.sleepDurationScore (spec §6.2)', () => {
  it.for([
    { hours: 0, score: 0 },
    { hours: 4, score: 20 },
    { hours: 5, score: 25 },
    { hours: 5.5, score: 37.5 },
    { hours: 6, score: 50 },
    { hours: 6.5, score: 67.5 },
    { hours: 7, score: 85 },
    { hours: 7.5, score: 92.5 },
    { hours: 8, score: 100 },
    { hours: 9, score: 100 },
    { hours: 9.5, score: 95 },
    { hours: 12, score: 70 },
    { hours: 24, score: 70 },
  ])('$hours h scores $score', ({ hours, score }) => {
    expect(recovery.sleepDurationScore(hours)).toBeCloseTo(score, 12)
  })

  it('moves the knots with custom thresholds', () => {
    const thresholds = { adultMinHours: 7.5, athleteOptimalHours: 8.5, adultMaxHours: 10 }
    expect(recovery.sleepDurationScore(8, thresholds)).toBeCloseTo(92.5, 12)
    expect(recovery.sleepDurationScore(10, thresholds)).toBe(100)
  })

  it.for([
    { name: 'negative hours', call: () => recovery.sleepDurationScore(-1), field: 'hours' },
    { name: 'more than 24 h', call: () => recovery.sleepDurationScore(25), field: 'hours' },
    { name: 'NaN', call: () => recovery.sleepDurationScore(Number.NaN), field: 'hours' },
    {
      name: 'thresholds out of order',
      call: () => recovery.sleepDurationScore(7, { shortHours: 7.5 }),
      field: 'adultMinHours',
    },
    {
      name: 'veryShortHours 0',
      call: () => recovery.sleepDurationScore(7, { veryShortHours: 0 }),
      field: 'veryShortHours',
    },
    {
      name: 'thresholds not an object',
      call: () => recovery.sleepDurationScore(7, untyped(1)),
      field: 'thresholds',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('recovery.sleepEfficiencyScore (spec §6.4)', () => {
  it.for([
    { percent: 100, score: 100 },
    { percent: 90, score: 100 },
    { percent: 87, score: 88 },
    { percent: 85, score: 80 },
    { percent: 80, score: 70 },
    { percent: 75, score: 60 },
    { percent: 70, score: 50 },
    { percent: 65, score: 40 },
    { percent: 60, score: 480 / 13 },
    { percent: 0, score: 0 },
  ])('$percent% scores $score', ({ percent, score }) => {
    expect(recovery.sleepEfficiencyScore(percent)).toBeCloseTo(score, 12)
  })

  it.for([
    { name: 'above 100%', call: () => recovery.sleepEfficiencyScore(101), field: 'percent' },
    { name: 'negative', call: () => recovery.sleepEfficiencyScore(-1), field: 'percent' },
    {
      name: 'good not above poor + 5',
      call: () => recovery.sleepEfficiencyScore(80, { goodPercent: 74 }),
      field: 'goodPercent',
    },
    {
      name: 'excellent below good',
      call: () => recovery.sleepEfficiencyScore(80, { excellentPercent: 84 }),
      field: 'excellentPercent',
    },
    {
      name: 'poor at 5',
      call: () => recovery.sleepEfficiencyScore(80, { poorPercent: 5 }),
      field: 'poorPercent',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('recovery.sleepStageScore (spec §6.3)', () => {
  it.for([
    {
      name: 'every stage in range',
      args: { totalHours: 8, deepHours: 1.6, remHours: 1.76, lightHours: 4.16 },
      score: 100,
    },
    {
      name: 'deep 10%, REM 35%, light 55%',
      args: { totalHours: 8, deepHours: 0.8, remHours: 2.8, lightHours: 4.4 },
      score: 86.4,
    },
    {
      name: 'no deep sleep at all (0 is a value)',
      args: { totalHours: 8, deepHours: 0, remHours: 2, lightHours: 4 },
      score: 0 + 33.3 + 33.4,
    },
    {
      name: 'light far outside its band',
      args: { totalHours: 10, deepHours: 2, remHours: 2.5, lightHours: 0 },
      score: 33.3 + 33.3 + Math.max(0, 33.4 - 0.5 * 45),
    },
    {
      name: 'deep far above its band (penalty capped at 20)',
      args: { totalHours: 8, deepHours: 8, remHours: 2, lightHours: 4 },
      score: 13.3 + 33.3 + 33.4,
    },
  ])('$name', ({ args, score }) => {
    expect(recovery.sleepStageScore(args)).toBeCloseTo(score, 9)
  })

  it('returns null when a stage is missing', () => {
    expect(recovery.sleepStageScore({ totalHours: 8, deepHours: 1.6, remHours: 1.8 })).toBeNull()
  })

  it('accepts custom bands', () => {
    const args = { totalHours: 8, deepHours: 0.8, remHours: 1.76, lightHours: 4.16 }
    expect(
      recovery.sleepStageScore(args, { deep: { minPercent: 10, maxPercent: 20 } }),
    ).toBeCloseTo(100, 9)
  })

  it.for([
    { name: 'total 0', args: { totalHours: 0 }, field: 'totalHours' },
    {
      name: 'a stage longer than the night',
      args: { totalHours: 6, deepHours: 7, remHours: 1, lightHours: 1 },
      field: 'deepHours',
    },
    {
      name: 'a negative stage',
      args: { totalHours: 6, deepHours: 1, remHours: -1, lightHours: 1 },
      field: 'remHours',
    },
    { name: 'args not an object', args: untyped<{ totalHours: number }>(null), field: 'args' },
  ])('throws INVALID_INPUT for $name', ({ args, field }) => {
    expectInvalidInput(() => recovery.sleepStageScore(args), field)
  })

  it('throws INVALID_INPUT for a band whose minimum exceeds its maximum', () => {
    const args = { totalHours: 8, deepHours: 1, remHours: 2, lightHours: 4 }
    expectInvalidInput(
      () => recovery.sleepStageScore(args, { rem: { minPercent: 30, maxPercent: 20 } }),
      'rem.maxPercent',
    )
  })
})

describe('recovery.sleepQuality (spec §6.4)', () => {
  const full: SleepInput = {
    durationHours: 7.5,
    deepHours: 1.5,
    remHours: 1.8,
    lightHours: 3.9,
    efficiencyPercent: 88,
  }

  it('weights 0.40/0.35/0.25 over all components', () => {
    expect(recovery.sleepQuality(full)).toMatchObject({
      overall: 95,
      durationScore: 92.5,
      stageScore: 100,
      efficiencyScore: 92,
      category: 'excellent',
      efficiencyPercent: 88,
    })
    expect(recovery.sleepQuality(full).caveats).toHaveLength(2)
  })

  it('derives efficiency from time in bed', () => {
    const quality = recovery.sleepQuality({ durationHours: 7.5, timeInBedHours: 8.5 })
    expect(quality.efficiencyPercent).toBeCloseTo(88.235294117647, 9)
    expect(quality.caveats).toEqual([])
  })

  it.for([
    {
      name: 'renormalized without stages',
      sleep: { durationHours: 7.5, efficiencyPercent: 88 },
      options: {},
      overall: 60 / 0.65,
    },
    {
      name: 'neutral 50 without stages (compat)',
      sleep: { durationHours: 7.5, efficiencyPercent: 88 },
      options: { missing: 'neutral50' },
      overall: 77.5,
    },
    {
      name: 'duration only, renormalized',
      sleep: { durationHours: 6 },
      options: {},
      overall: 50,
    },
    {
      name: 'lower stage weight for wearable data',
      sleep: full,
      options: { weights: { duration: 0.5, stages: 0.1, efficiency: 0.4 } },
      overall: 0.5 * 92.5 + 0.1 * 100 + 0.4 * 92,
    },
    {
      name: 'no sleep at all',
      sleep: { durationHours: 0, deepHours: 0, remHours: 0, lightHours: 0 },
      options: {},
      overall: 0,
    },
  ] as const)('$name', ({ sleep, options, overall }) => {
    expect(recovery.sleepQuality(sleep, options).overall).toBeCloseTo(overall, 9)
  })

  it.for([
    { hours: 5.5, category: 'poor' },
    { hours: 6.9, category: 'good' },
    { hours: 7, category: 'excellent' },
    { hours: 6.5, category: 'fair' },
  ])('a $hours-hour night alone is $category', ({ hours, category }) => {
    expect(recovery.sleepQuality({ durationHours: hours }).category).toBe(category)
  })

  it.for([
    { name: 'negative duration', sleep: { durationHours: -1 }, field: 'durationHours' },
    {
      name: 'efficiency above 100',
      sleep: { durationHours: 7, efficiencyPercent: 101 },
      field: 'efficiencyPercent',
    },
    {
      name: 'time in bed shorter than the sleep',
      sleep: { durationHours: 7, timeInBedHours: 6 },
      field: 'timeInBedHours',
    },
    {
      name: 'negative awake time',
      sleep: { durationHours: 7, awakeHours: -1 },
      field: 'awakeHours',
    },
    { name: 'sleep not an object', sleep: untyped<SleepInput>('7h'), field: 'sleep' },
  ])('throws INVALID_INPUT for $name', ({ sleep, field }) => {
    expectInvalidInput(() => recovery.sleepQuality(sleep), field)
  })

  it.for([
    {
      name: 'unknown missing rule',
      options: { missing: untyped<'neutral50'>('zero') },
      field: 'missing',
    },
    {
      name: 'weights not summing to 1',
      options: { weights: { duration: 0.5, stages: 0.5, efficiency: 0.5 } },
      field: 'weights',
    },
    {
      name: 'a negative weight',
      options: { weights: { duration: 1.2, stages: -0.2, efficiency: 0 } },
      field: 'weights.duration',
    },
  ])('throws INVALID_INPUT for $name', ({ options, field }) => {
    expectInvalidInput(() => recovery.sleepQuality(full, options), field)
  })
})

describe('recovery.tsbScore (spec §6.6)', () => {
  it.for([
    { tsb: -40, score: 0 },
    { tsb: -30, score: 0 },
    { tsb: -25, score: 10 },
    { tsb: -15, score: 30 },
    { tsb: -12, score: 48 },
    { tsb: -10, score: 60 },
    { tsb: -5, score: 72.5 },
    { tsb: 0, score: 85 },
    { tsb: 2, score: 91 },
    { tsb: 5, score: 100 },
    { tsb: 15, score: 100 },
    { tsb: 20, score: 95 },
    { tsb: 25, score: 90 },
    { tsb: 30, score: 80 },
    { tsb: 100, score: 60 },
  ])('TSB $tsb scores $score', ({ tsb, score }) => {
    expect(recovery.tsbScore(tsb)).toBeCloseTo(score, 12)
  })

  it('reproduces the reference jump above +25 with variant pierre', () => {
    expect(recovery.tsbScore(25, { variant: 'pierre' })).toBe(90)
    expect(recovery.tsbScore(25.01, { variant: 'pierre' })).toBeCloseTo(99.98, 9)
    expect(recovery.tsbScore(25.01)).toBeCloseTo(89.98, 9)
  })

  it('accepts custom thresholds', () => {
    expect(recovery.tsbScore(-20, { highlyFatigued: -20, fatigued: -12 })).toBe(30)
  })

  it.for([
    { name: 'tsb NaN', tsb: Number.NaN, options: {}, field: 'tsb' },
    {
      name: 'unknown variant',
      tsb: 0,
      options: { variant: untyped<'pierre'>('old') },
      field: 'variant',
    },
    { name: 'fatigued at 0', tsb: 0, options: { fatigued: 0 }, field: 'fatigued' },
    { name: 'highly above fatigued', tsb: 0, options: { highlyFatigued: -5 }, field: 'fatigued' },
    { name: 'freshMin 0', tsb: 0, options: { freshMin: 0 }, field: 'freshMin' },
    { name: 'freshMax below freshMin', tsb: 0, options: { freshMax: 4 }, field: 'freshMax' },
    { name: 'detraining at freshMax', tsb: 0, options: { detraining: 15 }, field: 'detraining' },
    { name: 'options not an object', tsb: 0, options: untyped<object>(3), field: 'options' },
  ])('throws INVALID_INPUT for $name', ({ tsb, options, field }) => {
    expectInvalidInput(() => recovery.tsbScore(tsb, options), field)
  })
})

describe('recovery.hrvStatus (spec §6.5)', () => {
  it.for([
    {
      name: '+5 ms over the weekly mean: recovered',
      args: { currentRmssd: 55, recentRmssd: [50, 51, 49, 50, 50, 52, 48] },
      status: 'recovered',
      score: 100,
      trend: 'improving',
    },
    {
      name: '−10 ms: fatigued',
      args: { currentRmssd: 40, recentRmssd: [50, 50] },
      status: 'fatigued',
      score: 40,
      trend: 'declining',
    },
    {
      name: 'small change: normal',
      args: { currentRmssd: 52, recentRmssd: [50] },
      status: 'normal',
      score: 70,
      trend: 'stable',
    },
    {
      name: 'no recent values: compared with itself',
      args: { currentRmssd: 52 },
      status: 'normal',
      score: 70,
      trend: 'stable',
    },
    {
      name: '−20% against baseline: highly fatigued',
      args: { currentRmssd: 40, recentRmssd: [42, 41, 40], baselineRmssd: 50 },
      status: 'highlyFatigued',
      score: 20,
      trend: 'stable',
    },
    {
      name: '−8% against baseline: fatigued',
      args: { currentRmssd: 46, recentRmssd: [45, 47, 46], baselineRmssd: 50 },
      status: 'fatigued',
      score: 40,
      trend: 'stable',
    },
    {
      name: 'above baseline, recent rules decide',
      args: { currentRmssd: 60, recentRmssd: new Float64Array([50, 52]), baselineRmssd: 50 },
      status: 'recovered',
      score: 100,
      trend: 'improving',
    },
  ] as const)('$name', ({ args, status, score, trend }) => {
    expect(recovery.hrvStatus(args)).toMatchObject({ status, score, trend })
  })

  it('reports the weekly average and baseline deviation', () => {
    const result = recovery.hrvStatus({
      currentRmssd: 46,
      recentRmssd: [45, 47],
      baselineRmssd: 50,
    })
    expect(result.weeklyAverage).toBe(46)
    expect(result.baselineDeviationPercent).toBeCloseTo(-8, 12)
    expect(recovery.hrvStatus({ currentRmssd: 46 }).baselineDeviationPercent).toBeNull()
  })

  it.for([
    { name: 'current 0', args: { currentRmssd: 0 }, field: 'currentRmssd' },
    { name: 'current above 500 ms', args: { currentRmssd: 501 }, field: 'currentRmssd' },
    {
      name: 'a recent value of 0',
      args: { currentRmssd: 50, recentRmssd: [50, 0] },
      field: 'recentRmssd[1]',
    },
    {
      name: 'baseline negative',
      args: { currentRmssd: 50, baselineRmssd: -1 },
      field: 'baselineRmssd',
    },
    { name: 'args null', args: untyped<HrvStatusArgs>(null), field: 'args' },
  ])('throws INVALID_INPUT for $name', ({ args, field }) => {
    expectInvalidInput(() => recovery.hrvStatus(args), field)
  })
})

describe('recovery.hrvLnStatus (Plews 2012; spec §6.5)', () => {
  // 21 days alternating around 60 ms, then a 7-day block at a chosen level.
  const baseline = Array.from({ length: 21 }, (_, day) => (day % 2 === 0 ? 55 : 65))
  const lnSd = (() => {
    const logs = baseline.map(Math.log)
    const mean = logs.reduce((sum, value) => sum + value, 0) / logs.length
    return Math.sqrt(logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (logs.length - 1))
  })()
  const lnMean = baseline.map(Math.log).reduce((sum, value) => sum + value, 0) / baseline.length

  it.for([
    { name: 'well above baseline', level: 70, status: 'recovered' },
    { name: 'at baseline', level: Math.exp(lnMean), status: 'normal' },
    { name: 'about 0.75 SD below', level: Math.exp(lnMean - 0.75 * lnSd), status: 'fatigued' },
    { name: 'far below', level: 45, status: 'highlyFatigued' },
  ] as const)('$name: $status', ({ level, status }) => {
    const result = recovery.hrvLnStatus({ dailyRmssd: [...baseline, ...Array(7).fill(level)] })
    expect(result?.status).toBe(status)
    expect(result?.baselineMean).toBeCloseTo(lnMean, 12)
    expect(result?.baselineSd).toBeCloseTo(lnSd, 12)
    expect(result?.rolling).toBeCloseTo(Math.log(level), 12)
    expect(result?.baselineCount).toBe(21)
  })

  it('uses at most baselineDays values before the rolling window', () => {
    const values = [...Array(30).fill(100), ...baseline, ...Array(3).fill(60)]
    const result = recovery.hrvLnStatus(
      { dailyRmssd: values },
      { baselineDays: 21, rollingDays: 3 },
    )
    expect(result?.baselineCount).toBe(21)
    expect(result?.baselineMean).toBeCloseTo(lnMean, 12)
  })

  it.for([
    { name: 'fewer than rollingDays + 14 values', values: Array(20).fill(50) },
    { name: 'a constant baseline', values: Array(30).fill(50) },
  ])('returns null for $name', ({ values }) => {
    expect(recovery.hrvLnStatus({ dailyRmssd: values })).toBeNull()
  })

  it.for([
    { name: 'a value of 0', args: { dailyRmssd: [50, 0] }, options: {}, field: 'dailyRmssd[1]' },
    {
      name: 'baselineDays 13',
      args: { dailyRmssd: [] },
      options: { baselineDays: 13 },
      field: 'baselineDays',
    },
    {
      name: 'rollingDays 2.5',
      args: { dailyRmssd: [] },
      options: { rollingDays: 2.5 },
      field: 'rollingDays',
    },
    {
      name: 'dailyRmssd missing',
      args: untyped<{ dailyRmssd: number[] }>({}),
      options: {},
      field: 'dailyRmssd',
    },
  ])('throws INVALID_INPUT for $name', ({ args, options, field }) => {
    expectInvalidInput(() => recovery.hrvLnStatus(args, options), field)
  })
})

describe('recovery.aggregate (spec §6.7)', () => {
  it.for([
    {
      name: 'weighted with HRV',
      scores: { tsb: 72.5, sleep: 80, hrv: 70 },
      options: {},
      value: 75,
    },
    { name: 'weighted without HRV', scores: { tsb: 72.5, sleep: 80 }, options: {}, value: 76.25 },
    {
      name: 'hrv null is absent',
      scores: { tsb: 72.5, sleep: 80, hrv: null },
      options: {},
      value: 76.25,
    },
    {
      name: 'custom weights',
      scores: { tsb: 60, sleep: 90, hrv: 30 },
      options: { weights: { tsb: 0.3, sleep: 0.4, hrv: 0.3 } },
      value: 18 + 36 + 9,
    },
    {
      name: 'geometric',
      scores: { tsb: 64, sleep: 100, hrv: 25 },
      options: { method: 'geometric' },
      value: 160000 ** (1 / 3),
    },
    {
      name: 'harmonic',
      scores: { tsb: 60, sleep: 90 },
      options: { method: 'harmonic' },
      value: 72,
    },
    {
      name: 'harmonic with a zero',
      scores: { tsb: 0, sleep: 90 },
      options: { method: 'harmonic' },
      value: 0,
    },
    {
      name: 'minimum',
      scores: { tsb: 60, sleep: 90, hrv: 40 },
      options: { method: 'minimum' },
      value: 40,
    },
    {
      name: 'pierreBayesian (compat)',
      scores: { tsb: 80, sleep: 90, hrv: 40 },
      options: { method: 'pierreBayesian' },
      value: 14.4,
    },
    {
      name: 'pierreBayesian: three scores of 80',
      scores: { tsb: 80, sleep: 80, hrv: 80 },
      options: { method: 'pierreBayesian' },
      value: 51.2,
    },
  ] as const)('$name', ({ scores, options, value }) => {
    expect(recovery.aggregate(scores, options)).toBeCloseTo(value, 9)
  })

  it.for([
    { name: 'tsb above 100', scores: { tsb: 101, sleep: 50 }, options: {}, field: 'tsb' },
    { name: 'sleep negative', scores: { tsb: 50, sleep: -1 }, options: {}, field: 'sleep' },
    { name: 'hrv NaN', scores: { tsb: 50, sleep: 50, hrv: Number.NaN }, options: {}, field: 'hrv' },
    {
      name: 'unknown method',
      scores: { tsb: 50, sleep: 50 },
      options: { method: untyped<'minimum'>('median') },
      field: 'method',
    },
    {
      name: 'weights without hrv while an HRV score is given',
      scores: { tsb: 50, sleep: 50, hrv: 50 },
      options: { weights: { tsb: 0.5, sleep: 0.5 } },
      field: 'weights.hrv',
    },
    {
      name: 'weights summing to 0.9',
      scores: { tsb: 50, sleep: 50 },
      options: { weights: { tsb: 0.5, sleep: 0.4 } },
      field: 'weights',
    },
    {
      name: 'confidence threshold above 1',
      scores: { tsb: 50, sleep: 50 },
      options: { method: 'pierreBayesian', confidenceThreshold: 2 },
      field: 'confidenceThreshold',
    },
  ] as const)('throws INVALID_INPUT for $name', ({ scores, options, field }) => {
    expectInvalidInput(() => recovery.aggregate(scores, options), field)
  })
})

describe('recovery.readiness (spec §6.8)', () => {
  it.for([
    { case: { score: 90, tsb: 8, sleepCategory: 'excellent' }, readiness: 'readyForHard' },
    { case: { score: 88, tsb: -2, sleepCategory: 'good' }, readiness: 'readyForModerate' },
    { case: { score: 75, tsb: -16, sleepCategory: 'good' }, readiness: 'restNeeded' },
    { case: { score: 65, tsb: -5, sleepCategory: 'fair' }, readiness: 'easyOnly' },
    { case: { score: 80, tsb: 3, sleepCategory: 'poor' }, readiness: 'restNeeded' },
    {
      case: { score: 95, tsb: 5, sleepCategory: 'excellent', hrvStatus: 'highlyFatigued' },
      readiness: 'restNeeded',
    },
    { case: { score: 49.9, tsb: 5, sleepCategory: 'good' }, readiness: 'restNeeded' },
    {
      case: { score: 85, tsb: 0, sleepCategory: 'good', hrvStatus: null },
      readiness: 'readyForHard',
    },
  ] as const)('$case.score, TSB $case.tsb, $case.sleepCategory → $readiness', (row) => {
    expect(recovery.readiness(row.case)).toBe(row.readiness)
  })

  it('uses a custom TSB rest threshold', () => {
    const row = { score: 75, tsb: -16, sleepCategory: 'good' } as const
    expect(recovery.readiness(row, { highlyFatiguedTsb: -20 })).toBe('readyForModerate')
  })

  it.for([
    { name: 'score above 100', row: { score: 101, tsb: 0, sleepCategory: 'good' }, field: 'score' },
    {
      name: 'tsb Infinity',
      row: { score: 80, tsb: Number.POSITIVE_INFINITY, sleepCategory: 'good' },
      field: 'tsb',
    },
    {
      name: 'unknown sleep category',
      row: { score: 80, tsb: 0, sleepCategory: 'great' },
      field: 'sleepCategory',
    },
    {
      name: 'unknown HRV status',
      row: { score: 80, tsb: 0, sleepCategory: 'good', hrvStatus: 'ok' },
      field: 'hrvStatus',
    },
  ])('throws INVALID_INPUT for $name', ({ row, field }) => {
    expectInvalidInput(() => recovery.readiness(untyped(row)), field)
  })
})

describe('recovery.score (spec §6.8)', () => {
  it('composes TSB, sleep and HRV scores', () => {
    const result = recovery.score({
      tsb: -5,
      sleep: {
        durationHours: 7.5,
        deepHours: 1.5,
        remHours: 1.8,
        lightHours: 3.9,
        efficiencyPercent: 88,
      },
      hrv: { currentRmssd: 52, recentRmssd: [50, 50, 50] },
    })
    expect(result).toMatchObject({
      tsbScore: 72.5,
      sleepScore: 95,
      sleepCategory: 'excellent',
      hrvStatus: 'normal',
      hrvScore: 70,
      overall: 0.4 * 72.5 + 0.4 * 95 + 0.2 * 70,
      category: 'good',
      readiness: 'readyForModerate',
      componentsAvailable: 3,
    })
  })

  it('works without HRV and passes the options on', () => {
    const result = recovery.score(
      { tsb: -12, sleep: { durationHours: 7.5, efficiencyPercent: 88 } },
      { method: 'minimum', tsbScore: { highlyFatigued: -11 } },
    )
    expect(result.hrvStatus).toBeNull()
    expect(result.hrvScore).toBeNull()
    expect(result.hrv).toBeNull()
    expect(result.componentsAvailable).toBe(2)
    expect(result.tsbScore).toBe(30 - (30 * 1) / 11)
    expect(result.overall).toBe(result.tsbScore)
    expect(result.readiness).toBe('restNeeded')
  })

  it.for([
    { name: 'tsb NaN', args: { tsb: Number.NaN, sleep: { durationHours: 8 } }, field: 'tsb' },
    {
      name: 'a bad sleep duration',
      args: { tsb: 0, sleep: { durationHours: 30 } },
      field: 'durationHours',
    },
    {
      name: 'a bad HRV value',
      args: { tsb: 0, sleep: { durationHours: 8 }, hrv: { currentRmssd: -3 } },
      field: 'currentRmssd',
    },
  ])('throws INVALID_INPUT for $name', ({ args, field }) => {
    expectInvalidInput(() => recovery.score(args), field)
  })
})

describe('recovery.restDayRecommendation (spec §6.9)', () => {
  const resting = (overall: number, hrvStatus: RecoveryScore['hrvStatus'] = null) => ({
    overall,
    readiness: overall < 50 ? ('restNeeded' as const) : ('readyForModerate' as const),
    hrvStatus,
  })

  it('recommends rest with every reason and 100% confidence', () => {
    expect(
      recovery.restDayRecommendation({
        recovery: resting(25, 'recovered'),
        sleepHours: 5,
        sleepEfficiencyPercent: 70,
        tsb: -20,
      }),
    ).toEqual({
      restRecommended: true,
      primaryReasons: ['lowRecoveryScore', 'deepFatigue', 'shortSleep'],
      supportingReasons: ['poorSleepEfficiency'],
      confidencePercent: 100,
      confidenceFactors: ['lowRecoveryScore', 'deepFatigue', 'shortSleep', 'hrvPresent'],
      estimatedRecoveryHours: 72,
    })
  })

  it.for([
    { overall: 45, tsb: -12, hours: 24 + 12 },
    { overall: 40, tsb: 0, hours: 24 },
    { overall: 29, tsb: -5, hours: 48 },
  ])('estimates $hours h for overall $overall and TSB $tsb', ({ overall, tsb, hours }) => {
    const result = recovery.restDayRecommendation({
      recovery: resting(overall),
      sleepHours: 7,
      tsb,
    })
    expect(result.estimatedRecoveryHours).toBe(hours)
  })

  it('does not recommend rest when ready', () => {
    const result = recovery.restDayRecommendation({ recovery: resting(80), sleepHours: 8, tsb: 2 })
    expect(result).toMatchObject({
      restRecommended: false,
      primaryReasons: [],
      supportingReasons: [],
      confidencePercent: 0,
      estimatedRecoveryHours: null,
    })
  })

  it.for([
    {
      name: 'overall above 100',
      args: { recovery: resting(101), sleepHours: 8, tsb: 0 },
      field: 'recovery.overall',
    },
    {
      name: 'unknown readiness',
      args: {
        recovery: { overall: 50, readiness: untyped<'easyOnly'>('go'), hrvStatus: null },
        sleepHours: 8,
        tsb: 0,
      },
      field: 'recovery.readiness',
    },
    {
      name: 'unknown HRV status',
      args: { recovery: resting(50, untyped<'normal'>('fine')), sleepHours: 8, tsb: 0 },
      field: 'recovery.hrvStatus',
    },
    {
      name: 'sleep over 24 h',
      args: { recovery: resting(50), sleepHours: 25, tsb: 0 },
      field: 'sleepHours',
    },
    {
      name: 'efficiency above 100',
      args: { recovery: resting(50), sleepHours: 8, sleepEfficiencyPercent: 120, tsb: 0 },
      field: 'sleepEfficiencyPercent',
    },
    {
      name: 'tsb NaN',
      args: { recovery: resting(50), sleepHours: 8, tsb: Number.NaN },
      field: 'tsb',
    },
    {
      name: 'recovery missing',
      args: untyped<{ recovery: RecoveryScore; sleepHours: number; tsb: number }>({
        sleepHours: 8,
        tsb: 0,
      }),
      field: 'recovery',
    },
  ])('throws INVALID_INPUT for $name', ({ args, field }) => {
    expectInvalidInput(() => recovery.restDayRecommendation(args), field)
  })
})

describe('recovery.sleepTarget and recovery.bedtime (spec §6.10)', () => {
  it.for([
    { tsb: 0, atl: 50, hours: 8 },
    { tsb: -11, atl: 50, hours: 8.5 },
    { tsb: -11, atl: 120, hours: 8.5 },
    { tsb: 0, atl: 101, hours: 8.25 },
    { tsb: -10, atl: 100, hours: 8 },
  ])('TSB $tsb, ATL $atl → $hours h', ({ tsb, atl, hours }) => {
    expect(recovery.sleepTarget({ tsb, atl })).toBe(hours)
  })

  it.for([
    { args: { wake: '06:30', targetHours: 8 }, time: '22:15' },
    { args: { wake: '06:30', targetHours: 8.25, windDownMin: 0 }, time: '22:15' },
    { args: { wake: '07:00', targetHours: 7.99 }, time: '22:46' },
    { args: { wake: '07:00', targetHours: 8.0084 }, time: '22:44' },
    { args: { wake: '23:00', targetHours: 2 }, time: '20:45' },
    { args: { wake: '00:00', targetHours: 24, windDownMin: 0 }, time: '00:00' },
  ])('wake $args.wake, $args.targetHours h → $time', ({ args, time }) => {
    expect(recovery.bedtime(args)).toBe(time)
  })

  it.for([
    { name: 'atl negative', call: () => recovery.sleepTarget({ tsb: 0, atl: -1 }), field: 'atl' },
    {
      name: 'tsb NaN',
      call: () => recovery.sleepTarget({ tsb: Number.NaN, atl: 1 }),
      field: 'tsb',
    },
    {
      name: 'wake 24:00',
      call: () => recovery.bedtime({ wake: '24:00', targetHours: 8 }),
      field: 'wake',
    },
    {
      name: 'wake 7:00',
      call: () => recovery.bedtime({ wake: '7:00', targetHours: 8 }),
      field: 'wake',
    },
    {
      name: 'wake a number',
      call: () => recovery.bedtime({ wake: untyped<string>(700), targetHours: 8 }),
      field: 'wake',
    },
    {
      name: 'target 25 h',
      call: () => recovery.bedtime({ wake: '07:00', targetHours: 25 }),
      field: 'targetHours',
    },
    {
      name: 'fractional wind-down',
      call: () => recovery.bedtime({ wake: '07:00', targetHours: 8, windDownMin: 7.5 }),
      field: 'windDownMin',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('recovery.sleepTrend (spec §6.11) and recovery.sleepDebt (spec §14)', () => {
  const week = (score: number) => Array<number>(7).fill(score)

  it.for([
    { name: 'better by more than 5', scores: [...week(70), ...week(76)], trend: 'improving' },
    { name: 'worse by more than 5', scores: [...week(80), ...week(74)], trend: 'declining' },
    { name: 'exactly 5 better', scores: [...week(70), ...week(75)], trend: 'stable' },
    { name: 'older nights ignored', scores: [0, 0, ...week(70), ...week(70)], trend: 'stable' },
  ] as const)('$name: $trend', ({ scores, trend }) => {
    expect(recovery.sleepTrend(scores).trend).toBe(trend)
  })

  it('is stable with null means below 14 nights', () => {
    expect(recovery.sleepTrend(week(50))).toEqual({
      trend: 'stable',
      recentMean: null,
      previousMean: null,
    })
  })

  it('reports both weekly means and honours a custom threshold', () => {
    expect(recovery.sleepTrend([...week(70), ...week(73)], { thresholdPoints: 2 })).toEqual({
      trend: 'improving',
      recentMean: 73,
      previousMean: 70,
    })
  })

  it('sums the shortfall of the last nights only', () => {
    expect(recovery.sleepDebt({ nightsHours: [4, 8, 7, 6.5, 9, 8, 7.5, 6] })).toEqual({
      debtHours: 0 + 1 + 1.5 + 0 + 0 + 0.5 + 2,
      nightsCounted: 7,
    })
    expect(recovery.sleepDebt({ nightsHours: [6, 7], targetHours: 7.5, nights: 3 })).toEqual({
      debtHours: 2,
      nightsCounted: 2,
    })
    expect(recovery.sleepDebt({ nightsHours: [] })).toBeNull()
  })

  it.for([
    {
      name: 'a score above 100',
      call: () => recovery.sleepTrend([101]),
      field: 'qualityScores[0]',
    },
    {
      name: 'a negative threshold',
      call: () => recovery.sleepTrend([], { thresholdPoints: -1 }),
      field: 'thresholdPoints',
    },
    {
      name: 'a night over 24 h',
      call: () => recovery.sleepDebt({ nightsHours: [25] }),
      field: 'nightsHours[0]',
    },
    {
      name: 'nights 0',
      call: () => recovery.sleepDebt({ nightsHours: [7], nights: 0 }),
      field: 'nights',
    },
    {
      name: 'target negative',
      call: () => recovery.sleepDebt({ nightsHours: [7], targetHours: -1 }),
      field: 'targetHours',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})
