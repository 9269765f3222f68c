import type {
  Activity,
  ActivityStreams,
  Athlete,
  HeartRateZone,
  HrvDaily,
  Lap,
  RecoveryMetrics,
  SleepSession,
  SleepStage,
  SportType,
} from '@pierre/providers-core'
import { isDistanceFreeSport, normalizeRunCadence, withoutUndefined } from '@pierre/providers-core'

// Google Health JSON is read loosely: proto3 JSON leaves out zero values and empty fields.
type Raw = Readonly<Record<string, unknown>>

const objectOf = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined
const arrayOf = (value: unknown): readonly Raw[] =>
  Array.isArray(value)
    ? value.filter(
        (entry): entry is Raw =>
          typeof entry === 'object' && entry !== null && !Array.isArray(entry),
      )
    : []
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

/** Reads a proto3 JSON number: doubles come as numbers, int64 values as decimal strings. */
function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value.trim())) {
    const number = Number(value)
    return Number.isFinite(number) ? number : undefined
  }
  return undefined
}

const nonNegative = (value: number | undefined): number | undefined =>
  value === undefined || value < 0 ? undefined : value
const nonNegativeInt = (value: number | undefined): number | undefined =>
  value === undefined || value < 0 ? undefined : Math.round(value)
const bpm = (value: unknown): number | undefined => {
  const number = num(value)
  if (number === undefined) return undefined
  const rounded = Math.round(number)
  return rounded < 20 || rounded > 300 ? undefined : rounded
}
const percent = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || number < 0 || number > 100 ? undefined : number
}

// Drops undefined members so the result stays small and schema-friendly.

/**
 * Parses a proto3 JSON `google.protobuf.Duration` (`"2745s"`, `"-14400s"`, `"0.5s"`) to seconds;
 * `undefined` when the value is not one.
 */
export function parseGoogleDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = /^(-?\d+(?:\.\d{1,9})?)s$/.exec(value.trim())
  return match === null ? undefined : Number(match[1])
}

function instantMs(value: unknown): number | undefined {
  const text = str(value)
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}

function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/** The wall-clock time at `ms` with a UTC offset, as `YYYY-MM-DDTHH:mm:ss`. */
function localDateTime(ms: number, offsetSeconds: number): string {
  return new Date(ms + offsetSeconds * 1000).toISOString().slice(0, 19)
}

// UTC offsets are whole seconds between −18 h and +18 h (google.type.DateTime).
function offsetSeconds(value: unknown): number | undefined {
  const seconds = parseGoogleDuration(value)
  return seconds === undefined || Math.abs(seconds) > 18 * 3600 ? undefined : Math.round(seconds)
}

/** Reads a `google.type.Date` (`{year, month, day}`) as `YYYY-MM-DD`; partial dates are refused. */
function parseGoogleDate(value: unknown): string | undefined {
  const date = objectOf(value)
  const year = num(date?.year)
  const month = num(date?.month)
  const day = num(date?.day)
  if (year === undefined || month === undefined || day === undefined) return undefined
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return undefined
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  const ms = Date.parse(`${text}T00:00:00Z`)
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : text
}

// The last segment of a data point name (`users/…/dataTypes/exercise/dataPoints/42` → `42`).
function dataPointIdOf(name: unknown): string | undefined {
  const text = str(name)
  if (text === undefined) return undefined
  const match = /\/dataPoints\/([^/]+)$/.exec(text)
  return match?.[1]
}

