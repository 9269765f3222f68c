import { checkInteger, checkNumberArray } from '../internal/series.js'
import { checkNumber, checkObject, optionsOrEmpty, withDefault } from '../internal/validate.js'

/** HRV-derived recovery status (spec §6.5). */
export type HrvStatus = 'recovered' | 'normal' | 'fatigued' | 'highlyFatigued'

/** Direction of today's rMSSD against the recent average. */
export type HrvTrend = 'improving' | 'stable' | 'declining'

/** Arguments of `recovery.hrvStatus`. */
export interface HrvStatusArgs {
  /** Today's rMSSD, ms, 0 < value ≤ 500. */
  readonly currentRmssd: number
  /** rMSSD of the previous days, ms (typically 7); default none. */
  readonly recentRmssd?: ArrayLike<number> | undefined
  /** Long-term baseline rMSSD, ms, > 0. */
  readonly baselineRmssd?: number | undefined
}

/** Result of `recovery.hrvStatus`. */
export interface HrvAssessment {
  readonly status: HrvStatus
  /** recovered 100, normal 70, fatigued 40, highlyFatigued 20. */
  readonly score: number
  /** Mean of `recentRmssd` (today's value when the list is empty), ms. */
  readonly weeklyAverage: number
  /** 100·(current − baseline)/baseline; `null` without a baseline. */
  readonly baselineDeviationPercent: number | null
  readonly trend: HrvTrend
}

const rmssdRange = { min: 0, minExclusive: true, max: 500, unit: 'ms' } as const

const statusScores: Readonly<Record<HrvStatus, number>> = {
  recovered: 100,
  normal: 70,
  fatigued: 40,
  highlyFatigued: 20,
}

/**
 * Classifies today's rMSSD with the Pierre reference rules (spec §6.5). With a baseline, a deviation
 * 100·(current − baseline)/baseline below −15% is `highlyFatigued` and below −5% `fatigued`;
 * otherwise the change from the recent mean decides: ≥ +5 ms `recovered`, ≤ −10 ms `fatigued`, else
 * `normal`. Trend: a change of ≥ +5% of the recent mean is improving, ≤ −5% declining. Fixed
 * millisecond thresholds mean different things at 25 and 120 ms; `recovery.hrvLnStatus` (Plews D.J.
 * et al. 2012 *Eur J Appl Physiol* 112:3729–3741) is the recommended method. rMSSD after Task Force
 * of the ESC and NASPE (1996) *Circulation* 93:1043–1065.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an rMSSD is not in (0, 500] ms.
 */
export function hrvStatus(args: HrvStatusArgs): HrvAssessment {
  checkObject(args, 'args')
  const current = checkNumber(args.currentRmssd, 'currentRmssd', rmssdRange)
  const recent =
    args.recentRmssd === undefined
      ? []
      : checkNumberArray(args.recentRmssd, 'recentRmssd', rmssdRange)
  const baseline =
    args.baselineRmssd === undefined
      ? null
      : checkNumber(args.baselineRmssd, 'baselineRmssd', rmssdRange)
  const weeklyAverage =
    recent.length === 0 ? current : recent.reduce((sum, value) => sum + value, 0) / recent.length
  const baselineDeviationPercent =
    baseline === null ? null : (100 * (current - baseline)) / baseline
  const change = current - weeklyAverage
  let status: HrvStatus
  if (baselineDeviationPercent !== null && baselineDeviationPercent < -15) status = 'highlyFatigued'
  else if (baselineDeviationPercent !== null && baselineDeviationPercent < -5) status = 'fatigued'
  else if (change >= 5) status = 'recovered'
  else if (change <= -10) status = 'fatigued'
  else status = 'normal'
  const relativeChange = change / weeklyAverage
  const trend: HrvTrend =
    relativeChange >= 0.05 ? 'improving' : relativeChange <= -0.05 ? 'declining' : 'stable'
  return { status, score: statusScores[status], weeklyAverage, baselineDeviationPercent, trend }
}

