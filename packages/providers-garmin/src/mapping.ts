import type {
  Activity,
  ActivityStreams,
  DailySummary,
  HealthMetrics,
  HrvDaily,
  Lap,
  RecoveryMetrics,
  SleepSession,
  SleepStage,
  SportType,
} from '@pierre/providers-core'
import { isDistanceFreeSport, normalizeRunCadence, withoutUndefined } from '@pierre/providers-core'

// Garmin's JSON is read loosely: every member may be absent, null or of another type.
type Raw = Readonly<Record<string, unknown>>

const sportTable: Readonly<Record<string, SportType>> = {
  RUNNING: 'run',
  STREET_RUNNING: 'run',
  TRACK_RUNNING: 'run',
  ULTRA_RUN: 'run',
  TRAIL_RUNNING: 'trail_running',
  TREADMILL_RUNNING: 'virtual_run',
  INDOOR_RUNNING: 'virtual_run',
  VIRTUAL_RUN: 'virtual_run',
  CYCLING: 'ride',
  ROAD_BIKING: 'ride',
  RECUMBENT_CYCLING: 'ride',
  GRAVEL_CYCLING: 'gravel_ride',
  CYCLOCROSS: 'gravel_ride',
  MOUNTAIN_BIKING: 'mountain_bike',
  E_BIKE_MOUNTAIN: 'mountain_bike',
  E_BIKE_FITNESS: 'ebike_ride',
  INDOOR_CYCLING: 'virtual_ride',
  VIRTUAL_RIDE: 'virtual_ride',
  LAP_SWIMMING: 'swim',
  OPEN_WATER_SWIMMING: 'swim',
  SWIMMING: 'swim',
  WALKING: 'walk',
  CASUAL_WALKING: 'walk',
  SPEED_WALKING: 'walk',
  HIKING: 'hike',
  STRENGTH_TRAINING: 'strength_training',
  YOGA: 'yoga',
  PILATES: 'pilates',
  CARDIO: 'workout',
  INDOOR_CARDIO: 'workout',
  ELLIPTICAL: 'workout',
  STAIR_CLIMBING: 'workout',
  HIIT: 'workout',
  FITNESS_EQUIPMENT: 'workout',
  INDOOR_ROWING: 'rowing',
  ROWING: 'rowing',
  RESORT_SKIING_SNOWBOARDING: 'alpine_skiing',
  RESORT_SKIING: 'alpine_skiing',
  RESORT_SNOWBOARDING: 'snowboarding',
  BACKCOUNTRY_SKIING_SNOWBOARDING: 'backcountry_skiing',
  BACKCOUNTRY_SKIING: 'backcountry_skiing',
  BACKCOUNTRY_SNOWBOARDING: 'snowboarding',
  CROSS_COUNTRY_SKIING_WS: 'cross_country_skiing',
  SKATE_SKIING_WS: 'cross_country_skiing',
  STAND_UP_PADDLEBOARDING: 'paddleboarding',
  KAYAKING: 'kayaking',
  WHITEWATER_RAFTING_KAYAKING: 'kayaking',
  CANOEING: 'canoeing',
  SURFING: 'surfing',
  KITEBOARDING: 'kitesurfing',
  SNOWSHOEING: 'snowshoe',
  ROCK_CLIMBING: 'rock_climbing',
  BOULDERING: 'rock_climbing',
  INDOOR_CLIMBING: 'rock_climbing',
  INLINE_SKATING: 'inline_skating',
  ICE_SKATING: 'ice_skating',
  SKATEBOARDING: 'skateboarding',
  SOCCER: 'soccer',
  BASKETBALL: 'basketball',
  TENNIS: 'tennis',
  GOLF: 'golf',
}