const sportTable: Readonly<Record<string, SportType>> = {
  RUNNING: 'run',
  INCLINE_RUN: 'run',
  TRACK_AND_FIELD: 'run',
  TRAIL_RUN: 'trail_running',
  TREADMILL: 'virtual_run',
  WALKING: 'walk',
  POWER_WALKING: 'walk',
  NORDIC_WALKING: 'walk',
  STROLLER_WALK: 'walk',
  TREADMILL_WALK: 'walk',
  INCLINE_WALK: 'walk',
  WALK_WITH_WEIGHTS: 'walk',
  HIKING: 'hike',
  BACKPACKING: 'hike',
  RUCKING: 'hike',
  BIKING: 'ride',
  OUTDOOR_BIKE: 'ride',
  HAND_CYCLING: 'ride',
  MOUNTAIN_BIKE: 'mountain_bike',
  ELECTRIC_BIKE: 'ebike_ride',
  STATIONARY_BIKE: 'virtual_ride',
  SPINNING: 'virtual_ride',
  ASSAULT_BIKE: 'virtual_ride',
  SWIMMING: 'swim',
  SWIMMING_POOL: 'swim',
  SWIMMING_OPEN_WATER: 'swim',
  YOGA: 'yoga',
  YOGA_BIKRAM: 'yoga',
  YOGA_HATHA: 'yoga',
  YOGA_POWER: 'yoga',
  YOGA_VINYASA: 'yoga',
  PILATES: 'pilates',
  WORKOUT: 'workout',
  HIIT: 'workout',
  INTERVAL_WORKOUT: 'workout',
  TABATA_WORKOUT: 'workout',
  CIRCUIT_TRAINING: 'workout',
  AEROBIC_WORKOUT: 'workout',
  CARDIO_WORKOUT: 'workout',
  BOOTCAMP: 'workout',
  CROSS_TRAINING: 'workout',
  OUTDOOR_WORKOUT: 'workout',
  EXERCISE_CLASS: 'workout',
  STEP_TRAINING: 'workout',
  ELLIPTICAL: 'workout',
  STAIRCLIMBER: 'workout',
  JUMPING_ROPE: 'workout',
  WEIGHTLIFTING: 'strength_training',
  STRENGTH_TRAINING: 'strength_training',
  FREE_WEIGHTS: 'strength_training',
  WEIGHTS: 'strength_training',
  WEIGHT_MACHINES: 'strength_training',
  POWERLIFTING: 'strength_training',
  FUNCTIONAL_STRENGTH_TRAINING: 'strength_training',
  BODY_WEIGHT: 'strength_training',
  CALISTHENICS: 'strength_training',
  CORE_TRAINING: 'strength_training',
  RESISTANCE_BANDS: 'strength_training',
  TRX: 'strength_training',
  CROSSFIT: 'crossfit',
  ROWING: 'rowing',
  ROWING_MACHINE: 'rowing',
  KAYAKING: 'kayaking',
  CANOEING: 'canoeing',
  PADDLEBOARDING: 'paddleboarding',
  SURFING: 'surfing',
  KITESURFING: 'kitesurfing',
  SKIING: 'alpine_skiing',
  CROSS_COUNTRY_SKI: 'cross_country_skiing',
  SNOWBOARDING: 'snowboarding',
  SNOWSHOEING: 'snowshoe',
  ICE_SKATING: 'ice_skating',
  ROCK_CLIMBING: 'rock_climbing',
  CLIMBING: 'rock_climbing',
  INDOOR_CLIMBING: 'rock_climbing',
  SOCCER: 'soccer',
  BASKETBALL: 'basketball',
  TENNIS: 'tennis',
  GOLF: 'golf',
  SKATEBOARDING: 'skateboarding',
  ROLLERBLADING: 'inline_skating',
}

/**
 * Maps a Google Health `exerciseType` (`RUNNING`, `MOUNTAIN_BIKE`, …) to the normalized sport;
 * unknown and unmapped ones (`BADMINTON`, `OTHER`) → `other`.
 */
export function mapGoogleHealthSport(exerciseType: string | null | undefined): SportType {
  if (exerciseType === null || exerciseType === undefined) return 'other'
  return Object.hasOwn(sportTable, exerciseType) ? (sportTable[exerciseType] as SportType) : 'other'
}

/** One zone of a `daily-heart-rate-zones` point: bpm bounds of `LIGHT`, `MODERATE`, … */
export interface GoogleHealthZoneBounds {
  readonly type: 'LIGHT' | 'MODERATE' | 'VIGOROUS' | 'PEAK'
  readonly minBpm: number
  readonly maxBpm: number
}

const zoneTypes = ['LIGHT', 'MODERATE', 'VIGOROUS', 'PEAK'] as const
const zoneDurationKeys = {
  LIGHT: 'lightTime',
  MODERATE: 'moderateTime',
  VIGOROUS: 'vigorousTime',
  PEAK: 'peakTime',
} as const

