import type { NumberRange } from './validate.js'

/** Any heart rate a body can show, beats/min (spec §3.9: 20–250). */
export const heartRateRange: NumberRange = { min: 20, max: 250, unit: 'beats/min' }

/** Functional threshold power or critical power, W: > 0 and ≤ 2500 (spec §4.5). */
export const thresholdPowerRange: NumberRange = {
  min: 0,
  minExclusive: true,
  max: 2500,
  unit: 'W',
}

/** A positive duration, seconds, at most a year (longer is a unit mistake). */
export const durationSecRange: NumberRange = { min: 0, max: 366 * 86_400, unit: 's' }

/** A positive duration, minutes, at most a year. */
export const durationMinRange: NumberRange = { min: 0, max: 366 * 1440, unit: 'min' }

/** Threshold running pace, s/km: between 2:00 and 30:00 per km. */
export const thresholdPaceRange: NumberRange = { min: 120, max: 1800, unit: 's/km' }
