import type { SqliteDatabase } from './database.js'
import { type Migration, tenancyMigrations } from './migrations.js'

/**
 * Applies the migrations not yet recorded in `tenancy_schema_migrations`, each in its own
 * transaction, and returns the versions applied. For tests and simple embeddings; a server with
 * its own runner applies {@link tenancyMigrations} itself instead.
 */
export function applyTenancyMigrations(
  db: SqliteDatabase,
  migrations: readonly Migration[] = tenancyMigrations,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS tenancy_schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL
  ) STRICT`)
  const applied = new Set(
    (
      db.prepare('SELECT version FROM tenancy_schema_migrations').all() as { version: number }[]
    ).map((row) => row.version),
  )
  const done: number[] = []
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.prepare('INSERT INTO tenancy_schema_migrations (version, name) VALUES (?, ?)').run(
        migration.version,
        migration.name,
      )
    })()
    done.push(migration.version)
  }
  return done
}
