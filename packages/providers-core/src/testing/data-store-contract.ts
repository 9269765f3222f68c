import { describe, expect, it } from 'vitest'
import type { DataKind, DataOwner, DataRecord, ProviderDataStore } from '../data-store.js'
import type { DateRange } from '../model/query.js'

const camille: DataOwner = { provider: 'garmin', tenantId: 'tenant-a', userId: 'camille' }

const activity = (id: string, start: string, distance = 8012.4): DataRecord => ({
  id,
  start,
  payload: { id, start_date: start, distance_meters: distance },
})

const daily = (date: string, steps: number): DataRecord => ({
  id: date,
  date,
  payload: { calendar_date: date, steps },
})

const ids = (records: readonly DataRecord[]): string[] => records.map((record) => record.id)

/** The reference order, written apart from any store: milliseconds of `start`, else `date`. */
function referenceInstant(record: DataRecord): number | undefined {
  if (record.start !== undefined) return new Date(record.start).getTime()
  if (record.date !== undefined) return new Date(`${record.date}T00:00:00.000Z`).getTime()
  return undefined
}

/** Newest first, records without an instant last, ties by id as JavaScript compares strings. */
function referenceQuery(
  records: Iterable<DataRecord>,
  query: { readonly range?: DateRange; readonly limit?: number },
): DataRecord[] {
  const keyed = [...records].map((record) => ({ record, at: referenceInstant(record) }))
  const from = query.range === undefined ? undefined : new Date(query.range.start).getTime()
  const to = query.range === undefined ? undefined : new Date(query.range.end).getTime()
  const kept = keyed.filter(
    ({ at }) =>
      from === undefined || to === undefined || (at !== undefined && at >= from && at < to),
  )
  kept.sort((left, right) => {
    if (left.at !== right.at) {
      if (left.at === undefined) return 1
      if (right.at === undefined) return -1
      return right.at - left.at
    }
    if (left.record.id === right.record.id) return 0
    return left.record.id < right.record.id ? -1 : 1
  })
  const ordered = kept.map(({ record }) => record)
  return query.limit === undefined ? ordered : ordered.slice(0, query.limit)
}

/** A small deterministic generator (mulberry32), so a failing round can be replayed by its seed. */
function randomFrom(seed: number): (below: number) => number {
  let state = seed >>> 0
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), state | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * below)
  }
}

/** ISO-8601 of `ms` written at a UTC offset of `offsetMinutes` (`…+02:00`, `…-04:30`, `…Z`). */
function isoAtOffset(ms: number, offsetMinutes: number, withMillis: boolean): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString()
  const clock = withMillis ? local.slice(0, 23) : local.slice(0, 19)
  if (offsetMinutes === 0) return `${clock}Z`
  const sign = offsetMinutes > 0 ? '+' : '-'
  const minutes = Math.abs(offsetMinutes)
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0')
  const mm = String(minutes % 60).padStart(2, '0')
  return `${clock}${sign}${hh}:${mm}`
}

const dayMs = 86_400_000
const base = Date.parse('2025-03-10T00:00:00Z')
// Few distinct instants, so that ties are frequent; some fall exactly on a midnight, where a
// date-only record of the same day ties with them.
const instantPool = [0, 1, 2, 3, 4].flatMap((day) => [
  base + day * dayMs,
  base + day * dayMs + 6 * 3_600_000,
  base + day * dayMs + 6 * 3_600_000 + 500,
])
const offsetPool = [0, 120, -240, 330, -570, 840, -720]
// Ids whose JavaScript order differs from their UTF-8 byte order ('\uE000' sorts after '😀' in
// UTF-8, before it in UTF-16), beside plain ones.
const idPool = ['a', 'b', 'B', 'a1', 'a10', 'a2', 'é', '\uE000', '😀', 'z z', '2025-03-12']

function randomRecord(random: (below: number) => number): DataRecord {
  const id = idPool[random(idPool.length)] ?? 'a'
  const at = instantPool[random(instantPool.length)] ?? base
  const offset = offsetPool[random(offsetPool.length)] ?? 0
  const start = isoAtOffset(at, offset, random(2) === 0)
  const date = new Date(at).toISOString().slice(0, 10)
  const payload = { n: random(1000), label: `r${random(10)}` }
  switch (random(5)) {
    case 0:
      return { id, date, payload }
    case 1:
      return { id, start, date, payload }
    case 2:
      return { id, payload }
    default:
      return { id, start, payload }
  }
}

function randomRange(random: (below: number) => number): DateRange {
  const first = instantPool[random(instantPool.length)] ?? base
  const length = (random(3) + 1) * 6 * 3_600_000 + (random(2) === 0 ? 0 : 500)
  return {
    start: isoAtOffset(first, offsetPool[random(offsetPool.length)] ?? 0, true),
    end: new Date(first + length).toISOString(),
  }
}

