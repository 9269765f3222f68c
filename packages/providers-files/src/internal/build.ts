import type { Activity, ActivityStreams, Lap, SportType } from '@pierre/providers-core'
import {
  activitySchema,
  activityStreamsSchema,
  normalizeRunCadence,
  ProviderError,
} from '@pierre/providers-core'
import type { FileFormat, ParsedActivity } from '../types.js'

/** The registry name of the files provider. */
export const providerName = 'files'

/** One recorded point, in SI units; absent fields are unknown. */
export interface Sample {
  readonly timeMs: number
  readonly latitudeDegrees?: number | undefined
  readonly longitudeDegrees?: number | undefined
  readonly altitudeMeters?: number | undefined
  readonly distanceMeters?: number | undefined
  readonly speedMetersPerSecond?: number | undefined
  readonly heartRateBpm?: number | undefined
  /** As the file has it; {@link BuildInput.cadencePerLeg} says whether it counts one foot. */
  readonly cadence?: number | undefined
  readonly powerWatts?: number | undefined
  readonly temperatureCelsius?: number | undefined
}

/** What a format parser hands to {@link buildParsedActivity}. */
export interface BuildInput {
  readonly id: string
  readonly format: FileFormat
  readonly name: string
  readonly sport: SportType
  readonly sportDetail: string | null
  /** Start instant; the first sample's time when absent. */
  readonly startMs?: number | undefined
  readonly utcOffsetSeconds?: number | undefined
  readonly samples: readonly Sample[]
  /** Whether a running cadence counts one foot (FIT, TCX `RunCadence`); guessed when absent. */
  readonly cadencePerLeg?: boolean | undefined
  /** Values the device recorded itself; they win over the computed ones when present. */
  readonly recorded?: { readonly [TKey in keyof Activity]?: Activity[TKey] | undefined } | undefined
  readonly laps?: readonly Lap[] | undefined
}

const earthRadiusMeters = 6_371_008.8
const elevationHysteresisMeters = 1
const maxMovingGapSeconds = 10

const finite = (value: number | undefined | null): value is number =>
  typeof value === 'number' && Number.isFinite(value)

/** Returns the great-circle distance in metres (haversine, mean Earth radius). */
export function haversineMeters(
  from: readonly [number, number],
  to: readonly [number, number],
): number {
  const toRadians = Math.PI / 180
  const deltaLatitude = (to[0] - from[0]) * toRadians
  const deltaLongitude = (to[1] - from[1]) * toRadians
  const chord =
    Math.sin(deltaLatitude / 2) ** 2 +
    Math.cos(from[0] * toRadians) * Math.cos(to[0] * toRadians) * Math.sin(deltaLongitude / 2) ** 2
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(chord)))
}

/** Returns an ISO instant with `Z`, without milliseconds when they are zero. */
export function toIsoInstant(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z')
}

function toLocalDateTime(epochMs: number, offsetSeconds: number): string {
  return new Date(epochMs + offsetSeconds * 1000)
    .toISOString()
    .replace(/\.000Z$/, '')
    .replace('Z', '')
}

/** Returns the offset in seconds of an ISO timestamp's explicit zone, or `undefined` for `Z`/none. */
export function offsetOfTimestamp(text: string): number | undefined {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(text.trim())
  if (match === null || !/T\d/.test(text)) return undefined
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60
  return match[1] === '-' ? -seconds : seconds
}

const movingThreshold = (sport: SportType): number =>
  ['ride', 'virtual_ride', 'ebike_ride', 'mountain_bike', 'gravel_ride'].includes(sport) ? 1 : 0.5

function stats(values: readonly (number | null)[]): { mean: number; max: number } | undefined {
  let sum = 0
  let count = 0
  let max = Number.NEGATIVE_INFINITY
  for (const value of values) {
    if (value === null) continue
    sum += value
    count += 1
    if (value > max) max = value
  }
  return count === 0 ? undefined : { mean: sum / count, max }
}

const present = (values: readonly (number | null)[]): boolean =>
  values.some((value) => value !== null)

const inRange = (value: number | undefined, min: number, max: number): number | null =>
  finite(value) && value >= min && value <= max ? value : null

