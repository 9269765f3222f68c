import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { allMigrations, migrations as serverMigrations } from './migrations.js'

/** A schema migration: applied once, in order, inside a transaction. */
export interface Migration {
  /** Strictly increasing, never reused. */
  readonly version: number
  /** Short snake_case name. */
  readonly name: string
  /** SQL executed as one script. Never edit once released: the checksum guards it. */
  readonly sql: string
}

/** Raised when the database cannot be opened or migrated; start-up stops with its message. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageError'
  }
}

/** Result of {@link applyMigrations}. */
export interface MigrationReport {
  readonly applied: readonly number[]
  readonly current: number
}

function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex')
}

/**
 * Applies pending migrations in one transaction and records each (version, name, checksum) in
 * `schema_migrations`. Refuses to start when an applied migration changed or is unknown.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = serverMigrations,
): MigrationReport {
  const ordered = [...migrations].sort((a, b) => a.version - b.version)
  for (let index = 1; index < ordered.length; index++) {
    const previous = ordered[index - 1]
    const current = ordered[index]
    if (previous !== undefined && current !== undefined && previous.version === current.version) {
      throw new StorageError(`duplicate migration version ${current.version}`)
    }
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`)
  const run = db.transaction(() => {
    const rows = db
      .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
      .all() as { version: number; name: string; checksum: string }[]
    const known = new Map(ordered.map((migration) => [migration.version, migration]))
    for (const row of rows) {
      const migration = known.get(row.version)
      if (migration === undefined) {
        throw new StorageError(
          `database has migration ${row.version} (${row.name}) that this version does not know: refusing to run an older server on a newer database`,
        )
      }
      if (checksum(migration) !== row.checksum) {
        throw new StorageError(
          `migration ${row.version} (${row.name}) changed after it was applied (checksum mismatch)`,
        )
      }
    }
    const done = new Set(rows.map((row) => row.version))
    const applied: number[] = []
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
    )
    for (const migration of ordered) {
      if (done.has(migration.version)) continue
      db.exec(migration.sql)
      record.run(migration.version, migration.name, checksum(migration), new Date().toISOString())
      applied.push(migration.version)
    }
    return applied
  })
  const applied = run.immediate()
  const last = ordered.at(-1)
  return { applied, current: last === undefined ? 0 : last.version }
}

/** Creates the data directory with mode 0700 (or tightens an existing one) and returns it. */
function ensureDataDir(dataDir: string): string {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    if ((statSync(dataDir).mode & 0o077) !== 0) chmodSync(dataDir, 0o700)
  } catch (error) {
    throw new StorageError(`cannot create data directory ${dataDir}`, { cause: error })
  }
  return dataDir
}

/**
 * Opens the server database (`<dataDir>/pierre.db`, or `:memory:`) in WAL mode with foreign keys on,
 * and applies the server's and `@pierre/tenancy`'s migrations.
 */
export function openDatabase(location: { dataDir: string } | ':memory:'): Database.Database {
  let db: Database.Database
  try {
    if (location === ':memory:') {
      db = new Database(':memory:')
    } else {
      ensureDataDir(location.dataDir)
      db = new Database(join(location.dataDir, 'pierre.db'))
      db.pragma('journal_mode = WAL')
    }
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
  } catch (error) {
    if (error instanceof StorageError) throw error
    throw new StorageError('cannot open the database', { cause: error })
  }
  try {
    applyMigrations(db, allMigrations)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

/** Returns true when the database answers a trivial query. */
export function isDatabaseHealthy(db: Database.Database): boolean {
  try {
    return db.prepare('SELECT 1 AS ok').get() !== undefined
  } catch {
    return false
  }
}
