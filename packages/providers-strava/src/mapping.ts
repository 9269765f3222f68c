import type {
  Activity,
  ActivityStreams,
  Athlete,
  HeartRateZone,
  Lap,
  PowerZone,
  SegmentEffort,
  SportType,
  Stats,
  StreamKey,
  Totals,
} from '@pierre/providers-core'
import { isDistanceFreeSport, normalizeRunCadence, withoutUndefined } from '@pierre/providers-core'

// Strava's JSON is read loosely: every member may be absent or null.
type Raw = Readonly<Record<string, unknown>>

const sportTable: Readonly<Record<string, SportType>> = {
  Run: 'run',
  TrailRun: 'trail_running',
  VirtualRun: 'virtual_run',
  Ride: 'ride',
  GravelRide: 'gravel_ride',
  MountainBikeRide: 'mountain_bike',
  EMountainBikeRide: 'mountain_bike',
  EBikeRide: 'ebike_ride',
  VirtualRide: 'virtual_ride',
  Swim: 'swim',
  Walk: 'walk',
  Hike: 'hike',
  AlpineSki: 'alpine_skiing',
  BackcountrySki: 'backcountry_skiing',
  NordicSki: 'cross_country_skiing',
  Snowboard: 'snowboarding',
  Snowshoe: 'snowshoe',
  IceSkate: 'ice_skating',
  Kayaking: 'kayaking',
  Canoeing: 'canoeing',
  Rowing: 'rowing',
  VirtualRow: 'rowing',
  StandUpPaddling: 'paddleboarding',
  Surfing: 'surfing',
  Kitesurf: 'kitesurfing',
  WeightTraining: 'strength_training',
  Crossfit: 'crossfit',
  Pilates: 'pilates',
  Yoga: 'yoga',
  RockClimbing: 'rock_climbing',
  Soccer: 'soccer',
  Tennis: 'tennis',
  Golf: 'golf',
  Skateboard: 'skateboarding',
  InlineSkate: 'inline_skating',
  Workout: 'workout',
  HighIntensityIntervalTraining: 'workout',
  Elliptical: 'workout',
  StairStepper: 'workout',
}

/** Maps a Strava `sport_type` (or legacy `type`) to the normalized sport; unknown ones → `other`. */
export function mapStravaSport(sportType: string | null | undefined): SportType {
  if (sportType === null || sportType === undefined) return 'other'
  return Object.hasOwn(sportTable, sportType) ? (sportTable[sportType] as SportType) : 'other'
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined
const bool = (value: unknown): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined
const int = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined ? undefined : Math.round(number)
}
const nonNegativeInt = (value: unknown): number | undefined => {
  const number = int(value)
  return number === undefined || number < 0 ? undefined : number
}
const heartRate = (value: unknown): number | undefined => {
  const number = int(value)
  return number === undefined || number < 20 || number > 300 ? undefined : number
}
const idOf = (value: unknown): string | undefined =>
  typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : typeof value === 'string' && value !== ''
      ? value
      : undefined
const objectOf = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined
const arrayOf = (value: unknown): readonly Raw[] =>
  Array.isArray(value)
    ? value.filter((entry): entry is Raw => typeof entry === 'object' && entry !== null)
    : []

// Drops undefined members so the result stays small and schema-friendly.

function latLng(value: unknown): readonly [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined
  const [lat, lng] = value as unknown[]
  if (typeof lat !== 'number' || typeof lng !== 'number') return undefined
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return undefined
  return [lat, lng]
}

/** Strava writes local wall time with a misleading `Z`; the normalized form has no offset. */
function localTime(value: unknown): string | undefined {
  const text = str(value)
  if (text === undefined) return undefined
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?:Z|[+-]\d{2}:?\d{2})?$/.exec(
    text,
  )
  return match?.[1]
}

function instant(value: unknown): string | undefined {
  const text = str(value)
  if (text === undefined) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z')
}

