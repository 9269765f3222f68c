import { calculateDailyNutrition } from './daily-nutrition.js'
import { getNutrientTiming } from './nutrient-timing.js'

/** The nutrition tools available without food data (`specs/tools.md` §2.7). */
export const nutritionTools = [calculateDailyNutrition, getNutrientTiming] as const

export { calculateDailyNutrition, getNutrientTiming }