// Keyword fallback for types missing from the table, checked in order (the Rust keyword idea).
const sportKeywords: readonly (readonly [RegExp, SportType])[] = [
  [/TREADMILL|INDOOR_RUN|VIRTUAL_RUN/, 'virtual_run'],
  [/TRAIL.*RUN|RUN.*TRAIL/, 'trail_running'],
  [/RUN/, 'run'],
  [/MOUNTAIN_BIK|MTB/, 'mountain_bike'],
  [/GRAVEL/, 'gravel_ride'],
  [/INDOOR_CYCL|INDOOR_BIK|VIRTUAL_RIDE/, 'virtual_ride'],
  [/E_BIKE|EBIKE/, 'ebike_ride'],
  [/CYCL|BIK|RIDE/, 'ride'],
  [/SWIM/, 'swim'],
  [/WALK/, 'walk'],
  [/HIK/, 'hike'],
  [/YOGA/, 'yoga'],
  [/PILATES/, 'pilates'],
  [/STRENGTH|WEIGHT/, 'strength_training'],
  [/ROW/, 'rowing'],
  [/PADDLE/, 'paddleboarding'],
  [/KAYAK/, 'kayaking'],
  [/CANOE/, 'canoeing'],
  [/SNOWBOARD/, 'snowboarding'],
  [/BACKCOUNTRY/, 'backcountry_skiing'],
  [/CROSS_COUNTRY|NORDIC/, 'cross_country_skiing'],
  [/SKI/, 'alpine_skiing'],
  [/CLIMB|BOULDER/, 'rock_climbing'],
  [/CARDIO|HIIT|ELLIPTICAL|FITNESS|WORKOUT/, 'workout'],
]

/**
 * Maps a Garmin `activityType` (`RUNNING`, `GRAVEL_CYCLING`, `LAP_SWIMMING`…) to the normalized
 * sport, case-insensitively: first through a table, then by keywords (`…_RUNNING` → run,
 * `…CYCLING` → ride); anything else → `other`.
 */
export function mapGarminSport(activityType: string | null | undefined): SportType {
  if (typeof activityType !== 'string' || activityType.trim() === '') return 'other'
  const key = activityType
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_')
  if (Object.hasOwn(sportTable, key)) return sportTable[key] as SportType
  for (const [pattern, sport] of sportKeywords) if (pattern.test(key)) return sport
  return 'other'
}

const runFamily: ReadonlySet<SportType> = new Set([
  'run',
  'trail_running',
  'virtual_run',
  'walk',
  'hike',
  'snowshoe',
])

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined
const bool = (value: unknown): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined
const nonNegative = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || number < 0 ? undefined : number
}
const nonNegativeInt = (value: unknown): number | undefined => {
  const number = nonNegative(value)
  if (number === undefined) return undefined
  const rounded = Math.round(number)
  return Number.isSafeInteger(rounded) ? rounded : undefined
}
// Durations past ~115 days are not an activity, a night or a day.
const durationOf = (value: unknown): number | undefined => {
  const number = nonNegative(value)
  return number === undefined || number > 1e7 ? undefined : number
}
const heartRate = (value: unknown): number | undefined => {
  const number = num(value)
  if (number === undefined) return undefined
  const rounded = Math.round(number)
  return rounded < 20 || rounded > 300 ? undefined : rounded
}
const percentOf = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || number < 0 || number > 100 ? undefined : number
}
// Epoch seconds between 1970 and 3000: anything else is not a Garmin time (and breaks Date).
const maxEpochSeconds = 32_503_680_000
const epochOf = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || number < 0 || number > maxEpochSeconds ? undefined : number
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
    ? value.filter(
        (entry): entry is Raw =>
          typeof entry === 'object' && entry !== null && !Array.isArray(entry),
      )
    : []
const latitudeOf = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || Math.abs(number) > 90 ? undefined : number
}
const longitudeOf = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || Math.abs(number) > 180 ? undefined : number
}
const round = (value: number, digits: number): number => {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
const mean = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length

// Drops undefined members so the result stays small and schema-friendly.

/** Epoch seconds → ISO UTC with `Z`, milliseconds only when the source has them. */
function instantOf(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z')
}

/** Epoch seconds plus a UTC offset → local wall clock `YYYY-MM-DDTHH:mm:ss`. */
function localTimeOf(epochSeconds: number, offsetSeconds: number): string {
  return new Date((Math.floor(epochSeconds) + offsetSeconds) * 1000).toISOString().slice(0, 19)
}

/** A UTC offset in seconds, when it is a plausible one (±14 h). */
export function offsetOf(value: unknown): number | undefined {
  const number = num(value)
  if (number === undefined) return undefined
  const rounded = Math.round(number)
  return Math.abs(rounded) > 14 * 3600 ? undefined : rounded
}

/** Local midnight of a calendar date as a UTC instant (UTC midnight when the offset is unknown). */
export function localMidnightOf(calendarDate: string, offsetSeconds: number | undefined): string {
  const ms = Date.parse(`${calendarDate}T00:00:00Z`) - (offsetSeconds ?? 0) * 1000
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

function calendarDateOf(value: unknown): string | undefined {
  const text = str(value)
  return text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))
    ? text
    : undefined
}

