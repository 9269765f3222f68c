import { describe, expect, it } from 'vitest'
import type { DataOwner, DataRecord } from '../src/index.js'
import { createMemoryDataStore } from '../src/index.js'

const camille: DataOwner = { provider: 'terra', tenantId: 'tenant-a', userId: 'camille' }

const run = (id: string, start: string, distance = 8012.4): DataRecord => ({
  id,
  start,
  payload: { id, start_date: start, distance_meters: distance },
})

const day = (date: string, steps: number): DataRecord => ({
  id: date,
  date,
  payload: { calendar_date: date, steps },
})

describe('createMemoryDataStore', () => {
  it('upserts idempotently: a duplicate delivery leaves one record with the latest content', async () => {
    const store = createMemoryDataStore()
    await store.upsert('activity', camille, run('a1', '2025-03-14T11:02:13.000Z'))
    await store.upsert('activity', camille, run('a1', '2025-03-14T11:02:13.000Z'))
    expect(await store.query('activity', camille)).toHaveLength(1)
    await store.upsert('activity', camille, run('a1', '2025-03-14T11:02:13.000Z', 8100))
    const records = await store.query('activity', camille)
    expect(records).toEqual([run('a1', '2025-03-14T11:02:13.000Z', 8100)])
    expect(await store.get('activity', camille, 'a1')).toEqual(records[0])
  })

  it('returns undefined for an unknown id', async () => {
    const store = createMemoryDataStore()
    expect(await store.get('activity', camille, 'nope')).toBeUndefined()
  })

  it('queries a start range [start, end) newest first', async () => {
    const store = createMemoryDataStore()
    for (const record of [
      run('a1', '2025-03-10T11:00:00.000Z'),
      run('a2', '2025-03-12T11:00:00.000Z'),
      run('a3', '2025-03-14T00:00:00.000Z'),
      run('a4', '2025-03-14T11:00:00.000Z'),
      run('a5', '2025-03-15T00:00:00.000Z'),
    ]) {
      await store.upsert('activity', camille, record)
    }
    const found = await store.query('activity', camille, {
      range: { start: '2025-03-12T11:00:00Z', end: '2025-03-15T00:00:00Z' },
    })
    // Start inclusive (a2 exactly at the start), end exclusive (a5 exactly at the end).
    expect(found.map((record) => record.id)).toEqual(['a4', 'a3', 'a2'])
    const all = await store.query('activity', camille)
    expect(all.map((record) => record.id)).toEqual(['a5', 'a4', 'a3', 'a2', 'a1'])
  })

  it('queries calendar dates as midnight UTC, newest first', async () => {
    const store = createMemoryDataStore()
    await store.upsert('daily', camille, day('2025-03-13', 9000))
    await store.upsert('daily', camille, day('2025-03-15', 11000))
    await store.upsert('daily', camille, day('2025-03-14', 17241))
    const found = await store.query('daily', camille, {
      range: { start: '2025-03-14T00:00:00Z', end: '2025-03-16T00:00:00Z' },
    })
    expect(found.map((record) => record.id)).toEqual(['2025-03-15', '2025-03-14'])
  })

  it('orders by instant, not by text: offsets and millisecond precision do not matter', async () => {
    const store = createMemoryDataStore()
    const owner: DataOwner = { provider: 'terra', tenantId: 't', userId: 'u' }
    await store.upsert('activity', owner, { id: 'a', start: '2025-03-14T11:00:00Z', payload: 1 })
    await store.upsert('activity', owner, {
      id: 'b',
      start: '2025-03-14T08:30:00-04:00',
      payload: 2,
    })
    await store.upsert('activity', owner, {
      id: 'c',
      start: '2025-03-14T11:00:00.500Z',
      payload: 3,
    })
    const ids = (await store.query('activity', owner)).map((record) => record.id)
    // 08:30 −04:00 is 12:30 UTC, the newest; .500 Z is after 11:00:00 Z.
    expect(ids).toEqual(['b', 'c', 'a'])
  })

  it('applies the limit after ordering, so it keeps the newest', async () => {
    const store = createMemoryDataStore()
    for (let index = 1; index <= 6; index += 1) {
      await store.upsert('activity', camille, run(`a${index}`, `2025-03-0${index}T10:00:00.000Z`))
    }
    const newest = await store.query('activity', camille, { limit: 2 })
    expect(newest.map((record) => record.id)).toEqual(['a6', 'a5'])
    const inRange = await store.query('activity', camille, {
      limit: 2,
      range: { start: '2025-03-01T00:00:00Z', end: '2025-03-04T00:00:00Z' },
    })
    expect(inRange.map((record) => record.id)).toEqual(['a3', 'a2'])
  })

  it('deletes one record and says whether it existed', async () => {
    const store = createMemoryDataStore()
    await store.upsert('activity', camille, run('a1', '2025-03-14T11:02:13.000Z'))
    await store.upsert('activity', camille, run('a2', '2025-03-13T11:02:13.000Z'))
    expect(await store.delete('activity', camille, 'a1')).toBe(true)
    expect(await store.delete('activity', camille, 'a1')).toBe(false)
    expect(await store.get('activity', camille, 'a1')).toBeUndefined()
    expect((await store.query('activity', camille)).map((record) => record.id)).toEqual(['a2'])
  })

  it('clears every kind of one owner and counts what it removed, leaving everyone else alone', async () => {
    const store = createMemoryDataStore()
    const neighbour: DataOwner = { ...camille, userId: 'camille2' }
    const otherProvider: DataOwner = { ...camille, provider: 'garmin' }
    await store.upsert('activity', camille, run('a1', '2025-03-14T11:02:13.000Z'))
    await store.upsert('sleep', camille, run('s1', '2025-03-14T02:51:00.000Z'))
    await store.upsert('daily', camille, day('2025-03-14', 17241))
    await store.upsert('activity', neighbour, run('a1', '2025-03-14T11:02:13.000Z'))
    await store.upsert('daily', otherProvider, day('2025-03-14', 17241))
    expect(await store.clear(camille)).toBe(3)
    expect(await store.query('activity', camille)).toEqual([])
    expect(await store.query('sleep', camille)).toEqual([])
    expect(await store.query('daily', camille)).toEqual([])
    // A user id that extends camille's ("camille2") is another owner.
    expect(await store.query('activity', neighbour)).toHaveLength(1)
    expect(await store.query('daily', otherProvider)).toHaveLength(1)
    expect(await store.clear(camille)).toBe(0)
  })

  it('keeps owners, tenants, providers and kinds apart', async () => {
    const store = createMemoryDataStore()
    const owners: DataOwner[] = [
      camille,
      { ...camille, tenantId: 'tenant-b' },
      { ...camille, provider: 'whoop' },
      { ...camille, userId: 'alex' },
    ]
    for (const [index, owner] of owners.entries()) {
      await store.upsert('activity', owner, run('same-id', '2025-03-14T11:02:13.000Z', index))
    }
    await store.upsert('sleep', camille, run('same-id', '2025-03-14T02:51:00.000Z', 99))
    for (const [index, owner] of owners.entries()) {
      const record = await store.get('activity', owner, 'same-id')
      expect(record?.payload).toMatchObject({ distance_meters: index })
      expect(await store.query('activity', owner)).toHaveLength(1)
    }
    expect((await store.get('sleep', camille, 'same-id'))?.payload).toMatchObject({
      distance_meters: 99,
    })
    expect(await store.query('hrv', camille)).toEqual([])
    expect(await store.delete('activity', owners[1] as DataOwner, 'same-id')).toBe(true)
    expect(await store.get('activity', camille, 'same-id')).toBeDefined()
  })

  it('copies records in and out: later mutations never reach the store', async () => {
    const store = createMemoryDataStore()
    const input = {
      id: 'a1',
      start: '2025-03-14T11:02:13.000Z',
      payload: { name: 'Run', laps: [{ distance_meters: 1001 }] },
    }
    await store.upsert('activity', camille, input)
    input.payload.name = 'changed after upsert'
    input.payload.laps[0] = { distance_meters: 0 }

    const fromGet = (await store.get('activity', camille, 'a1')) as typeof input
    expect(fromGet.payload).toEqual({ name: 'Run', laps: [{ distance_meters: 1001 }] })
    fromGet.payload.name = 'changed after get'
    const [fromQuery] = (await store.query('activity', camille)) as (typeof input)[]
    expect(fromQuery?.payload.name).toBe('Run')
    ;(fromQuery as typeof input).payload.laps.push({ distance_meters: 5 })
    expect((await store.get('activity', camille, 'a1'))?.payload).toEqual({
      name: 'Run',
      laps: [{ distance_meters: 1001 }],
    })
  })
})
