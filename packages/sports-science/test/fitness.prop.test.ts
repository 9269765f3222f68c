import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { fitness, validation } from '../src/index.js'

const score = fc.double({ min: 0, max: 100, noNaN: true })

describe('fitness and validation properties (spec §11, §12)', () => {
  test.prop([
    fc.record({
      ctl: fc.double({ min: 0, max: 1e6, noNaN: true }),
      consistencyScore: score,
      performanceScore: score,
    }),
  ])('the combined score is finite, in [0, 100], and does not fall when CTL rises', (args) => {
    const result = fitness.combine(args)
    expect(result.score).toBeGreaterThanOrEqual(0)
    expect(result.score).toBeLessThanOrEqual(100)
    expect(fitness.combine({ ...args, ctl: args.ctl + 10 }).score).toBeGreaterThanOrEqual(
      result.score,
    )
  })

  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])(
    'performanceScore is in [0, 100] and monotone',
    (improvement) => {
      const value = fitness.performanceScore(improvement)
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThanOrEqual(100)
      expect(
        fitness.performanceScore(Math.min(Number.MAX_VALUE, improvement + 1)),
      ).toBeGreaterThanOrEqual(value)
    },
  )

  test.prop([fc.record({ score, sleepScore: score })])(
    'the recovery adjustment is an integer from 0 to 105',
    (args) => {
      const adjusted = fitness.applyRecoveryAdjustment(args)
      expect(Number.isInteger(adjusted)).toBe(true)
      expect(adjusted).toBeGreaterThanOrEqual(0)
      expect(adjusted).toBeLessThanOrEqual(105)
    },
  )

  test.prop([
    fc.record(
      {
        maxHr: fc.double({ noNaN: false }),
        restingHr: fc.double({ min: 0, max: 300 }),
        lthr: fc.double({ min: 0, max: 300 }),
        ftp: fc.double({ min: 0, max: 1000 }),
        ageYears: fc.integer({ min: 0, max: 150 }),
      },
      { requiredKeys: [] },
    ),
  ])(
    'validation never throws for field values and is valid exactly when there is no error',
    (profile) => {
      const result = validation.validateProfile(profile)
      expect(result.valid).toBe(result.errors.length === 0)
      for (const issue of [...result.errors, ...result.warnings]) {
        expect(issue.message.startsWith(issue.field)).toBe(true)
      }
    },
  )
})