function displayName(sport: SportType): string {
  return sport
    .split('_')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join(' ')
}

/**
 * Maps one item of a Garmin `activities` (or `manuallyUpdatedActivities`) summary to the
 * normalized {@link Activity}: `summaryId` (else `activityId`) as the id, the start instant from
 * `startTimeInSeconds` with the local wall clock and `utc_offset_seconds` from
 * `startTimeOffsetInSeconds`; seconds, metres, m/s, bpm and W as Garmin sends them; run cadence is
 * already in steps per minute (both feet) and is not doubled; `calories` is Garmin's
 * `activeKilocalories`, **active energy only** (no resting part). Without details the activity has
 * no streams (`streams_available: false`).
 */
export function mapGarminActivity(raw: Raw): Activity {
  const type = str(raw.activityType)
  const sport = mapGarminSport(type)
  const startSeconds = epochOf(raw.startTimeInSeconds) ?? 0
  const offset = offsetOf(raw.startTimeOffsetInSeconds)
  const distance = nonNegative(raw.distanceInMeters)
  const startLatitude = latitudeOf(raw.startingLatitudeInDegree)
  const startLongitude = longitudeOf(raw.startingLongitudeInDegree)
  const hasStart = startLatitude !== undefined && startLongitude !== undefined
  const cadence = (average: boolean): number | undefined => {
    const prefix = average ? 'average' : 'max'
    const steps = num(raw[`${prefix}RunCadenceInStepsPerMinute`])
    const value =
      steps ??
      num(raw[`${prefix}BikeCadenceInRoundsPerMinute`]) ??
      num(raw[`${prefix}SwimCadenceInStrokesPerMinute`])
    // Above 500 per minute it is not a cadence (a unit or sensor error).
    if (value === undefined || value < 0 || value > 500) return undefined
    // Garmin's run cadence counts both feet already.
    return (
      normalizeRunCadence(
        value,
        steps === undefined ? { sportType: sport } : { sportType: sport, perLeg: false },
      ) ?? undefined
    )
  }
  const averageSpeed =
    nonNegative(raw.averageSpeedInMetersPerSecond) ??
    speedFromPace(num(raw.averagePaceInMinutesPerKilometer))
  return withoutUndefined<Activity>({
    id: idOf(raw.summaryId) ?? idOf(raw.activityId) ?? '',
    provider: 'garmin',
    name: str(raw.activityName) ?? displayName(sport),
    sport_type: sport,
    sport_type_detail: type,
    start_date: instantOf(startSeconds),
    start_date_local: offset === undefined ? undefined : localTimeOf(startSeconds, offset),
    utc_offset_seconds: offset,
    duration_seconds: nonNegativeInt(durationOf(raw.durationInSeconds)) ?? 0,
    moving_time_seconds: nonNegativeInt(durationOf(raw.movingDurationInSeconds)),
    // 0 m without a GPS start: no distance for a sport covering no ground, and for an unknown one.
    distance_meters:
      distance === undefined
        ? undefined
        : distance === 0 && !hasStart && (isDistanceFreeSport(sport) || sport === 'other')
          ? null
          : distance,
    elevation_gain: num(raw.totalElevationGainInMeters),
    elevation_loss: num(raw.totalElevationLossInMeters),
    average_speed: averageSpeed,
    max_speed:
      nonNegative(raw.maxSpeedInMetersPerSecond) ??
      speedFromPace(num(raw.maxPaceInMinutesPerKilometer)),
    average_heart_rate: heartRate(raw.averageHeartRateInBeatsPerMinute),
    max_heart_rate: heartRate(raw.maxHeartRateInBeatsPerMinute),
    average_cadence: cadence(true),
    max_cadence: cadence(false),
    average_power: nonNegativeInt(raw.averagePowerInWatts),
    max_power: nonNegativeInt(raw.maxPowerInWatts),
    calories: nonNegativeInt(raw.activeKilocalories),
    steps: nonNegativeInt(raw.steps),
    start_latitude: hasStart ? startLatitude : undefined,
    start_longitude: hasStart ? startLongitude : undefined,
    manual: bool(raw.manual),
    device_name: str(raw.deviceName),
    streams_available: false,
  })
}

