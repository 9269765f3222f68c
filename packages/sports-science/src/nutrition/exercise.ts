import {
  checkFiniteResult,
  checkNonNegative,
  checkNumber,
  checkObject,
  checkOneOf,
} from '../internal/validate.js'
import { type Sex, sexes } from '../types.js'
import { ageYearsRange, weightKgRange } from './constants.js'

/** Arguments of `nutrition.exerciseKcalFromPower`. */
export interface ExerciseKcalFromPowerArgs {
  /** Mean mechanical power over the session, watts, ≥ 0 (zeros included). */
  readonly averagePower: number
  /** Session duration, s, ≥ 0. */
  readonly durationSec: number
}

/**
 * Estimates the metabolic energy of a cycling session from its mechanical work, kcal:
 * kcal ≈ work in kJ = averagePower × durationSec / 1000 (spec §7.8).
 *
 * The 1:1 rule works because human gross efficiency (about 20–25%) nearly cancels the
 * 4.184 kJ/kcal conversion: at 23.9% efficiency the two are exactly equal.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when averagePower or durationSec is negative or
 *   not finite.
 */
export function exerciseKcalFromPower(args: ExerciseKcalFromPowerArgs): number {
  checkObject(args, 'args')
  const averagePower = checkNonNegative(args.averagePower, 'averagePower', 'W')
  const durationSec = checkNonNegative(args.durationSec, 'durationSec', 's')
  return checkFiniteResult((averagePower * durationSec) / 1000, 'durationSec', durationSec)
}

/** Arguments of `nutrition.exerciseKcalFromHeartRate`. */
export interface ExerciseKcalFromHeartRateArgs {
  /** Mean heart rate over the session, beats/min; 0 < averageHr ≤ 250 (equation fitted on ~90–150). */
  readonly averageHr: number
  /** Body mass, kg; 0 < weightKg ≤ 300. */
  readonly weightKg: number
  /** Age, years; 10 ≤ ageYears ≤ 120. */
  readonly ageYears: number
  readonly sex: Sex
  /** Session duration, min, ≥ 0. */
  readonly durationMin: number
}

const kjPerKcal = 4.184

/**
 * Estimates the energy of a steady session from heart rate, kcal, with the equation of Keytel L.R.
 * et al. (2005) *J Sports Sci* 23:289–297 (without VO2max), spec §7.8. Energy rate in kJ/min:
 *
 * - men: −55.0969 + 0.6309·HR + 0.1988·W + 0.2017·A
 * - women: −20.4022 + 0.4472·HR − 0.1263·W + 0.074·A
 *
 * kcal = max(0, rate) × durationMin / 4.184. Valid for steady exercise at roughly 90–150 beats/min;
 * at low heart rates the equation can turn negative, which is reported as 0 kcal.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a number is not finite or outside its
 *   range, or sex is unknown.
 */
export function exerciseKcalFromHeartRate(args: ExerciseKcalFromHeartRateArgs): number {
  checkObject(args, 'args')
  const averageHr = checkNumber(args.averageHr, 'averageHr', {
    min: 0,
    minExclusive: true,
    max: 250,
    unit: 'beats/min',
  })
  const weightKg = checkNumber(args.weightKg, 'weightKg', weightKgRange)
  const ageYears = checkNumber(args.ageYears, 'ageYears', ageYearsRange)
  const sex = checkOneOf(args.sex, 'sex', sexes)
  const durationMin = checkNonNegative(args.durationMin, 'durationMin', 'min')
  const kjPerMin =
    sex === 'male'
      ? -55.0969 + 0.6309 * averageHr + 0.1988 * weightKg + 0.2017 * ageYears
      : -20.4022 + 0.4472 * averageHr - 0.1263 * weightKg + 0.074 * ageYears
  return checkFiniteResult(
    (Math.max(0, kjPerMin) * durationMin) / kjPerKcal,
    'durationMin',
    durationMin,
  )
}
