import { fromDayNumber, toDayNumber } from '../internal/calendar.js'
import {
  checkNumber,
  checkObject,
  checkOneOf,
  invalidInput,
  withDefault,
} from '../internal/validate.js'

/** Whether a larger value (distance, FTP) or a smaller one (race time, weight) is better. */
export type GoalDirection = 'higherIsBetter' | 'lowerIsBetter'

const directions = ['higherIsBetter', 'lowerIsBetter'] as const satisfies readonly GoalDirection[]

/** A goal, as `goals.progress` and `goals.adjustment` read it. */
export interface GoalDefinition {
  /** Target in the goal's unit, > 0. */
  readonly targetValue: number
  /** Local date the goal was set, `YYYY-MM-DD`. */
  readonly createdDate: string
  /** Local date the goal is due, `YYYY-MM-DD`, after `createdDate`. */
  readonly targetDate: string
  /** Default `higherIsBetter`. */
  readonly direction?: GoalDirection | undefined
  /** Starting value (lower-is-better goals measure progress from it), > 0. */
  readonly baselineValue?: number | undefined
}

/** Progress milestones, percent. */
export type GoalMilestone = 25 | 50 | 75 | 100

/** Result of `goals.progress`. */
export interface GoalProgress {
  /** 0–100; `null` when no qualifying activity gave a current value. */
  readonly percent: number | null
  readonly milestonesReached: readonly GoalMilestone[]
  /** 100·elapsedDays/totalDays, clamped to 0–100. */
  readonly expectedPercent: number
  /** percent ≥ expectedPercent − 10; `null` when percent is `null`. */
  readonly onTrack: boolean | null
  /** createdDate + ⌈elapsedDays·100/percent⌉ days; `null` when percent is `null` or 0. */
  readonly completionEstimate: string | null
  /** Days from createdDate to asOf (0 when asOf is earlier). */
  readonly elapsedDays: number
  /** Days from createdDate to targetDate. */
  readonly totalDays: number
}

/** A checked goal with day numbers. */
interface CheckedGoal {
  readonly target: number
  readonly created: number
  readonly due: number
  readonly direction: GoalDirection
  readonly baseline: number | null
}

const positive = { min: 0, minExclusive: true } as const

/** Checks a goal definition. */
function checkGoal(goal: GoalDefinition): CheckedGoal {
  checkObject(goal, 'goal')
  const target = checkNumber(goal.targetValue, 'targetValue', positive)
  const created = toDayNumber(goal.createdDate, 'createdDate')
  const due = toDayNumber(goal.targetDate, 'targetDate')
  if (due <= created) throw invalidInput('targetDate', 'a date after createdDate', goal.targetDate)
  const direction = checkOneOf(
    withDefault(goal.direction, 'higherIsBetter'),
    'direction',
    directions,
  )
  const baseline =
    goal.baselineValue === undefined
      ? null
      : checkNumber(goal.baselineValue, 'baselineValue', positive)
  if (direction === 'lowerIsBetter' && baseline !== null && baseline <= target) {
    throw invalidInput('baselineValue', `a number greater than targetValue (${target})`, baseline)
  }
  return { target, created, due, direction, baseline }
}

const milestones = [25, 50, 75, 100] as const satisfies readonly GoalMilestone[]

/**
 * Measures progress towards a goal on `asOf` (spec §10.2):
 * - higher is better: percent = clamp(100·current/target, 0, 100);
 * - lower is better (race times): with a baseline clamp(100·(baseline − current)/(baseline − target),
 *   0, 100); without, 100 when current ≤ target, else 100·target/current;
 * - `currentValue` `null` (no qualifying activity) → percent `null`, never 100.
 * Milestones at 25/50/75/100%; expected = 100·elapsed/total; on track when percent ≥ expected − 10;
 * completion estimate = created + elapsed·100/percent days. Product rules; the date is the caller's
 * (the library never reads the clock). ⚠ The reference inverts time goals (faster lowers the
 * percentage), reports 100% without any matching activity, and reads the clock.
 *
 * @param currentValue - current best in the goal's unit, ≥ 0, or `null` when there is none.
 * @param asOf - today's local date `YYYY-MM-DD`.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed goal or date, or a negative value.
 */
