import {
  checkBoolean,
  checkFiniteResult,
  checkNonNegative,
  checkNumber,
  checkObject,
  checkOptionalNumber,
  checkPositive,
  invalidInput,
  withDefault,
} from '../internal/validate.js'
import { weightKgRange } from './constants.js'

/** Arguments of `nutrition.hydration`. */
export interface HydrationArgs {
  /** Body mass, kg; 0 < weightKg ≤ 300. */
  readonly weightKg: number
  /** Session duration, min, ≥ 0; gives total volumes for the session. */
  readonly durationMin?: number | undefined
  /** True for a hot (or humid) environment: the upper half of the hourly range is used. */
  readonly hot?: boolean | undefined
  /** Body mass lost over the session, kg, ≥ 0 (see `sweatRate`); gives total recovery volumes. */
  readonly bodyMassLostKg?: number | undefined
}

/** Range of fluid to drink before exercise. */
export interface PreExerciseFluid {
  /** Lower bound, mL. */
  readonly minMl: number
  /** Upper bound, mL. */
  readonly maxMl: number
  /** When to drink it, h before the session (4). */
  readonly hoursBefore: number
}

/** Range of fluid to drink during exercise. */
export interface DuringExerciseFluid {
  /** Lower bound, L/h. */
  readonly minLPerHour: number
  /** Upper bound, L/h. */
  readonly maxLPerHour: number
  /** Lower bound for the whole session, L; `null` without durationMin. */
  readonly minL: number | null
  /** Upper bound for the whole session, L; `null` without durationMin. */
  readonly maxL: number | null
}

/** Range of fluid to drink after exercise. */
export interface PostExerciseFluid {
  /** Lower bound, L per kg of body mass lost (1.25). */
  readonly minLPerKgLost: number
  /** Upper bound, L per kg of body mass lost (1.5). */
  readonly maxLPerKgLost: number
  /** Lower bound, L; `null` without bodyMassLostKg. */
  readonly minL: number | null
  /** Upper bound, L; `null` without bodyMassLostKg. */
  readonly maxL: number | null
}

/** Result of `nutrition.hydration`. */
export interface Hydration {
  readonly pre: PreExerciseFluid
  readonly during: DuringExerciseFluid
  readonly post: PostExerciseFluid
}

const preMlPerKg = { min: 5, max: 7 } as const
const preHoursBefore = 4
const duringLPerHour = { min: 0.4, max: 0.8 } as const
const hotDuringMinLPerHour = 0.6
const postLPerKgLost = { min: 1.25, max: 1.5 } as const

/**
 * Computes fluid ranges before, during and after exercise, from the ACSM position stand on exercise
 * and fluid replacement (Sawka M.N. et al. 2007 *Med Sci Sports Exerc* 39:377–390), as adopted by the
 * product (tools spec §8.6):
 *
 * - before: 5–7 mL/kg about 4 h before (Sawka et al. add 3–5 mL/kg about 2 h before when no urine is
 *   produced or it is dark).
 * - during: 0.4–0.8 L/h, a starting point to individualise; Sawka et al. put the faster, heavier
 *   athletes in warm weather at the top of it. With `hot: true` this library returns the upper half,
 *   0.6–0.8 L/h (its own reading, not a number from the paper). Totals = rate × durationMin / 60.
 * - after: 1.25–1.5 L per kg of body mass lost (Sawka et al.: about 1.5 L/kg, the excess covering
 *   urine losses); totals when bodyMassLostKg is given.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a number is not finite or outside its
 *   range, or hot is not a boolean.
 */
