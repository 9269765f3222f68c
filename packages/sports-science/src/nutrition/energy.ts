import {
  checkFiniteResult,
  checkNonNegative,
  checkNumber,
  checkObject,
  checkOneOf,
  checkOptionalNumber,
  checkPositive,
  describeRange,
  invalidInput,
  type NumberRange,
  withDefault,
} from '../internal/validate.js'
import { type Sex, sexes } from '../types.js'
import { ageYearsRange, heightCmRange, weightKgRange } from './constants.js'
import { type ActivityLevel, activityLevels, type NutritionGoal, nutritionGoals } from './types.js'

const bmrMethods = [
  'mifflinStJeor',
  'harrisBenedictRevised',
  'katchMcArdle',
] as const satisfies readonly BmrMethod[]

/**
 * BMR equation: `mifflinStJeor` (Mifflin et al. 1990, the default), `harrisBenedictRevised`
 * (Roza & Shizgal 1984) or `katchMcArdle` (from lean body mass; needs `bodyFatPercent`).
 */
export type BmrMethod = 'mifflinStJeor' | 'harrisBenedictRevised' | 'katchMcArdle'

/** Arguments of `nutrition.bmr` and `nutrition.bmrDetails`. */
export interface BmrArgs {
  /** Body mass, kg; 0 < weightKg ≤ 300. */
  readonly weightKg: number
  /** Height, cm; 0 < heightCm ≤ 300. */
  readonly heightCm: number
  /** Age, years; 10 ≤ ageYears ≤ 120 (results outside 19–78 are extrapolated). */
  readonly ageYears: number
  readonly sex: Sex
  /** Equation; defaults to `mifflinStJeor`. */
  readonly method?: BmrMethod | undefined
  /** Body fat, percent (0 ≤ bodyFatPercent < 100); required by `katchMcArdle`, ignored otherwise. */
  readonly bodyFatPercent?: number | undefined
  /** Optional floor for the result, kcal/day; no floor is applied when omitted. */
  readonly minKcal?: number | undefined
}

/** Result of `nutrition.bmrDetails`. */
export interface BmrDetails {
  /** Basal metabolic rate, kcal/day (after the `minKcal` floor, when one was given). */
  readonly kcal: number
  /** Equation used. */
  readonly method: BmrMethod
  /** True when ageYears lies outside 19–78, the age range of the Mifflin–St Jeor sample. */
  readonly extrapolated: boolean
  /** True when `minKcal` raised the equation's value. */
  readonly floored: boolean
}

const mifflinSampleAgeYears = { min: 19, max: 78 } as const
const bodyFatRange: NumberRange = { min: 0, max: 100, maxExclusive: true, unit: 'percent' }

/**
 * Computes basal metabolic rate with its provenance: the kcal/day value, the equation, whether the
 * age is outside the Mifflin–St Jeor sample (19–78 years) and whether `minKcal` raised the value.
 *
 * Formulas (kcal/day; W kg, H cm, A years), spec §7.1:
 * - `mifflinStJeor`: 10·W + 6.25·H − 5·A + 5 (male) or − 161 (female). Mifflin M.D. et al. (1990)
 *   *Am J Clin Nutr* 51:241–247.
 * - `harrisBenedictRevised`: male 88.362 + 13.397·W + 4.799·H − 5.677·A; female 447.593 + 9.247·W +
 *   3.098·H − 4.330·A. Roza A.M. & Shizgal H.M. (1984) *Am J Clin Nutr* 40:168–182.
 * - `katchMcArdle`: 370 + 21.6·LBM with LBM = W·(1 − bodyFatPercent/100). Katch & McArdle.
 *
 * No floor is applied unless `minKcal` is given (the reference silently floored at 1000 kcal).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a number is not finite or outside its
 *   range, `sex` or `method` is unknown, `katchMcArdle` lacks `bodyFatPercent`, or the equation gives
 *   a value ≤ 0 (only possible for implausibly small bodies).
 */