/** IANA zone from Strava's `timezone` (`"(GMT-05:00) America/Toronto"`). */
function timeZone(value: unknown): string | undefined {
  const text = str(value)
  if (text === undefined) return undefined
  const zone = text.replace(/^\([^)]*\)\s*/, '').trim()
  return zone === '' ? undefined : zone
}

/**
 * Maps a Strava SummaryActivity or DetailedActivity to the normalized {@link Activity}: ids as
 * strings, metres, seconds, m/s, bpm (only with `has_heartrate`), W, kJ, kcal (detail only), °C;
 * run/walk/hike cadence doubled to steps per minute; `start_date_local` without the false `Z`.
 */
export function mapStravaActivity(raw: Raw): Activity {
  const detail = str(raw.sport_type) ?? str(raw.type)
  const sport = mapStravaSport(detail)
  const distance = num(raw.distance)
  const start = latLng(raw.start_latlng)
  const end = latLng(raw.end_latlng)
  const hasHeartRate = raw.has_heartrate === true
  const deviceWatts = bool(raw.device_watts)
  const averagePower = nonNegativeInt(raw.average_watts)
  const map = objectOf(raw.map)
  const offset = num(raw.utc_offset)
  const exertion = num(raw.perceived_exertion)
  const laps = arrayOf(raw.laps)
  const splits = arrayOf(raw.splits_metric)
  const efforts = arrayOf(raw.segment_efforts)
  const startDate = instant(raw.start_date) ?? '1970-01-01T00:00:00Z'
  return withoutUndefined<Activity>({
    id: idOf(raw.id) ?? '',
    provider: 'strava',
    name: str(raw.name) ?? '',
    sport_type: sport,
    sport_type_detail: detail,
    start_date: startDate,
    start_date_local: localTime(raw.start_date_local),
    utc_offset_seconds: offset === undefined ? undefined : Math.round(offset),
    time_zone: timeZone(raw.timezone),
    duration_seconds: nonNegativeInt(raw.elapsed_time) ?? 0,
    moving_time_seconds: nonNegativeInt(raw.moving_time),
    // 0 m without a GPS start: no distance for a sport covering no ground, and for an unknown one.
    distance_meters:
      distance === undefined || distance < 0
        ? undefined
        : distance === 0 && start === undefined && (isDistanceFreeSport(sport) || sport === 'other')
          ? null
          : distance,
    elevation_gain: num(raw.total_elevation_gain),
    average_speed: num(raw.average_speed),
    max_speed: num(raw.max_speed),
    average_heart_rate: hasHeartRate ? heartRate(raw.average_heartrate) : undefined,
    max_heart_rate: hasHeartRate ? heartRate(raw.max_heartrate) : undefined,
    average_cadence:
      normalizeRunCadence(num(raw.average_cadence), { sportType: sport, perLeg: true }) ??
      undefined,
    average_power: averagePower,
    max_power: nonNegativeInt(raw.max_watts),
    normalized_power: nonNegativeInt(raw.weighted_average_watts),
    power_is_estimated:
      averagePower === undefined || deviceWatts === undefined ? undefined : !deviceWatts,
    kilojoules: num(raw.kilojoules),
    calories: nonNegativeInt(raw.calories),
    suffer_score: nonNegativeInt(raw.suffer_score),
    temperature: num(raw.average_temp),
    perceived_exertion:
      exertion !== undefined && exertion >= 1 && exertion <= 10 ? exertion : undefined,
    start_latitude: start?.[0],
    start_longitude: start?.[1],
    end_latitude: end?.[0],
    end_longitude: end?.[1],
    polyline: str(map?.summary_polyline) ?? str(map?.polyline),
    city: str(raw.location_city),
    region: str(raw.location_state),
    country: str(raw.location_country),
    description: str(raw.description),
    workout_type: int(raw.workout_type),
    trainer: bool(raw.trainer),
    commute: bool(raw.commute),
    manual: bool(raw.manual),
    device_name: str(raw.device_name),
    gear_id: str(raw.gear_id),
    laps: laps.length === 0 ? undefined : laps.map((lap) => mapLap(lap, sport, 'lap_index')),
    splits: splits.length === 0 ? undefined : mapSplits(splits, sport, startDate),
    segment_efforts: efforts.length === 0 ? undefined : efforts.map(mapSegmentEffort),
  })
}

