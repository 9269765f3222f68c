import { checkNumber, invalidInput } from '../internal/validate.js'

/** Quality bands shared by sleep quality and the recovery score (spec §6.4, §6.8). */
export type ScoreCategory = 'excellent' | 'good' | 'fair' | 'poor'

/** Band of a 0–100 score: ≥ 85 excellent, ≥ 70 good, ≥ 50 fair, else poor (reference bands). */
export function scoreCategory(score: number): ScoreCategory {
  if (score >= 85) return 'excellent'
  if (score >= 70) return 'good'
  if (score >= 50) return 'fair'
  return 'poor'
}

/** A threshold option: its field name, value and what it must exceed. */
export interface NamedThreshold {
  readonly field: string
  readonly value: number
}

/**
 * Throws `INVALID_INPUT` on the first threshold that is not greater than the one before it (or not
 * at least as large, for pairs listed in `allowEqual` by the later field's name).
 */
export function checkAscending(
  thresholds: readonly NamedThreshold[],
  allowEqual: readonly string[] = [],
): void {
  for (let index = 1; index < thresholds.length; index++) {
    const previous = thresholds[index - 1] as NamedThreshold
    const current = thresholds[index] as NamedThreshold
    const equalAllowed = allowEqual.includes(current.field)
    if (equalAllowed ? current.value < previous.value : current.value <= previous.value) {
      const relation = equalAllowed ? 'of at least' : 'greater than'
      throw invalidInput(
        current.field,
        `a number ${relation} ${previous.field} (${previous.value})`,
        current.value,
      )
    }
  }
}

/** Returns a checked 0–100 score. */
export function checkScore(value: unknown, field: string): number {
  return checkNumber(value, field, { min: 0, max: 100 })
}
