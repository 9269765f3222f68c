import {
  aerobicDecoupling,
  efficiencyFactor,
  lthr,
  maxHr,
  maxHrDetails,
  vo2max,
} from './physiology.js'
import {
  criticalPower,
  criticalPowerFromPowerCurve,
  ftpFromTest,
  meanMaximalPace,
  meanMaximalPower,
  wPrimeBalance,
} from './power.js'
import {
  bestPerformance,
  danielsPaces,
  equivalentRaceTime,
  raceTimeDetails,
  raceTimeFromVdot,
  riegel,
  riegelDetails,
  vdotDetails,
  vdotFromRace,
  vVo2max,
} from './running.js'

/**
 * Performance: VDOT and race prediction (Daniels–Gilbert, Riegel), training paces, the run to
 * predict from, FTP estimation, critical power and W′ (from efforts or a ride's power curve),
 * W′ balance, mean-maximal power and pace curves, maximum heart rate, VO2max estimates, LTHR,
 * efficiency factor and aerobic decoupling (spec §4, §14). Pure functions; invalid input throws
 * `SportsScienceError` (`INVALID_INPUT`), too little data returns `null`.
 *
 * @example
 * ```ts
 * import { performance } from '@pierre/sports-science'
 *
 * const vdot = performance.vdotFromRace(5000, 1200) // 49.81
 * performance.raceTimeFromVdot(vdot, 42195) // 11477.2 s
 * ```
 */
export const performance = {
  vdotFromRace,
  vdotDetails,
  raceTimeFromVdot,
  raceTimeDetails,
  equivalentRaceTime,
  riegel,
  riegelDetails,
  vVo2max,
  danielsPaces,
  bestPerformance,
  ftpFromTest,
  criticalPower,
  criticalPowerFromPowerCurve,
  wPrimeBalance,
  meanMaximalPower,
  meanMaximalPace,
  maxHr,
  maxHrDetails,
  vo2max,
  lthr,
  efficiencyFactor,
  aerobicDecoupling,
} as const
