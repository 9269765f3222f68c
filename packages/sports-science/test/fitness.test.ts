import { describe, expect, it } from 'vitest'
import { fitness, type PatternActivity } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Passes a value the types forbid, as a JavaScript caller could. */
function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

function dateOf(day: number): string {
  return new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10)
}

describe('fitness.combine, performanceScore, applyRecoveryAdjustment (spec §11)', () => {
  it.for([
    {
      args: { ctl: 75, consistencyScore: 80, performanceScore: 60 },
      ctlScore: 50,
      score: 62,
      level: 'Good',
    },
    {
      args: { ctl: 200, consistencyScore: 100, performanceScore: 100 },
      ctlScore: 100,
      score: 100,
      level: 'Excellent',
    },
    {
      args: { ctl: 0, consistencyScore: 0, performanceScore: 0 },
      ctlScore: 0,
      score: 0,
      level: 'Beginner',
    },
    {
      args: { ctl: 75, consistencyScore: 40, performanceScore: 20 },
      ctlScore: 50,
      score: 38,
      level: 'Developing',
    },
    {
      args: { ctl: 150, consistencyScore: 0, performanceScore: 0 },
      ctlScore: 100,
      score: 40,
      level: 'Moderate',
    },
  ])('CTL $args.ctl → $score ($level)', ({ args, ctlScore, score, level }) => {
    const result = fitness.combine(args)
    expect(result.ctlScore).toBeCloseTo(ctlScore, 12)
    expect(result.score).toBeCloseTo(score, 12)
    expect(result.level).toBe(level)
  })

  it.for([
    { improvement: 4, score: 70 },
    { improvement: -12, score: 0 },
    { improvement: 25, score: 100 },
    { improvement: 0, score: 50 },
  ])('pace improvement $improvement% scores $score', ({ improvement, score }) => {
    expect(fitness.performanceScore(improvement)).toBeCloseTo(score, 12)
  })

  it.for([
    { score: 62, sleepScore: 92, adjusted: 65 },
    { score: 62, sleepScore: 70, adjusted: 62 },
    { score: 62, sleepScore: 69.9, adjusted: 59 },
    { score: 62, sleepScore: 49, adjusted: 56 },
    { score: 10, sleepScore: 95, adjusted: 11 },
    { score: 50, sleepScore: 40, adjusted: 45 },
  ])('score $score with sleep $sleepScore → $adjusted', ({ score, sleepScore, adjusted }) => {
    expect(fitness.applyRecoveryAdjustment({ score, sleepScore })).toBe(adjusted)
  })

  it.for([
    {
      name: 'negative CTL',
      call: () => fitness.combine({ ctl: -1, consistencyScore: 0, performanceScore: 0 }),
      field: 'ctl',
    },
    {
      name: 'consistency above 100',
      call: () => fitness.combine({ ctl: 1, consistencyScore: 101, performanceScore: 0 }),
      field: 'consistencyScore',
    },
    {
      name: 'performance NaN',
      call: () => fitness.combine({ ctl: 1, consistencyScore: 1, performanceScore: Number.NaN }),
      field: 'performanceScore',
    },
    {
      name: 'improvement Infinity',
      call: () => fitness.performanceScore(Number.POSITIVE_INFINITY),
      field: 'paceImprovementPercent',
    },
    {
      name: 'score above 100',
      call: () => fitness.applyRecoveryAdjustment({ score: 101, sleepScore: 50 }),
      field: 'score',
    },
    {
      name: 'sleep negative',
      call: () => fitness.applyRecoveryAdjustment({ score: 50, sleepScore: -1 }),
      field: 'sleepScore',
    },
  ])('throws INVALID_INPUT for $name', ({ call, field }) => {
    expectInvalidInput(call, field)
  })
})