export function bmrDetails(args: BmrArgs): BmrDetails {
  checkObject(args, 'args')
  const weightKg = checkNumber(args.weightKg, 'weightKg', weightKgRange)
  const heightCm = checkNumber(args.heightCm, 'heightCm', heightCmRange)
  const ageYears = checkNumber(args.ageYears, 'ageYears', ageYearsRange)
  const sex = checkOneOf(args.sex, 'sex', sexes)
  const method = checkOneOf(withDefault(args.method, 'mifflinStJeor'), 'method', bmrMethods)
  const bodyFatPercent = checkOptionalNumber(args.bodyFatPercent, 'bodyFatPercent', bodyFatRange)
  const minKcal = checkOptionalNumber(args.minKcal, 'minKcal', { min: 0, unit: 'kcal/day' })

  let equationKcal: number
  switch (method) {
    case 'mifflinStJeor':
      equationKcal = 10 * weightKg + 6.25 * heightCm - 5 * ageYears + (sex === 'male' ? 5 : -161)
      break
    case 'harrisBenedictRevised':
      equationKcal =
        sex === 'male'
          ? 88.362 + 13.397 * weightKg + 4.799 * heightCm - 5.677 * ageYears
          : 447.593 + 9.247 * weightKg + 3.098 * heightCm - 4.33 * ageYears
      break
    case 'katchMcArdle': {
      if (bodyFatPercent === undefined) {
        const expected = `${describeRange(bodyFatRange)} when method is 'katchMcArdle'`
        throw invalidInput('bodyFatPercent', expected, undefined)
      }
      const leanMassKg = weightKg * (1 - bodyFatPercent / 100)
      equationKcal = 370 + 21.6 * leanMassKg
      break
    }
  }
  if (!(equationKcal > 0)) {
    throw invalidInput(
      'weightKg',
      'large enough, with heightCm and ageYears, for the equation to give a positive bmr',
      weightKg,
    )
  }
  const floored = minKcal !== undefined && minKcal > equationKcal
  return {
    kcal: floored ? minKcal : equationKcal,
    method,
    extrapolated: ageYears < mifflinSampleAgeYears.min || ageYears > mifflinSampleAgeYears.max,
    floored,
  }
}

/**
 * Computes basal metabolic rate, kcal/day; the number that {@link bmrDetails} reports as `kcal`.
 *
 * Mifflin–St Jeor by default: 10·W + 6.25·H − 5·A + 5 (male) / − 161 (female) (Mifflin M.D. et al.
 * 1990 *Am J Clin Nutr* 51:241–247); see {@link bmrDetails} for the other equations. Spec §7.1.
 *
 * @example
 * ```ts
 * nutrition.bmr({ weightKg: 75, heightCm: 180, ageYears: 30, sex: 'male' }) // 1730
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` as {@link bmrDetails} does.
 */
export function bmr(args: BmrArgs): number {
  return bmrDetails(args).kcal
}

/**
 * Conventional activity factors (multiples of BMR), McArdle, Katch & Katch, *Exercise Physiology*.
 */
const activityFactors: Readonly<Record<ActivityLevel, number>> = {
  sedentary: 1.2,
  lightlyActive: 1.375,
  moderatelyActive: 1.55,
  veryActive: 1.725,
  extraActive: 1.9,
}

/**
 * Computes total daily energy expenditure, kcal/day: `bmr` × activity factor, the factor being
 * sedentary 1.2, lightlyActive 1.375, moderatelyActive 1.55, veryActive 1.725, extraActive 1.9
 * (conventional factors, McArdle W.D., Katch F.I. & Katch V.L., *Exercise Physiology*). Spec §7.2.
 *
 * @param bmr - basal metabolic rate, kcal/day, > 0.
 * @param activityLevel - habitual activity level.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when bmr ≤ 0 or not finite, or the activity
 *   level is unknown.
 */
export function tdee(bmr: number, activityLevel: ActivityLevel): number {
  const checkedBmr = checkPositive(bmr, 'bmr', 'kcal/day')
  const level = checkOneOf(activityLevel, 'activityLevel', activityLevels)
  return checkFiniteResult(checkedBmr * activityFactors[level], 'bmr', bmr)
}

/** Arguments of `nutrition.tdeeFromExercise`. */
export interface TdeeFromExerciseArgs {
  /** Basal metabolic rate, kcal/day, > 0. */
  readonly bmr: number
  /** Multiple of BMR for everything but logged exercise; 1 ≤ factor ≤ 2.5, default 1.3. */
  readonly nonExerciseFactor?: number | undefined
  /** Energy of the day's logged exercise, kcal, ≥ 0. */
  readonly exerciseKcal: number
}

