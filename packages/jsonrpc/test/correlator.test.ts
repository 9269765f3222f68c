import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createCorrelator,
  createDispatcher,
  defineMethod,
  JsonRpcConnectionClosedError,
  JsonRpcError,
  JsonRpcTimeoutError,
  type OutgoingMessage,
} from '../src/index.js'
import { flush } from './support.js'

afterEach(() => {
  vi.useRealTimers()
})

function recordingCorrelator(options: Partial<Parameters<typeof createCorrelator>[0]> = {}) {
  const sent: OutgoingMessage[] = []
  const onUnmatchedResponse = vi.fn()
  const correlator = createCorrelator({
    send: (message) => {
      sent.push(message)
    },
    onUnmatchedResponse,
    ...options,
  })
  return { correlator, sent, onUnmatchedResponse }
}

describe('correlator (§1.10 #39)', () => {
  it('numbers requests from 1 and settles out-of-order responses correctly', async () => {
    const { correlator, sent } = recordingCorrelator()
    const first = correlator.request('a', { x: 1 })
    const second = correlator.request('b')
    expect(sent).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'a', params: { x: 1 } },
      { jsonrpc: '2.0', id: 2, method: 'b' },
    ])
    expect(correlator.pending).toBe(2)
    expect(correlator.receive({ jsonrpc: '2.0', id: 2, result: 'second' })).toBe(true)
    expect(correlator.receive({ jsonrpc: '2.0', id: 1, result: 'first' })).toBe(true)
    expect(await first).toBe('first')
    expect(await second).toBe('second')
    expect(correlator.pending).toBe(0)
  })

  it('uses prefixed string ids and never reuses one', async () => {
    const { correlator, sent } = recordingCorrelator({ idPrefix: 'c' })
    const calls = [correlator.request('a'), correlator.request('a'), correlator.request('a')]
    const ids = sent.map((message) => (message as { id: unknown }).id)
    expect(ids).toEqual(['c-1', 'c-2', 'c-3'])
    correlator.receive(ids.map((id) => ({ jsonrpc: '2.0', id, result: id })))
    expect(await Promise.all(calls)).toEqual(['c-1', 'c-2', 'c-3'])
    void correlator.request('a')
    expect((sent[3] as { id: unknown }).id).toBe('c-4')
  })

  it('matches ids by JSON type: "1" does not settle request 1', () => {
    const { correlator, onUnmatchedResponse } = recordingCorrelator()
    void correlator.request('a')
    expect(correlator.receive({ jsonrpc: '2.0', id: '1', result: 1 })).toBe(false)
    expect(onUnmatchedResponse).toHaveBeenCalledTimes(1)
    expect(correlator.pending).toBe(1)
  })

  it('reports unknown ids and id null to onUnmatchedResponse', () => {
    const { correlator, onUnmatchedResponse } = recordingCorrelator()
    const unknown = { jsonrpc: '2.0', id: 42, result: 1 }
    const nullId = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }
    expect(correlator.receive(unknown)).toBe(false)
    expect(correlator.receive(nullId)).toBe(false)
    expect(onUnmatchedResponse.mock.calls).toEqual([[unknown], [nullId]])
  })

  it('rejects with a remote JsonRpcError for an error response', async () => {
    const { correlator } = recordingCorrelator()
    const call = correlator.request('a')
    correlator.receive({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32001, message: 'task not found', data: { taskId: 't' } },
    })
    const error = await call.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JsonRpcError)
    expect(error).toMatchObject({
      code: -32001,
      message: 'task not found',
      data: { taskId: 't' },
      remote: true,
    })
  })

  it('rejects malformed responses as remote errors', async () => {
    const { correlator } = recordingCorrelator()
    const neither = correlator.request('a')
    const badError = correlator.request('b')
    correlator.receive({ jsonrpc: '2.0', id: 1 })
    correlator.receive({ jsonrpc: '2.0', id: 2, error: 'nope' })
    await expect(neither).rejects.toMatchObject({ code: -32603, remote: true })
    await expect(badError).rejects.toMatchObject({ code: -32603, remote: true })
  })

  it('times out locally, tells the peer, and drops the late response silently', async () => {
    vi.useFakeTimers()
    const { correlator, sent, onUnmatchedResponse } = recordingCorrelator({
      defaultTimeoutMs: 100,
      cancelNotification: { method: 'notifications/cancelled' },
    })
    const call = correlator.request('slow')
    const caught = call.catch((error: unknown) => error)
    vi.advanceTimersByTime(100)
    const error = await caught
    expect(error).toBeInstanceOf(JsonRpcTimeoutError)
    expect(error).toMatchObject({ method: 'slow', id: 1, timeoutMs: 100 })
    expect(sent[1]).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 1, reason: 'timeout' },
    })
    expect(correlator.receive({ jsonrpc: '2.0', id: 1, result: 'late' })).toBe(false)
    expect(onUnmatchedResponse).not.toHaveBeenCalled()
    expect(correlator.pending).toBe(0)
  })

  it('lets a per-call timeout override the default', async () => {
    vi.useFakeTimers()
    const { correlator } = recordingCorrelator({ defaultTimeoutMs: 1_000 })
    const call = correlator.request('a', undefined, { timeoutMs: 5 }).catch((error) => error)
    vi.advanceTimersByTime(5)
    expect(await call).toMatchObject({ timeoutMs: 5 })
  })

  it('rejects with the signal reason on abort, with a custom cancel notification', async () => {
    const { correlator, sent } = recordingCorrelator({
      cancelNotification: {
        method: '$/cancelRequest',
        params: ({ id }) => ({ id }),
      },
    })
    const controller = new AbortController()
    const call = correlator.request('a', undefined, { signal: controller.signal })
    const reason = new Error('user gave up')
    controller.abort(reason)
    await expect(call).rejects.toBe(reason)
    expect(sent[1]).toEqual({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } })
    await expect(correlator.request('b', undefined, { signal: controller.signal })).rejects.toBe(
      reason,
    )
    expect(sent).toHaveLength(2)
  })

  it('close() rejects every pending call and refuses new ones', async () => {
    const { correlator } = recordingCorrelator()
    const calls = [correlator.request('a'), correlator.request('b')]
    correlator.close('bye')
    for (const call of calls) {
      await expect(call).rejects.toBeInstanceOf(JsonRpcConnectionClosedError)
    }
    await expect(correlator.request('c')).rejects.toMatchObject({ message: 'bye' })
    await expect(correlator.notify('d')).rejects.toBeInstanceOf(JsonRpcConnectionClosedError)
    expect(correlator.pending).toBe(0)
  })

  it('fails the calls of a message whose send throws or rejects', async () => {
    const failure = new Error('socket closed')
    const throwing = createCorrelator({
      send: () => {
        throw failure
      },
    })
    await expect(throwing.request('a')).rejects.toBe(failure)
    await expect(throwing.notify('n')).rejects.toBe(failure)
    const rejecting = createCorrelator({ send: () => Promise.reject(failure) })
    await expect(rejecting.request('a')).rejects.toBe(failure)
    expect(rejecting.pending).toBe(0)
  })

  it('settles a call from the reply a request/response transport returns', async () => {
    const dispatcher = createDispatcher({
      methods: [defineMethod({ method: 'add', handler: (params) => params })],
    })
    const correlator = createCorrelator({ send: (message) => dispatcher.handle(message) })
    expect(await correlator.request('add', [1, 2])).toEqual([1, 2])
    await expect(correlator.request('missing')).rejects.toMatchObject({
      code: -32601,
      remote: true,
    })
    await correlator.notify('add', [1])
    // A send that resolves to something other than JSON (bytes written) is not a reply.
    const writer = createCorrelator({ send: () => Promise.resolve(true) })
    const unanswered = writer.request('a')
    await flush()
    expect(writer.pending).toBe(1)
    writer.receive({ jsonrpc: '2.0', id: 1, result: 'later' })
    expect(await unanswered).toBe('later')
    expect(writer.batch([])).toEqual([])
    // A reply that answers nothing for a request rejects it rather than leaving it pending.
    const silent = createCorrelator({ send: () => Promise.resolve([]) })
    await expect(silent.request('a')).rejects.toMatchObject({ code: -32603, remote: false })
  })
})

