import { nutrition } from '@pierre/sports-science'
import { z } from 'zod'
import { defineTool, type ToolContext } from '../definition.js'
import { ToolError } from '../errors.js'
import { caseInsensitiveEnum } from '../schema.js'
import { type IntensityInference, inferIntensity, type WorkoutIntensity } from './intensity.js'
import { round1, round2 } from './round.js'

/** Most recent activities read for the inference (reference value). */
const INFERENCE_ACTIVITY_LIMIT = 50

const input = z
  .object({
    weight_kg: z.number().gt(0).lte(300).describe('Body mass in kilograms (0 < x ≤ 300).'),
    daily_protein_g: z
      .number()
      .gt(0)
      .lte(500)
      .describe(
        'Daily protein target in grams (0 < x ≤ 500), e.g. from calculate_daily_nutrition.',
      ),
    workout_intensity: caseInsensitiveEnum(['low', 'moderate', 'high'])
      .optional()
      .describe(
        'Intensity of the session: low, moderate or high. Required unless activity_provider is given; when both are given, it is the fallback if the provider cannot be read.',
      ),
    activity_provider: z
      .string()
      .min(1)
      .max(64)
      .transform((value) => value.trim().toLowerCase())
      .optional()
      .describe(
        'Provider whose recent activities set the intensity (e.g. synthetic): more than 2 h/day or mean HR above 150 is high, at least 1 h/day or mean HR 130+ is moderate, else low.',
      ),
    days_back: z
      .int()
      .min(1)
      .max(30)
      .default(7)
      .describe('Days of activities the inference looks at (1–30, default 7).'),
    workout_duration_minutes: z
      .number()
      .gt(0)
      .lte(1440)
      .optional()
      .describe(
        'Planned session length in minutes; enables carbohydrate and fluid targets during exercise.',
      ),
    hours_before_workout: z
      .number()
      .min(1)
      .max(4)
      .default(2)
      .describe('Hours between the pre-workout meal and the session (1–4, default 2).'),
    rapid_refuel: z
      .boolean()
      .default(false)
      .describe('True when the next session is less than 4 hours after this one.'),
    hot_conditions: z
      .boolean()
      .default(false)
      .describe('True for hot or humid conditions: fluid targets use the upper half of the range.'),
  })
  .refine((args) => args.workout_intensity !== undefined || args.activity_provider !== undefined, {
    message: 'give workout_intensity, or activity_provider to infer it',
    path: ['workout_intensity'],
    // Report it together with the other problems, not only once everything else is valid.
    when: () => true,
  })
  .meta({ anyOf: [{ required: ['workout_intensity'] }, { required: ['activity_provider'] }] })

const output = z.object({
  pre_workout: z.object({
    timing_hours_before: z.number(),
    carbs_g: z.number().describe('Carbohydrate in the pre-workout meal, grams (1 g/kg per hour).'),
    fluid_ml_min: z.number().describe('Fluid about 4 h before, lower bound, mL (5 mL/kg).'),
    fluid_ml_max: z.number().describe('Fluid about 4 h before, upper bound, mL (7 mL/kg).'),
    recommendations: z.array(z.string()),
  }),
  during_workout: z.object({
    duration_minutes: z.number().nullable(),
    carbs_g_per_hour: z
      .number()
      .nullable()
      .describe('Carbohydrate per hour during the session; null when the duration is unknown.'),
    fluid_l_per_hour_min: z.number().describe('Fluid during the session, lower bound, L/h.'),
    fluid_l_per_hour_max: z.number().describe('Fluid during the session, upper bound, L/h.'),
    fluid_total_l_min: z.number().nullable().describe('Session total, lower bound, L.'),
    fluid_total_l_max: z.number().nullable().describe('Session total, upper bound, L.'),
    recommendations: z.array(z.string()),
  }),
  post_workout: z.object({
    timing_hours_after: z.number(),
    protein_g: z.number().describe('Protein after the session, grams (0.3 g/kg, 20–40 g).'),
    carbs_g: z.number().describe('Carbohydrate after the session, grams.'),
    carbs_g_per_hour: z
      .number()
      .nullable()
      .describe('Hourly carbohydrate for rapid refuelling (1.2 g/kg/h), else null.'),
    fluid_l_per_kg_lost_min: z.number(),
    fluid_l_per_kg_lost_max: z.number(),
    recommendations: z.array(z.string()),
  }),
  daily_protein_distribution: z.object({
    meals_per_day: z.number(),
    protein_per_meal_g: z.number(),
    strategy: z.string(),
  }),
  intensity_source: z.enum(['explicit', 'inferred']),
  inference: z
    .object({
      provider: z.string(),
      days_back: z.number(),
      activities_considered: z.number(),
      avg_hours_per_day: z.number(),
      avg_heart_rate: z.number().nullable(),
    })
    .nullable()
    .describe('How the intensity was inferred; null when it was given.'),
  workout_intensity: z.enum(['low', 'moderate', 'high']),
  method: z.literal('issn_2017'),
  warnings: z.array(z.string()),
})

