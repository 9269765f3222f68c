import { describe, expect, it } from 'vitest'
import {
  type ActivityLevel,
  type BmrArgs,
  type MealTiming,
  type NutritionGoal,
  nutrition,
} from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Calls `fn` with a value the types forbid, as a JavaScript caller could. */
function untyped<TArgs>(value: unknown): TArgs {
  return value as TArgs
}

const man: BmrArgs = { weightKg: 75, heightCm: 180, ageYears: 30, sex: 'male' }
const woman: BmrArgs = { weightKg: 60, heightCm: 165, ageYears: 25, sex: 'female' }

describe('nutrition.bmr', () => {
  it.for([
    { name: 'mifflinStJeor, man (Mifflin 1990)', args: man, kcal: 1730 },
    { name: 'mifflinStJeor, woman, unrounded (Mifflin 1990)', args: woman, kcal: 1345.25 },
    {
      name: 'mifflinStJeor, 80-year-old 45-kg woman, no 1000 kcal floor (spec §7.1)',
      args: { weightKg: 45, heightCm: 150, ageYears: 80, sex: 'female' },
      kcal: 826.5,
    },
    {
      name: 'harrisBenedictRevised, man (Roza & Shizgal 1984)',
      args: { ...man, method: 'harrisBenedictRevised' },
      kcal: 88.362 + 13.397 * 75 + 4.799 * 180 - 5.677 * 30,
    },
    {
      name: 'harrisBenedictRevised, woman (Roza & Shizgal 1984)',
      args: { ...woman, method: 'harrisBenedictRevised' },
      kcal: 447.593 + 9.247 * 60 + 3.098 * 165 - 4.33 * 25,
    },
    {
      name: 'katchMcArdle, 75 kg at 15% fat: 370 + 21.6 × 63.75',
      args: { ...man, method: 'katchMcArdle', bodyFatPercent: 15 },
      kcal: 1747,
    },
    {
      name: 'minKcal floors a low value',
      args: { weightKg: 45, heightCm: 150, ageYears: 80, sex: 'female', minKcal: 1000 },
      kcal: 1000,
    },
    { name: 'minKcal leaves a higher value alone', args: { ...man, minKcal: 1000 }, kcal: 1730 },
    {
      name: 'explicit undefined options use the defaults',
      args: { ...man, method: undefined },
      kcal: 1730,
    },
  ] satisfies { name: string; args: BmrArgs; kcal: number }[])('$name', ({ args, kcal }) => {
    expect(nutrition.bmr(args)).toBeCloseTo(kcal, 9)
  })

  it.for([
    { name: 'weightKg 0', args: { ...man, weightKg: 0 }, field: 'weightKg' },
    { name: 'weightKg negative', args: { ...man, weightKg: -5 }, field: 'weightKg' },
    { name: 'weightKg above 300', args: { ...man, weightKg: 301 }, field: 'weightKg' },
    { name: 'weightKg NaN', args: { ...man, weightKg: Number.NaN }, field: 'weightKg' },
    {
      name: 'weightKg Infinity',
      args: { ...man, weightKg: Number.POSITIVE_INFINITY },
      field: 'weightKg',
    },
    {
      name: 'weightKg a string',
      args: { ...man, weightKg: untyped<number>('75') },
      field: 'weightKg',
    },
    { name: 'heightCm 0', args: { ...man, heightCm: 0 }, field: 'heightCm' },
    { name: 'heightCm above 300', args: { ...man, heightCm: 300.5 }, field: 'heightCm' },
    { name: 'ageYears below 10', args: { ...man, ageYears: 9.99 }, field: 'ageYears' },
    { name: 'ageYears above 120', args: { ...man, ageYears: 121 }, field: 'ageYears' },
    {
      name: 'ageYears missing',
      args: { ...man, ageYears: untyped<number>(undefined) },
      field: 'ageYears',
    },
    { name: 'unknown sex', args: { ...man, sex: untyped<'male'>('other') }, field: 'sex' },
    {
      name: 'unknown method',
      args: { ...man, method: untyped<'katchMcArdle'>('cunningham') },
      field: 'method',
    },
    {
      name: 'method null',
      args: { ...man, method: untyped<'katchMcArdle'>(null) },
      field: 'method',
    },
    {
      name: 'katchMcArdle without bodyFatPercent',
      args: { ...man, method: 'katchMcArdle' },
      field: 'bodyFatPercent',
    },
    {
      name: 'bodyFatPercent 100',
      args: { ...man, method: 'katchMcArdle', bodyFatPercent: 100 },
      field: 'bodyFatPercent',
    },
    {
      name: 'bodyFatPercent negative',
      args: { ...man, bodyFatPercent: -1 },
      field: 'bodyFatPercent',
    },
    { name: 'minKcal negative', args: { ...man, minKcal: -1 }, field: 'minKcal' },
    {
      name: 'a body too small for the equation to be positive',
      args: { weightKg: 1, heightCm: 1, ageYears: 120, sex: 'female' },
      field: 'weightKg',
    },
  ] satisfies { name: string; args: BmrArgs; field: string }[])(
    'rejects $name',
    ({ args, field }) => {
      expectInvalidInput(() => nutrition.bmr(args), field)
    },
  )

  it('rejects a missing argument object', () => {
    expectInvalidInput(() => nutrition.bmr(untyped<BmrArgs>(undefined)), 'args')
    expectInvalidInput(() => nutrition.bmr(untyped<BmrArgs>(null)), 'args')
  })

  it('says what was expected and what was received', () => {
    expect(
      expectInvalidInput(() => nutrition.bmr({ ...man, weightKg: -5 }), 'weightKg').message,
    ).toBe('weightKg must be a number greater than 0 and at most 300 (kg), received -5')
    expect(
      expectInvalidInput(() => nutrition.bmr({ ...man, ageYears: 9 }), 'ageYears').message,
    ).toBe('ageYears must be a number from 10 to 120 (years), received 9')
    expect(
      expectInvalidInput(() => nutrition.bmr({ ...man, sex: untyped<'male'>('M') }), 'sex').message,
    ).toBe("sex must be one of 'male', 'female', received 'M'")
  })
})

