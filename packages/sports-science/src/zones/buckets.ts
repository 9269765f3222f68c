import { checkIntervalSec, checkStream, optionalSample, type Stream } from '../internal/stream.js'
import { checkNumber, invalidInput, optionsOrEmpty } from '../internal/validate.js'
import type { StreamOptions } from '../streams.js'

/** Returns `starts` as numbers when it is a strictly ascending list of finite numbers. */
export function checkAscending(starts: readonly number[], field: string): readonly number[] {
  if (!Array.isArray(starts)) throw invalidInput(field, 'an array of ascending numbers', starts)
  for (let index = 0; index < starts.length; index++) {
    const value = checkNumber(starts[index], `${field}[${index}]`)
    if (index > 0 && !(value > (starts[index - 1] as number))) {
      throw invalidInput(`${field}[${index}]`, `greater than ${field}[${index - 1}]`, value)
    }
  }
  return starts
}

/** Counts the starts ≤ value in an ascending list (linear scan: zone lists are short). */
export function bucketOf(value: number, starts: readonly number[]): number {
  let bucket = 0
  while (bucket < starts.length && (starts[bucket] as number) <= value) bucket++
  return bucket
}

/**
 * Returns the zone bucket of `value`: the number of zone starts ≤ value, from 0 (below the first
 * start) to `starts.length`. A value exactly on a start belongs to the higher zone (spec §5.1).
 *
 * @param value - in the unit of the starts (W, beats/min, m/s…).
 * @param starts - strictly ascending zone starts.
 * @example
 * ```ts
 * zones.classify(300, zones.power({ ftp: 250 }).starts) // 5 (L6: 300 W is exactly 120% FTP)
 * ```
 * @throws {@link SportsScienceError} `INVALID_INPUT` when value is not finite or starts is not
 *   strictly ascending.
 */
export function classify(value: number, starts: readonly number[]): number {
  const checked = checkNumber(value, 'value')
  return bucketOf(checked, checkAscending(starts, 'starts'))
}

/**
 * Returns the pace-zone bucket of a pace, s/km: the number of boundaries ≥ pace, so 0 is slower
 * than every boundary and `boundaries.length` faster than all; a pace exactly on a boundary belongs
 * to the faster zone (spec §5.4).
 *
 * @param paceSecPerKm - pace, s/km, > 0.
 * @param boundariesSecPerKm - strictly descending boundaries, s/km (slow to fast), as returned by
 *   `zones.pace`.
 * @throws {@link SportsScienceError} `INVALID_INPUT` when pace ≤ 0 or the boundaries are not
 *   strictly descending.
 */
export function classifyPace(paceSecPerKm: number, boundariesSecPerKm: readonly number[]): number {
  const pace = checkNumber(paceSecPerKm, 'paceSecPerKm', { min: 0, minExclusive: true })
  if (!Array.isArray(boundariesSecPerKm)) {
    throw invalidInput('boundariesSecPerKm', 'an array of descending paces', boundariesSecPerKm)
  }
  checkAscending(
    boundariesSecPerKm.map((value) => -value),
    'boundariesSecPerKm',
  )
  let bucket = 0
  while (bucket < boundariesSecPerKm.length && (boundariesSecPerKm[bucket] as number) >= pace) {
    bucket++
  }
  return bucket
}

/**
 * Sums the time spent in each zone, seconds: one entry per bucket (`starts.length + 1`, bucket 0
 * below the first start), each valid sample adding `intervalSec` to the bucket
 * {@link classify} gives it. Missing samples (`null`, `NaN`) are skipped; an empty stream gives all
 * zeros. Percentages are `seconds / Σ seconds` (the caller's choice when the sum is 0). Spec §5.1.
 *
 * For pace zones, pass a speed stream (m/s) with `zones.pace(…).speedStartsMps`.
 *
 * @param stream - heart rate, power or speed samples (≥ 0).
 * @param starts - strictly ascending zone starts in the stream's unit.
 * @throws {@link SportsScienceError} `INVALID_INPUT` for a negative sample, non-ascending starts or
 *   `intervalSec` ≤ 0.
 */
export function timeInZones(
  stream: Stream,
  starts: readonly number[],
  options?: StreamOptions,
): number[] {
  checkStream(stream, 'stream')
  checkAscending(starts, 'starts')
  const intervalSec = checkIntervalSec(optionsOrEmpty(options).intervalSec)
  const counts = new Array<number>(starts.length + 1).fill(0)
  for (let index = 0; index < stream.length; index++) {
    const sample = optionalSample(stream, index, 'stream')
    if (Number.isNaN(sample)) continue
    const bucket = bucketOf(sample, starts)
    counts[bucket] = (counts[bucket] as number) + 1
  }
  return counts.map((count) => count * intervalSec)
}
