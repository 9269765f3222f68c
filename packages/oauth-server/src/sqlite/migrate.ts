import { createHash } from 'node:crypto'
import type { SqliteDatabase } from './database.js'
import { type Migration, oauthMigrations } from './migrations.js'

const checksum = (migration: Migration): string =>
  createHash('sha256').update(migration.sql).digest('hex')

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction, and
 * returns the versions applied. The table has the shape the server's runner uses (version, name,
 * SHA-256 checksum of the SQL, applied_at), so either runner may later continue where the other
 * stopped. Rows of other packages' versions are left alone.
 *
 * @throws when a migration recorded as applied has a different checksum (it was edited after
 * release).
 */
export function applyOAuthMigrations(
  db: SqliteDatabase,
  migrations: readonly Migration[] = oauthMigrations,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const recorded = new Map(
    (
      db.prepare('SELECT version, checksum FROM schema_migrations').all() as {
        version: number
        checksum: string
      }[]
    ).map((row) => [row.version, row.checksum]),
  )
  const done: number[] = []
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const applied = recorded.get(migration.version)
    if (applied !== undefined) {
      if (applied !== checksum(migration)) {
        throw new Error(
          `migration ${migration.version} (${migration.name}) changed after it was applied`,
        )
      }
      continue
    }
    db.transaction(() => {
      db.exec(migration.sql)
      db.prepare(
        'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
      ).run(migration.version, migration.name, checksum(migration), new Date().toISOString())
    }).immediate()
    done.push(migration.version)
  }
  return done
}
