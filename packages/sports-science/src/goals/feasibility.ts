import { toDayNumber } from '../internal/calendar.js'
import {
  checkFiniteResult,
  checkNumber,
  checkObject,
  invalidInput,
  withDefault,
} from '../internal/validate.js'

/** Arguments of `goals.feasibility`. */
export interface FeasibilityArgs {
  /** Current level in the goal's unit (weekly km, FTP, …), ≥ 0. */
  readonly currentLevel: number
  /** Target in the same unit, ≥ 0. */
  readonly targetValue: number
  /** Days until the target date, > 0; values above 365 count as 365. */
  readonly timeframeDays: number
  /** Improvement judged safe per 30 days, percent (0, 100]; default 10. */
  readonly safeMonthlyRatePercent?: number | undefined
}

/** Result of `goals.feasibility`. */
export interface Feasibility {
  /** 0–100. */
  readonly feasibilityScore: number
  /** 100·(target − current)/current (100 when current is 0); ≤ 0 when already met. */
  readonly improvementRequiredPercent: number
  /** safeMonthlyRatePercent × timeframeDays/30. */
  readonly safeCapacityPercent: number
  /** feasibilityScore ≥ 50. */
  readonly feasible: boolean
  /** current·(1 + safeCapacityPercent/100): what the timeframe safely allows. */
  readonly adjustedTarget: number
  /** ⌈required/safeMonthlyRate × 30⌉ days (0 when already met): the time the target safely needs. */
  readonly adjustedTimeframeDays: number
  /** Timeframe used, days (capped at 365). */
  readonly timeframeDays: number
}

const maxTimeframeDays = 365

/**
 * Judges whether a target is reachable in time (Pierre reference formula, spec §10.1):
 *
 * ```
 * required% = currentLevel > 0 ? 100·(target − current)/current : 100
 * capacity% = safeMonthlyRate × timeframeDays/30          (timeframe capped at 365 days)
 * score     = 100                                  if required ≤ 0
 *           = 100 − 20·required/capacity           if required ≤ capacity
 *           = max(0, 80 − 40·(required − capacity)/capacity)   otherwise
 * ```
 *
 * feasible = score ≥ 50. The "10% per month" safe rate is a product heuristic, not a published law
 * (it echoes the 10%-per-week running rule, itself not supported by trials: Buist I. et al. 2008 *Am J
 * Sports Med* 36:33–39); it is exposed as `safeMonthlyRatePercent`.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a level is negative or not finite, the
 *   timeframe is not positive, or the rate is outside (0, 100].
 */
export function feasibility(args: FeasibilityArgs): Feasibility {
  checkObject(args, 'args')
  const current = checkNumber(args.currentLevel, 'currentLevel', { min: 0 })
  const target = checkNumber(args.targetValue, 'targetValue', { min: 0 })
  const { days, rate } = checkTimeframe(args)
  return feasibilityOf({ current, target, days, rate })
}

/** Checks the timeframe (capped at 365 days) and the safe monthly rate. */
function checkTimeframe(args: {
  readonly timeframeDays: number
  readonly safeMonthlyRatePercent?: number | undefined
}): { days: number; rate: number } {
  const days = checkNumber(args.timeframeDays, 'timeframeDays', {
    min: 0,
    minExclusive: true,
    unit: 'days',
  })
  const rate = checkNumber(withDefault(args.safeMonthlyRatePercent, 10), 'safeMonthlyRatePercent', {
    min: 0,
    minExclusive: true,
    max: 100,
    unit: 'percent',
  })
  return { days: Math.min(days, maxTimeframeDays), rate }
}

