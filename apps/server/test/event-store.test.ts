import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { MemoryEventStore } from '../src/mcp/event-store.js'

const message = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} })

async function replay(store: MemoryEventStore, lastEventId: string) {
  const sent: [string, JSONRPCMessage][] = []
  const streamId = await store.replayEventsAfter(lastEventId, {
    send: async (eventId, msg) => {
      sent.push([eventId, msg])
    },
  })
  return { streamId, sent }
}

describe('MemoryEventStore', () => {
  it('replays only the later events of the same stream, never priming events', async () => {
    const store = new MemoryEventStore()
    const priming = await store.storeEvent('a', {} as JSONRPCMessage)
    const first = await store.storeEvent('a', message(1))
    await store.storeEvent('b', message(99))
    const second = await store.storeEvent('a', message(2))
    expect(first).toMatch(/^a_\d+$/)
    expect(await store.getStreamIdForEventId(second)).toBe('a')

    const fromPriming = await replay(store, priming)
    expect(fromPriming.streamId).toBe('a')
    expect(fromPriming.sent.map(([, msg]) => (msg as { id: number }).id)).toEqual([1, 2])

    const fromFirst = await replay(store, first)
    expect(fromFirst.sent).toEqual([[second, message(2)]])
  })

  it('handles stream ids that contain underscores', async () => {
    const store = new MemoryEventStore()
    const id = await store.storeEvent('_GET_stream', message(1))
    expect(await store.getStreamIdForEventId(id)).toBe('_GET_stream')
  })

  it('rejects malformed or unknown event ids', async () => {
    const store = new MemoryEventStore()
    await store.storeEvent('a', message(1))
    for (const bad of ['', 'nounderscore', 'a_x', 'a_0', 'zzz_1']) {
      expect(await store.getStreamIdForEventId(bad)).toBeUndefined()
    }
    expect((await replay(store, 'zzz_1')).sent).toEqual([])
  })

  it('keeps at most the configured number of events and drops old ones', async () => {
    let now = 0
    const store = new MemoryEventStore({ maxEventsPerStream: 3, maxAgeMs: 1000, now: () => now })
    for (let i = 1; i <= 5; i++) await store.storeEvent('a', message(i))
    expect(store.size).toBe(3)
    now = 5000
    await store.storeEvent('a', message(6))
    expect(store.size).toBe(1)
  })
})
