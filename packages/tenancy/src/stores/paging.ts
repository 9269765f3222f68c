import type { ListOptions } from './types.js'

/** Normalises paging: limit 1–1000 (default 100), offset ≥ 0. */
export function paging(options: ListOptions | undefined): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(options?.limit ?? 100), 1), 1000)
  const offset = Math.max(Math.trunc(options?.offset ?? 0), 0)
  return { limit, offset }
}

/** The calendar month (UTC) of an instant, as `YYYY-MM`. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7)
}