function feasibilityOf(input: {
  current: number
  target: number
  days: number
  rate: number
}): Feasibility {
  const { current, target, days, rate } = input
  const required = checkFiniteResult(
    current > 0 ? (100 * (target - current)) / current : 100,
    'targetValue',
    target,
  )
  const capacity = (rate * days) / 30
  let score: number
  if (required <= 0) score = 100
  else if (required <= capacity) score = 100 - (20 * required) / capacity
  else score = Math.max(0, 80 - (40 * (required - capacity)) / capacity)
  const finite = (value: number): number => checkFiniteResult(value, 'targetValue', target)
  return {
    feasibilityScore: score,
    improvementRequiredPercent: required,
    safeCapacityPercent: capacity,
    feasible: score >= 50,
    adjustedTarget: finite(current * (1 + capacity / 100)),
    adjustedTimeframeDays: finite(Math.max(0, Math.ceil((required / rate) * 30))),
    timeframeDays: days,
  }
}

/** A dated distance, for `goals.distanceFeasibility`. */
export interface DatedDistance {
  /** Local date `YYYY-MM-DD`. */
  readonly date: string
  /** Distance, m, ≥ 0. */
  readonly distanceM: number
}

/** Arguments of `goals.distanceFeasibility`. */
export interface DistanceFeasibilityArgs {
  /** Recent activities whose distances project the volume. */
  readonly activities: readonly DatedDistance[]
  /** Distance to cover within the timeframe, m, > 0. */
  readonly targetDistanceM: number
  /** Days until the target date, > 0 (capped at 365). */
  readonly timeframeDays: number
  readonly safeMonthlyRatePercent?: number | undefined
}

/** Result of `goals.distanceFeasibility`. */
export interface DistanceFeasibility extends Feasibility {
  /** Σ distance × timeframeDays/(7 × trainingWeeks), m: the distance the current routine covers. */
  readonly projectedDistanceM: number
  /** max(1, spanDays/7), spanDays = last − first date + 1; 4 with fewer than 2 activities. */
  readonly trainingWeeks: number
  /** 0.9 with ≥ 20 activities, 0.7 with ≥ 10, else 0.5. */
  readonly confidenceFraction: number
  /** The projection is below half the target. */
  readonly atRisk: boolean
}

/**
 * Feasibility of a distance goal from recent training (Pierre reference, spec §10.1): the current
 * level is the projected distance Σ distance × timeframeDays/(7 × trainingWeeks) with trainingWeeks =
 * max(1, spanDays/7) (4 assumed with fewer than 2 activities), then `goals.feasibility` against the
 * target. Confidence 0.9 (≥ 20 activities), 0.7 (≥ 10), else 0.5; at risk when the projection is below
 * half the target. Product heuristics.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed date or distance, a target ≤ 0, or
 *   a bad timeframe or rate.
 */
export function distanceFeasibility(args: DistanceFeasibilityArgs): DistanceFeasibility {
  checkObject(args, 'args')
  if (!Array.isArray(args.activities)) {
    throw invalidInput('activities', 'an array of { date, distanceM }', args.activities)
  }
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  let totalM = 0
  args.activities.forEach((activity: DatedDistance, index) => {
    checkObject(activity, `activities[${index}]`)
    const day = toDayNumber(activity.date, `activities[${index}].date`)
    totalM += checkNumber(activity.distanceM, `activities[${index}].distanceM`, {
      min: 0,
      unit: 'm',
    })
    first = Math.min(first, day)
    last = Math.max(last, day)
  })
  const targetM = checkNumber(args.targetDistanceM, 'targetDistanceM', {
    min: 0,
    minExclusive: true,
    unit: 'm',
  })
  const { days, rate } = checkTimeframe(args)
  const count = args.activities.length
  const trainingWeeks = count < 2 ? 4 : Math.max(1, (last - first + 1) / 7)
  const projectedDistanceM = (totalM * days) / (7 * trainingWeeks)
  if (!Number.isFinite(projectedDistanceM)) {
    throw invalidInput('activities', 'distances small enough to give a finite projection', totalM)
  }
  return {
    ...feasibilityOf({ current: projectedDistanceM, target: targetM, days, rate }),
    projectedDistanceM,
    trainingWeeks,
    confidenceFraction: count >= 20 ? 0.9 : count >= 10 ? 0.7 : 0.5,
    atRisk: projectedDistanceM < targetM / 2,
  }
}