function mapLap(raw: Raw, sport: SportType, indexKey: 'lap_index' | 'split'): Lap {
  return withoutUndefined<Lap>({
    index: nonNegativeInt(raw[indexKey]) ?? 0,
    name: str(raw.name),
    start_date: instant(raw.start_date) ?? '1970-01-01T00:00:00Z',
    duration_seconds: nonNegativeInt(raw.elapsed_time) ?? 0,
    moving_time_seconds: nonNegativeInt(raw.moving_time),
    distance_meters: num(raw.distance),
    average_speed: num(raw.average_speed),
    max_speed: num(raw.max_speed),
    average_heart_rate: heartRate(raw.average_heartrate),
    max_heart_rate: heartRate(raw.max_heartrate),
    average_cadence:
      normalizeRunCadence(num(raw.average_cadence), { sportType: sport, perLeg: true }) ??
      undefined,
    average_power: nonNegativeInt(raw.average_watts),
    elevation_gain: num(raw.total_elevation_gain),
    start_index: nonNegativeInt(raw.start_index),
    end_index: nonNegativeInt(raw.end_index),
  })
}

// Splits carry no start date; each one starts where the previous one's elapsed time ends.
function mapSplits(splits: readonly Raw[], sport: SportType, activityStart: string): Lap[] {
  let offsetSeconds = 0
  return splits.map((split) => {
    const start = new Date(Date.parse(activityStart) + offsetSeconds * 1000)
    offsetSeconds += nonNegativeInt(split.elapsed_time) ?? 0
    return mapLap(
      { start_date: start.toISOString().replace('.000Z', 'Z'), ...split },
      sport,
      'split',
    )
  })
}

function mapSegmentEffort(raw: Raw): SegmentEffort {
  const segment = objectOf(raw.segment)
  const high = num(segment?.elevation_high)
  const low = num(segment?.elevation_low)
  const positive = (value: unknown): number | undefined => {
    const number = int(value)
    return number === undefined || number < 1 ? undefined : number
  }
  return withoutUndefined<SegmentEffort>({
    id: idOf(raw.id) ?? '',
    name: str(raw.name) ?? str(segment?.name) ?? '',
    segment_id: idOf(segment?.id),
    elapsed_time: nonNegativeInt(raw.elapsed_time) ?? 0,
    moving_time: nonNegativeInt(raw.moving_time),
    start_date: instant(raw.start_date) ?? '1970-01-01T00:00:00Z',
    distance: Math.max(0, num(raw.distance) ?? 0),
    average_heart_rate: heartRate(raw.average_heartrate),
    max_heart_rate: heartRate(raw.max_heartrate),
    average_cadence: nonNegativeInt(raw.average_cadence),
    average_watts: num(raw.average_watts),
    kom_rank: positive(raw.kom_rank),
    pr_rank: positive(raw.pr_rank),
    climb_category: int(segment?.climb_category),
    average_grade: num(segment?.average_grade),
    elevation_gain:
      high === undefined || low === undefined ? undefined : Math.round((high - low) * 10) / 10,
  })
}

/**
 * Maps `/activities/{id}/zones` to heart-rate zones `Z1…` (minutes = round(time / 60)) and power
 * zones (seconds); `max: -1` is an open top zone (`null`). Pace distributions are dropped.
 */