/** Reads the zone bounds (bpm) of a `daily-heart-rate-zones` data point. */
export function mapGoogleHealthHeartRateZones(point: Raw): readonly GoogleHealthZoneBounds[] {
  const daily = objectOf(point.dailyHeartRateZones)
  const zones: GoogleHealthZoneBounds[] = []
  for (const zone of arrayOf(daily?.heartRateZones)) {
    const type = zoneTypes.find((candidate) => candidate === zone.heartRateZoneType)
    const minBpm = num(zone.minBeatsPerMinute)
    const maxBpm = num(zone.maxBeatsPerMinute)
    if (type === undefined || minBpm === undefined || maxBpm === undefined) continue
    if (minBpm < 0 || maxBpm < minBpm) continue
    zones.push({ type, minBpm, maxBpm })
  }
  return zones
}

function mapLap(raw: Raw, index: number, sport: SportType): Lap | undefined {
  const start = instantMs(raw.startTime)
  const end = instantMs(raw.endTime)
  if (start === undefined || end === undefined || end < start) return undefined
  const summary = objectOf(raw.metricsSummary)
  const speed = num(summary?.averageSpeedMillimetersPerSecond)
  const distance = num(summary?.distanceMillimeters)
  const elevation = num(summary?.elevationGainMillimeters)
  const cadence = num(objectOf(summary?.mobilityMetrics)?.avgCadenceStepsPerMinute)
  return withoutUndefined<Lap>({
    index,
    start_date: isoInstant(start),
    duration_seconds: Math.round((end - start) / 1000),
    moving_time_seconds: nonNegativeInt(parseGoogleDuration(raw.activeDuration)),
    distance_meters: nonNegative(distance === undefined ? undefined : distance / 1000),
    average_speed: nonNegative(speed === undefined ? undefined : speed / 1000),
    average_heart_rate: bpm(summary?.averageHeartRateBeatsPerMinute),
    average_cadence: normalizeRunCadence(cadence, { sportType: sport, perLeg: false }) ?? undefined,
    elevation_gain: elevation === undefined ? undefined : elevation / 1000,
  })
}

function mapLaps(value: unknown, sport: SportType): Lap[] | undefined {
  const laps = arrayOf(value)
    .map((raw, index) => mapLap(raw, index + 1, sport))
    .filter((lap): lap is Lap => lap !== undefined)
  return laps.length === 0 ? undefined : laps
}

/**
 * Maps a Google Health `exercise` data point to the normalized {@link Activity}: the id is the last
 * segment of the data point `name`; mm → m, mm/s → m/s, `"2745s"` → s, kcal rounded, bpm rounded;
 * cadence is `mobilityMetrics.avgCadenceStepsPerMinute`, already steps per minute of both feet;
 * the local start time and `utc_offset_seconds` come from `startUtcOffset`. With `zones` (the
 * day's `daily-heart-rate-zones` bounds), `heartRateZoneDurations` become heart-rate zones in
 * minutes.
 */
export function mapGoogleHealthExercise(
  point: Raw,
  zones: readonly GoogleHealthZoneBounds[] = [],
): Activity {
  const exercise = objectOf(point.exercise) ?? {}
  const interval = objectOf(exercise.interval)
  const start = instantMs(interval?.startTime) ?? 0
  const end = instantMs(interval?.endTime)
  const offset = offsetSeconds(interval?.startUtcOffset)
  const detail = str(exercise.exerciseType)
  const sport = mapGoogleHealthSport(detail)
  const summary = objectOf(exercise.metricsSummary)
  const distance = num(summary?.distanceMillimeters)
  const speed = num(summary?.averageSpeedMillimetersPerSecond)
  const elevation = num(summary?.elevationGainMillimeters)
  const calories = num(summary?.caloriesKcal)
  const cadence = num(objectOf(summary?.mobilityMetrics)?.avgCadenceStepsPerMinute)
  const source = objectOf(point.dataSource)
  const durations = objectOf(summary?.heartRateZoneDurations)
  const heartRateZones: HeartRateZone[] = zones.map((zone) => ({
    name: zone.type.toLowerCase(),
    min_hr: zone.minBpm,
    max_hr: zone.maxBpm,
    minutes: Math.round((parseGoogleDuration(durations?.[zoneDurationKeys[zone.type]]) ?? 0) / 60),
  }))
  return withoutUndefined<Activity>({
    id: dataPointIdOf(point.name) ?? '',
    provider: 'fitbit',
    name: str(exercise.displayName) ?? detail ?? 'Exercise',
    sport_type: sport,
    sport_type_detail: detail,
    start_date: isoInstant(start),
    start_date_local: offset === undefined ? undefined : localDateTime(start, offset),
    utc_offset_seconds: offset,
    duration_seconds: end === undefined || end < start ? 0 : Math.round((end - start) / 1000),
    moving_time_seconds: nonNegativeInt(parseGoogleDuration(exercise.activeDuration)),
    distance_meters:
      distance === undefined
        ? isDistanceFreeSport(sport)
          ? null
          : undefined
        : nonNegative(distance / 1000),
    elevation_gain: elevation === undefined ? undefined : elevation / 1000,
    average_speed: nonNegative(speed === undefined ? undefined : speed / 1000),
    average_heart_rate: bpm(summary?.averageHeartRateBeatsPerMinute),
    average_cadence: normalizeRunCadence(cadence, { sportType: sport, perLeg: false }) ?? undefined,
    calories: nonNegativeInt(calories),
    steps: nonNegativeInt(num(summary?.steps)),
    heart_rate_zones: heartRateZones.length === 0 ? undefined : heartRateZones,
    description: str(exercise.notes),
    manual: source?.recordingMethod === 'MANUAL' ? true : undefined,
    device_name: str(objectOf(source?.device)?.displayName),
    laps: mapLaps(exercise.splitSummaries, sport),
    splits: mapLaps(exercise.splits, sport),
  })
}