export function progress(
  goal: GoalDefinition,
  currentValue: number | null,
  asOf: string,
): GoalProgress {
  const checked = checkGoal(goal)
  const current =
    currentValue === null ? null : checkNumber(currentValue, 'currentValue', { min: 0 })
  const today = toDayNumber(asOf, 'asOf')
  const totalDays = checked.due - checked.created
  const elapsedDays = Math.max(0, today - checked.created)
  const percent = current === null ? null : percentOf(checked, current)
  const expectedPercent = Math.min(100, (100 * elapsedDays) / totalDays)
  return {
    percent,
    milestonesReached: percent === null ? [] : milestones.filter((mark) => percent >= mark),
    expectedPercent,
    onTrack: percent === null ? null : percent >= expectedPercent - 10,
    completionEstimate:
      percent === null || percent === 0
        ? null
        : fromDayNumber(checked.created + Math.ceil((elapsedDays * 100) / percent)),
    elapsedDays,
    totalDays,
  }
}

function percentOf(goal: CheckedGoal, current: number): number {
  const { target, baseline, direction } = goal
  let percent: number
  if (direction === 'higherIsBetter') percent = (100 * current) / target
  else if (baseline !== null) percent = (100 * (baseline - current)) / (baseline - target)
  else percent = current <= target ? 100 : (100 * target) / current
  return Math.min(100, Math.max(0, percent))
}

/** What `goals.adjustment` suggests. */
export type GoalAdjustmentAction = 'none' | 'raiseTarget' | 'lowerTarget' | 'extendDeadline'

/** Result of `goals.adjustment`. */
export interface GoalAdjustment {
  readonly action: GoalAdjustmentAction
  /** percent / (100·elapsed/total); `null` before a quarter of the time has passed or without progress. */
  readonly ratio: number | null
  /** New target for `raiseTarget`/`lowerTarget`; `null` otherwise or when it cannot be scaled. */
  readonly suggestedTarget: number | null
  /** New due date for `extendDeadline` (the completion estimate); `null` otherwise. */
  readonly suggestedTargetDate: string | null
}

/**
 * Suggests adjusting a goal (Pierre reference rules, spec §10.3). Only once a quarter of the time has
 * passed: ratio = percent/(100·elapsed/total); ratio > 1.3 → raise the target by 20%; ratio < 0.7 →
 * lower it by 20% when more than 30 days remain, else extend the deadline to the completion estimate.
 * For lower-is-better goals the 20% applies to the improvement asked (baseline − target); without a
 * baseline no new target is suggested. Product heuristics.
 *
 * @param progressResult - `goals.progress(goal, …)` for the same goal.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a malformed goal or progress.
 */
export function adjustment(goal: GoalDefinition, progressResult: GoalProgress): GoalAdjustment {
  const checked = checkGoal(goal)
  checkObject(progressResult, 'progress')
  const percent =
    progressResult.percent === null
      ? null
      : checkNumber(progressResult.percent, 'progress.percent', { min: 0, max: 100 })
  const elapsed = checkNumber(progressResult.elapsedDays, 'progress.elapsedDays', { min: 0 })
  const total = checked.due - checked.created
  const none: GoalAdjustment = {
    action: 'none',
    ratio: null,
    suggestedTarget: null,
    suggestedTargetDate: null,
  }
  const timeFraction = Math.min(1, elapsed / total)
  if (percent === null || timeFraction < 0.25) return none
  const ratio = percent / (100 * timeFraction)
  if (ratio > 1.3) {
    return { ...none, action: 'raiseTarget', ratio, suggestedTarget: scaledTarget(checked, 1.2) }
  }
  if (ratio < 0.7) {
    if (total - elapsed > 30) {
      return { ...none, action: 'lowerTarget', ratio, suggestedTarget: scaledTarget(checked, 0.8) }
    }
    const estimate =
      percent === 0 ? null : fromDayNumber(checked.created + Math.ceil((elapsed * 100) / percent))
    return { ...none, action: 'extendDeadline', ratio, suggestedTargetDate: estimate }
  }
  return { ...none, ratio }
}

function scaledTarget(goal: CheckedGoal, factor: number): number | null {
  if (goal.direction === 'higherIsBetter') return goal.target * factor
  if (goal.baseline === null) return null
  return goal.baseline - factor * (goal.baseline - goal.target)
}