describe('nutrition.bmrDetails', () => {
  it.for([
    { ageYears: 18, extrapolated: true },
    { ageYears: 19, extrapolated: false },
    { ageYears: 78, extrapolated: false },
    { ageYears: 78.5, extrapolated: true },
  ])(
    'flags age $ageYears as extrapolated: $extrapolated (MSJ sample 19–78)',
    ({ ageYears, extrapolated }) => {
      expect(nutrition.bmrDetails({ ...man, ageYears }).extrapolated).toBe(extrapolated)
    },
  )

  it('reports the equation, the value and whether minKcal raised it', () => {
    expect(nutrition.bmrDetails(man)).toEqual({
      kcal: 1730,
      method: 'mifflinStJeor',
      extrapolated: false,
      floored: false,
    })
    expect(
      nutrition.bmrDetails({
        weightKg: 45,
        heightCm: 150,
        ageYears: 80,
        sex: 'female',
        minKcal: 1000,
      }),
    ).toEqual({ kcal: 1000, method: 'mifflinStJeor', extrapolated: true, floored: true })
    expect(nutrition.bmrDetails({ ...man, method: 'harrisBenedictRevised' }).method).toBe(
      'harrisBenedictRevised',
    )
  })
})

describe('nutrition.tdee', () => {
  it.for([
    { activityLevel: 'sedentary', factor: 1.2 },
    { activityLevel: 'lightlyActive', factor: 1.375 },
    { activityLevel: 'moderatelyActive', factor: 1.55 },
    { activityLevel: 'veryActive', factor: 1.725 },
    { activityLevel: 'extraActive', factor: 1.9 },
  ] satisfies { activityLevel: ActivityLevel; factor: number }[])(
    '$activityLevel multiplies BMR by $factor (McArdle, Katch & Katch)',
    ({ activityLevel, factor }) => {
      expect(nutrition.tdee(1730, activityLevel)).toBeCloseTo(1730 * factor, 9)
    },
  )

  it.for([
    { name: 'bmr 0', bmr: 0, activityLevel: 'sedentary', field: 'bmr' },
    { name: 'bmr negative', bmr: -1730, activityLevel: 'sedentary', field: 'bmr' },
    { name: 'bmr NaN', bmr: Number.NaN, activityLevel: 'sedentary', field: 'bmr' },
    {
      name: 'bmr overflowing to Infinity',
      bmr: Number.MAX_VALUE,
      activityLevel: 'extraActive',
      field: 'bmr',
    },
    { name: 'unknown activity level', bmr: 1730, activityLevel: 'lazy', field: 'activityLevel' },
    {
      name: 'snake_case activity level',
      bmr: 1730,
      activityLevel: 'very_active',
      field: 'activityLevel',
    },
  ])('rejects $name', ({ bmr, activityLevel, field }) => {
    expectInvalidInput(() => nutrition.tdee(bmr, untyped<ActivityLevel>(activityLevel)), field)
  })
})

