import { describe, expect, it } from 'vitest'
import { type PatternActivity, patterns } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Passes a value the types forbid, as a JavaScript caller could. */
function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

/** 2024-01-01 is a Monday; `day` counts from it. */
function dateOf(day: number): string {
  const date = new Date(Date.UTC(2024, 0, 1 + day))
  return date.toISOString().slice(0, 10)
}

function run(day: number, fields: Partial<PatternActivity> = {}): PatternActivity {
  return {
    start: `${dateOf(day)}T07:30`,
    durationSec: 3600,
    sport: 'run',
    distanceM: 10_000,
    ...fields,
  }
}

describe('patterns.scheduleConsistency (spec §9.1)', () => {
  it.for([
    { counts: [8, 0, 0, 0, 0, 0, 0], value: 100 },
    { counts: [1, 1, 1, 1, 1, 1, 1], value: 100 / 7 },
    { counts: [3, 0, 3, 0, 2, 0, 0], value: 34.375 },
  ])('$counts → $value', ({ counts, value }) => {
    expect(patterns.scheduleConsistency(counts)).toBeCloseTo(value, 12)
  })

  it('is null without sessions', () => {
    expect(patterns.scheduleConsistency([0, 0, 0, 0, 0, 0, 0])).toBeNull()
  })

  it.for([
    { name: 'six counts', counts: [1, 1, 1, 1, 1, 1], field: 'weekdayCounts' },
    { name: 'a negative count', counts: [1, -1, 1, 1, 1, 1, 1], field: 'weekdayCounts[1]' },
    { name: 'a fractional count', counts: [1, 0.5, 1, 1, 1, 1, 1], field: 'weekdayCounts[1]' },
  ])('throws INVALID_INPUT for $name', ({ counts, field }) => {
    expectInvalidInput(() => patterns.scheduleConsistency(counts), field)
  })
})

describe('patterns.weeklySchedule (spec §9.1)', () => {
  // Mondays and Thursdays for three weeks: 6 sessions over 18 days.
  const twiceWeekly = [0, 3, 7, 10, 14, 17].map((day, index) =>
    run(day, { start: `${dateOf(day)}T${index % 2 === 0 ? '06' : '18'}:15` }),
  )

  it('counts weekdays and hours, and averages sessions per week', () => {
    expect(patterns.weeklySchedule(twiceWeekly)).toEqual({
      weekdayCounts: [3, 0, 0, 3, 0, 0, 0],
      mostCommonDays: ['monday', 'thursday'],
      mostCommonHours: [6, 18],
      consistency: 50,
      avgActivitiesPerWeek: 6 / (18 / 7),
      insufficientData: false,
    })
  })

  it('measures week-over-week regularity on request', () => {
    const result = patterns.weeklySchedule(twiceWeekly, { method: 'weekOverWeek' })
    expect(result.consistency).toBe(100)
    const daily = Array.from({ length: 14 }, (_, day) => run(day))
    expect(patterns.weeklySchedule(daily).consistency).toBeCloseTo(100 / 7, 12)
    expect(patterns.weeklySchedule(daily, { method: 'weekOverWeek' }).consistency).toBe(100)
    const shifting = [0, 1, 7, 8, 15, 16].map((day) => run(day))
    // Week sets {Mon, Tue}, {Mon, Tue}, {Tue, Wed}: Jaccard 1 and 1/3.
    expect(patterns.weeklySchedule(shifting, { method: 'weekOverWeek' }).consistency).toBeCloseTo(
      ((1 + 1 / 3) / 2) * 100,
      12,
    )
  })

  it('treats a gap week as a week without sessions, and one week as unmeasurable', () => {
    const withGap = [0, 1, 2, 14, 15, 16].map((day) => run(day))
    expect(patterns.weeklySchedule(withGap, { method: 'weekOverWeek' }).consistency).toBe(0)
    const oneWeek = [0, 1, 2, 3, 4, 5].map((day) => run(day))
    expect(patterns.weeklySchedule(oneWeek, { method: 'weekOverWeek' }).consistency).toBeNull()
  })

  it('breaks ties by weekday and hour order, whatever the input order', () => {
    const shuffled = [5, 2, 1, 4, 3, 6].map((day) =>
      run(day, { start: `${dateOf(day)}T${10 + day}:00` }),
    )
    const result = patterns.weeklySchedule(shuffled)
    expect(result.mostCommonDays).toEqual(['tuesday', 'wednesday', 'thursday'])
    expect(result.mostCommonHours).toEqual([11, 12])
  })

  it('returns an empty result below 6 activities', () => {
    expect(patterns.weeklySchedule(twiceWeekly.slice(0, 5))).toMatchObject({
      consistency: null,
      avgActivitiesPerWeek: null,
      mostCommonDays: [],
      insufficientData: true,
    })
  })

  it.for([
    {
      name: 'a malformed start',
      activity: run(0, { start: '2024-01-01 7:30' }),
      field: 'activities[0].start',
    },
    {
      name: 'a zoned start',
      activity: run(0, { start: '2024-01-01T07:30Z' }),
      field: 'activities[0].start',
    },
    {
      name: 'an impossible time',
      activity: run(0, { start: '2024-01-01T24:00' }),
      field: 'activities[0].start',
    },
    {
      name: 'a negative duration',
      activity: run(0, { durationSec: -1 }),
      field: 'activities[0].durationSec',
    },
    { name: 'an empty sport', activity: run(0, { sport: '' }), field: 'activities[0].sport' },
    { name: 'HR above 250', activity: run(0, { avgHr: 260 }), field: 'activities[0].avgHr' },
    {
      name: 'a negative distance',
      activity: run(0, { distanceM: -5 }),
      field: 'activities[0].distanceM',
    },
    { name: 'a negative load', activity: run(0, { load: -5 }), field: 'activities[0].load' },
    {
      name: 'power above 2500 W',
      activity: run(0, { averagePower: 2600 }),
      field: 'activities[0].averagePower',
    },
  ])('throws INVALID_INPUT for $name', ({ activity, field }) => {
    expectInvalidInput(() => patterns.weeklySchedule([activity]), field)
  })

  it('throws INVALID_INPUT for an unknown method or a non-array', () => {
    expectInvalidInput(
      () => patterns.weeklySchedule(twiceWeekly, { method: untyped<'weekOverWeek'>('entropy') }),
      'method',
    )
    expectInvalidInput(() => patterns.weeklySchedule(untyped<PatternActivity[]>({})), 'activities')
  })
})