export function hydration(args: HydrationArgs): Hydration {
  checkObject(args, 'args')
  const weightKg = checkNumber(args.weightKg, 'weightKg', weightKgRange)
  const durationMin = checkOptionalNumber(args.durationMin, 'durationMin', { min: 0, unit: 'min' })
  const hot = checkBoolean(withDefault(args.hot, false), 'hot')
  const bodyMassLostKg = checkOptionalNumber(args.bodyMassLostKg, 'bodyMassLostKg', {
    min: 0,
    max: weightKg,
    unit: 'kg, at most weightKg',
  })

  const minLPerHour = hot ? hotDuringMinLPerHour : duringLPerHour.min
  const maxLPerHour = duringLPerHour.max
  const hours = durationMin === undefined ? undefined : durationMin / 60
  return {
    pre: {
      minMl: preMlPerKg.min * weightKg,
      maxMl: preMlPerKg.max * weightKg,
      hoursBefore: preHoursBefore,
    },
    during: {
      minLPerHour,
      maxLPerHour,
      minL: hours === undefined ? null : minLPerHour * hours,
      maxL: hours === undefined ? null : maxLPerHour * hours,
    },
    post: {
      minLPerKgLost: postLPerKgLost.min,
      maxLPerKgLost: postLPerKgLost.max,
      minL: bodyMassLostKg === undefined ? null : postLPerKgLost.min * bodyMassLostKg,
      maxL: bodyMassLostKg === undefined ? null : postLPerKgLost.max * bodyMassLostKg,
    },
  }
}

/** Arguments of `nutrition.sweatRate`. */
export interface SweatRateArgs {
  /** Body mass before the session, kg; 0 < preWeightKg ≤ 300. */
  readonly preWeightKg: number
  /** Body mass after the session (towelled dry), kg; 0 < postWeightKg ≤ 300. */
  readonly postWeightKg: number
  /** Fluid drunk during the session, L, ≥ 0; default 0. */
  readonly fluidIntakeL?: number | undefined
  /** Urine passed during the session, L, ≥ 0; default 0. */
  readonly urineL?: number | undefined
  /** Session duration, min, > 0. */
  readonly durationMin: number
}

/** Result of `nutrition.sweatRate`. */
export interface SweatRate {
  /** Sweat lost over the session, L. */
  readonly sweatLossL: number
  /** Sweat rate, L/h. */
  readonly sweatRateLPerHour: number
  /** Body mass change as a percent of the pre-session mass (positive = lost). */
  readonly bodyMassLossPercent: number
}

/**
 * Estimates sweat loss and rate from body mass before and after a session (spec §7.8):
 * sweat loss L = preWeightKg − postWeightKg + fluidIntakeL − urineL (1 kg of mass ≈ 1 L of sweat),
 * rate L/h = loss / (durationMin / 60). Sawka M.N. et al. (2007) *Med Sci Sports Exerc* 39:377–390
 * advise keeping the body mass loss under about 2%.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a number is not finite or outside its
 *   range, or the masses and volumes give a negative sweat loss.
 */
export function sweatRate(args: SweatRateArgs): SweatRate {
  checkObject(args, 'args')
  const preWeightKg = checkNumber(args.preWeightKg, 'preWeightKg', weightKgRange)
  const postWeightKg = checkNumber(args.postWeightKg, 'postWeightKg', weightKgRange)
  const fluidIntakeL = checkNonNegative(withDefault(args.fluidIntakeL, 0), 'fluidIntakeL', 'L')
  const urineL = checkNonNegative(withDefault(args.urineL, 0), 'urineL', 'L')
  const durationMin = checkPositive(args.durationMin, 'durationMin', 'min')

  const sweatLossL = checkFiniteResult(
    preWeightKg - postWeightKg + fluidIntakeL - urineL,
    'fluidIntakeL',
    fluidIntakeL,
  )
  if (sweatLossL < 0) {
    throw invalidInput(
      'postWeightKg',
      'at most preWeightKg + fluidIntakeL − urineL (the sweat loss would be negative)',
      postWeightKg,
    )
  }
  return {
    sweatLossL,
    sweatRateLPerHour: checkFiniteResult(
      sweatLossL / (durationMin / 60),
      'durationMin',
      durationMin,
    ),
    bodyMassLossPercent: ((preWeightKg - postWeightKg) / preWeightKg) * 100,
  }
}