describe('correlator batches (§1.10 #40)', () => {
  it('sends one array and settles each call individually', async () => {
    const dispatcher = createDispatcher({
      methods: [
        defineMethod({ method: 'echo', handler: (params) => params }),
        defineMethod({
          method: 'fail',
          handler: () => {
            throw new JsonRpcError(-32001, 'nope')
          },
        }),
      ],
    })
    const sent: OutgoingMessage[] = []
    const correlator = createCorrelator({
      send: (message) => {
        sent.push(message)
        return dispatcher.handle(message)
      },
    })
    const [echo, note, fail] = correlator.batch([
      { method: 'echo', params: ['x'] },
      { method: 'echo', params: ['n'], notification: true },
      { method: 'fail' },
    ])
    expect(sent).toHaveLength(1)
    expect(Array.isArray(sent[0])).toBe(true)
    expect(await echo).toEqual(['x'])
    expect(await note).toBeUndefined()
    await expect(fail).rejects.toMatchObject({ code: -32001, remote: true })
  })

  it('rejects every call when the server answers one -32600 object', async () => {
    const dispatcher = createDispatcher({
      limits: { maxBatchSize: 2 },
      methods: [defineMethod({ method: 'echo', handler: (params) => params })],
    })
    const correlator = createCorrelator({ send: (message) => dispatcher.handle(message) })
    const calls = correlator.batch([{ method: 'echo' }, { method: 'echo' }, { method: 'echo' }])
    for (const call of calls) {
      await expect(call).rejects.toMatchObject({
        code: -32600,
        data: { reason: 'batch_too_large', limit: 2 },
        remote: true,
      })
    }
    expect(correlator.pending).toBe(0)
  })

  it('applies one signal and timeout to the whole batch', async () => {
    vi.useFakeTimers()
    const { correlator } = recordingCorrelator()
    const calls = correlator
      .batch([{ method: 'a' }, { method: 'b' }], { timeoutMs: 10 })
      .map((call) => call.catch((error: unknown) => error))
    vi.advanceTimersByTime(10)
    for (const call of calls) expect(await call).toBeInstanceOf(JsonRpcTimeoutError)
    const aborted = correlator.batch([{ method: 'c' }], { signal: AbortSignal.abort('stop') })
    await expect(aborted[0]).rejects.toBe('stop')
    await flush()
  })
})
