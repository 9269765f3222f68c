import type { Logger, Now } from '../types.js'

const noop = (): void => {}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop }

/** The real clock. */
export const systemNow: Now = () => new Date()

/** ISO 8601 text of an instant in milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString()
}
