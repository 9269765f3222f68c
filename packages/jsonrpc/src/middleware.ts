import { isJsonRpcError, type JsonRpcError } from './errors.js'
import type { JsonRpcId, Logger, MethodCall, Middleware } from './types.js'

/** A logger that drops everything; the default when none is given. */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
})

/**
 * Runs the middleware chain around `last` (the handler), onion-style: the first middleware is the
 * outermost. Calling `next()` twice rejects, so a handler never runs twice for one call.
 */
export function runChain<TCtx>(
  chain: readonly Middleware<TCtx>[],
  call: MethodCall<TCtx>,
  last: () => unknown,
): Promise<unknown> {
  const step = (index: number): Promise<unknown> => {
    const middleware = chain[index]
    if (middleware === undefined) {
      try {
        return Promise.resolve(last())
      } catch (error) {
        return Promise.reject(error)
      }
    }
    let called = false
    return middleware(call, () => {
      if (called) return Promise.reject(new Error('middleware called next() more than once'))
      called = true
      return step(index + 1)
    })
  }
  return step(0)
}

/** What the {@link timing} middleware reports for each call. */
export interface TimingEvent {
  readonly method: string
  readonly id: JsonRpcId | undefined
  readonly isNotification: boolean
  /** Wall time from entering the middleware to the end of the chain, in milliseconds. */
  readonly durationMs: number
  /** False when the call ended in an error. */
  readonly ok: boolean
}

/** Options for {@link timing} and {@link logging}. */
export interface ClockOptions {
  /** Returns the current time in milliseconds; default `performance.now()`. */
  readonly now?: () => number
}

const defaultNow = (): number => performance.now()

/**
 * Returns a middleware that measures each call and reports it to `onTiming`.
 *
 * A throwing `onTiming` is logged through the call's logger and never changes the call's outcome.
 */
export function timing(
  onTiming: (event: TimingEvent) => void,
  options?: ClockOptions,
): Middleware<unknown> {
  const now = options?.now ?? defaultNow
  return async (call, next) => {
    const started = now()
    let ok = false
    try {
      const value = await next()
      ok = true
      return value
    } finally {
      try {
        onTiming({
          method: call.method,
          id: call.id,
          isNotification: call.isNotification,
          durationMs: now() - started,
          ok,
        })
      } catch (err) {
        call.logger.error({ err }, 'timing callback failed')
      }
    }
  }
}

/** Options for {@link logging}. */
export interface LoggingOptions extends ClockOptions {
  /** Level of the one-line summary written when a call ends; default `debug`. */
  readonly level?: 'debug' | 'info'
}

/**
 * Returns a middleware that logs each call through a pino-compatible logger.
 *
 * Params are logged only at `debug`; the summary (`method`, `id`, `durationMs`, and `code` on
 * failure) at the chosen level. Faults on our side are logged by the dispatcher with their
 * request id, not here.
 */
export function logging(logger: Logger, options?: LoggingOptions): Middleware<unknown> {
  const now = options?.now ?? defaultNow
  const level = options?.level ?? 'debug'
  return async (call, next) => {
    const { method, id } = call
    logger.debug({ method, id, params: call.params }, 'rpc call started')
    const started = now()
    try {
      const value = await next()
      logger[level]({ method, id, durationMs: now() - started }, 'rpc call finished')
      return value
    } catch (error) {
      const code = isJsonRpcError(error) ? error.code : -32603
      logger[level]({ method, id, durationMs: now() - started, code }, 'rpc call failed')
      throw error
    }
  }
}

/** Options for {@link requireScope}. */
export interface RequireScopeOptions<TCtx> {
  /** Builds the protocol's own error for a missing scope (the library assigns no code to it). */
  readonly error: (scope: string) => JsonRpcError
  /** Reads the granted scopes from the context; default: `ctx.scopes` (array or set). */
  readonly scopes?: (ctx: TCtx) => Iterable<string> | undefined
}

function scopesFromContext(ctx: unknown): Iterable<string> | undefined {
  if (typeof ctx !== 'object' || ctx === null) return undefined
  const scopes = (ctx as { readonly scopes?: unknown }).scopes
  if (Array.isArray(scopes) || scopes instanceof Set) return scopes as Iterable<string>
  return undefined
}

function includesScope(granted: Iterable<string> | undefined, scope: string): boolean {
  if (granted === undefined) return false
  if (granted instanceof Set) return granted.has(scope)
  for (const candidate of granted) if (candidate === scope) return true
  return false
}

/**
 * Returns a middleware that lets a call through only when the context grants `scope`, and
 * otherwise throws the protocol's error without running the handler.
 *
 * @example
 * ```ts
 * defineMethod({ method: 'tasks/cancel', middleware: [requireScope('tasks:write', { error })], handler })
 * ```
 */
export function requireScope<TCtx = unknown>(
  scope: string,
  options: RequireScopeOptions<TCtx>,
): Middleware<TCtx> {
  const read = options.scopes ?? (scopesFromContext as (ctx: TCtx) => Iterable<string> | undefined)
  return (call, next) => {
    if (!includesScope(read(call.ctx), scope)) return Promise.reject(options.error(scope))
    return next()
  }
}
