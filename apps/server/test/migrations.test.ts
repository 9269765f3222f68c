import { statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { applyMigrations, type Migration, openDatabase, StorageError } from '../src/index.js'
import { tempDir } from './helpers.js'

const first: Migration = {
  version: 1,
  name: 'one',
  sql: 'CREATE TABLE one (id INTEGER PRIMARY KEY);',
}
const second: Migration = {
  version: 2,
  name: 'two',
  sql: 'CREATE TABLE two (id INTEGER PRIMARY KEY);',
}

function memory(): Database.Database {
  return new Database(':memory:')
}

describe('migrations', () => {
  it('applies pending migrations in version order and records them', () => {
    const db = memory()
    const report = applyMigrations(db, [second, first])
    expect(report).toEqual({ applied: [1, 2], current: 2 })
    const rows = db.prepare('SELECT version, name, checksum FROM schema_migrations').all() as {
      version: number
      name: string
      checksum: string
    }[]
    expect(rows.map((row) => [row.version, row.name])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ])
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/)
  })

  it('is idempotent', () => {
    const db = memory()
    applyMigrations(db, [first])
    expect(applyMigrations(db, [first, second]).applied).toEqual([2])
    expect(applyMigrations(db, [first, second]).applied).toEqual([])
  })

  it('refuses a migration edited after it was applied', () => {
    const db = memory()
    applyMigrations(db, [first])
    const edited = { ...first, sql: 'CREATE TABLE one (id TEXT);' }
    expect(() => applyMigrations(db, [edited])).toThrow(/checksum mismatch/)
  })

  it('refuses a database that is newer than the code', () => {
    const db = memory()
    applyMigrations(db, [first, second])
    expect(() => applyMigrations(db, [first])).toThrow(StorageError)
  })

  it('rolls back every migration of the run when one fails', () => {
    const db = memory()
    const broken: Migration = { version: 3, name: 'broken', sql: 'CREATE TABLE oops (' }
    expect(() => applyMigrations(db, [first, second, broken])).toThrow()
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('one', 'two')")
      .all()
    expect(tables).toEqual([])
  })

  it('rejects duplicate versions', () => {
    expect(() => applyMigrations(memory(), [first, { ...second, version: 1 }])).toThrow(
      /duplicate migration version 1/,
    )
  })

  it('opens the data directory with mode 0700 and the database in WAL mode', () => {
    const dataDir = join(tempDir(), 'nested', 'data')
    const db = openDatabase({ dataDir })
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      const row = db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }
      expect(row.n).toBeGreaterThan(0)
    } finally {
      db.close()
    }
  })
})
