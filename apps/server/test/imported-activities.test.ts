import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFilesProvider, parseActivityFile } from '@pierre/providers-files'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ImportStorageError, importActivityFiles } from '../src/import.js'
import { openDatabase } from '../src/index.js'
import { createImportedActivityStore } from '../src/storage/imported-activities.js'
import { tempDir } from './helpers.js'

function parsed(name: string) {
  const bytes = readFileSync(new URL(`./fixtures/activities/${name}`, import.meta.url))
  const [first] = parseActivityFile(bytes, { fileName: name })
  if (first === undefined) throw new Error(`no activity in ${name}`)
  return first
}

describe('the imported-activity store (provider_records)', () => {
  it('stores summaries and streams per tenant and user, newest first, and finds them again', () => {
    const db = openDatabase(':memory:')
    const ann = createImportedActivityStore(db, { tenantId: 't1', userId: 'ann' })
    const run = parsed('morning-run.gpx')
    const ride = parsed('evening-ride.tcx')
    expect(ann.lastImportedAt()).toBeUndefined()
    expect(ann.put(ride)).toBe(true)
    expect(ann.put(run)).toBe(true)
    expect(ann.put(run)).toBe(false)
    expect(ann.size).toBe(2)
    expect(ann.has(run.activity.id)).toBe(true)
    expect(ann.list().map((activity) => activity.id)).toEqual([run.activity.id, ride.activity.id])
    expect(ann.get(run.activity.id)).toEqual(run)
    expect(ann.get('0000000000000000')).toBeUndefined()
    expect(ann.lastImportedAt()).toMatch(/^\d{4}-\d\d-\d\dT/)

    // Another user of the tenant, and the same user id in another tenant, see nothing of Ann's.
    for (const other of [
      createImportedActivityStore(db, { tenantId: 't1', userId: 'bob' }),
      createImportedActivityStore(db, { tenantId: 't2', userId: 'ann' }),
    ]) {
      expect(other.size).toBe(0)
      expect(other.list()).toEqual([])
      expect(other.has(run.activity.id)).toBe(false)
      expect(other.get(run.activity.id)).toBeUndefined()
      expect(other.put(run)).toBe(true)
    }
    expect(ann.size).toBe(2)
    const rows = db.prepare('SELECT tenant_id, user_id, kind FROM provider_records').all()
    expect(rows).toHaveLength(8)
    db.close()
  })

  it('backs the files provider: listing, one activity and its streams', async () => {
    const db = openDatabase(':memory:')
    const store = createImportedActivityStore(db, { tenantId: 't1', userId: 'ann' })
    const fit = parsed('2025/lunch-run.fit')
    store.put(fit)
    store.put(parsed('track-run.tcx'))
    const provider = createFilesProvider({ store })
    const [latest] = await provider.getActivities({ limit: 1 })
    expect(latest?.id).toBe(fit.activity.id)
    expect(await provider.getActivity(fit.activity.id)).toEqual(fit.activity)
    const streams = await provider.getActivityStreams(fit.activity.id, { keys: ['heartrate'] })
    expect(streams.time).toHaveLength(900)
    expect(streams.heartrate).toEqual(fit.streams.heartrate)
    expect(streams.watts).toBeUndefined()
    await expect(provider.getActivity('ffffffffffffffff')).rejects.toMatchObject({
      code: 'not_found',
    })
    db.close()
  })
})

describe('importActivityFiles', () => {
  it('stops with ImportStorageError when the database refuses a write, blaming no file', async () => {
    const dataDir = tempDir()
    openDatabase({ dataDir }).close()
    const readOnly = new Database(join(dataDir, 'pierre.db'), { readonly: true })
    const folder = fileURLToPath(new URL('./fixtures/activities', import.meta.url))
    const seen: string[] = []
    const failure = await importActivityFiles([folder], {
      db: readOnly,
      owner: { tenantId: 't1', userId: 'ann' },
      onProgress: (progress) => seen.push(progress.file),
    }).catch((error: unknown) => error)
    readOnly.close()
    expect(failure).toBeInstanceOf(ImportStorageError)
    expect((failure as Error).cause).toBeInstanceOf(Error)
    // The first file's write failed; the import stopped before the second.
    expect(seen).toHaveLength(1)
  })
})
