import type {
  Activity,
  Athlete,
  DailySummary,
  HealthMetrics,
  HeartRateZone,
  RecoveryMetrics,
  SleepSession,
  SleepStage,
  SportType,
} from '@pierre/providers-core'
import { isDistanceFreeSport, withoutUndefined } from '@pierre/providers-core'

// WHOOP's JSON is read loosely: every member may be absent or null.
type Raw = Readonly<Record<string, unknown>>

const provider = 'whoop'
const kilojoulesPerKilocalorie = 4.184
const msPerMinute = 60_000

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
  return number === undefined ? undefined : Math.round(number)
}
const inRange = (value: unknown, min: number, max: number): number | undefined => {
  const number = num(value)
  return number === undefined || number < min || number > max ? undefined : number
}
const percent = (value: unknown): number | undefined => inRange(value, 0, 100)
const heartRate = (value: unknown): number | undefined => {
  const number = num(value)
  if (number === undefined) return undefined
  const rounded = Math.round(number)
  return rounded < 20 || rounded > 300 ? undefined : rounded
}
const idOf = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'bigint'
      ? String(value)
      : str(value)
const objectOf = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined
const roundTo = (value: number, decimals: number): number => {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}

// Drops undefined members so the result stays small and schema-friendly.

/** The `score` of a record, only when WHOOP scored it (`score_state` absent or `SCORED`). */
function scoreOf(raw: Raw): Raw | undefined {
  const state = raw.score_state
  if (state !== undefined && state !== null && state !== 'SCORED') return undefined
  return objectOf(raw.score)
}

/** Epoch ms of an ISO-8601 instant with `Z` or an offset; anything else → undefined. */
function instantMs(value: unknown): number | undefined {
  const text = str(value)
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}

// Milliseconds only when the source has them.
const isoOf = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

/** Seconds east of UTC of WHOOP's `timezone_offset` (`"-04:00"`, `"+0530"`, `"Z"`). */
function offsetSeconds(value: unknown): number | undefined {
  const text = str(value)
  if (text === undefined) return undefined
  if (text === 'Z') return 0
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text)
  if (match === null) return undefined
  const seconds = (Number(match[2]) * 3600 + Number(match[3]) * 60) * (match[1] === '-' ? -1 : 1)
  return Math.abs(seconds) > 18 * 3600 ? undefined : seconds
}

const localDate = (ms: number, offset: number): string =>
  new Date(ms + offset * 1000).toISOString().slice(0, 10)
const localDateTime = (ms: number, offset: number): string =>
  new Date(ms + offset * 1000).toISOString().slice(0, 19)
/** Local midnight of a calendar date, as a UTC instant. */
const localMidnight = (date: string, offset: number): string =>
  isoOf(Date.parse(`${date}T00:00:00Z`) - offset * 1000)

const calories = (kilojoules: number | undefined): number | undefined =>
  kilojoules === undefined ? undefined : Math.round(kilojoules / kilojoulesPerKilocalorie)

// Keyword rules of specs/providers.md §6.3, first match wins; words match at their start.
const sportRules: readonly (readonly [RegExp, SportType])[] = [
  [/\bmountain\b/, 'mountain_bike'],
  [/\bspin/, 'virtual_ride'],
  [/\brun/, 'run'],
  [/\b(cycl|bik)/, 'ride'],
  [/\btrack\b/, 'run'],
  [/\bswim/, 'swim'],
  [/\bwalk/, 'walk'],
  [/\b(hik|ruck)/, 'hike'],
  [/\brow/, 'rowing'],
  [/\byoga\b/, 'yoga'],
  [/\bpilates\b/, 'pilates'],
  [/\bcrossfit\b/, 'crossfit'],
  [/\b(weight|power|strength|functional)/, 'strength_training'],
  [/\b(hiit|elliptical|stair)/, 'workout'],
  [/\bski.*\b(cross country|nordic)\b|\b(cross country|nordic)\b.*\bski/, 'cross_country_skiing'],
  [/\bski/, 'alpine_skiing'],
  [/\bsnowboard/, 'snowboarding'],
  [/\bclimb/, 'rock_climbing'],
  [/\btennis\b/, 'tennis'],
  [/\bgolf/, 'golf'],
  [/\bsoccer\b/, 'soccer'],
  [/\bbasketball\b/, 'basketball'],
  [/\bpaddle/, 'paddleboarding'],
  [/\bkitesurf/, 'kitesurfing'],
  [/\bsurf/, 'surfing'],
  [/\bkayak/, 'kayaking'],
]

