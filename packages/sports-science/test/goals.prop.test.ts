import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { type GoalDefinition, goals } from '../src/index.js'

const level = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true }))
const value = fc.double({ min: 0, max: 1e5, noNaN: true })
const goal: fc.Arbitrary<GoalDefinition> = fc
  .record({
    targetValue: fc.double({ min: 1, max: 1e4, noNaN: true }),
    baselineExtra: fc.option(fc.double({ min: 1, max: 1e4, noNaN: true }), { nil: undefined }),
    direction: fc.constantFrom('higherIsBetter', 'lowerIsBetter' as const),
  })
  .map(({ targetValue, baselineExtra, direction }) => ({
    targetValue,
    createdDate: '2024-01-01',
    targetDate: '2024-06-30',
    direction,
    baselineValue: baselineExtra === undefined ? undefined : targetValue + baselineExtra,
  }))

describe('goal properties (spec §10)', () => {
  test.prop([goal, value, value])(
    'progress is monotone in the achieved value and stays in [0, 100]',
    (definition, a, b) => {
      const [low, high] = a <= b ? [a, b] : [b, a]
      const lowPercent = goals.progress(definition, low, '2024-03-01').percent ?? Number.NaN
      const highPercent = goals.progress(definition, high, '2024-03-01').percent ?? Number.NaN
      for (const percent of [lowPercent, highPercent]) {
        expect(percent).toBeGreaterThanOrEqual(0)
        expect(percent).toBeLessThanOrEqual(100)
      }
      if (definition.direction === 'lowerIsBetter')
        expect(highPercent).toBeLessThanOrEqual(lowPercent)
      else expect(highPercent).toBeGreaterThanOrEqual(lowPercent)
    },
  )

  test.prop([
    fc.record({
      currentLevel: level,
      targetValue: level,
      timeframeDays: fc.double({ min: 0.01, max: 2000, noNaN: true }),
    }),
    fc.double({ min: 0, max: 1e5, noNaN: true }),
  ])('feasibility is finite, in [0, 100], and never rises with a harder target', (args, harder) => {
    const base = goals.feasibility(args)
    const harderResult = goals.feasibility({ ...args, targetValue: args.targetValue + harder })
    for (const result of [base, harderResult]) {
      expect(
        Object.values(result).every((item) => typeof item !== 'number' || Number.isFinite(item)),
      ).toBe(true)
      expect(result.feasibilityScore).toBeGreaterThanOrEqual(0)
      expect(result.feasibilityScore).toBeLessThanOrEqual(100)
      expect(result.feasible).toBe(result.feasibilityScore >= 50)
    }
    expect(harderResult.feasibilityScore).toBeLessThanOrEqual(base.feasibilityScore)
  })
})
