import { JsonRpcError, JsonRpcErrorCode } from './errors.js'
import { exceedsByteLimit, exceedsDepth, type JsonRpcLimits, resolveLimits } from './limits.js'
import type { IdPolicy, JsonRpcErrorObject, JsonRpcId, JsonRpcMessage } from './types.js'

/**
 * Why a message was rejected with −32600; sent as `error.data.reason`.
 */
export type InvalidRequestReason =
  | 'too_large'
  | 'too_deep'
  | 'not_an_object'
  | 'invalid_version'
  | 'invalid_method'
  | 'method_too_long'
  | 'invalid_id'
  | 'id_too_long'
  | 'invalid_params'
  | 'empty_batch'
  | 'batch_not_supported'
  | 'batch_too_large'
  | 'duplicate_id'
  | 'invalid_response'

/** How a message was classified by {@link classifyMessage}. */
export type MessageKind = 'request' | 'notification' | 'response'

/** A failure found before any message could be looked at; carries the error to send. */
export class InputFailure {
  readonly error: JsonRpcErrorObject
  constructor(error: JsonRpcErrorObject) {
    this.error = error
  }
}

/** Builds the wire object of a −32600 with `data.reason` (and `limit` when one applies). */
export function invalidRequestObject(
  reason: InvalidRequestReason,
  limit?: number,
): JsonRpcErrorObject {
  return {
    code: JsonRpcErrorCode.invalidRequest,
    message: 'Invalid Request',
    data: limit === undefined ? { reason } : { reason, limit },
  }
}

const parseErrorObject: JsonRpcErrorObject = Object.freeze({
  code: JsonRpcErrorCode.parseError,
  message: 'Parse error',
})

/** The part of `TextDecoder` the pipeline uses. */
export interface Utf8Decoder {
  decode(input: Uint8Array): string
}

/** Returns a UTF-8 decoder that rejects invalid bytes and strips one leading BOM. */
export function createDecoder(): Utf8Decoder {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
}

/**
 * Runs steps 1–4 of the pipeline: size, UTF-8 decoding, depth pre-scan and `JSON.parse`.
 *
 * Strings and byte arrays are raw bodies; any other value counts as already parsed and is returned
 * as is. Never throws: a failure comes back as an {@link InputFailure}.
 */
export function decodeInput(
  input: unknown,
  limits: JsonRpcLimits,
  decoder: Utf8Decoder,
): unknown | InputFailure {
  let text: string
  if (typeof input === 'string') {
    if (exceedsByteLimit(input, limits.maxMessageBytes)) {
      return new InputFailure(invalidRequestObject('too_large', limits.maxMessageBytes))
    }
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > limits.maxMessageBytes) {
      return new InputFailure(invalidRequestObject('too_large', limits.maxMessageBytes))
    }
    try {
      text = decoder.decode(input)
    } catch {
      return new InputFailure(parseErrorObject)
    }
  } else {
    return input
  }
  if (exceedsDepth(text, limits.maxDepth)) {
    return new InputFailure(invalidRequestObject('too_deep', limits.maxDepth))
  }
  try {
    return JSON.parse(text)
  } catch {
    return new InputFailure(parseErrorObject)
  }
}

/** Returns why an id is unacceptable under the policy, or `undefined` when it is fine. */
function checkId(
  id: unknown,
  strict: boolean,
  limits: JsonRpcLimits,
): InvalidRequestReason | undefined {
  if (typeof id === 'string') return id.length > limits.maxIdLength ? 'id_too_long' : undefined
  if (typeof id === 'number') {
    return (strict ? Number.isSafeInteger(id) : Number.isFinite(id)) ? undefined : 'invalid_id'
  }
  if (id === null) return strict ? 'invalid_id' : undefined
  return 'invalid_id'
}

/**
 * Classifies one message (pipeline step 6) with hand-written checks: no schema library on the hot
 * path, no allocation. Returns the kind, or the reason it is an invalid request.
 */
export function classifyMessage(
  message: unknown,
  policy: IdPolicy,
  limits: JsonRpcLimits,
): MessageKind | InvalidRequestReason {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return 'not_an_object'
  }
  const fields = message as { readonly [key: string]: unknown }
  const method = fields.method
  if (method === undefined && (fields.result !== undefined || fields.error !== undefined)) {
    return 'response'
  }
  if (fields.jsonrpc !== '2.0') return 'invalid_version'
  const id = fields.id
  if (id !== undefined) {
    const idProblem = checkId(id, policy === 'strict', limits)
    if (idProblem !== undefined) return idProblem
  }
  if (typeof method !== 'string' || method.length === 0) return 'invalid_method'
  if (method.length > limits.maxMethodLength) return 'method_too_long'
  const params = fields.params
  if (params !== undefined && (typeof params !== 'object' || params === null)) {
    return 'invalid_params'
  }
  return id === undefined ? 'notification' : 'request'
}

