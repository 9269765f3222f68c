import { isJsonRpcError, JsonRpcError, JsonRpcErrorCode } from './errors.js'
import { isThenable } from './internal/promise.js'
import { done, Invocation, type Run, running } from './invocation.js'
import { type JsonRpcLimits, resolveLimits } from './limits.js'
import { type MethodDefinition, PendingParams, prepareParams } from './method.js'
import { noopLogger, runChain } from './middleware.js'
import {
  classifyMessage,
  createDecoder,
  decodeInput,
  InputFailure,
  invalidRequestObject,
  usableId,
} from './parse.js'
import {
  type HandleResult,
  type Outcome,
  type Reply,
  type Result,
  replyObject,
  toObjects,
  toText,
} from './reply.js'
import type {
  IdPolicy,
  JsonRpcErrorObject,
  JsonRpcId,
  JsonRpcNotification,
  JsonRpcResponse,
  Logger,
  MethodCall,
  Middleware,
  ResponseReceiver,
} from './types.js'

/**
 * Declares a protocol's cancel notification (MCP style), which the dispatcher then handles itself.
 */
export interface CancelNotificationOptions {
  /** The notification's method, for example `notifications/cancelled`. */
  readonly method: string
  /** Reads the id of the call to cancel from the notification's params. */
  readonly idFrom: (params: unknown) => unknown
  /** Reads a reason; default: `params.reason` when it is a string. */
  readonly reasonFrom?: (params: unknown) => string | undefined
}

/** Passed to `hooks.onResponse` for every response the dispatcher produces. */
export interface ResponseEvent<TCtx> {
  readonly response: JsonRpcResponse
  /** The call it answers; `undefined` for messages rejected before routing. */
  readonly call: MethodCall<TCtx> | undefined
}

/** Passed to `hooks.onNotificationError`: a notification failed, and nothing was sent. */
export interface NotificationErrorEvent<TCtx> {
  readonly method: string
  /** The error a request would have been answered with. */
  readonly error: JsonRpcError
  /** The original throwable when it was not a `JsonRpcError` (an internal fault). */
  readonly cause: unknown
  readonly ctx: TCtx
}

/** Passed to `hooks.onUnexpectedResponse`: a response arrived and no correlator takes responses. */
export interface UnexpectedResponseEvent<TCtx> {
  readonly message: unknown
  readonly ctx: TCtx
}

/** Passed to `hooks.onInternalError`: a handler threw something other than a `JsonRpcError`. */
export interface InternalErrorEvent<TCtx> {
  /** The throwable, with its message and stack; never sent to the client. */
  readonly error: unknown
  /** The correlation id sent to the client in `error.data.requestId`. */
  readonly requestId: string
  readonly method: string | undefined
  readonly id: JsonRpcId | undefined
  readonly ctx: TCtx | undefined
}

/** Observation points; a hook that throws is logged and never changes a response. */
export interface DispatcherHooks<TCtx> {
  /** Called when a routed call is about to run (after the method was found). */
  readonly onRequest?: (call: MethodCall<TCtx>) => void
  /** Called with each response produced. */
  readonly onResponse?: (event: ResponseEvent<TCtx>) => void
  /** Called when a notification fails (unknown method, bad params, handler error, timeout). */
  readonly onNotificationError?: (event: NotificationErrorEvent<TCtx>) => void
  /** Called when a response arrives and no correlator is attached. */
  readonly onUnexpectedResponse?: (event: UnexpectedResponseEvent<TCtx>) => void
  /** Called when a request fails with an internal fault (answered −32603 with a request id). */
  readonly onInternalError?: (event: InternalErrorEvent<TCtx>) => void
}

