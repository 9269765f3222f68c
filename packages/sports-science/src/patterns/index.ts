import { hardEasyPattern, isHard } from './intensity.js'
import { overtrainingSignals } from './overtraining.js'
import { scheduleConsistency, weeklySchedule } from './schedule.js'
import { consecutiveTrainingDays, trainingGaps } from './streaks.js'
import { volumeProgression, weeklyVolumes } from './volume.js'

/**
 * Pattern detection over a training history (spec §9): weekly schedule and its consistency,
 * hard/easy alternation, weekly volume and its progression, activity-based overtraining signals,
 * training streaks and gaps. Activities carry local start times; weeks are ISO weeks. Every function
 * is pure and throws `SportsScienceError` (`INVALID_INPUT`) on bad input.
 *
 * @example
 * ```ts
 * import { patterns } from '@pierre/sports-science'
 *
 * patterns.volumeProgression([20, 22, 26, 25]).spikeWeeks // [2]
 * patterns.scheduleConsistency([3, 0, 3, 0, 2, 0, 0]) // 34.375
 * ```
 */
export const patterns = {
  weeklySchedule,
  scheduleConsistency,
  isHard,
  hardEasyPattern,
  weeklyVolumes,
  volumeProgression,
  overtrainingSignals,
  consecutiveTrainingDays,
  trainingGaps,
} as const