// Garmin pace is minutes per kilometre; speed is m/s.
function speedFromPace(minutesPerKilometer: number | undefined): number | undefined {
  if (minutesPerKilometer === undefined || minutesPerKilometer <= 0) return undefined
  const speed = 1000 / (minutesPerKilometer * 60)
  // A pace near zero (a denormal from a broken device) divides to Infinity: no speed then.
  return Number.isFinite(speed) ? round(speed, 3) : undefined
}

interface Sample {
  readonly offset: number
  readonly raw: Raw
}

/** What {@link mapGarminActivityDetails} returns. */
export interface GarminActivityDetails {
  /** The summary with laps; `streams_available` when there are samples. */
  readonly activity: Activity
  /** The samples as streams; `undefined` when the item has none. */
  readonly streams: ActivityStreams | undefined
}

/**
 * Maps one item of a Garmin `activityDetails` summary: the embedded `summary` becomes the
 * {@link Activity} (as {@link mapGarminActivity}), `samples[]` become {@link ActivityStreams}
 * (`time` = sample start − activity start, s; `moving` from increments of
 * `movingDurationInSeconds`), and `laps[]` (start times only) become lap boundaries. Lap figures,
 * moving time and the average temperature are computed from the samples only where the samples
 * cover the whole span, never guessed from a part of it.
 */
export function mapGarminActivityDetails(raw: Raw): GarminActivityDetails {
  const summary = objectOf(raw.summary) ?? {}
  const base = mapGarminActivity({
    ...summary,
    summaryId: summary.summaryId ?? summary.activityId ?? raw.activityId,
  })
  const startSeconds = epochOf(summary.startTimeInSeconds) ?? 0
  const samples: Sample[] = arrayOf(raw.samples)
    .map((sample) => ({
      offset: (epochOf(sample.startTimeInSeconds) ?? Number.NaN) - startSeconds,
      raw: sample,
    }))
    .filter((sample) => Number.isFinite(sample.offset) && sample.offset >= 0)
    .sort((left, right) => left.offset - right.offset)
  const streams = samples.length === 0 ? undefined : toStreams(samples, base)
  const covers = (from: number, to: number): boolean => {
    const first = samples[0]
    const last = samples[samples.length - 1]
    return (
      first !== undefined && last !== undefined && first.offset <= from && last.offset >= to - 1
    )
  }
  const duration = base.duration_seconds
  const whole = duration > 0 && covers(0, duration)
  const temperatures = samples
    .map((sample) => num(sample.raw.airTemperatureCelcius))
    .filter((value): value is number => value !== undefined)
  const lastMoving = num(samples[samples.length - 1]?.raw.movingDurationInSeconds)
  const lapStarts = arrayOf(raw.laps)
    .map((lap) => epochOf(lap.startTimeInSeconds))
    .filter((value): value is number => value !== undefined && value >= startSeconds)
    .sort((left, right) => left - right)
  const laps = lapStarts.map((lapStart, index) => {
    const from = lapStart - startSeconds
    const to = (lapStarts[index + 1] ?? startSeconds + duration) - startSeconds
    return toLap({ index: index + 1, from, to: Math.max(from, to), lapStart }, samples, {
      sport: base.sport_type,
      covered: covers(from, to),
    })
  })
  const activity = withoutUndefined<Activity>({
    ...base,
    moving_time_seconds:
      base.moving_time_seconds ??
      (whole && lastMoving !== undefined ? Math.round(lastMoving) : undefined),
    temperature:
      whole && temperatures.length > 0 ? round(mean(temperatures) as number, 1) : undefined,
    laps: laps.length === 0 ? undefined : laps,
    streams_available: streams !== undefined,
  })
  return { activity, streams }
}

function sampleCadence(raw: Raw, sport: SportType): number | null {
  if (runFamily.has(sport)) {
    const steps = num(raw.stepsPerMinute)
    return steps === undefined
      ? null
      : (normalizeRunCadence(steps, { sportType: sport, perLeg: false }) ?? null)
  }
  const rpm = num(raw.bikeCadenceInRPM)
  return rpm === undefined ? null : Math.round(rpm)
}

