import type { JsonRpcErrorObject, JsonRpcId } from './types.js'

const errorBrand = Symbol.for('@pierre/jsonrpc.error')

/**
 * The error codes this library itself produces (JSON-RPC 2.0 §5.1, plus −32000 for cancellation and
 * time limits).
 */
export const JsonRpcErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  serverError: -32000,
} as const

/** One of the codes in {@link JsonRpcErrorCode}. */
export type JsonRpcErrorCode = (typeof JsonRpcErrorCode)[keyof typeof JsonRpcErrorCode]

/**
 * An error that travels on the wire as a JSON-RPC error object.
 *
 * Throw it from a handler or middleware to answer with exactly this `code`, `message` and `data`.
 * Errors built from a peer's response (by the correlator) have `remote` set to true.
 *
 * @example
 * ```ts
 * throw new JsonRpcError(-32001, 'task not found', { taskId })
 * ```
 */
export class JsonRpcError extends Error {
  /** The integer error code. */
  readonly code: number
  /** Optional JSON-safe detail for the client; `undefined` when absent. */
  readonly data: unknown
  /** True when the error was received from the other side rather than raised here. */
  readonly remote: boolean
  readonly [errorBrand] = true

  /**
   * Creates a wire error.
   *
   * @param code - an integer; −32768…−32000 is reserved by JSON-RPC 2.0.
   * @param message - a short description, sent to the client as is.
   * @param data - optional JSON-safe detail; never put stack traces or upstream payloads here.
   * @throws TypeError when `code` is not an integer.
   */
  constructor(code: number, message: string, data?: unknown) {
    super(message)
    if (!Number.isInteger(code)) {
      throw new TypeError(`json-rpc error code must be an integer, received ${String(code)}`)
    }
    this.name = 'JsonRpcError'
    this.code = code
    this.data = data
    this.remote = false
  }

  /** Returns the wire form `{code, message, data?}`, never the stack or cause. */
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data }
  }

  /**
   * Builds an error from a wire error object (for example one found in a response).
   *
   * @param error - the `error` member of a response.
   * @param options - `remote: true` marks the error as coming from the peer.
   */
  static fromObject(
    error: JsonRpcErrorObject,
    options?: { readonly remote?: boolean },
  ): JsonRpcError {
    const created = new JsonRpcError(error.code, error.message, error.data)
    if (options?.remote === true) (created as { remote: boolean }).remote = true
    return created
  }

  /** Returns a −32700 "Parse error". */
  static parseError(data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.parseError, 'Parse error', data)
  }

  /** Returns a −32600 "Invalid Request". */
  static invalidRequest(data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.invalidRequest, 'Invalid Request', data)
  }

  /** Returns a −32601 "Method not found". */
  static methodNotFound(data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.methodNotFound, 'Method not found', data)
  }

  /** Returns a −32602 "Invalid params". */
  static invalidParams(data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.invalidParams, 'Invalid params', data)
  }

  /** Returns a −32603 "Internal error"; reserved for faults on the server side. */
  static internalError(data?: unknown): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.internalError, 'Internal error', data)
  }
}

/**
 * Returns whether a value is a {@link JsonRpcError}, also across two copies of this package.
 */
export function isJsonRpcError(value: unknown): value is JsonRpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [errorBrand]?: unknown })[errorBrand] === true
  )
}

/**
 * A local error: a correlator call got no response within its time limit. Never sent on the wire.
 */
export class JsonRpcTimeoutError extends Error {
  /** The method that was called. */
  readonly method: string
  /** The id the request was sent with. */
  readonly id: JsonRpcId
  /** The time limit that elapsed, in milliseconds. */
  readonly timeoutMs: number

  /** Creates the error for one timed-out request. */
  constructor(details: {
    readonly method: string
    readonly id: JsonRpcId
    readonly timeoutMs: number
  }) {
    super(`request ${details.method} timed out after ${details.timeoutMs} ms`)
    this.name = 'JsonRpcTimeoutError'
    this.method = details.method
    this.id = details.id
    this.timeoutMs = details.timeoutMs
  }
}

/**
 * A local error: the correlator was closed while a call was pending, or before it was made.
 * Never sent on the wire.
 */
export class JsonRpcConnectionClosedError extends Error {
  /** Creates the error; `reason` says why the connection closed. */
  constructor(reason = 'connection closed') {
    super(reason)
    this.name = 'JsonRpcConnectionClosedError'
  }
}

/** One protocol-defined error: its code and default message. */
export interface ErrorCodeDefinition {
  readonly code: number
  readonly message: string
}

/**
 * A constructor for one protocol-defined error, returned by {@link defineErrorCodes}.
 *
 * Call it with optional `data` (and optionally a message overriding the default).
 */
export interface ErrorFactory {
  (data?: unknown, message?: string): JsonRpcError
  /** The error code. */
  readonly code: number
  /** The default message. */
  readonly message: string
  /** Returns whether a value is a {@link JsonRpcError} with this code. */
  is(value: unknown): value is JsonRpcError
}

const reservedMin = -32768
const reservedMax = -32000
const serverMin = -32099
const serverMax = -32001

/**
 * Declares a protocol's own error codes and returns one constructor per name.
 *
 * Codes may be −32001…−32099 (implementation-defined server errors) or anything outside the range
 * JSON-RPC 2.0 reserves; the standard codes and −32000 belong to this library.
 *
 * @throws TypeError when a code is not an integer, is reserved, or appears twice.
 * @example
 * ```ts
 * const a2aErrors = defineErrorCodes({ taskNotFound: { code: -32001, message: 'Task not found' } })
 * throw a2aErrors.taskNotFound({ taskId: 't1' })
 * ```
 */
export function defineErrorCodes<const TDefinitions extends Record<string, ErrorCodeDefinition>>(
  definitions: TDefinitions,
): { readonly [TName in keyof TDefinitions]: ErrorFactory } {
  const seen = new Set<number>()
  const factories: [string, ErrorFactory][] = []
  for (const [name, definition] of Object.entries(definitions)) {
    const { code, message } = definition
    if (!Number.isInteger(code)) {
      throw new TypeError(`error code ${name} must be an integer, received ${String(code)}`)
    }
    const reserved = code >= reservedMin && code <= reservedMax
    if (reserved && !(code >= serverMin && code <= serverMax)) {
      throw new TypeError(`error code ${name} uses reserved code ${code}`)
    }
    if (seen.has(code)) throw new TypeError(`error code ${code} is defined twice`)
    if (typeof message !== 'string' || message === '') {
      throw new TypeError(`error code ${name} needs a non-empty message`)
    }
    seen.add(code)
    const factory = (data?: unknown, override?: string): JsonRpcError =>
      new JsonRpcError(code, override ?? message, data)
    const is = (value: unknown): value is JsonRpcError =>
      isJsonRpcError(value) && value.code === code
    factories.push([name, Object.freeze(Object.assign(factory, { code, message, is }))])
  }
  // Object.fromEntries defines own data properties, so a key named __proto__ stays a plain key.
  return Object.freeze(Object.fromEntries(factories)) as {
    readonly [TName in keyof TDefinitions]: ErrorFactory
  }
}
