import { describe, expectTypeOf, it } from 'vitest'
import {
  type ActivityLevel,
  type BmrDetails,
  type CalorieTargetRule,
  type DailyNeeds,
  type Hydration,
  type MealTemplate,
  type NutrientTiming,
  type NutritionGoal,
  nutrition,
  type SportsScienceError,
  type SportsScienceErrorCode,
  type SweatRate,
} from '../src/index.js'

describe('public types', () => {
  it('pins the nutrition signatures', () => {
    expectTypeOf(nutrition.bmr).returns.toEqualTypeOf<number>()
    expectTypeOf(nutrition.bmrDetails).returns.toEqualTypeOf<BmrDetails>()
    expectTypeOf(nutrition.tdee).parameters.toEqualTypeOf<
      [bmr: number, activityLevel: ActivityLevel]
    >()
    expectTypeOf(nutrition.calorieTarget).returns.toEqualTypeOf<{
      readonly kcal: number
      readonly rule: CalorieTargetRule
    }>()
    expectTypeOf(nutrition.dailyNeeds).returns.toEqualTypeOf<DailyNeeds>()
    expectTypeOf(nutrition.nutrientTiming).returns.toEqualTypeOf<NutrientTiming>()
    expectTypeOf(nutrition.hydration).returns.toEqualTypeOf<Hydration>()
    expectTypeOf(nutrition.sweatRate).returns.toEqualTypeOf<SweatRate>()
    expectTypeOf(nutrition.mealTemplate).returns.toEqualTypeOf<MealTemplate>()
    expectTypeOf<NutrientTiming['duringCarbsGPerHour']>().toEqualTypeOf<number | null>()
  })

  it('closes the unions', () => {
    expectTypeOf<SportsScienceErrorCode>().toEqualTypeOf<'INVALID_INPUT'>()
    expectTypeOf<SportsScienceError['code']>().toEqualTypeOf<SportsScienceErrorCode>()
    expectTypeOf<NutritionGoal>().toEqualTypeOf<
      'maintenance' | 'weightLoss' | 'muscleGain' | 'strength' | 'endurancePerformance'
    >()
    expectTypeOf<ActivityLevel>().toEqualTypeOf<
      'sedentary' | 'lightlyActive' | 'moderatelyActive' | 'veryActive' | 'extraActive'
    >()
  })

  it('rejects unknown option values at compile time', () => {
    const args = { weightKg: 70, heightCm: 175, ageYears: 35, sex: 'male' } as const
    const person = { ...args, activityLevel: 'sedentary', goal: 'maintenance' } as const
    // @ts-expect-error 'keto' is not a carbohydrate rule
    nutrition.dailyNeeds(person, { carbs: 'keto' })
    // @ts-expect-error 'cunningham' is not a BMR equation
    nutrition.bmr({ ...args, method: 'cunningham' })
  })
})