/** Options for {@link createDispatcher}. */
export interface DispatcherOptions<TCtx> {
  /** Methods to register straight away. */
  readonly methods?: readonly MethodDefinition<NoInfer<TCtx>>[]
  /** Global middleware, outermost first. */
  readonly middleware?: readonly Middleware<NoInfer<TCtx>>[]
  /** Id policy; default `jsonrpc`. */
  readonly ids?: IdPolicy
  /** Whether batches are accepted; default true. */
  readonly batch?: boolean
  /** Limit overrides (see {@link defaultLimits}). */
  readonly limits?: Partial<JsonRpcLimits>
  /** Check results against each method's `result` schema; default false (turn it on in tests). */
  readonly validateResults?: boolean
  /** What a cancelled call answers: nothing (`suppress`, default) or −32000 (`error`). */
  readonly onCancel?: 'suppress' | 'error'
  /** A cancel notification the dispatcher handles itself. */
  readonly cancelNotification?: CancelNotificationOptions
  /** Where responses arriving at the dispatcher go (a peer's correlator). */
  readonly correlator?: ResponseReceiver
  /** Receives internal faults (with their request id) and hook failures; default: none. */
  readonly logger?: Logger
  /** Observation hooks. */
  readonly hooks?: DispatcherHooks<NoInfer<TCtx>>
  /** Creates the correlation id of an internal error; default `crypto.randomUUID()`. */
  readonly createRequestId?: () => string
}

/** Per-message options for `handle` and `handleText`. */
export interface HandleOptions {
  /** The transport's signal: aborting it cancels every call of this message. */
  readonly signal?: AbortSignal
  /** Sends notifications from handlers (`call.notify`) back over the transport. */
  readonly notify?: (notification: JsonRpcNotification) => void
  /**
   * Scope of in-flight ids (duplicate detection and cancel by id). Default: one scope for the whole
   * dispatcher, which suits one dispatcher per connection; when many clients share a dispatcher
   * (HTTP), pass one object per client or per request.
   */
  readonly connection?: object
  /** Where responses in this message go; overrides the dispatcher's `correlator`. */
  readonly correlator?: ResponseReceiver
}

/**
 * A transport-neutral JSON-RPC 2.0 server: register methods, then feed it messages.
 *
 * @typeParam TCtx - the caller-supplied context passed to every call.
 */
export interface Dispatcher<TCtx = void> {
  /**
   * Adds a method.
   *
   * @throws TypeError when the name is already registered, reserved, or longer than
   * `limits.maxMethodLength`.
   */
  register(definition: MethodDefinition<TCtx>): void
  /** Appends a global middleware (it runs inside those added before it). */
  use(middleware: Middleware<TCtx>): void
  /**
   * Processes one message or batch and resolves to what should be sent back, or `undefined` when
   * nothing should be. Never rejects, whatever the input.
   *
   * @param input - a raw body (`string` or `Uint8Array`), or an already parsed value.
   */
  handle(input: unknown, ctx: TCtx, options?: HandleOptions): Promise<HandleResult>
  /** Like `handle`, but resolves to the serialised reply. */
  handleText(input: unknown, ctx: TCtx, options?: HandleOptions): Promise<string | undefined>
  /** Cancels the in-flight call with this id; returns whether one was found. */
  cancel(id: JsonRpcId, reason?: string, connection?: object): boolean
  /** Aborts every call in flight, refuses new ones, and resolves once their handlers settle. */
  close(reason?: string): Promise<void>
  /** How many calls are queued or running. */
  readonly inFlight: number
}

function isUsableId(value: unknown): value is JsonRpcId {
  return value === null || typeof value === 'string' || Number.isFinite(value)
}

function defaultReasonFrom(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined
  const reason = (params as { readonly reason?: unknown }).reason
  return typeof reason === 'string' ? reason : undefined
}

