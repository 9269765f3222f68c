import { timingSafeEqual } from 'node:crypto'

/** Compares two equal-length digests in constant time; false when the lengths differ. */
export function digestsEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.byteLength !== right.byteLength) {
    // Still spend one comparison so both branches do similar work.
    timingSafeEqual(left, left)
    return false
  }
  return timingSafeEqual(left, right)
}