/** Returns the message's id when it is usable under the policy, else `null` (for error replies). */
export function usableId(message: unknown, policy: IdPolicy, limits: JsonRpcLimits): JsonRpcId {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null
  const id = (message as { readonly id?: unknown }).id
  if (id === undefined || checkId(id, policy === 'strict', limits) !== undefined) return null
  return id as JsonRpcId
}

/** Returns whether a value is a well-formed error object `{code: integer, message: string}`. */
export function isErrorObject(value: unknown): value is JsonRpcErrorObject {
  if (typeof value !== 'object' || value === null) return false
  const { code, message } = value as { readonly code?: unknown; readonly message?: unknown }
  return Number.isInteger(code) && typeof message === 'string'
}

/** Returns whether a response has the right envelope: version, id, and exactly one outcome. */
function isWellFormedResponse(fields: { readonly [key: string]: unknown }): boolean {
  if (fields.jsonrpc !== '2.0') return false
  const id = fields.id
  if (!(id === null || typeof id === 'string' || Number.isFinite(id))) return false
  const hasResult = fields.result !== undefined
  const hasError = fields.error !== undefined
  if (hasResult === hasError) return false
  return hasResult || isErrorObject(fields.error)
}

/** Options for {@link parseMessage}. */
export interface ParseMessageOptions {
  /** Id policy for requests; default `jsonrpc`. */
  readonly ids?: IdPolicy
  /** Limit overrides; defaults as in {@link defaultLimits}. */
  readonly limits?: Partial<JsonRpcLimits>
}

function validateOne(
  value: unknown,
  policy: IdPolicy,
  limits: JsonRpcLimits,
): JsonRpcMessage | JsonRpcError {
  const kind = classifyMessage(value, policy, limits)
  if (kind === 'request' || kind === 'notification') return value as JsonRpcMessage
  if (kind === 'response') {
    return isWellFormedResponse(value as { readonly [key: string]: unknown })
      ? (value as JsonRpcMessage)
      : JsonRpcError.invalidRequest({ reason: 'invalid_response' })
  }
  return JsonRpcError.invalidRequest({ reason: kind })
}

/**
 * Parses and validates one JSON-RPC message or batch from a raw body, applying the same limits and
 * checks as the dispatcher.
 *
 * @param input - the body as a string or UTF-8 bytes.
 * @returns the message, or an array of messages for a batch.
 * @throws JsonRpcError −32700 for invalid JSON or UTF-8, −32600 (with `data.reason`) for anything
 * that is not a valid message, including an empty batch.
 */
export function parseMessage(
  input: string | Uint8Array,
  options?: ParseMessageOptions,
): JsonRpcMessage | JsonRpcMessage[] {
  const limits = resolveLimits(options?.limits)
  const policy = options?.ids ?? 'jsonrpc'
  const value = decodeInput(input, limits, createDecoder())
  if (value instanceof InputFailure) throw JsonRpcError.fromObject(value.error)
  if (!Array.isArray(value)) {
    const message = validateOne(value, policy, limits)
    if (message instanceof JsonRpcError) throw message
    return message
  }
  if (value.length === 0) throw JsonRpcError.invalidRequest({ reason: 'empty_batch' })
  const messages: JsonRpcMessage[] = []
  for (const element of value) {
    const message = validateOne(element, policy, limits)
    if (message instanceof JsonRpcError) throw message
    messages.push(message)
  }
  return messages
}

/**
 * Serialises a message or batch to JSON text.
 *
 * @throws JsonRpcError −32603 when the value cannot be serialised (a BigInt or a cycle).
 */
export function encodeMessage(message: JsonRpcMessage | readonly JsonRpcMessage[]): string {
  let text: string | undefined
  try {
    text = JSON.stringify(message)
  } catch {
    throw JsonRpcError.internalError({ reason: 'not_serialisable' })
  }
  if (text === undefined) throw JsonRpcError.internalError({ reason: 'not_serialisable' })
  return text
}
