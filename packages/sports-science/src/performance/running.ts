import {
  checkNumber,
  checkObject,
  invalidInput,
  type NumberRange,
  withDefault,
} from '../internal/validate.js'

// Daniels & Gilbert (1979) regression constants.
const vo2Intercept = -4.6
const vo2Linear = 0.182258
const vo2Quadratic = 0.000104

/** Oxygen cost of running at v m/min, ml·kg⁻¹·min⁻¹ (Daniels & Gilbert 1979). */
function vo2Cost(velocityMPerMin: number): number {
  return vo2Intercept + vo2Linear * velocityMPerMin + vo2Quadratic * velocityMPerMin ** 2
}

/** Fraction of VO2max sustainable for t minutes (Daniels & Gilbert 1979). */
function sustainableFraction(minutes: number): number {
  return (
    0.8 + 0.1894393 * Math.exp(-0.012778 * minutes) + 0.2989558 * Math.exp(-0.1932605 * minutes)
  )
}

const raceDistanceRange: NumberRange = { min: 0, minExclusive: true, max: 1_000_000, unit: 'm' }
const raceTimeRange: NumberRange = { min: 0, minExclusive: true, max: 30 * 86_400, unit: 's' }
const velocityRange = { min: 100, max: 500 } as const
/** VDOT accepted by the inverse functions (spec §4.2). */
const vdotRange: NumberRange = { min: 20, max: 90 }
/** The range of the published VDOT tables. */
const vdotTableRange = { min: 30, max: 85 } as const

/** Result of `performance.vdotDetails`. */
export interface VdotDetails {
  /** VDOT, ml·kg⁻¹·min⁻¹ (a running-specific pseudo-VO2max). */
  readonly vdot: number
  /** Race velocity, m/min. */
  readonly velocityMPerMin: number
  /** Oxygen cost of that velocity, ml·kg⁻¹·min⁻¹. */
  readonly vo2Cost: number
  /** Fraction of VO2max sustainable for the race duration. */
  readonly fractionOfVo2max: number
  /** True when 30 ≤ VDOT ≤ 85, the range of the published tables. */
  readonly inTableRange: boolean
  /** True when the race lasted under 3.5 or over 300 min, or its distance is outside 1500–42195 m. */
  readonly extrapolated: boolean
}

/**
 * Computes VDOT from a race with its intermediate quantities (spec §4.1):
 * ```
 * t = timeSec / 60 (min),  v = distanceM / t (m/min)
 * VO2(v) = −4.60 + 0.182258·v + 0.000104·v²
 * F(t)   = 0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t)
 * VDOT   = VO2(v) / F(t)
 * ```
 * Source: Daniels J. & Gilbert J. (1979) *Oxygen Power*; Daniels J. (2014) *Daniels' Running
 * Formula*, 3rd ed. (the published tables agree with these equations to within 0.25 %).
 *
 * @param distanceM - race distance, m, > 0.
 * @param timeSec - race time, s, > 0.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when distance or time is ≤ 0 or the velocity
 *   is outside 100–500 m/min.
 */
export function vdotDetails(distanceM: number, timeSec: number): VdotDetails {
  const distance = checkNumber(distanceM, 'distanceM', raceDistanceRange)
  const seconds = checkNumber(timeSec, 'timeSec', raceTimeRange)
  const minutes = seconds / 60
  const velocity = distance / minutes
  if (velocity < velocityRange.min || velocity > velocityRange.max) {
    throw invalidInput(
      'timeSec',
      `a race time giving a velocity from 100 to 500 m/min over ${distance} m`,
      timeSec,
    )
  }
  const cost = vo2Cost(velocity)
  const fraction = sustainableFraction(minutes)
  const vdot = cost / fraction
  return {
    vdot,
    velocityMPerMin: velocity,
    vo2Cost: cost,
    fractionOfVo2max: fraction,
    inTableRange: vdot >= vdotTableRange.min && vdot <= vdotTableRange.max,
    extrapolated: isExtrapolatedRace(distance, minutes),
  }
}

function isExtrapolatedRace(distanceM: number, minutes: number): boolean {
  return minutes < 3.5 || minutes > 300 || distanceM < 1500 || distanceM > 42_195
}

