import type { output, ZodType } from 'zod'
import { JsonRpcError } from './errors.js'
import type { JsonRpcParams, MethodCall, Middleware } from './types.js'

/** The handler's `params` type: the schema's output, or the raw params when there is no schema. */
export type MethodParams<TSchema extends ZodType | undefined> = TSchema extends ZodType
  ? output<TSchema>
  : JsonRpcParams | undefined

/**
 * What {@link defineMethod} takes: the method name, its schemas and its handler.
 *
 * @typeParam TSchema - the zod schema for `params`, or `undefined` to receive them raw.
 * @typeParam TResult - what the handler returns.
 * @typeParam TCtx - the dispatcher's context type.
 */
export interface MethodConfig<TSchema extends ZodType | undefined, TResult, TCtx> {
  /** The method name; case-sensitive, non-empty, not starting with `rpc.`. */
  readonly method: string
  /**
   * Schema for `params`. Absent params are validated as `{}` (or `[]` for a tuple schema). Object
   * schemas strip unknown keys; `_meta` is never validated and reaches the handler as `call.meta`.
   */
  readonly params?: TSchema
  /** Names to map by-position params onto, in order, for an object schema. */
  readonly positional?: readonly string[]
  /** Schema the result must match when the dispatcher's `validateResults` is on. */
  readonly result?: ZodType
  /** Time limit in milliseconds; when it elapses the call answers −32000 "request timed out". */
  readonly timeoutMs?: number
  /** Middleware run for this method only, inside the dispatcher's global middleware. */
  readonly middleware?: readonly Middleware<TCtx>[]
  /** Runs the call; throw a `JsonRpcError` to answer with that error. */
  readonly handler: (
    params: MethodParams<TSchema>,
    call: MethodCall<TCtx>,
  ) => TResult | Promise<TResult>
}

/**
 * A checked method, ready for `dispatcher.register` (built by {@link defineMethod}).
 *
 * @typeParam TCtx - the context type its handler and middleware expect.
 */
export interface MethodDefinition<TCtx = unknown> {
  readonly method: string
  readonly params: ZodType | undefined
  readonly positional: readonly string[] | undefined
  readonly result: ZodType | undefined
  readonly timeoutMs: number | undefined
  readonly middleware: readonly Middleware<TCtx>[]
  readonly handler: (params: never, call: MethodCall<TCtx>) => unknown
}

function isTupleSchema(schema: ZodType | undefined): boolean {
  return schema?._zod.def.type === 'tuple'
}

/**
 * Checks a method's configuration and returns its definition.
 *
 * @throws TypeError when the name is empty or reserved (`rpc.`), `positional` is used without an
 * object schema or repeats a name, `timeoutMs` is not a positive number, or the handler is missing.
 * @example
 * ```ts
 * const add = defineMethod({
 *   method: 'add',
 *   params: z.object({ a: z.number(), b: z.number() }),
 *   positional: ['a', 'b'],
 *   handler: ({ a, b }) => a + b,
 * })
 * ```
 */
export function defineMethod<
  TSchema extends ZodType | undefined = undefined,
  TResult = unknown,
  TCtx = unknown,
>(config: MethodConfig<TSchema, TResult, TCtx>): MethodDefinition<TCtx> {
  const { method, params, positional, result, timeoutMs, middleware, handler } = config
  if (typeof method !== 'string' || method === '') {
    throw new TypeError('method name must be a non-empty string')
  }
  if (method.startsWith('rpc.')) {
    throw new TypeError(`method names starting with rpc. are reserved, received ${method}`)
  }
  if (typeof handler !== 'function') throw new TypeError(`method ${method} needs a handler`)
  if (positional !== undefined) {
    if (params === undefined || isTupleSchema(params)) {
      throw new TypeError(`method ${method}: positional needs an object params schema`)
    }
    const names = new Set(positional)
    if (names.size !== positional.length || names.has('__proto__')) {
      throw new TypeError(`method ${method}: positional names must be distinct plain keys`)
    }
  }
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(`method ${method}: timeoutMs must be a positive number of milliseconds`)
  }
  return Object.freeze({
    method,
    params,
    positional: positional === undefined ? undefined : Object.freeze([...positional]),
    result,
    timeoutMs,
    middleware: Object.freeze([...(middleware ?? [])]),
    handler: handler as (params: never, call: MethodCall<TCtx>) => unknown,
  })
}

/** Marks a params validation that needs an async zod parse (async refinements). */
export class PendingParams {
  readonly promise: Promise<unknown>
  constructor(promise: Promise<unknown>) {
    this.promise = promise
  }
}

interface Issue {
  readonly path: readonly PropertyKey[]
  readonly message: string
}

/** Formats a zod issue path as `a.b[0]`. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? String(segment) : `.${String(segment)}`
  }
  return text
}

function invalidParams(issues: readonly Issue[]): JsonRpcError {
  return JsonRpcError.invalidParams({
    issues: issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message.slice(0, 200),
    })),
  })
}

type SafeResult =
  | { readonly success: true; readonly data: unknown }
  | { readonly success: false; readonly error: { readonly issues: readonly Issue[] } }

function unwrap(result: SafeResult): unknown {
  if (result.success) return result.data
  throw invalidParams(result.error.issues)
}

/**
 * Validates raw params against a method's schema (pipeline step 9).
 *
 * @returns the params for the handler, or a {@link PendingParams} when zod must parse async.
 * @throws JsonRpcError −32602 listing every issue.
 */
export function prepareParams(definition: MethodDefinition<never>, raw: unknown): unknown {
  const schema = definition.params
  if (schema === undefined) return raw
  let input = raw
  if (raw === undefined) {
    input = isTupleSchema(schema) ? [] : {}
  } else if (Array.isArray(raw) && !isTupleSchema(schema)) {
    const names = definition.positional
    if (names === undefined) {
      throw invalidParams([
        { path: [], message: 'by-position params are not accepted by this method' },
      ])
    }
    if (raw.length > names.length) {
      throw invalidParams([
        {
          path: [],
          message: `expected at most ${names.length} positional params, received ${raw.length}`,
        },
      ])
    }
    const named: Record<string, unknown> = {}
    for (let index = 0; index < raw.length; index++) named[names[index] as string] = raw[index]
    input = named
  }
  let result: SafeResult
  try {
    result = schema.safeParse(input) as SafeResult
  } catch {
    // A schema with async refinements throws on a synchronous parse; parse it asynchronously.
    return new PendingParams(
      schema.safeParseAsync(input).then((asyncResult) => unwrap(asyncResult as SafeResult)),
    )
  }
  return unwrap(result)
}
