import {
  checkNonNegative,
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  optionsOrEmpty,
  withDefault,
} from '../internal/validate.js'
import { checkAscending, type ScoreCategory, scoreCategory } from './thresholds.js'

/** One night of sleep (spec §6.1). Stage hours are parts of the total sleep time. */
export interface SleepInput {
  /** Total sleep time, hours, 0–24. */
  readonly durationHours: number
  /** Deep (N3, slow-wave) sleep, hours; 0 is a real value, omit it when unknown. */
  readonly deepHours?: number | undefined
  /** REM sleep, hours. */
  readonly remHours?: number | undefined
  /** Light (N1 + N2) sleep, hours. */
  readonly lightHours?: number | undefined
  /** Time awake after sleep onset, hours (reported, not scored). */
  readonly awakeHours?: number | undefined
  /** Sleep efficiency, percent 0–100 (time asleep / time in bed). */
  readonly efficiencyPercent?: number | undefined
  /** Time in bed, hours; gives efficiency = 100·durationHours/timeInBedHours when efficiencyPercent is absent. */
  readonly timeInBedHours?: number | undefined
}

/** Thresholds of the duration score, hours; defaults follow the reference (spec §6.2). */
export interface SleepDurationThresholds {
  /** Below this a night scores under 25; default 5. */
  readonly veryShortHours?: number | undefined
  /** Default 6. */
  readonly shortHours?: number | undefined
  /** Lower end of the adult recommendation; default 7. */
  readonly adultMinHours?: number | undefined
  /** Full score from here; default 8. */
  readonly athleteOptimalHours?: number | undefined
  /** Upper end of the adult recommendation, above which long sleep loses points; default 9. */
  readonly adultMaxHours?: number | undefined
}

const durationRange = { min: 0, max: 24, unit: 'h' } as const

function durationThresholds(options: SleepDurationThresholds | undefined) {
  const opts = optionsOrEmpty(options, 'thresholds')
  const veryShort = checkNumber(withDefault(opts.veryShortHours, 5), 'veryShortHours', {
    ...durationRange,
    minExclusive: true,
  })
  const short = checkNumber(withDefault(opts.shortHours, 6), 'shortHours', durationRange)
  const adultMin = checkNumber(withDefault(opts.adultMinHours, 7), 'adultMinHours', durationRange)
  const optimal = checkNumber(
    withDefault(opts.athleteOptimalHours, 8),
    'athleteOptimalHours',
    durationRange,
  )
  const adultMax = checkNumber(withDefault(opts.adultMaxHours, 9), 'adultMaxHours', durationRange)
  checkAscending(
    [
      { field: 'veryShortHours', value: veryShort },
      { field: 'shortHours', value: short },
      { field: 'adultMinHours', value: adultMin },
      { field: 'athleteOptimalHours', value: optimal },
      { field: 'adultMaxHours', value: adultMax },
    ],
    ['adultMaxHours'],
  )
  return { veryShort, short, adultMin, optimal, adultMax }
}

/**
 * Scores sleep duration 0–100 (Pierre reference piecewise-linear score, spec §6.2; continuous):
 *
 * | hours h                 | score                       |
 * | ----------------------- | --------------------------- |
 * | 8 ≤ h ≤ 9               | 100                         |
 * | 7 ≤ h < 8               | 85 + 15·(h − 7)             |
 * | h > 9                   | 100 − min(10·(h − 9), 30)   |
 * | 6 ≤ h < 7               | 50 + 35·(h − 6)             |
 * | 5 ≤ h < 6               | 25 + 25·(h − 5)             |
 * | h < 5                   | 25·h/5                      |
 *
 * (knots configurable). Basis: 7–9 h for adults, National Sleep Foundation (Hirshkowitz M. et al.
 * 2015 *Sleep Health* 1:40–43); ≥ 7 h, AASM/SRS (Watson N.F. et al. 2015 *Sleep* 38:843–844);
 * athletes are advised more (Walsh N.P. et al. 2021 *Br J Sports Med* 55:356–368).
 *
 * @param hours - total sleep time, 0–24 h.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when hours is outside 0–24 or the thresholds
 *   are not ascending (veryShort < short < adultMin < athleteOptimal ≤ adultMax).
 */
export function sleepDurationScore(hours: number, thresholds?: SleepDurationThresholds): number {
  const h = checkNumber(hours, 'hours', durationRange)
  const { veryShort, short, adultMin, optimal, adultMax } = durationThresholds(thresholds)
  if (h > adultMax) return 100 - Math.min(10 * (h - adultMax), 30)
  if (h >= optimal) return 100
  if (h >= adultMin) return 85 + (15 * (h - adultMin)) / (optimal - adultMin)
  if (h >= short) return 50 + (35 * (h - short)) / (adultMin - short)
  if (h >= veryShort) return 25 + (25 * (h - veryShort)) / (short - veryShort)
  return (25 * h) / veryShort
}

