import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import {
  applyTenancyMigrations,
  createSqliteStores,
  tenancyMigrations,
} from '../src/sqlite/index.js'
import { seedTenant } from '../src/testing/index.js'

describe('sqlite schema', () => {
  it('exports ordered migrations numbered from 100 as data', () => {
    expect(tenancyMigrations.map((m) => [m.version, m.name])).toEqual([
      [100, 'tenancy_identity'],
      [101, 'tenancy_keys'],
      [102, 'tenancy_api_keys'],
      [103, 'tenancy_usage'],
      [104, 'tenancy_login_throttle'],
      [105, 'tenancy_provider_tokens'],
    ])
    for (const migration of tenancyMigrations) {
      expect(migration.sql).not.toMatch(/\b(PRAGMA|BEGIN|COMMIT)\b/i)
    }
  })

  it('applies once, idempotently, and works in WAL mode on a file database', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'tenancy-sqlite-'))
    const db = new Database(join(dir, 'pierre.db'))
    try {
      db.pragma('journal_mode = WAL')
      db.pragma('foreign_keys = ON')
      expect(applyTenancyMigrations(db)).toEqual([100, 101, 102, 103, 104, 105])
      expect(applyTenancyMigrations(db)).toEqual([])
      const stores = createSqliteStores(db)
      const seeded = await seedTenant(stores)
      expect((await stores.memberships.list(seeded.ownerContext)).length).toBe(2)
    } finally {
      db.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('gives every tenant-owned table a tenant_id column in its keys', () => {
    const db = new Database(':memory:')
    applyTenancyMigrations(db)
    for (const table of ['memberships', 'api_keys', 'usage_events', 'provider_tokens']) {
      const columns = db.prepare(`PRAGMA table_info(${table})`).all() as {
        name: string
        notnull: number
      }[]
      expect(columns.find((c) => c.name === 'tenant_id')?.notnull).toBe(1)
      const keys = db.prepare(`PRAGMA foreign_key_list(${table})`).all() as { from: string }[]
      expect(keys.map((k) => k.from)).toContain('tenant_id')
    }
  })

  it('rolls back a compound change that fails half-way (crash consistency)', async () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    applyTenancyMigrations(db)
    const stores = createSqliteStores(db)
    const seeded = await seedTenant(stores)
    // The user row goes in first; the second owner membership then violates the one-owner index.
    await expect(
      stores.users.create(
        { ...seeded.member, id: 'new-user', email: 'new@example.test' },
        {
          ...(await stores.memberships.lookup(seeded.tenant.id, seeded.owner.id))!,
          userId: 'new-user',
        },
      ),
    ).rejects.toMatchObject({ code: 'conflict' })
    expect(await stores.users.get('new-user')).toBeUndefined()
  })
})
