import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  createDispatcher,
  defineMethod,
  JsonRpcError,
  type MethodCall,
  type MethodDefinition,
} from '../src/index.js'
import { createLatch, createRecordingLogger, flush } from './support.js'

const request = (method: string, id: unknown = 1, params?: unknown) =>
  JSON.stringify(
    params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params },
  )
const notification = (method: string, params?: unknown) =>
  JSON.stringify(
    params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
  )

/** A method that waits for the test to release it, recording its signal. */
function slowMethod(name = 'slow', timeoutMs?: number) {
  const latch = createLatch<unknown>()
  const signals: AbortSignal[] = []
  const definition = defineMethod({
    method: name,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    handler: async (_params, call) => {
      signals.push(call.signal)
      return latch.promise
    },
  })
  return { definition, latch, signals }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('registration (§1.10 #17)', () => {
  it('refuses rpc. names in defineMethod and in register', () => {
    expect(() => defineMethod({ method: 'rpc.discover', handler: () => 1 })).toThrow(TypeError)
    const dispatcher = createDispatcher()
    const forged = {
      ...defineMethod({ method: 'x', handler: () => 1 }),
      method: 'rpc.x',
    } as MethodDefinition
    expect(() => dispatcher.register(forged)).toThrow(/reserved/)
  })

  it('refuses a duplicate registration and an over-long name', () => {
    const add = defineMethod({ method: 'add', handler: () => 1 })
    const dispatcher = createDispatcher({ methods: [add] })
    expect(() => dispatcher.register(add)).toThrow(/already registered/)
    expect(() =>
      dispatcher.register(defineMethod({ method: 'm'.repeat(129), handler: () => 1 })),
    ).toThrow(/longer than 128/)
  })

  it('checks method options and limits at start-up', () => {
    expect(() => defineMethod({ method: 'a', positional: ['x'], handler: () => 1 })).toThrow(
      /positional/,
    )
    expect(() => defineMethod({ method: 'a', timeoutMs: 0, handler: () => 1 })).toThrow(/timeoutMs/)
    expect(() => createDispatcher({ limits: { maxDepth: 0 } })).toThrow(/maxDepth/)
    expect(() => createDispatcher({ ids: 'loose' as 'strict' })).toThrow(/ids/)
  })
})

describe('internal errors (§1.10 #19)', () => {
  it('hides the message, logs the error with the request id and calls onInternalError', async () => {
    const logger = createRecordingLogger()
    const onInternalError = vi.fn()
    const failure = new Error('db down')
    const dispatcher = createDispatcher({
      logger,
      hooks: { onInternalError },
      methods: [
        defineMethod({
          method: 'fail',
          handler: () => {
            throw failure
          },
        }),
      ],
    })
    const text = await dispatcher.handleText(request('fail', 'r1'))
    expect(text).not.toContain('db down')
    expect(text).not.toContain('stack')
    const reply = JSON.parse(text ?? '')
    expect(reply.error).toMatchObject({ code: -32603, message: 'Internal error' })
    const requestId = reply.error.data.requestId
    expect(requestId).toEqual(expect.any(String))
    expect(logger.entries).toEqual([
      {
        level: 'error',
        fields: { err: failure, requestId, method: 'fail', id: 'r1' },
        message: 'json-rpc handler failed',
      },
    ])
    expect(onInternalError).toHaveBeenCalledWith({
      error: failure,
      requestId,
      method: 'fail',
      id: 'r1',
      ctx: undefined,
    })
  })

  it('treats a JsonRpcError whose data cannot be serialised as an internal error', async () => {
    const dispatcher = createDispatcher({
      createRequestId: () => 'req-9',
      methods: [
        defineMethod({
          method: 'odd',
          handler: () => {
            throw new JsonRpcError(-32001, 'odd', { size: 1n })
          },
        }),
      ],
    })
    expect(await dispatcher.handle(request('odd'))).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32603, message: 'Internal error', data: { requestId: 'req-9' } },
    })
  })

  it('answers -32603 for a function result, which JSON cannot carry', async () => {
    const dispatcher = createDispatcher({
      createRequestId: () => 'req-2',
      methods: [defineMethod({ method: 'fn', handler: () => () => 1 })],
    })
    expect(await dispatcher.handle(request('fn'))).toMatchObject({ error: { code: -32603 } })
  })
})

