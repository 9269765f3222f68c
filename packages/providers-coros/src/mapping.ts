import type {
  Activity,
  Athlete,
  DailySummary,
  HrvDaily,
  RecoveryMetrics,
  SleepSession,
  SportType,
} from '@pierre/providers-core'
import { normalizeRunCadence, ProviderError } from '@pierre/providers-core'
import {
  checkTimeZone,
  fromCorosDate,
  isoOfSeconds,
  localDate,
  localMidnightMs,
  zoneOffsetSeconds,
} from './internal/time.js'

type Raw = Readonly<Record<string, unknown>>

const provider = 'coros'

/** Local settings for COROS records that carry no zone (the daily data). */
export interface CorosDailyContext {
  /**
   * The athlete's IANA zone (`America/Toronto`). Daily records have no offset, so dates and local
   * midnights are computed in it; UTC when absent, and then no `utc_offset_seconds` is reported.
   */
  readonly timeZone?: string
}

/** The running totals of a COROS user profile. */
export interface CorosRunningTotals {
  /** Metres (`runDistance`). */
  readonly distance_meters: number | null
  /** Seconds (`runTotalTime`). */
  readonly duration_seconds: number | null
  /** kcal (`runCalorie`, unit assumed). */
  readonly calories: number | null
}

// mode/subMode → sport and the name shown for workouts, which COROS sends without a title.
const sports: Readonly<Record<string, { readonly sport: SportType; readonly name: string }>> = {
  '8/1': { sport: 'run', name: 'Run' },
  '8/2': { sport: 'virtual_run', name: 'Indoor Run' },
  '15/1': { sport: 'trail_running', name: 'Trail Run' },
  '20/1': { sport: 'run', name: 'Track Run' },
  '16/1': { sport: 'hike', name: 'Hike' },
  '31/1': { sport: 'walk', name: 'Walk' },
  '9/1': { sport: 'ride', name: 'Bike' },
  '9/2': { sport: 'virtual_ride', name: 'Indoor Bike' },
  '10/1': { sport: 'swim', name: 'Open Water Swim' },
  '10/2': { sport: 'swim', name: 'Pool Swim' },
  '13/1': { sport: 'other', name: 'Triathlon' },
  '13/2': { sport: 'other', name: 'Multisport' },
}

function finite(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined
}

function nonNegative(value: unknown): number | undefined {
  const number = finite(value)
  return number !== undefined && number >= 0 ? number : undefined
}

// COROS writes 0 where it has nothing to report (steps of a ride, distance of a gym session).
function positive(value: unknown): number | undefined {
  const number = finite(value)
  return number !== undefined && number > 0 ? number : undefined
}

function positiveInt(value: unknown): number | undefined {
  const number = positive(value)
  return number === undefined ? undefined : Math.round(number)
}

function bpm(value: unknown): number | undefined {
  const number = finite(value)
  if (number === undefined) return undefined
  const rounded = Math.round(number)
  return rounded >= 20 && rounded <= 300 ? rounded : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
  if (typeof value === 'bigint' && value >= 0n) return value.toString()
  return undefined
}

// Epoch seconds that make a valid instant between 1970 and 9999.
function epochSeconds(value: unknown): number | undefined {
  const number = finite(value)
  return number !== undefined && number >= 0 && number <= 253_402_214_399
    ? Math.round(number)
    : undefined
}

/**
 * Returns the normalized sport of a COROS `mode`/`subMode` pair (`specs/providers.md` §6.5):
 * 8/1 run, 8/2 virtual run, 15/1 trail run, 20/1 track run (run), 16/1 hike, 31/1 walk, 9/1 ride,
 * 9/2 virtual ride, 10/1 and 10/2 swim, 13/1 triathlon and 13/2 multisport (other); anything else
 * is `other`.
 */
export function mapCorosSport(mode: unknown, subMode: unknown): SportType {
  return sports[`${String(mode)}/${String(subMode)}`]?.sport ?? 'other'
}

/**
 * Maps a COROS workout (`/coros/open/sport/data` or a sport-data push) to an activity.
 *
 * Units: `startTime`/`endTime` epoch seconds; `startTimezone` in quarter hours (−16 → UTC−04:00);
 * `distance` m; `duration` s of timer time (→ `moving_time_seconds`, while `duration_seconds` is
 * end − start); `calorie` kcal; `avgFrequency` steps per minute for foot sports, rpm otherwise;
 * `step` steps. `average_speed` is distance / elapsed time in m/s; `avgSpeed`, a pace in s/km, is
 * not inverted. COROS sends no title, heart rate or elevation in the workout summary.
 *
 * @throws ProviderError `invalid_data` when `labelId` or `startTime` is missing or unusable.
 */
