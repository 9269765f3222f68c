import { activityLoad } from './activity.js'
import { acwr } from './acwr.js'
import { classifyTsb, monotonyStrain, overtrainingRisk, recommendedRecoveryDays } from './form.js'
import {
  hrTss,
  sessionRpe,
  trimpBanister,
  trimpBanisterStream,
  trimpEdwards,
  trimpLucia,
} from './heart-rate.js'
import { ewmaAlpha, formPercent, pmc, projectForm, restForTargetTsb } from './pmc.js'
import {
  averagePower,
  intensityFactor,
  normalizedPower,
  powerStreamSummary,
  powerTss,
  variabilityIndex,
  workKj,
} from './power.js'
import { minettiCost, normalizedGradedSpeed, runningTss, swimTss } from './running.js'

/**
 * Training load: normalized power, intensity factor, variability index, TSS from power, heart rate,
 * pace and swim speed, TRIMP variants, session RPE, activity-load selection, the Performance
 * Management Chart (CTL/ATL/TSB, ramp rate), form projection, ACWR, TSB classes, load-based risk and
 * monotony/strain (spec §3, §14). Pure functions; invalid input throws `SportsScienceError`
 * (`INVALID_INPUT`), too little data returns `null`.
 *
 * @example
 * ```ts
 * import { load } from '@pierre/sports-science'
 *
 * load.normalizedPower(new Float64Array(3600).fill(200)) // 200
 * load.powerTss({ durationSec: 3600, normalizedPower: 250, ftp: 250 }) // 100
 * ```
 */
export const load = {
  normalizedPower,
  averagePower,
  workKj,
  intensityFactor,
  variabilityIndex,
  powerTss,
  powerStreamSummary,
  hrTss,
  runningTss,
  normalizedGradedSpeed,
  minettiCost,
  swimTss,
  trimpBanister,
  trimpBanisterStream,
  trimpEdwards,
  trimpLucia,
  sessionRpe,
  activityLoad,
  pmc,
  ewmaAlpha,
  formPercent,
  projectForm,
  restForTargetTsb,
  acwr,
  classifyTsb,
  overtrainingRisk,
  recommendedRecoveryDays,
  monotonyStrain,
} as const
