import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import {
  type ActivityLevel,
  type BmrMethod,
  type CarbTargetMethod,
  type FatMethod,
  isSportsScienceError,
  type MealTiming,
  type NutritionGoal,
  nutrition,
  type Sex,
  type WorkoutIntensity,
} from '../src/index.js'

const sex = fc.constantFrom<Sex>('male', 'female')
const activityLevel = fc.constantFrom<ActivityLevel>(
  'sedentary',
  'lightlyActive',
  'moderatelyActive',
  'veryActive',
  'extraActive',
)
const goal = fc.constantFrom<NutritionGoal>(
  'maintenance',
  'weightLoss',
  'muscleGain',
  'strength',
  'endurancePerformance',
)
const intensity = fc.constantFrom<WorkoutIntensity>('low', 'moderate', 'high')
const mealTiming = fc.constantFrom<MealTiming>('preTraining', 'postTraining', 'restDay', 'general')
const carbs = fc.constantFrom<CarbTargetMethod>('burke2011', 'pierre')
const fat = fc.constantFrom<FatMethod>('balanced', 'pierre')

// Realistic bodies: every equation gives a positive BMR over these ranges.
const weightKg = fc.double({ min: 30, max: 200, noNaN: true })
const heightCm = fc.double({ min: 120, max: 220, noNaN: true })
const ageYears = fc.double({ min: 10, max: 120, noNaN: true })
const positiveStep = fc.double({ min: 0.01, max: 50, noNaN: true })

const body = fc.record({ weightKg, heightCm, ageYears, sex })
const person = fc.record({ weightKg, heightCm, ageYears, sex, activityLevel, goal })

