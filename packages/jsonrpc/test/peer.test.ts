import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  createCorrelator,
  createDispatcher,
  createPeer,
  defineMethod,
  JsonRpcConnectionClosedError,
  type MessageTransport,
} from '../src/index.js'
import { createLatch, flush } from './support.js'

/** Two in-memory transports wired to each other; messages travel as JSON text, asynchronously. */
function createLink(): [MessageTransport & { sent: unknown[] }, MessageTransport] {
  const listeners: ((message: unknown) => void)[][] = [[], []]
  const closeListeners: ((reason?: string) => void)[][] = [[], []]
  const sent: unknown[] = []
  const end = (side: 0 | 1): MessageTransport => ({
    send(message) {
      if (side === 0) sent.push(message)
      const text = JSON.stringify(message)
      queueMicrotask(() => {
        for (const listener of listeners[1 - side] ?? []) listener(text)
      })
    },
    onMessage(listener) {
      listeners[side]?.push(listener)
    },
    onClose(listener) {
      closeListeners[side]?.push(listener)
    },
    close() {
      for (const listener of closeListeners[1 - side] ?? []) listener('remote closed')
    },
  })
  return [Object.assign(end(0), { sent }), end(1)]
}

function createSide(transport: MessageTransport, name: string) {
  const dispatcher = createDispatcher<{ readonly side: string }>({
    methods: [
      defineMethod({
        method: 'whoami',
        handler: (_params, call) => `${name} (asked by ${(call.ctx as { side: string }).side})`,
      }),
      defineMethod({
        method: 'add',
        params: z.object({ a: z.number(), b: z.number() }),
        handler: ({ a, b }) => a + b,
      }),
    ],
  })
  const correlator = createCorrelator({ send: (message) => transport.send(message) })
  return createPeer({ dispatcher, correlator, transport, ctx: { side: name } })
}

describe('createPeer (§1.9)', () => {
  it('carries requests both ways over one transport', async () => {
    const [left, right] = createLink()
    const alice = createSide(left, 'alice')
    const bob = createSide(right, 'bob')
    expect(await alice.correlator.request('whoami')).toBe('bob (asked by bob)')
    expect(await bob.correlator.request('add', { a: 2, b: 3 })).toBe(5)
    const [sum, who] = alice.correlator.batch([
      { method: 'add', params: { a: 1, b: 1 } },
      { method: 'whoami' },
    ])
    expect(await sum).toBe(2)
    expect(await who).toBe('bob (asked by bob)')
  })

  it('closes both sides and rejects pending calls when the transport closes', async () => {
    const [left, right] = createLink()
    const alice = createSide(left, 'alice')
    const bob = createSide(right, 'bob')
    const neverAnswered = alice.correlator.request('add', { a: 1, b: 1 })
    alice.close('done')
    await expect(neverAnswered).rejects.toBeInstanceOf(JsonRpcConnectionClosedError)
    await alice.closed
    await bob.closed
    await expect(bob.correlator.request('whoami')).rejects.toMatchObject({
      message: 'remote closed',
    })
  })

  it('aborts calls in flight from the peer when it closes', async () => {
    const [left, right] = createLink()
    const latch = createLatch()
    const signals: AbortSignal[] = []
    const dispatcher = createDispatcher({
      methods: [
        defineMethod({
          method: 'wait',
          handler: async (_params, call) => {
            signals.push(call.signal)
            await latch.promise
          },
        }),
      ],
    })
    const server = createPeer({
      dispatcher,
      correlator: createCorrelator({ send: (message) => right.send(message) }),
      transport: right,
    })
    const client = createCorrelator({ send: (message) => left.send(message) })
    left.onMessage((message) => client.receive(JSON.parse(String(message))))
    void client.request('wait').catch(() => undefined)
    await flush()
    expect(signals).toHaveLength(1)
    server.close('shutdown')
    expect(signals[0]?.aborted).toBe(true)
    latch.release()
  })

  it('reports send failures to onError', async () => {
    const [left, right] = createLink()
    const onError = vi.fn()
    const failing: MessageTransport = {
      ...right,
      send: () => {
        throw new Error('pipe broken')
      },
    }
    createPeer({
      dispatcher: createDispatcher({
        methods: [defineMethod({ method: 'ping', handler: () => 'pong' })],
      }),
      correlator: createCorrelator({ send: () => undefined }),
      transport: failing,
      onError,
    })
    left.send({ jsonrpc: '2.0', id: 1, method: 'ping' })
    await flush()
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'pipe broken' }))
  })
})
