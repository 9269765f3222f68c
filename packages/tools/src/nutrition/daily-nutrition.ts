import { nutrition } from '@pierre/sports-science'
import { z } from 'zod'
import { defineTool } from '../definition.js'
import { caseInsensitiveEnum } from '../schema.js'
import { round1 } from './round.js'

const ACTIVITY_LEVELS = [
  'sedentary',
  'lightly_active',
  'moderately_active',
  'very_active',
  'extra_active',
] as const
const TRAINING_GOALS = [
  'maintenance',
  'weight_loss',
  'muscle_gain',
  'endurance_performance',
] as const

const activityLevelOf = {
  sedentary: 'sedentary',
  lightly_active: 'lightlyActive',
  moderately_active: 'moderatelyActive',
  very_active: 'veryActive',
  extra_active: 'extraActive',
} as const

const goalOf = {
  maintenance: 'maintenance',
  weight_loss: 'weightLoss',
  muscle_gain: 'muscleGain',
  endurance_performance: 'endurancePerformance',
} as const

const goalLabel = {
  maintenance: 'Maintenance',
  weight_loss: 'WeightLoss',
  muscle_gain: 'MuscleGain',
  endurance_performance: 'EndurancePerformance',
} as const

const input = z.object({
  weight_kg: z.number().gt(0).lte(300).describe('Body mass in kilograms (0 < x ≤ 300).'),
  height_cm: z.number().gt(0).lte(300).describe('Height in centimetres (0 < x ≤ 300).'),
  age: z.int().min(10).max(120).describe('Age in whole years (10–120).'),
  gender: caseInsensitiveEnum(['male', 'female']).describe(
    'Sex used by the Mifflin–St Jeor equation: male or female.',
  ),
  activity_level: caseInsensitiveEnum(ACTIVITY_LEVELS).describe(
    'Usual daily activity: sedentary (×1.2), lightly_active (×1.375), moderately_active (×1.55), very_active (×1.725) or extra_active (×1.9).',
  ),
  training_goal: caseInsensitiveEnum(TRAINING_GOALS).describe(
    'Goal that sets protein, the calorie target and the macro split.',
  ),
})

const output = z.object({
  bmr: z.number().describe('Basal metabolic rate, kcal/day (Mifflin–St Jeor 1990).'),
  tdee: z.number().describe('Total daily energy expenditure, kcal/day (BMR × activity factor).'),
  calorie_target: z.number().describe('Daily energy target for the goal, kcal/day.'),
  calorie_target_rule: z
    .string()
    .describe('The rule that produced calorie_target (e.g. tdee_minus_500).'),
  protein_g: z.number().describe('Daily protein, grams.'),
  carbs_g: z.number().describe('Daily carbohydrate, grams.'),
  fat_g: z.number().describe('Daily fat, grams.'),
  protein_percent: z.number().describe('Protein energy as a percentage of TDEE.'),
  carbs_percent: z.number().describe('Carbohydrate energy as a percentage of TDEE.'),
  fat_percent: z.number().describe('Fat energy as a percentage of TDEE.'),
  macro_calories: z.number().describe('Energy of the macros: 4·protein + 4·carbs + 9·fat, kcal.'),
  macro_calories_vs_tdee: z
    .number()
    .describe('macro_calories − TDEE, kcal (0 unless the 3 g/kg carbohydrate floor binds).'),
  goal: z.enum(['Maintenance', 'WeightLoss', 'MuscleGain', 'EndurancePerformance']),
  training_goal: z.enum(TRAINING_GOALS),
  methods: z.object({
    bmr: z.literal('mifflin_st_jeor'),
    carbohydrate: z.literal('burke_2011'),
    fat: z.literal('balanced_20_35_percent'),
  }),
  notes: z.array(z.string()),
})

/** `calculate_daily_nutrition` (`specs/tools.md` §2.7.1): BMR, TDEE, calorie target and macros. */
export const calculateDailyNutrition = defineTool({
  name: 'calculate_daily_nutrition',
  title: 'Calculate daily nutrition',
  description:
    'Computes basal metabolic rate (Mifflin–St Jeor), total daily energy expenditure, a calorie target for the training goal and daily protein, carbohydrate and fat in grams and as percentages of TDEE. Pure calculation: no provider or network needed. Values are rounded to 0.1.',
  category: 'nutrition',
  input,
  output,
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler(_context, args) {
    const sex = args.gender
    const activityLevel = activityLevelOf[args.activity_level]
    const goal = goalOf[args.training_goal]
    const needs = nutrition.dailyNeeds(
      {
        weightKg: args.weight_kg,
        heightCm: args.height_cm,
        ageYears: args.age,
        sex,
        activityLevel,
        goal,
      },
      {},
    )
    const target = nutrition.calorieTarget({ bmr: needs.bmr, tdee: needs.tdee, goal })
    const details = nutrition.bmrDetails({
      weightKg: args.weight_kg,
      heightCm: args.height_cm,
      ageYears: args.age,
      sex,
    })
    const macroCalories = 4 * needs.proteinG + 4 * needs.carbsG + 9 * needs.fatG
    const notes: string[] = []
    if (details.extrapolated) {
      notes.push(
        'age is outside 19–78, the range Mifflin–St Jeor was fitted on: treat BMR as an estimate',
      )
    }
    if (needs.energyGapKcal > 0) {
      notes.push(
        'protein plus the 3 g/kg carbohydrate floor and 20% fat exceed TDEE: macros add up to more than TDEE',
      )
    }
    return {
      bmr: round1(needs.bmr),
      tdee: round1(needs.tdee),
      calorie_target: round1(target.kcal),
      calorie_target_rule: target.rule,
      protein_g: round1(needs.proteinG),
      carbs_g: round1(needs.carbsG),
      fat_g: round1(needs.fatG),
      protein_percent: round1(needs.percentOfTdee.protein),
      carbs_percent: round1(needs.percentOfTdee.carbs),
      fat_percent: round1(needs.percentOfTdee.fat),
      macro_calories: round1(macroCalories),
      macro_calories_vs_tdee: round1(needs.energyGapKcal),
      goal: goalLabel[args.training_goal],
      training_goal: args.training_goal,
      methods: {
        bmr: 'mifflin_st_jeor' as const,
        carbohydrate: 'burke_2011' as const,
        fat: 'balanced_20_35_percent' as const,
      },
      notes,
    }
  },
})
