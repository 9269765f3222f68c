import type {
  Activity,
  ActivityStreams,
  DailySummary,
  HealthMetrics,
  HeartRateZone,
  HrvDaily,
  Lap,
  RecoveryMetrics,
  SleepSession,
  SleepStage,
  SportType,
} from '@pierre/providers-core'
import { normalizeRunCadence, ProviderError, withoutUndefined } from '@pierre/providers-core'
import type { Raw } from './internal/read.js'
import {
  arrayOf,
  at,
  heartRate,
  nonNegative,
  nonNegativeInt,
  num,
  objectOf,
  percent,
  roundInt,
  roundTo,
  str,
} from './internal/read.js'
import type { TerraTime } from './internal/time.js'
import { parseTerraTime, toInstant } from './internal/time.js'

// Terra's `metadata.type` (its ActivityType enum, derived from Google Fit's activity ids).
const sportTable: Readonly<Record<number, SportType>> = {
  1: 'ride',
  7: 'walk',
  8: 'run',
  9: 'workout',
  12: 'basketball',
  14: 'ride',
  15: 'mountain_bike',
  16: 'ride',
  17: 'virtual_ride',
  18: 'virtual_ride',
  19: 'ride',
  20: 'workout',
  21: 'workout',
  22: 'workout',
  25: 'workout',
  29: 'soccer',
  32: 'golf',
  33: 'workout',
  35: 'hike',
  40: 'kayaking',
  41: 'strength_training',
  43: 'kitesurfing',
  49: 'pilates',
  52: 'rock_climbing',
  53: 'rowing',
  54: 'rowing',
  56: 'run',
  57: 'run',
  58: 'virtual_run',
  61: 'skateboarding',
  64: 'inline_skating',
  65: 'alpine_skiing',
  66: 'backcountry_skiing',
  67: 'cross_country_skiing',
  68: 'alpine_skiing',
  73: 'snowboarding',
  75: 'snowshoe',
  77: 'workout',
  78: 'workout',
  79: 'paddleboarding',
  80: 'strength_training',
  81: 'surfing',
  82: 'swim',
  83: 'swim',
  84: 'swim',
  87: 'tennis',
  88: 'virtual_run',
  93: 'walk',
  94: 'walk',
  95: 'walk',
  97: 'strength_training',
  100: 'yoga',
  101: 'workout',
  104: 'ice_skating',
  105: 'ice_skating',
  113: 'crossfit',
  114: 'workout',
  115: 'workout',
  116: 'walk',
}

/**
 * Maps Terra's integer activity type (`metadata.type`) to the normalized sport: 8 running → `run`,
 * 1/16 biking → `ride`, 15 → `mountain_bike`, 17/18 indoor cycling → `virtual_ride`, 58 treadmill →
 * `virtual_run`, 82–84 swimming → `swim`, 80/97 → `strength_training`… Unknown values (Terra's 108
 * "other" among them) → `other`.
 */
export function mapTerraSport(type: unknown): SportType {
  const code = num(type)
  if (code === undefined || !Number.isInteger(code)) return 'other'
  return Object.hasOwn(sportTable, code) ? (sportTable[code] as SportType) : 'other'
}

