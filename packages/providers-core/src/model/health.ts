import { z } from 'zod'
import { heartRateZoneSchema } from './activity.js'
import {
  bpm,
  calendarDateSchema,
  isoInstantSchema,
  nonNegative,
  nonNegativeInt,
  percent,
  providerNameSchema,
} from './common.js'

/** Schema of {@link SleepStage}. */
export const sleepStageSchema = z.object({
  stage_type: z.enum(['awake', 'light', 'deep', 'rem', 'asleep']),
  start_time: isoInstantSchema,
  duration_minutes: nonNegative,
})

/** One stage segment of a night; `asleep` means asleep with the stage unknown. */
export type SleepStage = z.infer<typeof sleepStageSchema>

/** Schema of {@link SleepSession} (`specs/providers.md` §3.6). */
export const sleepSessionSchema = z.object({
  id: z.string().min(1),
  provider: providerNameSchema,
  start_time: isoInstantSchema,
  end_time: isoInstantSchema,
  /** Local date of wake-up. */
  date_of_sleep: calendarDateSchema,
  is_nap: z.boolean(),
  utc_offset_seconds: z.number().int().nullish(),
  /** Minutes. */
  time_in_bed: nonNegativeInt,
  /** Minutes asleep (light + deep + rem + unspecified). */
  total_sleep_time: nonNegativeInt,
  /** 0–100, always `100 * total_sleep_time / time_in_bed`. */
  sleep_efficiency: percent,
  /** Provider score, 0–100. */
  sleep_score: percent.nullish(),
  stages: z.array(sleepStageSchema),
  stage_detail: z.enum(['segments', 'totals', 'none']),
  /** RMSSD, ms. */
  hrv_during_sleep: nonNegative.nullish(),
  /** Breaths per minute. */
  respiratory_rate: nonNegative.nullish(),
  /** °C deviation from the personal baseline. */
  temperature_variation: z.number().nullish(),
  average_heart_rate: bpm.nullish(),
  lowest_heart_rate: bpm.nullish(),
  /** Percent. */
  spo2_average: percent.nullish(),
  wake_count: nonNegativeInt.nullish(),
  /** Minutes. */
  sleep_onset_latency: nonNegative.nullish(),
})

/** One sleep period (minutes, bpm, ms, °C, percentages 0–100). */
export type SleepSession = z.infer<typeof sleepSessionSchema>

/** Schema of {@link RecoveryMetrics} (`specs/providers.md` §3.7). */
export const recoveryMetricsSchema = z.object({
  /** Local midnight of the day, as a UTC instant. */
  date: isoInstantSchema,
  calendar_date: calendarDateSchema,
  provider: providerNameSchema,
  recovery_score: percent.nullish(),
  readiness_score: percent.nullish(),
  hrv_status: z.string().nullish(),
  sleep_score: percent.nullish(),
  stress_level: percent.nullish(),
  training_load: z.number().nullish(),
  resting_heart_rate: bpm.nullish(),
  /** °C deviation. */
  body_temperature: z.number().nullish(),
  /** Breaths per minute. */
  resting_respiratory_rate: nonNegative.nullish(),
  hrv_rmssd_ms: nonNegative.nullish(),
  spo2_percentage: percent.nullish(),
  /** Absolute skin temperature, °C. */
  skin_temp_celsius: z.number().nullish(),
  /** WHOOP day strain, 0–21. */
  strain: z.number().min(0).max(21).nullish(),
  user_calibrating: z.boolean().nullish(),
  source_record_id: z.string().nullish(),
})

/** Daily recovery and readiness; a provider without a score leaves it `null`. */
export type RecoveryMetrics = z.infer<typeof recoveryMetricsSchema>

/** Schema of {@link HealthMetrics} (`specs/providers.md` §3.8). */
export const healthMetricsSchema = z.object({
  date: isoInstantSchema,
  calendar_date: calendarDateSchema.nullish(),
  provider: providerNameSchema,
  /** kg. */
  weight: z.number().positive().nullish(),
  body_fat_percentage: percent.nullish(),
  /** kg. */
  muscle_mass: nonNegative.nullish(),
  /** kg. */
  bone_mass: nonNegative.nullish(),
  body_water_percentage: percent.nullish(),
  /** kcal per day. */
  bmr: nonNegative.nullish(),
  /** `[systolic, diastolic]` mmHg. */
  blood_pressure: z.tuple([nonNegative, nonNegative]).nullish(),
  /** mg/dL. */
  blood_glucose: nonNegative.nullish(),
  /** ml/kg/min. */
  vo2_max: nonNegative.nullish(),
  vo2_max_range: z.tuple([nonNegative, nonNegative]).nullish(),
  bmi: nonNegative.nullish(),
})

/** Body composition and vitals measured on one day. */
export type HealthMetrics = z.infer<typeof healthMetricsSchema>

/** Schema of {@link HrvDaily} (`specs/providers.md` §3.8). */
export const hrvDailySchema = z.object({
  calendar_date: calendarDateSchema,
  provider: providerNameSchema,
  rmssd_ms: nonNegative,
  deep_rmssd_ms: nonNegative.nullish(),
  sdnn_ms: nonNegative.nullish(),
  five_min_high_ms: nonNegative.nullish(),
  window: z.enum(['sleep', 'morning', 'unknown']),
  samples: z.array(z.object({ time: isoInstantSchema, rmssd_ms: nonNegative })).nullish(),
})

/** Heart-rate variability of one day (RMSSD in ms). */
export type HrvDaily = z.infer<typeof hrvDailySchema>

/** Schema of {@link DailySummary} (`specs/providers.md` §3.9). */
export const dailySummarySchema = z.object({
  calendar_date: calendarDateSchema,
  provider: providerNameSchema,
  steps: nonNegativeInt.nullish(),
  distance_meters: nonNegative.nullish(),
  floors: nonNegative.nullish(),
  elevation_meters: nonNegative.nullish(),
  /** kcal. */
  total_calories: nonNegative.nullish(),
  active_calories: nonNegative.nullish(),
  bmr_calories: nonNegative.nullish(),
  sedentary_minutes: nonNegative.nullish(),
  light_minutes: nonNegative.nullish(),
  moderate_minutes: nonNegative.nullish(),
  vigorous_minutes: nonNegative.nullish(),
  resting_heart_rate: bpm.nullish(),
  average_heart_rate: bpm.nullish(),
  min_heart_rate: bpm.nullish(),
  max_heart_rate: bpm.nullish(),
  heart_rate_zones: z.array(heartRateZoneSchema).nullish(),
  stress_average: percent.nullish(),
  stress_max: percent.nullish(),
  body_battery_high: percent.nullish(),
  body_battery_low: percent.nullish(),
  spo2_average: percent.nullish(),
  respiratory_rate: nonNegative.nullish(),
  vo2_max: nonNegative.nullish(),
})

/** One day's activity and vitals totals (steps, m, kcal, minutes, bpm). */
export type DailySummary = z.infer<typeof dailySummarySchema>
