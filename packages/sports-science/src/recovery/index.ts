import { bedtime, sleepDebt, sleepTarget, sleepTrend } from './advice.js'
import { aggregate, readiness, restDayRecommendation, score } from './aggregate.js'
import { hrvLnStatus, hrvStatus } from './hrv.js'
import { sleepDurationScore, sleepEfficiencyScore, sleepQuality, sleepStageScore } from './sleep.js'
import { tsbScore } from './tsb.js'

/**
 * Sleep and recovery (spec §6): sleep duration, stage and efficiency scores and their composite,
 * HRV status (reference rules and the ln rMSSD baseline method), TSB score, aggregation into a
 * recovery score, training readiness, rest-day advice, sleep target, bedtime, sleep trend and sleep
 * debt. Every function is pure and throws `SportsScienceError` (`INVALID_INPUT`) on bad input.
 *
 * @example
 * ```ts
 * import { recovery } from '@pierre/sports-science'
 *
 * recovery.sleepDurationScore(7.5) // 92.5
 * recovery.tsbScore(-5) // 72.5
 * ```
 */
export const recovery = {
  sleepDurationScore,
  sleepEfficiencyScore,
  sleepStageScore,
  sleepQuality,
  tsbScore,
  hrvStatus,
  hrvLnStatus,
  aggregate,
  readiness,
  score,
  restDayRecommendation,
  sleepTarget,
  bedtime,
  sleepTrend,
  sleepDebt,
} as const
