import type { JsonRpcError } from './errors.js'
import type { MethodDefinition } from './method.js'
import { noopLogger } from './middleware.js'
import type { Outcome } from './reply.js'
import type {
  JsonRpcId,
  JsonRpcNotification,
  JsonRpcParams,
  Logger,
  MethodCall,
  ResponseReceiver,
} from './types.js'

/** The state shared by the calls of one `handle` invocation. */
export interface Run<TCtx> {
  readonly ctx: TCtx
  readonly signal: AbortSignal | undefined
  readonly notify: ((notification: JsonRpcNotification) => void) | undefined
  readonly registry: Map<JsonRpcId, Invocation<TCtx>>
  readonly registryKey: object
  readonly correlator: ResponseReceiver | undefined
  /** Request ids seen so far in this batch (duplicate detection before anything runs). */
  seen: Set<JsonRpcId> | undefined
}

const pending = 0
export const running = 1
export const done = 2

/** One routed call: the object handlers see as `call`, plus the dispatcher's bookkeeping. */
export class Invocation<TCtx> implements MethodCall<TCtx> {
  readonly id: JsonRpcId | undefined
  readonly method: string
  readonly params: unknown
  readonly meta: unknown
  readonly isNotification: boolean
  readonly ctx: TCtx
  readonly definition: MethodDefinition<TCtx>
  readonly run: Run<TCtx>
  baseLogger: Logger = noopLogger
  index = 0
  state = pending
  outcome: Outcome = undefined
  /** Whether the call sits in the in-flight registries (only once it waits or goes async). */
  tracked = false
  controller: AbortController | undefined = undefined
  abortReason: JsonRpcError | undefined = undefined
  timer: ReturnType<typeof setTimeout> | undefined = undefined
  resolve: ((outcome: Outcome | Promise<Outcome>) => void) | undefined = undefined
  boundLogger: Logger | undefined = undefined
  group: Set<Invocation<TCtx>> | undefined = undefined

  constructor(
    definition: MethodDefinition<TCtx>,
    message: { readonly [key: string]: unknown },
    run: Run<TCtx>,
  ) {
    this.definition = definition
    this.run = run
    this.ctx = run.ctx
    this.id = message.id as JsonRpcId | undefined
    this.isNotification = this.id === undefined
    this.method = message.method as string
    const params = message.params
    this.params = params
    this.meta =
      typeof params === 'object' && params !== null && !Array.isArray(params)
        ? (params as { readonly _meta?: unknown })._meta
        : undefined
  }

  // Created on first use: most handlers never look at the signal, and an AbortController is costly.
  get signal(): AbortSignal {
    let controller = this.controller
    if (controller === undefined) {
      controller = new AbortController()
      this.controller = controller
      if (this.abortReason !== undefined) controller.abort(this.abortReason)
    }
    return controller.signal
  }

  get logger(): Logger {
    let logger = this.boundLogger
    if (logger === undefined) {
      const base = this.baseLogger
      logger = base.child === undefined ? base : base.child({ method: this.method, id: this.id })
      this.boundLogger = logger
    }
    return logger
  }

  notify(method: string, params?: JsonRpcParams): void {
    const send = this.run.notify
    if (send === undefined) return
    send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params })
  }
}
