import {
  checkNumber,
  checkObject,
  checkOneOf,
  clamp,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import type { Sex } from '../types.js'
import { kcalPerGramCarbs, kcalPerGramFat, kcalPerGramProtein, weightKgRange } from './constants.js'
import { bmr, tdee } from './energy.js'
import { type ActivityLevel, activityLevels, type NutritionGoal, nutritionGoals } from './types.js'

/** Arguments of `nutrition.proteinTarget`. */
export interface ProteinTargetArgs {
  /** Body mass, kg; 0 < weightKg ≤ 300. */
  readonly weightKg: number
  readonly activityLevel: ActivityLevel
  readonly goal: NutritionGoal
}

/**
 * Protein requirement in g/kg/day by the reference table (spec §7.3). Heuristic kept as coded in the
 * reference; a product decision on weight loss is pending (see the spec).
 */
function proteinGPerKg(activityLevel: ActivityLevel, goal: NutritionGoal): number {
  switch (activityLevel) {
    case 'sedentary':
      return 0.8
    case 'lightlyActive':
    case 'moderatelyActive':
      return 1.3
    case 'veryActive':
    case 'extraActive':
      if (goal === 'endurancePerformance') return 2
      if (goal === 'muscleGain' || goal === 'strength') return 2.2
      return 1.8
  }
}

/**
 * Computes the daily protein target, g/day: weightKg × g/kg, with g/kg = sedentary 0.8; lightly or
 * moderately active 1.3; very or extra active 2.0 for endurance, 2.2 for strength or muscle gain and
 * 1.8 for any other goal (spec §7.3, the reference table).
 *
 * Context: the ISSN recommends 1.4–2.0 g/kg/day for exercising people (Jäger R. et al. 2017 *JISSN*
 * 14:20); Phillips S.M. & Van Loon L.J. (2011) *J Sports Sci* 29:S29–S38. The reference's match order
 * gives weight-loss clients 0.8 or 1.3 g/kg unless very or extra active; that is kept as coded.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when weightKg is outside 0–300 kg or an option
 *   value is unknown.
 */
export function proteinTarget(args: ProteinTargetArgs): number {
  checkObject(args, 'args')
  const weightKg = checkNumber(args.weightKg, 'weightKg', weightKgRange)
  const activityLevel = checkOneOf(args.activityLevel, 'activityLevel', activityLevels)
  const goal = checkOneOf(args.goal, 'goal', nutritionGoals)
  return weightKg * proteinGPerKg(activityLevel, goal)
}

const carbTargetMethods = ['burke2011', 'pierre'] as const satisfies readonly CarbTargetMethod[]

/**
 * Carbohydrate rule: `burke2011` (default; midpoints of Burke et al. 2011 by training load) or
 * `pierre` (compat: the reference table).
 */
export type CarbTargetMethod = 'burke2011' | 'pierre'

/** Arguments of `nutrition.carbTarget`. */
export interface CarbTargetArgs extends ProteinTargetArgs {
  /** Rule; defaults to `burke2011`. */
  readonly method?: CarbTargetMethod | undefined
}

/** Midpoints (g/kg/day) of the Burke et al. (2011) training-load bands, by activity level. */
const burkeGPerKg: Readonly<Record<ActivityLevel, number>> = {
  sedentary: 3,
  lightlyActive: 4,
  moderatelyActive: 6,
  veryActive: 8,
  extraActive: 10,
}

function pierreCarbGPerKg(activityLevel: ActivityLevel, goal: NutritionGoal): number {
  if (activityLevel === 'sedentary' || activityLevel === 'lightlyActive') return 3
  if (goal === 'endurancePerformance') return 10
  return activityLevel === 'moderatelyActive' ? 6 : 7.2
}

function carbGPerKg(
  method: CarbTargetMethod,
  activityLevel: ActivityLevel,
  goal: NutritionGoal,
): number {
  return method === 'burke2011' ? burkeGPerKg[activityLevel] : pierreCarbGPerKg(activityLevel, goal)
}

/**
 * Computes the daily carbohydrate target, g/day: weightKg × g/kg (spec §7.4).
 *
 * - `burke2011` (default): midpoints of the training-load bands of Burke L.M. et al. (2011) *J Sports
 *   Sci* 29:S17–S27 (light 3–5, moderate 5–7, high 6–10, very high 8–12 g/kg): sedentary 3,
 *   lightlyActive 4, moderatelyActive 6, veryActive 8, extraActive 10 g/kg. The goal does not change
 *   the amount.
 * - `pierre` (compat): sedentary or lightly active 3; any other level with an endurance goal 10;
 *   moderately active 6; very or extra active 7.2 g/kg.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when weightKg is outside 0–300 kg or an option
 *   value is unknown.
 */
export function carbTarget(args: CarbTargetArgs): number {
  checkObject(args, 'args')
  const weightKg = checkNumber(args.weightKg, 'weightKg', weightKgRange)
  const activityLevel = checkOneOf(args.activityLevel, 'activityLevel', activityLevels)
  const goal = checkOneOf(args.goal, 'goal', nutritionGoals)
  const method = checkOneOf(withDefault(args.method, 'burke2011'), 'method', carbTargetMethods)
  return weightKg * carbGPerKg(method, activityLevel, goal)
}

const fatMethods = ['balanced', 'pierre'] as const satisfies readonly FatMethod[]

/**
 * Fat rule of `nutrition.dailyNeeds`: `balanced` (default; macros add up to TDEE) or `pierre`
 * (compat: the reference's goal percentage, carbohydrate left unadjusted).
 */
export type FatMethod = 'balanced' | 'pierre'

/** Arguments of `nutrition.dailyNeeds`. */
export interface DailyNeedsArgs {
  /** Body mass, kg; 0 < weightKg ≤ 300. */
  readonly weightKg: number
  /** Height, cm; 0 < heightCm ≤ 300. */
  readonly heightCm: number
  /** Age, years; 10 ≤ ageYears ≤ 120. */
  readonly ageYears: number
  readonly sex: Sex
  readonly activityLevel: ActivityLevel
  readonly goal: NutritionGoal
}

/** Options of `nutrition.dailyNeeds`. */
export interface DailyNeedsOptions {
  /** Carbohydrate rule; defaults to `burke2011`. */
  readonly carbs?: CarbTargetMethod | undefined
  /** Fat rule; defaults to `balanced`. */
  readonly fat?: FatMethod | undefined
}

/** Energy share of each macronutrient, percent (0–100) of a reference energy. */
export interface MacroPercentages {
  readonly protein: number
  readonly carbs: number
  readonly fat: number
}

/** Result of `nutrition.dailyNeeds`. */
export interface DailyNeeds {
  /** Basal metabolic rate (Mifflin–St Jeor), kcal/day. */
  readonly bmr: number
  /** Total daily energy expenditure, kcal/day. */
  readonly tdee: number
  /** Protein, g/day. */
  readonly proteinG: number
  /** Carbohydrate, g/day. */
  readonly carbsG: number
  /** Fat, g/day. */
  readonly fatG: number
  /**
   * 4·protein + 4·carbs + 9·fat − TDEE, kcal/day. With `balanced` it is 0 unless the 3 g/kg
   * carbohydrate floor binds (then positive); with `pierre` it can have either sign.
   */
  readonly energyGapKcal: number
  /** Energy of each macronutrient as a percent of TDEE (4/4/9 kcal/g); may not sum to 100. */
  readonly percentOfTdee: MacroPercentages
}

const fatMinEnergyFraction = 0.2
const fatMaxEnergyFraction = 0.35
const carbFloorGPerKg = 3

/** Fat share of TDEE aimed at by the reference (`pierre` fat rule), fraction. */
function pierreFatFraction(goal: NutritionGoal): number {
  switch (goal) {
    case 'weightLoss':
      return 0.2
    case 'muscleGain':
    case 'strength':
      return 0.25
    case 'maintenance':
    case 'endurancePerformance':
      return 0.275
  }
}

/**
 * Computes BMR, TDEE and daily protein, carbohydrate and fat targets (spec §7.5).
 *
 * BMR is Mifflin–St Jeor, TDEE = BMR × activity factor, protein = {@link proteinTarget}, carbohydrate
 * = {@link carbTarget} with `options.carbs`. Then, with T = TDEE, P, C in g and W in kg:
 *
 * - `balanced` (default): fat is kept within 20–35% of energy (IOM Acceptable Macronutrient
 *   Distribution Range) and the macros add up to TDEE. rem = T − 4P − 4C; if rem/9 > 0.35·T/9, fat is
 *   0.35·T/9 and the surplus goes to carbohydrate; if rem/9 is inside the band, fat = rem/9; otherwise
 *   fat = 0.20·T/9 and carbohydrate is lowered to (T − 4P − 9·fat)/4, but never below 3·W g.
 * - `pierre` (compat): fat = clamp(max(rem/9, share·T/9), 0.20·T/9, 0.35·T/9) with share 20% (weight
 *   loss), 25% (muscle gain, strength) or 27.5% (maintenance, endurance); carbohydrate unchanged, so
 *   the macros can exceed TDEE by far.
 *
 * `energyGapKcal` = 4P + 4C + 9F − T; percentages are of TDEE.
 *
 * @example
 * ```ts
 * nutrition.dailyNeeds(
 *   { weightKg: 70, heightCm: 175, ageYears: 35, sex: 'male', activityLevel: 'veryActive', goal: 'endurancePerformance' },
 * ) // { bmr: 1623.75, tdee: 2800.96875, proteinG: 140, carbsG: 420.19375, fatG: 62.24375, energyGapKcal: 0, … }
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a number is not finite or outside its
 *   range, or an option value is unknown.
 */
export function dailyNeeds(args: DailyNeedsArgs, options?: DailyNeedsOptions): DailyNeeds {
  checkObject(args, 'args')
  const { carbs, fat } = optionsOrEmpty(options)
  const carbMethod = checkOneOf(withDefault(carbs, 'burke2011'), 'carbs', carbTargetMethods)
  const fatMethod = checkOneOf(withDefault(fat, 'balanced'), 'fat', fatMethods)
  const { weightKg, heightCm, ageYears, sex, activityLevel, goal } = args

  const bmrKcal = bmr({ weightKg, heightCm, ageYears, sex })
  const tdeeKcal = tdee(bmrKcal, activityLevel)
  const proteinG = proteinTarget({ weightKg, activityLevel, goal })
  let carbsG = carbTarget({ weightKg, activityLevel, goal, method: carbMethod })

  const fatMinG = (fatMinEnergyFraction * tdeeKcal) / kcalPerGramFat
  const fatMaxG = (fatMaxEnergyFraction * tdeeKcal) / kcalPerGramFat
  const remainingKcal = tdeeKcal - kcalPerGramProtein * proteinG - kcalPerGramCarbs * carbsG
  let fatG: number
  let energyGapKcal: number

  if (fatMethod === 'balanced') {
    energyGapKcal = 0
    if (remainingKcal / kcalPerGramFat > fatMaxG) {
      fatG = fatMaxG
      carbsG += (remainingKcal - kcalPerGramFat * fatMaxG) / kcalPerGramCarbs
    } else if (remainingKcal / kcalPerGramFat >= fatMinG) {
      fatG = remainingKcal / kcalPerGramFat
    } else {
      fatG = fatMinG
      const carbsForEnergyG =
        (tdeeKcal - kcalPerGramProtein * proteinG - kcalPerGramFat * fatMinG) / kcalPerGramCarbs
      const carbFloorG = carbFloorGPerKg * weightKg
      if (carbsForEnergyG < carbFloorG) {
        carbsG = carbFloorG
        // The floor is the only source of a gap: the carbohydrate above what energy allows.
        energyGapKcal = kcalPerGramCarbs * (carbFloorG - carbsForEnergyG)
      } else {
        carbsG = carbsForEnergyG
      }
    }
  } else {
    const targetFatG = (pierreFatFraction(goal) * tdeeKcal) / kcalPerGramFat
    fatG = clamp(Math.max(remainingKcal / kcalPerGramFat, targetFatG), fatMinG, fatMaxG)
    energyGapKcal =
      kcalPerGramProtein * proteinG + kcalPerGramCarbs * carbsG + kcalPerGramFat * fatG - tdeeKcal
  }

  return {
    bmr: bmrKcal,
    tdee: tdeeKcal,
    proteinG,
    carbsG,
    fatG,
    energyGapKcal,
    percentOfTdee: {
      protein: ((kcalPerGramProtein * proteinG) / tdeeKcal) * 100,
      carbs: ((kcalPerGramCarbs * carbsG) / tdeeKcal) * 100,
      fat: ((kcalPerGramFat * fatG) / tdeeKcal) * 100,
    },
  }
}
