import { consecutiveDates, fromDayNumber, toDayNumber } from '../internal/calendar.js'
import {
  checkNonNegative,
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  type NumberRange,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'

/** One day's (or one session's) training load, dated by the athlete's local calendar. */
export interface LoadEntry {
  /** Local calendar date `YYYY-MM-DD`. */
  readonly date: string
  /** Training load (TSS or any consistent unit), ≥ 0. */
  readonly load: number
}

/**
 * Per-day smoothing constant of an exponentially weighted average with time constant N days:
 * `trainingpeaks` α = 1/N; `exponential` α = 1 − e^(−1/N) (GoldenCheetah); `span` α = 2/(N+1)
 * (the EWMA span convention of Williams et al. 2017, the Pierre reference's choice; compat).
 */
export type PmcDecay = 'trainingpeaks' | 'exponential' | 'span'

const decays = ['trainingpeaks', 'exponential', 'span'] as const satisfies readonly PmcDecay[]

/**
 * Which day's averages form TSB: `previousDay` (TrainingPeaks, GoldenCheetah: yesterday's CTL
 * minus yesterday's ATL, so today's session is not yet in today's form) or `sameDay`.
 */
export type TsbConvention = 'previousDay' | 'sameDay'

const tsbConventions = ['previousDay', 'sameDay'] as const satisfies readonly TsbConvention[]

const timeConstantRange: NumberRange = { min: 1, max: 1000, unit: 'days' }
/** Longest series computed, days (about 270 years): longer is a date typo. */
const maxSeriesDays = 100_000

/**
 * Computes the per-day smoothing constant α of an exponentially weighted average with time
 * constant `days` (spec §3.11): `trainingpeaks` 1/N, `exponential` 1 − e^(−1/N), `span` 2/(N+1).
 * The effective time constant is τ = −1/ln(1 − α): 41.5 d (trainingpeaks, 42), 42 d (exponential),
 * 21.0 d (span, 42).
 *
 * Sources: Coggan A. (2003) Performance Manager / TrainingPeaks; GoldenCheetah `PMCData.cpp`;
 * Williams S. et al. (2017) *Br J Sports Med* 51:209–210.
 *
 * @param days - time constant N, days, 1–1000.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when days is outside 1–1000 or decay unknown.
 */
export function ewmaAlpha(days: number, decay: PmcDecay = 'trainingpeaks'): number {
  const n = checkNumber(days, 'days', timeConstantRange)
  switch (checkOneOf(decay, 'decay', decays)) {
    case 'trainingpeaks':
      return 1 / n
    case 'exponential':
      return 1 - Math.exp(-1 / n)
    case 'span':
      return 2 / (n + 1)
  }
}

/** Options of `load.pmc`. */
export interface PmcOptions {
  /** First day of the series; default the earliest entry date. */
  readonly from?: string | undefined
  /**
   * Last day of the series; default the latest entry date. Pass "today", so that rest since the
   * last session decays the averages.
   */
  readonly to?: string | undefined
  /** CTL time constant, days, 1–1000; default 42. */
  readonly ctlDays?: number | undefined
  /** ATL time constant, days, 1–1000; default 7. */
  readonly atlDays?: number | undefined
  /** Smoothing convention; default `trainingpeaks` (α = 1/N). */
  readonly decay?: PmcDecay | undefined
  /** CTL on the day before `from`, ≥ 0; default 0. */
  readonly initialCtl?: number | undefined
  /** ATL on the day before `from`, ≥ 0; default 0. */
  readonly initialAtl?: number | undefined
  /** TSB convention; default `previousDay`. */
  readonly tsb?: TsbConvention | undefined
}

/** One day of the Performance Management Chart. */
export interface PmcDay {
  /** `YYYY-MM-DD`. */
  readonly date: string
  /** Sum of the loads dated that day (0 on a rest day). */
  readonly load: number
  /** Chronic training load (fitness). */
  readonly ctl: number
  /** Acute training load (fatigue). */
  readonly atl: number
  /** Training stress balance (form), per the `tsb` convention. */
  readonly tsb: number
  /** CTL change over the last 7 days: CTL_d − CTL_{d−7} (per week). */
  readonly rampRate: number
}

/** Result of `load.pmc`. */
export interface Pmc {
  /** Every calendar day from `from` to `to`. */
  readonly days: PmcDay[]
  /** The last day of the series; `null` when it is empty. */
  readonly current: PmcDay | null
}

interface PmcParameters {
  readonly ctlAlpha: number
  readonly atlAlpha: number
  readonly initialCtl: number
  readonly initialAtl: number
  readonly sameDayTsb: boolean
}

function checkPmcParameters(opts: Partial<PmcOptions>): PmcParameters {
  const decay = checkOneOf(withDefault(opts.decay, 'trainingpeaks'), 'decay', decays)
  const ctlDays = checkNumber(withDefault(opts.ctlDays, 42), 'ctlDays', timeConstantRange)
  const atlDays = checkNumber(withDefault(opts.atlDays, 7), 'atlDays', timeConstantRange)
  const tsb = checkOneOf(withDefault(opts.tsb, 'previousDay'), 'tsb', tsbConventions)
  return {
    ctlAlpha: ewmaAlpha(ctlDays, decay),
    atlAlpha: ewmaAlpha(atlDays, decay),
    initialCtl: checkNonNegative(withDefault(opts.initialCtl, 0), 'initialCtl'),
    initialAtl: checkNonNegative(withDefault(opts.initialAtl, 0), 'initialAtl'),
    sameDayTsb: tsb === 'sameDay',
  }
}

/** A load on a day number (see `toDayNumber`). */
export interface DatedLoad {
  readonly day: number
  readonly load: number
}

/** Validates load entries and converts their dates to day numbers. */
export function checkEntries(entries: readonly LoadEntry[], field: string): DatedLoad[] {
  if (!Array.isArray(entries)) throw invalidInput(field, 'an array of { date, load }', entries)
  return entries.map((entry: LoadEntry, index) => {
    checkObject(entry, `${field}[${index}]`)
    return {
      day: toDayNumber(entry.date, `${field}[${index}].date`),
      load: checkNonNegative(entry.load, `${field}[${index}].load`),
    }
  })
}

/** Sums the loads of each day of [fromDay, fromDay + length) into a per-day array. */
export function bucketLoads(
  loads: readonly DatedLoad[],
  fromDay: number,
  length: number,
): Float64Array {
  const out = new Float64Array(length)
  for (const { day, load } of loads) {
    const offset = day - fromDay
    if (offset >= 0 && offset < length) out[offset] = (out[offset] as number) + load
  }
  return out
}

/** Checks from ≤ to and a sane span; returns the number of days. */
export function checkSpan(fromDay: number, toDay: number): number {
  if (fromDay > toDay) {
    throw invalidInput('from', `on or before to (${fromDayNumber(toDay)})`, fromDayNumber(fromDay))
  }
  const length = toDay - fromDay + 1
  if (length > maxSeriesDays) {
    throw invalidInput('to', `at most ${maxSeriesDays} days after from`, fromDayNumber(toDay))
  }
  return length
}

/** Runs the CTL/ATL recursion over per-day loads; O(days). */
function runPmc(dailyLoads: Float64Array, fromDay: number, parameters: PmcParameters): PmcDay[] {
  const { ctlAlpha, atlAlpha, initialCtl, initialAtl, sameDayTsb } = parameters
  const recentCtl = new Float64Array(7).fill(initialCtl)
  const days = new Array<PmcDay>(dailyLoads.length)
  const dates = consecutiveDates(fromDay, dailyLoads.length)
  let ctl = initialCtl
  let atl = initialAtl
  for (let offset = 0; offset < dailyLoads.length; offset++) {
    const load = dailyLoads[offset] as number
    const previousBalance = ctl - atl
    ctl += ctlAlpha * (load - ctl)
    atl += atlAlpha * (load - atl)
    const slot = offset % 7
    const weekAgoCtl = recentCtl[slot] as number
    recentCtl[slot] = ctl
    days[offset] = {
      date: dates[offset] as string,
      load,
      ctl,
      atl,
      tsb: sameDayTsb ? ctl - atl : previousBalance,
      rampRate: ctl - weekAgoCtl,
    }
  }
  return days
}

/**
 * Computes the Performance Management Chart: chronic (CTL) and acute (ATL) training load, training
 * stress balance (TSB) and ramp rate for every calendar day from `from` to `to` (spec §3.11).
 *
 * ```
 * load_d = Σ loads dated d (0 on rest days; entries outside [from, to] ignored)
 * CTL_d  = CTL_{d−1} + α_c (load_d − CTL_{d−1}),   ATL_d likewise with α_a
 * TSB_d  = CTL_{d−1} − ATL_{d−1} (previousDay, default) or CTL_d − ATL_d (sameDay)
 * rampRate_d = CTL_d − CTL_{d−7}        (CTL_j = initialCtl for j before from)
 * ```
 * α from {@link ewmaAlpha} (default α = 1/42 and 1/7). Input order does not matter; O(days +
 * entries). With constant load L from zero, X_n = L(1 − (1 − α)^n).
 *
 * Sources: Banister E.W. et al. (1975) *Aust J Sports Med* 7:57–61; Coggan A. (2003) Performance
 * Manager (TrainingPeaks); GoldenCheetah `PMCData.cpp` (seeds, next-day form, ramp rate).
 *
 * @example
 * ```ts
 * load.pmc([{ date: '2025-03-01', load: 100 }], { to: '2025-03-02' }).current
 * // { date: '2025-03-02', load: 0, ctl: 2.32…, atl: 12.24…, tsb: −11.90…, rampRate: 2.32… }
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date, a negative or non-finite
 *   load, `from` after `to`, a time constant outside 1–1000 days or an unknown option.
 */
export function pmc(entries: readonly LoadEntry[], options?: PmcOptions): Pmc {
  const loads = checkEntries(entries, 'entries')
  const opts = optionsOrEmpty(options)
  const parameters = checkPmcParameters(opts)
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
  const days = runPmc(bucketLoads(loads, fromDay, length), fromDay, parameters)
  return { days, current: days.at(-1) ?? null }
}

/**
 * Computes form as a percentage of fitness, `100 × tsb / ctl` (intervals.icu-style "form %"),
 * `null` when ctl is 0 (spec §3.12).
 *
 * @param tsb - training stress balance.
 * @param ctl - chronic training load, ≥ 0.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when tsb is not finite or ctl < 0.
 */
export function formPercent(tsb: number, ctl: number): number | null {
  const balance = checkNumber(tsb, 'tsb')
  const fitness = checkNonNegative(ctl, 'ctl')
  return fitness === 0 ? null : (100 * balance) / fitness
}

/** Starting point of a projection: the PMC values on `date` (e.g. `pmc(…).current`). */
export interface FormState {
  /** The day these values belong to, `YYYY-MM-DD`; the projection starts the day after. */
  readonly date: string
  /** CTL on `date`, ≥ 0. */
  readonly ctl: number
  /** ATL on `date`, ≥ 0. */
  readonly atl: number
}

/** Options of `load.projectForm`. */
export interface ProjectFormOptions {
  /** Last projected day; default the latest planned date. */
  readonly to?: string | undefined
  /** CTL time constant, days; default 42. */
  readonly ctlDays?: number | undefined
  /** ATL time constant, days; default 7. */
  readonly atlDays?: number | undefined
  /** Default `trainingpeaks`. */
  readonly decay?: PmcDecay | undefined
  /** Default `previousDay`. */
  readonly tsb?: TsbConvention | undefined
}

function checkState(state: FormState): { day: number; ctl: number; atl: number } {
  checkObject(state, 'state')
  return {
    day: toDayNumber(state.date, 'date'),
    ctl: checkNonNegative(state.ctl, 'ctl'),
    atl: checkNonNegative(state.atl, 'atl'),
  }
}

/**
 * Projects CTL, ATL and TSB forward from a known state through planned daily loads: the PMC
 * recursion of {@link pmc} seeded with the state's CTL/ATL, run from the day after `state.date` to
 * `to` (default the last planned date); unplanned days are rest. Ramp rates in the first week
 * compare with the state's CTL. Spec §14 (future planned load; GoldenCheetah, intervals.icu).
 *
 * @param planned - planned loads; entries on or before `state.date` or after `to` are ignored.
 * @example
 * ```ts
 * load.projectForm({ date: '2025-03-01', ctl: 60, atl: 80 }, [], { to: '2025-03-08' }).current?.tsb
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date or load, `to` before the
 *   first projected day or an invalid option.
 */
export function projectForm(
  state: FormState,
  planned: readonly LoadEntry[],
  options?: ProjectFormOptions,
): Pmc {
  const start = checkState(state)
  const loads = checkEntries(planned, 'planned')
  const opts = optionsOrEmpty(options)
  const parameters = checkPmcParameters({ ...opts, initialCtl: start.ctl, initialAtl: start.atl })
  const fromDay = start.day + 1
  let toDay = opts.to === undefined ? undefined : toDayNumber(opts.to, 'to')
  if (toDay === undefined) {
    const future = loads.filter(({ day }) => day >= fromDay)
    if (future.length === 0) return { days: [], current: null }
    toDay = Math.max(...future.map(({ day }) => day))
  }
  if (toDay < fromDay) {
    throw invalidInput('to', `after the state date (${fromDayNumber(start.day)})`, opts.to)
  }
  const length = checkSpan(fromDay, toDay)
  const days = runPmc(bucketLoads(loads, fromDay, length), fromDay, parameters)
  return { days, current: days.at(-1) ?? null }
}

/** Options of `load.restForTargetTsb`. */
export interface RestForTargetTsbOptions {
  /** The form wanted on `targetDate`. */
  readonly targetTsb: number
  /** The day the form is wanted (race day), `YYYY-MM-DD`, after the state date. */
  readonly targetDate: string
  /** Planned loads between the state date and the target date; default none (all rest). */
  readonly planned?: readonly LoadEntry[] | undefined
  /** CTL time constant, days; default 42. */
  readonly ctlDays?: number | undefined
  /** ATL time constant, days; default 7. */
  readonly atlDays?: number | undefined
  /** Default `trainingpeaks`. */
  readonly decay?: PmcDecay | undefined
  /** Default `previousDay`. */
  readonly tsb?: TsbConvention | undefined
}

/** Result of `load.restForTargetTsb`. */
export interface RestForTargetTsb {
  /** Rest days needed immediately before the target date (0 when the plan already gets there). */
  readonly restDays: number
  /** First rest day, `YYYY-MM-DD`; `null` when no rest is needed. */
  readonly restFrom: string | null
  /** TSB reached on the target date with that rest. */
  readonly tsb: number
  /** The projection with the planned loads of the rest days replaced by 0. */
  readonly projection: Pmc
}

/**
 * Finds the rest needed to reach a target TSB on a date: the smallest r such that replacing the
 * planned loads of the r days before `targetDate` by rest gives TSB ≥ targetTsb on `targetDate`
 * (the target day keeps its own planned load). `null` when even resting on every day from the day
 * after `state.date` falls short. Spec §14.
 *
 * Removing load L from the day j days before the target changes TSB on the target date by
 * `L·(α_a(1−α_a)^e − α_c(1−α_c)^e)`, e = j − 1 (previousDay) or j (sameDay); the search adds these
 * terms one by one, O(days). Source: the PMC model of Banister E.W. et al. (1975) and Coggan A.
 * (2003).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for malformed dates or loads, a target date not
 *   after the state date, a non-finite targetTsb or an invalid option.
 */
export function restForTargetTsb(
  state: FormState,
  options: RestForTargetTsbOptions,
): RestForTargetTsb | null {
  const start = checkState(state)
  const opts = checkObject(options, 'options')
  const targetTsb = checkNumber(opts.targetTsb, 'targetTsb')
  const targetDay = toDayNumber(opts.targetDate, 'targetDate')
  const loads = checkEntries(withDefault(opts.planned, []), 'planned')
  const parameters = checkPmcParameters({ ...opts, initialCtl: start.ctl, initialAtl: start.atl })
  const fromDay = start.day + 1
  if (targetDay < fromDay) {
    throw invalidInput(
      'targetDate',
      `after the state date (${fromDayNumber(start.day)})`,
      opts.targetDate,
    )
  }
  const length = checkSpan(fromDay, targetDay)
  const daily = bucketLoads(loads, fromDay, length)
  const baseline = runPmc(daily, fromDay, parameters)
  let tsb = (baseline.at(-1) as PmcDay).tsb
  let restDays = 0
  const { ctlAlpha, atlAlpha, sameDayTsb } = parameters
  // Available rest days: every day strictly between the state date and the target date.
  while (tsb < targetTsb && restDays < length - 1) {
    restDays++
    const exponent = restDays - 1 + (sameDayTsb ? 1 : 0)
    const removed = daily[length - 1 - restDays] as number
    tsb += removed * (atlAlpha * (1 - atlAlpha) ** exponent - ctlAlpha * (1 - ctlAlpha) ** exponent)
  }
  if (tsb < targetTsb) return null
  daily.fill(0, length - 1 - restDays, length - 1)
  const days = runPmc(daily, fromDay, parameters)
  const current = days.at(-1) ?? null
  return {
    restDays,
    restFrom: restDays === 0 ? null : fromDayNumber(targetDay - restDays),
    tsb: current === null ? tsb : current.tsb,
    projection: { days, current },
  }
}