/** Every number anywhere inside `value` is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite)
  return true
}

const relative = 1e-9

describe('nutrition.dailyNeeds properties', () => {
  test.prop([person])('balanced: macros add up to TDEE whenever energyGapKcal is 0', (args) => {
    const needs = nutrition.dailyNeeds(args)
    const macroKcal = 4 * needs.proteinG + 4 * needs.carbsG + 9 * needs.fatG
    if (needs.energyGapKcal === 0) {
      expect(Math.abs(macroKcal - needs.tdee)).toBeLessThanOrEqual(relative * needs.tdee)
    } else {
      expect(needs.energyGapKcal).toBeGreaterThan(0)
      expect(needs.carbsG).toBeCloseTo(3 * args.weightKg, 9)
      expect(Math.abs(macroKcal - needs.tdee - needs.energyGapKcal)).toBeLessThanOrEqual(
        relative * macroKcal,
      )
    }
  })

  test.prop([person, carbs, fat])(
    'fat stays within 20–35% of TDEE and nothing is negative',
    (args, carbRule, fatRule) => {
      const needs = nutrition.dailyNeeds(args, { carbs: carbRule, fat: fatRule })
      expect(needs.percentOfTdee.fat).toBeGreaterThanOrEqual(20 - 1e-9)
      expect(needs.percentOfTdee.fat).toBeLessThanOrEqual(35 + 1e-9)
      expect(needs.proteinG).toBeGreaterThan(0)
      expect(needs.carbsG).toBeGreaterThanOrEqual(3 * args.weightKg * (1 - relative))
      expect(allFinite(needs)).toBe(true)
    },
  )

  test.prop([person])(
    'balanced never gives less carbohydrate than the rule when fat has room',
    (args) => {
      const needs = nutrition.dailyNeeds(args)
      const rule = nutrition.carbTarget(args)
      if (needs.percentOfTdee.fat > 20 + 1e-9)
        expect(needs.carbsG).toBeGreaterThanOrEqual(rule * (1 - relative))
    },
  )
})

describe('nutrition.bmr properties', () => {
  const ageBased = fc.constantFrom<BmrMethod>('mifflinStJeor', 'harrisBenedictRevised')

  test.prop([body, ageBased, positiveStep])('increases with weight', (args, method, step) => {
    fc.pre(args.weightKg + step <= 300)
    expect(nutrition.bmr({ ...args, method, weightKg: args.weightKg + step })).toBeGreaterThan(
      nutrition.bmr({ ...args, method }),
    )
  })

  test.prop([body, ageBased, positiveStep])('increases with height', (args, method, step) => {
    expect(nutrition.bmr({ ...args, method, heightCm: args.heightCm + step })).toBeGreaterThan(
      nutrition.bmr({ ...args, method }),
    )
  })

  test.prop([body, ageBased, positiveStep])('decreases with age', (args, method, step) => {
    fc.pre(args.ageYears + step <= 120)
    expect(nutrition.bmr({ ...args, method, ageYears: args.ageYears + step })).toBeLessThan(
      nutrition.bmr({ ...args, method }),
    )
  })

  test.prop([body, fc.double({ min: 0, max: 60, noNaN: true }), positiveStep])(
    'katchMcArdle increases with weight at a fixed body-fat percent',
    (args, bodyFatPercent, step) => {
      const katch = { ...args, method: 'katchMcArdle', bodyFatPercent } as const
      expect(nutrition.bmr({ ...katch, weightKg: args.weightKg + step })).toBeGreaterThan(
        nutrition.bmr(katch),
      )
    },
  )

  test.prop([body, fc.double({ min: 0, max: 3000, noNaN: true })])(
    'minKcal is a floor and nothing more',
    (args, minKcal) => {
      const plain = nutrition.bmr(args)
      expect(nutrition.bmr({ ...args, minKcal })).toBe(Math.max(plain, minKcal))
    },
  )
})

describe('nutrition totality and finiteness', () => {
  test.prop({
    args: person,
    workoutIntensity: intensity,
    hoursBefore: fc.double({ min: 0, max: 24, noNaN: true }),
    durationMin: fc.double({ min: 0, max: 1440, noNaN: true }),
    flag: fc.boolean(),
  })(
    'every function gives finite numbers for valid input',
    ({ args, workoutIntensity, hoursBefore, durationMin, flag }) => {
      const bmr = nutrition.bmr(args)
      const tdee = nutrition.tdee(bmr, args.activityLevel)
      const dailyProteinG = nutrition.proteinTarget(args)
      const results: unknown[] = [
        nutrition.bmrDetails(args),
        tdee,
        nutrition.tdeeFromExercise({ bmr, exerciseKcal: durationMin * 10 }),
        nutrition.calorieTarget({ bmr, tdee, goal: args.goal }),
        nutrition.carbTarget(args),
        nutrition.dailyNeeds(args),
        nutrition.nutrientTiming({
          weightKg: args.weightKg,
          hoursBefore,
          durationMin,
          intensity: workoutIntensity,
          rapidRefuel: flag,
          dailyProteinG,
        }),
        nutrition.nutrientTiming({ weightKg: args.weightKg, dailyProteinG }, { method: 'pierre' }),
        nutrition.hydration({ weightKg: args.weightKg, durationMin, hot: flag }),
        nutrition.mealTemplate('general', { tdee }),
        nutrition.exerciseKcalFromPower({ averagePower: 250, durationSec: durationMin * 60 }),
        nutrition.exerciseKcalFromHeartRate({ ...args, averageHr: 140, durationMin }),
      ]
      expect(allFinite(results)).toBe(true)
    },
  )

  const anything = fc.anything()
  const fuzz = <TValue>(valid: fc.Arbitrary<TValue>) =>
    fc.oneof(
      { arbitrary: valid, weight: 4 },
      { arbitrary: fc.double(), weight: 1 },
      { arbitrary: anything, weight: 1 },
    )
  // A superset of every argument bag, each field valid, some other number, or anything at all.
  const fuzzedArgs = fc.record(
    {
      weightKg: fuzz(weightKg),
      heightCm: fuzz(heightCm),
      ageYears: fuzz(ageYears),
      sex: fuzz(sex),
      activityLevel: fuzz(activityLevel),
      goal: fuzz(goal),
      method: fuzz(fc.constantFrom('mifflinStJeor', 'katchMcArdle', 'pierre', 'issn2017')),
      bodyFatPercent: fuzz(fc.double({ min: 0, max: 60, noNaN: true })),
      minKcal: fuzz(fc.double({ min: 0, max: 3000, noNaN: true })),
      bmr: fuzz(fc.double({ min: 500, max: 3000, noNaN: true })),
      tdee: fuzz(fc.double({ min: 500, max: 6000, noNaN: true })),
      nonExerciseFactor: fuzz(fc.double({ min: 1, max: 2.5, noNaN: true })),
      exerciseKcal: fuzz(fc.double({ min: 0, max: 3000, noNaN: true })),
      hoursBefore: fuzz(fc.double({ min: 0, max: 24, noNaN: true })),
      durationMin: fuzz(fc.double({ min: 0, max: 600, noNaN: true })),
      intensity: fuzz(intensity),
      rapidRefuel: fuzz(fc.boolean()),
      dailyProteinG: fuzz(fc.double({ min: 1, max: 400, noNaN: true })),
      hot: fuzz(fc.boolean()),
      bodyMassLostKg: fuzz(fc.double({ min: 0, max: 5, noNaN: true })),
      preWeightKg: fuzz(weightKg),
      postWeightKg: fuzz(weightKg),
      fluidIntakeL: fuzz(fc.double({ min: 0, max: 3, noNaN: true })),
      urineL: fuzz(fc.double({ min: 0, max: 1, noNaN: true })),
      averagePower: fuzz(fc.double({ min: 0, max: 500, noNaN: true })),
      durationSec: fuzz(fc.double({ min: 0, max: 36_000, noNaN: true })),
      averageHr: fuzz(fc.double({ min: 40, max: 220, noNaN: true })),
    },
    { requiredKeys: [] },
  )
  const fuzzedOptions = fc.oneof(
    fc.constant(undefined),
    anything,
    fc.record(
      {
        carbs: fuzz(carbs),
        fat: fuzz(fat),
        method: fuzz(fc.constantFrom('issn2017', 'pierre')),
        tdee: fuzz(fc.double({ min: 500, max: 6000, noNaN: true })),
      },
      { requiredKeys: [] },
    ),
  )

  test.prop([fc.oneof(fuzzedArgs, anything), fc.oneof(fuzzedOptions, mealTiming, activityLevel)])(
    'arbitrary input ends as a finite value or INVALID_INPUT, never another error',
    (first, second) => {
      const calls: (() => unknown)[] = [
        () => nutrition.bmr(first as never),
        () => nutrition.tdee(first as never, second as never),
        () => nutrition.tdeeFromExercise(first as never),
        () => nutrition.calorieTarget(first as never),
        () => nutrition.proteinTarget(first as never),
        () => nutrition.carbTarget(first as never),
        () => nutrition.dailyNeeds(first as never, second as never),
        () => nutrition.nutrientTiming(first as never, second as never),
        () => nutrition.hydration(first as never),
        () => nutrition.sweatRate(first as never),
        () => nutrition.mealTemplate(first as never, second as never),
        () => nutrition.exerciseKcalFromPower(first as never),
        () => nutrition.exerciseKcalFromHeartRate(first as never),
        () => nutrition.mealTemplate(second as never, first as never),
        () => nutrition.tdee((first as { bmr?: unknown } | null)?.bmr as never, second as never),
      ]
      for (const call of calls) {
        let result: unknown
        try {
          result = call()
        } catch (error) {
          if (!isSportsScienceError(error)) throw error
          expect(error.code).toBe('INVALID_INPUT')
          continue
        }
        expect(allFinite(result)).toBe(true)
      }
    },
  )

  test.prop([
    fc.record({
      weightKg: fc.double(),
      heightCm: fc.double(),
      ageYears: fc.double(),
      sex,
      activityLevel,
      goal,
    }),
  ])('any numbers give a finite result or INVALID_INPUT', (args) => {
    try {
      expect(allFinite(nutrition.dailyNeeds(args))).toBe(true)
    } catch (error) {
      if (!isSportsScienceError(error)) throw error
    }
  })
})

describe('other nutrition properties', () => {
  test.prop({ kg: weightKg, level: activityLevel, aim: goal, factor: positiveStep })(
    'protein and carbohydrate targets are proportional to weight',
    ({ kg, level, aim, factor }) => {
      fc.pre(kg * factor <= 300)
      const scaled = { weightKg: kg * factor, activityLevel: level, goal: aim }
      const base = { weightKg: kg, activityLevel: level, goal: aim }
      expect(nutrition.proteinTarget(scaled)).toBeCloseTo(nutrition.proteinTarget(base) * factor, 6)
      expect(nutrition.carbTarget(scaled)).toBeCloseTo(nutrition.carbTarget(base) * factor, 6)
    },
  )

  test.prop([
    weightKg,
    fc.option(fc.double({ min: 1, max: 500, noNaN: true }), { nil: undefined }),
    fc.boolean(),
  ])('post-exercise protein stays within 20–40 g (ISSN)', (kg, dailyProteinG, pierre) => {
    fc.pre(!pierre || dailyProteinG !== undefined)
    const timing = nutrition.nutrientTiming(
      { weightKg: kg, dailyProteinG },
      { method: pierre ? 'pierre' : 'issn2017' },
    )
    expect(timing.postProteinG).toBeGreaterThanOrEqual(20)
    expect(timing.postProteinG).toBeLessThanOrEqual(40)
  })

  test.prop([
    mealTiming,
    fc.option(fc.double({ min: 500, max: 10_000, noNaN: true }), { nil: undefined }),
  ])('meal-template grams give back the meal energy (4/4/9 kcal/g)', (timing, tdee) => {
    const meal = nutrition.mealTemplate(timing, { tdee })
    expect(4 * meal.proteinG + 4 * meal.carbsG + 9 * meal.fatG).toBeCloseTo(meal.kcal, 6)
  })

  test.prop([
    fc.double({ min: 500, max: 5000, noNaN: true }),
    fc.double({ min: 1, max: 2.5, noNaN: true }),
    goal,
  ])('calorie targets never fall below BMR', (bmr, factor, aim) => {
    expect(
      nutrition.calorieTarget({ bmr, tdee: bmr * factor, goal: aim }).kcal,
    ).toBeGreaterThanOrEqual(bmr)
  })

  test.prop([weightKg, fc.double({ min: 0, max: 600, noNaN: true })])(
    'hydration ranges are ordered and hot never lowers them',
    (kg, durationMin) => {
      const mild = nutrition.hydration({ weightKg: kg, durationMin })
      const hot = nutrition.hydration({ weightKg: kg, durationMin, hot: true })
      expect(mild.pre.minMl).toBeLessThanOrEqual(mild.pre.maxMl)
      expect(mild.during.minLPerHour).toBeLessThanOrEqual(mild.during.maxLPerHour)
      expect(hot.during.minLPerHour).toBeGreaterThanOrEqual(mild.during.minLPerHour)
      expect(hot.during.minL ?? 0).toBeGreaterThanOrEqual(mild.during.minL ?? 0)
    },
  )
})
