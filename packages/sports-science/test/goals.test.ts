import { describe, expect, it } from 'vitest'
import { type GoalDefinition, goals } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Passes a value the types forbid, as a JavaScript caller could. */
function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

describe('goals.feasibility (spec §10.1)', () => {
  it.for([
    {
      name: 'within the safe rate',
      args: { currentLevel: 100, targetValue: 115, timeframeDays: 90 },
      expected: {
        feasibilityScore: 90,
        improvementRequiredPercent: 15,
        safeCapacityPercent: 30,
        feasible: true,
        adjustedTarget: 130,
        adjustedTimeframeDays: 45,
      },
    },
    {
      name: 'exactly the safe capacity',
      args: { currentLevel: 100, targetValue: 130, timeframeDays: 90 },
      expected: { feasibilityScore: 80, feasible: true, adjustedTimeframeDays: 90 },
    },
    {
      name: 'beyond the safe rate',
      args: { currentLevel: 100, targetValue: 140, timeframeDays: 90 },
      expected: { feasibilityScore: 80 - 40 / 3, feasible: true },
    },
    {
      name: 'far beyond the safe rate',
      args: { currentLevel: 100, targetValue: 160, timeframeDays: 60 },
      expected: {
        feasibilityScore: 0,
        improvementRequiredPercent: 60,
        safeCapacityPercent: 20,
        feasible: false,
        adjustedTimeframeDays: 180,
      },
    },
    {
      name: 'already met',
      args: { currentLevel: 120, targetValue: 110, timeframeDays: 30 },
      expected: { feasibilityScore: 100, feasible: true, adjustedTimeframeDays: 0 },
    },
    {
      name: 'from zero (reference: 100% required)',
      args: { currentLevel: 0, targetValue: 50, timeframeDays: 300 },
      expected: {
        improvementRequiredPercent: 100,
        safeCapacityPercent: 100,
        feasibilityScore: 80,
        adjustedTarget: 0,
      },
    },
    {
      name: 'a timeframe above 365 days is capped',
      args: { currentLevel: 100, targetValue: 200, timeframeDays: 1000 },
      expected: { safeCapacityPercent: (10 * 365) / 30, timeframeDays: 365 },
    },
    {
      name: 'a custom safe rate',
      args: { currentLevel: 100, targetValue: 110, timeframeDays: 30, safeMonthlyRatePercent: 5 },
      expected: { safeCapacityPercent: 5, feasibilityScore: 40, feasible: false },
    },
  ])('$name', ({ args, expected }) => {
    const result = goals.feasibility(args)
    for (const [key, value] of Object.entries(expected)) {
      const actual = result[key as keyof typeof result]
      if (typeof value === 'number') expect(actual).toBeCloseTo(value, 9)
      else expect(actual).toBe(value)
    }
  })

  it.for([
    {
      name: 'negative current level',
      args: { currentLevel: -1, targetValue: 1, timeframeDays: 1 },
      field: 'currentLevel',
    },
    {
      name: 'NaN target',
      args: { currentLevel: 1, targetValue: Number.NaN, timeframeDays: 1 },
      field: 'targetValue',
    },
    {
      name: 'zero timeframe',
      args: { currentLevel: 1, targetValue: 2, timeframeDays: 0 },
      field: 'timeframeDays',
    },
    {
      name: 'zero safe rate',
      args: { currentLevel: 1, targetValue: 2, timeframeDays: 1, safeMonthlyRatePercent: 0 },
      field: 'safeMonthlyRatePercent',
    },
    {
      name: 'an overflowing ratio',
      args: { currentLevel: 1e-320, targetValue: 1e300, timeframeDays: 1 },
      field: 'targetValue',
    },
  ])('throws INVALID_INPUT for $name', ({ args, field }) => {
    expectInvalidInput(() => goals.feasibility(args), field)
  })
})

