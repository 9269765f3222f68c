import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { DispatcherOptions } from '../src/index.js'
import { createFixtureDispatcher, type FixtureCounters, replyProblems } from './support.js'

interface EdgeCaseRow {
  readonly source: string
  readonly name: string
  readonly message?: unknown
  readonly body?: string
  readonly bytesHex?: string
  readonly options?: DispatcherOptions<void>
  readonly calls?: Record<string, number>
  readonly hooks?: Record<string, number>
  readonly reply: unknown
}

// Read with JSON.parse rather than imported: a module transform could turn "__proto__" keys into
// prototypes, which is exactly what case 33 must not do.
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/edge-cases.json', import.meta.url), 'utf8'),
) as { readonly rows: readonly EdgeCaseRow[] }

function inputOf(row: EdgeCaseRow): string | Uint8Array {
  if (row.bytesHex !== undefined) return Uint8Array.from(Buffer.from(row.bytesHex, 'hex'))
  if (row.body !== undefined) return row.body
  return JSON.stringify(row.message)
}

function newCounters(): FixtureCounters {
  return { calls: {}, hooks: {} }
}

describe('edge cases (protocols.md §1.10, test/fixtures/edge-cases.json)', () => {
  it('covers every numbered case that has a wire-level input and output', () => {
    const covered = new Set(fixture.rows.map((row) => row.source))
    for (const number of [...Array(34).keys()].map((index) => index + 1)) {
      expect(covered).toContain(`§1.10 #${number}`)
    }
  })

  it.for(fixture.rows)('$source: $name', async (row) => {
    const counters = newCounters()
    const dispatcher = createFixtureDispatcher(row.options ?? {}, counters)
    const text = await dispatcher.handleText(inputOf(row))
    const reply = text === undefined ? null : JSON.parse(text)
    expect(reply).toEqual(row.reply)

    // handle() must agree with handleText(), and a parsed value must behave like its text.
    const objectReply = await createFixtureDispatcher(row.options ?? {}, newCounters()).handle(
      inputOf(row),
    )
    expect(objectReply ?? null).toEqual(row.reply)
    if (row.message !== undefined) {
      const parsedReply = await createFixtureDispatcher(row.options ?? {}, newCounters()).handle(
        row.message,
      )
      expect(parsedReply ?? null).toEqual(row.reply)
    }

    for (const [method, times] of Object.entries(row.calls ?? {})) {
      expect(counters.calls[method] ?? 0, `calls to ${method}`).toBe(times)
    }
    for (const hook of ['onNotificationError', 'onUnexpectedResponse']) {
      expect(counters.hooks[hook] ?? 0, hook).toBe(row.hooks?.[hook] ?? 0)
    }
    // §1.10 #41: every response has exactly one of result/error, always an id, and no stack.
    expect(replyProblems(objectReply)).toEqual([])
    // §1.10 #33: nothing reached Object.prototype.
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
  })
})