describe('typed params (§1.5)', () => {
  it('passes _meta as call.meta and strips it from validated params', async () => {
    const seen: unknown[] = []
    const dispatcher = createDispatcher({
      methods: [
        defineMethod({
          method: 'get',
          params: z.object({ id: z.string() }),
          handler: (params, call) => {
            seen.push(params, call.meta)
            return params.id
          },
        }),
      ],
    })
    await dispatcher.handle(request('get', 1, { id: 'a', _meta: { progressToken: 'p' } }))
    expect(seen).toEqual([{ id: 'a' }, { progressToken: 'p' }])
  })

  it('supports schemas with async refinements', async () => {
    const dispatcher = createDispatcher({
      methods: [
        defineMethod({
          method: 'check',
          params: z.object({ name: z.string().refine(async (name) => name !== 'taken') }),
          handler: ({ name }) => name,
        }),
      ],
    })
    expect(await dispatcher.handle(request('check', 1, { name: 'free' }))).toMatchObject({
      result: 'free',
    })
    expect(await dispatcher.handle(request('check', 2, { name: 'taken' }))).toMatchObject({
      error: { code: -32602, data: { issues: [{ path: 'name' }] } },
    })
  })

  it('checks results only when validateResults is on, as an internal error', async () => {
    const method = defineMethod({
      method: 'count',
      result: z.number(),
      handler: () => 'three' as unknown as number,
    })
    const off = createDispatcher({ methods: [method] })
    expect(await off.handle(request('count'))).toMatchObject({ result: 'three' })
    const logger = createRecordingLogger()
    const on = createDispatcher({ methods: [method], validateResults: true, logger })
    expect(await on.handle(request('count'))).toMatchObject({ error: { code: -32603 } })
    expect(logger.entries.map((entry) => entry.level)).toEqual(['error'])
  })

  it('sends the original result when it matches its schema', async () => {
    const dispatcher = createDispatcher({
      validateResults: true,
      methods: [
        defineMethod({
          method: 'task',
          result: z.object({ id: z.string() }),
          handler: () => ({ id: 't', extra: 1 }),
        }),
      ],
    })
    expect(await dispatcher.handle(request('task'))).toMatchObject({
      result: { id: 't', extra: 1 },
    })
  })
})

