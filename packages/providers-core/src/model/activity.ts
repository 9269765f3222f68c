import { z } from 'zod'
import {
  bpm,
  isoInstantSchema,
  latitude,
  localDateTimeSchema,
  longitude,
  nonNegative,
  nonNegativeInt,
  providerNameSchema,
} from './common.js'

/** The normalized sport types (`specs/providers.md` §3.1), same members as the Rust `SportType`. */
export const sportTypes = [
  'run',
  'trail_running',
  'virtual_run',
  'ride',
  'virtual_ride',
  'ebike_ride',
  'mountain_bike',
  'gravel_ride',
  'swim',
  'walk',
  'hike',
  'workout',
  'yoga',
  'pilates',
  'crossfit',
  'strength_training',
  'rowing',
  'kayaking',
  'canoeing',
  'paddleboarding',
  'surfing',
  'kitesurfing',
  'alpine_skiing',
  'backcountry_skiing',
  'cross_country_skiing',
  'snowboarding',
  'snowshoe',
  'ice_skating',
  'rock_climbing',
  'soccer',
  'basketball',
  'tennis',
  'golf',
  'skateboarding',
  'inline_skating',
  'other',
] as const

/** Schema of {@link SportType}. */
export const sportTypeSchema = z.enum(sportTypes)

/** One normalized sport type; the raw provider type is kept in `sport_type_detail`. */
export type SportType = z.infer<typeof sportTypeSchema>

const runFamily: ReadonlySet<SportType> = new Set([
  'run',
  'trail_running',
  'virtual_run',
  'walk',
  'hike',
  'snowshoe',
])

/**
 * Returns the cadence in the normalized unit (`specs/providers.md` §2): steps per minute (both feet)
 * for running, walking and hiking, unchanged rpm for everything else.
 *
 * @param cadence - the provider's value.
 * @param options - `sportType`, and `perLeg` when the provider says whether it counts one foot;
 *   when it does not say, a running value below 120 is taken as one foot.
 * @returns the normalized cadence, rounded to an integer, or `null` when `cadence` is absent.
 */
export function normalizeRunCadence(
  cadence: number | null | undefined,
  options: { readonly sportType: SportType; readonly perLeg?: boolean },
): number | null {
  if (cadence === null || cadence === undefined || !Number.isFinite(cadence)) return null
  if (!runFamily.has(options.sportType)) return Math.round(cadence)
  const perLeg = options.perLeg ?? cadence < 120
  return Math.round(perLeg ? cadence * 2 : cadence)
}

// Sports done without covering ground: a provider's missing or zero distance means "none".
const distanceFreeSports: ReadonlySet<SportType> = new Set([
  'strength_training',
  'crossfit',
  'pilates',
  'yoga',
  'workout',
  'rock_climbing',
])

/**
 * Whether a sport covers no ground (strength, yoga, climbing…), so that a mapper can record a
 * missing or zero distance as `null` (no distance) rather than leave it unknown or claim 0 m.
 */
export function isDistanceFreeSport(sport: SportType): boolean {
  return distanceFreeSports.has(sport)
}

/** Schema of {@link HeartRateZone}. */
export const heartRateZoneSchema = z.object({
  name: z.string(),
  min_hr: z.number().nonnegative(),
  /** `null` for an open-ended top zone. */
  max_hr: z.number().nonnegative().nullable(),
  minutes: nonNegative,
})

/** Time spent in one heart-rate zone (bpm bounds, minutes). */
export type HeartRateZone = z.infer<typeof heartRateZoneSchema>

/** Schema of {@link PowerZone}. */
export const powerZoneSchema = z.object({
  name: z.string(),
  min_power: z.number().nonnegative(),
  /** `null` for an open-ended top zone. */
  max_power: z.number().nonnegative().nullable(),
  /** Seconds. */
  time_in_zone: nonNegative,
})

/** Time spent in one power zone (W bounds, seconds). */
export type PowerZone = z.infer<typeof powerZoneSchema>

/** Schema of {@link Lap} (also used for splits). */
export const lapSchema = z.object({
  index: nonNegativeInt,
  name: z.string().nullish(),
  start_date: isoInstantSchema,
  duration_seconds: nonNegativeInt,
  moving_time_seconds: nonNegativeInt.nullish(),
  distance_meters: nonNegative.nullish(),
  average_speed: nonNegative.nullish(),
  max_speed: nonNegative.nullish(),
  average_heart_rate: bpm.nullish(),
  max_heart_rate: bpm.nullish(),
  average_cadence: nonNegativeInt.nullish(),
  average_power: nonNegativeInt.nullish(),
  elevation_gain: z.number().nullish(),
  /** Index of the first sample of the lap in the activity's streams. */
  start_index: nonNegativeInt.nullish(),
  /** Index of the last sample of the lap in the activity's streams. */
  end_index: nonNegativeInt.nullish(),
})

/** A lap or a split: SI units (m, s, m/s, bpm, W). */
export type Lap = z.infer<typeof lapSchema>