describe('patterns.isHard (spec §9.2)', () => {
  it.for([
    {
      name: 'IF 0.85 from NP',
      activity: run(0, { normalizedPower: 212.5 }),
      profile: { ftp: 250 },
      hard: true,
    },
    {
      name: 'IF 0.8 from NP even with a high average HR',
      activity: run(0, { normalizedPower: 200, averagePower: 240, avgHr: 180 }),
      profile: { ftp: 250, lthr: 170 },
      hard: false,
    },
    {
      name: 'average power when NP is missing',
      activity: run(0, { averagePower: 220 }),
      profile: { ftp: 250 },
      hard: true,
    },
    {
      name: 'HR 90% of LTHR',
      activity: run(0, { avgHr: 153 }),
      profile: { lthr: 170 },
      hard: true,
    },
    {
      name: 'HR below 90% of LTHR',
      activity: run(0, { avgHr: 152 }),
      profile: { lthr: 170 },
      hard: false,
    },
    {
      name: 'HR 80% of max',
      activity: run(0, { avgHr: 152 }),
      profile: { maxHr: 190 },
      hard: true,
    },
    {
      name: 'power without FTP falls back to HR',
      activity: run(0, { averagePower: 300, avgHr: 140 }),
      profile: { maxHr: 190 },
      hard: false,
    },
    { name: 'nothing to compare', activity: run(0, { avgHr: 170 }), profile: {}, hard: null },
  ])('relative: $name → $hard', ({ activity, profile, hard }) => {
    expect(patterns.isHard(activity, profile)).toBe(hard)
  })

  it.for([
    { name: 'HR 151', activity: run(0, { avgHr: 151 }), hard: true },
    { name: 'HR 150', activity: run(0, { avgHr: 150 }), hard: false },
    {
      name: 'over an hour at 3.6 m/s',
      activity: run(0, { durationSec: 3601, distanceM: 3601 * 3.6 }),
      hard: true,
    },
    {
      name: 'an hour at 3.6 m/s',
      activity: run(0, { durationSec: 3600, distanceM: 3600 * 3.6 }),
      hard: false,
    },
    { name: 'no data', activity: run(0, { distanceM: undefined }), hard: false },
  ])('pierre (compat): $name → $hard', ({ activity, hard }) => {
    expect(patterns.isHard(activity, {}, { method: 'pierre' })).toBe(hard)
  })

  it.for([
    { name: 'FTP 0', profile: { ftp: 0 }, options: {}, field: 'ftp' },
    { name: 'LTHR 300', profile: { lthr: 300 }, options: {}, field: 'lthr' },
    { name: 'maxHr NaN', profile: { maxHr: Number.NaN }, options: {}, field: 'maxHr' },
    {
      name: 'profile not an object',
      profile: untyped<object>('fit'),
      options: {},
      field: 'profile',
    },
    {
      name: 'unknown method',
      profile: {},
      options: { method: untyped<'pierre'>('rpe') },
      field: 'method',
    },
  ])('throws INVALID_INPUT for $name', ({ profile, options, field }) => {
    expectInvalidInput(() => patterns.isHard(run(0), profile, options), field)
  })
})

