import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import {
  applyOAuthMigrations,
  createSqliteOAuthStore,
  oauthMigrations,
} from '../src/sqlite/index.js'
import { describeOAuthStoreContract } from '../src/testing/index.js'

function openMemory(foreignKeys: boolean): Database.Database {
  const db = new Database(':memory:')
  db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
  applyOAuthMigrations(db)
  return db
}

describe('sqlite OAuth store (:memory:, foreign keys on)', () => {
  describeOAuthStoreContract(() => createSqliteOAuthStore(openMemory(true)))
})

// The store checks grant references itself, so it behaves the same when an application forgot
// to turn foreign keys on.
describe('sqlite OAuth store (:memory:, foreign keys off)', () => {
  describeOAuthStoreContract(() => createSqliteOAuthStore(openMemory(false)))
})

const oauthTables = [
  'oauth_access_tokens',
  'oauth_clients',
  'oauth_codes',
  'oauth_consents',
  'oauth_grants',
  'oauth_pending_requests',
  'oauth_refresh_tokens',
  'oauth_sessions',
]

describe('sqlite schema', () => {
  it('exports ordered migrations numbered from 200 as data', () => {
    expect(oauthMigrations.map((m) => [m.version, m.name])).toEqual([
      [200, 'oauth_clients'],
      [201, 'oauth_authorization_requests'],
      [202, 'oauth_grants_and_tokens'],
      [203, 'oauth_consents'],
    ])
    for (const migration of oauthMigrations) {
      expect(migration.sql).not.toMatch(/\b(PRAGMA|BEGIN|COMMIT|ROLLBACK)\b/i)
    }
    expect(Object.isFrozen(oauthMigrations)).toBe(true)
  })

  it('applies once and then idempotently, recording each version with a checksum', () => {
    const db = new Database(':memory:')
    expect(applyOAuthMigrations(db)).toEqual([200, 201, 202, 203])
    expect(applyOAuthMigrations(db)).toEqual([])
    const rows = db.prepare('SELECT version, name, checksum FROM schema_migrations').all() as {
      version: number
      name: string
      checksum: string
    }[]
    expect(rows.map((row) => [row.version, row.name])).toEqual(
      oauthMigrations.map((m) => [m.version, m.name]),
    )
    for (const row of rows) expect(row.checksum).toMatch(/^[0-9a-f]{64}$/)
  })

  it('makes every table STRICT', () => {
    const db = openMemory(true)
    const tables = db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table'",
      )
      .all() as { name: string; strict: number }[]
    const names = tables.map((t) => t.name).filter((name) => !name.startsWith('sqlite_'))
    expect(names.sort()).toEqual([...oauthTables, 'schema_migrations'].sort())
    for (const table of tables.filter((t) => names.includes(t.name))) {
      expect({ table: table.name, strict: table.strict }).toEqual({ table: table.name, strict: 1 })
    }
  })

  it('shares a schema_migrations table created by the server runner', () => {
    const db = new Database(':memory:')
    // The shape apps/server creates: same columns, not STRICT.
    db.exec(`CREATE TABLE schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
      applied_at TEXT NOT NULL)`)
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?, ?)').run(
      'server_instance',
      'f'.repeat(64),
      new Date().toISOString(),
    )
    expect(applyOAuthMigrations(db)).toEqual([200, 201, 202, 203])
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()
    expect(versions).toEqual([1, 200, 201, 202, 203].map((version) => ({ version })))
  })

  it('refuses to continue when an applied migration was edited', () => {
    const db = new Database(':memory:')
    applyOAuthMigrations(db)
    const edited = oauthMigrations.map((m) =>
      m.version === 201 ? { ...m, sql: `${m.sql}\n-- edited` } : m,
    )
    expect(() => applyOAuthMigrations(db, edited)).toThrow(/201.*changed/)
  })

  it('rolls a failed migration back without recording it', () => {
    const db = new Database(':memory:')
    const broken = [
      ...oauthMigrations,
      { version: 299, name: 'broken', sql: 'CREATE TABLE t (a TEXT) STRICT; SELECT * FROM nope;' },
    ]
    expect(() => applyOAuthMigrations(db, broken)).toThrow()
    expect(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 't'").get()).toBeUndefined()
    expect(applyOAuthMigrations(db)).toEqual([])
  })

  it('rejects rows that break a CHECK constraint', () => {
    const db = openMemory(true)
    const insert = db.prepare(
      `INSERT INTO oauth_clients (client_id, auth_method, redirect_uris, grant_types, created_at,
         source) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    const now = new Date().toISOString()
    expect(() => insert.run('a', 'private_key_jwt', '[]', '[]', now, 'dcr')).toThrow(/CHECK/)
    expect(() => insert.run('b', 'none', '"x"', '[]', now, 'dcr')).toThrow(/CHECK/)
    expect(() => insert.run('c', 'none', '[]', '[]', now, 'cimd')).toThrow(/CHECK/)
    expect(() => insert.run('d', 'none', '[]', '[]', '2026-03-01', 'dcr')).toThrow(/CHECK/)
    expect(() => insert.run('e', 'none', '[]', '[]', now, 'dcr')).not.toThrow()
  })

  it.for([
    {
      statement: 'UPDATE oauth_refresh_tokens SET revoked_at = ? WHERE grant_id = ?',
      index: 'oauth_refresh_tokens_grant',
    },
    {
      statement: 'UPDATE oauth_access_tokens SET revoked_at = ? WHERE grant_id = ?',
      index: 'oauth_access_tokens_grant',
    },
    {
      statement: 'DELETE FROM oauth_access_tokens WHERE expires_at < ?',
      index: 'oauth_access_tokens_expires_at',
    },
    {
      statement: 'DELETE FROM oauth_pending_requests WHERE expires_at <= ?',
      index: 'oauth_pending_requests_expires_at',
    },
    {
      statement: 'SELECT grant_id FROM oauth_grants WHERE user_id = ?',
      index: 'oauth_grants_user',
    },
    {
      statement: 'DELETE FROM oauth_clients WHERE created_at < ?',
      index: 'oauth_clients_created_at',
    },
  ])('serves $statement through $index', ({ statement, index }) => {
    const db = openMemory(true)
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${statement}`)
      .all(...Array.from(statement.matchAll(/\?/g), () => 'x'))
      .map((row) => (row as { detail: string }).detail)
      .join('\n')
    expect(plan).toContain(index)
  })
})

