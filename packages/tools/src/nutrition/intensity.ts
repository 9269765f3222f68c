import type { Activity } from '@pierre/providers-core'

/** Workout intensity bands of `get_nutrient_timing`. */
export type WorkoutIntensity = 'low' | 'moderate' | 'high'

/** How an intensity was inferred from recent training. */
export interface IntensityInference {
  readonly intensity: WorkoutIntensity
  readonly daysBack: number
  readonly activitiesConsidered: number
  /** Training hours per calendar day over the window (total duration ÷ days). */
  readonly avgHoursPerDay: number
  /** Mean of the activities' average heart rates, bpm; null when none has one. */
  readonly avgHeartRate: number | null
}

/**
 * Infers a workout intensity from the activities of the last `daysBack` days (`specs/tools.md`
 * §2.7.2, reference rule): more than 2 h a day or a mean heart rate above 150 bpm is high; at
 * least 1 h a day or a mean heart rate of 130 bpm or more is moderate; anything else is low. With
 * no activity at all the answer is moderate.
 */
export function inferIntensity(
  activities: readonly Activity[],
  daysBack: number,
): IntensityInference {
  let seconds = 0
  let heartRateSum = 0
  let heartRateCount = 0
  for (const activity of activities) {
    seconds += activity.moving_time_seconds ?? activity.duration_seconds
    if (activity.average_heart_rate !== null && activity.average_heart_rate !== undefined) {
      heartRateSum += activity.average_heart_rate
      heartRateCount++
    }
  }
  const avgHoursPerDay = seconds / 3600 / daysBack
  const avgHeartRate = heartRateCount === 0 ? null : heartRateSum / heartRateCount
  const intensity: WorkoutIntensity =
    activities.length === 0
      ? 'moderate'
      : avgHoursPerDay > 2 || (avgHeartRate !== null && avgHeartRate > 150)
        ? 'high'
        : avgHoursPerDay >= 1 || (avgHeartRate !== null && avgHeartRate >= 130)
          ? 'moderate'
          : 'low'
  return {
    intensity,
    daysBack,
    activitiesConsidered: activities.length,
    avgHoursPerDay,
    avgHeartRate,
  }
}