export function mapCorosWorkout(raw: Raw): Activity {
  const id = idOf(raw.labelId)
  const startSeconds = epochSeconds(raw.startTime)
  if (id === undefined || startSeconds === undefined) {
    throw new ProviderError('invalid_data', 'coros workout has no usable labelId or startTime', {
      provider,
      details: { field: id === undefined ? 'labelId' : 'startTime' },
    })
  }
  const key = `${String(raw.mode)}/${String(raw.subMode)}`
  const known = sports[key]
  const sportType = known?.sport ?? 'other'
  const endSeconds = epochSeconds(raw.endTime)
  const timerSeconds = nonNegative(raw.duration)
  const elapsed =
    endSeconds !== undefined && endSeconds >= startSeconds ? endSeconds - startSeconds : undefined
  const durationSeconds = Math.round(elapsed ?? timerSeconds ?? 0)
  const quarterHours = finite(raw.startTimezone)
  const offsetSeconds =
    quarterHours !== undefined && Number.isInteger(quarterHours) && Math.abs(quarterHours) <= 56
      ? quarterHours * 900
      : undefined
  const distance = positive(raw.distance)
  const calories = nonNegative(raw.calorie)
  const cadence = positive(raw.avgFrequency)
  const deviceName = text(raw.deviceName)
  return {
    id,
    provider,
    name: known?.name ?? 'Workout',
    sport_type: sportType,
    sport_type_detail: `coros:${key}`,
    start_date: isoOfSeconds(startSeconds),
    ...(offsetSeconds === undefined
      ? {}
      : {
          start_date_local: isoOfSeconds(startSeconds + offsetSeconds).slice(0, 19),
          utc_offset_seconds: offsetSeconds,
        }),
    duration_seconds: durationSeconds,
    ...(timerSeconds === undefined ? {} : { moving_time_seconds: Math.round(timerSeconds) }),
    distance_meters: distance ?? null,
    ...(distance !== undefined && durationSeconds > 0
      ? { average_speed: distance / durationSeconds }
      : {}),
    ...(calories === undefined ? {} : { calories: Math.round(calories) }),
    ...(positiveInt(raw.step) === undefined ? {} : { steps: positiveInt(raw.step) }),
    ...(cadence === undefined
      ? {}
      : { average_cadence: normalizeRunCadence(cadence, { sportType, perLeg: false }) }),
    ...(deviceName === undefined ? {} : { device_name: deviceName }),
    streams_available: false,
  }
}

/**
 * Maps `/coros/open/user/info` (the `data` member) to an athlete: `openId` as id, `nick` as user
 * name, `profilePhoto`. COROS shares nothing else about the person.
 *
 * @throws ProviderError `invalid_data` when `openId` is missing.
 */
export function mapCorosAthlete(raw: Raw): Athlete {
  const id = idOf(raw.openId)
  if (id === undefined) {
    throw new ProviderError('invalid_data', 'coros user info has no openId', {
      provider,
      details: { field: 'openId' },
    })
  }
  const photo = text(raw.profilePhoto)
  return {
    id,
    username: text(raw.nick) ?? '',
    provider,
    ...(photo === undefined ? {} : { profile_picture: photo }),
  }
}

/**
 * Reads the lifetime running totals of `/coros/open/user/info`: `runDistance` m, `runTotalTime` s,
 * `runCalorie` kcal. A missing or negative value is `null`.
 */
export function mapCorosRunningTotals(raw: Raw): CorosRunningTotals {
  const of = (value: unknown) => nonNegative(value) ?? null
  return {
    distance_meters: of(raw.runDistance),
    duration_seconds: of(raw.runTotalTime),
    calories: of(raw.runCalorie),
  }
}

function contextZone(context: CorosDailyContext): string | undefined {
  if (context.timeZone !== undefined) checkTimeZone(context.timeZone)
  return context.timeZone
}

// The day a daily record is about: its `date`, else the local date of the wake-up.
function calendarDateOf(raw: Raw, timeZone: string | undefined): string | undefined {
  const date = fromCorosDate(raw.date)
  if (date !== undefined) return date
  const end = epochSeconds(raw.sleepEndTime)
  return end === undefined ? undefined : localDate(end * 1000, timeZone)
}

/**
 * Maps the sleep window of a COROS daily record to a session. COROS gives the window only
 * (`sleepStartTime`, `sleepEndTime`, epoch seconds), no stages and no time awake, so
 * `time_in_bed` and `total_sleep_time` are both the window in minutes (efficiency 100),
 * `stage_detail` is `none`; `sleepAvgHr` → `average_heart_rate`, `ppgHrv` → `hrv_during_sleep` (ms).
 * `date_of_sleep` is the local date of the wake-up.
 *
 * @returns undefined when the record has no valid window.
 * @throws ProviderError `invalid_argument` when `context.timeZone` is not an IANA zone.
 */
