import { readFileSync } from 'node:fs'
import type { DataOwner, DataRecord } from '@pierre/providers-core'
import { describeDataStoreContract } from '@pierre/providers-core/testing'
import { parseActivityFile } from '@pierre/providers-files'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { applyMigrations, openDatabase } from '../src/storage/database.js'
import { createImportedActivityStore } from '../src/storage/imported-activities.js'
import { allMigrations } from '../src/storage/migrations.js'
import { createSqliteDataStore } from '../src/storage/provider-data.js'

const opened: Database.Database[] = []
function database(): Database.Database {
  const db = openDatabase(':memory:')
  opened.push(db)
  return db
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close()
})

describeDataStoreContract('the SQLite data store', () => createSqliteDataStore(database()))

const owner: DataOwner = { provider: 'garmin', tenantId: 'tenant-a', userId: 'camille' }
const sleep = (id: string, start: string): DataRecord => ({ id, start, payload: { id } })

describe('createSqliteDataStore', () => {
  it('refuses a start or date it cannot place in time, and stores nothing', async () => {
    const store = createSqliteDataStore(database())
    const refused: DataRecord[] = [
      { id: 'a', start: 'yesterday', payload: {} },
      // Without an offset the instant would depend on the server's time zone.
      { id: 'b', start: '2025-03-14T07:00:00', payload: {} },
      { id: 'c', start: '2025-03-14T07:00:00+0200', payload: {} },
      { id: 'd', start: '2025-02-30T07:00:00Z', payload: {} },
      { id: 'e', date: '2025-3-14', payload: {} },
      { id: 'f', date: '2025-02-29', payload: {} },
      { id: 'g', start: '2025-03-14T07:00:00Z', date: 'not a date', payload: {} },
      { id: 'h', start: 1741935600 as unknown as string, payload: {} },
    ]
    for (const record of refused) {
      await expect(store.upsert('sleep', owner, record), record.id).rejects.toMatchObject({
        name: 'ProviderError',
        code: 'invalid_argument',
      })
    }
    await expect(store.upsert('sleep', owner, refused[0] as DataRecord)).rejects.toThrow(
      /start must be an ISO-8601 date-time with an offset.*received "yesterday"/,
    )
    expect(await store.query('sleep', owner)).toEqual([])
  })

  it('refuses ids, owners, kinds, payloads, ranges and limits outside the port', async () => {
    const store = createSqliteDataStore(database())
    const record = sleep('s1', '2025-03-14T01:00:00Z')
    const attempts: Promise<unknown>[] = [
      store.upsert('sleep', owner, { ...record, id: '' }),
      store.upsert('sleep', owner, { ...record, id: 'broken\uD800' }),
      store.upsert('sleep', { ...owner, tenantId: '' }, record),
      store.upsert('naps' as 'sleep', owner, record),
      store.upsert('sleep', owner, { ...record, payload: undefined }),
      store.upsert('sleep', owner, { ...record, payload: { big: 10n } }),
      store.query('sleep', owner, { range: { start: '2025-03-14', end: '2025-03-15T00:00:00Z' } }),
      store.query('sleep', owner, { limit: -1 }),
      store.query('sleep', owner, { limit: 1.5 }),
      store.clear({ ...owner, userId: '' }),
    ]
    for (const attempt of attempts) {
      await expect(attempt).rejects.toMatchObject({ code: 'invalid_argument' })
    }
    expect(await store.get('sleep', owner, 'broken\uD800')).toBeUndefined()
    expect(await store.delete('sleep', owner, '')).toBe(false)
    expect(await store.query('sleep', owner, { limit: 0 })).toEqual([])
  })

  it('cuts a limit inside tied instants in JavaScript string order, not SQLite byte order', async () => {
    const db = database()
    const store = createSqliteDataStore(db)
    // U+E000 is one UTF-16 unit above the surrogates of 😀, but its UTF-8 bytes sort first.
    for (const id of ['\uE000', '😀', 'z']) {
      await store.upsert('activity', owner, sleep(id, '2025-03-14T07:00:00Z'))
    }
    const bytes = db
      .prepare('SELECT id FROM provider_records WHERE provider = ? ORDER BY id')
      .all('garmin') as { id: string }[]
    expect(bytes.map((row) => row.id)).toEqual(['z', '\uE000', '😀'])
    const page = await store.query('activity', owner, { limit: 2 })
    expect(page.map((record) => record.id)).toEqual(['z', '😀'])
  })

  it('keeps records across store instances and writes the instant column', async () => {
    const db = database()
    await createSqliteDataStore(db).upsert(
      'sleep',
      owner,
      sleep('s1', '2025-03-14T01:30:00.250+02:00'),
    )
    await createSqliteDataStore(db).upsert('daily', owner, {
      id: '2025-03-14',
      date: '2025-03-14',
      payload: { steps: 17241 },
    })
    const again = createSqliteDataStore(db)
    expect(await again.get('sleep', owner, 's1')).toEqual(
      sleep('s1', '2025-03-14T01:30:00.250+02:00'),
    )
    const rows = db
      .prepare(
        'SELECT kind, id, start_at, local_date, instant_ms, format FROM provider_records ORDER BY kind',
      )
      .all()
    expect(rows).toEqual([
      {
        kind: 'daily',
        id: '2025-03-14',
        start_at: null,
        local_date: '2025-03-14',
        instant_ms: Date.parse('2025-03-14T00:00:00Z'),
        format: null,
      },
      {
        kind: 'sleep',
        id: 's1',
        start_at: '2025-03-14T01:30:00.250+02:00',
        local_date: null,
        instant_ms: Date.parse('2025-03-13T23:30:00.250Z'),
        format: null,
      },
    ])
  })

  it('shares provider_records with imported files without touching them', async () => {
    const db = database()
    const name = 'morning-run.gpx'
    const bytes = readFileSync(new URL(`./fixtures/activities/${name}`, import.meta.url))
    const [parsed] = parseActivityFile(bytes, { fileName: name })
    if (parsed === undefined) throw new Error('fixture without activity')
    const files = createImportedActivityStore(db, { tenantId: 'tenant-a', userId: 'camille' })
    files.put(parsed)
    const store = createSqliteDataStore(db)
    await store.upsert('activity', owner, sleep('g1', '2025-03-14T07:00:00Z'))
    expect(await store.clear(owner)).toBe(1)
    expect(files.list()).toEqual([parsed.activity])
    expect(files.get(parsed.activity.id)).toEqual(parsed)
    // The files provider's rows are visible to the data store under their own provider name.
    const filesOwner = { provider: 'files', tenantId: 'tenant-a', userId: 'camille' }
    expect(await store.get('activity', filesOwner, parsed.activity.id)).toMatchObject({
      id: parsed.activity.id,
      start: parsed.activity.start_date,
      payload: parsed.activity,
    })
  })
})

