import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** `bytes` random bytes, base64url without padding. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** SHA-256 of a UTF-8 string, lowercase hex: how codes, refresh tokens and session ids are stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/** BASE64URL(SHA-256(ASCII(verifier))), the S256 transform of RFC 7636 §4.2. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

/** HMAC-SHA-256 of `parts` joined by a separator that cannot occur in them, base64url. */
export function hmac(key: Uint8Array, ...parts: readonly string[]): string {
  return createHmac('sha256', key).update(parts.join('\u0000'), 'utf8').digest('base64url')
}

/**
 * Compares two strings in time independent of where they differ (T-21). Different lengths answer
 * false after a comparison of equal-length digests, so the length is not revealed either.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest()
  const right = createHash('sha256').update(b, 'utf8').digest()
  return timingSafeEqual(left, right) && a.length === b.length
}