/** Builds a validated activity and its streams from samples and device-recorded values. */
export function buildParsedActivity(input: BuildInput): ParsedActivity {
  const samples = input.samples
    .filter((sample) => finite(sample.timeMs))
    .sort((left, right) => left.timeMs - right.timeMs)
  const firstMs = samples[0]?.timeMs
  const startMs = finite(input.startMs)
    ? Math.min(input.startMs, firstMs ?? input.startMs)
    : firstMs
  if (startMs === undefined) {
    throw new ProviderError('invalid_data', 'the file has neither a start time nor any samples', {
      provider: providerName,
      details: { reason: 'no_data' },
    })
  }
  const count = samples.length
  const time: number[] = new Array(count)
  const latlng: ([number, number] | null)[] = new Array(count)
  const altitude: (number | null)[] = new Array(count)
  let distance: (number | null)[] = new Array(count)
  let velocity: (number | null)[] = new Array(count)
  const heartrate: (number | null)[] = new Array(count)
  const cadence: (number | null)[] = new Array(count)
  const watts: (number | null)[] = new Array(count)
  const temperature: (number | null)[] = new Array(count)
  for (let index = 0; index < count; index += 1) {
    const sample = samples[index] as Sample
    time[index] = Math.max(0, Math.round((sample.timeMs - startMs) / 1000))
    const latitude = inRange(sample.latitudeDegrees, -90, 90)
    const longitude = inRange(sample.longitudeDegrees, -180, 180)
    latlng[index] = latitude !== null && longitude !== null ? [latitude, longitude] : null
    altitude[index] = inRange(sample.altitudeMeters, -1000, 10_000)
    distance[index] = inRange(sample.distanceMeters, 0, 1e8)
    velocity[index] = inRange(sample.speedMetersPerSecond, 0, 1000)
    heartrate[index] = inRange(sample.heartRateBpm, 1, 300)
    const rawCadence = inRange(sample.cadence, 0, 1000)
    cadence[index] =
      rawCadence === null
        ? null
        : normalizeRunCadence(rawCadence, {
            sportType: input.sport,
            ...(input.cadencePerLeg === undefined ? {} : { perLeg: input.cadencePerLeg }),
          })
    watts[index] = inRange(sample.powerWatts, 0, 5000)
    temperature[index] = inRange(sample.temperatureCelsius, -100, 100)
  }

  const hasPositions = latlng.some((point) => point !== null)
  if (!present(distance) && hasPositions) distance = cumulativeDistance(latlng)
  if (!present(velocity) && present(distance)) velocity = centredSpeed(time, distance)

  const threshold = movingThreshold(input.sport)
  let movingSeconds = 0
  for (let index = 1; index < count; index += 1) {
    const step = (time[index] as number) - (time[index - 1] as number)
    const speed = velocity[index]
    if (step <= maxMovingGapSeconds && speed !== null && speed !== undefined && speed > threshold) {
      movingSeconds += step
    }
  }
  const { gain, loss } = elevationChange(altitude)
  const lastDistance = [...distance]
    .reverse()
    .find((value) => value !== null && value !== undefined)
  const elapsedSeconds = count === 0 ? 0 : (time[count - 1] as number)
  const positions = latlng.filter((point): point is [number, number] => point !== null)
  const heart = stats(heartrate.filter((value) => value !== null && value >= 20))
  const power = stats(watts)
  const cadenceStats = stats(cadence)
  const speedStats = stats(velocity)
  const temperatureStats = stats(temperature)
  const movingForAverage = present(velocity) ? movingSeconds : elapsedSeconds

  const computed: Record<string, unknown> = {
    id: input.id,
    provider: providerName,
    name: input.name,
    sport_type: input.sport,
    sport_type_detail: input.sportDetail,
    start_date: toIsoInstant(startMs),
    duration_seconds: elapsedSeconds,
    moving_time_seconds: present(velocity) ? movingSeconds : null,
    distance_meters: lastDistance ?? null,
    elevation_gain: gain,
    elevation_loss: loss,
    average_speed:
      lastDistance !== undefined && lastDistance !== null && movingForAverage > 0
        ? lastDistance / movingForAverage
        : null,
    max_speed: speedStats?.max ?? null,
    average_heart_rate: heart === undefined ? null : Math.round(heart.mean),
    max_heart_rate: heart === undefined ? null : Math.round(heart.max),
    average_cadence: cadenceStats === undefined ? null : Math.round(cadenceStats.mean),
    max_cadence: cadenceStats === undefined ? null : Math.round(cadenceStats.max),
    average_power: power === undefined ? null : Math.round(power.mean),
    max_power: power === undefined ? null : Math.round(power.max),
    temperature: temperatureStats === undefined ? null : temperatureStats.mean,
    start_latitude: positions[0]?.[0] ?? null,
    start_longitude: positions[0]?.[1] ?? null,
    end_latitude: positions.at(-1)?.[0] ?? null,
    end_longitude: positions.at(-1)?.[1] ?? null,
    streams_available: count > 0,
    laps: input.laps && input.laps.length > 0 ? input.laps : null,
  }
  if (finite(input.utcOffsetSeconds) && Math.abs(input.utcOffsetSeconds) <= 14 * 3600) {
    computed.utc_offset_seconds = input.utcOffsetSeconds
    computed.start_date_local = toLocalDateTime(startMs, input.utcOffsetSeconds)
  }
  const base = { ...computed }
  for (const [key, value] of Object.entries(input.recorded ?? {})) {
    if (value !== undefined && value !== null && (typeof value !== 'number' || finite(value))) {
      computed[key] = value
    }
  }

  const rawStreams: Record<string, unknown> = {
    activity_id: input.id,
    provider: providerName,
    start_date: toIsoInstant(startMs),
    sample_rate: time.every((value, index) => index === 0 || value - (time[index - 1] ?? 0) === 1)
      ? '1hz'
      : 'irregular',
    original_size: count,
    source_resolution: 'raw',
    time,
  }
  const series: [string, readonly unknown[]][] = [
    ['distance', distance],
    ['latlng', latlng],
    ['altitude', altitude],
    ['velocity', velocity],
    ['heartrate', heartrate],
    ['cadence', cadence],
    ['watts', watts],
    ['temperature', temperature],
  ]
  for (const [key, values] of series) {
    if (values.some((value) => value !== null && value !== undefined)) rawStreams[key] = values
  }
  return {
    activity: validate(computed, base),
    streams: validateStreams(rawStreams),
    format: input.format,
  }
}