/** Thresholds of the efficiency score, percent (spec §6.4). */
export interface SleepEfficiencyThresholds {
  /** Full score from here; default 90. */
  readonly excellentPercent?: number | undefined
  /** Default 85 (the usual "good sleep" threshold). */
  readonly goodPercent?: number | undefined
  /** Centre of the 40–60 band (poor ± 5); default 70. */
  readonly poorPercent?: number | undefined
}

const percentRange = { min: 0, max: 100, unit: 'percent' } as const

/**
 * Scores sleep efficiency 0–100 (Pierre reference, thresholds excellent 90, good 85, poor 70; spec
 * §6.4; continuous):
 *
 * | efficiency e   | score                     |
 * | -------------- | ------------------------- |
 * | e ≥ 90         | 100                       |
 * | 85 ≤ e < 90    | 80 + 20·(e − 85)/5        |
 * | 75 ≤ e < 85    | 60 + 20·(e − 75)/10       |
 * | 65 ≤ e < 75    | 40 + 20·(e − 65)/10       |
 * | e < 65         | 40·e/65                   |
 *
 * (75 and 65 are poor ± 5). Basis: efficiency ≥ 85% is the usual "good" threshold (Ohayon M. et al.
 * 2017 *Sleep Health* 3:6–19).
 *
 * @param percent - sleep efficiency, 0–100.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when percent is outside 0–100 or the thresholds
 *   are out of order (5 < poor − 5, poor + 5 < good < excellent ≤ 100).
 */
export function sleepEfficiencyScore(
  percent: number,
  thresholds?: SleepEfficiencyThresholds,
): number {
  const e = checkNumber(percent, 'percent', percentRange)
  const opts = optionsOrEmpty(thresholds, 'thresholds')
  const excellent = checkNumber(
    withDefault(opts.excellentPercent, 90),
    'excellentPercent',
    percentRange,
  )
  const good = checkNumber(withDefault(opts.goodPercent, 85), 'goodPercent', percentRange)
  const poor = checkNumber(withDefault(opts.poorPercent, 70), 'poorPercent', {
    min: 5,
    minExclusive: true,
    max: 95,
    unit: 'percent',
  })
  checkAscending([
    { field: 'poorPercent', value: poor + 5 },
    { field: 'goodPercent', value: good },
    { field: 'excellentPercent', value: excellent },
  ])
  const upperFair = poor + 5
  const lowerFair = poor - 5
  if (e >= excellent) return 100
  if (e >= good) return 80 + (20 * (e - good)) / (excellent - good)
  if (e >= upperFair) return 60 + (20 * (e - upperFair)) / (good - upperFair)
  if (e >= lowerFair) return 40 + (20 * (e - lowerFair)) / (upperFair - lowerFair)
  return (40 * e) / lowerFair
}

/** A target band of a sleep stage, percent of total sleep time. */
export interface StageRange {
  readonly minPercent: number
  readonly maxPercent: number
}

/** Target bands of the stage score (spec §6.3). */
export interface SleepStageRanges {
  /** Default 15–25%. */
  readonly deep?: StageRange | undefined
  /** Default 20–30%. */
  readonly rem?: StageRange | undefined
  /** Default 45–55%. */
  readonly light?: StageRange | undefined
}

/** Arguments of `recovery.sleepStageScore`. */
export interface SleepStageArgs {
  /** Total sleep time, hours, > 0. */
  readonly totalHours: number
  /** Deep sleep, hours (0 ≤ deepHours ≤ totalHours); the score is `null` when it is omitted. */
  readonly deepHours?: number | undefined
  readonly remHours?: number | undefined
  readonly lightHours?: number | undefined
}

function stageRange(
  range: StageRange | undefined,
  field: string,
  fallback: StageRange,
): StageRange {
  if (range === undefined) return fallback
  checkObject(range, field)
  const minPercent = checkNumber(range.minPercent, `${field}.minPercent`, {
    ...percentRange,
    min: 0,
    minExclusive: true,
  })
  const maxPercent = checkNumber(range.maxPercent, `${field}.maxPercent`, percentRange)
  checkAscending(
    [
      { field: `${field}.minPercent`, value: minPercent },
      { field: `${field}.maxPercent`, value: maxPercent },
    ],
    [`${field}.maxPercent`],
  )
  return { minPercent, maxPercent }
}

/** Points for a deep or REM share p: 33.3 inside the band, proportional below, −0.5/point above. */
function stagePart(percent: number, range: StageRange): number {
  if (percent < range.minPercent) return (33.3 * percent) / range.minPercent
  if (percent > range.maxPercent) return 33.3 - Math.min(0.5 * (percent - range.maxPercent), 20)
  return 33.3
}