describe('fitness.consistencyScore and fitness.paceImprovementPercent (spec §11)', () => {
  it.for([
    { name: 'three a week for three weeks', days: [0, 2, 4, 7, 9, 11, 14, 16, 18], score: 100 },
    { name: 'one full week of three', days: [0, 2, 4, 7, 14], score: 100 / 3 },
    { name: 'a single day', days: [0], score: 0 },
    { name: 'three sessions one day', days: [3, 3, 3], score: 100 },
    { name: 'none', days: [], score: 0 },
  ])('$name → $score', ({ days, score }) => {
    expect(fitness.consistencyScore(days.map(dateOf))).toBeCloseTo(score, 12)
  })

  it('compares mean pace of the earlier and later halves of the main sport, in start order', () => {
    const runs: PatternActivity[] = [330, 320, 300, 290].map((secPerKm, day) => ({
      start: `${dateOf(day)}T07:00`,
      durationSec: secPerKm * 10,
      distanceM: 10_000,
      sport: 'run',
    }))
    const ride: PatternActivity = {
      start: `${dateOf(5)}T07:00`,
      durationSec: 3600,
      distanceM: 30_000,
      sport: 'ride',
    }
    const improvement = (100 * (0.325 - 0.295)) / 0.325
    expect(fitness.paceImprovementPercent([...runs].reverse())).toBeCloseTo(improvement, 12)
    expect(fitness.paceImprovementPercent([...runs, ride])).toBeCloseTo(improvement, 12)
    expect(fitness.paceImprovementPercent(runs.slice(0, 3))).toBeNull()
  })

  it('throws INVALID_INPUT for a malformed date', () => {
    expectInvalidInput(() => fitness.consistencyScore(['2024/01/01']), 'activityDates[0]')
    expectInvalidInput(() => fitness.consistencyScore(untyped<string[]>(null)), 'activityDates')
  })
})

describe('fitness.score (spec §11)', () => {
  // Runs on Mon/Wed/Fri for six weeks, 100 TSS each, getting a little faster and longer.
  const history: PatternActivity[] = Array.from({ length: 18 }, (_, index) => {
    const day = Math.floor(index / 3) * 7 + (index % 3) * 2
    return {
      start: `${dateOf(day)}T07:00`,
      durationSec: 3600 + 60 * index,
      distanceM: 12_000 + 100 * index,
      sport: 'run',
      load: 100,
    }
  })

  it('combines CTL on `to`, consistency and pace over the window', () => {
    const result = fitness.score(history, {}, { to: '2024-02-11' })
    expect(result.activitiesInWindow).toBe(12)
    expect(result.consistencyScore).toBe(100)
    expect(result.ctl).toBeGreaterThan(0)
    expect(result.ctlScore).toBeCloseTo((result.ctl / 150) * 100, 12)
    expect(result.paceImprovementPercent).not.toBeNull()
    expect(result.performanceScore).toBeCloseTo(
      fitness.performanceScore(result.paceImprovementPercent ?? 0),
      12,
    )
    expect(result.score).toBeCloseTo(
      0.4 * result.ctlScore + 0.3 * result.consistencyScore + 0.3 * result.performanceScore,
      12,
    )
    expect(result.trend).toBe('stable')
    expect(result.adjustedScore).toBeNull()
    expect(result.activitiesWithoutLoad).toBe(0)
  })

  it('decays CTL with rest up to `to` and ignores later activities', () => {
    const soon = fitness.score(history, {}, { to: '2024-02-11' })
    const later = fitness.score(history, {}, { to: '2024-03-31', window: 90 })
    expect(later.ctl).toBeLessThan(soon.ctl)
    const before = fitness.score(history, {}, { to: '2024-01-10' })
    expect(before.activitiesInWindow).toBe(5)
  })

  it('computes missing loads from the profile and applies the recovery adjustment', () => {
    const withoutLoads = history.map(({ load: _load, ...rest }) => ({
      ...rest,
      normalizedPower: 200,
    }))
    const result = fitness.score(withoutLoads, { ftp: 250 }, { to: '2024-02-11', sleepScore: 95 })
    expect(result.activitiesWithoutLoad).toBe(0)
    expect(result.ctl).toBeGreaterThan(0)
    expect(result.adjustedScore).toBe(Math.floor(result.score * 1.05 + 0.5))
    const unknown = fitness.score(
      withoutLoads.map(({ normalizedPower: _power, ...rest }) => rest),
      {},
      { to: '2024-02-11' },
    )
    expect(unknown.activitiesWithoutLoad).toBe(18)
    expect(unknown.ctl).toBe(0)
  })

  it('reports performance 50 and a stable trend with little data', () => {
    const result = fitness.score(history.slice(0, 2), {}, { to: '2024-01-05' })
    expect(result.performanceScore).toBe(50)
    expect(result.paceImprovementPercent).toBeNull()
    expect(fitness.score([], {}, { to: '2024-01-05' })).toMatchObject({
      ctl: 0,
      consistencyScore: 0,
      trend: 'stable',
    })
  })

  it.for([
    { name: 'a missing `to`', options: untyped<{ to: string }>({}), field: 'to' },
    { name: 'window 60', options: { to: '2024-02-11', window: untyped<30>(60) }, field: 'window' },
    {
      name: 'sleepScore above 100',
      options: { to: '2024-02-11', sleepScore: 120 },
      field: 'sleepScore',
    },
  ])('throws INVALID_INPUT for $name', ({ options, field }) => {
    expectInvalidInput(() => fitness.score(history, {}, options), field)
  })
})
