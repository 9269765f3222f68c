export type {
  SportsScienceErrorCode,
  SportsScienceErrorDetails,
  SportsScienceErrorOptions,
} from './errors.js'
export { isSportsScienceError, SportsScienceError } from './errors.js'
export type {
  BmrArgs,
  BmrDetails,
  BmrMethod,
  CalorieTarget,
  CalorieTargetArgs,
  CalorieTargetRule,
  TdeeFromExerciseArgs,
} from './nutrition/energy.js'
export type {
  ExerciseKcalFromHeartRateArgs,
  ExerciseKcalFromPowerArgs,
} from './nutrition/exercise.js'
export type {
  DuringExerciseFluid,
  Hydration,
  HydrationArgs,
  PostExerciseFluid,
  PreExerciseFluid,
  SweatRate,
  SweatRateArgs,
} from './nutrition/hydration.js'
export { nutrition } from './nutrition/index.js'
export type {
  CarbTargetArgs,
  CarbTargetMethod,
  DailyNeeds,
  DailyNeedsArgs,
  DailyNeedsOptions,
  FatMethod,
  MacroPercentages,
  ProteinTargetArgs,
} from './nutrition/macros.js'
export type {
  MealTemplate,
  MealTemplateOptions,
  MealTiming,
  NutrientTiming,
  NutrientTimingArgs,
  NutrientTimingMethod,
  NutrientTimingOptions,
} from './nutrition/timing.js'
export type { ActivityLevel, NutritionGoal, WorkoutIntensity } from './nutrition/types.js'
export type { Sex } from './types.js'