/**
 * Maps `heart-rate` sample points to {@link ActivityStreams} of one activity: samples sorted by
 * time, `time` in whole seconds since the activity start (samples before it dropped), `heartrate`
 * in bpm, `1hz` only when every sample is one second after the previous one.
 */
export function mapGoogleHealthHeartRateSamples(
  points: readonly Raw[],
  activity: { readonly id: string; readonly start_date: string },
): ActivityStreams {
  const startMs = Date.parse(activity.start_date)
  const samples: { readonly at: number; readonly bpm: number | null }[] = []
  for (const point of points) {
    const heartRate = objectOf(point.heartRate)
    const at = instantMs(objectOf(heartRate?.sampleTime)?.physicalTime)
    if (at === undefined || at < startMs) continue
    samples.push({ at, bpm: bpm(heartRate?.beatsPerMinute) ?? null })
  }
  samples.sort((left, right) => left.at - right.at)
  const time = samples.map((sample) => Math.round((sample.at - startMs) / 1000))
  const regular = time.every((value, index) => index === 0 || value - (time[index - 1] ?? 0) === 1)
  return {
    activity_id: activity.id,
    provider: 'fitbit',
    start_date: activity.start_date,
    sample_rate: regular && time.length > 0 ? '1hz' : 'irregular',
    original_size: samples.length,
    source_resolution: 'raw',
    time,
    heartrate: samples.map((sample) => sample.bpm),
  }
}

const stageTypes: Readonly<Record<string, SleepStage['stage_type']>> = {
  AWAKE: 'awake',
  RESTLESS: 'awake',
  LIGHT: 'light',
  DEEP: 'deep',
  REM: 'rem',
  ASLEEP: 'asleep',
}

/**
 * Maps a Google Health `sleep` data point to a {@link SleepSession}: stage segments (`AWAKE` and
 * `RESTLESS` → awake, `ASLEEP` → asleep), minutes from the summary (else from the stages),
 * efficiency always computed, `date_of_sleep` the local date of the end, `is_nap` from
 * `metadata.nap`, `wake_count` the number of `AWAKE` segments. No sleep score: the API has none.
 */
