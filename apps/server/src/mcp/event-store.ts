import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

interface StoredEvent {
  readonly id: string
  readonly seq: number
  readonly at: number
  readonly message: JSONRPCMessage
}

/** Limits of the in-memory event store (`specs/protocols.md` §2.3 Resumability). */
export interface MemoryEventStoreOptions {
  readonly maxEventsPerStream?: number
  readonly maxAgeMs?: number
  readonly now?: () => number
}

/**
 * An in-memory {@link EventStore} for one MCP session: a ring buffer per stream (last 500 events,
 * at most 5 minutes old). Event ids are `<streamId>_<seq>`, so a `Last-Event-ID` names its stream
 * and a replay never crosses into another stream.
 */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, StoredEvent[]>()
  readonly #maxEvents: number
  readonly #maxAgeMs: number
  readonly #now: () => number
  #seq = 0

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerStream ?? 500
    this.#maxAgeMs = options.maxAgeMs ?? 5 * 60_000
    this.#now = options.now ?? Date.now
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const seq = ++this.#seq
    const id = `${streamId}_${seq}`
    let events = this.#streams.get(streamId)
    if (events === undefined) {
      events = []
      this.#streams.set(streamId, events)
    }
    events.push({ id, seq, at: this.#now(), message })
    this.#prune(events)
    return id
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const parsed = parseEventId(eventId)
    if (parsed === undefined || !this.#streams.has(parsed.streamId)) return undefined
    return parsed.streamId
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const parsed = parseEventId(lastEventId)
    if (parsed === undefined) return ''
    const events = this.#streams.get(parsed.streamId)
    if (events === undefined) return ''
    this.#prune(events)
    for (const event of events) {
      // Priming events carry no message and are never replayed.
      if (event.seq > parsed.seq && Object.keys(event.message).length > 0) {
        await send(event.id, event.message)
      }
    }
    return parsed.streamId
  }

  /** Number of events held, for tests and diagnostics. */
  get size(): number {
    let total = 0
    for (const events of this.#streams.values()) total += events.length
    return total
  }

  #prune(events: StoredEvent[]): void {
    const oldest = this.#now() - this.#maxAgeMs
    let drop = Math.max(0, events.length - this.#maxEvents)
    while (drop < events.length && (events[drop]?.at ?? 0) < oldest) drop++
    if (drop > 0) events.splice(0, drop)
  }
}

function parseEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const cut = eventId.lastIndexOf('_')
  if (cut <= 0) return undefined
  const seq = Number(eventId.slice(cut + 1))
  if (!Number.isSafeInteger(seq) || seq <= 0) return undefined
  return { streamId: eventId.slice(0, cut), seq }
}