/** `get_nutrient_timing` (`specs/tools.md` §2.7.2): fuelling, protein spread and hydration. */
export const getNutrientTiming = defineTool({
  name: 'get_nutrient_timing',
  title: 'Get nutrient timing',
  description:
    'Plans fuelling around a workout: pre-workout carbohydrate, carbohydrate per hour during long sessions, post-workout protein and carbohydrate, protein spread over the day (ISSN 2017 position stands) and fluid targets before, during and after exercise (ACSM, Sawka et al. 2007). Pure calculation. Values are rounded to 0.1.',
  category: 'nutrition',
  input,
  output,
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  async handler(context, args) {
    const resolved = await resolveIntensity(context, args)
    const intensity = resolved.intensity
    const timing = nutrition.nutrientTiming(
      {
        weightKg: args.weight_kg,
        hoursBefore: args.hours_before_workout,
        intensity,
        rapidRefuel: args.rapid_refuel,
        dailyProteinG: args.daily_protein_g,
        ...(args.workout_duration_minutes === undefined
          ? {}
          : { durationMin: args.workout_duration_minutes }),
      },
      {},
    )
    const fluids = nutrition.hydration({
      weightKg: args.weight_kg,
      hot: args.hot_conditions,
      ...(args.workout_duration_minutes === undefined
        ? {}
        : { durationMin: args.workout_duration_minutes }),
    })
    const proteinPerMeal = timing.proteinPerMealG ?? args.daily_protein_g / timing.mealsPerDay
    const duringCarbs = timing.duringCarbsGPerHour
    return {
      pre_workout: {
        timing_hours_before: timing.hoursBefore,
        carbs_g: round1(timing.preCarbsG),
        fluid_ml_min: round1(fluids.pre.minMl),
        fluid_ml_max: round1(fluids.pre.maxMl),
        recommendations: [
          `eat about ${round1(timing.preCarbsG)} g of carbohydrate ${timing.hoursBefore} h before, low in fat and fibre`,
          `drink ${round1(fluids.pre.minMl)}–${round1(fluids.pre.maxMl)} mL of fluid about 4 h before`,
        ],
      },
      during_workout: {
        duration_minutes: args.workout_duration_minutes ?? null,
        carbs_g_per_hour: duringCarbs,
        fluid_l_per_hour_min: round2(fluids.during.minLPerHour),
        fluid_l_per_hour_max: round2(fluids.during.maxLPerHour),
        fluid_total_l_min: fluids.during.minL === null ? null : round2(fluids.during.minL),
        fluid_total_l_max: fluids.during.maxL === null ? null : round2(fluids.during.maxL),
        recommendations: duringRecommendations(duringCarbs, args.workout_duration_minutes),
      },
      post_workout: {
        timing_hours_after: 2,
        protein_g: round1(timing.postProteinG),
        carbs_g: round1(timing.postCarbsG),
        carbs_g_per_hour:
          timing.postCarbsGPerHour === null ? null : round1(timing.postCarbsGPerHour),
        fluid_l_per_kg_lost_min: fluids.post.minLPerKgLost,
        fluid_l_per_kg_lost_max: fluids.post.maxLPerKgLost,
        recommendations: [
          `take ${round1(timing.postProteinG)} g of protein within 2 h after the session`,
          args.rapid_refuel
            ? `refuel fast: ${round1(timing.postCarbsGPerHour ?? 0)} g of carbohydrate per hour for 4 h`
            : `eat about ${round1(timing.postCarbsG)} g of carbohydrate in the 2 h after`,
          `drink ${fluids.post.minLPerKgLost}–${fluids.post.maxLPerKgLost} L per kg of body mass lost`,
        ],
      },
      daily_protein_distribution: {
        meals_per_day: timing.mealsPerDay,
        protein_per_meal_g: round1(proteinPerMeal),
        strategy: `spread ${round1(args.daily_protein_g)} g over ${timing.mealsPerDay} meals of about ${round1(proteinPerMeal)} g, 3–4 h apart`,
      },
      intensity_source: resolved.inference === null ? ('explicit' as const) : ('inferred' as const),
      inference:
        resolved.inference === null
          ? null
          : {
              provider: resolved.provider,
              days_back: resolved.inference.daysBack,
              activities_considered: resolved.inference.activitiesConsidered,
              avg_hours_per_day: round2(resolved.inference.avgHoursPerDay),
              avg_heart_rate:
                resolved.inference.avgHeartRate === null
                  ? null
                  : round1(resolved.inference.avgHeartRate),
            },
      workout_intensity: intensity,
      method: 'issn_2017' as const,
      warnings: [...resolved.warnings, ...timing.warnings],
    }
  },
})