export function mapCorosSleep(raw: Raw, context: CorosDailyContext = {}): SleepSession | undefined {
  const timeZone = contextZone(context)
  const start = epochSeconds(raw.sleepStartTime)
  const end = epochSeconds(raw.sleepEndTime)
  if (start === undefined || end === undefined || end <= start) return undefined
  const minutes = Math.round((end - start) / 60)
  const averageHeartRate = bpm(raw.sleepAvgHr)
  const hrv = positive(raw.ppgHrv)
  return {
    id: String(start),
    provider,
    start_time: isoOfSeconds(start),
    end_time: isoOfSeconds(end),
    date_of_sleep: localDate(end * 1000, timeZone),
    is_nap: false,
    ...(timeZone === undefined
      ? {}
      : { utc_offset_seconds: zoneOffsetSeconds(timeZone, end * 1000) }),
    time_in_bed: minutes,
    total_sleep_time: minutes,
    sleep_efficiency: minutes > 0 ? 100 : 0,
    stages: [],
    stage_detail: 'none',
    ...(hrv === undefined ? {} : { hrv_during_sleep: hrv }),
    ...(averageHeartRate === undefined ? {} : { average_heart_rate: averageHeartRate }),
  }
}

/**
 * Maps a COROS daily record to recovery metrics: `rhr` → `resting_heart_rate` (bpm), `ppgHrv` →
 * `hrv_rmssd_ms`. COROS computes no recovery or readiness score, so those stay absent.
 *
 * @returns undefined when the record has neither value or no date.
 * @throws ProviderError `invalid_argument` when `context.timeZone` is not an IANA zone.
 */
export function mapCorosRecovery(
  raw: Raw,
  context: CorosDailyContext = {},
): RecoveryMetrics | undefined {
  const timeZone = contextZone(context)
  const calendarDate = calendarDateOf(raw, timeZone)
  const restingHeartRate = bpm(raw.rhr)
  const hrv = positive(raw.ppgHrv)
  if (calendarDate === undefined || (restingHeartRate === undefined && hrv === undefined)) {
    return undefined
  }
  return {
    date: new Date(localMidnightMs(calendarDate, timeZone)).toISOString().replace('.000Z', 'Z'),
    calendar_date: calendarDate,
    provider,
    ...(restingHeartRate === undefined ? {} : { resting_heart_rate: restingHeartRate }),
    ...(hrv === undefined ? {} : { hrv_rmssd_ms: hrv }),
  }
}

/**
 * Maps a COROS daily record to the day's HRV: `ppgHrv` (ms, overnight) as `rmssd_ms`, window
 * `sleep`, and `hrvList` (`timestamp` epoch seconds, `hrv` ms) as samples.
 *
 * @returns undefined without `ppgHrv` or a date.
 * @throws ProviderError `invalid_argument` when `context.timeZone` is not an IANA zone.
 */
export function mapCorosHrv(raw: Raw, context: CorosDailyContext = {}): HrvDaily | undefined {
  const timeZone = contextZone(context)
  const calendarDate = calendarDateOf(raw, timeZone)
  const rmssd = positive(raw.ppgHrv)
  if (calendarDate === undefined || rmssd === undefined) return undefined
  const list = Array.isArray(raw.hrvList) ? (raw.hrvList as unknown[]) : []
  const samples = list.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return []
    const sample = entry as Raw
    const at = epochSeconds(sample.timestamp)
    const value = positive(sample.hrv)
    return at === undefined || value === undefined
      ? []
      : [{ time: isoOfSeconds(at), rmssd_ms: value }]
  })
  return {
    calendar_date: calendarDate,
    provider,
    rmssd_ms: rmssd,
    window: 'sleep',
    ...(samples.length === 0 ? {} : { samples }),
  }
}

/**
 * Maps a COROS daily record to a daily summary: `step` steps, `calorie` → `total_calories` (kcal;
 * whether COROS counts resting energy is not documented), `rhr` → `resting_heart_rate`.
 *
 * @returns undefined when the record has no date.
 * @throws ProviderError `invalid_argument` when `context.timeZone` is not an IANA zone.
 */
export function mapCorosDailySummary(
  raw: Raw,
  context: CorosDailyContext = {},
): DailySummary | undefined {
  const timeZone = contextZone(context)
  const calendarDate = calendarDateOf(raw, timeZone)
  if (calendarDate === undefined) return undefined
  const steps = nonNegative(raw.step)
  const calories = nonNegative(raw.calorie)
  const restingHeartRate = bpm(raw.rhr)
  return {
    calendar_date: calendarDate,
    provider,
    ...(steps === undefined ? {} : { steps: Math.round(steps) }),
    ...(calories === undefined ? {} : { total_calories: calories }),
    ...(restingHeartRate === undefined ? {} : { resting_heart_rate: restingHeartRate }),
  }
}
