import { bmr, bmrDetails, calorieTarget, tdee, tdeeFromExercise } from './energy.js'
import { exerciseKcalFromHeartRate, exerciseKcalFromPower } from './exercise.js'
import { hydration, sweatRate } from './hydration.js'
import { carbTarget, dailyNeeds, proteinTarget } from './macros.js'
import { mealTemplate, nutrientTiming } from './timing.js'

/**
 * Nutrition: basal and total energy expenditure, calorie targets, macronutrient targets, nutrient
 * timing, hydration, meal templates and exercise energy (spec §7). Every function is pure and
 * throws `SportsScienceError` (`INVALID_INPUT`) on bad input.
 *
 * @example
 * ```ts
 * import { nutrition } from '@pierre/sports-science'
 *
 * const bmr = nutrition.bmr({ weightKg: 75, heightCm: 180, ageYears: 30, sex: 'male' }) // 1730
 * nutrition.tdee(bmr, 'moderatelyActive') // 2681.5
 * ```
 */
export const nutrition = {
  bmr,
  bmrDetails,
  tdee,
  tdeeFromExercise,
  calorieTarget,
  proteinTarget,
  carbTarget,
  dailyNeeds,
  nutrientTiming,
  hydration,
  sweatRate,
  mealTemplate,
  exerciseKcalFromPower,
  exerciseKcalFromHeartRate,
} as const
