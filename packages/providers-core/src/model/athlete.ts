import { z } from 'zod'
import {
  bpm,
  calendarDateSchema,
  isoInstantSchema,
  nonNegative,
  nonNegativeInt,
  providerNameSchema,
} from './common.js'

/** Schema of {@link Athlete} (`specs/providers.md` §3.4). */
export const athleteSchema = z.object({
  id: z.string().min(1),
  /** May be empty; never an e-mail address. */
  username: z.string(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  profile_picture: z.string().nullish(),
  provider: providerNameSchema,
  sex: z.enum(['male', 'female', 'other']).nullish(),
  birth_date: calendarDateSchema.nullish(),
  weight_kg: z.number().positive().nullish(),
  height_m: z.number().positive().max(3).nullish(),
  /** Watts. */
  ftp: z.number().int().positive().nullish(),
  max_heart_rate: bpm.nullish(),
  resting_heart_rate: bpm.nullish(),
  city: z.string().nullish(),
  region: z.string().nullish(),
  country: z.string().nullish(),
  /** IANA zone (`America/Toronto`). */
  time_zone: z.string().nullish(),
  measurement_preference: z.enum(['metric', 'imperial']).nullish(),
})

/** The athlete's profile at one provider (kg, m, W, bpm). */
export type Athlete = z.infer<typeof athleteSchema>

/** Schema of {@link Totals}. */
export const totalsSchema = z.object({
  count: nonNegativeInt,
  /** Metres. */
  distance: nonNegative,
  /** Seconds. */
  moving_time: nonNegative,
  /** Seconds. */
  elapsed_time: nonNegative.nullish(),
  /** Metres. */
  elevation_gain: nonNegative.nullish(),
})

/** Totals of one sport over one period (metres, seconds). */
export type Totals = z.infer<typeof totalsSchema>

/** Schema of {@link SportTotals}. */
export const sportTotalsSchema = z.object({
  run: totalsSchema.nullish(),
  ride: totalsSchema.nullish(),
  swim: totalsSchema.nullish(),
})

/** Totals per sport family. */
export type SportTotals = z.infer<typeof sportTotalsSchema>

/** Schema of {@link Stats} (`specs/providers.md` §3.5). */
export const statsSchema = z.object({
  total_activities: nonNegativeInt.nullable(),
  /** Metres. */
  total_distance: nonNegative.nullable(),
  /** Moving seconds. */
  total_duration: nonNegative.nullable(),
  /** Metres. */
  total_elevation_gain: nonNegative.nullable(),
  /** All-time totals per sport. */
  by_sport: sportTotalsSchema.nullish(),
  /** Last four weeks, per sport. */
  recent: sportTotalsSchema.nullish(),
  /** Year to date, per sport. */
  ytd: sportTotalsSchema.nullish(),
})

/** All-time totals; a value the provider does not know is `null`, never `0`. */
export type Stats = z.infer<typeof statsSchema>

/** Schema of {@link PersonalRecord}. */
export const personalRecordSchema = z.object({
  activity_id: z.string().min(1),
  metric: z.enum(['fastest_pace', 'longest_distance', 'highest_elevation', 'fastest_time']),
  /** s/m for `fastest_pace`, m for distance and elevation, s for `fastest_time`. */
  value: nonNegative,
  date: isoInstantSchema,
  /** `"1K"`, `"5K"`… when the record is for a standard distance. */
  distance_label: z.string().nullish(),
})

/** A best performance and the activity it comes from. */
export type PersonalRecord = z.infer<typeof personalRecordSchema>
