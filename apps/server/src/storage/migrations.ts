import { tenancyMigrations } from '@pierre/tenancy/sqlite'
import type { Migration } from './database.js'

/**
 * The server's migrations, in order. Later issues append (tenancy, OAuth, providers); a released
 * migration is never edited.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'server_instance',
    sql: `CREATE TABLE server_instance (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);`,
  },
]

/**
 * Every migration the server applies: its own plus `@pierre/tenancy`'s (versions 100–105), run by
 * the one runner so that they share `schema_migrations` and one transaction.
 */
export const allMigrations: readonly Migration[] = [...migrations, ...tenancyMigrations]