/** Lower-case words of a WHOOP `sport_name` (`"Functional-Fitness"` → `"functional fitness"`). */
function sportWords(sportName: string): string {
  return sportName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/**
 * Maps a WHOOP v2 `sport_name` to the normalized sport by keywords (`running` → `run`,
 * `weightlifting` → `strength_training`, `mountain biking` → `mountain_bike`, `spin` →
 * `virtual_ride`); unknown names → `other`.
 */
export function mapWhoopSport(sportName: string | null | undefined): SportType {
  if (typeof sportName !== 'string') return 'other'
  const words = sportWords(sportName)
  for (const [pattern, sport] of sportRules) if (pattern.test(words)) return sport
  return 'other'
}

const zoneKeys = [
  'zone_zero_milli',
  'zone_one_milli',
  'zone_two_milli',
  'zone_three_milli',
  'zone_four_milli',
  'zone_five_milli',
] as const
// Zone bounds in % of max heart rate (specs/providers.md §6.3).
const zoneBoundsPercent = [0, 50, 60, 70, 80, 90, 100] as const

function heartRateZones(
  durations: Raw | undefined,
  maxHeartRate: number | undefined,
): HeartRateZone[] | undefined {
  if (durations === undefined || maxHeartRate === undefined) return undefined
  const millis = zoneKeys.map((key) => nonNegative(durations[key]))
  if (millis.some((value) => value === undefined)) return undefined
  return millis.map((ms, index) => ({
    name: `Zone ${index}`,
    min_hr: Math.round((maxHeartRate * (zoneBoundsPercent[index] ?? 0)) / 100),
    max_hr: Math.round((maxHeartRate * (zoneBoundsPercent[index + 1] ?? 100)) / 100),
    minutes: Math.round((ms ?? 0) / msPerMinute),
  }))
}

function titleCase(sportName: string | undefined): string | undefined {
  if (sportName === undefined) return undefined
  const words = sportWords(sportName)
  if (words === '') return undefined
  return words.replace(/\b[a-z]/g, (letter) => letter.toUpperCase())
}

/** Context of {@link mapWhoopWorkout}. */
export interface WhoopWorkoutContext {
  /** The member's max heart rate (body measurement), for the zone bounds; no zones without it. */
  readonly maxHeartRate?: number
}

/**
 * Maps a WHOOP v2 workout to the normalized {@link Activity}: `name` is the title-cased
 * `sport_name`; `duration_seconds = end − start`; local start and `utc_offset_seconds` from
 * `timezone_offset`; from a scored workout `strain` (0–21), heart rate in bpm, `distance_meter`,
 * `altitude_gain_meter` → `elevation_gain` (m), `kilojoule` (energy expended) → `calories` =
 * round(kJ / 4.184) kcal (`kilojoules`, mechanical work, stays absent), and the zone durations (ms)
 * → `heart_rate_zones` "Zone 0"…"Zone 5" in whole minutes, bounded at 0/50/60/70/80/90/100 % of
 * the max heart rate.
 */
export function mapWhoopWorkout(raw: Raw, context: WhoopWorkoutContext = {}): Activity {
  const sportName = str(raw.sport_name)
  const sport = mapWhoopSport(sportName)
  const startMs = instantMs(raw.start)
  const endMs = instantMs(raw.end)
  const offset = offsetSeconds(raw.timezone_offset)
  const score = scoreOf(raw)
  const distance = nonNegative(score?.distance_meter)
  const maxHeartRate = heartRate(context.maxHeartRate)
  return withoutUndefined<Activity>({
    id: idOf(raw.id) ?? '',
    provider,
    name: titleCase(sportName) ?? 'Workout',
    sport_type: sport,
    sport_type_detail: sportName,
    start_date: startMs === undefined ? '1970-01-01T00:00:00Z' : isoOf(startMs),
    start_date_local:
      startMs === undefined || offset === undefined ? undefined : localDateTime(startMs, offset),
    utc_offset_seconds: offset,
    duration_seconds:
      startMs === undefined || endMs === undefined || endMs < startMs
        ? 0
        : Math.round((endMs - startMs) / 1000),
    distance_meters: distance ?? (isDistanceFreeSport(sport) ? null : undefined),
    elevation_gain: num(score?.altitude_gain_meter),
    average_heart_rate: heartRate(score?.average_heart_rate),
    max_heart_rate: heartRate(score?.max_heart_rate),
    calories: calories(nonNegative(score?.kilojoule)),
    strain: inRange(score?.strain, 0, 21),
    heart_rate_zones: heartRateZones(objectOf(score?.zone_durations), maxHeartRate),
    streams_available: false,
  })
}

/** Context of {@link mapWhoopSleep}. */
export interface WhoopSleepContext {
  /** The recovery computed from this sleep (its `sleep_id` is the sleep's id), for the HRV. */
  readonly recovery?: Raw
}

const minutesOf = (ms: number): number => roundTo(ms / msPerMinute, 2)

/**
 * Maps a WHOOP v2 sleep to the normalized {@link SleepSession}, or `undefined` when WHOOP has not
 * scored it (no stage totals). Stage totals in ms become minutes: `time_in_bed` and
 * `total_sleep_time` (light + slow wave + REM, not in bed minus awake) in whole minutes, and one
 * `totals` stage each for awake, light, deep (slow wave) and REM from the start; `sleep_efficiency`
 * = 100 · total / in bed (0.1); `sleep_score` = sleep performance % (absent for naps);
 * `wake_count` = disturbances; `respiratory_rate` in breaths/min; `date_of_sleep` = local date of
 * the end; `hrv_during_sleep` = the recovery's RMSSD (ms) when it is given.
 */
export function mapWhoopSleep(raw: Raw, context: WhoopSleepContext = {}): SleepSession | undefined {
  const score = scoreOf(raw)
  const summary = objectOf(score?.stage_summary)
  const id = idOf(raw.id)
  const startMs = instantMs(raw.start)
  const endMs = instantMs(raw.end)
  if (summary === undefined || id === undefined || startMs === undefined || endMs === undefined) {
    return undefined
  }
  const offset = offsetSeconds(raw.timezone_offset)
  const inBedMs = nonNegative(summary.total_in_bed_time_milli) ?? Math.max(0, endMs - startMs)
  const lightMs = nonNegative(summary.total_light_sleep_time_milli)
  const deepMs = nonNegative(summary.total_slow_wave_sleep_time_milli)
  const remMs = nonNegative(summary.total_rem_sleep_time_milli)
  const awakeMs = nonNegative(summary.total_awake_time_milli)
  const timeInBed = Math.round(inBedMs / msPerMinute)
  const totalSleep = Math.round(((lightMs ?? 0) + (deepMs ?? 0) + (remMs ?? 0)) / msPerMinute)
  const start = isoOf(startMs)
  const stages: SleepStage[] = []
  for (const [stageType, ms] of [
    ['awake', awakeMs],
    ['light', lightMs],
    ['deep', deepMs],
    ['rem', remMs],
  ] as const) {
    if (ms !== undefined) {
      stages.push({ stage_type: stageType, start_time: start, duration_minutes: minutesOf(ms) })
    }
  }
  const recovery = context.recovery
  const recoveryScore =
    recovery !== undefined && idOf(recovery.sleep_id) === id ? scoreOf(recovery) : undefined
  return withoutUndefined<SleepSession>({
    id,
    provider,
    start_time: start,
    end_time: isoOf(endMs),
    date_of_sleep: localDate(endMs, offset ?? 0),
    is_nap: raw.nap === true,
    utc_offset_seconds: offset,
    time_in_bed: timeInBed,
    total_sleep_time: totalSleep,
    sleep_efficiency:
      timeInBed === 0 ? 0 : Math.min(100, roundTo((100 * totalSleep) / timeInBed, 1)),
    sleep_score: percent(score?.sleep_performance_percentage),
    stages,
    stage_detail: stages.length === 0 ? 'none' : 'totals',
    hrv_during_sleep: nonNegative(recoveryScore?.hrv_rmssd_milli),
    respiratory_rate: nonNegative(score?.respiratory_rate),
    wake_count: nonNegativeInt(summary.disturbance_count),
  })
}

/** A WHOOP physiological cycle (one "day": from falling asleep to falling asleep again). */
export interface WhoopCycle {
  /** The cycle id (an int64, as a string). */
  readonly id: string
  readonly provider: 'whoop'
  /** ISO UTC; when the main sleep began. */
  readonly start_time: string
  /** ISO UTC; `null` for the current cycle. */
  readonly end_time: string | null
  readonly utc_offset_seconds?: number
  /** The local day the cycle covers: the local date 12 h after its start. */
  readonly calendar_date: string
  /** `SCORED`, `PENDING_SCORE` or `UNSCORABLE`; the score members are absent unless `SCORED`. */
  readonly score_state: string
  /** Day strain, 0–21. */
  readonly strain?: number
  /** Energy expended over the cycle, kJ. */
  readonly kilojoules?: number
  /** The same energy in kcal (kJ / 4.184, rounded). */
  readonly calories?: number
  readonly average_heart_rate?: number
  readonly max_heart_rate?: number
}

const halfDayMs = 12 * 3_600_000

/**
 * Maps a WHOOP v2 cycle to a {@link WhoopCycle}, or `undefined` without an id or start. A cycle
 * begins at sleep onset (often before midnight), so its `calendar_date` is the local date 12 h
 * after the start: the day it covers, the same as the wake date of the sleep that opened it.
 */
export function mapWhoopCycle(raw: Raw): WhoopCycle | undefined {
  const id = idOf(raw.id)
  const startMs = instantMs(raw.start)
  if (id === undefined || startMs === undefined) return undefined
  const endMs = instantMs(raw.end)
  const offset = offsetSeconds(raw.timezone_offset)
  const score = scoreOf(raw)
  const kilojoules = nonNegative(score?.kilojoule)
  const cycle = withoutUndefined({
    id,
    provider,
    start_time: isoOf(startMs),
    end_time: endMs === undefined ? null : isoOf(endMs),
    utc_offset_seconds: offset,
    calendar_date: localDate(startMs + halfDayMs, offset ?? 0),
    score_state: str(raw.score_state) ?? (score === undefined ? 'PENDING_SCORE' : 'SCORED'),
    strain: inRange(score?.strain, 0, 21),
    kilojoules,
    calories: calories(kilojoules),
    average_heart_rate: heartRate(score?.average_heart_rate),
    max_heart_rate: heartRate(score?.max_heart_rate),
  })
  return cycle as WhoopCycle
}

/**
 * Maps a scored WHOOP v2 cycle to a {@link DailySummary} (`total_calories` in kcal from the
 * cycle's kJ, average and max heart rate), or `undefined` when it is not scored. The day strain has
 * no field there: it is in {@link WhoopCycle} and in `RecoveryMetrics.strain`.
 */
export function mapWhoopDailySummary(raw: Raw): DailySummary | undefined {
  const cycle = mapWhoopCycle(raw)
  if (cycle === undefined || cycle.score_state !== 'SCORED') return undefined
  return withoutUndefined<DailySummary>({
    calendar_date: cycle.calendar_date,
    provider,
    total_calories: cycle.calories,
    average_heart_rate: cycle.average_heart_rate,
    max_heart_rate: cycle.max_heart_rate,
  })
}

/** Context of {@link mapWhoopRecovery}. */
export interface WhoopRecoveryContext {
  /** The sleep the recovery belongs to (its `sleep_id`): gives the date and the sleep score. */
  readonly sleep?: Raw
  /** The recovery's cycle (its `cycle_id`): gives the day strain. */
  readonly cycle?: Raw
}

/**
 * Maps a WHOOP v2 recovery to {@link RecoveryMetrics}, or `undefined` when it is not scored or has
 * no date. `calendar_date` is the local wake date of its sleep (else the cycle's day), `date` that
 * day's local midnight in UTC; `hrv_rmssd_ms` = `hrv_rmssd_milli` (milliseconds despite the
 * name); `resting_heart_rate` bpm; `spo2_percentage` %; `skin_temp_celsius` absolute °C
 * (`body_temperature`, a deviation, stays absent); `strain` from the cycle; `sleep_score` from the
 * sleep's performance %; `source_record_id` = the sleep id (WHOOP's webhooks name recoveries so).
 */
export function mapWhoopRecovery(
  raw: Raw,
  context: WhoopRecoveryContext = {},
): RecoveryMetrics | undefined {
  const score = scoreOf(raw)
  if (score === undefined) return undefined
  const sleep = context.sleep
  const cycle = context.cycle
  const sleepEndMs = instantMs(sleep?.end)
  let calendarDate: string | undefined
  let offset: number
  if (sleep !== undefined && sleepEndMs !== undefined) {
    offset = offsetSeconds(sleep.timezone_offset) ?? 0
    calendarDate = localDate(sleepEndMs, offset)
  } else {
    const mapped = cycle === undefined ? undefined : mapWhoopCycle(cycle)
    offset = mapped?.utc_offset_seconds ?? 0
    calendarDate = mapped?.calendar_date
  }
  if (calendarDate === undefined) return undefined
  const sleepScore = sleep === undefined ? undefined : scoreOf(sleep)
  const cycleScore = cycle === undefined ? undefined : scoreOf(cycle)
  return withoutUndefined<RecoveryMetrics>({
    date: localMidnight(calendarDate, offset),
    calendar_date: calendarDate,
    provider,
    recovery_score: percent(score.recovery_score),
    sleep_score: percent(sleepScore?.sleep_performance_percentage),
    resting_heart_rate: heartRate(score.resting_heart_rate),
    hrv_rmssd_ms: nonNegative(score.hrv_rmssd_milli),
    spo2_percentage: percent(score.spo2_percentage),
    skin_temp_celsius: num(score.skin_temp_celsius),
    strain: inRange(cycleScore?.strain, 0, 21),
    user_calibrating: bool(score.user_calibrating),
    source_record_id: idOf(raw.sleep_id),
  })
}

/**
 * Maps `/v2/user/profile/basic` and, when given, `/v2/user/measurement/body` to the {@link Athlete}:
 * id = `user_id`, first and last name, `weight_kg`, `height_m`, `max_heart_rate`. The e-mail
 * address is never copied (`username` stays empty).
 */
export function mapWhoopAthlete(profile: Raw, body?: Raw): Athlete {
  const weight = num(body?.weight_kilogram)
  return withoutUndefined<Athlete>({
    id: idOf(profile.user_id) ?? '',
    username: '',
    firstname: str(profile.first_name),
    lastname: str(profile.last_name),
    provider,
    weight_kg: weight !== undefined && weight > 0 ? weight : undefined,
    height_m: inRange(body?.height_meter, Number.MIN_VALUE, 3),
    max_heart_rate: heartRate(body?.max_heart_rate),
  })
}

/**
 * Maps `/v2/user/measurement/body` to one {@link HealthMetrics} dated `at` (WHOOP keeps no
 * history): `weight` kg and `bmi` = weight / height² (0.1).
 */
export function mapWhoopBodyMeasurement(body: Raw, at: Date): HealthMetrics {
  const weight = num(body.weight_kilogram)
  const height = inRange(body.height_meter, Number.MIN_VALUE, 3)
  const validWeight = weight !== undefined && weight > 0 ? weight : undefined
  return withoutUndefined<HealthMetrics>({
    date: isoOf(at.getTime()),
    provider,
    weight: validWeight,
    bmi:
      validWeight === undefined || height === undefined
        ? undefined
        : roundTo(validWeight / (height * height), 1),
  })
}
