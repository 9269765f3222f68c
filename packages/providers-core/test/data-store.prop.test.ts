import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import type { DataOwner, DataRecord } from '../src/index.js'
import { createMemoryDataStore } from '../src/index.js'

const owner: DataOwner = { provider: 'terra', tenantId: 'tenant-a', userId: 'camille' }
const from = Date.parse('2025-01-01T00:00:00Z')
const to = Date.parse('2025-01-08T00:00:00Z')

/** `ms` written at a UTC offset of `minutes`, with or without milliseconds. */
function isoAt(ms: number, minutes: number, millis: boolean): string {
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, millis ? 23 : 19)
  if (minutes === 0) return `${local}Z`
  const abs = Math.abs(minutes)
  const hh = String(Math.trunc(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `${local}${minutes < 0 ? '-' : '+'}${hh}:${mm}`
}

// Instants on whole hours, so that equal instants (and midnights shared with dates) are common.
const instant = fc.integer({ min: 0, max: (to - from) / 3_600_000 }).map((hour) => ({
  ms: from + hour * 3_600_000,
}))
const offset = fc.integer({ min: -14 * 60, max: 14 * 60 })
const id = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'B', 'é'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
)

const record = fc
  .record({
    id,
    at: instant,
    offset,
    millis: fc.boolean(),
    shape: fc.constantFrom('start', 'date', 'both', 'none'),
    payload: fc.jsonValue(),
  })
  .map(({ id, at, offset, millis, shape, payload }): DataRecord => {
    const start = isoAt(at.ms + (millis ? 250 : 0), offset, millis)
    const date = new Date(at.ms).toISOString().slice(0, 10)
    if (shape === 'start') return { id, start, payload }
    if (shape === 'date') return { id, date, payload }
    if (shape === 'both') return { id, start, date, payload }
    return { id, payload }
  })

const range = fc
  .tuple(instant, fc.integer({ min: 1, max: 72 }), offset)
  .map(([at, hours, minutes]) => ({
    start: isoAt(at.ms, minutes, false),
    end: new Date(at.ms + hours * 3_600_000).toISOString(),
  }))

/** The order the port documents, computed without the store's own helpers. */
function expected(
  records: readonly DataRecord[],
  query: { range?: { start: string; end: string }; limit?: number },
): DataRecord[] {
  const latest = new Map<string, DataRecord>()
  for (const entry of records) latest.set(entry.id, entry)
  const timeOf = (entry: DataRecord): number | undefined =>
    entry.start !== undefined
      ? new Date(entry.start).valueOf()
      : entry.date !== undefined
        ? new Date(`${entry.date}T00:00:00Z`).valueOf()
        : undefined
  let rows = [...latest.values()]
  if (query.range !== undefined) {
    const lower = new Date(query.range.start).valueOf()
    const upper = new Date(query.range.end).valueOf()
    rows = rows.filter((entry) => {
      const time = timeOf(entry)
      return time !== undefined && lower <= time && time < upper
    })
  }
  rows.sort((left, right) => {
    const a = timeOf(left) ?? -Infinity
    const b = timeOf(right) ?? -Infinity
    if (a !== b) return b - a
    return left.id === right.id ? 0 : left.id < right.id ? -1 : 1
  })
  return query.limit === undefined ? rows : rows.slice(0, query.limit)
}

describe('createMemoryDataStore (properties)', () => {
  test.prop([
    fc.array(record, { maxLength: 40 }),
    fc.option(range, { nil: undefined }),
    fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  ])(
    'query() equals a reference sort of the latest upsert of each id',
    async (records, window, limit) => {
      const store = createMemoryDataStore()
      for (const entry of records) await store.upsert('activity', owner, entry)
      const query = {
        ...(window === undefined ? {} : { range: window }),
        ...(limit === undefined ? {} : { limit }),
      }
      expect(await store.query('activity', owner, query)).toEqual(expected(records, query))
    },
  )
})
