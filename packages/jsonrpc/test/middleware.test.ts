import { describe, expect, it, vi } from 'vitest'
import {
  createDispatcher,
  defineMethod,
  JsonRpcError,
  logging,
  requireScope,
  type TimingEvent,
  timing,
} from '../src/index.js'
import { createRecordingLogger } from './support.js'

const request = (method: string, params?: unknown) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params === undefined ? {} : { params }) })

function steppingClock(stepMs: number): () => number {
  let now = 0
  return () => {
    now += stepMs
    return now
  }
}

const methods = [
  defineMethod({ method: 'ok', handler: () => 'fine' }),
  defineMethod({
    method: 'denied',
    handler: () => {
      throw new JsonRpcError(-32003, 'forbidden')
    },
  }),
]

describe('timing', () => {
  it('reports the duration and outcome of each call', async () => {
    const events: TimingEvent[] = []
    const dispatcher = createDispatcher({
      middleware: [timing((event) => events.push(event), { now: steppingClock(5) })],
      methods,
    })
    await dispatcher.handle(request('ok'))
    await dispatcher.handle(request('denied'))
    expect(events).toEqual([
      { method: 'ok', id: 1, isNotification: false, durationMs: 5, ok: true },
      { method: 'denied', id: 1, isNotification: false, durationMs: 5, ok: false },
    ])
  })

  it('never lets a throwing callback change the response', async () => {
    const logger = createRecordingLogger()
    const dispatcher = createDispatcher({
      logger,
      middleware: [
        timing(() => {
          throw new Error('metrics down')
        }),
      ],
      methods,
    })
    expect(await dispatcher.handle(request('ok'))).toMatchObject({ result: 'fine' })
    expect(logger.entries).toMatchObject([{ level: 'error', message: 'timing callback failed' }])
  })
})

describe('logging', () => {
  it('logs params only at debug and a summary at the chosen level', async () => {
    const logger = createRecordingLogger()
    const dispatcher = createDispatcher({
      middleware: [logging(logger, { level: 'info', now: steppingClock(2) })],
      methods,
    })
    await dispatcher.handle(request('ok', { secret: 's' }))
    await dispatcher.handle(request('denied'))
    expect(logger.entries).toEqual([
      {
        level: 'debug',
        fields: { method: 'ok', id: 1, params: { secret: 's' } },
        message: 'rpc call started',
      },
      {
        level: 'info',
        fields: { method: 'ok', id: 1, durationMs: 2 },
        message: 'rpc call finished',
      },
      {
        level: 'debug',
        fields: { method: 'denied', id: 1, params: undefined },
        message: 'rpc call started',
      },
      {
        level: 'info',
        fields: { method: 'denied', id: 1, durationMs: 2, code: -32003 },
        message: 'rpc call failed',
      },
    ])
    const aboveDebug = logger.entries.filter((entry) => entry.level !== 'debug')
    expect(JSON.stringify(aboveDebug)).not.toContain('secret')
  })
})

describe('requireScope', () => {
  const forbidden = (scope: string) => new JsonRpcError(-32003, 'missing scope', { scope })

  it('lets the call through only when the context grants the scope', async () => {
    const handler = vi.fn(() => 'written')
    const dispatcher = createDispatcher<{ readonly scopes: readonly string[] }>({
      methods: [
        defineMethod({
          method: 'write',
          middleware: [requireScope('tasks:write', { error: forbidden })],
          handler,
        }),
      ],
    })
    expect(await dispatcher.handle(request('write'), { scopes: ['tasks:read'] })).toMatchObject({
      error: { code: -32003, data: { scope: 'tasks:write' } },
    })
    expect(handler).not.toHaveBeenCalled()
    expect(
      await dispatcher.handle(request('write'), { scopes: ['tasks:read', 'tasks:write'] }),
    ).toMatchObject({ result: 'written' })
  })

  it('reads scopes from a Set or a custom accessor, and denies a context without scopes', async () => {
    const bySet = createDispatcher<{ readonly scopes: ReadonlySet<string> }>({
      middleware: [requireScope('a', { error: forbidden })],
      methods,
    })
    expect(await bySet.handle(request('ok'), { scopes: new Set(['a']) })).toMatchObject({
      result: 'fine',
    })
    const custom = createDispatcher<{ readonly grants: string }>({
      middleware: [requireScope('a', { error: forbidden, scopes: (ctx) => ctx.grants.split(' ') })],
      methods,
    })
    expect(await custom.handle(request('ok'), { grants: 'b a' })).toMatchObject({
      result: 'fine',
    })
    const none = createDispatcher<undefined>({
      middleware: [requireScope('a', { error: forbidden })],
      methods,
    })
    expect(await none.handle(request('ok'), undefined)).toMatchObject({
      error: { code: -32003 },
    })
  })
})