function displayName(sport: SportType): string {
  const words = sport.replace(/_/g, ' ')
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`
}

function requiredWindow(raw: Raw, what: string): { start: TerraTime; end: TerraTime } {
  const start = requiredTime(raw, 'start_time', what)
  const end = requiredTime(raw, 'end_time', what)
  if (end.ms < start.ms) {
    throw new ProviderError('invalid_data', `terra ${what} ends before it starts`, {
      provider: 'terra',
      details: { field: 'metadata.end_time' },
    })
  }
  return { start, end }
}

function requiredTime(raw: Raw, field: 'start_time' | 'end_time', what: string): TerraTime {
  const time = parseTerraTime(at(raw, 'metadata', field))
  if (time === undefined) {
    throw new ProviderError('invalid_data', `terra ${what} has no valid metadata.${field}`, {
      provider: 'terra',
      details: { field: `metadata.${field}` },
    })
  }
  return time
}

/** The record id: Terra's `summary_id`, else the start instant (Terra omits it for some sources). */
function recordId(raw: Raw, start: TerraTime): string {
  const summary = at(raw, 'metadata', 'summary_id')
  if (typeof summary === 'number' && Number.isFinite(summary)) return String(summary)
  return str(summary) ?? `start-${toInstant(start.ms)}`
}

function latLng(value: unknown): readonly [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined
  const [lat, lng] = value as unknown[]
  if (typeof lat !== 'number' || typeof lng !== 'number') return undefined
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180)
    return undefined
  return [lat, lng]
}

/** Terra zones are percentages of the user's maximum heart rate; bounds become bpm. */
function heartRateZones(summary: unknown): HeartRateZone[] | undefined {
  const maxHeartRate = nonNegative(at(summary, 'user_max_hr_bpm'))
  const zones = arrayOf(at(summary, 'hr_zone_data'))
  if (maxHeartRate === undefined || maxHeartRate === 0 || zones.length === 0) return undefined
  const mapped: HeartRateZone[] = []
  for (const zone of zones) {
    const low = nonNegative(zone.start_percentage)
    const high = nonNegative(zone.end_percentage)
    const seconds = nonNegative(zone.duration_seconds)
    if (low === undefined || seconds === undefined) continue
    mapped.push({
      name: str(zone.name) ?? `Zone ${String(zone.zone ?? mapped.length)}`,
      min_hr: Math.round((maxHeartRate * low) / 100),
      max_hr: high === undefined ? null : Math.round((maxHeartRate * high) / 100),
      minutes: roundTo(seconds / 60, 2),
    })
  }
  return mapped.length === 0 ? undefined : mapped
}

function laps(raw: Raw, sport: SportType, perLeg: boolean | undefined): Lap[] | undefined {
  const entries = arrayOf(at(raw, 'lap_data', 'laps'))
  const mapped: Lap[] = []
  entries.forEach((lap, index) => {
    const start = parseTerraTime(lap.start_time)
    const end = parseTerraTime(lap.end_time)
    if (start === undefined) return
    mapped.push(
      withoutUndefined<Lap>({
        index: index + 1,
        start_date: toInstant(start.ms),
        duration_seconds:
          end === undefined ? 0 : Math.max(0, Math.round((end.ms - start.ms) / 1000)),
        distance_meters: nonNegative(lap.distance_meters),
        average_speed: nonNegative(lap.avg_speed_meters_per_second),
        max_speed: nonNegative(lap.max_speed_meters_per_second),
        average_heart_rate: heartRate(lap.avg_hr_bpm),
        max_heart_rate: heartRate(lap.max_hr_bpm),
        average_cadence: cadenceOf(lap.avg_cadence_rpm, sport, perLeg),
        average_power: nonNegativeInt(lap.avg_watts),
        elevation_gain: num(lap.elevation_gain_meters),
      }),
    )
  })
  return mapped.length === 0 ? undefined : mapped
}

function firstTss(raw: Raw): Raw | undefined {
  return arrayOf(at(raw, 'TSS_data', 'TSS_samples')).find(
    (sample) => nonNegative(sample.actual) !== undefined,
  )
}

const kcalPerKilojoule = 1 / 4.184

// Above this, a cadence (rpm or steps per minute of one leg) is a sensor or unit error.
const maxCadence = 300

/**
 * Whether Terra counted this activity's cadence per leg, decided once from the average so the
 * maximum, laps and samples are scaled alike (a sprint above 120 per leg stays doubled).
 */
function cadencePerLeg(raw: Raw): boolean | undefined {
  const average = nonNegative(at(raw, 'movement_data', 'avg_cadence_rpm'))
  return average === undefined || average === 0 || average > maxCadence ? undefined : average < 120
}

function cadenceOf(value: unknown, sport: SportType, perLeg: boolean | undefined) {
  const cadence = nonNegative(value)
  if (cadence === undefined || cadence > maxCadence) return undefined
  return (
    normalizeRunCadence(cadence, {
      sportType: sport,
      ...(perLeg === undefined ? {} : { perLeg }),
    }) ?? undefined
  )
}

/**
 * Maps a Terra activity to the normalized {@link Activity} in SI units: `summary_id` as the id,
 * the start instant in UTC with the local wall clock and offset kept, elapsed time from the
 * start/end, moving time from `active_durations_data.activity_seconds`, m, m/s, bpm (rounded),
 * zones in bpm and minutes, W, kcal (`total_burned_calories`), kJ of mechanical work
 * (`work_data.work_kilojoules`; Terra's `energy_data` is metabolic energy, used only when calories
 * are missing), TSS, position, polyline, laps and device. Run, walk and hike cadence is doubled
 * to steps per minute when Terra reports it per leg (below 120).
 *
 * @throws ProviderError `invalid_data` when `metadata.start_time` or `end_time` is unusable.
 */
export function mapTerraActivity(raw: Raw): Activity {
  const { start, end } = requiredWindow(raw, 'activity')
  const type = num(at(raw, 'metadata', 'type'))
  const sport = mapTerraSport(type)
  const distanceSummary = at(raw, 'distance_data', 'summary')
  const heartSummary = at(raw, 'heart_rate_data', 'summary')
  const movement = at(raw, 'movement_data')
  const power = at(raw, 'power_data')
  const startPosition = latLng(at(raw, 'position_data', 'start_pos_lat_lng_deg'))
  const endPosition = latLng(at(raw, 'position_data', 'end_pos_lat_lng_deg'))
  const tss = firstTss(raw)
  const uploadType = num(at(raw, 'metadata', 'upload_type'))
  const energyKilojoules = nonNegative(at(raw, 'energy_data', 'energy_kilojoules'))
  const calories =
    nonNegativeInt(at(raw, 'calories_data', 'total_burned_calories')) ??
    roundInt(energyKilojoules === undefined ? undefined : energyKilojoules * kcalPerKilojoule)
  const perLeg = cadencePerLeg(raw)
  const cadence = (value: unknown) => cadenceOf(value, sport, perLeg)
  return withoutUndefined<Activity>({
    id: recordId(raw, start),
    provider: 'terra',
    name: str(at(raw, 'metadata', 'name')) ?? displayName(sport),
    sport_type: sport,
    sport_type_detail: type === undefined ? undefined : String(type),
    start_date: toInstant(start.ms),
    start_date_local: start.offsetSeconds === undefined ? undefined : start.local,
    utc_offset_seconds: start.offsetSeconds,
    duration_seconds: Math.max(0, Math.round((end.ms - start.ms) / 1000)),
    moving_time_seconds: nonNegativeInt(at(raw, 'active_durations_data', 'activity_seconds')),
    distance_meters: nonNegative(at(distanceSummary, 'distance_meters')),
    elevation_gain: num(at(distanceSummary, 'elevation', 'gain_actual_meters')),
    elevation_loss: num(at(distanceSummary, 'elevation', 'loss_actual_meters')),
    steps: nonNegativeInt(at(distanceSummary, 'steps')),
    average_speed: nonNegative(at(movement, 'avg_speed_meters_per_second')),
    max_speed: nonNegative(at(movement, 'max_speed_meters_per_second')),
    average_heart_rate: heartRate(at(heartSummary, 'avg_hr_bpm')),
    max_heart_rate: heartRate(at(heartSummary, 'max_hr_bpm')),
    heart_rate_zones: heartRateZones(heartSummary),
    average_cadence: cadence(at(movement, 'avg_cadence_rpm')),
    max_cadence: cadence(at(movement, 'max_cadence_rpm')),
    average_power: nonNegativeInt(at(power, 'avg_watts')),
    max_power: nonNegativeInt(at(power, 'max_watts')),
    normalized_power:
      nonNegativeInt(at(power, 'normalized_watts')) ?? nonNegativeInt(tss?.normalized_power_watts),
    kilojoules: nonNegative(at(raw, 'work_data', 'work_kilojoules')),
    calories,
    training_stress_score: nonNegative(tss?.actual),
    intensity_factor: nonNegative(tss?.intensity_factor_actual),
    spo2: percent(at(raw, 'oxygen_data', 'avg_saturation_percentage')),
    start_latitude: startPosition?.[0],
    start_longitude: startPosition?.[1],
    end_latitude: endPosition?.[0],
    end_longitude: endPosition?.[1],
    polyline: str(at(raw, 'polyline_map_data', 'summary_polyline')),
    city: str(at(raw, 'metadata', 'city')),
    region: str(at(raw, 'metadata', 'state')),
    country: str(at(raw, 'metadata', 'country')),
    manual: uploadType === 2 ? true : uploadType === 1 ? false : undefined,
    device_name: str(at(raw, 'device_data', 'name')),
    laps: laps(raw, sport, perLeg),
    streams_available: hasSamples(raw) ? true : undefined,
  })
}

// The sample arrays of an activity and the member holding each value.
const sampleSources = {
  heartrate: { path: ['heart_rate_data', 'detailed', 'hr_samples'], value: 'bpm' },
  velocity: { path: ['movement_data', 'speed_samples'], value: 'speed_meters_per_second' },
  cadence: { path: ['movement_data', 'cadence_samples'], value: 'cadence_rpm' },
  watts: { path: ['power_data', 'power_samples'], value: 'watts' },
  distance: { path: ['distance_data', 'detailed', 'distance_samples'], value: 'distance_meters' },
  altitude: { path: ['distance_data', 'detailed', 'elevation_samples'], value: 'elev_metres' },
} as const

const positionPath = ['position_data', 'position_samples'] as const

function hasSamples(raw: Raw): boolean {
  return (
    Object.values(sampleSources).some((source) => arrayOf(at(raw, ...source.path)).length > 0) ||
    arrayOf(at(raw, ...positionPath)).length > 0
  )
}

/** Seconds since the start of a sample: from its timestamp, else `timer_duration_seconds`. */
function sampleOffset(sample: Raw, startMs: number): number | undefined {
  const time = parseTerraTime(sample.timestamp)
  if (time !== undefined) return Math.round((time.ms - startMs) / 1000)
  return nonNegativeInt(sample.timer_duration_seconds)
}

/**
 * Maps the `*_samples` arrays of a Terra activity (fetched `with_samples=true`) to
 * {@link ActivityStreams}, aligned on their timestamps: heart rate, speed, cadence (doubled for
 * runs counted per leg), power, position, cumulative distance and elevation. A series without a
 * sample at some time gets `null` there; series Terra did not send are absent.
 *
 * @throws ProviderError `invalid_data` when `metadata.start_time` is unusable.
 */
export function mapTerraActivityStreams(raw: Raw): ActivityStreams {
  const start = requiredTime(raw, 'start_time', 'activity')
  const sport = mapTerraSport(at(raw, 'metadata', 'type'))
  const perLeg = cadencePerLeg(raw)
  const byTime = new Map<number, Map<string, unknown>>()
  const put = (offset: number | undefined, key: string, value: unknown): void => {
    if (offset === undefined || offset < 0 || value === undefined) return
    let row = byTime.get(offset)
    if (row === undefined) {
      row = new Map()
      byTime.set(offset, row)
    }
    row.set(key, value)
  }
  const present = new Set<string>()
  for (const [key, source] of Object.entries(sampleSources)) {
    for (const sample of arrayOf(at(raw, ...source.path))) {
      const value =
        key === 'altitude'
          ? num(sample.elev_metres ?? sample.elev_meters)
          : num(sample[source.value])
      if (value === undefined) continue
      const normalized =
        key === 'cadence'
          ? cadenceOf(value, sport, perLeg)
          : key === 'heartrate'
            ? roundInt(value)
            : value
      put(sampleOffset(sample, start.ms), key, normalized)
      present.add(key)
    }
  }
  for (const sample of arrayOf(at(raw, ...positionPath))) {
    const position = latLng(sample.coords_lat_lng_deg)
    if (position === undefined) continue
    put(sampleOffset(sample, start.ms), 'latlng', position)
    present.add('latlng')
  }
  const time = [...byTime.keys()].sort((left, right) => left - right)
  const series = (key: string) =>
    present.has(key) ? time.map((offset) => byTime.get(offset)?.get(key) ?? null) : undefined
  return withoutUndefined({
    activity_id: recordId(raw, start),
    provider: 'terra',
    start_date: toInstant(start.ms),
    sample_rate: 'irregular',
    original_size: time.length,
    time,
    distance: series('distance'),
    latlng: series('latlng'),
    altitude: series('altitude'),
    velocity: series('velocity'),
    heartrate: series('heartrate'),
    cadence: series('cadence'),
    watts: series('watts'),
  }) as ActivityStreams
}

// Terra's hypnogram levels (its SleepLevel enum); 0 (unknown) is skipped.
const sleepLevels: Readonly<Record<number, SleepStage['stage_type']>> = {
  1: 'awake',
  2: 'asleep',
  3: 'awake',
  4: 'light',
  5: 'deep',
  6: 'rem',
}

function hypnogram(raw: Raw, endMs: number): SleepStage[] {
  const samples = arrayOf(at(raw, 'sleep_durations_data', 'hypnogram_samples'))
    .map((sample) => ({ time: parseTerraTime(sample.timestamp), level: num(sample.level) }))
    .filter(
      (sample): sample is { time: TerraTime; level: number | undefined } =>
        sample.time !== undefined,
    )
    .sort((left, right) => left.time.ms - right.time.ms)
  const stages: SleepStage[] = []
  samples.forEach((sample, index) => {
    const stage = sample.level === undefined ? undefined : sleepLevels[sample.level]
    const until = samples[index + 1]?.time.ms ?? endMs
    if (stage === undefined || until <= sample.time.ms) return
    stages.push({
      stage_type: stage,
      start_time: toInstant(sample.time.ms),
      duration_minutes: roundTo((until - sample.time.ms) / 60_000, 2),
    })
  })
  return stages
}

function stageTotals(raw: Raw, window: { startMs: number; endMs: number }): SleepStage[] {
  const windowSeconds = (window.endMs - window.startMs) / 1000
  const asleep = at(raw, 'sleep_durations_data', 'asleep')
  const awake = at(raw, 'sleep_durations_data', 'awake')
  const totals: [SleepStage['stage_type'], number | undefined][] = [
    ['awake', nonNegative(at(awake, 'duration_awake_state_seconds'))],
    ['light', nonNegative(at(asleep, 'duration_light_sleep_state_seconds'))],
    ['deep', nonNegative(at(asleep, 'duration_deep_sleep_state_seconds'))],
    ['rem', nonNegative(at(asleep, 'duration_REM_sleep_state_seconds'))],
  ]
  return totals
    .filter(
      (entry): entry is [SleepStage['stage_type'], number] =>
        entry[1] !== undefined && entry[1] <= windowSeconds + 60,
    )
    .map(([stage, seconds]) => ({
      stage_type: stage,
      start_time: toInstant(window.startMs),
      duration_minutes: roundTo(seconds / 60, 2),
    }))
}

/**
 * Maps a Terra sleep object to a {@link SleepSession}: in-bed window in UTC, `date_of_sleep` as
 * the local date of waking, minutes in bed and asleep, efficiency recomputed as
 * `100 · asleep / in bed` (Terra's own is a 0–1 ratio), hypnogram segments (level 1/3 awake,
 * 2 asleep, 4 light, 5 deep, 6 REM, 0 skipped) or stage totals when there is no hypnogram, HRV
 * RMSSD, breathing rate, SpO2, heart rate, wake-ups, latency and Terra's sleep score.
 *
 * @throws ProviderError `invalid_data` when `metadata.start_time` or `end_time` is unusable.
 */
export function mapTerraSleep(raw: Raw): SleepSession {
  const { start, end } = requiredWindow(raw, 'sleep session')
  const durations = at(raw, 'sleep_durations_data')
  const asleep = at(durations, 'asleep')
  const awake = at(durations, 'awake')
  const windowMinutes = Math.max(0, Math.round((end.ms - start.ms) / 60_000))
  const inBedSeconds = nonNegative(at(durations, 'other', 'duration_in_bed_seconds'))
  // In bed can never exceed the session itself; a larger value is a unit error.
  const timeInBed =
    inBedSeconds === undefined || inBedSeconds > (end.ms - start.ms) / 1000 + 60
      ? windowMinutes
      : Math.round(inBedSeconds / 60)
  const stagedSeconds = ['light', 'deep', 'REM'].map((stage) =>
    nonNegative(at(asleep, `duration_${stage}_sleep_state_seconds`)),
  )
  const asleepSeconds =
    nonNegative(at(asleep, 'duration_asleep_state_seconds')) ??
    (stagedSeconds.every((seconds) => seconds === undefined)
      ? undefined
      : stagedSeconds.reduce<number>((sum, seconds) => sum + (seconds ?? 0), 0))
  const totalSleep = Math.min(
    timeInBed,
    asleepSeconds === undefined ? 0 : Math.round(asleepSeconds / 60),
  )
  const segments = hypnogram(raw, end.ms)
  const totals = segments.length === 0 ? stageTotals(raw, { startMs: start.ms, endMs: end.ms }) : []
  const latency = nonNegative(at(awake, 'sleep_latency_seconds'))
  const latencySeconds =
    latency === undefined || latency > (end.ms - start.ms) / 1000 ? undefined : latency
  const heartSummary = at(raw, 'heart_rate_data', 'summary')
  return withoutUndefined<SleepSession>({
    id: recordId(raw, start),
    provider: 'terra',
    start_time: toInstant(start.ms),
    end_time: toInstant(end.ms),
    date_of_sleep: end.date,
    is_nap: at(raw, 'metadata', 'is_nap') === true,
    utc_offset_seconds: end.offsetSeconds,
    time_in_bed: timeInBed,
    total_sleep_time: totalSleep,
    sleep_efficiency: timeInBed === 0 ? 0 : roundTo((100 * totalSleep) / timeInBed, 2),
    sleep_score: percent(at(raw, 'scores', 'sleep')),
    stages: segments.length > 0 ? segments : totals,
    stage_detail: segments.length > 0 ? 'segments' : totals.length > 0 ? 'totals' : 'none',
    hrv_during_sleep: nonNegative(at(heartSummary, 'avg_hrv_rmssd')),
    respiratory_rate: nonNegative(
      at(raw, 'respiration_data', 'breaths_data', 'avg_breaths_per_min'),
    ),
    temperature_variation: num(at(raw, 'temperature_data', 'delta')),
    average_heart_rate: heartRate(at(heartSummary, 'avg_hr_bpm')),
    lowest_heart_rate: heartRate(at(heartSummary, 'min_hr_bpm')),
    spo2_average: percent(
      at(raw, 'respiration_data', 'oxygen_saturation_data', 'avg_saturation_percentage'),
    ),
    wake_count: nonNegativeInt(at(awake, 'num_wakeup_events')),
    sleep_onset_latency: latencySeconds === undefined ? undefined : roundTo(latencySeconds / 60, 2),
  })
}

/**
 * Maps the HRV of a Terra sleep object to an {@link HrvDaily} for the local date of waking
 * (`window: "sleep"`): `avg_hrv_rmssd` (else the mean of the RMSSD samples), `avg_hrv_sdnn` and
 * the samples in ms. Returns `undefined` when the night has no RMSSD.
 *
 * @throws ProviderError `invalid_data` when `metadata.end_time` is unusable.
 */
export function mapTerraSleepHrv(raw: Raw): HrvDaily | undefined {
  const end = requiredTime(raw, 'end_time', 'sleep session')
  const summary = at(raw, 'heart_rate_data', 'summary')
  const samples = arrayOf(at(raw, 'heart_rate_data', 'detailed', 'hrv_samples_rmssd'))
    .map((sample) => ({
      time: parseTerraTime(sample.timestamp),
      value: nonNegative(sample.hrv_rmssd),
    }))
    .filter(
      (sample): sample is { time: TerraTime; value: number } =>
        sample.time !== undefined && sample.value !== undefined,
    )
    .sort((left, right) => left.time.ms - right.time.ms)
  const mean =
    samples.length === 0
      ? undefined
      : roundTo(samples.reduce((sum, sample) => sum + sample.value, 0) / samples.length, 2)
  const rmssd = nonNegative(at(summary, 'avg_hrv_rmssd')) ?? mean
  if (rmssd === undefined) return undefined
  return withoutUndefined<HrvDaily>({
    calendar_date: end.date,
    provider: 'terra',
    rmssd_ms: rmssd,
    sdnn_ms: nonNegative(at(summary, 'avg_hrv_sdnn')),
    window: 'sleep',
    samples:
      samples.length === 0
        ? undefined
        : samples.map((sample) => ({ time: toInstant(sample.time.ms), rmssd_ms: sample.value })),
  })
}

function minutes(seconds: unknown): number | undefined {
  const value = nonNegative(seconds)
  return value === undefined ? undefined : roundTo(value / 60, 2)
}

function bodyBattery(raw: Raw): { high?: number; low?: number } {
  const levels = arrayOf(at(raw, 'stress_data', 'body_battery_samples'))
    .map((sample) => percent(sample.level))
    .filter((level): level is number => level !== undefined)
  return levels.length === 0 ? {} : { high: Math.max(...levels), low: Math.min(...levels) }
}

/**
 * Maps a Terra daily object to a {@link DailySummary} for its local calendar date: steps, m,
 * floors, elevation gain, kcal (total, active = `net_activity_calories`, BMR), intensity minutes
 * (Terra's inactivity/low/moderate/vigorous seconds → sedentary/light/moderate/vigorous minutes),
 * heart rate, stress, body battery, SpO2, breathing rate and VO2max.
 *
 * @throws ProviderError `invalid_data` when `metadata.start_time` is unusable.
 */
export function mapTerraDaily(raw: Raw): DailySummary {
  const start = requiredTime(raw, 'start_time', 'daily summary')
  const distance = at(raw, 'distance_data')
  const calories = at(raw, 'calories_data')
  const durations = at(raw, 'active_durations_data')
  const heartSummary = at(raw, 'heart_rate_data', 'summary')
  const battery = bodyBattery(raw)
  return withoutUndefined<DailySummary>({
    calendar_date: start.date,
    provider: 'terra',
    steps: nonNegativeInt(at(distance, 'steps')),
    distance_meters: nonNegative(at(distance, 'distance_meters')),
    floors: nonNegative(at(distance, 'floors_climbed')),
    elevation_meters: nonNegative(at(distance, 'elevation', 'gain_actual_meters')),
    total_calories: nonNegative(at(calories, 'total_burned_calories')),
    active_calories: nonNegative(at(calories, 'net_activity_calories')),
    bmr_calories: nonNegative(at(calories, 'BMR_calories')),
    sedentary_minutes: minutes(at(durations, 'inactivity_seconds')),
    light_minutes: minutes(at(durations, 'low_intensity_seconds')),
    moderate_minutes: minutes(at(durations, 'moderate_intensity_seconds')),
    vigorous_minutes: minutes(at(durations, 'vigorous_intensity_seconds')),
    resting_heart_rate: heartRate(at(heartSummary, 'resting_hr_bpm')),
    average_heart_rate: heartRate(at(heartSummary, 'avg_hr_bpm')),
    min_heart_rate: heartRate(at(heartSummary, 'min_hr_bpm')),
    max_heart_rate: heartRate(at(heartSummary, 'max_hr_bpm')),
    heart_rate_zones: heartRateZones(heartSummary),
    stress_average: percent(at(raw, 'stress_data', 'avg_stress_level')),
    stress_max: percent(at(raw, 'stress_data', 'max_stress_level')),
    body_battery_high: battery.high,
    body_battery_low: battery.low,
    spo2_average: percent(at(raw, 'oxygen_data', 'avg_saturation_percentage')),
    respiratory_rate: nonNegative(
      at(raw, 'respiration_data', 'breaths_data', 'avg_breaths_per_min'),
    ),
    vo2_max: nonNegative(at(raw, 'oxygen_data', 'vo2max_ml_per_min_per_kg')),
  })
}

/**
 * Maps a Terra daily object to {@link RecoveryMetrics} for its local date (`date` is the local
 * midnight as a UTC instant): Terra's recovery and sleep scores, average stress, resting heart
 * rate, RMSSD and SpO2. Scores Terra does not send stay absent; none is derived here.
 *
 * @throws ProviderError `invalid_data` when `metadata.start_time` is unusable.
 */
export function mapTerraDailyRecovery(raw: Raw): RecoveryMetrics {
  const start = requiredTime(raw, 'start_time', 'daily summary')
  const heartSummary = at(raw, 'heart_rate_data', 'summary')
  const scores = objectOf(at(raw, 'scores'))
  return withoutUndefined<RecoveryMetrics>({
    date: toInstant(start.ms),
    calendar_date: start.date,
    provider: 'terra',
    recovery_score: percent(scores?.recovery),
    sleep_score: percent(scores?.sleep),
    stress_level: percent(at(raw, 'stress_data', 'avg_stress_level')),
    resting_heart_rate: heartRate(at(heartSummary, 'resting_hr_bpm')),
    hrv_rmssd_ms: nonNegative(at(heartSummary, 'avg_hrv_rmssd')),
    spo2_percentage: percent(at(raw, 'oxygen_data', 'avg_saturation_percentage')),
  })
}

/** The latest non-null value of `field` across the measurements, oldest to newest. */
function latest(measurements: readonly Raw[], field: string): number | undefined {
  let value: number | undefined
  for (const measurement of measurements) value = num(measurement[field]) ?? value
  return value
}

/**
 * Maps a Terra body object to {@link HealthMetrics} for its local date: the latest value of each
 * measurement that day (weight kg, BMI, body fat %, muscle and bone mass from grams to kg, water
 * %, BMR kcal/day), the latest blood pressure `[systolic, diastolic]` mmHg, the day's average
 * glucose mg/dL and VO2max. `date` is the instant of the latest measurement.
 *
 * @throws ProviderError `invalid_data` when `metadata.start_time` is unusable.
 */
export function mapTerraBody(raw: Raw): HealthMetrics {
  const start = requiredTime(raw, 'start_time', 'body record')
  const measurements = arrayOf(at(raw, 'measurements_data', 'measurements'))
    .map((measurement) => ({ measurement, time: parseTerraTime(measurement.measurement_time) }))
    .sort((left, right) => (left.time?.ms ?? 0) - (right.time?.ms ?? 0))
  const rows = measurements.map((entry) => entry.measurement)
  const lastTime = measurements.reduce<number | undefined>(
    (last, entry) => (entry.time === undefined ? last : entry.time.ms),
    undefined,
  )
  const grams = (field: string) => {
    const value = latest(rows, field)
    return value === undefined || value < 0 ? undefined : roundTo(value / 1000, 3)
  }
  const pressure = arrayOf(at(raw, 'blood_pressure_data', 'blood_pressure_samples'))
    .map((sample) => ({
      time: parseTerraTime(sample.timestamp)?.ms ?? 0,
      systolic: nonNegative(sample.systolic_bp),
      diastolic: nonNegative(sample.diastolic_bp),
    }))
    .filter((sample) => sample.systolic !== undefined && sample.diastolic !== undefined)
    .sort((left, right) => left.time - right.time)
    .at(-1)
  const weight = latest(rows, 'weight_kg')
  return withoutUndefined<HealthMetrics>({
    date: toInstant(lastTime ?? start.ms),
    calendar_date: start.date,
    provider: 'terra',
    weight: weight !== undefined && weight > 0 ? weight : undefined,
    bmi: nonNegative(latest(rows, 'BMI')),
    body_fat_percentage: percent(latest(rows, 'body_fat_percentage')),
    muscle_mass: grams('muscle_mass_g'),
    bone_mass: grams('bone_mass_g'),
    body_water_percentage: percent(latest(rows, 'water_percentage')),
    bmr: nonNegative(latest(rows, 'BMR')),
    blood_pressure:
      pressure === undefined
        ? undefined
        : [pressure.systolic as number, pressure.diastolic as number],
    blood_glucose: nonNegative(at(raw, 'glucose_data', 'day_avg_blood_glucose_mg_per_dL')),
    vo2_max: nonNegative(at(raw, 'oxygen_data', 'vo2max_ml_per_min_per_kg')),
  })
}