/**
 * Registers the contract every {@link ProviderDataStore} meets (the in-memory one of this package,
 * the application's persistent ones): idempotent upserts on (provider, tenant, user, kind, id);
 * newest first by the instant of `start`, else `date` at 00:00 UTC, whatever the UTC offset the
 * text carries; records without either last; ties by id (JavaScript string order); ranges
 * [start, end) that leave out records without an instant; `limit` after ordering; owners, tenants,
 * providers and kinds apart; `delete` and `clear` counting what they removed; records copied in
 * and out; and a seeded randomized comparison with a reference sort. Payloads are JSON values, so
 * a store may keep them as JSON text. Call it at the top level of a test file with a factory of
 * empty stores.
 *
 * @example
 * ```ts
 * describeDataStoreContract('memory data store', () => createMemoryDataStore())
 * ```
 */
export function describeDataStoreContract(
  name: string,
  make: () => ProviderDataStore | Promise<ProviderDataStore>,
): void {
  describe(`${name} meets the data store contract`, () => {
    it('upserts idempotently: the same id twice leaves one record with the latest content', async () => {
      const store = await make()
      await store.upsert('activity', camille, activity('a1', '2025-03-14T11:02:13.000Z'))
      await store.upsert('activity', camille, activity('a1', '2025-03-14T11:02:13.000Z'))
      expect(await store.query('activity', camille)).toHaveLength(1)
      const moved = activity('a1', '2025-03-13T09:00:00Z', 8100)
      await store.upsert('activity', camille, moved)
      expect(await store.query('activity', camille)).toEqual([moved])
      expect(await store.get('activity', camille, 'a1')).toEqual(moved)
      // The replaced record is ordered by its new instant.
      await store.upsert('activity', camille, activity('a2', '2025-03-13T10:00:00Z'))
      expect(ids(await store.query('activity', camille))).toEqual(['a2', 'a1'])
    })

    it('reads an unknown id as undefined', async () => {
      const store = await make()
      expect(await store.get('activity', camille, 'nope')).toBeUndefined()
      expect(await store.query('activity', camille)).toEqual([])
    })

    it('orders by instant, not by text: UTC offsets and fractions are compared as times', async () => {
      const store = await make()
      // 07:00 at +02:00 is 05:00 UTC, before 06:30 UTC although its text sorts after.
      await store.upsert('activity', camille, activity('east', '2025-03-14T07:00:00+02:00'))
      await store.upsert('activity', camille, activity('utc', '2025-03-14T06:30:00Z'))
      // 02:00 at -04:00 is 06:00 UTC.
      await store.upsert('activity', camille, activity('west', '2025-03-14T02:00:00-04:00'))
      await store.upsert('activity', camille, activity('later', '2025-03-14T06:30:00.250Z'))
      await store.upsert('activity', camille, activity('prev-day', '2025-03-13T23:59:59.999Z'))
      expect(ids(await store.query('activity', camille))).toEqual([
        'later',
        'utc',
        'west',
        'east',
        'prev-day',
      ])
    })

    it('places date-only records at 00:00 UTC of their date, and prefers start over date', async () => {
      const store = await make()
      await store.upsert('daily', camille, daily('2025-03-13', 9000))
      await store.upsert('daily', camille, daily('2025-03-15', 11000))
      await store.upsert('daily', camille, daily('2025-03-14', 17241))
      // 23:30 at -01:00 on the 13th is 00:30 UTC on the 14th: after the 14th's midnight.
      await store.upsert('daily', camille, {
        id: 'with-start',
        start: '2025-03-13T23:30:00-01:00',
        date: '2025-03-13',
        payload: { steps: 1 },
      })
      expect(ids(await store.query('daily', camille))).toEqual([
        '2025-03-15',
        'with-start',
        '2025-03-14',
        '2025-03-13',
      ])
      expect(await store.get('daily', camille, 'with-start')).toEqual({
        id: 'with-start',
        start: '2025-03-13T23:30:00-01:00',
        date: '2025-03-13',
        payload: { steps: 1 },
      })
      expect(await store.get('daily', camille, '2025-03-14')).toEqual(daily('2025-03-14', 17241))
    })

    it('breaks ties of one instant by id, ascending, whatever the text of the instant', async () => {
      const store = await make()
      await store.upsert('sleep', camille, { id: 'c', date: '2025-03-14', payload: 3 })
      await store.upsert('sleep', camille, {
        id: 'b',
        start: '2025-03-14T02:00:00+02:00',
        payload: 2,
      })
      await store.upsert('sleep', camille, {
        id: 'a',
        start: '2025-03-14T00:00:00.000Z',
        payload: 1,
      })
      await store.upsert('sleep', camille, {
        id: 'd',
        start: '2025-03-13T19:00:00-05:00',
        payload: 4,
      })
      await store.upsert('sleep', camille, {
        id: 'older',
        start: '2025-03-13T12:00:00Z',
        payload: 5,
      })
      expect(ids(await store.query('sleep', camille))).toEqual(['a', 'b', 'c', 'd', 'older'])
      // The limit cuts inside the tied group in the same order.
      expect(ids(await store.query('sleep', camille, { limit: 2 }))).toEqual(['a', 'b'])
    })

    it('queries a range [start, end): start inclusive, end exclusive, compared as instants', async () => {
      const store = await make()
      for (const record of [
        activity('before', '2025-03-11T23:59:59.999Z'),
        activity('at-start', '2025-03-12T02:00:00+02:00'),
        activity('inside', '2025-03-13T11:00:00Z'),
        activity('just-before-end', '2025-03-14T23:59:59.999Z'),
        activity('at-end', '2025-03-14T19:00:00-05:00'),
        activity('after', '2025-03-16T00:00:00Z'),
      ]) {
        await store.upsert('activity', camille, record)
      }
      await store.upsert('activity', camille, { id: 'on-day', date: '2025-03-12', payload: {} })
      await store.upsert('activity', camille, { id: 'end-day', date: '2025-03-15', payload: {} })
      const range = { start: '2025-03-12T00:00:00Z', end: '2025-03-15T00:00:00Z' }
      expect(ids(await store.query('activity', camille, { range }))).toEqual([
        'just-before-end',
        'inside',
        'at-start',
        'on-day',
      ])
      expect(
        ids(
          await store.query('activity', camille, {
            range: { start: '2025-03-12T01:00:00+01:00', end: '2025-03-12T00:00:00.001Z' },
          }),
        ),
      ).toEqual(['at-start', 'on-day'])
      expect(
        await store.query('activity', camille, {
          range: { start: '2025-03-20T00:00:00Z', end: '2025-03-21T00:00:00Z' },
        }),
      ).toEqual([])
    })

    it('applies the limit after ordering and filtering, so it keeps the newest', async () => {
      const store = await make()
      for (let index = 1; index <= 6; index += 1) {
        await store.upsert(
          'activity',
          camille,
          activity(`a${index}`, `2025-03-0${index}T10:00:00Z`),
        )
      }
      expect(ids(await store.query('activity', camille, { limit: 2 }))).toEqual(['a6', 'a5'])
      expect(
        ids(
          await store.query('activity', camille, {
            limit: 2,
            range: { start: '2025-03-01T00:00:00Z', end: '2025-03-04T00:00:00Z' },
          }),
        ),
      ).toEqual(['a3', 'a2'])
      expect(await store.query('activity', camille, { limit: 50 })).toHaveLength(6)
    })

    it('lists records without an instant last, but leaves them out of range queries', async () => {
      const store = await make()
      await store.upsert('health', camille, { id: 'untimed-b', payload: { weight_kg: 61.2 } })
      await store.upsert('health', camille, activity('timed', '2025-03-14T08:00:00Z'))
      await store.upsert('health', camille, { id: 'untimed-a', payload: { weight_kg: 61.4 } })
      expect(ids(await store.query('health', camille))).toEqual(['timed', 'untimed-a', 'untimed-b'])
      expect(
        ids(
          await store.query('health', camille, {
            range: { start: '1970-01-01T00:00:00Z', end: '2100-01-01T00:00:00Z' },
          }),
        ),
      ).toEqual(['timed'])
      expect(await store.get('health', camille, 'untimed-a')).toEqual({
        id: 'untimed-a',
        payload: { weight_kg: 61.4 },
      })
    })

    it('keeps tenants, users, providers and kinds apart, even under equal ids', async () => {
      const store = await make()
      const owners: DataOwner[] = [
        camille,
        { ...camille, tenantId: 'tenant-b' },
        { ...camille, provider: 'coros' },
        { ...camille, userId: 'alex' },
      ]
      for (const [index, owner] of owners.entries()) {
        await store.upsert('activity', owner, activity('same-id', '2025-03-14T11:02:13Z', index))
      }
      await store.upsert('sleep', camille, activity('same-id', '2025-03-14T02:51:00Z', 99))
      for (const [index, owner] of owners.entries()) {
        const found = await store.get('activity', owner, 'same-id')
        expect(found?.payload).toMatchObject({ distance_meters: index })
        expect(await store.query('activity', owner)).toHaveLength(1)
      }
      expect((await store.get('sleep', camille, 'same-id'))?.payload).toMatchObject({
        distance_meters: 99,
      })
      expect(await store.query('hrv', camille)).toEqual([])
      expect(await store.delete('activity', owners[1] as DataOwner, 'same-id')).toBe(true)
      expect(await store.get('activity', owners[1] as DataOwner, 'same-id')).toBeUndefined()
      expect(await store.get('activity', camille, 'same-id')).toBeDefined()
      expect(await store.get('activity', owners[2] as DataOwner, 'same-id')).toBeDefined()
    })

    it('deletes one record and says whether it existed', async () => {
      const store = await make()
      await store.upsert('activity', camille, activity('a1', '2025-03-14T11:02:13Z'))
      await store.upsert('activity', camille, activity('a2', '2025-03-13T11:02:13Z'))
      expect(await store.delete('activity', camille, 'a1')).toBe(true)
      expect(await store.delete('activity', camille, 'a1')).toBe(false)
      expect(await store.delete('sleep', camille, 'a2')).toBe(false)
      expect(await store.get('activity', camille, 'a1')).toBeUndefined()
      expect(ids(await store.query('activity', camille))).toEqual(['a2'])
    })

    it('clears every kind of one owner, counts what it removed and leaves everyone else', async () => {
      const store = await make()
      const neighbour: DataOwner = { ...camille, userId: 'camille2' }
      const otherTenant: DataOwner = { ...camille, tenantId: 'tenant-b' }
      const otherProvider: DataOwner = { ...camille, provider: 'terra' }
      await store.upsert('activity', camille, activity('a1', '2025-03-14T11:02:13Z'))
      await store.upsert('streams', camille, { id: 'a1', payload: { heartrate: [120, 121] } })
      await store.upsert('sleep', camille, activity('s1', '2025-03-14T02:51:00Z'))
      await store.upsert('daily', camille, daily('2025-03-14', 17241))
      for (const other of [neighbour, otherTenant, otherProvider]) {
        await store.upsert('activity', other, activity('a1', '2025-03-14T11:02:13Z'))
      }
      expect(await store.clear(camille)).toBe(4)
      for (const kind of ['activity', 'streams', 'sleep', 'daily'] satisfies DataKind[]) {
        expect(await store.query(kind, camille)).toEqual([])
      }
      for (const other of [neighbour, otherTenant, otherProvider]) {
        expect(ids(await store.query('activity', other))).toEqual(['a1'])
      }
      expect(await store.clear(camille)).toBe(0)
    })

    it('copies records in and out: later mutations never reach the store', async () => {
      const store = await make()
      const input = {
        id: 'a1',
        start: '2025-03-14T11:02:13Z',
        payload: { name: 'Run', laps: [{ distance_meters: 1001 }] },
      }
      await store.upsert('activity', camille, input)
      input.payload.name = 'changed after upsert'
      input.payload.laps[0] = { distance_meters: 0 }
      const expected = { name: 'Run', laps: [{ distance_meters: 1001 }] }

      const fromGet = (await store.get('activity', camille, 'a1')) as typeof input
      expect(fromGet.payload).toEqual(expected)
      fromGet.payload.name = 'changed after get'
      const [fromQuery] = (await store.query('activity', camille)) as (typeof input)[]
      expect(fromQuery?.payload).toEqual(expected)
      ;(fromQuery as typeof input).payload.laps.push({ distance_meters: 5 })
      expect((await store.get('activity', camille, 'a1'))?.payload).toEqual(expected)
    })

    it('answers like a reference sort for random records, deletions, ranges and limits', async () => {
      const store = await make()
      for (let seed = 1; seed <= 60; seed += 1) {
        const random = randomFrom(seed)
        const owner: DataOwner = { provider: 'prop', tenantId: `tenant-${seed}`, userId: 'u' }
        const model = new Map<string, DataRecord>()
        const steps = random(30)
        for (let step = 0; step < steps; step += 1) {
          if (random(6) === 0) {
            const id = idPool[random(idPool.length)] ?? 'a'
            expect(await store.delete('daily', owner, id), `seed ${seed}`).toBe(model.delete(id))
          } else {
            const record = randomRecord(random)
            await store.upsert('daily', owner, record)
            model.set(record.id, record)
          }
        }
        for (let probe = 0; probe < 4; probe += 1) {
          const range = random(3) === 0 ? undefined : randomRange(random)
          const limit = random(3) === 0 ? undefined : random(8) + 1
          const query = {
            ...(range === undefined ? {} : { range }),
            ...(limit === undefined ? {} : { limit }),
          }
          expect(await store.query('daily', owner, query), `seed ${seed}`).toEqual(
            referenceQuery(model.values(), query),
          )
        }
        expect(await store.clear(owner), `seed ${seed}`).toBe(model.size)
      }
    })
  })
}