describe('goals.distanceFeasibility (spec §10.1)', () => {
  const weekly = (weeks: number, distanceM: number) =>
    Array.from({ length: weeks * 3 }, (_, index) => ({
      date: new Date(Date.UTC(2024, 0, 1 + Math.floor(index / 3) * 7 + (index % 3) * 2))
        .toISOString()
        .slice(0, 10),
      distanceM,
    }))

  it('projects recent volume over the timeframe', () => {
    // 4 weeks of 3 × 10 km from Monday 1 January to Friday 26 January: span 26 days.
    const result = goals.distanceFeasibility({
      activities: weekly(4, 10_000),
      targetDistanceM: 300_000,
      timeframeDays: 70,
    })
    const projected = (120_000 * 70) / (7 * (26 / 7))
    expect(result.trainingWeeks).toBeCloseTo(26 / 7, 12)
    expect(result.projectedDistanceM).toBeCloseTo(projected, 6)
    expect(result.improvementRequiredPercent).toBeCloseTo(
      (100 * (300_000 - projected)) / projected,
      9,
    )
    expect(result.confidenceFraction).toBe(0.7)
    expect(result.atRisk).toBe(false)
  })

  it.for([
    { count: 0, weeks: 4, confidence: 0.5, atRisk: true },
    { count: 1, weeks: 4, confidence: 0.5, atRisk: true },
    { count: 21, weeks: 7, confidence: 0.9, atRisk: false },
  ])(
    '$count activities: $weeks training weeks, confidence $confidence',
    ({ count, confidence, atRisk }) => {
      const activities = weekly(7, 10_000).slice(0, count)
      const result = goals.distanceFeasibility({
        activities,
        targetDistanceM: 200_000,
        timeframeDays: 42,
      })
      expect(result.confidenceFraction).toBe(confidence)
      expect(result.atRisk).toBe(atRisk)
      if (count < 2) expect(result.trainingWeeks).toBe(4)
    },
  )

  it.for([
    {
      name: 'a malformed date',
      args: {
        activities: [{ date: '2024-1-1', distanceM: 1 }],
        targetDistanceM: 1,
        timeframeDays: 1,
      },
      field: 'activities[0].date',
    },
    {
      name: 'a negative distance',
      args: {
        activities: [{ date: '2024-01-01', distanceM: -1 }],
        targetDistanceM: 1,
        timeframeDays: 1,
      },
      field: 'activities[0].distanceM',
    },
    {
      name: 'a zero target',
      args: { activities: [], targetDistanceM: 0, timeframeDays: 1 },
      field: 'targetDistanceM',
    },
    {
      name: 'activities not an array',
      args: { activities: untyped<[]>(null), targetDistanceM: 1, timeframeDays: 1 },
      field: 'activities',
    },
    {
      name: 'a bad timeframe',
      args: { activities: [], targetDistanceM: 1, timeframeDays: -1 },
      field: 'timeframeDays',
    },
  ])('throws INVALID_INPUT for $name', ({ args, field }) => {
    expectInvalidInput(() => goals.distanceFeasibility(args), field)
  })
})

describe('goals.progress (spec §10.2)', () => {
  const volumeGoal: GoalDefinition = {
    targetValue: 200,
    createdDate: '2024-01-01',
    targetDate: '2024-04-10',
  }
  const raceGoal: GoalDefinition = {
    targetValue: 2400,
    createdDate: '2024-01-01',
    targetDate: '2024-04-10',
    direction: 'lowerIsBetter',
    baselineValue: 2700,
  }

  it('measures a higher-is-better goal with milestones and a completion estimate', () => {
    expect(goals.progress(volumeGoal, 110, '2024-02-20')).toEqual({
      percent: 55,
      milestonesReached: [25, 50],
      expectedPercent: 50,
      onTrack: true,
      completionEstimate: '2024-04-01',
      elapsedDays: 50,
      totalDays: 100,
    })
  })

  it.for([
    { name: 'halfway from the baseline', goal: raceGoal, value: 2550, percent: 50 },
    { name: 'faster than the target', goal: raceGoal, value: 2300, percent: 100 },
    { name: 'slower than the baseline', goal: raceGoal, value: 2800, percent: 0 },
    {
      name: 'without baseline, not there yet',
      goal: { ...raceGoal, baselineValue: undefined },
      value: 3000,
      percent: 80,
    },
    {
      name: 'without baseline, reached',
      goal: { ...raceGoal, baselineValue: undefined },
      value: 2400,
      percent: 100,
    },
    { name: 'higher is better, beyond the target', goal: volumeGoal, value: 250, percent: 100 },
  ])('lower/higher is better: $name → $percent%', ({ goal, value, percent }) => {
    expect(goals.progress(goal, value, '2024-02-01').percent).toBeCloseTo(percent, 12)
  })

  it('reports null progress, not 100%, without a qualifying activity', () => {
    expect(goals.progress(raceGoal, null, '2024-02-01')).toMatchObject({
      percent: null,
      milestonesReached: [],
      onTrack: null,
      completionEstimate: null,
    })
  })

  it('is behind schedule when more than 10 points below expected, and caps expected at 100', () => {
    expect(goals.progress(volumeGoal, 70, '2024-02-20').onTrack).toBe(false)
    expect(goals.progress(volumeGoal, 0, '2024-02-20').completionEstimate).toBeNull()
    const late = goals.progress(volumeGoal, 150, '2024-06-01')
    expect(late.expectedPercent).toBe(100)
    expect(goals.progress(volumeGoal, 150, '2023-12-01').elapsedDays).toBe(0)
  })

  it.for([
    {
      name: 'target 0',
      goal: { ...volumeGoal, targetValue: 0 },
      value: 1,
      asOf: '2024-02-01',
      field: 'targetValue',
    },
    {
      name: 'due before created',
      goal: { ...volumeGoal, targetDate: '2023-12-01' },
      value: 1,
      asOf: '2024-02-01',
      field: 'targetDate',
    },
    {
      name: 'a malformed created date',
      goal: { ...volumeGoal, createdDate: 'yesterday' },
      value: 1,
      asOf: '2024-02-01',
      field: 'createdDate',
    },
    {
      name: 'an unknown direction',
      goal: { ...volumeGoal, direction: untyped<'lowerIsBetter'>('up') },
      value: 1,
      asOf: '2024-02-01',
      field: 'direction',
    },
    {
      name: 'baseline below the target of a time goal',
      goal: { ...raceGoal, baselineValue: 2300 },
      value: 1,
      asOf: '2024-02-01',
      field: 'baselineValue',
    },
    {
      name: 'a negative value',
      goal: volumeGoal,
      value: -1,
      asOf: '2024-02-01',
      field: 'currentValue',
    },
    { name: 'a malformed asOf', goal: volumeGoal, value: 1, asOf: '2024-02-30', field: 'asOf' },
    {
      name: 'goal not an object',
      goal: untyped<GoalDefinition>(7),
      value: 1,
      asOf: '2024-02-01',
      field: 'goal',
    },
  ])('throws INVALID_INPUT for $name', ({ goal, value, asOf, field }) => {
    expectInvalidInput(() => goals.progress(goal, value, asOf), field)
  })
})

