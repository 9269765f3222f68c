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
