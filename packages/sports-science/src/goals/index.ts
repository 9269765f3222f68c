import { distanceFeasibility, feasibility } from './feasibility.js'
import { adjustment, progress } from './progress.js'

/**
 * Goals (spec §10): feasibility of a target in a timeframe (also from recent distances), progress
 * with milestones and an on-track check, and adjustment suggestions. Dates are local `YYYY-MM-DD`
 * strings supplied by the caller. Every function is pure and throws `SportsScienceError`
 * (`INVALID_INPUT`) on bad input.
 *
 * @example
 * ```ts
 * import { goals } from '@pierre/sports-science'
 *
 * goals.feasibility({ currentLevel: 100, targetValue: 115, timeframeDays: 90 }).feasibilityScore // 90
 * ```
 */
export const goals = {
  feasibility,
  distanceFeasibility,
  progress,
  adjustment,
} as const