/** Arguments of `recovery.hrvLnStatus`. */
export interface HrvLnStatusArgs {
  /** One rMSSD per day, ms (0 < value ≤ 500), oldest first. */
  readonly dailyRmssd: ArrayLike<number>
}

/** Options of `recovery.hrvLnStatus`. */
export interface HrvLnStatusOptions {
  /** Values forming the baseline before the rolling window, an integer ≥ 14; default 60. */
  readonly baselineDays?: number | undefined
  /** Values in the rolling mean, an integer ≥ 1; default 7. */
  readonly rollingDays?: number | undefined
}

/** Result of `recovery.hrvLnStatus` (ln units: natural log of rMSSD in ms). */
export interface HrvLnAssessment {
  /** Mean ln rMSSD of the last `rollingDays` values. */
  readonly rolling: number
  /** Mean ln rMSSD of the baseline values. */
  readonly baselineMean: number
  /** Sample SD of the baseline ln rMSSD. */
  readonly baselineSd: number
  /** (rolling − baselineMean)/baselineSd. */
  readonly z: number
  readonly status: HrvStatus
  /** Number of baseline values used (at most `baselineDays`). */
  readonly baselineCount: number
}

/**
 * Judges HRV on ln(rMSSD) against the athlete's own baseline (Plews D.J. et al. 2012 *Eur J Appl
 * Physiol* 112:3729–3741; Plews D.J. et al. 2013 *Int J Sports Physiol Perform* 8:688–691; spec §6.5).
 * `dailyRmssd` holds one value per day, oldest first. The rolling mean m covers the last
 * `rollingDays` values; the baseline mean μ and sample SD σ cover up to `baselineDays` values before
 * them; z = (m − μ)/σ: z > 0.5 recovered, −0.5 ≤ z ≤ 0.5 normal, −1 ≤ z < −0.5 fatigued, z < −1
 * highly fatigued (0.5 SD: the usual smallest worthwhile change).
 *
 * @returns the assessment, or `null` with fewer than rollingDays + 14 values or a constant baseline
 *   (σ = 0).
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a value is not in (0, 500] ms or an option
 *   is not an integer in range.
 */
export function hrvLnStatus(
  args: HrvLnStatusArgs,
  options?: HrvLnStatusOptions,
): HrvLnAssessment | null {
  checkObject(args, 'args')
  const values = checkNumberArray(args.dailyRmssd, 'dailyRmssd', rmssdRange)
  const opts = optionsOrEmpty(options)
  const baselineDays = checkInteger(withDefault(opts.baselineDays, 60), 'baselineDays', {
    min: 14,
    max: 3650,
  })
  const rollingDays = checkInteger(withDefault(opts.rollingDays, 7), 'rollingDays', {
    min: 1,
    max: 365,
  })
  if (values.length < rollingDays + 14) return null
  const logs = values.map(Math.log)
  const rollingStart = logs.length - rollingDays
  const baseline = logs.slice(Math.max(0, rollingStart - baselineDays), rollingStart)
  const rolling = meanOf(logs.slice(rollingStart))
  // Deviations from the first baseline value: identical values give an SD of exactly 0.
  const origin = baseline[0] as number
  const shifted = baseline.map((value) => value - origin)
  const shiftedMean = meanOf(shifted)
  let squares = 0
  for (const value of shifted) squares += (value - shiftedMean) ** 2
  const baselineSd = Math.sqrt(squares / (baseline.length - 1))
  if (baselineSd === 0) return null
  const baselineMean = origin + shiftedMean
  const z = (rolling - baselineMean) / baselineSd
  const status: HrvStatus =
    z > 0.5 ? 'recovered' : z >= -0.5 ? 'normal' : z >= -1 ? 'fatigued' : 'highlyFatigued'
  return { rolling, baselineMean, baselineSd, z, status, baselineCount: baseline.length }
}

function meanOf(values: readonly number[]): number {
  let sum = 0
  for (const value of values) sum += value
  return sum / values.length
}