// A device value outside the model (a 0 bpm average) falls back to the computed one.
function validate(candidate: Record<string, unknown>, base: Record<string, unknown>): Activity {
  const parsed = activitySchema.safeParse(candidate)
  if (parsed.success) return parsed.data
  const repaired = { ...candidate }
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0])
    repaired[key] = key === 'laps' ? null : base[key]
  }
  const retried = activitySchema.safeParse(repaired)
  if (retried.success) return retried.data
  throw invalidModel('activity', retried.error.issues)
}

function validateStreams(candidate: Record<string, unknown>): ActivityStreams {
  const parsed = activityStreamsSchema.safeParse(candidate)
  if (parsed.success) return parsed.data
  throw invalidModel('streams', parsed.error.issues)
}

function invalidModel(
  what: string,
  issues: readonly { path: PropertyKey[]; message: string }[],
): ProviderError {
  const list = issues
    .slice(0, 10)
    .map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
  return new ProviderError(
    'invalid_data',
    `the file's ${what} do not fit the normalized model: ${list.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`.slice(
      0,
      300,
    ),
    { provider: providerName, details: { reason: 'invalid_values', issues: list } },
  )
}

function cumulativeDistance(latlng: readonly ([number, number] | null)[]): (number | null)[] {
  const out: (number | null)[] = new Array(latlng.length)
  let total = 0
  let previous: [number, number] | null = null
  for (let index = 0; index < latlng.length; index += 1) {
    const point = latlng[index] ?? null
    if (point !== null) {
      if (previous !== null) total += haversineMeters(previous, point)
      previous = point
      out[index] = total
    } else {
      out[index] = null
    }
  }
  return out
}

// Speed over a centred 5 s window smooths GPS jitter (spec §8).
function centredSpeed(
  time: readonly number[],
  distance: readonly (number | null)[],
): (number | null)[] {
  const out: (number | null)[] = new Array(time.length)
  let low = 0
  let high = 0
  for (let index = 0; index < time.length; index += 1) {
    const now = time[index] as number
    while ((time[low] as number) < now - 2) low += 1
    if (high < index) high = index
    while (high + 1 < time.length && (time[high + 1] as number) <= now + 2) high += 1
    const from = distance[low]
    const to = distance[high]
    const span = (time[high] as number) - (time[low] as number)
    out[index] =
      from === null || from === undefined || to === null || to === undefined || span <= 0
        ? null
        : Math.max(0, (to - from) / span)
  }
  return out
}

// A hysteresis band keeps altimeter and GPS noise out of the gain and loss.
function elevationChange(altitude: readonly (number | null)[]): {
  gain: number | null
  loss: number | null
} {
  let reference: number | undefined
  let gain = 0
  let loss = 0
  for (const value of altitude) {
    if (value === null) continue
    if (reference === undefined) {
      reference = value
    } else if (value - reference >= elevationHysteresisMeters) {
      gain += value - reference
      reference = value
    } else if (reference - value >= elevationHysteresisMeters) {
      loss += reference - value
      reference = value
    }
  }
  return reference === undefined ? { gain: null, loss: null } : { gain, loss }
}