function toStreams(samples: readonly Sample[], activity: Activity): ActivityStreams {
  const time = samples.map((sample) => Math.round(sample.offset))
  const series = (key: string): (number | null)[] | undefined => {
    const values = samples.map((sample) => num(sample.raw[key]) ?? null)
    return values.some((value) => value !== null) ? values : undefined
  }
  const latlng = samples.map((sample) => {
    const lat = latitudeOf(sample.raw.latitudeInDegree)
    const lng = longitudeOf(sample.raw.longitudeInDegree)
    return lat === undefined || lng === undefined ? null : ([lat, lng] as [number, number])
  })
  const cadence = samples.map((sample) => sampleCadence(sample.raw, activity.sport_type))
  const moving = samples.map((sample, index) => {
    if (index === 0) return null
    const now = num(sample.raw.movingDurationInSeconds)
    const before = num(samples[index - 1]?.raw.movingDurationInSeconds)
    return now === undefined || before === undefined ? null : now > before
  })
  const regular = time.every((value, index) => index === 0 || value - (time[index - 1] ?? 0) === 1)
  return withoutUndefined<ActivityStreams>({
    activity_id: activity.id,
    provider: 'garmin',
    start_date: activity.start_date,
    sample_rate: regular ? '1hz' : 'irregular',
    original_size: samples.length,
    time,
    distance: series('totalDistanceInMeters'),
    latlng: latlng.some((value) => value !== null) ? latlng : undefined,
    altitude: series('elevationInMeters'),
    velocity: series('speedMetersPerSecond'),
    heartrate: series('heartRate'),
    cadence: cadence.some((value) => value !== null) ? cadence : undefined,
    watts: series('powerInWatts'),
    // Garmin spells it "Celcius".
    temperature: series('airTemperatureCelcius'),
    moving: moving.some((value) => value !== null) ? moving : undefined,
  })
}

function toLap(
  lap: {
    readonly index: number
    readonly from: number
    readonly to: number
    readonly lapStart: number
  },
  samples: readonly Sample[],
  context: { readonly sport: SportType; readonly covered: boolean },
): Lap {
  const boundary = withoutUndefined<Lap>({
    index: lap.index,
    start_date: instantOf(lap.lapStart),
    duration_seconds: Math.round(lap.to - lap.from),
  })
  if (!context.covered) return boundary
  const startIndex = samples.findIndex((sample) => sample.offset >= lap.from)
  let endIndex = -1
  samples.forEach((sample, index) => {
    if (sample.offset < lap.to) endIndex = index
  })
  if (startIndex < 0 || endIndex < startIndex) return boundary
  const inLap = samples.slice(startIndex, endIndex + 1)
  const values = (key: string) =>
    inLap
      .map((sample) => num(sample.raw[key]))
      .filter((value): value is number => value !== undefined)
  const distanceAt = (sample: Sample | undefined) => num(sample?.raw.totalDistanceInMeters)
  const startDistance = distanceAt(samples[startIndex])
  const endDistance = distanceAt(samples[endIndex + 1] ?? samples[endIndex])
  const distance =
    startDistance === undefined || endDistance === undefined
      ? undefined
      : round(Math.max(0, endDistance - startDistance), 1)
  const heartRates = values('heartRate')
  const cadences = inLap
    .map((sample) => sampleCadence(sample.raw, context.sport))
    .filter((value): value is number => value !== null)
  const powers = values('powerInWatts')
  const speeds = values('speedMetersPerSecond')
  const averageHeartRate = mean(heartRates)
  const averageCadence = mean(cadences)
  const averagePower = mean(powers)
  return withoutUndefined<Lap>({
    ...boundary,
    distance_meters: distance,
    average_speed:
      distance === undefined || boundary.duration_seconds === 0
        ? undefined
        : round(distance / boundary.duration_seconds, 3),
    max_speed: speeds.length === 0 ? undefined : Math.max(...speeds),
    average_heart_rate: averageHeartRate === undefined ? undefined : heartRate(averageHeartRate),
    max_heart_rate: heartRates.length === 0 ? undefined : heartRate(Math.max(...heartRates)),
    average_cadence: averageCadence === undefined ? undefined : Math.round(averageCadence),
    average_power: averagePower === undefined ? undefined : Math.round(averagePower),
    start_index: startIndex,
    end_index: endIndex,
  })
}

