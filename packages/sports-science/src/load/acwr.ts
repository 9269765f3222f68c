import { fromDayNumber, toDayNumber } from '../internal/calendar.js'
import {
  checkNumber,
  checkOneOf,
  invalidInput,
  type NumberRange,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import { bucketLoads, checkEntries, checkSpan, ewmaAlpha, type LoadEntry } from './pmc.js'

/**
 * How the acute and chronic loads are averaged: `ewma` (Williams et al. 2017, λ = 2/(N+1)) or
 * `rolling` (coupled rolling means of the last N days, Gabbett 2016).
 */
export type AcwrMethod = 'ewma' | 'rolling'

const acwrMethods = ['ewma', 'rolling'] as const satisfies readonly AcwrMethod[]

/** Options of `load.acwr`. */
export interface AcwrOptions {
  /** First day of the series; default the earliest entry date. */
  readonly from?: string | undefined
  /** Last day; default the latest entry date (pass "today"). */
  readonly to?: string | undefined
  /** Acute window / time constant, days, whole number 1–365; default 7. */
  readonly acuteDays?: number | undefined
  /** Chronic window / time constant, days, whole number above acuteDays, ≤ 365; default 28. */
  readonly chronicDays?: number | undefined
  /** Default `ewma`. */
  readonly method?: AcwrMethod | undefined
}

/** One day of an acute:chronic workload series. */
export interface AcwrDay {
  /** `YYYY-MM-DD`. */
  readonly date: string
  /** Sum of the loads dated that day. */
  readonly load: number
  /** Acute load (EWMA or rolling mean), load units per day. */
  readonly acute: number
  /** Chronic load, load units per day. */
  readonly chronic: number
  /** acute / chronic; `null` while the chronic load is 0. */
  readonly ratio: number | null
}

/** Result of `load.acwr`. */
export interface Acwr {
  /** Every calendar day from `from` to `to`. */
  readonly days: AcwrDay[]
  /** The last day; `null` for an empty series. */
  readonly current: AcwrDay | null
}

const windowRange: NumberRange = { min: 1, max: 365, unit: 'days' }

/**
 * Computes the acute:chronic workload ratio for every day from `from` to `to` (spec §14), days
 * before `from` counting as rest:
 * - `ewma` (default): `EWMA_d = λ·load_d + (1 − λ)·EWMA_{d−1}`, λ = 2/(N + 1), N = 7 (acute) and
 *   28 (chronic). Williams S. et al. (2017) *Br J Sports Med* 51:209–210.
 * - `rolling`: mean daily load of the last 7 and the last 28 days (the chronic window contains the
 *   acute one). Gabbett T.J. (2016) *Br J Sports Med* 50:273–280.
 *
 * Gabbett reports 0.8–1.3 as the lower-risk band and > 1.5 as high risk; the ratio is criticised
 * for mathematical coupling (Lolli L. et al. 2019; Impellizzeri F.M. et al. 2020). O(days).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date or load, `from` after
 *   `to`, windows that are not whole numbers with acuteDays < chronicDays ≤ 365, or an unknown
 *   method.
 */
export function acwr(entries: readonly LoadEntry[], options?: AcwrOptions): Acwr {
  const loads = checkEntries(entries, 'entries')
  const opts = optionsOrEmpty(options)
  const method = checkOneOf(withDefault(opts.method, 'ewma'), 'method', acwrMethods)
  const acuteDays = checkWholeDays(withDefault(opts.acuteDays, 7), 'acuteDays')
  const chronicDays = checkWholeDays(withDefault(opts.chronicDays, 28), 'chronicDays')
  if (!(acuteDays < chronicDays)) {
    throw invalidInput('acuteDays', `less than chronicDays (${chronicDays})`, opts.acuteDays)
  }
  let fromDay = opts.from === undefined ? undefined : toDayNumber(opts.from, 'from')
  let toDay = opts.to === undefined ? undefined : toDayNumber(opts.to, 'to')
  if (loads.length > 0) {
    fromDay ??= Math.min(...loads.map(({ day }) => day))
    toDay ??= Math.max(...loads.map(({ day }) => day))
  } else {
    fromDay ??= toDay
    toDay ??= fromDay
  }
  if (fromDay === undefined || toDay === undefined) return { days: [], current: null }
  const length = checkSpan(fromDay, toDay)
  const daily = bucketLoads(loads, fromDay, length)
  const days =
    method === 'ewma'
      ? ewmaSeries(daily, fromDay, { acuteDays, chronicDays })
      : rollingSeries(daily, fromDay, { acuteDays, chronicDays })
  return { days, current: days.at(-1) ?? null }
}

function checkWholeDays(value: unknown, field: string): number {
  const days = checkNumber(value, field, windowRange)
  if (!Number.isInteger(days)) throw invalidInput(field, 'a whole number of days', value)
  return days
}

interface Windows {
  readonly acuteDays: number
  readonly chronicDays: number
}

function day(
  dayNumber: number,
  load: number,
  averages: { acute: number; chronic: number },
): AcwrDay {
  const { acute, chronic } = averages
  return {
    date: fromDayNumber(dayNumber),
    load,
    acute,
    chronic,
    ratio: chronic === 0 ? null : acute / chronic,
  }
}

function ewmaSeries(daily: Float64Array, fromDay: number, windows: Windows): AcwrDay[] {
  const acuteAlpha = ewmaAlpha(windows.acuteDays, 'span')
  const chronicAlpha = ewmaAlpha(windows.chronicDays, 'span')
  let acute = 0
  let chronic = 0
  return Array.from(daily, (load, offset) => {
    acute += acuteAlpha * (load - acute)
    chronic += chronicAlpha * (load - chronic)
    return day(fromDay + offset, load, { acute, chronic })
  })
}

function rollingSeries(daily: Float64Array, fromDay: number, windows: Windows): AcwrDay[] {
  const acute = new RollingSum(daily, windows.acuteDays)
  const chronic = new RollingSum(daily, windows.chronicDays)
  return Array.from(daily, (load, offset) =>
    day(fromDay + offset, load, { acute: acute.next(offset), chronic: chronic.next(offset) }),
  )
}

/**
 * Mean of the last `window` daily loads by a running sum. The sum is reset to exactly 0 whenever the
 * window holds no load, so float residue never fakes a tiny chronic load (and a huge ratio).
 */
class RollingSum {
  private sum = 0
  private loadedDays = 0
  private readonly daily: Float64Array
  private readonly window: number

  constructor(daily: Float64Array, window: number) {
    this.daily = daily
    this.window = window
  }

  next(offset: number): number {
    const entering = this.daily[offset] as number
    const leaving = offset >= this.window ? (this.daily[offset - this.window] as number) : 0
    this.sum += entering - leaving
    this.loadedDays += (entering > 0 ? 1 : 0) - (leaving > 0 ? 1 : 0)
    if (this.loadedDays === 0) this.sum = 0
    return this.sum / this.window
  }
}
