import { z } from 'zod'
import {
  createDispatcher,
  type DispatcherOptions,
  defineMethod,
  JsonRpcError,
  type Logger,
} from '../src/index.js'

/** A promise with its resolve function exposed, to hold a handler until the test releases it. */
export interface Latch<TValue = void> {
  readonly promise: Promise<TValue>
  release(value: TValue): void
}

/** Creates a latch. */
export function createLatch<TValue = void>(): Latch<TValue> {
  let release: (value: TValue) => void = () => undefined
  const promise = new Promise<TValue>((resolve) => {
    release = resolve
  })
  return { promise, release }
}

/** Lets pending promise callbacks run (several rounds of microtasks, no timers). */
export async function flush(rounds = 10): Promise<void> {
  for (let round = 0; round < rounds; round++) await Promise.resolve()
}

/** A logger whose methods record every call. */
export function createRecordingLogger(): Logger & {
  readonly entries: { level: string; fields: object; message: string }[]
} {
  const entries: { level: string; fields: object; message: string }[] = []
  const at =
    (level: string) =>
    (fields: object, message: string): void => {
      entries.push({ level, fields, message })
    }
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

const idKeys = new Set(['jsonrpc', 'id', 'result', 'error'])
const errorKeys = new Set(['code', 'message', 'data'])

/**
 * Returns the problems with a value as a JSON-RPC 2.0 response (empty when it is valid):
 * version, id present and well-typed, exactly one of result/error, error shape, no stack.
 */
function responseProblems(value: unknown): string[] {
  const problems: string[] = []
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not an object']
  const fields = value as Record<string, unknown>
  for (const key of Object.keys(fields)) if (!idKeys.has(key)) problems.push(`extra member ${key}`)
  if (fields.jsonrpc !== '2.0') problems.push('jsonrpc is not "2.0"')
  if (!Object.hasOwn(fields, 'id')) problems.push('id missing')
  const id = fields.id
  if (!(id === null || typeof id === 'string' || Number.isFinite(id))) problems.push('bad id')
  const hasResult = Object.hasOwn(fields, 'result')
  const hasError = Object.hasOwn(fields, 'error')
  if (hasResult === hasError) problems.push('needs exactly one of result and error')
  if (hasError) {
    const error = fields.error as Record<string, unknown> | null
    if (typeof error !== 'object' || error === null) problems.push('error is not an object')
    else {
      for (const key of Object.keys(error)) {
        if (!errorKeys.has(key)) problems.push(`extra error member ${key}`)
      }
      if (!Number.isInteger(error.code)) problems.push('error code is not an integer')
      if (typeof error.message !== 'string') problems.push('error message is not a string')
      if (JSON.stringify(error).includes('stack')) problems.push('error mentions a stack')
    }
  }
  return problems
}

/** Returns the problems of a whole reply: a response, or a non-empty array of responses. */
export function replyProblems(reply: unknown): string[] {
  if (reply === undefined) return []
  if (!Array.isArray(reply)) return responseProblems(reply)
  if (reply.length === 0) return ['empty reply array']
  return reply.flatMap((entry) => responseProblems(entry))
}

/** Counters filled by the fixture dispatcher. */
export interface FixtureCounters {
  readonly calls: Record<string, number>
  readonly hooks: Record<string, number>
}

/**
 * The dispatcher the edge-case fixtures run against: a small set of methods covering each rule,
 * with handler and hook calls counted.
 */
export function createFixtureDispatcher(
  options: DispatcherOptions<void>,
  counters: FixtureCounters,
) {
  const count =
    (name: string) =>
    <TValue>(value: TValue): TValue => {
      counters.calls[name] = (counters.calls[name] ?? 0) + 1
      return value
    }
  const countHook = (name: string) => (): void => {
    counters.hooks[name] = (counters.hooks[name] ?? 0) + 1
  }
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  return createDispatcher({
    createRequestId: () => 'req-1',
    hooks: {
      onNotificationError: countHook('onNotificationError'),
      onUnexpectedResponse: countHook('onUnexpectedResponse'),
    },
    ...options,
    methods: [
      defineMethod({
        method: 'add',
        params: z.object({ a: z.number(), b: z.number() }),
        positional: ['a', 'b'],
        handler: ({ a, b }) => count('add')(a + b),
      }),
      defineMethod({ method: 'echo', handler: (params) => count('echo')(params) }),
      defineMethod({
        method: 'search',
        params: z.object({ q: z.string().optional(), limit: z.number().int().optional() }),
        handler: (params) => count('search')(params),
      }),
      defineMethod({
        method: 'nested',
        params: z.object({ a: z.object({ b: z.array(z.string()) }), c: z.number() }),
        handler: () => count('nested')(true),
      }),
      defineMethod({
        method: 'pair',
        params: z.tuple([z.string(), z.number()]),
        handler: ([name, size]) => count('pair')(`${name}:${size}`),
      }),
      defineMethod({ method: 'record', handler: () => count('record')(undefined) }),
      defineMethod({
        method: 'fail',
        handler: () => {
          count('fail')(undefined)
          throw new Error('db down')
        },
      }),
      defineMethod({
        method: 'custom',
        handler: () => {
          throw new JsonRpcError(-32001, 'task not found', { taskId: 't1' })
        },
      }),
      defineMethod({ method: 'nothing', handler: () => undefined }),
      defineMethod({ method: 'bigint', handler: () => 1n }),
      defineMethod({ method: 'cyclic', handler: () => cyclic }),
      defineMethod({
        method: 'meta',
        params: z.object({ q: z.string() }),
        handler: (params, call) => ({ meta: call.meta, params }),
      }),
    ],
  })
}
