import { z } from 'zod'
import { isoInstantSchema, latitude, longitude, providerNameSchema } from './common.js'

/** The optional sample series of {@link ActivityStreams}, besides the required `time`. */
export const streamKeys = [
  'distance',
  'latlng',
  'altitude',
  'velocity',
  'heartrate',
  'cadence',
  'watts',
  'temperature',
  'moving',
  'grade',
] as const

/** One optional series of {@link ActivityStreams}. */
export type StreamKey = (typeof streamKeys)[number]

const numberSeries = z.array(z.number().nullable())

/** Schema of {@link ActivityStreams} (`specs/providers.md` §3.3), with its length invariants. */
export const activityStreamsSchema = z
  .object({
    activity_id: z.string().min(1),
    provider: providerNameSchema,
    /** Instant of `time = 0`. */
    start_date: isoInstantSchema,
    sample_rate: z.enum(['1hz', 'irregular']),
    /** Samples in the source before any downsampling. */
    original_size: z.number().int().nonnegative(),
    source_resolution: z.enum(['raw', 'high', 'medium', 'low']).nullish(),
    /** Seconds since `start_date`: integers, never decreasing. */
    time: z.array(z.number().int().nonnegative()),
    /** Metres, cumulative. */
    distance: numberSeries.nullish(),
    /** `[latitude, longitude]` in WGS-84 degrees. */
    latlng: z.array(z.tuple([latitude, longitude]).nullable()).nullish(),
    /** Metres. */
    altitude: numberSeries.nullish(),
    /** m/s. */
    velocity: numberSeries.nullish(),
    /** bpm. */
    heartrate: numberSeries.nullish(),
    /** rpm, or steps per minute (both feet) for running, walking and hiking. */
    cadence: numberSeries.nullish(),
    /** Watts. */
    watts: numberSeries.nullish(),
    /** °C. */
    temperature: numberSeries.nullish(),
    moving: z.array(z.boolean().nullable()).nullish(),
    /** Percent. */
    grade: numberSeries.nullish(),
  })
  .superRefine((streams, context) => {
    const { time } = streams
    for (let index = 1; index < time.length; index += 1) {
      if ((time[index] as number) < (time[index - 1] as number)) {
        context.addIssue({
          code: 'custom',
          path: ['time', index],
          message: 'time must never decrease',
        })
        break
      }
    }
    for (const key of streamKeys) {
      const values = streams[key]
      if (values !== null && values !== undefined && values.length !== time.length) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} has ${values.length} samples, time has ${time.length}`,
        })
      }
    }
  })

/**
 * The sample series of one activity, as recorded. Every present series has one entry per `time`
 * entry; a sensor gap is `null`, never a guessed value.
 */
export type ActivityStreams = z.infer<typeof activityStreamsSchema>

/**
 * Returns the streams restricted to the requested series (`time` and the identifying fields always
 * come); `keys` undefined returns them unchanged. For providers that hold every series locally.
 */
export function selectStreams(
  streams: ActivityStreams,
  keys: readonly StreamKey[] | undefined,
): ActivityStreams {
  if (keys === undefined) return streams
  const selected: Record<string, unknown> = {
    activity_id: streams.activity_id,
    provider: streams.provider,
    start_date: streams.start_date,
    sample_rate: streams.sample_rate,
    original_size: streams.original_size,
    source_resolution: streams.source_resolution,
    time: streams.time,
  }
  for (const key of keys) {
    const values = streams[key]
    if (values !== undefined && values !== null) selected[key] = values
  }
  return selected as ActivityStreams
}