describe('migration 6 (provider_records.instant_ms)', () => {
  it('fills the instant of existing rows from start_at, else local_date, else leaves it NULL', async () => {
    const db = new Database(':memory:')
    opened.push(db)
    applyMigrations(
      db,
      allMigrations.filter((migration) => migration.version < 6),
    )
    const insert = db.prepare(
      `INSERT INTO provider_records (tenant_id, user_id, provider, kind, id, start_at, local_date, payload, created_at, updated_at)
       VALUES ('tenant-a', 'camille', 'garmin', 'sleep', ?, ?, ?, ?, '2025-03-14T00:00:00Z', '2025-03-14T00:00:00Z')`,
    )
    const legacy: [string, string | null, string | null][] = [
      ['east', '2025-03-14T07:00:00+02:00', '2025-03-14'],
      ['utc', '2025-03-14T06:30:00Z', null],
      ['millis', '2025-03-14T06:30:00.125Z', null],
      ['day', null, '2025-03-13'],
      ['none', null, null],
      ['garbled', 'sometime', '2025-03-12'],
    ]
    for (const [id, start, date] of legacy) insert.run(id, start, date, JSON.stringify({ id }))
    expect(applyMigrations(db, allMigrations).applied).toContain(6)

    const instants = Object.fromEntries(
      (
        db.prepare('SELECT id, instant_ms FROM provider_records').all() as {
          id: string
          instant_ms: number | null
        }[]
      ).map((row) => [row.id, row.instant_ms]),
    )
    expect(instants).toEqual({
      east: Date.parse('2025-03-14T05:00:00Z'),
      utc: Date.parse('2025-03-14T06:30:00Z'),
      millis: Date.parse('2025-03-14T06:30:00.125Z'),
      day: Date.parse('2025-03-13T00:00:00Z'),
      none: null,
      garbled: null,
    })
    const store = createSqliteDataStore(db)
    const ids = (await store.query('sleep', owner)).map((record) => record.id)
    expect(ids).toEqual(['millis', 'utc', 'east', 'day', 'garbled', 'none'])
    const index = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?")
      .get('provider_records_by_instant')
    expect(index).toBeDefined()
  })
})