describe('middleware and context (§1.6)', () => {
  interface Ctx {
    readonly scopes: readonly string[]
  }

  it('runs global then per-method middleware, onion style, with the context', async () => {
    const order: string[] = []
    const dispatcher = createDispatcher<Ctx>({
      middleware: [
        async (call, next) => {
          order.push(`global in ${call.method} ${call.ctx.scopes.join()}`)
          const result = await next()
          order.push('global out')
          return result
        },
      ],
      methods: [
        defineMethod({
          method: 'm',
          middleware: [
            async (call, next) => {
              order.push(`method in ${JSON.stringify(call.params)} ${call.isNotification}`)
              const result = await next()
              order.push('method out')
              return result
            },
          ],
          handler: (_params, call: MethodCall<Ctx>) => {
            order.push('handler')
            return call.ctx.scopes.length
          },
        }),
      ],
    })
    dispatcher.use(async (_call, next) => {
      order.push('late global')
      return next()
    })
    const reply = await dispatcher.handle(request('m', 1, { x: 1 }), { scopes: ['a'] })
    expect(reply).toMatchObject({ result: 1 })
    expect(order).toEqual([
      'global in m a',
      'late global',
      'method in {"x":1} false',
      'handler',
      'method out',
      'global out',
    ])
  })

  it('lets middleware short-circuit with a value or a JsonRpcError', async () => {
    const handler = vi.fn(() => 'handler')
    const dispatcher = createDispatcher<Ctx>({
      middleware: [
        (call, next) => {
          if (call.method === 'cached') return Promise.resolve('from cache')
          if (call.method === 'denied') return Promise.reject(new JsonRpcError(-32003, 'denied'))
          return next()
        },
      ],
      methods: ['cached', 'denied', 'open'].map((method) => defineMethod({ method, handler })),
    })
    const ctx = { scopes: [] }
    expect(await dispatcher.handle(request('cached'), ctx)).toMatchObject({ result: 'from cache' })
    expect(await dispatcher.handle(request('denied'), ctx)).toMatchObject({
      error: { code: -32003, message: 'denied' },
    })
    expect(await dispatcher.handle(request('open'), ctx)).toMatchObject({ result: 'handler' })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('answers -32603 when a middleware calls next() twice, running the handler once', async () => {
    const handler = vi.fn(() => 1)
    const dispatcher = createDispatcher({
      middleware: [
        async (_call, next) => {
          await next()
          return next()
        },
      ],
      methods: [defineMethod({ method: 'm', handler })],
    })
    expect(await dispatcher.handle(request('m'))).toMatchObject({ error: { code: -32603 } })
    expect(handler).toHaveBeenCalledTimes(1)
  })
})

describe('hooks', () => {
  it('calls onRequest and onResponse, and survives a throwing hook', async () => {
    const logger = createRecordingLogger()
    const onRequest = vi.fn(() => {
      throw new Error('hook bug')
    })
    const onResponse = vi.fn()
    const dispatcher = createDispatcher({
      logger,
      hooks: { onRequest, onResponse },
      methods: [defineMethod({ method: 'one', handler: () => 1 })],
    })
    expect(await dispatcher.handle(request('one', 5))).toEqual({
      jsonrpc: '2.0',
      id: 5,
      result: 1,
    })
    expect(onRequest).toHaveBeenCalledWith(expect.objectContaining({ id: 5, method: 'one' }))
    expect(onResponse).toHaveBeenCalledWith({
      response: { jsonrpc: '2.0', id: 5, result: 1 },
      call: expect.objectContaining({ id: 5 }),
    })
    expect(logger.entries).toMatchObject([{ level: 'error', message: 'json-rpc hook failed' }])
  })

  it('routes responses to the correlator given to handle instead of the hook', async () => {
    const onUnexpectedResponse = vi.fn()
    const receive = vi.fn(() => true)
    const dispatcher = createDispatcher({ hooks: { onUnexpectedResponse } })
    const response = { jsonrpc: '2.0', id: 3, result: 'x' }
    expect(await dispatcher.handle(response, undefined, { correlator: { receive } })).toBe(
      undefined,
    )
    expect(receive).toHaveBeenCalledWith(response)
    expect(onUnexpectedResponse).not.toHaveBeenCalled()
  })

  it('sends handler notifications through the transport notify option', async () => {
    const sent: unknown[] = []
    const dispatcher = createDispatcher({
      methods: [
        defineMethod({
          method: 'work',
          handler: (_params, call) => {
            call.notify('progress', { done: 1 })
            call.notify('finished')
            return 'ok'
          },
        }),
      ],
    })
    await dispatcher.handle(request('work'), undefined, { notify: (n) => sent.push(n) })
    expect(sent).toEqual([
      { jsonrpc: '2.0', method: 'progress', params: { done: 1 } },
      { jsonrpc: '2.0', method: 'finished' },
    ])
    // Without a notify option, call.notify does nothing.
    expect(await dispatcher.handle(request('work'))).toMatchObject({ result: 'ok' })
  })

  it('binds a child logger per call when the logger supports it', async () => {
    const bindings: object[] = []
    const base = createRecordingLogger()
    const child = (fields: object) => {
      bindings.push(fields)
      return base
    }
    const logger = { ...base, child }
    const dispatcher = createDispatcher({
      logger,
      methods: [
        defineMethod({
          method: 'log',
          handler: (_params, call) => call.logger.info({ step: 1 }, 'working'),
        }),
      ],
    })
    await dispatcher.handle(request('log', 4))
    expect(bindings).toEqual([{ method: 'log', id: 4 }])
    expect(base.entries).toEqual([{ level: 'info', fields: { step: 1 }, message: 'working' }])
  })
})

describe('duplicate in-flight ids (§1.4)', () => {
  it('answers duplicate_id for an id already in flight, per connection', async () => {
    const slow = slowMethod()
    const dispatcher = createDispatcher({ methods: [slow.definition] })
    const first = dispatcher.handle(request('slow', 7))
    await flush()
    expect(await dispatcher.handle(request('slow', 7))).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32600, message: 'Invalid Request', data: { reason: 'duplicate_id' } },
    })
    // Another connection scope may reuse the id.
    const other = dispatcher.handle(request('slow', 7), undefined, { connection: {} })
    await flush()
    expect(dispatcher.inFlight).toBe(2)
    slow.latch.release('done')
    expect(await first).toMatchObject({ id: 7, result: 'done' })
    expect(await other).toMatchObject({ id: 7, result: 'done' })
    expect(dispatcher.inFlight).toBe(0)
    // Once finished, the id is free again.
    expect(await dispatcher.handle(request('slow', 7))).toMatchObject({ result: 'done' })
  })
})