/** Points for the light share: 33.4 inside the band, −0.5 per point outside, floor 0. */
function lightPart(percent: number, range: StageRange): number {
  const distance =
    percent < range.minPercent
      ? range.minPercent - percent
      : percent > range.maxPercent
        ? percent - range.maxPercent
        : 0
  return Math.max(0, 33.4 - 0.5 * distance)
}

function resolvedStageRanges(ranges: SleepStageRanges | undefined) {
  const opts = optionsOrEmpty(ranges, 'ranges')
  return {
    deep: stageRange(opts.deep, 'deep', { minPercent: 15, maxPercent: 25 }),
    rem: stageRange(opts.rem, 'rem', { minPercent: 20, maxPercent: 30 }),
    light: stageRange(opts.light, 'light', { minPercent: 45, maxPercent: 55 }),
  }
}

function stageScoreOf(
  totalHours: number,
  stages: { deep: number | undefined; rem: number | undefined; light: number | undefined },
  ranges: ReturnType<typeof resolvedStageRanges>,
): number | null {
  const { deep, rem, light } = stages
  if (deep === undefined || rem === undefined || light === undefined || totalHours === 0)
    return null
  return (
    stagePart((100 * deep) / totalHours, ranges.deep) +
    stagePart((100 * rem) / totalHours, ranges.rem) +
    lightPart((100 * light) / totalHours, ranges.light)
  )
}

function stageHours(
  value: number | undefined,
  field: string,
  totalHours: number,
): number | undefined {
  if (value === undefined) return undefined
  return checkNumber(value, field, {
    min: 0,
    max: totalHours,
    unit: 'h, at most the total sleep time',
  })
}

/**
 * Scores the sleep-stage mix 0–100 from the shares of total sleep time (Pierre reference, spec
 * §6.3): deep and REM each give 33.3 points inside their band (15–25%, 20–30%), 33.3·p/min below it
 * and 33.3 − min(0.5·(p − max), 20) above it; light gives 33.4 inside 45–55% and loses 0.5 per
 * percentage point outside, floor 0. Stage norms from polysomnography (Ohayon M. et al. 2004 *Sleep*
 * 27:1255–1273). Deep sleep falls with age, so the fixed 15% floor penalises older athletes, and
 * consumer wearables estimate stages far less accurately than polysomnography.
 *
 * @returns the score, or `null` when deep, REM or light sleep is missing (0 hours is not missing).
 * @throws {@link SportsScienceError} `INVALID_INPUT` when totalHours is not in (0, 24], a stage is
 *   negative or longer than totalHours, or a band is malformed.
 */
export function sleepStageScore(args: SleepStageArgs, ranges?: SleepStageRanges): number | null {
  checkObject(args, 'args')
  const totalHours = checkNumber(args.totalHours, 'totalHours', {
    ...durationRange,
    minExclusive: true,
  })
  const stages = {
    deep: stageHours(args.deepHours, 'deepHours', totalHours),
    rem: stageHours(args.remHours, 'remHours', totalHours),
    light: stageHours(args.lightHours, 'lightHours', totalHours),
  }
  return stageScoreOf(totalHours, stages, resolvedStageRanges(ranges))
}

/**
 * How `recovery.sleepQuality` treats a missing component: `renormalize` (default) drops it and
 * rescales the remaining weights to sum to 1; `neutral50` (Pierre compat) scores it 50.
 */
export type MissingComponentRule = 'renormalize' | 'neutral50'

const missingRules = ['renormalize', 'neutral50'] as const satisfies readonly MissingComponentRule[]

/** Weights of the sleep-quality components; defaults 0.40 / 0.35 / 0.25. */
export interface SleepQualityWeights {
  readonly duration: number
  readonly stages: number
  readonly efficiency: number
}

/** Options of `recovery.sleepQuality`. */
export interface SleepQualityOptions {
  readonly missing?: MissingComponentRule | undefined
  /** Component weights, each ≥ 0, summing to 1 ± 0.01 (lower `stages` for wearable estimates). */
  readonly weights?: SleepQualityWeights | undefined
  readonly durationThresholds?: SleepDurationThresholds | undefined
  readonly efficiencyThresholds?: SleepEfficiencyThresholds | undefined
  readonly stageRanges?: SleepStageRanges | undefined
}

/** Result of `recovery.sleepQuality`. */
export interface SleepQuality {
  /** Composite score, 0–100. */
  readonly overall: number
  readonly durationScore: number
  /** `null` when a stage is missing or no sleep was recorded. */
  readonly stageScore: number | null
  /** `null` when neither efficiency nor time in bed is known. */
  readonly efficiencyScore: number | null
  readonly category: ScoreCategory
  /** Sleep efficiency used, percent (given or derived from time in bed); `null` when unknown. */
  readonly efficiencyPercent: number | null
  /** Caveats that apply to this result (stage scoring), in plain words. */
  readonly caveats: readonly string[]
}

