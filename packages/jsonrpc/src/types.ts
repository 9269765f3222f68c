/**
 * A JSON-RPC request id: a string, a number or `null` (JSON-RPC 2.0 §4).
 *
 * Which of these a dispatcher accepts depends on its {@link IdPolicy}.
 */
export type JsonRpcId = string | number | null

/** Structured `params`: an object (by-name) or an array (by-position), JSON-RPC 2.0 §4.2. */
export type JsonRpcParams = { readonly [key: string]: unknown } | readonly unknown[]

/** A request: a call that expects a response, because it carries an `id` member. */
export interface JsonRpcRequest {
  readonly jsonrpc: '2.0'
  readonly id: JsonRpcId
  readonly method: string
  readonly params?: JsonRpcParams
}

/** A notification: a call without an `id` member, which is never answered. */
export interface JsonRpcNotification {
  readonly jsonrpc: '2.0'
  readonly method: string
  readonly params?: JsonRpcParams
}

/** The `error` member of an error response (JSON-RPC 2.0 §5.1). */
export interface JsonRpcErrorObject {
  readonly code: number
  readonly message: string
  readonly data?: unknown
}

/** A successful response; `result` is always present (a handler returning nothing gives `null`). */
export interface JsonRpcSuccessResponse {
  readonly jsonrpc: '2.0'
  readonly id: JsonRpcId
  readonly result: unknown
}

/** An error response. */
export interface JsonRpcErrorResponse {
  readonly jsonrpc: '2.0'
  readonly id: JsonRpcId
  readonly error: JsonRpcErrorObject
}

/** Either kind of response. */
export type JsonRpcResponse = JsonRpcSuccessResponse | JsonRpcErrorResponse

/** Any single JSON-RPC 2.0 message. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse

/**
 * Which request ids a dispatcher accepts.
 *
 * - `jsonrpc`: strings, finite numbers (fractions included) and `null`, as JSON-RPC 2.0 allows.
 * - `strict`: strings and safe integers only, as MCP and A2A require.
 */
export type IdPolicy = 'jsonrpc' | 'strict'

/**
 * A structural, pino-compatible logger: each method takes a fields object and a constant message.
 *
 * `child` is optional; when present the dispatcher uses it to bind `method` and `id` per call.
 */
export interface Logger {
  debug(fields: object, message: string): void
  info(fields: object, message: string): void
  warn(fields: object, message: string): void
  error(fields: object, message: string): void
  child?(bindings: object): Logger
}

/**
 * What the dispatcher hands to middleware and handlers for one call.
 *
 * @typeParam TCtx - the caller-supplied context type (for example a request context with scopes).
 */
export interface MethodCall<TCtx = unknown> {
  /** The request id, or `undefined` for a notification. */
  readonly id: JsonRpcId | undefined
  /** The method name as sent. */
  readonly method: string
  /** The raw `params` member as received, before validation (`undefined` when absent). */
  readonly params: unknown
  /** The `_meta` member of by-name params, passed through untouched and never validated. */
  readonly meta: unknown
  /** True when the message has no `id`: nothing will be sent back. */
  readonly isNotification: boolean
  /** The context given to `handle`; the library never builds or reads it. */
  readonly ctx: TCtx
  /** Aborts on cancellation, timeout, transport loss or `dispatcher.close()`. */
  readonly signal: AbortSignal
  /** A logger bound to this call (a no-op unless the dispatcher was given one). */
  readonly logger: Logger
  /** Sends a notification back to the caller, when the transport supports it (otherwise does nothing). */
  notify(method: string, params?: JsonRpcParams): void
}

/**
 * A middleware: wraps the rest of the chain and the handler, onion-style.
 *
 * Return `next()` to continue, return a value to answer without running the handler, or throw a
 * `JsonRpcError` to answer with that error.
 */
export type Middleware<TCtx = unknown> = (
  call: MethodCall<TCtx>,
  next: () => Promise<unknown>,
) => Promise<unknown>

/** Anything that accepts incoming responses, such as a correlator. */
export interface ResponseReceiver {
  /** Settles the pending call a response belongs to; returns whether one was found. */
  receive(message: unknown): boolean
}