describe('nutrition.tdeeFromExercise', () => {
  it('adds logged exercise to BMR × the non-exercise factor (default 1.3)', () => {
    expect(nutrition.tdeeFromExercise({ bmr: 1730, exerciseKcal: 600 })).toBeCloseTo(2849, 9)
    expect(
      nutrition.tdeeFromExercise({ bmr: 1730, nonExerciseFactor: 1.5, exerciseKcal: 0 }),
    ).toBeCloseTo(2595, 9)
  })

  it.for([
    { name: 'bmr 0', args: { bmr: 0, exerciseKcal: 0 }, field: 'bmr' },
    {
      name: 'factor below 1',
      args: { bmr: 1730, nonExerciseFactor: 0.9, exerciseKcal: 0 },
      field: 'nonExerciseFactor',
    },
    {
      name: 'factor above 2.5',
      args: { bmr: 1730, nonExerciseFactor: 2.6, exerciseKcal: 0 },
      field: 'nonExerciseFactor',
    },
    { name: 'negative exercise', args: { bmr: 1730, exerciseKcal: -1 }, field: 'exerciseKcal' },
    {
      name: 'missing exercise',
      args: { bmr: 1730, exerciseKcal: untyped<number>(undefined) },
      field: 'exerciseKcal',
    },
    {
      name: 'exercise overflowing to Infinity',
      args: { bmr: 1e308, exerciseKcal: Number.MAX_VALUE },
      field: 'exerciseKcal',
    },
    {
      name: 'bmr overflowing to Infinity',
      args: { bmr: Number.MAX_VALUE, exerciseKcal: 0 },
      field: 'bmr',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(() => nutrition.tdeeFromExercise(args), field)
  })
})

describe('nutrition.calorieTarget (tools spec §8.5)', () => {
  it.for([
    { goal: 'maintenance', bmr: 1730, tdee: 2681.5, kcal: 2681.5, rule: 'tdee' },
    { goal: 'endurancePerformance', bmr: 1730, tdee: 2681.5, kcal: 2681.5, rule: 'tdee' },
    { goal: 'weightLoss', bmr: 1730, tdee: 2681.5, kcal: 2181.5, rule: 'tdee_minus_500' },
    { goal: 'weightLoss', bmr: 1730, tdee: 2230, kcal: 1730, rule: 'tdee_minus_500' },
    {
      goal: 'weightLoss',
      bmr: 1730,
      tdee: 2076,
      kcal: 1730,
      rule: 'tdee_minus_500_floored_at_bmr',
    },
    {
      goal: 'muscleGain',
      bmr: 1730,
      tdee: 2681.5,
      kcal: 2681.5 * 1.1,
      rule: 'tdee_plus_10_percent',
    },
    { goal: 'strength', bmr: 1730, tdee: 2681.5, kcal: 2681.5 * 1.1, rule: 'tdee_plus_10_percent' },
  ] satisfies { goal: NutritionGoal; bmr: number; tdee: number; kcal: number; rule: string }[])(
    '$goal with TDEE $tdee gives $kcal ($rule)',
    ({ goal, bmr, tdee, kcal, rule }) => {
      const target = nutrition.calorieTarget({ bmr, tdee, goal })
      expect(target.rule).toBe(rule)
      expect(target.kcal).toBeCloseTo(kcal, 9)
    },
  )

  it.for([
    { name: 'bmr 0', args: { bmr: 0, tdee: 2000, goal: 'maintenance' }, field: 'bmr' },
    { name: 'tdee NaN', args: { bmr: 1730, tdee: Number.NaN, goal: 'maintenance' }, field: 'tdee' },
    { name: 'tdee below bmr', args: { bmr: 1730, tdee: 1700, goal: 'maintenance' }, field: 'tdee' },
    { name: 'unknown goal', args: { bmr: 1730, tdee: 2000, goal: 'bulk' }, field: 'goal' },
    {
      name: 'surplus overflowing',
      args: { bmr: 1730, tdee: Number.MAX_VALUE, goal: 'muscleGain' },
      field: 'tdee',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(
      () => nutrition.calorieTarget({ ...args, goal: untyped<NutritionGoal>(args.goal) }),
      field,
    )
  })
})

describe('nutrition.proteinTarget (spec §7.3)', () => {
  it.for([
    { activityLevel: 'sedentary', goal: 'endurancePerformance', gPerKg: 0.8 },
    { activityLevel: 'lightlyActive', goal: 'weightLoss', gPerKg: 1.3 },
    { activityLevel: 'moderatelyActive', goal: 'endurancePerformance', gPerKg: 1.3 },
    { activityLevel: 'veryActive', goal: 'endurancePerformance', gPerKg: 2 },
    { activityLevel: 'extraActive', goal: 'muscleGain', gPerKg: 2.2 },
    { activityLevel: 'veryActive', goal: 'strength', gPerKg: 2.2 },
    { activityLevel: 'veryActive', goal: 'weightLoss', gPerKg: 1.8 },
    { activityLevel: 'extraActive', goal: 'maintenance', gPerKg: 1.8 },
  ] satisfies { activityLevel: ActivityLevel; goal: NutritionGoal; gPerKg: number }[])(
    '$activityLevel, $goal: $gPerKg g/kg',
    ({ activityLevel, goal, gPerKg }) => {
      expect(nutrition.proteinTarget({ weightKg: 70, activityLevel, goal })).toBeCloseTo(
        70 * gPerKg,
        9,
      )
    },
  )

  it.for([
    {
      name: 'weightKg 0',
      args: { weightKg: 0, activityLevel: 'sedentary', goal: 'maintenance' },
      field: 'weightKg',
    },
    {
      name: 'unknown level',
      args: { weightKg: 70, activityLevel: 'active', goal: 'maintenance' },
      field: 'activityLevel',
    },
    {
      name: 'unknown goal',
      args: { weightKg: 70, activityLevel: 'sedentary', goal: 'endurance' },
      field: 'goal',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(
      () =>
        nutrition.proteinTarget({
          weightKg: args.weightKg,
          activityLevel: untyped<ActivityLevel>(args.activityLevel),
          goal: untyped<NutritionGoal>(args.goal),
        }),
      field,
    )
  })
})

describe('nutrition.carbTarget (spec §7.4)', () => {
  it.for([
    { method: 'burke2011', activityLevel: 'sedentary', goal: 'maintenance', gPerKg: 3 },
    {
      method: 'burke2011',
      activityLevel: 'lightlyActive',
      goal: 'endurancePerformance',
      gPerKg: 4,
    },
    {
      method: 'burke2011',
      activityLevel: 'moderatelyActive',
      goal: 'endurancePerformance',
      gPerKg: 6,
    },
    { method: 'burke2011', activityLevel: 'veryActive', goal: 'weightLoss', gPerKg: 8 },
    { method: 'burke2011', activityLevel: 'extraActive', goal: 'strength', gPerKg: 10 },
    { method: 'pierre', activityLevel: 'sedentary', goal: 'endurancePerformance', gPerKg: 3 },
    { method: 'pierre', activityLevel: 'lightlyActive', goal: 'endurancePerformance', gPerKg: 3 },
    {
      method: 'pierre',
      activityLevel: 'moderatelyActive',
      goal: 'endurancePerformance',
      gPerKg: 10,
    },
    { method: 'pierre', activityLevel: 'moderatelyActive', goal: 'maintenance', gPerKg: 6 },
    { method: 'pierre', activityLevel: 'veryActive', goal: 'maintenance', gPerKg: 7.2 },
    { method: 'pierre', activityLevel: 'extraActive', goal: 'weightLoss', gPerKg: 7.2 },
    { method: 'pierre', activityLevel: 'veryActive', goal: 'endurancePerformance', gPerKg: 10 },
  ] satisfies {
    method: 'burke2011' | 'pierre'
    activityLevel: ActivityLevel
    goal: NutritionGoal
    gPerKg: number
  }[])(
    '$method: $activityLevel, $goal: $gPerKg g/kg',
    ({ method, activityLevel, goal, gPerKg }) => {
      expect(nutrition.carbTarget({ weightKg: 70, activityLevel, goal, method })).toBeCloseTo(
        70 * gPerKg,
        9,
      )
    },
  )

  it('defaults to burke2011', () => {
    expect(
      nutrition.carbTarget({
        weightKg: 70,
        activityLevel: 'veryActive',
        goal: 'endurancePerformance',
      }),
    ).toBe(560)
  })

  it.for([
    {
      name: 'weightKg above 300',
      weightKg: 400,
      method: 'burke2011',
      goal: 'maintenance',
      field: 'weightKg',
    },
    { name: 'unknown method', weightKg: 70, method: 'burke', goal: 'maintenance', field: 'method' },
    { name: 'unknown goal', weightKg: 70, method: 'pierre', goal: 'fun', field: 'goal' },
  ])('rejects $name', ({ weightKg, method, goal, field }) => {
    expectInvalidInput(
      () =>
        nutrition.carbTarget({
          weightKg,
          activityLevel: 'veryActive',
          goal: untyped<NutritionGoal>(goal),
          method: untyped<'pierre'>(method),
        }),
      field,
    )
  })
})

describe('nutrition.dailyNeeds (spec §7.5)', () => {
  const athlete = {
    weightKg: 70,
    heightCm: 175,
    ageYears: 35,
    sex: 'male',
    activityLevel: 'veryActive',
    goal: 'endurancePerformance',
  } as const

  function macroKcal(needs: { proteinG: number; carbsG: number; fatG: number }): number {
    return 4 * needs.proteinG + 4 * needs.carbsG + 9 * needs.fatG
  }

  it('balanced, fat at its 20% floor: carbohydrate lowered so macros meet TDEE (spec vector)', () => {
    const needs = nutrition.dailyNeeds(athlete)
    expect(needs.bmr).toBe(1623.75)
    expect(needs.tdee).toBeCloseTo(2800.96875, 9)
    expect(needs.proteinG).toBe(140)
    expect(needs.carbsG).toBeCloseTo(420.19375, 9)
    expect(needs.fatG).toBeCloseTo(62.24375, 9)
    expect(needs.energyGapKcal).toBe(0)
    expect(macroKcal(needs)).toBeCloseTo(needs.tdee, 9)
    expect(needs.percentOfTdee.fat).toBeCloseTo(20, 9)
    expect(
      needs.percentOfTdee.protein + needs.percentOfTdee.carbs + needs.percentOfTdee.fat,
    ).toBeCloseTo(100, 9)
  })

  it('balanced, fat inside 20–35%: fat takes the remaining energy', () => {
    const needs = nutrition.dailyNeeds({
      ...athlete,
      activityLevel: 'lightlyActive',
      goal: 'maintenance',
    })
    const tdee = 1623.75 * 1.375
    expect(needs.proteinG).toBeCloseTo(91, 9)
    expect(needs.carbsG).toBe(280)
    expect(needs.fatG).toBeCloseTo((tdee - 4 * 91 - 4 * 280) / 9, 9)
    expect(needs.energyGapKcal).toBe(0)
    expect(macroKcal(needs)).toBeCloseTo(tdee, 9)
  })

  it('balanced, fat capped at 35%: the surplus energy goes to carbohydrate', () => {
    const needs = nutrition.dailyNeeds({
      ...athlete,
      activityLevel: 'sedentary',
      goal: 'maintenance',
    })
    const tdee = 1623.75 * 1.2
    expect(needs.fatG).toBeCloseTo((0.35 * tdee) / 9, 9)
    expect(needs.carbsG).toBeCloseTo((tdee - 4 * 56 - 0.35 * tdee) / 4, 9)
    expect(needs.percentOfTdee.fat).toBeCloseTo(35, 9)
    expect(needs.energyGapKcal).toBe(0)
  })

  it('balanced, 3 g/kg carbohydrate floor binds: a positive energy gap is reported', () => {
    const args = {
      weightKg: 100,
      heightCm: 150,
      ageYears: 80,
      sex: 'female',
      activityLevel: 'sedentary',
      goal: 'maintenance',
    } as const
    const needs = nutrition.dailyNeeds(args)
    const tdee = 1376.5 * 1.2
    expect(needs.carbsG).toBe(300)
    expect(needs.fatG).toBeCloseTo((0.2 * tdee) / 9, 9)
    expect(needs.energyGapKcal).toBeCloseTo(macroKcal(needs) - tdee, 9)
    expect(needs.energyGapKcal).toBeGreaterThan(0)
  })

  it('pierre carbohydrate and fat reproduce the reference overshoot (spec §7.5: 4,130 kcal vs 2,801)', () => {
    const needs = nutrition.dailyNeeds(athlete, { carbs: 'pierre', fat: 'pierre' })
    expect(needs.carbsG).toBe(700)
    expect(needs.fatG).toBeCloseTo((0.275 * 2800.96875) / 9, 9)
    expect(macroKcal(needs)).toBeCloseTo(4130, -1)
    expect(needs.energyGapKcal).toBeCloseTo(macroKcal(needs) - needs.tdee, 9)
  })

  it('pierre fat follows the goal share inside 20–35% (weight loss 20%)', () => {
    const needs = nutrition.dailyNeeds(
      { ...athlete, activityLevel: 'sedentary', goal: 'weightLoss' },
      { fat: 'pierre' },
    )
    const tdee = 1623.75 * 1.2
    const remaining = tdee - 4 * 56 - 4 * 210
    expect(needs.fatG).toBeCloseTo(
      Math.min(Math.max(remaining / 9, (0.2 * tdee) / 9), (0.35 * tdee) / 9),
      9,
    )
    expect(needs.carbsG).toBe(210)
  })

  it.for([
    { name: 'unknown carbs option', args: athlete, options: { carbs: 'keto' }, field: 'carbs' },
    { name: 'unknown fat option', args: athlete, options: { fat: 'low' }, field: 'fat' },
    { name: 'options null', args: athlete, options: null, field: 'options' },
    {
      name: 'weightKg NaN',
      args: { ...athlete, weightKg: Number.NaN },
      options: {},
      field: 'weightKg',
    },
    {
      name: 'heightCm negative',
      args: { ...athlete, heightCm: -1 },
      options: {},
      field: 'heightCm',
    },
    {
      name: 'ageYears too high',
      args: { ...athlete, ageYears: 150 },
      options: {},
      field: 'ageYears',
    },
    { name: 'unknown sex', args: { ...athlete, sex: 'x' }, options: {}, field: 'sex' },
    {
      name: 'unknown activity level',
      args: { ...athlete, activityLevel: 'x' },
      options: {},
      field: 'activityLevel',
    },
    { name: 'unknown goal', args: { ...athlete, goal: 'x' }, options: {}, field: 'goal' },
    { name: 'missing arguments', args: undefined, options: {}, field: 'args' },
  ])('rejects $name', ({ args, options, field }) => {
    expectInvalidInput(() => nutrition.dailyNeeds(untyped(args), untyped(options)), field)
  })
})

describe('nutrition.nutrientTiming (spec §7.6)', () => {
  it('issn2017 for a 70-kg athlete, 3 h lead, 90 min moderate (spec vector; Kerksick 2017)', () => {
    expect(
      nutrition.nutrientTiming({
        weightKg: 70,
        hoursBefore: 3,
        durationMin: 90,
        intensity: 'moderate',
      }),
    ).toEqual({
      preCarbsG: 210,
      hoursBefore: 3,
      duringCarbsGPerHour: 45,
      postProteinG: 21,
      postCarbsG: 70,
      postCarbsGPerHour: null,
      proteinPerMealG: null,
      mealsPerDay: 4,
      warnings: [],
    })
  })

  it('defaults: 2 h lead, moderate, no rapid refuelling, no duration', () => {
    const timing = nutrition.nutrientTiming({ weightKg: 70 })
    expect(timing.preCarbsG).toBe(140)
    expect(timing.hoursBefore).toBe(2)
    expect(timing.duringCarbsGPerHour).toBeNull()
  })

  it.for([
    { hoursBefore: 0.5, preCarbsG: 70, warns: true },
    { hoursBefore: 1, preCarbsG: 70, warns: false },
    { hoursBefore: 4, preCarbsG: 280, warns: false },
    { hoursBefore: 6, preCarbsG: 280, warns: true },
  ])(
    'pre-exercise carbohydrate {hoursBefore: $hoursBefore} → $preCarbsG g (1–4 g/kg over 1–4 h)',
    ({ hoursBefore, preCarbsG, warns }) => {
      const timing = nutrition.nutrientTiming({ weightKg: 70, hoursBefore })
      expect(timing.preCarbsG).toBe(preCarbsG)
      expect(timing.hoursBefore).toBe(hoursBefore)
      expect(timing.warnings.some((warning) => warning.startsWith('hoursBefore'))).toBe(warns)
    },
  )

  it.for([
    { durationMin: 0, intensity: 'high', gPerHour: 0 },
    { durationMin: 59, intensity: 'high', gPerHour: 0 },
    { durationMin: 60, intensity: 'low', gPerHour: 30 },
    { durationMin: 90, intensity: 'moderate', gPerHour: 45 },
    { durationMin: 150, intensity: 'high', gPerHour: 60 },
    { durationMin: 151, intensity: 'low', gPerHour: 60 },
    { durationMin: 180, intensity: 'moderate', gPerHour: 75 },
    { durationMin: 240, intensity: 'high', gPerHour: 90 },
  ] satisfies { durationMin: number; intensity: 'low' | 'moderate' | 'high'; gPerHour: number }[])(
    'during {durationMin: $durationMin, intensity: $intensity} → $gPerHour g/h (Kerksick 2017; Jeukendrup 2014)',
    ({ durationMin, intensity, gPerHour }) => {
      expect(
        nutrition.nutrientTiming({ weightKg: 70, durationMin, intensity }).duringCarbsGPerHour,
      ).toBe(gPerHour)
    },
  )

  it.for([
    { weightKg: 50, postProteinG: 20 },
    { weightKg: 100, postProteinG: 30 },
    { weightKg: 150, postProteinG: 40 },
  ])(
    'post-exercise protein for $weightKg kg: $postProteinG g (0.3 g/kg within 20–40 g)',
    ({ weightKg, postProteinG }) => {
      expect(nutrition.nutrientTiming({ weightKg }).postProteinG).toBeCloseTo(postProteinG, 9)
    },
  )

  it('rapid refuelling: 1.2 g/kg/h for 4 h (Kerksick 2017)', () => {
    const timing = nutrition.nutrientTiming({ weightKg: 70, rapidRefuel: true })
    expect(timing.postCarbsGPerHour).toBeCloseTo(84, 9)
    expect(timing.postCarbsG).toBeCloseTo(336, 9)
  })

  it('spreads daily protein over 4 meals and warns below 0.25 g/kg per meal (Schoenfeld & Aragon 2018)', () => {
    const enough = nutrition.nutrientTiming({ weightKg: 70, dailyProteinG: 140 })
    expect(enough.proteinPerMealG).toBe(35)
    expect(enough.warnings).toEqual([])
    const low = nutrition.nutrientTiming({ weightKg: 70, dailyProteinG: 60 })
    expect(low.proteinPerMealG).toBe(15)
    expect(low.warnings).toHaveLength(1)
    expect(low.warnings[0]).toMatch(/^protein per meal is below 0\.25 g\/kg/)
  })

  it.for([
    { intensity: 'low', preCarbsG: 26.25, dailyProteinG: 140, postProteinG: 28 },
    { intensity: 'moderate', preCarbsG: 52.5, dailyProteinG: 50, postProteinG: 20 },
    { intensity: 'high', preCarbsG: 68.25, dailyProteinG: 250, postProteinG: 40 },
  ] satisfies {
    intensity: 'low' | 'moderate' | 'high'
    preCarbsG: number
    dailyProteinG: number
    postProteinG: number
  }[])(
    'pierre compat, $intensity: pre $preCarbsG g, post protein $postProteinG g',
    ({ intensity, preCarbsG, dailyProteinG, postProteinG }) => {
      const timing = nutrition.nutrientTiming(
        { weightKg: 70, intensity, dailyProteinG },
        { method: 'pierre' },
      )
      expect(timing.preCarbsG).toBeCloseTo(preCarbsG, 9)
      expect(timing.postProteinG).toBe(postProteinG)
      expect(timing.postCarbsG).toBe(70)
      expect(timing.postCarbsGPerHour).toBeNull()
      expect(timing.mealsPerDay).toBe(4)
      expect(timing.warnings[timing.warnings.length - 1]).toMatch(/below the 1–4 g\/kg/)
    },
  )

  it('pierre ignores rapid refuelling and says so', () => {
    const timing = nutrition.nutrientTiming(
      { weightKg: 70, dailyProteinG: 140, rapidRefuel: true },
      { method: 'pierre' },
    )
    expect(timing.postCarbsG).toBe(70)
    expect(timing.warnings).toContain('rapidRefuel is ignored by the pierre method')
  })

  it.for([
    { name: 'weightKg 0', args: { weightKg: 0 }, options: {}, field: 'weightKg' },
    {
      name: 'hoursBefore negative',
      args: { weightKg: 70, hoursBefore: -1 },
      options: {},
      field: 'hoursBefore',
    },
    {
      name: 'hoursBefore above 24',
      args: { weightKg: 70, hoursBefore: 25 },
      options: {},
      field: 'hoursBefore',
    },
    {
      name: 'durationMin negative',
      args: { weightKg: 70, durationMin: -1 },
      options: {},
      field: 'durationMin',
    },
    {
      name: 'durationMin Infinity',
      args: { weightKg: 70, durationMin: Number.POSITIVE_INFINITY },
      options: {},
      field: 'durationMin',
    },
    {
      name: 'unknown intensity',
      args: { weightKg: 70, intensity: 'extreme' },
      options: {},
      field: 'intensity',
    },
    {
      name: 'rapidRefuel not a boolean',
      args: { weightKg: 70, rapidRefuel: 'yes' },
      options: {},
      field: 'rapidRefuel',
    },
    {
      name: 'dailyProteinG 0',
      args: { weightKg: 70, dailyProteinG: 0 },
      options: {},
      field: 'dailyProteinG',
    },
    {
      name: 'unknown method',
      args: { weightKg: 70 },
      options: { method: 'acsm' },
      field: 'method',
    },
    {
      name: 'pierre without dailyProteinG',
      args: { weightKg: 70 },
      options: { method: 'pierre' },
      field: 'dailyProteinG',
    },
  ])('rejects $name', ({ args, options, field }) => {
    expectInvalidInput(() => nutrition.nutrientTiming(untyped(args), untyped(options)), field)
  })
})

describe('nutrition.hydration (ACSM, Sawka et al. 2007; tools spec §8.6)', () => {
  it('gives 5–7 mL/kg 4 h before, 0.4–0.8 L/h during and 1.25–1.5 L per kg lost after', () => {
    expect(nutrition.hydration({ weightKg: 70 })).toEqual({
      pre: { minMl: 350, maxMl: 490, hoursBefore: 4 },
      during: { minLPerHour: 0.4, maxLPerHour: 0.8, minL: null, maxL: null },
      post: { minLPerKgLost: 1.25, maxLPerKgLost: 1.5, minL: null, maxL: null },
    })
  })

  it('totals the session from its duration, using the upper half of the range when hot', () => {
    const mild = nutrition.hydration({ weightKg: 70, durationMin: 90 }).during
    expect(mild.minL).toBeCloseTo(0.6, 9)
    expect(mild.maxL).toBeCloseTo(1.2, 9)
    const hot = nutrition.hydration({ weightKg: 70, durationMin: 90, hot: true }).during
    expect(hot.minLPerHour).toBe(0.6)
    expect(hot.minL).toBeCloseTo(0.9, 9)
    expect(hot.maxL).toBeCloseTo(1.2, 9)
  })

  it('totals recovery fluid from the body mass lost', () => {
    const post = nutrition.hydration({ weightKg: 70, bodyMassLostKg: 1.2 }).post
    expect(post.minL).toBeCloseTo(1.5, 9)
    expect(post.maxL).toBeCloseTo(1.8, 9)
  })

  it.for([
    { name: 'weightKg 0', args: { weightKg: 0 }, field: 'weightKg' },
    { name: 'durationMin negative', args: { weightKg: 70, durationMin: -5 }, field: 'durationMin' },
    { name: 'hot not a boolean', args: { weightKg: 70, hot: 1 }, field: 'hot' },
    {
      name: 'bodyMassLostKg negative',
      args: { weightKg: 70, bodyMassLostKg: -1 },
      field: 'bodyMassLostKg',
    },
    {
      name: 'bodyMassLostKg above weightKg',
      args: { weightKg: 70, bodyMassLostKg: 71 },
      field: 'bodyMassLostKg',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(() => nutrition.hydration(untyped(args)), field)
  })
})

describe('nutrition.sweatRate (spec §7.8)', () => {
  it('is (pre − post + fluid − urine) per hour', () => {
    const result = nutrition.sweatRate({
      preWeightKg: 70,
      postWeightKg: 68.8,
      fluidIntakeL: 0.5,
      urineL: 0.1,
      durationMin: 90,
    })
    expect(result.sweatLossL).toBeCloseTo(1.6, 9)
    expect(result.sweatRateLPerHour).toBeCloseTo(1.6 / 1.5, 9)
    expect(result.bodyMassLossPercent).toBeCloseTo((1.2 / 70) * 100, 9)
  })

  it('treats omitted fluid and urine as zero', () => {
    expect(
      nutrition.sweatRate({ preWeightKg: 70, postWeightKg: 69, durationMin: 60 }).sweatRateLPerHour,
    ).toBe(1)
  })

  it.for([
    {
      name: 'a negative sweat loss',
      args: { preWeightKg: 70, postWeightKg: 71, durationMin: 60 },
      field: 'postWeightKg',
    },
    {
      name: 'durationMin 0',
      args: { preWeightKg: 70, postWeightKg: 69, durationMin: 0 },
      field: 'durationMin',
    },
    {
      name: 'preWeightKg 0',
      args: { preWeightKg: 0, postWeightKg: 69, durationMin: 60 },
      field: 'preWeightKg',
    },
    {
      name: 'fluidIntakeL negative',
      args: { preWeightKg: 70, postWeightKg: 69, fluidIntakeL: -1, durationMin: 60 },
      field: 'fluidIntakeL',
    },
    {
      name: 'urineL NaN',
      args: { preWeightKg: 70, postWeightKg: 69, urineL: Number.NaN, durationMin: 60 },
      field: 'urineL',
    },
    {
      name: 'a rate overflowing to Infinity',
      args: { preWeightKg: 300, postWeightKg: 1, durationMin: Number.MIN_VALUE },
      field: 'durationMin',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(() => nutrition.sweatRate(args), field)
  })
})

describe('nutrition.mealTemplate (spec §7.7)', () => {
  it.for([
    { timing: 'preTraining', kcal: 400, split: [20, 55, 25] },
    { timing: 'postTraining', kcal: 600, split: [30, 45, 25] },
    { timing: 'restDay', kcal: 500, split: [30, 35, 35] },
    { timing: 'general', kcal: 500, split: [25, 45, 30] },
  ] satisfies { timing: MealTiming; kcal: number; split: [number, number, number] }[])(
    '$timing without TDEE: $kcal kcal split $split',
    ({ timing, kcal, split: [protein, carbs, fat] }) => {
      const meal = nutrition.mealTemplate(timing)
      expect(meal).toEqual({
        timing,
        kcal,
        proteinG: (kcal * protein) / 400,
        carbsG: (kcal * carbs) / 400,
        fatG: expect.closeTo((kcal * fat) / 900, 9),
        percentOfKcal: { protein, carbs, fat },
      })
    },
  )

  it.for([
    { timing: 'preTraining', fraction: 0.175 },
    { timing: 'postTraining', fraction: 0.275 },
    { timing: 'restDay', fraction: 0.25 },
    { timing: 'general', fraction: 0.25 },
  ] satisfies { timing: MealTiming; fraction: number }[])(
    '$timing with TDEE 2800: $fraction of it, and the grams give the energy back',
    ({ timing, fraction }) => {
      const meal = nutrition.mealTemplate(timing, { tdee: 2800 })
      expect(meal.kcal).toBeCloseTo(2800 * fraction, 9)
      expect(4 * meal.proteinG + 4 * meal.carbsG + 9 * meal.fatG).toBeCloseTo(meal.kcal, 9)
    },
  )

  it.for([
    { name: 'unknown timing', timing: 'lunch', options: {}, field: 'timing' },
    { name: 'tdee 0', timing: 'general', options: { tdee: 0 }, field: 'tdee' },
    { name: 'tdee NaN', timing: 'general', options: { tdee: Number.NaN }, field: 'tdee' },
    { name: 'options not an object', timing: 'general', options: 'x', field: 'options' },
  ])('rejects $name', ({ timing, options, field }) => {
    expectInvalidInput(() => nutrition.mealTemplate(untyped(timing), untyped(options)), field)
  })
})

describe('nutrition.exerciseKcalFromPower (spec §7.8)', () => {
  it('counts one kcal per kJ of mechanical work', () => {
    expect(nutrition.exerciseKcalFromPower({ averagePower: 200, durationSec: 3600 })).toBe(720)
    expect(nutrition.exerciseKcalFromPower({ averagePower: 0, durationSec: 3600 })).toBe(0)
  })

  it.for([
    { name: 'negative power', args: { averagePower: -1, durationSec: 60 }, field: 'averagePower' },
    {
      name: 'NaN duration',
      args: { averagePower: 200, durationSec: Number.NaN },
      field: 'durationSec',
    },
    {
      name: 'work overflowing',
      args: { averagePower: Number.MAX_VALUE, durationSec: 1e10 },
      field: 'durationSec',
    },
  ])('rejects $name', ({ args, field }) => {
    expectInvalidInput(() => nutrition.exerciseKcalFromPower(args), field)
  })
})

describe('nutrition.exerciseKcalFromHeartRate (Keytel et al. 2005)', () => {
  it.for([
    {
      name: 'man, 140 bpm, 70 kg, 30 y, 60 min',
      args: { averageHr: 140, weightKg: 70, ageYears: 30, sex: 'male', durationMin: 60 },
      kcal: ((-55.0969 + 0.6309 * 140 + 0.1988 * 70 + 0.2017 * 30) * 60) / 4.184,
    },
    {
      name: 'woman, 140 bpm, 60 kg, 30 y, 60 min',
      args: { averageHr: 140, weightKg: 60, ageYears: 30, sex: 'female', durationMin: 60 },
      kcal: ((-20.4022 + 0.4472 * 140 - 0.1263 * 60 + 0.074 * 30) * 60) / 4.184,
    },
    {
      name: 'a negative equation value at a low heart rate, reported as 0',
      args: { averageHr: 60, weightKg: 150, ageYears: 20, sex: 'female', durationMin: 60 },
      kcal: 0,
    },
  ] as const)('$name', ({ args, kcal }) => {
    expect(nutrition.exerciseKcalFromHeartRate(args)).toBeCloseTo(kcal, 9)
  })

  it('gives about 763 kcal for an hour at 140 bpm for a 70-kg 30-year-old man', () => {
    expect(
      nutrition.exerciseKcalFromHeartRate({
        averageHr: 140,
        weightKg: 70,
        ageYears: 30,
        sex: 'male',
        durationMin: 60,
      }),
    ).toBeCloseTo(762.85, 1)
  })

  it.for([
    { name: 'averageHr 0', args: { averageHr: 0 }, field: 'averageHr' },
    { name: 'averageHr above 250', args: { averageHr: 251 }, field: 'averageHr' },
    { name: 'weightKg above 300', args: { weightKg: 350 }, field: 'weightKg' },
    { name: 'ageYears below 10', args: { ageYears: 9 }, field: 'ageYears' },
    { name: 'unknown sex', args: { sex: 'f' }, field: 'sex' },
    { name: 'negative duration', args: { durationMin: -1 }, field: 'durationMin' },
  ])('rejects $name', ({ args, field }) => {
    const valid = { averageHr: 140, weightKg: 70, ageYears: 30, sex: 'male', durationMin: 60 }
    expectInvalidInput(
      () => nutrition.exerciseKcalFromHeartRate(untyped({ ...valid, ...args })),
      field,
    )
  })
})