export function mapStravaActivityZones(raw: unknown): {
  readonly heart_rate_zones?: HeartRateZone[]
  readonly power_zones?: PowerZone[]
} {
  const result: { heart_rate_zones?: HeartRateZone[]; power_zones?: PowerZone[] } = {}
  for (const entry of arrayOf(raw)) {
    const buckets = arrayOf(entry.distribution_buckets)
    const bound = (value: unknown): number | null => {
      const number = num(value)
      return number === undefined || number < 0 ? null : number
    }
    if (entry.type === 'heartrate') {
      result.heart_rate_zones = buckets.map((bucket, index) => ({
        name: `Z${index + 1}`,
        min_hr: Math.max(0, num(bucket.min) ?? 0),
        max_hr: bound(bucket.max),
        minutes: Math.round((num(bucket.time) ?? 0) / 60),
      }))
    } else if (entry.type === 'power') {
      result.power_zones = buckets.map((bucket, index) => ({
        name: `Z${index + 1}`,
        min_power: Math.max(0, num(bucket.min) ?? 0),
        max_power: bound(bucket.max),
        time_in_zone: Math.max(0, num(bucket.time) ?? 0),
      }))
    }
  }
  return result
}

/** The athlete's configured zones, from `/athlete/zones`. */
export interface StravaAthleteZones {
  /** Heart-rate zones in bpm; `max_hr` null for the open top zone. */
  readonly heart_rate: readonly { name: string; min_hr: number; max_hr: number | null }[]
  /** Power zones in W; `max_power` null for the open top zone. */
  readonly power: readonly { name: string; min_power: number; max_power: number | null }[]
}

/** Maps `/athlete/zones` (`max: -1` = open-ended) to {@link StravaAthleteZones}. */
export function mapStravaAthleteZones(raw: unknown): StravaAthleteZones {
  const body = objectOf(raw)
  const zones = (value: unknown) =>
    arrayOf(objectOf(value)?.zones).map((zone, index) => {
      const max = num(zone.max)
      return {
        name: `Z${index + 1}`,
        min: Math.max(0, num(zone.min) ?? 0),
        max: max === undefined || max < 0 ? null : max,
      }
    })
  return {
    heart_rate: zones(body?.heart_rate).map((zone) => ({
      name: zone.name,
      min_hr: zone.min,
      max_hr: zone.max,
    })),
    power: zones(body?.power).map((zone) => ({
      name: zone.name,
      min_power: zone.min,
      max_power: zone.max,
    })),
  }
}

/** Maps Strava's detailed athlete (`sex` M/F, `weight` kg, `measurement_preference`). */
export function mapStravaAthlete(raw: Raw): Athlete {
  const weight = num(raw.weight)
  const ftp = int(raw.ftp)
  const preference = raw.measurement_preference
  return withoutUndefined<Athlete>({
    id: idOf(raw.id) ?? '',
    username: str(raw.username) ?? '',
    firstname: str(raw.firstname),
    lastname: str(raw.lastname),
    profile_picture: str(raw.profile) ?? str(raw.profile_medium),
    provider: 'strava',
    sex: raw.sex === 'M' ? 'male' : raw.sex === 'F' ? 'female' : undefined,
    weight_kg: weight !== undefined && weight > 0 ? weight : undefined,
    ftp: ftp !== undefined && ftp > 0 ? ftp : undefined,
    city: str(raw.city),
    region: str(raw.state),
    country: str(raw.country),
    measurement_preference:
      preference === 'meters' ? 'metric' : preference === 'feet' ? 'imperial' : undefined,
  })
}

function totals(raw: unknown): Totals | undefined {
  const body = objectOf(raw)
  if (body === undefined) return undefined
  return withoutUndefined<Totals>({
    count: nonNegativeInt(body.count) ?? 0,
    distance: Math.max(0, num(body.distance) ?? 0),
    moving_time: Math.max(0, num(body.moving_time) ?? 0),
    elapsed_time: num(body.elapsed_time),
    elevation_gain: num(body.elevation_gain),
  })
}

/**
 * Maps `/athletes/{id}/stats`: all-time totals are the sums over runs, rides and swims; `by_sport`,
 * `recent` (last 4 weeks) and `ytd` keep the per-sport totals.
 */