function defaultRequestId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID()
  }
  return `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

const cancelledMessage = 'request cancelled'
const timedOutMessage = 'request timed out'

/**
 * Creates a JSON-RPC 2.0 dispatcher.
 *
 * @typeParam TCtx - the context type passed to `handle` and on to every call (default: none).
 * @throws TypeError on an invalid limit or method definition.
 * @example
 * ```ts
 * const dispatcher = createDispatcher({ methods: [add] })
 * await dispatcher.handleText('{"jsonrpc":"2.0","id":1,"method":"add","params":[2,3]}')
 * // '{"jsonrpc":"2.0","id":1,"result":5}'
 * ```
 */
export function createDispatcher<TCtx = void>(
  options: DispatcherOptions<TCtx> = {},
): Dispatcher<TCtx> {
  const limits = resolveLimits(options.limits)
  const idPolicy: IdPolicy = options.ids ?? 'jsonrpc'
  if (idPolicy !== 'jsonrpc' && idPolicy !== 'strict') {
    throw new TypeError(`ids must be "jsonrpc" or "strict", received ${String(idPolicy)}`)
  }
  const batchEnabled = options.batch ?? true
  const validateResults = options.validateResults ?? false
  const cancelErrors = (options.onCancel ?? 'suppress') === 'error'
  const cancelNotification = options.cancelNotification
  const cancelMethod = cancelNotification?.method
  const reasonFrom = cancelNotification?.reasonFrom ?? defaultReasonFrom
  const logger = options.logger ?? noopLogger
  const hooks: DispatcherHooks<TCtx> = options.hooks ?? {}
  const createRequestId = options.createRequestId ?? defaultRequestId
  const decoder = createDecoder()

  const methods = new Map<string, MethodDefinition<TCtx>>()
  const globalMiddleware: Middleware<TCtx>[] = [...(options.middleware ?? [])]
  const chains = new Map<MethodDefinition<TCtx>, readonly Middleware<TCtx>[]>()
  const defaultConnection = {}
  const registries = new Map<object, Map<JsonRpcId, Invocation<TCtx>>>([
    [defaultConnection, new Map()],
  ])
  const active = new Set<Invocation<TCtx>>()
  const handlers = new Set<PromiseLike<unknown>>()
  const watched = new WeakMap<AbortSignal, Set<Invocation<TCtx>>>()
  let closed = false

  function log(level: 'debug' | 'error', fields: object, message: string): void {
    try {
      logger[level](fields, message)
    } catch {
      // A broken logger has nowhere left to report to; the response must still go out.
    }
  }

  function hookFailed(err: unknown): void {
    log('error', { err }, 'json-rpc hook failed')
  }

  function reportNotificationError(invocation: Invocation<TCtx>, error: JsonRpcError): void {
    notificationError({ method: invocation.method, error, cause: undefined, ctx: invocation.ctx })
  }

  function notificationError(event: NotificationErrorEvent<TCtx>): void {
    const hook = hooks.onNotificationError
    if (hook === undefined) return
    try {
      hook(event)
    } catch (err) {
      hookFailed(err)
    }
  }

  function emitResponse(reply: Reply, call: Invocation<TCtx> | undefined): void {
    const hook = hooks.onResponse
    if (hook === undefined) return
    try {
      hook({ response: replyObject(reply), call })
    } catch (err) {
      hookFailed(err)
    }
  }

  function errorReply(id: JsonRpcId, error: JsonRpcErrorObject, call?: Invocation<TCtx>): Reply {
    const reply: Reply = { id, isError: true, value: error, text: JSON.stringify(error) }
    emitResponse(reply, call)
    return reply
  }

  function internalFault(invocation: Invocation<TCtx>, cause: unknown): Outcome {
    const requestId = createRequestId()
    const { method, id } = invocation
    log('error', { err: cause, requestId, method, id }, 'json-rpc handler failed')
    const error = JsonRpcError.internalError({ requestId })
    if (invocation.isNotification) {
      notificationError({ method, error, cause, ctx: invocation.ctx })
      return undefined
    }
    const hook = hooks.onInternalError
    if (hook !== undefined) {
      try {
        hook({ error: cause, requestId, method, id, ctx: invocation.ctx })
      } catch (err) {
        hookFailed(err)
      }
    }
    return errorReply(id ?? null, error.toJSON(), invocation)
  }

  function successReply(invocation: Invocation<TCtx>, value: unknown): Outcome {
    const result = value === undefined ? null : value
    let text: string | undefined
    try {
      text = JSON.stringify(result)
    } catch (error) {
      return internalFault(invocation, error)
    }
    if (text === undefined) {
      return internalFault(invocation, new TypeError('result is not serialisable'))
    }
    const reply: Reply = { id: invocation.id ?? null, isError: false, value: result, text }
    if (hooks.onResponse !== undefined) emitResponse(reply, invocation)
    return reply
  }

  function thrownErrorReply(invocation: Invocation<TCtx>, error: JsonRpcError): Outcome {
    if (invocation.isNotification) {
      notificationError({ method: invocation.method, error, cause: undefined, ctx: invocation.ctx })
      return undefined
    }
    const wire: JsonRpcErrorObject =
      error.data === undefined
        ? { code: error.code, message: String(error.message) }
        : { code: error.code, message: String(error.message), data: error.data }
    let text: string
    try {
      text = JSON.stringify(wire)
    } catch (cause) {
      return internalFault(invocation, cause)
    }
    const reply: Reply = { id: invocation.id ?? null, isError: true, value: wire, text }
    if (hooks.onResponse !== undefined) emitResponse(reply, invocation)
    return reply
  }

  /** Marks a call finished and removes it from every registry. */
  function finish(invocation: Invocation<TCtx>): void {
    invocation.state = done
    if (invocation.timer !== undefined) clearTimeout(invocation.timer)
    if (!invocation.tracked) return
    active.delete(invocation)
    invocation.group?.delete(invocation)
    const id = invocation.id
    if (id === undefined || id === null) return
    const { registry, registryKey } = invocation.run
    if (registry.get(id) === invocation) registry.delete(id)
    if (registry.size === 0 && registryKey !== defaultConnection) registries.delete(registryKey)
  }

  function checkResult(invocation: Invocation<TCtx>, value: unknown): Promise<Outcome> {
    const schema = invocation.definition.result
    return Promise.resolve(schema?.safeParseAsync(value)).then((checked) => {
      if (checked === undefined || checked.success) return successReply(invocation, value)
      const issues = checked.error.issues.map((issue) => issue.message)
      return internalFault(invocation, new TypeError(`result does not match its schema: ${issues}`))
    })
  }

  function settleValue(invocation: Invocation<TCtx>, value: unknown): Outcome | Promise<Outcome> {
    if (invocation.state === done) return invocation.outcome
    finish(invocation)
    if (invocation.isNotification) return undefined
    if (validateResults && invocation.definition.result !== undefined) {
      return checkResult(invocation, value)
    }
    return successReply(invocation, value)
  }

  function settleError(invocation: Invocation<TCtx>, error: unknown): Outcome {
    if (invocation.state === done) return invocation.outcome
    finish(invocation)
    return isJsonRpcError(error)
      ? thrownErrorReply(invocation, error)
      : internalFault(invocation, error)
  }

  /** Ends a call early (cancel, timeout, transport loss, close); later results are discarded. */
  function abort(invocation: Invocation<TCtx>, error: JsonRpcError, timedOut: boolean): boolean {
    if (invocation.state === done) return false
    finish(invocation)
    invocation.abortReason = error
    let outcome: Outcome
    if (invocation.isNotification) {
      if (timedOut) reportNotificationError(invocation, error)
    } else if (timedOut || cancelErrors) {
      outcome = errorReply(invocation.id ?? null, error.toJSON(), invocation)
    }
    invocation.outcome = outcome
    invocation.controller?.abort(error)
    invocation.resolve?.(outcome)
    return true
  }

  function cancelError(reason: string): JsonRpcError {
    return new JsonRpcError(JsonRpcErrorCode.serverError, cancelledMessage, { reason })
  }

  function transportError(signal: AbortSignal): JsonRpcError {
    return cancelError(typeof signal.reason === 'string' ? signal.reason : 'transport closed')
  }

  function chainFor(definition: MethodDefinition<TCtx>): readonly Middleware<TCtx>[] {
    let chain = chains.get(definition)
    if (chain === undefined) {
      chain =
        globalMiddleware.length === 0
          ? definition.middleware
          : [...globalMiddleware, ...definition.middleware]
      chains.set(definition, chain)
    }
    return chain
  }

  function invokeHandler(invocation: Invocation<TCtx>, params: unknown): unknown {
    const handler = invocation.definition.handler as (
      params: unknown,
      call: MethodCall<TCtx>,
    ) => unknown
    if (globalMiddleware.length === 0 && invocation.definition.middleware.length === 0) {
      return handler(params, invocation)
    }
    const chain = chainFor(invocation.definition)
    return runChain(chain, invocation, () => handler(params, invocation))
  }

  function start(invocation: Invocation<TCtx>): unknown {
    const params = prepareParams(
      invocation.definition as MethodDefinition<never>,
      invocation.params,
    )
    if (params instanceof PendingParams) {
      return params.promise.then((checked) => invokeHandler(invocation, checked))
    }
    return invokeHandler(invocation, params)
  }

  function wait(invocation: Invocation<TCtx>, work: PromiseLike<unknown>): Promise<Outcome> {
    track(invocation)
    return new Promise<Outcome>((resolve) => {
      invocation.resolve = resolve
      const timeoutMs = invocation.definition.timeoutMs
      if (timeoutMs !== undefined) {
        invocation.timer = setTimeout(() => {
          abort(
            invocation,
            new JsonRpcError(JsonRpcErrorCode.serverError, timedOutMessage, { timeoutMs }),
            true,
          )
        }, timeoutMs)
      }
      observe(work).then(
        (value) => {
          if (invocation.state !== done) resolve(settleValue(invocation, value))
        },
        (error: unknown) => {
          if (invocation.state !== done) resolve(settleError(invocation, error))
        },
      )
    })
  }

  /** Keeps a running handler visible to `close()` until it settles. */
  function observe(work: PromiseLike<unknown>): Promise<unknown> {
    const settled = Promise.resolve(work)
    handlers.add(settled)
    const forget = (): void => {
      handlers.delete(settled)
    }
    settled.then(forget, forget)
    return settled
  }

  /** Pipeline steps 9–10 for one routed call; never rejects. */
  function execute(invocation: Invocation<TCtx>): Outcome | Promise<Outcome> {
    if (invocation.state === done) return invocation.outcome
    invocation.state = running
    const onRequest = hooks.onRequest
    if (onRequest !== undefined) {
      try {
        onRequest(invocation)
      } catch (err) {
        hookFailed(err)
      }
    }
    let value: unknown
    try {
      value = start(invocation)
    } catch (error) {
      return settleError(invocation, error)
    }
    if (!isThenable(value)) return settleValue(invocation, value)
    if (invocation.state === done) {
      // Ended while its synchronous part ran: only wait for it on close().
      void observe(value)
      return invocation.outcome
    }
    return wait(invocation, value)
  }

  function handleCancelNotification(params: unknown, run: Run<TCtx>): void {
    if (cancelNotification === undefined) return
    let id: unknown
    let reason: string | undefined
    try {
      id = cancelNotification.idFrom(params)
      reason = reasonFrom(params)
    } catch (err) {
      log('debug', { err }, 'json-rpc cancel notification ignored')
      return
    }
    if (!isUsableId(id)) return
    const target = run.registry.get(id)
    if (target !== undefined) abort(target, cancelError(reason ?? 'cancelled'), false)
  }

  function routeResponse(message: unknown, run: Run<TCtx>): void {
    const correlator = run.correlator
    if (correlator !== undefined) {
      try {
        correlator.receive(message)
      } catch (err) {
        log('error', { err }, 'json-rpc correlator failed')
      }
      return
    }
    const hook = hooks.onUnexpectedResponse
    if (hook === undefined) return
    try {
      hook({ message, ctx: run.ctx })
    } catch (err) {
      hookFailed(err)
    }
  }

  /** Pipeline step 8 and the duplicate check: returns a call to run, or a reply/nothing. */
  function prepare(
    message: { readonly [key: string]: unknown },
    isNotification: boolean,
    run: Run<TCtx>,
  ): Invocation<TCtx> | Outcome {
    const method = message.method as string
    if (isNotification && method === cancelMethod) {
      handleCancelNotification(message.params, run)
      return undefined
    }
    const id = message.id as JsonRpcId
    const definition = methods.get(method)
    if (definition === undefined) {
      const error = JsonRpcError.methodNotFound({ method })
      if (!isNotification) return errorReply(id, error.toJSON())
      notificationError({ method, error, cause: undefined, ctx: run.ctx })
      return undefined
    }
    if (!isNotification && id !== null) {
      const seen = run.seen
      if (run.registry.has(id) || seen?.has(id)) {
        return errorReply(id, invalidRequestObject('duplicate_id'))
      }
      seen?.add(id)
    }
    const invocation = new Invocation(definition, message, run)
    invocation.baseLogger = logger
    if (closed) {
      abort(invocation, cancelError('dispatcher closed'), false)
      return invocation.outcome
    }
    if (run.signal?.aborted) {
      abort(invocation, transportError(run.signal), false)
      return invocation.outcome
    }
    return invocation
  }

  function createRun(ctx: TCtx, handleOptions: HandleOptions | undefined): Run<TCtx> {
    const registryKey = handleOptions?.connection ?? defaultConnection
    // A new scope's registry joins `registries` only once one of its calls is tracked.
    const registry = registries.get(registryKey) ?? new Map<JsonRpcId, Invocation<TCtx>>()
    return {
      ctx,
      signal: handleOptions?.signal,
      notify: handleOptions?.notify,
      registry,
      registryKey,
      correlator: handleOptions?.correlator ?? options.correlator,
      seen: undefined,
    }
  }

  /**
   * Puts a call into the in-flight registries (close, cancel by id, duplicate ids, transport
   * signal). Done only when a call goes async or waits in a batch queue: a call that completes
   * synchronously can never be observed in flight, so it skips this bookkeeping.
   */
  function track(invocation: Invocation<TCtx>): void {
    if (invocation.tracked || invocation.state === done) return
    invocation.tracked = true
    active.add(invocation)
    const { id, run } = invocation
    if (id !== undefined && id !== null) {
      if (!registries.has(run.registryKey)) registries.set(run.registryKey, run.registry)
      run.registry.set(id, invocation)
    }
    if (run.signal !== undefined) watch(run.signal, invocation)
  }

  /**
   * Ties a call to the transport signal: one listener per signal, however many calls share it, so a
   * long-lived connection signal never accumulates listeners.
   */
  function watch(signal: AbortSignal, invocation: Invocation<TCtx>): void {
    if (signal.aborted) {
      abort(invocation, transportError(signal), false)
      return
    }
    let group = watched.get(signal)
    if (group === undefined) {
      const members = new Set<Invocation<TCtx>>()
      group = members
      watched.set(signal, members)
      signal.addEventListener(
        'abort',
        () => {
          const error = transportError(signal)
          for (const member of [...members]) abort(member, error, false)
        },
        { once: true },
      )
    }
    group.add(invocation)
    invocation.group = group
  }

  function dispatchOne(message: object, run: Run<TCtx>): Result | Promise<Result> {
    const kind = classifyMessage(message, idPolicy, limits)
    if (kind === 'response') {
      routeResponse(message, run)
      return undefined
    }
    if (kind !== 'request' && kind !== 'notification') {
      return errorReply(usableId(message, idPolicy, limits), invalidRequestObject(kind))
    }
    const prepared = prepare(
      message as { readonly [key: string]: unknown },
      kind === 'notification',
      run,
    )
    if (!(prepared instanceof Invocation)) return prepared
    return execute(prepared)
  }

  /** Runs the calls of a batch, at most `batchConcurrency` at a time, writing replies by index. */
  function runPool(
    invocations: readonly Invocation<TCtx>[],
    slots: Outcome[],
  ): Promise<void> | undefined {
    const limit = limits.batchConcurrency
    let next = 0
    let busy = 0
    let complete: (() => void) | undefined
    const pump = (): void => {
      while (next < invocations.length && busy < limit) {
        const invocation = invocations[next++] as Invocation<TCtx>
        const outcome = execute(invocation)
        if (!isThenable(outcome)) {
          slots[invocation.index] = outcome
          continue
        }
        busy++
        outcome.then(
          (reply) => {
            slots[invocation.index] = reply
            busy--
            pump()
          },
          (error: unknown) => {
            slots[invocation.index] = internalFault(invocation, error)
            busy--
            pump()
          },
        )
      }
      if (busy === 0 && next >= invocations.length) complete?.()
    }
    pump()
    if (busy === 0 && next >= invocations.length) return undefined
    for (let index = next; index < invocations.length; index++) {
      track(invocations[index] as Invocation<TCtx>)
    }
    return new Promise<void>((resolve) => {
      complete = resolve
    })
  }

  function dispatchBatch(
    elements: readonly unknown[],
    ctx: TCtx,
    handleOptions: HandleOptions | undefined,
  ): Result | Promise<Result> {
    if (!batchEnabled) return errorReply(null, invalidRequestObject('batch_not_supported'))
    if (elements.length === 0) return errorReply(null, invalidRequestObject('empty_batch'))
    if (elements.length > limits.maxBatchSize) {
      return errorReply(null, invalidRequestObject('batch_too_large', limits.maxBatchSize))
    }
    const run = createRun(ctx, handleOptions)
    run.seen = new Set()
    const slots: Outcome[] = new Array<Outcome>(elements.length).fill(undefined)
    const invocations: Invocation<TCtx>[] = []
    for (let index = 0; index < elements.length; index++) {
      const element = elements[index]
      const kind = classifyMessage(element, idPolicy, limits)
      if (kind === 'response') {
        routeResponse(element, run)
      } else if (kind !== 'request' && kind !== 'notification') {
        slots[index] = errorReply(usableId(element, idPolicy, limits), invalidRequestObject(kind))
      } else {
        const prepared = prepare(
          element as { readonly [key: string]: unknown },
          kind === 'notification',
          run,
        )
        if (prepared instanceof Invocation) {
          prepared.index = index
          invocations.push(prepared)
        } else {
          slots[index] = prepared
        }
      }
    }
    if (invocations.length === 0) return slots
    const work = runPool(invocations, slots)
    return work === undefined ? slots : work.then(() => slots)
  }

  function dispatch(
    input: unknown,
    ctx: TCtx,
    handleOptions: HandleOptions | undefined,
  ): Result | Promise<Result> {
    const value = decodeInput(input, limits, decoder)
    if (value instanceof InputFailure) return errorReply(null, value.error)
    if (Array.isArray(value)) return dispatchBatch(value, ctx, handleOptions)
    if (typeof value !== 'object' || value === null) {
      return errorReply(null, invalidRequestObject('not_an_object'))
    }
    return dispatchOne(value, createRun(ctx, handleOptions))
  }

  /** The last line of defence: a fault of ours still yields a valid −32603 reply. */
  function unexpected(cause: unknown): Result {
    const requestId = createRequestId()
    log('error', { err: cause, requestId }, 'json-rpc dispatcher failed')
    return {
      id: null,
      isError: true,
      value: JsonRpcError.internalError({ requestId }).toJSON(),
      text: JSON.stringify({ code: -32603, message: 'Internal error', data: { requestId } }),
    }
  }

  function processInput(
    input: unknown,
    ctx: TCtx,
    handleOptions: HandleOptions | undefined,
  ): Result | Promise<Result> {
    try {
      const result = dispatch(input, ctx, handleOptions)
      return isThenable(result) ? result.then(undefined, unexpected) : result
    } catch (error) {
      return unexpected(error)
    }
  }

  function deliver<TOutput>(
    result: Result | Promise<Result>,
    format: (result: Result) => TOutput,
  ): Promise<TOutput> {
    if (isThenable(result)) return result.then(format)
    try {
      return Promise.resolve(format(result))
    } catch (error) {
      return Promise.resolve(format(unexpected(error)))
    }
  }

  function register(definition: MethodDefinition<TCtx>): void {
    const name = definition.method
    if (typeof name !== 'string' || name === '' || name.startsWith('rpc.')) {
      throw new TypeError(`method name ${String(name)} is empty or reserved`)
    }
    if (name.length > limits.maxMethodLength) {
      throw new TypeError(
        `method name ${name.slice(0, 40)}… is longer than ${limits.maxMethodLength} characters`,
      )
    }
    if (methods.has(name)) throw new TypeError(`method ${name} is already registered`)
    methods.set(name, definition)
  }

  for (const definition of options.methods ?? []) register(definition)

  return {
    register,
    use(middleware) {
      globalMiddleware.push(middleware)
      chains.clear()
    },
    handle(input, ctx, handleOptions) {
      return deliver(processInput(input, ctx, handleOptions), toObjects)
    },
    handleText(input, ctx, handleOptions) {
      return deliver(processInput(input, ctx, handleOptions), toText)
    },
    cancel(id, reason = 'cancelled', connection) {
      const target = registries.get(connection ?? defaultConnection)?.get(id)
      return target === undefined ? false : abort(target, cancelError(reason), false)
    },
    async close(reason = 'dispatcher closed') {
      closed = true
      const error = cancelError(reason)
      for (const invocation of [...active]) abort(invocation, error, false)
      await Promise.allSettled([...handlers])
    },
    get inFlight() {
      return active.size
    },
  }
}