describe('goals.adjustment (spec §10.3)', () => {
  const goal: GoalDefinition = {
    targetValue: 200,
    createdDate: '2024-01-01',
    targetDate: '2024-04-10',
  }
  const race: GoalDefinition = {
    targetValue: 2400,
    createdDate: '2024-01-01',
    targetDate: '2024-04-10',
    direction: 'lowerIsBetter',
    baselineValue: 2700,
  }

  it.for([
    { name: 'too early to judge', value: 150, asOf: '2024-01-20', action: 'none', target: null },
    { name: 'well ahead', value: 140, asOf: '2024-02-10', action: 'raiseTarget', target: 240 },
    { name: 'on pace', value: 80, asOf: '2024-02-10', action: 'none', target: null },
    {
      name: 'behind with time left',
      value: 40,
      asOf: '2024-02-10',
      action: 'lowerTarget',
      target: 160,
    },
  ] as const)('$name → $action', ({ value, asOf, action, target }) => {
    const result = goals.adjustment(goal, goals.progress(goal, value, asOf))
    expect(result.action).toBe(action)
    expect(result.suggestedTarget).toBe(target)
  })

  it('extends the deadline when behind with 30 days or less left', () => {
    const result = goals.adjustment(goal, goals.progress(goal, 100, '2024-03-20'))
    expect(result).toEqual({
      action: 'extendDeadline',
      ratio: 50 / 79,
      suggestedTarget: null,
      suggestedTargetDate: '2024-06-07',
    })
  })

  it('scales the improvement asked of a lower-is-better goal', () => {
    const ahead = goals.adjustment(race, goals.progress(race, 2450, '2024-02-10'))
    expect(ahead.action).toBe('raiseTarget')
    expect(ahead.suggestedTarget).toBeCloseTo(2700 - 1.2 * 300, 9)
    const withoutBaseline = { ...race, baselineValue: undefined }
    const behind = goals.adjustment(
      withoutBaseline,
      goals.progress(withoutBaseline, 10_000, '2024-02-10'),
    )
    expect(behind).toMatchObject({ action: 'lowerTarget', suggestedTarget: null })
  })

  it('suggests nothing without progress data', () => {
    expect(goals.adjustment(goal, goals.progress(goal, null, '2024-03-01')).action).toBe('none')
  })

  it.for([
    {
      name: 'progress not an object',
      progress: untyped<ReturnType<typeof goals.progress>>(null),
      field: 'progress',
    },
    {
      name: 'a percent above 100',
      progress: { ...goals.progress(goal, 100, '2024-03-01'), percent: 120 },
      field: 'progress.percent',
    },
  ])('throws INVALID_INPUT for $name', ({ progress, field }) => {
    expectInvalidInput(() => goals.adjustment(goal, progress), field)
  })
})
