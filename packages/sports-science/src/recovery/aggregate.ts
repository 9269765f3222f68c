import {
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import { type HrvAssessment, type HrvStatus, type HrvStatusArgs, hrvStatus } from './hrv.js'
import { checkWeights, type SleepInput, type SleepQualityOptions, sleepQuality } from './sleep.js'
import { checkScore, type ScoreCategory, scoreCategory } from './thresholds.js'
import { type TsbScoreOptions, tsbScore, tsbThresholds } from './tsb.js'

/**
 * How component scores combine into one recovery score (spec §6.7): `weighted` (default), `geometric`,
 * `harmonic`, `minimum`, or `pierreBayesian` (compat only).
 */
export type AggregationMethod = 'weighted' | 'geometric' | 'harmonic' | 'minimum' | 'pierreBayesian'

const aggregationMethods = [
  'weighted',
  'geometric',
  'harmonic',
  'minimum',
  'pierreBayesian',
] as const satisfies readonly AggregationMethod[]

/** Component scores, each 0–100. */
export interface RecoveryComponentScores {
  readonly tsb: number
  readonly sleep: number
  /** Omit (or `null`) when no HRV was measured. */
  readonly hrv?: number | null | undefined
}

/** Weights of the `weighted` method; `hrv` is needed when an HRV score is present. */
export interface RecoveryWeights {
  readonly tsb: number
  readonly sleep: number
  readonly hrv?: number | undefined
}

/** Options of `recovery.aggregate`. */
export interface AggregateOptions {
  readonly method?: AggregationMethod | undefined
  /** Defaults 0.4/0.4/0.2 with HRV, 0.5/0.5 without; the weights used must sum to 1 ± 0.01. */
  readonly weights?: RecoveryWeights | undefined
  /** `pierreBayesian` only: scores below this fraction (0–1) halve the product; default 0.5. */
  readonly confidenceThreshold?: number | undefined
}

/**
 * Combines TSB, sleep and (optionally) HRV scores into one 0–100 recovery score (spec §6.7):
 * - `weighted` (default): 0.4·tsb + 0.4·sleep + 0.2·hrv, or 0.5·tsb + 0.5·sleep without HRV
 *   (the reference's configured weights), clamped to [0, 100];
 * - `geometric`: (Π x)^(1/n); `harmonic`: n/Σ(1/x), 0 when a score is 0; `minimum`: min x;
 * - `pierreBayesian` (compat): 100·Π(x/100)·Π c, c = 0.5 for each score below the confidence
 *   threshold, else 1 — not a Bayesian model and very pessimistic, kept for parity with the Pierre
 *   MCP server's `bayesian` option.
 * The weighted composite follows the Pierre reference (a product heuristic, no single publication).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a score is outside 0–100, the method is
 *   unknown, or the weights are negative, lack `hrv` while an HRV score is given, or do not sum to
 *   1 ± 0.01.
 */
export function aggregate(scores: RecoveryComponentScores, options?: AggregateOptions): number {
  checkObject(scores, 'scores')
  const tsb = checkScore(scores.tsb, 'tsb')
  const sleep = checkScore(scores.sleep, 'sleep')
  const hrv = scores.hrv === undefined || scores.hrv === null ? null : checkScore(scores.hrv, 'hrv')
  const opts = optionsOrEmpty(options)
  const method = checkOneOf(withDefault(opts.method, 'weighted'), 'method', aggregationMethods)
  const values = hrv === null ? [tsb, sleep] : [tsb, sleep, hrv]
  switch (method) {
    case 'weighted': {
      const weights = resolveWeights(opts.weights, hrv !== null)
      const sum = weights.tsb * tsb + weights.sleep * sleep + (hrv === null ? 0 : weights.hrv * hrv)
      return Math.min(100, Math.max(0, sum))
    }
    case 'geometric':
      return values.reduce((product, value) => product * value, 1) ** (1 / values.length)
    case 'harmonic':
      if (values.includes(0)) return 0
      return values.length / values.reduce((sum, value) => sum + 1 / value, 0)
    case 'minimum':
      return Math.min(...values)
    case 'pierreBayesian': {
      const threshold = checkNumber(
        withDefault(opts.confidenceThreshold, 0.5),
        'confidenceThreshold',
        { min: 0, max: 1 },
      )
      let product = 100
      for (const value of values) {
        const probability = value / 100
        product *= probability * (probability < threshold ? 0.5 : 1)
      }
      return Math.min(100, Math.max(0, product))
    }
  }
}

function resolveWeights(
  weights: RecoveryWeights | undefined,
  withHrv: boolean,
): { tsb: number; sleep: number; hrv: number } {
  if (weights === undefined) {
    return withHrv ? { tsb: 0.4, sleep: 0.4, hrv: 0.2 } : { tsb: 0.5, sleep: 0.5, hrv: 0 }
  }
  checkObject(weights, 'weights')
  if (withHrv && weights.hrv === undefined) {
    throw invalidInput('weights.hrv', 'a number from 0 to 1 when an HRV score is given', undefined)
  }
  const checked = checkWeights(
    { tsb: weights.tsb, sleep: weights.sleep, hrv: withHrv ? (weights.hrv as number) : 0 },
    withHrv ? ['tsb', 'sleep', 'hrv'] : ['tsb', 'sleep'],
  )
  return { tsb: checked.tsb, sleep: checked.sleep, hrv: checked.hrv }
}

/** What the athlete's recovery allows today (spec §6.8). */
export type TrainingReadiness = 'readyForHard' | 'readyForModerate' | 'easyOnly' | 'restNeeded'

/** Argument of `recovery.readiness`. */
export interface ReadinessCase {
  /** Overall recovery score, 0–100. */
  readonly score: number
  /** Training stress balance, TSS units. */
  readonly tsb: number
  readonly sleepCategory: ScoreCategory
  readonly hrvStatus?: HrvStatus | null | undefined
}

/** Options of `recovery.readiness`. */
export interface ReadinessOptions {
  /** TSB below which rest is needed; default −15 (the TSB score's highlyFatigued threshold). */
  readonly highlyFatiguedTsb?: number | undefined
}

const scoreCategories = ['excellent', 'good', 'fair', 'poor'] as const satisfies ScoreCategory[]
const hrvStatuses = [
  'recovered',
  'normal',
  'fatigued',
  'highlyFatigued',
] as const satisfies HrvStatus[]

/**
 * Decides training readiness (Pierre reference rules, spec §6.8):
 * `restNeeded` if tsb < −15, sleep is poor, HRV is highly fatigued or the score is below 50;
 * else `readyForHard` if score ≥ 85 and tsb ≥ 0; else `readyForModerate` if score ≥ 70; else
 * `easyOnly`. Heuristic thresholds (no single publication), TSB after Coggan's Performance Manager
 * (Allen H. & Coggan A. 2010).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when the score is outside 0–100, tsb is not
 *   finite, or a category or status is unknown.
 */
export function readiness(
  readinessCase: ReadinessCase,
  options?: ReadinessOptions,
): TrainingReadiness {
  checkObject(readinessCase, 'case')
  const score = checkScore(readinessCase.score, 'score')
  const tsb = checkNumber(readinessCase.tsb, 'tsb')
  const sleepCategory = checkOneOf(readinessCase.sleepCategory, 'sleepCategory', scoreCategories)
  const hrv =
    readinessCase.hrvStatus === undefined || readinessCase.hrvStatus === null
      ? null
      : checkOneOf(readinessCase.hrvStatus, 'hrvStatus', hrvStatuses)
  const opts = optionsOrEmpty(options)
  const restBelowTsb = checkNumber(withDefault(opts.highlyFatiguedTsb, -15), 'highlyFatiguedTsb')
  if (tsb < restBelowTsb || sleepCategory === 'poor' || hrv === 'highlyFatigued' || score < 50) {
    return 'restNeeded'
  }
  if (score >= 85 && tsb >= 0) return 'readyForHard'
  if (score >= 70) return 'readyForModerate'
  return 'easyOnly'
}

/** Arguments of `recovery.score`. */
export interface RecoveryScoreArgs {
  /** Training stress balance (CTL − ATL), TSS units. */
  readonly tsb: number
  readonly sleep: SleepInput
  readonly hrv?: HrvStatusArgs | undefined
}

/** Options of `recovery.score`. */
export interface RecoveryScoreOptions extends AggregateOptions {
  readonly sleep?: SleepQualityOptions | undefined
  readonly tsbScore?: TsbScoreOptions | undefined
}

/** Result of `recovery.score`. */
export interface RecoveryScore {
  readonly tsbScore: number
  readonly sleepScore: number
  readonly sleepCategory: ScoreCategory
  /** `null` without HRV input. */
  readonly hrvStatus: HrvStatus | null
  readonly hrvScore: number | null
  /** Aggregated recovery score, 0–100. */
  readonly overall: number
  readonly category: ScoreCategory
  readonly readiness: TrainingReadiness
  /** 2 (TSB and sleep) or 3 (with HRV). */
  readonly componentsAvailable: number
  /** The full HRV assessment; `null` without HRV input. */
  readonly hrv: HrvAssessment | null
}

/**
 * Computes the recovery score and training readiness from TSB, one night of sleep and optional HRV
 * (spec §6.8): tsbScore (§6.6), sleep quality (§6.4), HRV status (§6.5), aggregated by
 * `recovery.aggregate` (§6.7, weighted by default), category ≥ 85 excellent, ≥ 70 good, ≥ 50 fair,
 * else poor, and `recovery.readiness`. Pierre reference composite; sources as for its parts.
 *
 * @example
 * ```ts
 * recovery.score({ tsb: -5, sleep: { durationHours: 7.5, efficiencyPercent: 88 } }).readiness
 * // 'readyForModerate'
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` as the component functions do.
 */
export function score(args: RecoveryScoreArgs, options?: RecoveryScoreOptions): RecoveryScore {
  checkObject(args, 'args')
  const opts = optionsOrEmpty(options)
  const tsb = checkNumber(args.tsb, 'tsb')
  const tsbOptions = opts.tsbScore
  const tsbPoints = tsbScore(tsb, tsbOptions)
  const sleep = sleepQuality(args.sleep, opts.sleep)
  const hrv = args.hrv === undefined ? null : hrvStatus(args.hrv)
  const overall = aggregate(
    { tsb: tsbPoints, sleep: sleep.overall, hrv: hrv?.score ?? null },
    {
      method: opts.method,
      weights: opts.weights,
      confidenceThreshold: opts.confidenceThreshold,
    },
  )
  return {
    tsbScore: tsbPoints,
    sleepScore: sleep.overall,
    sleepCategory: sleep.category,
    hrvStatus: hrv?.status ?? null,
    hrvScore: hrv?.score ?? null,
    overall,
    category: scoreCategory(overall),
    readiness: readiness(
      { score: overall, tsb, sleepCategory: sleep.category, hrvStatus: hrv?.status ?? null },
      { highlyFatiguedTsb: tsbThresholds(tsbOptions).highlyFatigued },
    ),
    componentsAvailable: hrv === null ? 2 : 3,
    hrv,
  }
}

/** A primary reason to rest: recovery score < 50, tsb < −15, sleep < 6 h (spec §6.9). */
export type PrimaryRestReason = 'lowRecoveryScore' | 'deepFatigue' | 'shortSleep'

/** Why rest is recommended: a primary reason, or poor sleep efficiency as a supporting one. */
export type RestReason = PrimaryRestReason | 'poorSleepEfficiency'

/** Factors counted in the confidence of a rest recommendation. */
export type RestConfidenceFactor = PrimaryRestReason | 'hrvPresent'

/** Arguments of `recovery.restDayRecommendation`. */
export interface RestDayArgs {
  /** The recovery assessment (a `recovery.score` result or the same fields). */
  readonly recovery: Pick<RecoveryScore, 'overall' | 'readiness' | 'hrvStatus'>
  /** Last night's sleep, hours, 0–24. */
  readonly sleepHours: number
  /** Last night's sleep efficiency, percent 0–100. */
  readonly sleepEfficiencyPercent?: number | undefined
  /** Training stress balance, TSS units. */
  readonly tsb: number
}

/** Result of `recovery.restDayRecommendation`. */
export interface RestDayRecommendation {
  readonly restRecommended: boolean
  /** overall < 50, tsb < −15, sleep < 6 h, in that order. */
  readonly primaryReasons: readonly PrimaryRestReason[]
  /** Sleep efficiency < 75%. */
  readonly supportingReasons: readonly RestReason[]
  /** 25 × the number of confidence factors, 0–100. */
  readonly confidencePercent: number
  readonly confidenceFactors: readonly RestConfidenceFactor[]
  /** Hours until recovery when rest is recommended, else `null`. */
  readonly estimatedRecoveryHours: number | null
}

const readinessValues = [
  'readyForHard',
  'readyForModerate',
  'easyOnly',
  'restNeeded',
] as const satisfies TrainingReadiness[]

/**
 * Recommends a rest day or not (Pierre reference rules, spec §6.9): rest when readiness is
 * `restNeeded`. Primary reasons: overall < 50, tsb < −15, sleep < 6 h; supporting: efficiency < 75%.
 * Confidence = 25 × count(overall < 50, tsb < −15, sleep < 6 h, HRV present) percent — the reference
 * counts the mere presence of HRV even when HRV says recovered, so the factors are listed. Recovery
 * estimate when resting: 48 h if overall < 30, 24 h if < 50, else 12 h, plus 24 h if tsb < −15 or
 * 12 h if tsb < −10. Product heuristics (no single publication).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a number is out of range or the readiness
 *   or HRV status is unknown.
 */
export function restDayRecommendation(args: RestDayArgs): RestDayRecommendation {
  checkObject(args, 'args')
  checkObject(args.recovery, 'recovery')
  const overall = checkScore(args.recovery.overall, 'recovery.overall')
  const readinessValue = checkOneOf(args.recovery.readiness, 'recovery.readiness', readinessValues)
  const { hrvStatus: status } = args.recovery
  if (status !== null && status !== undefined) {
    checkOneOf(status, 'recovery.hrvStatus', hrvStatuses)
  }
  const hrvPresent = status !== null && status !== undefined
  const sleepHours = checkNumber(args.sleepHours, 'sleepHours', { min: 0, max: 24, unit: 'h' })
  const efficiency =
    args.sleepEfficiencyPercent === undefined
      ? null
      : checkNumber(args.sleepEfficiencyPercent, 'sleepEfficiencyPercent', {
          min: 0,
          max: 100,
          unit: 'percent',
        })
  const tsb = checkNumber(args.tsb, 'tsb')
  const primaryReasons: PrimaryRestReason[] = []
  if (overall < 50) primaryReasons.push('lowRecoveryScore')
  if (tsb < -15) primaryReasons.push('deepFatigue')
  if (sleepHours < 6) primaryReasons.push('shortSleep')
  const supportingReasons: RestReason[] =
    efficiency !== null && efficiency < 75 ? ['poorSleepEfficiency'] : []
  const confidenceFactors: RestConfidenceFactor[] = [...primaryReasons]
  if (hrvPresent) confidenceFactors.push('hrvPresent')
  const restRecommended = readinessValue === 'restNeeded'
  const baseHours = overall < 30 ? 48 : overall < 50 ? 24 : 12
  const fatigueHours = tsb < -15 ? 24 : tsb < -10 ? 12 : 0
  return {
    restRecommended,
    primaryReasons,
    supportingReasons,
    confidencePercent: 25 * confidenceFactors.length,
    confidenceFactors,
    estimatedRecoveryHours: restRecommended ? baseHours + fatigueHours : null,
  }
}
