import { heartRateRange } from '../internal/ranges.js'
import { checkNumber, checkObject, checkOneOf, invalidInput } from '../internal/validate.js'
import { checkAscending } from './buckets.js'

/** A heart-rate zone model: ascending starts, beats/min, and one label per bucket. */
export interface HeartRateZones {
  /** Zone starts, beats/min, strictly ascending; a value on a start belongs to the higher zone. */
  readonly starts: number[]
  /** One label per bucket (`starts.length + 1`); bucket 0 is below the first start. */
  readonly labels: string[]
}

/** Heart-rate zones bounded above by the maximum heart rate. */
export interface HeartRateReserveZones extends HeartRateZones {
  /** The maximum heart rate, beats/min (the top of the last zone). */
  readonly max: number
}

const defaultFractions = [0.5, 0.6, 0.7, 0.8, 0.9] as const

function checkFractions(fractions: unknown): readonly number[] {
  if (fractions === undefined) return defaultFractions
  if (!Array.isArray(fractions) || fractions.length === 0) {
    throw invalidInput('fractions', 'a non-empty array of ascending fractions', fractions)
  }
  fractions.forEach((value, index) => {
    checkNumber(value, `fractions[${index}]`, { min: 0, max: 1 })
  })
  return checkAscending(fractions, 'fractions')
}

function numberedLabels(count: number): string[] {
  return ['belowZ1', ...Array.from({ length: count }, (_, index) => `Z${index + 1}`)]
}

function checkRestAndMax(maxHr: unknown, restingHr: unknown): { max: number; rest: number } {
  const max = checkNumber(maxHr, 'maxHr', heartRateRange)
  const rest = checkNumber(restingHr, 'restingHr', heartRateRange)
  if (!(rest < max)) throw invalidInput('restingHr', `less than maxHr (${max})`, restingHr)
  return { max, rest }
}

/** Arguments of `zones.heartRateKarvonen`. */
export interface HeartRateKarvonenArgs {
  /** Maximum heart rate, beats/min, 20–250. */
  readonly maxHr: number
  /** Resting heart rate, beats/min, 20–250 and below maxHr. */
  readonly restingHr: number
  /** Zone starts as fractions of the heart-rate reserve, ascending in [0, 1]; default 0.5–0.9. */
  readonly fractions?: readonly number[] | undefined
}

/**
 * Builds heart-rate-reserve (Karvonen) zones: `start = restingHr + f × (maxHr − restingHr)` for each
 * fraction f (default 0.5, 0.6, 0.7, 0.8, 0.9). Bucket 0 is below Z1, buckets 1–5 are Z1–Z5
 * (spec §5.2). Source: Karvonen M.J., Kentala E. & Mustala O. (1957) *Ann Med Exp Biol Fenn*
 * 35:307–315.
 *
 * @example
 * ```ts
 * zones.heartRateKarvonen({ maxHr: 190, restingHr: 60 }).starts // [125, 138, 151, 164, 177]
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when a heart rate is outside 20–250,
 *   restingHr ≥ maxHr, or the fractions are not ascending within [0, 1].
 */
export function heartRateKarvonen(args: HeartRateKarvonenArgs): HeartRateReserveZones {
  checkObject(args, 'args')
  const { max, rest } = checkRestAndMax(args.maxHr, args.restingHr)
  const fractions = checkFractions(args.fractions)
  return {
    starts: fractions.map((fraction) => rest + fraction * (max - rest)),
    labels: numberedLabels(fractions.length),
    max,
  }
}

/** Arguments of `zones.heartRatePercentMax`. */
export interface HeartRatePercentMaxArgs {
  /** Maximum heart rate, beats/min, 20–250. */
  readonly maxHr: number
  /** Zone starts as fractions of maxHr, ascending in [0, 1]; default 0.5–0.9. */
  readonly fractions?: readonly number[] | undefined
}

/**
 * Builds zones as fractions of maximum heart rate: `start = f × maxHr` (default f = 0.5, 0.6, 0.7,
 * 0.8, 0.9; bucket 0 below Z1). Spec §5.2; the conventional %HRmax scale (Edwards S. 1993 *The
 * Heart Rate Monitor Book*).
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when maxHr is outside 20–250 or the fractions
 *   are not ascending within [0, 1].
 */
export function heartRatePercentMax(args: HeartRatePercentMaxArgs): HeartRateReserveZones {
  checkObject(args, 'args')
  const max = checkNumber(args.maxHr, 'maxHr', heartRateRange)
  const fractions = checkFractions(args.fractions)
  return {
    starts: fractions.map((fraction) => fraction * max),
    labels: numberedLabels(fractions.length),
    max,
  }
}

/** Lactate-threshold heart-rate zone models: Coggan (5 levels), Friel run and bike (7 zones). */
export type LthrZoneModel = 'coggan' | 'friel-run' | 'friel-bike'

const lthrModels = ['coggan', 'friel-run', 'friel-bike'] as const satisfies readonly LthrZoneModel[]

const lthrTables: Readonly<
  Record<LthrZoneModel, { fractions: readonly number[]; labels: readonly string[] }>
> = {
  coggan: { fractions: [0.68, 0.83, 0.94, 1.05], labels: ['L1', 'L2', 'L3', 'L4', 'L5'] },
  'friel-run': {
    fractions: [0.85, 0.9, 0.95, 1, 1.03, 1.06],
    labels: ['Z1', 'Z2', 'Z3', 'Z4', 'Z5a', 'Z5b', 'Z5c'],
  },
  'friel-bike': {
    fractions: [0.81, 0.9, 0.94, 1, 1.03, 1.06],
    labels: ['Z1', 'Z2', 'Z3', 'Z4', 'Z5a', 'Z5b', 'Z5c'],
  },
}

/** Arguments of `zones.heartRateLthr`. */
export interface HeartRateLthrArgs {
  /** Lactate-threshold heart rate, beats/min, 20–250. */
  readonly lthr: number
  /** Zone model. */
  readonly model: LthrZoneModel
}

/**
 * Builds zones from lactate-threshold heart rate: `start = f × lthr` (spec §5.2) with
 * - `coggan`: f = 0.68, 0.83, 0.94, 1.05 → buckets L1–L5 (bucket 0 is L1). Coggan A. (2001)
 *   power-based training levels, heart-rate guide.
 * - `friel-run`: 0.85, 0.90, 0.95, 1.00, 1.03, 1.06 → Z1, Z2, Z3, Z4, Z5a, Z5b, Z5c. Friel J.
 * - `friel-bike`: 0.81, 0.90, 0.94, 1.00, 1.03, 1.06 → same labels. Friel J. (2009) *The
 *   Cyclist's Training Bible*.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` when lthr is outside 20–250 or the model is
 *   unknown.
 */
export function heartRateLthr(args: HeartRateLthrArgs): HeartRateZones {
  checkObject(args, 'args')
  const lthr = checkNumber(args.lthr, 'lthr', heartRateRange)
  const model = checkOneOf(args.model, 'model', lthrModels)
  const table = lthrTables[model]
  return { starts: table.fractions.map((fraction) => fraction * lthr), labels: [...table.labels] }
}