describe('sqlite OAuth store across connections (WAL file)', () => {
  it('lets only one connection consume a code or rotate a refresh token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oauth-sqlite-'))
    const open = () => {
      const db = new Database(join(dir, 'pierre.db'))
      db.pragma('journal_mode = WAL')
      db.pragma('foreign_keys = ON')
      db.pragma('busy_timeout = 5000')
      return db
    }
    const first = open()
    const second = open()
    try {
      applyOAuthMigrations(first)
      expect(applyOAuthMigrations(second)).toEqual([])
      const [a, b] = [createSqliteOAuthStore(first), createSqliteOAuthStore(second)]
      const now = '2026-03-01T12:00:00.000Z'
      const later = '2026-03-01T12:10:00.000Z'
      const grant = {
        grantId: 'grant-1',
        clientId: 'mcp_client_1',
        userId: 'user-1',
        tenantId: 'tenant-1',
        scope: 'fitness:read',
        resource: 'https://pierre.example.test/mcp',
        createdAt: now,
        absoluteExpiresAt: later,
        revokedAt: null,
      }
      await a.grants.create(grant)
      await a.codes.create({
        codeHash: 'c'.repeat(64),
        grantId: grant.grantId,
        clientId: grant.clientId,
        userId: grant.userId,
        tenantId: grant.tenantId,
        redirectUri: 'https://app.example.test/cb',
        scope: grant.scope,
        resource: grant.resource,
        codeChallenge: 'x'.repeat(43),
        authTime: null,
        expiresAt: later,
        usedAt: null,
      })
      const consumed = await Promise.all([
        a.codes.consume('c'.repeat(64), now),
        b.codes.consume('c'.repeat(64), now),
      ])
      expect(consumed.map((result) => result.status).sort()).toEqual(['consumed', 'replayed'])

      const refresh = (tokenHash: string) => ({
        tokenHash,
        grantId: grant.grantId,
        clientId: grant.clientId,
        userId: grant.userId,
        tenantId: grant.tenantId,
        scope: grant.scope,
        resource: grant.resource,
        createdAt: now,
        expiresAt: later,
        rotatedAt: null,
        replacedBy: null,
        revokedAt: null,
      })
      await a.refreshTokens.create(refresh('r0'))
      const rotated = await Promise.all([
        a.refreshTokens.rotate('r0', refresh('r1'), now),
        b.refreshTokens.rotate('r0', refresh('r2'), now),
      ])
      expect(rotated.map((result) => result.status).sort()).toEqual(['reused', 'rotated'])
      expect(await b.grants.revoke(grant.grantId, now)).toBe(true)
      expect((await a.refreshTokens.get('r1'))?.revokedAt).toBe(now)
    } finally {
      first.close()
      second.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