const sleepLevels: readonly (readonly [string, SleepStage['stage_type']])[] = [
  ['deep', 'deep'],
  ['light', 'light'],
  ['rem', 'rem'],
  ['awake', 'awake'],
]

function offsetValues(value: unknown): number[] {
  const entries = Object.entries(objectOf(value) ?? {})
    .map(([key, entry]) => [Number(key), num(entry)] as const)
    .filter(
      (entry): entry is readonly [number, number] =>
        Number.isFinite(entry[0]) && entry[1] !== undefined,
    )
    .sort((left, right) => left[0] - right[0])
  return entries.map(([, entry]) => entry)
}

/**
 * Maps one item of a Garmin `sleeps` summary to a {@link SleepSession}: stage segments from
 * `sleepLevelsMap` (epoch seconds), the in-bed window from the first to the last segment (else
 * `startTimeInSeconds` plus asleep and awake time), `total_sleep_time` from `durationInSeconds`
 * (asleep time), minutes throughout, `sleep_efficiency` = 100 × asleep / in bed, the overall score,
 * mean respiration (breaths/min) and SpO2 (%) of the night, `calendarDate` as `date_of_sleep`,
 * awakenings between the first and the last sleep segment as `wake_count`, and the awake time
 * before the first sleep segment as `sleep_onset_latency`.
 */
export function mapGarminSleep(raw: Raw): SleepSession {
  const map = objectOf(raw.sleepLevelsMap) ?? {}
  const segments = sleepLevels
    .flatMap(([key, stage]) =>
      arrayOf(map[key]).map((segment) => ({
        stage,
        start: epochOf(segment.startTimeInSeconds),
        end: epochOf(segment.endTimeInSeconds),
      })),
    )
    .filter(
      (segment): segment is { stage: SleepStage['stage_type']; start: number; end: number } =>
        segment.start !== undefined && segment.end !== undefined && segment.end > segment.start,
    )
    .sort((left, right) => left.start - right.start)
  const stageSeconds = (key: string) => durationOf(raw[key])
  const deep = stageSeconds('deepSleepDurationInSeconds')
  const light = stageSeconds('lightSleepDurationInSeconds')
  const rem = stageSeconds('remSleepInSeconds')
  const awake = stageSeconds('awakeDurationInSeconds')
  const unmeasurable = stageSeconds('unmeasurableSleepInSeconds')
  const asleepSeconds =
    durationOf(raw.durationInSeconds) ??
    (deep ?? 0) + (light ?? 0) + (rem ?? 0) + (unmeasurable ?? 0)
  const startTime = epochOf(raw.startTimeInSeconds) ?? segments[0]?.start ?? 0
  const firstSegment = segments[0]
  const lastSegment = segments[segments.length - 1]
  const inBedStart =
    firstSegment === undefined ? startTime : Math.min(...segments.map((s) => s.start))
  const inBedEnd =
    lastSegment === undefined
      ? startTime + asleepSeconds + (awake ?? 0)
      : Math.max(...segments.map((s) => s.end))
  const timeInBed = Math.max(0, Math.round((inBedEnd - inBedStart) / 60))
  const totalSleep = Math.min(timeInBed, Math.round(asleepSeconds / 60))
  const offset = offsetOf(raw.startTimeOffsetInSeconds)
  const stages: SleepStage[] =
    segments.length > 0
      ? segments.map((segment) => ({
          stage_type: segment.stage,
          start_time: instantOf(segment.start),
          duration_minutes: (segment.end - segment.start) / 60,
        }))
      : (
          [
            ['deep', deep],
            ['light', light],
            ['rem', rem],
            ['awake', awake],
          ] as const
        ).flatMap(([stage, seconds]) =>
          seconds === undefined
            ? []
            : [
                {
                  stage_type: stage,
                  start_time: instantOf(inBedStart),
                  duration_minutes: seconds / 60,
                },
              ],
        )
  const sleeping = segments.filter((segment) => segment.stage !== 'awake')
  const firstAsleep = sleeping[0]
  const lastAsleep = sleeping[sleeping.length - 1]
  const wakeCount =
    firstAsleep === undefined || lastAsleep === undefined
      ? undefined
      : segments.filter(
          (segment) =>
            segment.stage === 'awake' &&
            segment.start >= firstAsleep.end &&
            segment.end <= lastAsleep.start,
        ).length
  const respiration = mean(offsetValues(raw.timeOffsetSleepRespiration))
  const spo2 = mean(offsetValues(raw.timeOffsetSleepSpo2))
  const score = objectOf(raw.overallSleepScore)
  const dateOfSleep =
    calendarDateOf(raw.calendarDate) ?? localTimeOf(inBedEnd, offset ?? 0).slice(0, 10)
  return withoutUndefined<SleepSession>({
    id: idOf(raw.summaryId) ?? '',
    provider: 'garmin',
    start_time: instantOf(inBedStart),
    end_time: instantOf(inBedEnd),
    date_of_sleep: dateOfSleep,
    is_nap: false,
    utc_offset_seconds: offset,
    time_in_bed: timeInBed,
    total_sleep_time: totalSleep,
    sleep_efficiency: timeInBed === 0 ? 0 : (100 * totalSleep) / timeInBed,
    sleep_score: percentOf(score?.value),
    stages,
    stage_detail: segments.length > 0 ? 'segments' : stages.length > 0 ? 'totals' : 'none',
    respiratory_rate: respiration === undefined ? undefined : round(respiration, 2),
    spo2_average: spo2 === undefined ? undefined : percentOf(round(spo2, 1)),
    wake_count: wakeCount,
    sleep_onset_latency:
      firstSegment?.stage === 'awake' && firstAsleep !== undefined
        ? (firstAsleep.start - firstSegment.start) / 60
        : undefined,
  })
}