export function mapGoogleHealthSleep(point: Raw): SleepSession {
  const sleep = objectOf(point.sleep) ?? {}
  const interval = objectOf(sleep.interval)
  const start = instantMs(interval?.startTime) ?? 0
  const endRaw = instantMs(interval?.endTime)
  const end = endRaw === undefined || endRaw < start ? start : endRaw
  const endOffset = offsetSeconds(interval?.endUtcOffset) ?? offsetSeconds(interval?.startUtcOffset)
  const summary = objectOf(sleep.summary)
  const stages: SleepStage[] = []
  let awakeSegments = 0
  let asleepSeconds = 0
  for (const stage of arrayOf(sleep.stages)) {
    const type = typeof stage.type === 'string' ? stageTypes[stage.type] : undefined
    const from = instantMs(stage.startTime)
    const to = instantMs(stage.endTime)
    if (type === undefined || from === undefined || to === undefined || to < from) continue
    if (stage.type === 'AWAKE') awakeSegments += 1
    if (type !== 'awake') asleepSeconds += (to - from) / 1000
    stages.push({
      stage_type: type,
      start_time: isoInstant(from),
      duration_minutes: (to - from) / 60_000,
    })
  }
  stages.sort((left, right) => Date.parse(left.start_time) - Date.parse(right.start_time))
  const inBed =
    nonNegativeInt(num(summary?.minutesInSleepPeriod)) ?? Math.round((end - start) / 60_000)
  const asleep = Math.min(
    inBed,
    nonNegativeInt(num(summary?.minutesAsleep)) ?? Math.floor(asleepSeconds / 60),
  )
  const metadata = objectOf(sleep.metadata)
  return withoutUndefined<SleepSession>({
    id: dataPointIdOf(point.name) ?? isoInstant(start),
    provider: 'fitbit',
    start_time: isoInstant(start),
    end_time: isoInstant(end),
    date_of_sleep: localDateTime(end, endOffset ?? 0).slice(0, 10),
    is_nap: metadata?.nap === true,
    utc_offset_seconds: endOffset,
    time_in_bed: inBed,
    total_sleep_time: asleep,
    sleep_efficiency: inBed === 0 ? 0 : Math.round((1000 * asleep) / inBed) / 10,
    sleep_score: null,
    stages,
    stage_detail: stages.length === 0 ? 'none' : 'segments',
    wake_count: stages.length === 0 ? undefined : awakeSegments,
    sleep_onset_latency: nonNegative(num(summary?.minutesToFallAsleep)),
  })
}

/** The nightly vitals of one local date that sleep sessions and recovery entries are enriched with. */
export interface GoogleHealthNightlyVitals {
  /** RMSSD, ms. */
  readonly hrvRmssdMs?: number
  /** Breaths per minute. */
  readonly respiratoryRate?: number
  /** °C deviation of the nightly skin temperature from the personal baseline. */
  readonly temperatureDeviationCelsius?: number
  /** Percent. */
  readonly spo2AveragePercent?: number
  /** bpm. */
  readonly restingHeartRate?: number
}

/** Reads the daily data points of one type into values by local date (`YYYY-MM-DD`). */
export function mapGoogleHealthDailyValues(
  points: readonly Raw[],
): ReadonlyMap<string, GoogleHealthNightlyVitals> {
  const byDate = new Map<string, GoogleHealthNightlyVitals>()
  const add = (
    date: string | undefined,
    vitals: { readonly [TKey in keyof GoogleHealthNightlyVitals]: number | undefined },
  ): void => {
    if (date === undefined) return
    const defined = withoutUndefined(vitals) as GoogleHealthNightlyVitals
    if (Object.keys(defined).length === 0) return
    byDate.set(date, { ...byDate.get(date), ...defined })
  }
  for (const point of points) {
    const hrv = objectOf(point.dailyHeartRateVariability)
    if (hrv !== undefined) {
      add(parseGoogleDate(hrv.date), {
        hrvRmssdMs: nonNegative(num(hrv.averageHeartRateVariabilityMilliseconds)),
      })
    }
    const respiratory = objectOf(point.dailyRespiratoryRate)
    if (respiratory !== undefined) {
      add(parseGoogleDate(respiratory.date), {
        respiratoryRate: nonNegative(num(respiratory.breathsPerMinute)),
      })
    }
    const temperature = objectOf(point.dailySleepTemperatureDerivations)
    if (temperature !== undefined) {
      const nightly = num(temperature.nightlyTemperatureCelsius)
      const baseline = num(temperature.baselineTemperatureCelsius)
      add(parseGoogleDate(temperature.date), {
        temperatureDeviationCelsius:
          nightly === undefined || baseline === undefined
            ? undefined
            : Math.round((nightly - baseline) * 100) / 100,
      })
    }
    const oxygen = objectOf(point.dailyOxygenSaturation)
    if (oxygen !== undefined) {
      add(parseGoogleDate(oxygen.date), { spo2AveragePercent: percent(oxygen.averagePercentage) })
    }
    const resting = objectOf(point.dailyRestingHeartRate)
    if (resting !== undefined) {
      add(parseGoogleDate(resting.date), { restingHeartRate: bpm(resting.beatsPerMinute) })
    }
  }
  return byDate
}

