/**
 * A uniformly sampled series: one value per `intervalSec` (1 s unless an option says otherwise).
 * Plain arrays and typed arrays (`Float64Array`, `Int16Array`…) both qualify. A missing sample is
 * `null` or `NaN` (spec §1.5): missing power counts as 0 W (a dropout or coast does no work);
 * missing heart rate, speed or grade is skipped (its time is not counted). Negative values are
 * invalid.
 */
export type Stream = ArrayLike<number | null>

/** Options shared by the stream functions. */
export interface StreamOptions {
  /** Seconds between samples, > 0 and ≤ 3600; default 1. */
  readonly intervalSec?: number | undefined
}
