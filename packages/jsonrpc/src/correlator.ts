import {
  JsonRpcConnectionClosedError,
  JsonRpcError,
  JsonRpcErrorCode,
  JsonRpcTimeoutError,
} from './errors.js'
import { isThenable } from './internal/promise.js'
import { isErrorObject } from './parse.js'
import type {
  JsonRpcId,
  JsonRpcNotification,
  JsonRpcParams,
  JsonRpcRequest,
  ResponseReceiver,
} from './types.js'

/** What a correlator sends: one request or notification, or a batch of them. */
export type OutgoingMessage =
  | JsonRpcRequest
  | JsonRpcNotification
  | readonly (JsonRpcRequest | JsonRpcNotification)[]

/** Options for {@link createCorrelator}. */
export interface CorrelatorOptions {
  /**
   * Sends a message. Stream transports return nothing (responses come back through `receive`).
   * Request/response transports (HTTP POST) may resolve to the reply body, parsed: it then settles
   * the calls of that message, so a single error object (a parse error, an oversized batch) rejects
   * every call it answers. Throwing or rejecting fails the calls of that message.
   */
  readonly send: (message: OutgoingMessage) => unknown
  /** Ids become `${idPrefix}-${n}` strings instead of integers. */
  readonly idPrefix?: string
  /** Time limit applied to calls that do not set their own, in milliseconds; default none. */
  readonly defaultTimeoutMs?: number
  /** Receives responses whose id matches no pending call (including `id: null`). */
  readonly onUnmatchedResponse?: (message: unknown) => void
  /** Tells the peer when a call is abandoned (abort or timeout), MCP style. */
  readonly cancelNotification?: {
    /** The notification's method, for example `notifications/cancelled`. */
    readonly method: string
    /** Builds its params; default `{requestId, reason}`. */
    readonly params?: (event: { readonly id: JsonRpcId; readonly reason: string }) => JsonRpcParams
  }
}

/** Per-call options for `request` and `batch`. */
export interface RequestOptions {
  /** Aborting rejects the call with the signal's reason and forgets it. */
  readonly signal?: AbortSignal
  /** Time limit in milliseconds; on expiry the call rejects with `JsonRpcTimeoutError`. */
  readonly timeoutMs?: number
}

/** One entry of a correlator batch. */
export interface BatchCall {
  readonly method: string
  readonly params?: JsonRpcParams
  /** Send it as a notification: its promise resolves to `undefined` once sent. */
  readonly notification?: boolean
}

/** The client side of JSON-RPC: sends calls and matches responses to them by id. */
export interface Correlator extends ResponseReceiver {
  /**
   * Sends a request and resolves to its result.
   *
   * Rejects with a `JsonRpcError` (`remote: true`) for an error response, `JsonRpcTimeoutError`,
   * `JsonRpcConnectionClosedError`, or the signal's reason on abort.
   */
  request<TResult = unknown>(
    method: string,
    params?: JsonRpcParams,
    options?: RequestOptions,
  ): Promise<TResult>
  /** Sends a notification; resolves once `send` has. */
  notify(method: string, params?: JsonRpcParams): Promise<void>
  /** Sends the calls as one batch and returns one promise per call, in order. */
  batch(calls: readonly BatchCall[], options?: RequestOptions): Promise<unknown>[]
  /**
   * Settles the pending call a response (or each response of an array) belongs to. Returns whether
   * any pending call was settled. Late responses to abandoned calls are dropped; unknown ids go to
   * `onUnmatchedResponse`.
   */
  receive(message: unknown): boolean
  /** Rejects every pending call with `JsonRpcConnectionClosedError` and refuses new ones. */
  close(reason?: string): void
  /** How many calls await a response. */
  readonly pending: number
}

interface PendingCall {
  readonly id: string | number
  readonly method: string
  readonly resolve: (value: unknown) => void
  readonly reject: (reason: unknown) => void
  timer: ReturnType<typeof setTimeout> | undefined
  detach: (() => void) | undefined
}

function missingResponse(id: JsonRpcId): JsonRpcError {
  return new JsonRpcError(JsonRpcErrorCode.internalError, 'no response for this request', { id })
}