describe('patterns.hardEasyPattern (spec §9.2)', () => {
  const profile = { lthr: 170 }
  const hr = (values: number[]) => values.map((avgHr, day) => run(day, { avgHr }))

  it('detects alternation, in start order whatever the input order', () => {
    const alternating = hr([160, 130, 160, 130, 160, 130])
    const result = patterns.hardEasyPattern([...alternating].reverse(), profile)
    expect(result).toMatchObject({
      patternDetected: true,
      hardPercent: 50,
      easyPercent: 50,
      alternationFraction: 1,
      adequateRecovery: true,
      longestHardRun: 1,
      classifiedCount: 6,
      summary: 'alternating',
      insufficientData: false,
    })
  })

  it.for([
    {
      name: 'too many hard sessions',
      values: [160, 160, 160, 130, 160, 160, 160, 160],
      summary: 'tooManyHard',
      adequate: false,
    },
    {
      name: 'mostly easy',
      values: [130, 130, 130, 130, 130, 130],
      summary: 'mostlyEasy',
      adequate: true,
    },
    {
      name: 'blocks',
      values: [160, 160, 130, 130, 160, 160, 130, 130],
      summary: 'noClearPattern',
      adequate: true,
    },
  ] as const)('$name', ({ values, summary, adequate }) => {
    const result = patterns.hardEasyPattern(hr([...values]), profile)
    expect(result.summary).toBe(summary)
    expect(result.adequateRecovery).toBe(adequate)
    expect(result.patternDetected).toBe(false)
  })

  it('leaves out sessions of unknown intensity', () => {
    const activities = [...hr([160, 130, 160, 130, 160, 130]), run(10), run(11)]
    expect(patterns.hardEasyPattern(activities, profile).classifiedCount).toBe(6)
    expect(patterns.hardEasyPattern(activities, {})).toMatchObject({
      classifiedCount: 0,
      hardPercent: null,
      adequateRecovery: null,
      patternDetected: false,
    })
  })

  it('returns an empty result below 6 activities', () => {
    expect(patterns.hardEasyPattern(hr([160, 130, 160]), profile)).toMatchObject({
      insufficientData: true,
      summary: 'insufficientData',
      hardPercent: null,
    })
  })
})

