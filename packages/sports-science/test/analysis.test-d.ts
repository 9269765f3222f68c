import { describe, expectTypeOf, it } from 'vitest'
import {
  type ConfidenceLevel,
  type Feasibility,
  type FitnessCombination,
  fitness,
  type GoalProgress,
  goals,
  type HardEasyPattern,
  type HrvAssessment,
  type HrvStatus,
  type LinearRegression,
  type ProfileValidation,
  patterns,
  type RecoveryScore,
  type RegressionInterval,
  recovery,
  type ScoreCategory,
  type SleepQuality,
  stats,
  type TrainingReadiness,
  validation,
} from '../src/index.js'

describe('public types of recovery, stats, patterns, goals, fitness and validation', () => {
  it('pins the result types the spec names (§13.1)', () => {
    expectTypeOf(recovery.sleepDurationScore).returns.toEqualTypeOf<number>()
    expectTypeOf(recovery.sleepStageScore).returns.toEqualTypeOf<number | null>()
    expectTypeOf(recovery.sleepQuality).returns.toEqualTypeOf<SleepQuality>()
    expectTypeOf(recovery.hrvStatus).returns.toEqualTypeOf<HrvAssessment>()
    expectTypeOf(recovery.score).returns.toEqualTypeOf<RecoveryScore>()
    expectTypeOf(recovery.readiness).returns.toEqualTypeOf<TrainingReadiness>()
    expectTypeOf(stats.linearRegression).returns.toEqualTypeOf<LinearRegression | null>()
    expectTypeOf(stats.regressionInterval).returns.toEqualTypeOf<RegressionInterval | null>()
    expectTypeOf(stats.sma).returns.toEqualTypeOf<(number | null)[]>()
    expectTypeOf(stats.confidenceLevel).returns.toEqualTypeOf<ConfidenceLevel>()
    expectTypeOf(patterns.scheduleConsistency).returns.toEqualTypeOf<number | null>()
    expectTypeOf(patterns.hardEasyPattern).returns.toEqualTypeOf<HardEasyPattern>()
    expectTypeOf(goals.feasibility).returns.toEqualTypeOf<Feasibility>()
    expectTypeOf(goals.progress).returns.toEqualTypeOf<GoalProgress>()
    expectTypeOf(fitness.combine).returns.toEqualTypeOf<FitnessCombination>()
    expectTypeOf(fitness.applyRecoveryAdjustment).returns.toEqualTypeOf<number>()
    expectTypeOf(validation.validateProfile).returns.toEqualTypeOf<ProfileValidation>()
  })

  it('closes the unions', () => {
    expectTypeOf<ScoreCategory>().toEqualTypeOf<'excellent' | 'good' | 'fair' | 'poor'>()
    expectTypeOf<HrvStatus>().toEqualTypeOf<
      'recovered' | 'normal' | 'fatigued' | 'highlyFatigued'
    >()
    expectTypeOf<ConfidenceLevel>().toEqualTypeOf<'low' | 'medium' | 'high' | 'veryHigh'>()
    expectTypeOf<TrainingReadiness>().toEqualTypeOf<
      'readyForHard' | 'readyForModerate' | 'easyOnly' | 'restNeeded'
    >()
  })

  it('rejects unknown option values at compile time', () => {
    // @ts-expect-error 'median' is not an aggregation method
    recovery.aggregate({ tsb: 50, sleep: 50 }, { method: 'median' })
    // @ts-expect-error 'old' is not a TSB score variant
    recovery.tsbScore(0, { variant: 'old' })
    // @ts-expect-error 60 is not an analysis window
    fitness.score([], {}, { to: '2024-01-01', window: 60 })
  })
})