/**
 * Maps one item of a Garmin `hrv` summary to {@link HrvDaily}: `lastNightAvg` as the night's RMSSD
 * (ms), `lastNight5MinHigh` as the best 5-minute value, and `hrvValues` (offset in seconds from
 * `startTimeInSeconds` → RMSSD ms) as timed samples.
 */
export function mapGarminHrv(raw: Raw): HrvDaily {
  const start = epochOf(raw.startTimeInSeconds)
  const samples = Object.entries(objectOf(raw.hrvValues) ?? {})
    .map(([key, value]) => ({ offset: Number(key), rmssd: nonNegative(value) }))
    .filter(
      (entry): entry is { offset: number; rmssd: number } =>
        Number.isFinite(entry.offset) &&
        entry.offset >= 0 &&
        entry.offset <= 2 * 86_400 &&
        entry.rmssd !== undefined,
    )
    .sort((left, right) => left.offset - right.offset)
  return withoutUndefined<HrvDaily>({
    calendar_date: calendarDateOf(raw.calendarDate) ?? '1970-01-01',
    provider: 'garmin',
    rmssd_ms: nonNegative(raw.lastNightAvg) ?? 0,
    five_min_high_ms: nonNegative(raw.lastNight5MinHigh),
    window: 'sleep',
    samples:
      start === undefined || samples.length === 0
        ? undefined
        : samples.map((sample) => ({
            time: instantOf(start + sample.offset),
            rmssd_ms: sample.rmssd,
          })),
  })
}

const minutesOf = (seconds: unknown): number | undefined => {
  const value = nonNegative(seconds)
  return value === undefined ? undefined : value / 60
}

/**
 * Maps one item of a Garmin `dailies` summary to a {@link DailySummary}: steps, distance (m),
 * floors, active and BMR kcal (total = their sum when both are known), moderate and vigorous
 * intensity seconds as minutes, min/average/max/resting heart rate, average and maximum stress
 * (0–100), and the Body Battery high and low when Garmin sends them. Garmin's Body Battery
 * *charged* and *drained* amounts are not highs and lows, and are left out.
 */
