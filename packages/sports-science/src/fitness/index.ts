import {
  applyRecoveryAdjustment,
  combine,
  consistencyScore,
  paceImprovementPercent,
  performanceScore,
  score,
} from './score.js'

/**
 * The composite fitness score of the `calculate_fitness_score` tool (spec §11): CTL, consistency and
 * pace-based performance combined into a 0–100 score with a level and a trend, plus the optional
 * recovery adjustment. Pure functions; `SportsScienceError` (`INVALID_INPUT`) on bad input.
 *
 * @example
 * ```ts
 * import { fitness } from '@pierre/sports-science'
 *
 * fitness.combine({ ctl: 75, consistencyScore: 80, performanceScore: 60 }) // { ctlScore: 50, score: 62, level: 'Good' }
 * ```
 */
export const fitness = {
  combine,
  performanceScore,
  applyRecoveryAdjustment,
  consistencyScore,
  paceImprovementPercent,
  score,
} as const
