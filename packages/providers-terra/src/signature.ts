import { createHmac, timingSafeEqual } from 'node:crypto'

/** The parts of a `terra-signature` header. */
export interface TerraSignatureHeader {
  /** Unix seconds at which Terra signed the delivery. */
  readonly timestamp: number
  /** The `v1` signatures (lower-case hex of an HMAC-SHA256); usually one. */
  readonly signatures: readonly string[]
}

const maxHeaderLength = 2048
const maxSignatures = 8
const timestampPattern = /^(?:0|[1-9]\d{0,11})$/
const signaturePattern = /^[0-9a-fA-F]{64}$/

/**
 * Reads a `terra-signature` header, `t=<unix seconds>,v1=<hex>` (one or more `v1`; other schemes
 * are ignored). Returns `undefined` for anything malformed; never throws.
 */
export function parseTerraSignatureHeader(header: unknown): TerraSignatureHeader | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > maxHeaderLength) {
    return undefined
  }
  let timestamp: number | undefined
  const signatures: string[] = []
  for (const element of header.split(',')) {
    const separator = element.indexOf('=')
    if (separator <= 0) return undefined
    const key = element.slice(0, separator).trim()
    const value = element.slice(separator + 1).trim()
    if (key === 't') {
      if (timestamp !== undefined || !timestampPattern.test(value)) return undefined
      timestamp = Number(value)
    } else if (key === 'v1') {
      if (!signaturePattern.test(value) || signatures.length >= maxSignatures) return undefined
      signatures.push(value.toLowerCase())
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined
  return { timestamp, signatures }
}

/** A webhook body as received: the exact bytes, or their UTF-8 text. */
export type TerraRawBody = string | Uint8Array

function hmac(secret: string, timestamp: number, body: TerraRawBody): Buffer {
  // The signed message is "<t>." followed by the raw body bytes, never a re-serialised JSON.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest()
}

/**
 * Returns the `terra-signature` header value Terra would send for `body` at `timestampSeconds`:
 * `t=<timestampSeconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`. Used by fakes and tests.
 */
export function signTerraPayload(
  body: TerraRawBody,
  secret: string,
  timestampSeconds: number,
): string {
  const timestamp = Math.floor(timestampSeconds)
  return `t=${timestamp},v1=${hmac(secret, timestamp, body).toString('hex')}`
}

/** Why a signature was refused. */
export type TerraSignatureFailure =
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'timestamp_out_of_window'

/** The outcome of {@link verifyTerraSignature}. */
export type TerraSignatureCheck =
  | {
      readonly ok: true
      readonly timestamp: number
      /** The `v1` value that matched: unique per delivery, usable as its id. */
      readonly signature: string
    }
  | { readonly ok: false; readonly reason: TerraSignatureFailure }

/** Options of {@link verifyTerraSignature}. */
export interface VerifyTerraSignatureOptions {
  /** The signing secret of the Terra destination; several while rotating it. */
  readonly secret: string | readonly string[]
  /** How far the signing time may be from now, seconds; 300 by default. */
  readonly toleranceSeconds?: number
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/**
 * Verifies a Terra webhook signature over the exact raw body: every `v1` of the header is compared
 * in constant time with HMAC-SHA256(secret, `<t>.<raw body>`), then the signing time must be
 * within `toleranceSeconds` of now (replayed old deliveries fail even with a valid HMAC).
 */
export function verifyTerraSignature(
  body: TerraRawBody,
  header: unknown,
  options: VerifyTerraSignatureOptions,
): TerraSignatureCheck {
  if (header === undefined || header === null || header === '') {
    return { ok: false, reason: 'missing_signature' }
  }
  const parsed = parseTerraSignatureHeader(header)
  if (parsed === undefined) return { ok: false, reason: 'malformed_signature' }
  const secrets = (typeof options.secret === 'string' ? [options.secret] : options.secret).filter(
    (secret) => secret.length > 0,
  )
  let matched: string | undefined
  for (const secret of secrets) {
    const expected = hmac(secret, parsed.timestamp, body)
    for (const candidate of parsed.signatures) {
      // Both are 32 bytes: the parser only lets 64 hex digits through.
      if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = candidate
    }
  }
  if (matched === undefined) return { ok: false, reason: 'signature_mismatch' }
  const tolerance = options.toleranceSeconds ?? 300
  const nowSeconds = (options.now ?? (() => new Date()))().getTime() / 1000
  if (!(Math.abs(nowSeconds - parsed.timestamp) <= tolerance)) {
    return { ok: false, reason: 'timestamp_out_of_window' }
  }
  return { ok: true, timestamp: parsed.timestamp, signature: matched }
}
