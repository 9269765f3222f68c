import type { Stream } from '../streams.js'
import { checkNumber, invalidInput } from './validate.js'

export type { Stream }

/** Windows are re-summed from scratch this often, so running-sum rounding never accumulates. */
export const resumEvery = 65_536

/** Returns `stream` when it is array-like (a numeric `length`); throws `INVALID_INPUT` otherwise. */
export function checkStream(stream: Stream, field: string): Stream {
  if (
    typeof stream !== 'object' ||
    stream === null ||
    typeof stream.length !== 'number' ||
    !Number.isInteger(stream.length) ||
    stream.length < 0
  ) {
    throw invalidInput(field, 'an array or typed array of numbers', stream)
  }
  return stream
}

/** Returns the sampling interval, seconds: `intervalSec` when given (must be > 0), else 1. */
export function checkIntervalSec(intervalSec: unknown, field = 'intervalSec'): number {
  if (intervalSec === undefined) return 1
  return checkNumber(intervalSec, field, { min: 0, minExclusive: true, max: 3600, unit: 's' })
}

/** The error for a sample that is neither missing nor a finite number ≥ 0. */
export function invalidSample(field: string, index: number, value: unknown): never {
  throw invalidInput(
    `${field}[${index}]`,
    'a finite number ≥ 0, or null/NaN for a missing sample',
    value,
  )
}

/**
 * Reads sample `index` as power, W: missing (`null`, `undefined`, `NaN`) is 0 W; negative,
 * infinite or non-numeric samples throw `INVALID_INPUT`.
 */
export function powerSample(stream: Stream, index: number, field: string): number {
  const value = stream[index]
  if (typeof value === 'number') {
    if (value >= 0 && value !== Number.POSITIVE_INFINITY) return value
    if (Number.isNaN(value)) return 0
  } else if (value === null || value === undefined) {
    return 0
  }
  return invalidSample(field, index, value)
}

/**
 * Reads sample `index` of a heart-rate, speed or similar stream: returns `NaN` for a missing sample
 * (the caller skips it) and the value otherwise; negative, infinite or non-numeric samples throw.
 */
export function optionalSample(stream: Stream, index: number, field: string): number {
  const value = stream[index]
  if (typeof value === 'number') {
    if (value >= 0 && value !== Number.POSITIVE_INFINITY) return value
    if (Number.isNaN(value)) return Number.NaN
  } else if (value === null || value === undefined) {
    return Number.NaN
  }
  return invalidSample(field, index, value)
}

/** Copies a power stream into a `Float64Array` with missing samples as 0 W, validating each. */
export function toPowerArray(stream: Stream, field: string): Float64Array {
  const length = stream.length
  const out = new Float64Array(length)
  for (let index = 0; index < length; index++) out[index] = powerSample(stream, index, field)
  return out
}

/** Number of samples in a window of `windowSec`: `max(1, round(windowSec / intervalSec))`. */
export function windowSamples(windowSec: number, intervalSec: number): number {
  return Math.max(1, Math.round(windowSec / intervalSec))
}

/** Highest heart-rate sample accepted, beats/min (spec §3.9). */
const maxHeartRateSample = 250

/**
 * Reads sample `index` of a heart-rate stream, beats/min: `NaN` (skip) for a missing sample or 0
 * (a strap dropout, never a real heart rate); throws `INVALID_INPUT` for a negative, non-numeric
 * or above-250 sample.
 */
export function heartRateSample(stream: Stream, index: number, field: string): number {
  const value = stream[index]
  if (typeof value === 'number') {
    if (value > 0 && value <= maxHeartRateSample) return value
    if (value === 0 || Number.isNaN(value)) return Number.NaN
  } else if (value === null || value === undefined) {
    return Number.NaN
  }
  throw invalidInput(
    `${field}[${index}]`,
    'a heart rate from 0 to 250 (beats/min), or null/NaN for a missing sample',
    value,
  )
}