const stageCaveats = [
  'deep sleep declines with age, so the fixed deep-sleep band penalises older athletes',
  'consumer wearables estimate sleep stages much less accurately than polysomnography',
] as const

/** Checks optional component weights (each ≥ 0, sum 1 ± 0.01). */
export function checkWeights<TKey extends string>(
  weights: Readonly<Record<TKey, number>>,
  keys: readonly TKey[],
): Readonly<Record<TKey, number>> {
  checkObject(weights, 'weights')
  let sum = 0
  for (const key of keys) sum += checkNumber(weights[key], `weights.${key}`, { min: 0, max: 1 })
  if (Math.abs(sum - 1) > 0.01) {
    throw invalidInput('weights', `weights (${keys.join(', ')}) summing to 1 ± 0.01`, sum)
  }
  return weights
}

/**
 * Scores one night 0–100 from duration, stages and efficiency (Pierre reference composite, spec
 * §6.4): overall = 0.40·duration + 0.35·stages + 0.25·efficiency, each component from
 * `sleepDurationScore`, `sleepStageScore` and `sleepEfficiencyScore`. Efficiency is taken from
 * `efficiencyPercent`, else 100·durationHours/timeInBedHours. A missing component is dropped and the
 * other weights rescaled (`renormalize`, default) or scored 50 (`neutral50`, compat). Category:
 * ≥ 85 excellent, ≥ 70 good, ≥ 50 fair, else poor. Sources as for the component scores (Hirshkowitz
 * 2015; Ohayon 2004, 2017).
 *
 * @example
 * ```ts
 * recovery.sleepQuality({ durationHours: 7.5, deepHours: 1.5, remHours: 1.8, lightHours: 3.9, efficiencyPercent: 88 })
 * // { overall: 95, durationScore: 92.5, stageScore: 100, efficiencyScore: 92, category: 'excellent', … }
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a duration is outside 0–24 h, a stage is
 *   longer than the night, efficiency is above 100% (also when derived from a time in bed shorter
 *   than the sleep), or an option is invalid.
 */
export function sleepQuality(sleep: SleepInput, options?: SleepQualityOptions): SleepQuality {
  checkObject(sleep, 'sleep')
  const opts = optionsOrEmpty(options)
  const missing = checkOneOf(withDefault(opts.missing, 'renormalize'), 'missing', missingRules)
  const weights =
    opts.weights === undefined
      ? { duration: 0.4, stages: 0.35, efficiency: 0.25 }
      : checkWeights(opts.weights, ['duration', 'stages', 'efficiency'])
  const durationHours = checkNumber(sleep.durationHours, 'durationHours', durationRange)
  if (sleep.awakeHours !== undefined) checkNonNegative(sleep.awakeHours, 'awakeHours', 'h')
  const efficiencyPercent = efficiencyOf(sleep, durationHours)
  const durationScore = sleepDurationScore(durationHours, opts.durationThresholds)
  const stages = {
    deep: stageHours(sleep.deepHours, 'deepHours', durationHours),
    rem: stageHours(sleep.remHours, 'remHours', durationHours),
    light: stageHours(sleep.lightHours, 'lightHours', durationHours),
  }
  const stageScore = stageScoreOf(durationHours, stages, resolvedStageRanges(opts.stageRanges))
  const efficiencyScore =
    efficiencyPercent === null
      ? null
      : sleepEfficiencyScore(efficiencyPercent, opts.efficiencyThresholds)
  const parts: [number, number | null][] = [
    [weights.duration, durationScore],
    [weights.stages, stageScore],
    [weights.efficiency, efficiencyScore],
  ]
  let weighted = 0
  let weightSum = 0
  for (const [weight, score] of parts) {
    if (score === null && missing === 'renormalize') continue
    weighted += weight * (score ?? 50)
    weightSum += weight
  }
  const overall = weightSum === 0 ? durationScore : Math.min(100, Math.max(0, weighted / weightSum))
  return {
    overall,
    durationScore,
    stageScore,
    efficiencyScore,
    category: scoreCategory(overall),
    efficiencyPercent,
    caveats: stageScore === null ? [] : stageCaveats,
  }
}

function efficiencyOf(sleep: SleepInput, durationHours: number): number | null {
  if (sleep.efficiencyPercent !== undefined) {
    return checkNumber(sleep.efficiencyPercent, 'efficiencyPercent', percentRange)
  }
  if (sleep.timeInBedHours === undefined) return null
  const inBed = checkNumber(sleep.timeInBedHours, 'timeInBedHours', {
    min: durationHours,
    max: 24,
    minExclusive: durationHours === 0,
    unit: 'h, at least durationHours',
  })
  return (100 * durationHours) / inBed
}