/**
 * Computes VDOT from a race, ml·kg⁻¹·min⁻¹: `VO2(v) / F(t)` with the Daniels–Gilbert equations
 * (see {@link vdotDetails}; spec §4.1). Source: Daniels J. & Gilbert J. (1979) *Oxygen Power*.
 *
 * @param distanceM - race distance, m, > 0.
 * @param timeSec - race time, s, > 0.
 * @example
 * ```ts
 * performance.vdotFromRace(5000, 1200) // 49.81
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` as {@link vdotDetails}.
 */
export function vdotFromRace(distanceM: number, timeSec: number): number {
  return vdotDetails(distanceM, timeSec).vdot
}

/** Result of `performance.raceTimeDetails`. */
export interface RaceTimeDetails {
  /** Predicted race time, s. */
  readonly timeSec: number
  /** Race velocity, m/min. */
  readonly velocityMPerMin: number
  /** True when VDOT is outside 30–85, or the race outside 3.5–300 min or 1500–42195 m. */
  readonly extrapolated: boolean
}

const minMinutes = 0.5
const maxMinutes = 5000

/**
 * Predicts the race time for a VDOT and distance with its velocity and an `extrapolated` flag
 * (spec §4.2): solves `VO2(d/t) / F(t) = vdot` for t with the Daniels–Gilbert equations of
 * {@link vdotDetails}. The left side falls strictly with t, so bisection on [0.5, 5000] min converges
 * to the last representable bit. Source: Daniels J. & Gilbert J. (1979) *Oxygen Power*.
 *
 * @param vdot - 20–90.
 * @param distanceM - race distance, m, > 0.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when vdot is outside 20–90 or no race time
 *   between 0.5 and 5000 min, at 100–500 m/min, matches it.
 */
export function raceTimeDetails(vdot: number, distanceM: number): RaceTimeDetails {
  const target = checkNumber(vdot, 'vdot', vdotRange)
  const distance = checkNumber(distanceM, 'distanceM', raceDistanceRange)
  const vdotAt = (minutes: number): number =>
    vo2Cost(distance / minutes) / sustainableFraction(minutes)
  let low = minMinutes
  let high = maxMinutes
  if (!(vdotAt(low) >= target && vdotAt(high) <= target)) {
    throw invalidInput(
      'distanceM',
      `a distance a VDOT of ${target} can race in 0.5–5000 min`,
      distanceM,
    )
  }
  while (true) {
    const middle = (low + high) / 2
    if (middle <= low || middle >= high) break
    if (vdotAt(middle) >= target) low = middle
    else high = middle
  }
  // Take whichever end of the final bracket lands closer to the target VDOT.
  const minutes = Math.abs(vdotAt(low) - target) <= Math.abs(vdotAt(high) - target) ? low : high
  const velocity = distance / minutes
  if (velocity < velocityRange.min || velocity > velocityRange.max) {
    throw invalidInput(
      'distanceM',
      `a distance a VDOT of ${target} runs at 100–500 m/min`,
      distanceM,
    )
  }
  return {
    timeSec: minutes * 60,
    velocityMPerMin: velocity,
    extrapolated:
      target < vdotTableRange.min ||
      target > vdotTableRange.max ||
      isExtrapolatedRace(distance, minutes),
  }
}

/**
 * Predicts the race time, s, for a VDOT and a distance by solving the Daniels–Gilbert equations
 * (see {@link raceTimeDetails}; spec §4.2). Source: Daniels J. & Gilbert J. (1979).
 *
 * @param vdot - 20–90.
 * @param distanceM - race distance, m, > 0.
 * @example
 * ```ts
 * performance.raceTimeFromVdot(50, 42195) // ≈ 11439.7 (3:10:40)
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` as {@link raceTimeDetails}.
 */
export function raceTimeFromVdot(vdot: number, distanceM: number): number {
  return raceTimeDetails(vdot, distanceM).timeSec
}

/**
 * Predicts the time, s, over `targetDistanceM` equivalent to a race result:
 * `raceTimeFromVdot(vdotFromRace(distanceM, timeSec), targetDistanceM)` (spec §4.2). Source:
 * Daniels J. & Gilbert J. (1979) *Oxygen Power*.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when an input is invalid or the race's VDOT is
 *   outside 20–90.
 */