describe('cancellation (§1.10 #35)', () => {
  const cancelNotification = {
    method: 'notifications/cancelled',
    idFrom: (params: unknown) => (params as { requestId?: unknown }).requestId,
  }

  it('aborts the handler signal and sends nothing under onCancel suppress', async () => {
    const slow = slowMethod()
    const dispatcher = createDispatcher({ methods: [slow.definition], cancelNotification })
    const pending = dispatcher.handle(request('slow', 'c1'))
    await flush()
    expect(slow.signals[0]?.aborted).toBe(false)
    const ack = await dispatcher.handle(
      notification('notifications/cancelled', { requestId: 'c1', reason: 'user' }),
    )
    expect(ack).toBeUndefined()
    expect(slow.signals[0]?.aborted).toBe(true)
    expect(slow.signals[0]?.reason).toMatchObject({ code: -32000, data: { reason: 'user' } })
    expect(await pending).toBeUndefined()
    slow.latch.release('late')
    await flush()
    expect(dispatcher.inFlight).toBe(0)
  })

  it('answers -32000 "request cancelled" under onCancel error', async () => {
    const slow = slowMethod()
    const dispatcher = createDispatcher({
      methods: [slow.definition],
      cancelNotification,
      onCancel: 'error',
    })
    const pending = dispatcher.handle(request('slow', 2))
    await flush()
    await dispatcher.handle(notification('notifications/cancelled', { requestId: 2 }))
    expect(await pending).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32000, message: 'request cancelled', data: { reason: 'cancelled' } },
    })
  })

  it('ignores cancels for unknown or finished ids and malformed cancel params', async () => {
    const onNotificationError = vi.fn()
    const dispatcher = createDispatcher({
      cancelNotification,
      hooks: { onNotificationError },
      methods: [defineMethod({ method: 'fast', handler: () => 1 })],
    })
    await dispatcher.handle(request('fast', 1))
    expect(
      await dispatcher.handle(notification('notifications/cancelled', { requestId: 1 })),
    ).toBeUndefined()
    expect(
      await dispatcher.handle(notification('notifications/cancelled', { requestId: 99 })),
    ).toBeUndefined()
    expect(await dispatcher.handle(notification('notifications/cancelled'))).toBeUndefined()
    expect(onNotificationError).not.toHaveBeenCalled()
  })

  it('cancels by id through dispatcher.cancel, in the right connection only', async () => {
    const slow = slowMethod()
    const dispatcher = createDispatcher({ methods: [slow.definition], onCancel: 'error' })
    const connection = {}
    const pending = dispatcher.handle(request('slow', 3), undefined, { connection })
    await flush()
    expect(dispatcher.cancel(3)).toBe(false)
    expect(dispatcher.cancel(3, 'shutdown', connection)).toBe(true)
    expect(await pending).toMatchObject({ error: { code: -32000, data: { reason: 'shutdown' } } })
    expect(dispatcher.cancel(3, 'again', connection)).toBe(false)
  })

  it('cancels a queued batch element before it starts', async () => {
    const slow = slowMethod()
    const fast = vi.fn(() => 'fast')
    const dispatcher = createDispatcher({
      limits: { batchConcurrency: 1 },
      onCancel: 'error',
      methods: [slow.definition, defineMethod({ method: 'fast', handler: fast })],
    })
    const pending = dispatcher.handle(`[${request('slow', 1)},${request('fast', 2)}]`)
    await flush()
    expect(dispatcher.cancel(2, 'not needed')).toBe(true)
    slow.latch.release('slow')
    expect(await pending).toEqual([
      { jsonrpc: '2.0', id: 1, result: 'slow' },
      {
        jsonrpc: '2.0',
        id: 2,
        error: { code: -32000, message: 'request cancelled', data: { reason: 'not needed' } },
      },
    ])
    expect(fast).not.toHaveBeenCalled()
  })
})