/** Schema of {@link SegmentEffort}. */
export const segmentEffortSchema = z.object({
  id: z.string(),
  name: z.string(),
  segment_id: z.string().nullish(),
  /** Seconds. */
  elapsed_time: nonNegativeInt,
  /** Seconds. */
  moving_time: nonNegativeInt.nullish(),
  start_date: isoInstantSchema,
  /** Metres. */
  distance: nonNegative,
  average_heart_rate: bpm.nullish(),
  max_heart_rate: bpm.nullish(),
  average_cadence: nonNegativeInt.nullish(),
  /** Watts. */
  average_watts: nonNegative.nullish(),
  kom_rank: z.number().int().positive().nullish(),
  pr_rank: z.number().int().positive().nullish(),
  climb_category: z.number().int().nullish(),
  /** Percent. */
  average_grade: z.number().nullish(),
  /** Metres. */
  elevation_gain: z.number().nullish(),
})

/** One effort on a segment (Rust shape: seconds, metres, bpm, watts). */
export type SegmentEffort = z.infer<typeof segmentEffortSchema>

const series = z.array(z.number().nullable())

/** Schema of {@link TimeSeriesData}. */
export const timeSeriesDataSchema = z.object({
  /** Seconds since the activity start. */
  timestamps: z.array(z.number()),
  heart_rate: series.nullish(),
  power: series.nullish(),
  cadence: series.nullish(),
  speed: series.nullish(),
  altitude: series.nullish(),
  temperature: series.nullish(),
  gps_coordinates: z.array(z.tuple([latitude, longitude]).nullable()).nullish(),
})

/**
 * Series embedded in an activity, kept for parity with the Rust server; the canonical form is
 * {@link ActivityStreams}.
 */
export type TimeSeriesData = z.infer<typeof timeSeriesDataSchema>

/** Schema of {@link Activity} (`specs/providers.md` §3.2). */
export const activitySchema = z.object({
  id: z.string().min(1),
  provider: providerNameSchema,
  name: z.string(),
  sport_type: sportTypeSchema,
  sport_type_detail: z.string().nullish(),
  start_date: isoInstantSchema,
  start_date_local: localDateTimeSchema.nullish(),
  utc_offset_seconds: z
    .number()
    .int()
    .min(-14 * 3600)
    .max(14 * 3600)
    .nullish(),
  /** IANA zone of the start place when the provider gives it (`America/Toronto`). */
  time_zone: z.string().nullish(),
  /** Elapsed seconds. */
  duration_seconds: nonNegativeInt,
  moving_time_seconds: nonNegativeInt.nullish(),
  distance_meters: nonNegative.nullish(),
  elevation_gain: z.number().nullish(),
  elevation_loss: z.number().nullish(),
  average_speed: nonNegative.nullish(),
  max_speed: nonNegative.nullish(),
  average_heart_rate: bpm.nullish(),
  max_heart_rate: bpm.nullish(),
  average_cadence: nonNegativeInt.nullish(),
  max_cadence: nonNegativeInt.nullish(),
  average_power: nonNegativeInt.nullish(),
  max_power: nonNegativeInt.nullish(),
  normalized_power: nonNegativeInt.nullish(),
  power_is_estimated: z.boolean().nullish(),
  kilojoules: nonNegative.nullish(),
  calories: nonNegativeInt.nullish(),
  steps: nonNegativeInt.nullish(),
  heart_rate_zones: z.array(heartRateZoneSchema).nullish(),
  power_zones: z.array(powerZoneSchema).nullish(),
  ftp: z.number().int().positive().nullish(),
  suffer_score: nonNegativeInt.nullish(),
  strain: z.number().min(0).max(21).nullish(),
  training_stress_score: nonNegative.nullish(),
  intensity_factor: nonNegative.nullish(),
  temperature: z.number().nullish(),
  perceived_exertion: z.number().min(1).max(10).nullish(),
  start_latitude: latitude.nullish(),
  start_longitude: longitude.nullish(),
  end_latitude: latitude.nullish(),
  end_longitude: longitude.nullish(),
  polyline: z.string().nullish(),
  city: z.string().nullish(),
  region: z.string().nullish(),
  country: z.string().nullish(),
  trail_name: z.string().nullish(),
  description: z.string().nullish(),
  workout_type: z.number().int().nullish(),
  trainer: z.boolean().nullish(),
  commute: z.boolean().nullish(),
  manual: z.boolean().nullish(),
  device_name: z.string().nullish(),
  gear_id: z.string().nullish(),
  laps: z.array(lapSchema).nullish(),
  splits: z.array(lapSchema).nullish(),
  segment_efforts: z.array(segmentEffortSchema).nullish(),
  streams_available: z.boolean().nullish(),
  time_series_data: timeSeriesDataSchema.nullish(),
  hrv_score: z.number().nullish(),
  recovery_heart_rate: bpm.nullish(),
  humidity: z.number().min(0).max(100).nullish(),
  average_altitude: z.number().nullish(),
  wind_speed: nonNegative.nullish(),
  /** Milliseconds. */
  ground_contact_time: nonNegative.nullish(),
  /** Centimetres. */
  vertical_oscillation: nonNegative.nullish(),
  /** Metres. */
  stride_length: nonNegative.nullish(),
  /** Watts. */
  running_power: nonNegative.nullish(),
  /** Breaths per minute. */
  breathing_rate: nonNegative.nullish(),
  /** Percent. */
  spo2: z.number().min(0).max(100).nullish(),
})

/**
 * One activity in SI units: metres, seconds, m/s, bpm, watts, kJ (work) and kcal (energy), °C.
 * `start_date` is the UTC instant; `start_date_local`, `utc_offset_seconds` and `time_zone` keep the
 * local clock of the place it happened. The identity is `(provider, id)`.
 */
export type Activity = z.infer<typeof activitySchema>