function duringRecommendations(
  carbsPerHour: number | null,
  durationMinutes: number | undefined,
): string[] {
  if (durationMinutes === undefined || carbsPerHour === null) {
    return ['give workout_duration_minutes for carbohydrate and fluid targets during the session']
  }
  if (carbsPerHour === 0) return ['under 60 minutes: water is enough, no carbohydrate needed']
  return [
    `take ${carbsPerHour} g of carbohydrate per hour from the first hour on`,
    'above 60 g/h use mixed glucose and fructose sources',
  ]
}

interface ResolvedIntensity {
  readonly intensity: WorkoutIntensity
  readonly inference: IntensityInference | null
  readonly provider: string
  readonly warnings: readonly string[]
}

/**
 * The intensity to plan for: inferred from the provider's recent activities when one is named
 * (the explicit value is the fallback when the provider cannot be read), else the explicit value.
 */
async function resolveIntensity(
  context: ToolContext,
  args: z.output<typeof input>,
): Promise<ResolvedIntensity> {
  const explicit = args.workout_intensity
  const name = args.activity_provider
  if (name === undefined) {
    if (explicit === undefined)
      throw new ToolError('invalid_argument', 'workout_intensity is required')
    return { intensity: explicit, inference: null, provider: '', warnings: [] }
  }
  try {
    if (context.providers === undefined) {
      throw new ToolError('unknown_provider', `provider ${name} is not available on this server`, {
        details: { supported: [] },
      })
    }
    const provider = context.providers.get(name)
    const after = Math.floor(context.now().getTime() / 1000) - args.days_back * 86_400
    const activities = await provider.getActivities(
      { after, limit: INFERENCE_ACTIVITY_LIMIT },
      { signal: context.signal },
    )
    const inference = inferIntensity(activities, args.days_back)
    return { intensity: inference.intensity, inference, provider: name, warnings: [] }
  } catch (error) {
    if (explicit === undefined || context.signal.aborted) throw error
    return {
      intensity: explicit,
      inference: null,
      provider: '',
      warnings: [`could not read ${name}; used the given workout_intensity instead`],
    }
  }
}
