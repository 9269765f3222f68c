/** The five activity levels, from least to most active. */
export const activityLevels = [
  'sedentary',
  'lightlyActive',
  'moderatelyActive',
  'veryActive',
  'extraActive',
] as const satisfies readonly ActivityLevel[]

/**
 * Habitual activity level: `sedentary` (little or no exercise), `lightlyActive` (1–3 days/week),
 * `moderatelyActive` (3–5 days/week, about 1 h/day), `veryActive` (6–7 days/week, 1–3 h/day),
 * `extraActive` (twice a day or physical work, 4–5 h/day of training).
 */
export type ActivityLevel =
  | 'sedentary'
  | 'lightlyActive'
  | 'moderatelyActive'
  | 'veryActive'
  | 'extraActive'

/** The nutrition goals. */
export const nutritionGoals = [
  'maintenance',
  'weightLoss',
  'muscleGain',
  'strength',
  'endurancePerformance',
] as const satisfies readonly NutritionGoal[]

/** What the athlete's diet should support. */
export type NutritionGoal =
  | 'maintenance'
  | 'weightLoss'
  | 'muscleGain'
  | 'strength'
  | 'endurancePerformance'

/** The workout intensities. */
export const workoutIntensities = [
  'low',
  'moderate',
  'high',
] as const satisfies readonly WorkoutIntensity[]

/** Perceived intensity of a workout, used to scale fuelling during (and, in `pierre`, before) it. */
export type WorkoutIntensity = 'low' | 'moderate' | 'high'