describe('time limits (§1.10 #36)', () => {
  it('answers -32000 "request timed out" and discards the late result', async () => {
    vi.useFakeTimers()
    const slow = slowMethod('slow', 50)
    const onResponse = vi.fn()
    const dispatcher = createDispatcher({ methods: [slow.definition], hooks: { onResponse } })
    const pending = dispatcher.handle(request('slow', 1))
    await flush()
    vi.advanceTimersByTime(49)
    expect(slow.signals[0]?.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(slow.signals[0]?.aborted).toBe(true)
    expect(await pending).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32000, message: 'request timed out', data: { timeoutMs: 50 } },
    })
    slow.latch.release('too late')
    await flush()
    expect(onResponse).toHaveBeenCalledTimes(1)
    expect(dispatcher.inFlight).toBe(0)
  })

  it('times out even under onCancel suppress, and reports timed-out notifications', async () => {
    vi.useFakeTimers()
    const slow = slowMethod('slow', 10)
    const onNotificationError = vi.fn()
    const dispatcher = createDispatcher({
      methods: [slow.definition],
      hooks: { onNotificationError },
    })
    const pending = dispatcher.handle(`[${request('slow', 1)},${notification('slow')}]`)
    await flush()
    vi.advanceTimersByTime(10)
    expect(await pending).toMatchObject([{ id: 1, error: { message: 'request timed out' } }])
    expect(onNotificationError).toHaveBeenCalledWith(
      expect.objectContaining({ method: 'slow', error: expect.any(JsonRpcError) }),
    )
  })

  it('clears the timer when the handler finishes first', async () => {
    vi.useFakeTimers()
    const slow = slowMethod('slow', 1_000)
    const dispatcher = createDispatcher({ methods: [slow.definition] })
    const pending = dispatcher.handle(request('slow'))
    await flush()
    slow.latch.release('in time')
    expect(await pending).toMatchObject({ result: 'in time' })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('transport abort and close (§1.10 #37)', () => {
  it('aborts every in-flight call of a message when the transport signal aborts', async () => {
    const slow = slowMethod()
    const dispatcher = createDispatcher({ methods: [slow.definition], onCancel: 'error' })
    const transport = new AbortController()
    const pending = dispatcher.handle(`[${request('slow', 1)},${request('slow', 2)}]`, undefined, {
      signal: transport.signal,
    })
    await flush()
    expect(slow.signals).toHaveLength(2)
    transport.abort('client went away')
    expect(slow.signals.every((signal) => signal.aborted)).toBe(true)
    expect(await pending).toMatchObject([
      { id: 1, error: { code: -32000, data: { reason: 'client went away' } } },
      { id: 2, error: { code: -32000, data: { reason: 'client went away' } } },
    ])
  })

  it('runs nothing when the transport signal is already aborted', async () => {
    const handler = vi.fn(() => 1)
    const dispatcher = createDispatcher({ methods: [defineMethod({ method: 'm', handler })] })
    const reply = await dispatcher.handle(request('m'), undefined, {
      signal: AbortSignal.abort(),
    })
    expect(reply).toBeUndefined()
    expect(handler).not.toHaveBeenCalled()
  })

  it('close() aborts in-flight calls, waits for their handlers, and refuses new calls', async () => {
    const latch = createLatch()
    const events: string[] = []
    const dispatcher = createDispatcher({
      methods: [
        defineMethod({
          method: 'work',
          handler: async (_params, call) => {
            call.signal.addEventListener('abort', () => events.push('aborted'))
            await latch.promise
            events.push('handler settled')
          },
        }),
      ],
    })
    const pending = dispatcher.handle(request('work'))
    await flush()
    let closed = false
    const closing = dispatcher.close().then(() => {
      closed = true
    })
    expect(await pending).toBeUndefined()
    await flush()
    expect(closed).toBe(false)
    latch.release()
    await closing
    expect(events).toEqual(['aborted', 'handler settled'])
    expect(await dispatcher.handle(request('work', 2))).toBeUndefined()
    expect(dispatcher.inFlight).toBe(0)
  })
})

describe('batch concurrency (§1.10 #38)', () => {
  function twoSlowCalls(batchConcurrency: number) {
    const started: string[] = []
    const latches = { a: createLatch(), b: createLatch() }
    const dispatcher = createDispatcher({
      limits: { batchConcurrency },
      methods: (['a', 'b'] as const).map((name) =>
        defineMethod({
          method: name,
          handler: async () => {
            started.push(name)
            await latches[name].promise
            return name
          },
        }),
      ),
    })
    const pending = dispatcher.handle(`[${request('a', 1)},${request('b', 2)}]`)
    return { started, latches, pending }
  }

  it('runs batch elements one at a time with batchConcurrency 1', async () => {
    const { started, latches, pending } = twoSlowCalls(1)
    await flush()
    expect(started).toEqual(['a'])
    latches.a.release()
    await flush()
    expect(started).toEqual(['a', 'b'])
    latches.b.release()
    expect(await pending).toMatchObject([{ result: 'a' }, { result: 'b' }])
  })

  it('runs batch elements in parallel with batchConcurrency 4', async () => {
    const { started, latches, pending } = twoSlowCalls(4)
    await flush()
    expect(started).toEqual(['a', 'b'])
    latches.b.release()
    latches.a.release()
    expect(await pending).toMatchObject([{ result: 'a' }, { result: 'b' }])
  })
})

describe('robustness', () => {
  it('never rejects, whatever the input', async () => {
    const dispatcher = createDispatcher({
      methods: [defineMethod({ method: 'm', handler: () => 1 })],
    })
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap')
        },
      },
    )
    const inputs: unknown[] = [
      undefined,
      () => 1,
      Symbol('s'),
      1n,
      hostile,
      [hostile],
      new Uint8Array(),
    ]
    for (const input of inputs) {
      const reply = await dispatcher.handle(input)
      expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: expect.any(Object) })
    }
  })

  it('reports a broken logger nowhere but still answers', async () => {
    const broken = createRecordingLogger()
    const logger = {
      ...broken,
      error: () => {
        throw new Error('logger down')
      },
    }
    const dispatcher = createDispatcher({
      logger,
      methods: [
        defineMethod({
          method: 'fail',
          handler: () => {
            throw new Error('x')
          },
        }),
      ],
    })
    expect(await dispatcher.handle(request('fail'))).toMatchObject({ error: { code: -32603 } })
  })
})
