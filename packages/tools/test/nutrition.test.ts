import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { builtinTools, createToolCatalog, type ToolContext } from '../src/index.js'

const context: ToolContext = {
  tenantId: 'local',
  userId: 'local-owner',
  signal: new AbortController().signal,
  progress: () => {},
  now: () => new Date('2026-11-24T08:00:00Z'),
}

const catalog = createToolCatalog(builtinTools)
const ajv = new Ajv2020({ strict: false, allErrors: true })
const validators = new Map(
  catalog.list().map((descriptor) => [descriptor.name, ajv.compile(descriptor.outputSchema)]),
)

/** Golden calls: inputs with hand-computed results (derivations in each `why`). */
const golden = [
  {
    tool: 'calculate_daily_nutrition',
    why: 'BMR 10·75 + 6.25·180 − 5·30 + 5 = 1730; TDEE ×1.55 = 2681.5; protein 1.3 g/kg; carbs 6 g/kg = 450 g leaves 491.5 kcal = 54.6 g fat < 20 % floor 59.59 g, so carbs (2681.5 − 390 − 536.3)/4 = 438.8 g',
    args: {
      weight_kg: 75,
      height_cm: 180,
      age: 30,
      gender: 'male',
      activity_level: 'moderately_active',
      training_goal: 'maintenance',
    },
    expected: {
      bmr: 1730,
      tdee: 2681.5,
      calorie_target: 2681.5,
      calorie_target_rule: 'tdee',
      protein_g: 97.5,
      carbs_g: 438.8,
      fat_g: 59.6,
      fat_percent: 20,
      macro_calories_vs_tdee: 0,
      goal: 'Maintenance',
    },
  },
  {
    tool: 'calculate_daily_nutrition',
    why: 'MSJ female 600 + 1031.25 − 125 − 161 = 1345.25; TDEE ×1.375 = 1849.72; muscle gain ×1.10 = 2034.7; protein 1.3 g/kg = 78 g; carbs 4 g/kg = 240 g; fat (1849.72 − 312 − 960)/9 = 64.19 g (31.2 %)',
    args: {
      weight_kg: 60,
      height_cm: 165,
      age: 25,
      gender: 'FEMALE',
      activity_level: 'Lightly_Active',
      training_goal: 'muscle_gain',
    },
    expected: {
      bmr: 1345.3,
      tdee: 1849.7,
      calorie_target: 2034.7,
      protein_g: 78,
      carbs_g: 240,
      fat_g: 64.2,
      fat_percent: 31.2,
      goal: 'MuscleGain',
      training_goal: 'muscle_gain',
    },
  },
  {
    tool: 'calculate_daily_nutrition',
    why: 'MSJ 450 + 937.5 − 400 − 161 = 826.5 (no 1000 kcal floor); age 80 is outside 19–78, so a note says the BMR is extrapolated',
    args: {
      weight_kg: 45,
      height_cm: 150,
      age: 80,
      gender: 'female',
      activity_level: 'sedentary',
      training_goal: 'maintenance',
    },
    expected: { bmr: 826.5, tdee: 991.8 },
  },
  {
    tool: 'get_nutrient_timing',
    why: 'pre 2 h × 1 g/kg × 80 = 160 g; 45 min → no carbs during; post protein 0.3 × 80 = 24 g; rapid refuel 1.2 g/kg/h = 96 g/h, 4 h = 384 g; 160 g / 4 meals = 40 g',
    args: {
      weight_kg: 80,
      daily_protein_g: 160,
      workout_intensity: 'low',
      workout_duration_minutes: 45,
      rapid_refuel: true,
      hot_conditions: true,
    },
    expected: {
      pre_workout: { timing_hours_before: 2, carbs_g: 160, fluid_ml_min: 400, fluid_ml_max: 560 },
      during_workout: {
        carbs_g_per_hour: 0,
        fluid_l_per_hour_min: 0.6,
        fluid_l_per_hour_max: 0.8,
        fluid_total_l_min: 0.45,
        fluid_total_l_max: 0.6,
      },
      post_workout: {
        protein_g: 24,
        carbs_g: 384,
        carbs_g_per_hour: 96,
        fluid_l_per_kg_lost_min: 1.25,
        fluid_l_per_kg_lost_max: 1.5,
      },
      daily_protein_distribution: { meals_per_day: 4, protein_per_meal_g: 40 },
    },
  },
  {
    tool: 'get_nutrient_timing',
    why: 'no duration → no during-exercise carbohydrate or totals; 1 h lead → 1 g/kg = 55 g',
    args: {
      weight_kg: 55,
      daily_protein_g: 90,
      workout_intensity: 'high',
      hours_before_workout: 1,
    },
    expected: {
      pre_workout: { carbs_g: 55 },
      during_workout: { duration_minutes: null, carbs_g_per_hour: null, fluid_total_l_min: null },
      post_workout: { protein_g: 20 },
    },
  },
] as const

