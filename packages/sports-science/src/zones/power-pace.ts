import { thresholdPaceRange, thresholdPowerRange } from '../internal/ranges.js'
import { checkNumber, checkObject } from '../internal/validate.js'

/** Arguments of `zones.power`. */
export interface PowerZonesArgs {
  /** Functional threshold power, W, > 0 and ≤ 2500. */
  readonly ftp: number
}

/** Coggan power levels: starts, W, and labels/names per bucket. */
export interface PowerZones {
  /** Starts of L2–L7, W: [0.55, 0.75, 0.90, 1.05, 1.20, 1.50] × FTP. */
  readonly starts: number[]
  /** `L1` … `L7`, one per bucket (bucket 0 is L1). */
  readonly labels: string[]
  /** Coggan's level names, one per bucket. */
  readonly names: string[]
}

const powerFractions = [0.55, 0.75, 0.9, 1.05, 1.2, 1.5] as const
const powerNames = [
  'Active recovery',
  'Endurance',
  'Tempo',
  'Lactate threshold',
  'VO2max',
  'Anaerobic capacity',
  'Neuromuscular power',
] as const

/**
 * Builds Coggan's seven power levels: starts `[0.55, 0.75, 0.90, 1.05, 1.20, 1.50] × ftp`, W; bucket
 * 0 is L1 (active recovery) and bucket 6 L7 (neuromuscular). The published integer table (L2
 * 56–75 %) maps to starts at the top of the preceding level, so no power falls between levels
 * (spec §5.3). Source: Coggan A. (2001) power-based training levels; Allen H. & Coggan A. (2010).
 *
 * @example
 * ```ts
 * zones.power({ ftp: 250 }).starts // [137.5, 187.5, 225, 262.5, 300, 375]
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when ftp ≤ 0 or above 2500.
 */
export function power(args: PowerZonesArgs): PowerZones {
  checkObject(args, 'args')
  const ftp = checkNumber(args.ftp, 'ftp', thresholdPowerRange)
  return {
    starts: powerFractions.map((fraction) => fraction * ftp),
    labels: powerNames.map((_, index) => `L${index + 1}`),
    names: [...powerNames],
  }
}

/** Arguments of `zones.pace`. */
export interface PaceZonesArgs {
  /** Threshold pace (FTPa), s/km, 120–1800. */
  readonly thresholdPaceSecPerKm: number
}

/** Friel threshold-pace zones. */
export interface PaceZones {
  /** Boundaries, s/km, slow to fast: [1.29, 1.14, 1.06, 0.99, 0.97, 0.90] × threshold. */
  readonly boundariesSecPerKm: number[]
  /** The same boundaries as ascending speed starts, m/s, for `zones.timeInZones` on speed. */
  readonly speedStartsMps: number[]
  /** `Z1`, `Z2`, `Z3`, `Z4`, `Z5a`, `Z5b`, `Z5c`, one per bucket. */
  readonly labels: string[]
}

const paceFractions = [1.29, 1.14, 1.06, 0.99, 0.97, 0.9] as const

/**
 * Builds Friel's threshold-pace (FTPa) run zones: boundaries `[1.29, 1.14, 1.06, 0.99, 0.97, 0.90] ×
 * thresholdPaceSecPerKm`, s/km, slow to fast. A pace p is in bucket "number of boundaries ≥ p":
 * Z1 slower than 129 %, …, Z5c faster than 90 %; a pace on a boundary belongs to the faster zone
 * (spec §5.4; `zones.classifyPace`). Also returns the boundaries as speed starts, m/s
 * (`1000 / boundary`, ascending), which classify a speed stream identically. Source: Friel J.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when thresholdPaceSecPerKm is outside
 *   120–1800.
 */
export function pace(args: PaceZonesArgs): PaceZones {
  checkObject(args, 'args')
  const threshold = checkNumber(
    args.thresholdPaceSecPerKm,
    'thresholdPaceSecPerKm',
    thresholdPaceRange,
  )
  const boundariesSecPerKm = paceFractions.map((fraction) => fraction * threshold)
  return {
    boundariesSecPerKm,
    speedStartsMps: boundariesSecPerKm.map((boundary) => 1000 / boundary),
    labels: ['Z1', 'Z2', 'Z3', 'Z4', 'Z5a', 'Z5b', 'Z5c'],
  }
}