describe('patterns.weeklyVolumes and patterns.volumeProgression (spec §9.3)', () => {
  it('sums per ISO week, keeping empty weeks as 0', () => {
    const activities = [
      run(0, { distanceM: 10_000, load: 50 }),
      run(6, { distanceM: 5_000, durationSec: 1800, start: `${dateOf(6)}T23:30` }),
      run(7, { distanceM: 12_000, load: 60 }),
      run(21, { distanceM: 8_000, load: 40 }),
      run(22, { distanceM: undefined, sport: 'strength' }),
    ]
    expect(patterns.weeklyVolumes(activities)).toEqual({
      weekStarts: ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'],
      isoWeeks: ['2024-W01', '2024-W02', '2024-W03', '2024-W04'],
      volumes: [15, 12, 0, 8],
      activitiesWithoutMetric: 1,
    })
    expect(patterns.weeklyVolumes(activities, { metric: 'durationHours' }).volumes).toEqual([
      1.5, 1, 0, 2,
    ])
    expect(patterns.weeklyVolumes(activities, { metric: 'load' })).toMatchObject({
      volumes: [50, 60, 0, 40],
      activitiesWithoutMetric: 2,
    })
    expect(patterns.weeklyVolumes([])).toEqual({
      weekStarts: [],
      isoWeeks: [],
      volumes: [],
      activitiesWithoutMetric: 0,
    })
  })

  it('labels ISO weeks across the year boundary', () => {
    const result = patterns.weeklyVolumes([
      run(0, { start: '2020-12-31T08:00' }),
      run(0, { start: '2021-01-04T08:00' }),
    ])
    expect(result.isoWeeks).toEqual(['2020-W53', '2021-W01'])
    expect(result.weekStarts).toEqual(['2020-12-28', '2021-01-04'])
  })

  it.for([
    { volumes: [20, 22, 26, 25], spikes: [2], large: [], trend: 'increasing' },
    { volumes: [30, 0, 30, 34], spikes: [3], large: [], trend: 'increasing' },
    { volumes: [20, 30, 30, 30], spikes: [1], large: [1], trend: 'increasing' },
    { volumes: [40, 38, 30, 20, 20, 20], spikes: [], large: [], trend: 'decreasing' },
    { volumes: [0, 0, 10], spikes: [], large: [], trend: 'increasing' },
    { volumes: [0, 0, 0], spikes: [], large: [], trend: 'stable' },
    { volumes: [10, 20], spikes: [1], large: [1], trend: 'stable' },
    { volumes: [], spikes: [], large: [], trend: 'stable' },
  ] as const)('$volumes → spikes $spikes, trend $trend', ({ volumes, spikes, large, trend }) => {
    const result = patterns.volumeProgression(volumes)
    expect(result.spikeWeeks).toEqual(spikes)
    expect(result.largeSpikeWeeks).toEqual(large)
    expect(result.trend).toBe(trend)
    expect(result.recommendation.length).toBeGreaterThan(0)
  })

  it('honours custom thresholds', () => {
    expect(patterns.volumeProgression([20, 22], { spikeThreshold: 0.05 }).spikeWeeks).toEqual([1])
    expect(
      patterns.volumeProgression([20, 25], { largeSpikeThreshold: 0.2 }).largeSpikeWeeks,
    ).toEqual([1])
  })

  it.for([
    {
      name: 'a negative volume',
      call: () => patterns.volumeProgression([1, -1]),
      field: 'weeklyVolumes[1]',
    },
    {
      name: 'a negative threshold',
      call: () => patterns.volumeProgression([1], { spikeThreshold: -0.1 }),
      field: 'spikeThreshold',
    },
    {
      name: 'an unknown metric',
      call: () => patterns.weeklyVolumes([], { metric: untyped<'load'>('kcal') }),
      field: 'metric',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('patterns.overtrainingSignals (spec §9.4)', () => {
  const profile = { lthr: 170 }
  // Twelve easy runs whose HR creeps up and pace slows: 140 → 151 bpm, 300 → 333 s/km.
  const tiring = Array.from({ length: 12 }, (_, day) =>
    run(day, { avgHr: 140 + day, durationSec: 3000 + 30 * day }),
  )

  it('finds HR drift and pace decline', () => {
    const result = patterns.overtrainingSignals(tiring, profile)
    expect(result.hrDriftPercent).toBeCloseTo((100 * (149.5 - 141.5)) / 141.5, 9)
    expect(result).toMatchObject({
      hrDrift: true,
      performanceDecline: true,
      insufficientRecovery: false,
      riskLevel: 'high',
      sport: 'run',
      insufficientData: false,
    })
    expect(result.paceChangePercent).toBeCloseTo((100 * (0.3255 - 0.3075)) / 0.3075, 9)
    expect(result.warnings).toHaveLength(2)
  })

  it('compares one sport only by default, all with restriction none', () => {
    const rides = Array.from({ length: 6 }, (_, day) =>
      run(day + 6, { sport: 'ride', avgHr: 175, distanceM: 40_000 }),
    )
    const mixed = [...tiring.slice(0, 6).map((activity) => ({ ...activity, avgHr: 140 })), ...rides]
    expect(patterns.overtrainingSignals(mixed, profile).hrDrift).toBe(false)
    const everything = patterns.overtrainingSignals(mixed, profile, { restriction: 'none' })
    expect(everything.hrDrift).toBe(true)
    expect(everything.sport).toBeNull()
    expect(patterns.overtrainingSignals(mixed, profile, { sport: 'ride' }).sport).toBe('ride')
  })

  it('flags 4 hard sessions in a row', () => {
    const hard = [160, 160, 160, 160, 130, 130].map((avgHr, day) => run(day, { avgHr }))
    expect(patterns.overtrainingSignals(hard, profile)).toMatchObject({
      insufficientRecovery: true,
      longestHardRun: 4,
      riskLevel: 'moderate',
    })
  })

  it('leaves hard sessions out of the pace comparison by default', () => {
    const intervals = tiring.map((activity, day) =>
      day >= 6 ? { ...activity, avgHr: 165, durationSec: 3000 } : { ...activity, avgHr: 140 },
    )
    const result = patterns.overtrainingSignals(intervals, profile)
    expect(result.paceChangePercent).toBeNull()
    expect(
      patterns.overtrainingSignals(intervals, profile, { restriction: 'none' }).paceChangePercent,
    ).not.toBeNull()
  })

  it('returns no signals below 6 activities', () => {
    expect(patterns.overtrainingSignals(tiring.slice(0, 5), profile)).toMatchObject({
      insufficientData: true,
      riskLevel: 'low',
      hrDriftPercent: null,
    })
  })

  it.for([
    {
      name: 'an unknown restriction',
      options: { restriction: untyped<'none'>('all') },
      field: 'restriction',
    },
    { name: 'an empty sport', options: { sport: '' }, field: 'sport' },
    { name: 'an unknown method', options: { method: untyped<'pierre'>('rpe') }, field: 'method' },
  ])('throws INVALID_INPUT for $name', ({ options, field }) => {
    expectInvalidInput(() => patterns.overtrainingSignals(tiring, profile, options), field)
  })
})

describe('patterns.consecutiveTrainingDays and patterns.trainingGaps (spec §9.5)', () => {
  it.for([
    {
      name: 'ending today',
      dates: ['2024-03-01', '2024-03-02', '2024-03-03'],
      asOf: '2024-03-03',
      streak: 3,
    },
    {
      name: 'ending yesterday',
      dates: ['2024-03-01', '2024-03-02'],
      asOf: '2024-03-03',
      streak: 2,
    },
    {
      name: 'two sessions on a day count once',
      dates: ['2024-03-02T07:00', '2024-03-02T18:00', '2024-03-03'],
      asOf: '2024-03-03',
      streak: 2,
    },
    {
      name: 'a missing day ends the streak',
      dates: ['2024-03-01', '2024-03-03'],
      asOf: '2024-03-03',
      streak: 1,
    },
    { name: 'nothing since two days ago', dates: ['2024-03-01'], asOf: '2024-03-03', streak: 0 },
    {
      name: 'dates after asOf are ignored',
      dates: ['2024-03-04', '2024-03-02'],
      asOf: '2024-03-03',
      streak: 1,
    },
    {
      name: 'across a leap day',
      dates: ['2024-02-28', '2024-02-29', '2024-03-01'],
      asOf: '2024-03-01',
      streak: 3,
    },
    { name: 'no activities', dates: [], asOf: '2024-03-03', streak: 0 },
  ])('$name: $streak', ({ dates, asOf, streak }) => {
    expect(patterns.consecutiveTrainingDays(dates, asOf)).toBe(streak)
  })

  it('lists gaps of more than 7 days, warnings above 14', () => {
    expect(
      patterns.trainingGaps(['2024-01-20', '2024-01-01', '2024-01-05', '2024-01-12', '2024-02-10']),
    ).toEqual([
      { from: '2024-01-12', to: '2024-01-20', days: 8, severity: 'info' },
      { from: '2024-01-20', to: '2024-02-10', days: 21, severity: 'warning' },
    ])
    expect(patterns.trainingGaps(['2024-01-01', '2024-01-08'])).toEqual([])
    expect(
      patterns.trainingGaps(['2024-01-01', '2024-01-05'], { infoDays: 3, warningDays: 3 }),
    ).toEqual([{ from: '2024-01-01', to: '2024-01-05', days: 4, severity: 'warning' }])
  })

  it.for([
    {
      name: 'a malformed asOf',
      call: () => patterns.consecutiveTrainingDays([], '03/03/2024'),
      field: 'asOf',
    },
    {
      name: 'a malformed date',
      call: () => patterns.consecutiveTrainingDays(['2024-13-01'], '2024-03-03'),
      field: 'activityDates[0]',
    },
    {
      name: 'dates not an array',
      call: () => patterns.trainingGaps(untyped<string[]>('2024-01-01')),
      field: 'activityDates',
    },
    {
      name: 'warningDays below infoDays',
      call: () => patterns.trainingGaps([], { warningDays: 3 }),
      field: 'warningDays',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})