describe('nutrition tools, golden calls', () => {
  it.for(golden)('$tool: $why', async ({ tool, args, expected }) => {
    const outcome = await catalog.call(tool, args, context)
    if (outcome.kind !== 'success') throw new Error(JSON.stringify(outcome))
    expect(outcome.structuredContent).toMatchObject(expected)
    const validate = validators.get(tool)
    expect(validate?.(outcome.structuredContent), JSON.stringify(validate?.errors)).toBe(true)
  })

  it('notes an extrapolated BMR', async () => {
    const outcome = await catalog.call('calculate_daily_nutrition', golden[2].args, context)
    expect(outcome.kind === 'success' && outcome.structuredContent.notes).toEqual([
      'age is outside 19–78, the range Mifflin–St Jeor was fitted on: treat BMR as an estimate',
    ])
  })

  it.for([
    {
      args: {
        weight_kg: 301,
        height_cm: 170,
        age: 30,
        gender: 'male',
        activity_level: 'sedentary',
        training_goal: 'maintenance',
      },
      issue: { path: 'weight_kg', message: 'must be at most 300' },
    },
    {
      args: {
        weight_kg: 70,
        height_cm: 170,
        age: 9,
        gender: 'male',
        activity_level: 'sedentary',
        training_goal: 'maintenance',
      },
      issue: { path: 'age', message: 'must be at least 10' },
    },
    {
      args: {
        weight_kg: 70,
        height_cm: 170,
        age: 30.5,
        gender: 'male',
        activity_level: 'sedentary',
        training_goal: 'maintenance',
      },
      issue: { path: 'age', message: 'must be an integer' },
    },
    {
      args: {
        weight_kg: 70,
        height_cm: 170,
        age: 30,
        gender: 'male',
        activity_level: 'couch',
        training_goal: 'maintenance',
      },
      issue: {
        path: 'activity_level',
        message:
          'must be one of "sedentary", "lightly_active", "moderately_active", "very_active", "extra_active"',
      },
    },
  ])('rejects $issue.path: $issue.message', async ({ args, issue }) => {
    const outcome = await catalog.call('calculate_daily_nutrition', args, context)
    expect(outcome).toMatchObject({
      kind: 'error',
      error: { code: 'invalid_argument', details: { issues: [issue] } },
    })
  })

  it('validates nutrient timing ranges', async () => {
    const outcome = await catalog.call(
      'get_nutrient_timing',
      {
        weight_kg: 70,
        daily_protein_g: 600,
        workout_intensity: 'extreme',
        hours_before_workout: 6,
      },
      context,
    )
    expect(outcome).toMatchObject({
      kind: 'error',
      error: {
        code: 'invalid_argument',
        details: {
          issues: [
            { path: 'daily_protein_g', message: 'must be at most 500' },
            { path: 'workout_intensity', message: 'must be one of "low", "moderate", "high"' },
            { path: 'hours_before_workout', message: 'must be at most 4' },
          ],
        },
      },
    })
  })
})
