/** The size and shape limits a dispatcher enforces on incoming messages. */
export interface JsonRpcLimits {
  /** Largest accepted body, in UTF-8 bytes; larger → −32600 `too_large`. Default 1 MiB. */
  readonly maxMessageBytes: number
  /** Deepest accepted bracket nesting; deeper → −32600 `too_deep`. Default 64. */
  readonly maxDepth: number
  /** Most elements in one batch; more → one −32600 `batch_too_large`. Default 32. */
  readonly maxBatchSize: number
  /** How many elements of one batch run at the same time. Default 4. */
  readonly batchConcurrency: number
  /** Longest accepted string id, in characters; longer → −32600 `id_too_long`. Default 256. */
  readonly maxIdLength: number
  /** Longest accepted method name, in characters; longer → −32600 `method_too_long`. Default 128. */
  readonly maxMethodLength: number
}

/** The limits used when a dispatcher is given none. */
export const defaultLimits: JsonRpcLimits = Object.freeze({
  maxMessageBytes: 1024 * 1024,
  maxDepth: 64,
  maxBatchSize: 32,
  batchConcurrency: 4,
  maxIdLength: 256,
  maxMethodLength: 128,
})

const limitNames = Object.keys(defaultLimits) as (keyof JsonRpcLimits)[]

/** Merges overrides onto the defaults and checks each is a positive integer. */
export function resolveLimits(overrides: Partial<JsonRpcLimits> | undefined): JsonRpcLimits {
  if (overrides === undefined) return defaultLimits
  const merged = { ...defaultLimits }
  for (const name of limitNames) {
    const value = overrides[name]
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limits.${name} must be a positive integer, received ${String(value)}`)
    }
    merged[name] = value
  }
  return Object.freeze(merged)
}

/** Returns how many bytes a string takes in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes). */
function utf8ByteLength(text: string): number {
  let bytes = 0
  const length = text.length
  for (let index = 0; index < length; index++) {
    const unit = text.charCodeAt(index)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        index++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** Returns whether a string's UTF-8 encoding is longer than `limit` bytes, without encoding it. */
export function exceedsByteLimit(text: string, limit: number): boolean {
  // Each UTF-16 unit takes 1 to 3 bytes (a surrogate pair takes 4 for 2 units).
  if (text.length > limit) return true
  if (text.length * 3 <= limit) return false
  return utf8ByteLength(text) > limit
}

const quote = 0x22
const backslash = 0x5c
const openBrace = 0x7b
const closeBrace = 0x7d
const openBracket = 0x5b
const closeBracket = 0x5d

/**
 * Returns whether JSON text nests brackets deeper than `maxDepth`, counting only outside string
 * literals. Linear in the text length and free of recursion, so it is safe on hostile input; it
 * does not validate the JSON (JSON.parse does that afterwards).
 */
export function exceedsDepth(text: string, maxDepth: number): boolean {
  const length = text.length
  if (length <= maxDepth) return false
  let depth = 0
  for (let index = 0; index < length; index++) {
    const unit = text.charCodeAt(index)
    if (unit === quote) {
      // Jump to the closing quote: the next quote preceded by an even number of backslashes.
      let from = index + 1
      for (;;) {
        const end = text.indexOf('"', from)
        if (end === -1) return false
        let slashes = 0
        while (text.charCodeAt(end - 1 - slashes) === backslash) slashes++
        if ((slashes & 1) === 0) {
          index = end
          break
        }
        from = end + 1
      }
    } else if (unit === openBrace || unit === openBracket) {
      depth++
      if (depth > maxDepth) return true
    } else if (unit === closeBrace || unit === closeBracket) {
      depth--
    }
  }
  return false
}