/**
 * Computes total daily energy expenditure from logged exercise, kcal/day:
 * `bmr × nonExerciseFactor + exerciseKcal` (spec §7.2). Better than an activity factor for athletes
 * whose sessions are recorded, since the exercise energy is measured rather than guessed.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when bmr ≤ 0, nonExerciseFactor is outside
 *   1–2.5 or exerciseKcal < 0.
 */
export function tdeeFromExercise(args: TdeeFromExerciseArgs): number {
  checkObject(args, 'args')
  const bmrKcal = checkPositive(args.bmr, 'bmr', 'kcal/day')
  const factor = checkNumber(withDefault(args.nonExerciseFactor, 1.3), 'nonExerciseFactor', {
    min: 1,
    max: 2.5,
  })
  const exerciseKcal = checkNonNegative(args.exerciseKcal, 'exerciseKcal', 'kcal')
  const nonExerciseKcal = checkFiniteResult(bmrKcal * factor, 'bmr', bmrKcal)
  return checkFiniteResult(nonExerciseKcal + exerciseKcal, 'exerciseKcal', exerciseKcal)
}

/** Arguments of `nutrition.calorieTarget`. */
export interface CalorieTargetArgs {
  /** Basal metabolic rate, kcal/day, > 0. */
  readonly bmr: number
  /** Total daily energy expenditure, kcal/day, ≥ bmr. */
  readonly tdee: number
  readonly goal: NutritionGoal
}

/**
 * Rule applied by `nutrition.calorieTarget`: `tdee` (maintenance, endurance performance),
 * `tdee_minus_500` (weight loss), `tdee_minus_500_floored_at_bmr` (weight loss when TDEE − 500 would
 * fall below BMR) or `tdee_plus_10_percent` (muscle gain, strength).
 */
export type CalorieTargetRule =
  | 'tdee'
  | 'tdee_minus_500'
  | 'tdee_minus_500_floored_at_bmr'
  | 'tdee_plus_10_percent'

/** Result of `nutrition.calorieTarget`. */
export interface CalorieTarget {
  /** Daily energy target, kcal/day. */
  readonly kcal: number
  /** The rule that produced `kcal`. */
  readonly rule: CalorieTargetRule
}

const weightLossDeficitKcal = 500
const muscleGainSurplusFactor = 1.1

/**
 * Computes the daily energy target for a goal, kcal/day, and names the rule applied (product
 * decision, tools spec §8.5): maintenance and endurancePerformance = TDEE; weightLoss = TDEE − 500,
 * never below BMR; muscleGain and strength = TDEE × 1.10.
 *
 * These are product rules, not a published prescription; the floor keeps a weight-loss target from
 * dropping below resting needs.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when bmr or tdee is ≤ 0, tdee < bmr, or the goal
 *   is unknown.
 */
export function calorieTarget(args: CalorieTargetArgs): CalorieTarget {
  checkObject(args, 'args')
  const bmrKcal = checkPositive(args.bmr, 'bmr', 'kcal/day')
  const tdeeKcal = checkPositive(args.tdee, 'tdee', 'kcal/day')
  if (tdeeKcal < bmrKcal) throw invalidInput('tdee', `at least bmr (${bmrKcal} kcal/day)`, tdeeKcal)
  const goal = checkOneOf(args.goal, 'goal', nutritionGoals)
  switch (goal) {
    case 'maintenance':
    case 'endurancePerformance':
      return { kcal: tdeeKcal, rule: 'tdee' }
    case 'weightLoss': {
      const kcal = tdeeKcal - weightLossDeficitKcal
      return kcal < bmrKcal
        ? { kcal: bmrKcal, rule: 'tdee_minus_500_floored_at_bmr' }
        : { kcal, rule: 'tdee_minus_500' }
    }
    case 'muscleGain':
    case 'strength':
      return {
        kcal: checkFiniteResult(tdeeKcal * muscleGainSurplusFactor, 'tdee', tdeeKcal),
        rule: 'tdee_plus_10_percent',
      }
  }
}