export function equivalentRaceTime(
  distanceM: number,
  timeSec: number,
  targetDistanceM: number,
): number {
  const vdot = vdotFromRace(distanceM, timeSec)
  if (vdot < (vdotRange.min as number) || vdot > (vdotRange.max as number)) {
    throw invalidInput('timeSec', 'a race time giving a VDOT from 20 to 90', timeSec)
  }
  return raceTimeFromVdot(vdot, targetDistanceM)
}

const exponentRange: NumberRange = { min: 1, minExclusive: true, max: 1.2 }

/**
 * Predicts a race time, s, with Riegel's power law: `knownTimeSec × (targetDistanceM /
 * knownDistanceM)^exponent`, exponent default 1.06 (spec §4.3). Recreational data (Vickers &
 * Vertosick 2016) suggest 1.07–1.08 for marathons predicted from short races. Source: Riegel P.S.
 * (1981) *American Scientist* 69:285–290.
 *
 * @param exponent - in (1, 1.2]; default 1.06.
 * @example
 * ```ts
 * performance.riegel(21097.5, 5400, 42195) // 11258.63
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a distance or time is ≤ 0 or the exponent
 *   is outside (1, 1.2].
 */
// biome-ignore lint/complexity/useMaxParams: spec §13.1 fixes this positional signature
export function riegel(
  knownDistanceM: number,
  knownTimeSec: number,
  targetDistanceM: number,
  exponent = 1.06,
): number {
  return riegelDetails({ knownDistanceM, knownTimeSec, targetDistanceM, exponent }).timeSec
}

/** Arguments of `performance.riegelDetails`. */
export interface RiegelArgs {
  /** Distance of the known performance, m, > 0. */
  readonly knownDistanceM: number
  /** Time of the known performance, s, > 0. */
  readonly knownTimeSec: number
  /** Distance to predict, m, > 0. */
  readonly targetDistanceM: number
  /** In (1, 1.2]; default 1.06. */
  readonly exponent?: number | undefined
}

/** Result of `performance.riegelDetails`. */
export interface RiegelDetails {
  /** Predicted time, s. */
  readonly timeSec: number
  /** True when the known or predicted effort lies outside 3.5–230 min, Riegel's range. */
  readonly extrapolated: boolean
}

/**
 * Predicts a race time with Riegel's law and says whether the prediction is extrapolated: Riegel
 * described the relation for efforts of about 3.5–230 min (spec §4.3). Formula as {@link riegel}.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` as {@link riegel}.
 */
export function riegelDetails(args: RiegelArgs): RiegelDetails {
  checkObject(args, 'args')
  const knownDistance = checkNumber(args.knownDistanceM, 'knownDistanceM', raceDistanceRange)
  const knownTime = checkNumber(args.knownTimeSec, 'knownTimeSec', raceTimeRange)
  const target = checkNumber(args.targetDistanceM, 'targetDistanceM', raceDistanceRange)
  const exponent = checkNumber(withDefault(args.exponent, 1.06), 'exponent', exponentRange)
  const timeSec = knownTime * (target / knownDistance) ** exponent
  const outside = (seconds: number): boolean => seconds < 3.5 * 60 || seconds > 230 * 60
  return { timeSec, extrapolated: outside(knownTime) || outside(timeSec) }
}

/**
 * Computes the velocity at VO2max, m/min: the positive root of
 * `0.000104·v² + 0.182258·v − (vdot + 4.60) = 0` (spec §4.4), evaluated as
 * `2c / (b + √(b² + 4ac))` to avoid cancellation. Source: Daniels J. & Gilbert J. (1979).
 *
 * @param vdot - 20–90.
 * @example
 * ```ts
 * performance.vVo2max(50) // 260.77
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when vdot is outside 20–90.
 */
export function vVo2max(vdot: number): number {
  return velocityAtVo2(checkNumber(vdot, 'vdot', vdotRange))
}

