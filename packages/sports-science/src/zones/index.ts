import { danielsPaces } from '../performance/running.js'
import { classify, classifyPace, timeInZones } from './buckets.js'
import { heartRateKarvonen, heartRateLthr, heartRatePercentMax } from './heart-rate.js'
import { pace, power } from './power-pace.js'

/**
 * Zones: heart rate (Karvonen, %HRmax, LTHR models), Coggan power levels, Friel pace zones, Daniels
 * paces, classification and time in zones (spec §5). A model is an ascending list of `starts`; a
 * value on a start belongs to the higher zone. Pure functions; invalid input throws
 * `SportsScienceError` (`INVALID_INPUT`).
 *
 * @example
 * ```ts
 * import { zones } from '@pierre/sports-science'
 *
 * const { starts } = zones.power({ ftp: 250 })
 * zones.timeInZones([100, 200, 300], starts) // [1, 0, 1, 0, 0, 1, 0]
 * ```
 */
export const zones = {
  classify,
  classifyPace,
  timeInZones,
  heartRateKarvonen,
  heartRatePercentMax,
  heartRateLthr,
  power,
  pace,
  danielsPaces,
} as const