/**
 * Adds the nightly vitals of the wake-up date to a main sleep (naps get none: the daily values are
 * computed for the main sleep): HRV, respiratory rate, temperature deviation, SpO2.
 */
export function withNightlyVitals(
  session: SleepSession,
  vitals: GoogleHealthNightlyVitals | undefined,
): SleepSession {
  if (vitals === undefined || session.is_nap) return session
  return withoutUndefined<SleepSession>({
    ...session,
    hrv_during_sleep: vitals.hrvRmssdMs,
    respiratory_rate: vitals.respiratoryRate,
    temperature_variation: vitals.temperatureDeviationCelsius,
    spo2_average: vitals.spo2AveragePercent,
  })
}

/** Maps a `daily-heart-rate-variability` data point to {@link HrvDaily} (RMSSD in ms, sleep window). */
export function mapGoogleHealthHrv(point: Raw): HrvDaily | undefined {
  const hrv = objectOf(point.dailyHeartRateVariability)
  const date = parseGoogleDate(hrv?.date)
  const rmssd = nonNegative(num(hrv?.averageHeartRateVariabilityMilliseconds))
  if (date === undefined || rmssd === undefined) return undefined
  return withoutUndefined<HrvDaily>({
    calendar_date: date,
    provider: 'fitbit',
    rmssd_ms: rmssd,
    deep_rmssd_ms: nonNegative(
      num(hrv?.deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds),
    ),
    window: 'sleep',
  })
}

/**
 * Builds one {@link RecoveryMetrics} per local date that has at least one value: resting heart
 * rate, HRV, respiratory rate, SpO2 and temperature deviation. No score is invented: Google Health
 * publishes none, so `recovery_score` and `readiness_score` stay null.
 *
 * @param localMidnight - the UTC instant of local midnight of a date, in the user's time zone.
 */
export function mapGoogleHealthRecovery(
  vitals: ReadonlyMap<string, GoogleHealthNightlyVitals>,
  localMidnight: (date: string) => string,
): RecoveryMetrics[] {
  return [...vitals.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([date, values]) =>
      withoutUndefined<RecoveryMetrics>({
        date: localMidnight(date),
        calendar_date: date,
        provider: 'fitbit',
        recovery_score: null,
        readiness_score: null,
        resting_heart_rate: values.restingHeartRate,
        hrv_rmssd_ms: values.hrvRmssdMs,
        resting_respiratory_rate: values.respiratoryRate,
        spo2_percentage: values.spo2AveragePercent,
        body_temperature: values.temperatureDeviationCelsius,
      }),
    )
}

/**
 * Maps the identity, settings and latest body measurements to an {@link Athlete}: the id is the
 * `healthUserId`; Google Health exposes no name, user name, sex or birth date, so those stay
 * empty; weight g → kg, height mm → m; `distanceUnit` gives the measurement preference.
 */
export function mapGoogleHealthAthlete(parts: {
  readonly identity: Raw
  readonly settings?: Raw | undefined
  readonly latestWeight?: Raw | undefined
  readonly latestHeight?: Raw | undefined
  readonly latestRestingHeartRate?: Raw | undefined
}): Athlete {
  const settings = parts.settings
  const weightGrams = num(objectOf(parts.latestWeight?.weight)?.weightGrams)
  const heightMm = num(objectOf(parts.latestHeight?.height)?.heightMillimeters)
  const distanceUnit = settings?.distanceUnit
  const resting = objectOf(parts.latestRestingHeartRate?.dailyRestingHeartRate)
  return withoutUndefined<Athlete>({
    id: str(parts.identity.healthUserId) ?? '',
    username: '',
    provider: 'fitbit',
    weight_kg: weightGrams === undefined || weightGrams <= 0 ? undefined : weightGrams / 1000,
    height_m:
      heightMm === undefined || heightMm <= 0 || heightMm > 3000 ? undefined : heightMm / 1000,
    resting_heart_rate: bpm(resting?.beatsPerMinute),
    time_zone: str(settings?.timeZone),
    measurement_preference:
      distanceUnit === 'DISTANCE_UNIT_KILOMETERS'
        ? 'metric'
        : distanceUnit === 'DISTANCE_UNIT_MILES'
          ? 'imperial'
          : undefined,
  })
}