/** Velocity, m/min, whose oxygen cost is `vo2` (inverse of the Daniels–Gilbert cost). */
function velocityAtVo2(vo2: number): number {
  const c = vo2 - vo2Intercept
  return (2 * c) / (vo2Linear + Math.sqrt(vo2Linear ** 2 + 4 * vo2Quadratic * c))
}

/** Daniels training paces, s/km. */
export interface DanielsPaces {
  /** Slow end of easy running: velocity at 59 % of VDOT. */
  readonly easySlowSecPerKm: number
  /** Fast end of easy running: 74 % of VDOT. */
  readonly easyFastSecPerKm: number
  /** Marathon race pace for this VDOT. */
  readonly marathonSecPerKm: number
  /** Threshold pace: 88 % of VDOT. */
  readonly thresholdSecPerKm: number
  /** Interval pace: 97.5 % of VDOT. */
  readonly intervalSecPerKm: number
  /** Repetition pace: current mile race pace. */
  readonly repetitionSecPerKm: number
}

/**
 * Computes Daniels' training paces, s/km (spec §4.4): easy at the velocities whose oxygen cost is
 * 59 % and 74 % of VDOT, threshold 88 %, interval 97.5 % (velocity from the cost equation's root,
 * so the percentages are of VO2, not of speed), marathon = predicted marathon time / 42.195 and
 * repetition = predicted mile time / 1.609344. At VDOT 50: T 4:15/km, I 3:55/km, as tabulated.
 * Source: Daniels J. (2014) *Daniels' Running Formula*, 3rd ed.; Daniels & Gilbert (1979).
 *
 * @param vdot - 20–90.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when vdot is outside 20–90.
 */
export function danielsPaces(vdot: number): DanielsPaces {
  const value = checkNumber(vdot, 'vdot', vdotRange)
  const paceAt = (fraction: number): number => 60_000 / velocityAtVo2(fraction * value)
  return {
    easySlowSecPerKm: paceAt(0.59),
    easyFastSecPerKm: paceAt(0.74),
    marathonSecPerKm: raceTimeFromVdot(value, 42_195) / 42.195,
    thresholdSecPerKm: paceAt(0.88),
    intervalSecPerKm: paceAt(0.975),
    repetitionSecPerKm: raceTimeFromVdot(value, 1609.344) / 1.609344,
  }
}

/** A run that may be used to predict from. */
export interface RunPerformance {
  /** Distance, m, ≥ 0. */
  readonly distanceM: number
  /** Duration, s, > 0. */
  readonly durationSec: number
}

/** Result of `performance.bestPerformance`. */
export interface BestPerformance {
  /** Index of the chosen run in the input. */
  readonly index: number
  /** Its VDOT. */
  readonly vdot: number
  /** Its distance, m. */
  readonly distanceM: number
  /** Its duration, s. */
  readonly durationSec: number
}

/**
 * Chooses the run to predict from (spec §4.13): among runs of at least 3000 m, shorter than 2 h and
 * faster than 8:00/km (a race-effort filter), the one with the highest VDOT — which, unlike the
 * highest speed, corrects for the duration an effort lasted. `null` when none qualifies. Ties keep
 * the earlier run. Source: Daniels J. & Gilbert J. (1979).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a run's distance is negative or its
 *   duration ≤ 0.
 */
export function bestPerformance(runs: readonly RunPerformance[]): BestPerformance | null {
  if (!Array.isArray(runs))
    throw invalidInput('runs', 'an array of { distanceM, durationSec }', runs)
  let best: BestPerformance | null = null
  runs.forEach((run: RunPerformance, index) => {
    checkObject(run, `runs[${index}]`)
    const distanceM = checkNumber(run.distanceM, `runs[${index}].distanceM`, {
      min: 0,
      max: 1_000_000,
      unit: 'm',
    })
    const durationSec = checkNumber(run.durationSec, `runs[${index}].durationSec`, raceTimeRange)
    const velocity = distanceM / (durationSec / 60)
    const qualifies =
      distanceM >= 3000 && durationSec < 7200 && velocity > 125 && velocity <= velocityRange.max
    if (!qualifies) return
    const vdot = vdotFromRace(distanceM, durationSec)
    if (best === null || vdot > best.vdot) best = { index, vdot, distanceM, durationSec }
  })
  return best
}