export function mapStravaStats(raw: Raw): Stats {
  const period = (prefix: 'all' | 'recent' | 'ytd') => ({
    run: totals(raw[`${prefix}_run_totals`]),
    ride: totals(raw[`${prefix}_ride_totals`]),
    swim: totals(raw[`${prefix}_swim_totals`]),
  })
  const all = period('all')
  const parts = [all.run, all.ride, all.swim].filter((entry) => entry !== undefined)
  const sum = (pick: (entry: Totals) => number | null | undefined): number | null =>
    parts.length === 0 ? null : parts.reduce((total, entry) => total + (pick(entry) ?? 0), 0)
  return {
    total_activities: sum((entry) => entry.count),
    total_distance: sum((entry) => entry.distance),
    total_duration: sum((entry) => entry.moving_time),
    total_elevation_gain: sum((entry) => entry.elevation_gain),
    by_sport: withoutUndefined(all),
    recent: withoutUndefined(period('recent')),
    ytd: withoutUndefined(period('ytd')),
  }
}

/** The Strava stream types requested for each normalized key (`time` always comes). */
export const stravaStreamTypes: Readonly<Record<StreamKey, string>> = {
  distance: 'distance',
  latlng: 'latlng',
  altitude: 'altitude',
  velocity: 'velocity_smooth',
  heartrate: 'heartrate',
  cadence: 'cadence',
  watts: 'watts',
  temperature: 'temp',
  moving: 'moving',
  grade: 'grade_smooth',
}

/**
 * Maps a Strava stream set (`key_by_type=true` object, or the array form) to
 * {@link ActivityStreams}: renamed keys, run cadence doubled, omitted streams absent, and
 * `source_resolution` set when Strava downsampled (`data.length < original_size`).
 */
export function mapStravaStreams(
  raw: unknown,
  activity: { readonly id: string; readonly start_date: string; readonly sport_type: SportType },
): ActivityStreams {
  const byType = new Map<string, Raw>()
  if (Array.isArray(raw)) {
    for (const entry of arrayOf(raw)) {
      if (typeof entry.type === 'string') byType.set(entry.type, entry)
    }
  } else {
    for (const [type, entry] of Object.entries(objectOf(raw) ?? {})) {
      const stream = objectOf(entry)
      if (stream !== undefined) byType.set(type, stream)
    }
  }
  const data = (type: string): unknown[] | undefined => {
    const values = byType.get(type)?.data
    return Array.isArray(values) ? values : undefined
  }
  const time = (data('time') ?? []).map((value) => Math.max(0, Math.round(Number(value) || 0)))
  let originalSize = time.length
  let resolution: ActivityStreams['source_resolution']
  for (const stream of byType.values()) {
    const size = num(stream.original_size)
    const length = Array.isArray(stream.data) ? stream.data.length : 0
    if (size !== undefined && size > originalSize) originalSize = size
    if (size !== undefined && length < size) {
      const given = stream.resolution
      resolution = given === 'low' || given === 'medium' || given === 'high' ? given : resolution
    }
  }
  const numbers = (type: string) =>
    data(type)?.map((value) => (typeof value === 'number' && Number.isFinite(value) ? value : null))
  const cadence = data('cadence')?.map((value) =>
    typeof value === 'number'
      ? normalizeRunCadence(value, { sportType: activity.sport_type, perLeg: true })
      : null,
  )
  const regular = time.every((value, index) => index === 0 || value - (time[index - 1] ?? 0) === 1)
  return withoutUndefined<ActivityStreams>({
    activity_id: activity.id,
    provider: 'strava',
    start_date: activity.start_date,
    sample_rate: regular ? '1hz' : 'irregular',
    original_size: originalSize,
    source_resolution: resolution,
    time,
    distance: numbers('distance'),
    latlng: data('latlng')?.map((value) => latLng(value) ?? null) as [number, number][] | undefined,
    altitude: numbers('altitude'),
    velocity: numbers('velocity_smooth'),
    heartrate: numbers('heartrate'),
    cadence,
    watts: numbers('watts'),
    temperature: numbers('temp'),
    moving: data('moving')?.map((value) => (typeof value === 'boolean' ? value : null)),
    grade: numbers('grade_smooth'),
  })
}
