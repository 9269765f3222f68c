import {
  checkBoolean,
  checkNumber,
  checkObject,
  checkOneOf,
  checkOptionalNumber,
  checkPositive,
  clamp,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import { kcalPerGramCarbs, kcalPerGramFat, kcalPerGramProtein, weightKgRange } from './constants.js'
import type { MacroPercentages } from './macros.js'
import { type WorkoutIntensity, workoutIntensities } from './types.js'

const nutrientTimingMethods = [
  'issn2017',
  'pierre',
] as const satisfies readonly NutrientTimingMethod[]

/**
 * Nutrient-timing rules: `issn2017` (default; Kerksick et al. 2017 and Thomas et al. 2016) or `pierre`
 * (compat: the reference's numbers).
 */
export type NutrientTimingMethod = 'issn2017' | 'pierre'

/** Arguments of `nutrition.nutrientTiming`. */
export interface NutrientTimingArgs {
  /** Body mass, kg; 0 < weightKg ≤ 300. */
  readonly weightKg: number
  /** Lead time between the pre-exercise meal and the session, h; 0–24, default 2. */
  readonly hoursBefore?: number | undefined
  /** Session duration, min, ≥ 0; without it `duringCarbsGPerHour` is `null`. */
  readonly durationMin?: number | undefined
  /** Session intensity; defaults to `moderate`. */
  readonly intensity?: WorkoutIntensity | undefined
  /** True when the next session is less than 4 h away; defaults to false. */
  readonly rapidRefuel?: boolean | undefined
  /** Daily protein target, g/day, > 0; needed for `proteinPerMealG` and by the `pierre` method. */
  readonly dailyProteinG?: number | undefined
}

/** Options of `nutrition.nutrientTiming`. */
export interface NutrientTimingOptions {
  /** Rule set; defaults to `issn2017`. */
  readonly method?: NutrientTimingMethod | undefined
}

/** Result of `nutrition.nutrientTiming`. */
export interface NutrientTiming {
  /** Carbohydrate of the pre-exercise meal, g. */
  readonly preCarbsG: number
  /** Lead time the pre-exercise advice is for, h (the argument, default 2). */
  readonly hoursBefore: number
  /** Carbohydrate during the session, g/h; `null` when durationMin was not given. */
  readonly duringCarbsGPerHour: number | null
  /** Protein soon after the session, g. */
  readonly postProteinG: number
  /** Carbohydrate after the session, g (over the first 4 h when refuelling rapidly). */
  readonly postCarbsG: number
  /** Hourly carbohydrate during rapid refuelling, g/h; `null` otherwise. */
  readonly postCarbsGPerHour: number | null
  /** Protein per meal when the daily target is spread over `mealsPerDay` meals, g; `null` without dailyProteinG. */
  readonly proteinPerMealG: number | null
  /** Meals the daily protein is spread over. */
  readonly mealsPerDay: number
  /** Human-readable cautions (lower-case), empty when there are none. */
  readonly warnings: readonly string[]
}

const mealsPerDay = 4
const rapidRefuelHours = 4
const rapidRefuelCarbsGPerKgPerHour = 1.2
const postCarbsGPerKg = 1
const postProteinGPerKg = 0.3
const postProteinMinG = 20
const postProteinMaxG = 40
const minProteinPerMealGPerKg = 0.25
const pierrePreCarbsGPerKg = 0.75
const pierreIntensityFactor: Readonly<Record<WorkoutIntensity, number>> = {
  low: 0.5,
  moderate: 1,
  high: 1.3,
}

/**
 * Carbohydrate during exercise, g/h: none under 60 min; 30/45/60 (low/moderate/high) for 60–150 min;
 * 60/75/90 beyond 150 min. Kerksick (2017) 30–60 g/h; Jeukendrup (2014) up to 90 g/h of multiple
 * transportable carbohydrates for the longest sessions.
 */
function duringCarbsGPerHour(durationMin: number, intensity: WorkoutIntensity): number {
  if (durationMin < 60) return 0
  const step = intensity === 'low' ? 0 : intensity === 'moderate' ? 15 : 30
  return (durationMin <= 150 ? 30 : 60) + step
}

/**
 * Computes pre-, during- and post-exercise fuelling and the daily protein spread (spec §7.6).
 *
 * `issn2017` (default), W = weightKg:
 * - preCarbsG = W × clamp(hoursBefore, 1, 4): 1 g/kg per hour of lead time, spanning the 1–4 g/kg
 *   1–4 h before exercise of Thomas D.T. et al. (2016) ACSM/AND/DC position (*Med Sci Sports Exerc*
 *   48:543–568) and Kerksick C.M. et al. (2017) *JISSN* 14:33.
 * - duringCarbsGPerHour: 0 below 60 min; 30/45/60 g/h (low/moderate/high) for 60–150 min; 60/75/90 g/h
 *   beyond 150 min (Kerksick 2017: 30–60 g/h; Jeukendrup A. 2014 *Sports Med* 44:S25–S33: up to
 *   90 g/h); `null` without durationMin.
 * - postProteinG = clamp(0.3·W, 20, 40) (Kerksick 2017; Jäger R. et al. 2017 *JISSN* 14:20:
 *   0.25–0.40 g/kg, 20–40 g).
 * - rapidRefuel (next session < 4 h away): postCarbsGPerHour = 1.2·W g/h for 4 h, postCarbsG = 4 × 1.2·W;
 *   otherwise postCarbsGPerHour = null and postCarbsG = 1.0·W (Kerksick 2017; Burke L.M. et al. 2011).
 * - proteinPerMealG = dailyProteinG / 4, with a warning below 0.25 g/kg per meal (Schoenfeld B.J. &
 *   Aragon A.A. 2018 *JISSN* 15:10).
 *
 * `pierre` (compat): preCarbsG = W × 0.75 × {low 0.5, moderate 1, high 1.3}, whatever hoursBefore;
 * postProteinG = clamp(dailyProteinG / 5, 20, 40) (dailyProteinG required); postCarbsG = 1.0·W and no
 * rapid refuelling. It always warns that its pre-exercise carbohydrate is below the cited range.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a number is not finite or outside its
 *   range, an option value is unknown, or `pierre` is used without dailyProteinG.
 */
export function nutrientTiming(
  args: NutrientTimingArgs,
  options?: NutrientTimingOptions,
): NutrientTiming {
  checkObject(args, 'args')
  const { method: methodOption } = optionsOrEmpty(options)
  const method = checkOneOf(withDefault(methodOption, 'issn2017'), 'method', nutrientTimingMethods)
  const weightKg = checkNumber(args.weightKg, 'weightKg', weightKgRange)
  const hoursBefore = checkNumber(withDefault(args.hoursBefore, 2), 'hoursBefore', {
    min: 0,
    max: 24,
    unit: 'h',
  })
  const durationMin = checkOptionalNumber(args.durationMin, 'durationMin', { min: 0, unit: 'min' })
  const intensity = checkOneOf(
    withDefault(args.intensity, 'moderate'),
    'intensity',
    workoutIntensities,
  )
  const rapidRefuel = checkBoolean(withDefault(args.rapidRefuel, false), 'rapidRefuel')
  const dailyProteinG =
    args.dailyProteinG === undefined
      ? undefined
      : checkPositive(args.dailyProteinG, 'dailyProteinG', 'g/day')

  const warnings: string[] = []
  const proteinPerMealG = dailyProteinG === undefined ? null : dailyProteinG / mealsPerDay
  if (proteinPerMealG !== null && proteinPerMealG < minProteinPerMealGPerKg * weightKg) {
    warnings.push(
      'protein per meal is below 0.25 g/kg, the dose that maximises muscle protein synthesis in a meal (schoenfeld & aragon 2018)',
    )
  }
  const during = durationMin === undefined ? null : duringCarbsGPerHour(durationMin, intensity)

  if (method === 'pierre') {
    if (dailyProteinG === undefined) {
      throw invalidInput(
        'dailyProteinG',
        "a number greater than 0 (g/day) when method is 'pierre'",
        undefined,
      )
    }
    warnings.push(
      'pre-exercise carbohydrate of the pierre method is below the 1–4 g/kg of the issn and acsm position stands',
    )
    if (rapidRefuel) warnings.push('rapidRefuel is ignored by the pierre method')
    return {
      preCarbsG: weightKg * pierrePreCarbsGPerKg * pierreIntensityFactor[intensity],
      hoursBefore,
      duringCarbsGPerHour: during,
      postProteinG: clamp(dailyProteinG / 5, postProteinMinG, postProteinMaxG),
      postCarbsG: postCarbsGPerKg * weightKg,
      postCarbsGPerHour: null,
      proteinPerMealG,
      mealsPerDay,
      warnings,
    }
  }

  if (hoursBefore < 1 || hoursBefore > 4) {
    warnings.push(
      `hoursBefore is outside the 1–4 h the guidelines cover; preCarbsG is given for ${hoursBefore < 1 ? 1 : 4} h`,
    )
  }
  const postCarbsGPerHour = rapidRefuel ? rapidRefuelCarbsGPerKgPerHour * weightKg : null
  return {
    preCarbsG: weightKg * clamp(hoursBefore, 1, 4),
    hoursBefore,
    duringCarbsGPerHour: during,
    postProteinG: clamp(postProteinGPerKg * weightKg, postProteinMinG, postProteinMaxG),
    postCarbsG:
      postCarbsGPerHour === null
        ? postCarbsGPerKg * weightKg
        : rapidRefuelHours * postCarbsGPerHour,
    postCarbsGPerHour,
    proteinPerMealG,
    mealsPerDay,
    warnings,
  }
}

const mealTimings = [
  'preTraining',
  'postTraining',
  'restDay',
  'general',
] as const satisfies readonly MealTiming[]

/** Meal slot of a template: before training, after training, on a rest day, or any other meal. */
export type MealTiming = 'preTraining' | 'postTraining' | 'restDay' | 'general'

/** Options of `nutrition.mealTemplate`. */
export interface MealTemplateOptions {
  /** Total daily energy expenditure, kcal/day, > 0; without it fixed meal sizes are used. */
  readonly tdee?: number | undefined
}

/** Result of `nutrition.mealTemplate`. */
export interface MealTemplate {
  readonly timing: MealTiming
  /** Energy of the meal, kcal. */
  readonly kcal: number
  /** Protein, g. */
  readonly proteinG: number
  /** Carbohydrate, g. */
  readonly carbsG: number
  /** Fat, g. */
  readonly fatG: number
  /** Share of the meal's energy from each macronutrient, percent (sums to 100). */
  readonly percentOfKcal: MacroPercentages
}

interface MealRule {
  readonly split: MacroPercentages
  readonly tdeeFraction: number
  readonly defaultKcal: number
}

const mealRules: Readonly<Record<MealTiming, MealRule>> = {
  preTraining: {
    split: { protein: 20, carbs: 55, fat: 25 },
    tdeeFraction: 0.175,
    defaultKcal: 400,
  },
  postTraining: {
    split: { protein: 30, carbs: 45, fat: 25 },
    tdeeFraction: 0.275,
    defaultKcal: 600,
  },
  restDay: { split: { protein: 30, carbs: 35, fat: 35 }, tdeeFraction: 0.25, defaultKcal: 500 },
  general: { split: { protein: 25, carbs: 45, fat: 30 }, tdeeFraction: 0.25, defaultKcal: 500 },
}

/**
 * Builds a meal template: energy and macronutrient grams for one meal (spec §7.7, the reference's
 * product constants; not from a publication).
 *
 * Split of meal energy (protein/carbs/fat, %): preTraining 20/55/25, postTraining 30/45/25, restDay
 * 30/35/35, general 25/45/30. Meal energy = tdee × {0.175, 0.275, 0.25, 0.25}, or 400/600/500/500
 * kcal without tdee. Grams = kcal × share / 4 (protein, carbohydrate) or / 9 (fat).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when timing is unknown or tdee is not a positive
 *   finite number.
 */
export function mealTemplate(timing: MealTiming, options?: MealTemplateOptions): MealTemplate {
  const checkedTiming = checkOneOf(timing, 'timing', mealTimings)
  const { tdee } = optionsOrEmpty(options)
  const rule = mealRules[checkedTiming]
  const kcal =
    tdee === undefined
      ? rule.defaultKcal
      : checkPositive(tdee, 'tdee', 'kcal/day') * rule.tdeeFraction
  const { protein, carbs, fat } = rule.split
  return {
    timing: checkedTiming,
    kcal,
    proteinG: ((kcal / 100) * protein) / kcalPerGramProtein,
    carbsG: ((kcal / 100) * carbs) / kcalPerGramCarbs,
    fatG: ((kcal / 100) * fat) / kcalPerGramFat,
    percentOfKcal: { protein, carbs, fat },
  }
}