/**
 * Creates a correlator: it numbers outgoing requests, keeps them pending, and settles each when
 * its response arrives.
 *
 * @example
 * ```ts
 * const correlator = createCorrelator({ send: (message) => socket.send(JSON.stringify(message)) })
 * socket.onmessage = (event) => correlator.receive(JSON.parse(event.data))
 * const sum = await correlator.request('add', { a: 2, b: 3 })
 * ```
 */
export function createCorrelator(options: CorrelatorOptions): Correlator {
  const { send, idPrefix, defaultTimeoutMs, onUnmatchedResponse, cancelNotification } = options
  const pendingCalls = new Map<string | number, PendingCall>()
  let counter = 0
  let closed = false
  let closeReason = 'connection closed'

  function nextId(): string | number {
    counter++
    return idPrefix === undefined ? counter : `${idPrefix}-${counter}`
  }

  /** Whether an id was issued by this correlator (so a response to it is late, not unknown). */
  function issued(id: unknown): boolean {
    if (idPrefix === undefined) return Number.isSafeInteger(id) && (id as number) <= counter
    if (typeof id !== 'string' || !id.startsWith(`${idPrefix}-`)) return false
    const serial = Number(id.slice(idPrefix.length + 1))
    return Number.isSafeInteger(serial) && serial >= 1 && serial <= counter
  }

  function take(id: unknown): PendingCall | undefined {
    if (typeof id !== 'string' && typeof id !== 'number') return undefined
    const call = pendingCalls.get(id)
    if (call === undefined) return undefined
    pendingCalls.delete(id)
    if (call.timer !== undefined) clearTimeout(call.timer)
    call.detach?.()
    return call
  }

  function unmatched(message: unknown): void {
    if (onUnmatchedResponse === undefined) return
    try {
      onUnmatchedResponse(message)
    } catch {
      // The hook is the only reporting channel a correlator has; its failure changes nothing.
    }
  }

  function tellPeer(id: JsonRpcId, reason: string): void {
    if (cancelNotification === undefined || closed) return
    const params = cancelNotification.params?.({ id, reason }) ?? { requestId: id, reason }
    try {
      const sent = send({ jsonrpc: '2.0', method: cancelNotification.method, params })
      if (isThenable(sent)) sent.then(undefined, () => undefined)
    } catch {
      // Best effort: the call is already rejected locally.
    }
  }

  function track(
    id: string | number,
    method: string,
    callOptions: RequestOptions | undefined,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const call: PendingCall = { id, method, resolve, reject, timer: undefined, detach: undefined }
      pendingCalls.set(id, call)
      const timeoutMs = callOptions?.timeoutMs ?? defaultTimeoutMs
      if (timeoutMs !== undefined) {
        call.timer = setTimeout(() => {
          if (take(id) === undefined) return
          reject(new JsonRpcTimeoutError({ method, id, timeoutMs }))
          tellPeer(id, 'timeout')
        }, timeoutMs)
      }
      const signal = callOptions?.signal
      if (signal !== undefined) {
        const onAbort = (): void => {
          if (take(id) === undefined) return
          reject(signal.reason)
          tellPeer(id, typeof signal.reason === 'string' ? signal.reason : 'aborted')
        }
        signal.addEventListener('abort', onAbort)
        call.detach = () => signal.removeEventListener('abort', onAbort)
      }
    })
  }

  function settle(message: unknown): boolean {
    if (typeof message !== 'object' || message === null) {
      unmatched(message)
      return false
    }
    const fields = message as { readonly [key: string]: unknown }
    const id = fields.id
    const call = take(id)
    if (call === undefined) {
      if (!issued(id)) unmatched(message)
      return false
    }
    const error = fields.error
    if (error !== undefined) {
      call.reject(
        isErrorObject(error)
          ? JsonRpcError.fromObject(error, { remote: true })
          : JsonRpcError.fromObject(
              { code: JsonRpcErrorCode.internalError, message: 'malformed error response' },
              { remote: true },
            ),
      )
    } else if (fields.result !== undefined) {
      call.resolve(fields.result)
    } else {
      call.reject(
        JsonRpcError.fromObject(
          {
            code: JsonRpcErrorCode.internalError,
            message: 'response has neither result nor error',
          },
          { remote: true },
        ),
      )
    }
    return true
  }

  function receive(message: unknown): boolean {
    if (!Array.isArray(message)) return settle(message)
    let matched = false
    for (const element of message) if (settle(element)) matched = true
    return matched
  }

  /** Applies a request/response transport's reply to the calls of the message it answers. */
  function applyReply(reply: unknown, ids: readonly (string | number)[]): void {
    // Only a JSON object or array is a reply; anything else (`true` from a write) is ignored.
    if (typeof reply !== 'object' || reply === null) return
    const single = !Array.isArray(reply)
    const fields = single && typeof reply === 'object' ? (reply as { [key: string]: unknown }) : {}
    if (single && fields.id === null && isErrorObject(fields.error)) {
      const error = JsonRpcError.fromObject(fields.error, { remote: true })
      for (const id of ids) take(id)?.reject(error)
      return
    }
    receive(reply)
    for (const id of ids) take(id)?.reject(missingResponse(id))
  }

  function fail(ids: readonly (string | number)[], error: unknown): void {
    for (const id of ids) take(id)?.reject(error)
  }

  function transmit(message: OutgoingMessage, ids: readonly (string | number)[]): Promise<void> {
    let sent: unknown
    try {
      sent = send(message)
    } catch (error) {
      fail(ids, error)
      return Promise.reject(error)
    }
    if (!isThenable(sent)) return Promise.resolve()
    return Promise.resolve(sent).then(
      (reply) => applyReply(reply, ids),
      (error: unknown) => {
        fail(ids, error)
        throw error
      },
    )
  }

  function request<TResult>(
    method: string,
    params?: JsonRpcParams,
    callOptions?: RequestOptions,
  ): Promise<TResult> {
    if (closed) return Promise.reject(new JsonRpcConnectionClosedError(closeReason))
    const signal = callOptions?.signal
    if (signal?.aborted) return Promise.reject(signal.reason)
    const id = nextId()
    const result = track(id, method, callOptions)
    const message: JsonRpcRequest =
      params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }
    // A send failure also rejects `result`, which is what the caller sees.
    transmit(message, [id]).then(undefined, () => undefined)
    return result as Promise<TResult>
  }

  function notify(method: string, params?: JsonRpcParams): Promise<void> {
    if (closed) return Promise.reject(new JsonRpcConnectionClosedError(closeReason))
    const message: JsonRpcNotification =
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params }
    return transmit(message, [])
  }

  function batch(calls: readonly BatchCall[], callOptions?: RequestOptions): Promise<unknown>[] {
    if (calls.length === 0) return []
    if (closed) {
      return calls.map(() => Promise.reject(new JsonRpcConnectionClosedError(closeReason)))
    }
    const signal = callOptions?.signal
    if (signal?.aborted) return calls.map(() => Promise.reject(signal.reason))
    const messages: (JsonRpcRequest | JsonRpcNotification)[] = []
    const ids: (string | number)[] = []
    const results: Promise<unknown>[] = []
    const notificationSlots: number[] = []
    for (const call of calls) {
      const { method, params } = call
      if (call.notification === true) {
        messages.push(
          params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
        )
        notificationSlots.push(results.length)
        results.push(Promise.resolve(undefined))
        continue
      }
      const id = nextId()
      ids.push(id)
      results.push(track(id, method, callOptions))
      messages.push(
        params === undefined
          ? { jsonrpc: '2.0', id, method }
          : { jsonrpc: '2.0', id, method, params },
      )
    }
    const sent = transmit(messages, ids)
    for (const slot of notificationSlots) results[slot] = sent
    if (notificationSlots.length === 0) sent.then(undefined, () => undefined)
    return results
  }

  return {
    request,
    notify,
    batch,
    receive,
    close(reason = 'connection closed') {
      if (closed) return
      closed = true
      closeReason = reason
      for (const id of [...pendingCalls.keys()]) {
        take(id)?.reject(new JsonRpcConnectionClosedError(reason))
      }
    },
    get pending() {
      return pendingCalls.size
    },
  }
}