export function mapGarminDaily(raw: Raw): DailySummary {
  const active = nonNegative(raw.activeKilocalories)
  const bmr = nonNegative(raw.bmrKilocalories)
  return withoutUndefined<DailySummary>({
    calendar_date: calendarDateOf(raw.calendarDate) ?? '1970-01-01',
    provider: 'garmin',
    steps: nonNegativeInt(raw.steps),
    distance_meters: nonNegative(raw.distanceInMeters),
    floors: nonNegative(raw.floorsClimbed),
    total_calories: active === undefined || bmr === undefined ? undefined : active + bmr,
    active_calories: active,
    bmr_calories: bmr,
    moderate_minutes: minutesOf(raw.moderateIntensityDurationInSeconds),
    vigorous_minutes: minutesOf(raw.vigorousIntensityDurationInSeconds),
    resting_heart_rate: heartRate(raw.restingHeartRateInBeatsPerMinute),
    average_heart_rate: heartRate(raw.averageHeartRateInBeatsPerMinute),
    min_heart_rate: heartRate(raw.minHeartRateInBeatsPerMinute),
    max_heart_rate: heartRate(raw.maxHeartRateInBeatsPerMinute),
    stress_average: percentOf(raw.averageStressLevel),
    stress_max: percentOf(raw.maxStressLevel),
    body_battery_high: percentOf(raw.bodyBatteryHighestValue),
    body_battery_low: percentOf(raw.bodyBatteryLowestValue),
  })
}

/**
 * Maps one item of a Garmin `dailies` summary to the day's {@link RecoveryMetrics}: resting heart
 * rate and `stress_level` = `averageStressLevel`; `date` is the local midnight (from
 * `startTimeOffsetInSeconds`) as a UTC instant. Garmin sends no recovery score here, so none is
 * invented.
 */
export function mapGarminDailyRecovery(raw: Raw): RecoveryMetrics {
  const calendarDate = calendarDateOf(raw.calendarDate) ?? '1970-01-01'
  return withoutUndefined<RecoveryMetrics>({
    date: localMidnightOf(calendarDate, offsetOf(raw.startTimeOffsetInSeconds)),
    calendar_date: calendarDate,
    provider: 'garmin',
    stress_level: percentOf(raw.averageStressLevel),
    resting_heart_rate: heartRate(raw.restingHeartRateInBeatsPerMinute),
    source_record_id: idOf(raw.summaryId),
  })
}

/**
 * Maps one item of a Garmin `userMetrics` summary to {@link HealthMetrics}: the running `vo2Max`
 * (ml/kg/min). The item has no time zone, so `date` is the calendar date at 00:00 UTC. The model
 * has no field for the cycling VO2max (`vo2MaxCycling`) or the fitness age.
 */
export function mapGarminUserMetrics(raw: Raw): HealthMetrics {
  const calendarDate = calendarDateOf(raw.calendarDate) ?? '1970-01-01'
  return withoutUndefined<HealthMetrics>({
    date: localMidnightOf(calendarDate, undefined),
    calendar_date: calendarDate,
    provider: 'garmin',
    vo2_max: nonNegative(raw.vo2Max),
  })
}

const kilogramsOf = (grams: unknown): number | undefined => {
  const value = nonNegative(grams)
  return value === undefined ? undefined : round(value / 1000, 3)
}

/**
 * Maps one item of a Garmin `bodyComps` summary to {@link HealthMetrics}: weight, muscle and bone
 * mass from grams to kg (the gram unit is approximate: public integrations report it, the partner
 * specification is not public), body fat and body water in %, BMI; measured at
 * `measurementTimeInSeconds`, local date from `measurementTimeOffsetInSeconds`.
 */
export function mapGarminBodyComposition(raw: Raw): HealthMetrics {
  const measured = epochOf(raw.measurementTimeInSeconds) ?? 0
  const offset = offsetOf(raw.measurementTimeOffsetInSeconds)
  const weight = kilogramsOf(raw.weightInGrams)
  return withoutUndefined<HealthMetrics>({
    date: instantOf(measured),
    calendar_date: localTimeOf(measured, offset ?? 0).slice(0, 10),
    provider: 'garmin',
    weight: weight === undefined || weight <= 0 ? undefined : weight,
    body_fat_percentage: percentOf(raw.bodyFatInPercent),
    muscle_mass: kilogramsOf(raw.muscleMassInGrams),
    bone_mass: kilogramsOf(raw.boneMassInGrams),
    body_water_percentage: percentOf(raw.bodyWaterInPercent),
    bmi: nonNegative(raw.bodyMassIndex),
  })
}
