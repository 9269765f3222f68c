import { fc, test } from '@fast-check/vitest'
import Database from 'better-sqlite3'
import { describe, expect } from 'vitest'
import { isTenancyError, type RequestContext, type TenancyStores } from '../src/index.js'
import { applyTenancyMigrations, createSqliteStores } from '../src/sqlite/index.js'
import { createTestContext, membershipRow, tenantRow, userRow } from '../src/testing/index.js'

// Model test: random sequences of operations by users of several tenants against the SQLite
// stores (:memory:). Invariant: no operation returns, changes or deletes a row of a tenant other
// than the caller's (and user-owned rows of another user stay untouched too). A statement audit
// checks that every statement on a tenant-owned table binds tenant_id or is marked platform.

const tenantOwned = /\b(memberships|api_keys|usage_events|provider_tokens)\b/
const providers = ['strava', 'garmin', 'whoop'] as const

interface World {
  readonly db: Database.Database
  readonly stores: TenancyStores
  readonly actors: readonly RequestContext[]
  readonly statements: Set<string>
  readonly ids: string[]
}

async function createWorld(): Promise<World> {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  applyTenancyMigrations(db)
  const statements = new Set<string>()
  const prepare = db.prepare.bind(db)
  db.prepare = ((source: string) => {
    statements.add(source)
    return prepare(source)
  }) as typeof db.prepare
  const stores = createSqliteStores(db)
  const actors: RequestContext[] = []
  for (let t = 0; t < 3; t += 1) {
    const tenant = tenantRow({ id: `tenant-${t}`, slug: `tenant-${t}` })
    const owner = userRow({ id: `owner-${t}` })
    const member = userRow({ id: `member-${t}` })
    await stores.users.create(owner)
    await stores.tenants.create(tenant, membershipRow(tenant.id, owner.id, 'owner'))
    await stores.users.create(member, membershipRow(tenant.id, member.id))
    actors.push(createTestContext({ tenantId: tenant.id, userId: owner.id, tenantRole: 'owner' }))
    actors.push(createTestContext({ tenantId: tenant.id, userId: member.id }))
  }
  return { db, stores, actors, statements, ids: ['missing-id'] }
}

type Row = Record<string, unknown>

/** Every tenant-owned row not belonging to the actor (other tenants, or other users' rows). */
function foreignRows(world: World, actor: RequestContext): string {
  const query = (sql: string, params: unknown[]) =>
    world.db.prepare(`/* audit */ ${sql}`).all(...params) as Row[]
  return JSON.stringify({
    memberships: query(
      'SELECT * FROM memberships WHERE tenant_id <> ? ORDER BY tenant_id, user_id',
      [actor.tenantId],
    ),
    apiKeys: query('SELECT * FROM api_keys WHERE NOT (tenant_id = ? AND user_id = ?) ORDER BY id', [
      actor.tenantId,
      actor.userId,
    ]),
    usage: query(
      'SELECT * FROM usage_events WHERE NOT (tenant_id = ? AND user_id = ?) ORDER BY id',
      [actor.tenantId, actor.userId],
    ),
    tokens: query(
      'SELECT * FROM provider_tokens WHERE NOT (tenant_id = ? AND user_id = ?) ORDER BY tenant_id, user_id, provider',
      [actor.tenantId, actor.userId],
    ),
  })
}

function expectOwn(
  actor: RequestContext,
  row: { tenantId: string; userId?: string } | undefined,
  userOwned: boolean,
): void {
  if (row === undefined) return
  expect(row.tenantId).toBe(actor.tenantId)
  if (userOwned) expect(row.userId).toBe(actor.userId)
}

type Operation = { actor: number; pick: number; kind: string; provider: (typeof providers)[number] }

async function run(world: World, op: Operation): Promise<void> {
  const actor = world.actors[op.actor] as RequestContext
  const { stores } = world
  const targetId = world.ids[op.pick % world.ids.length] as string
  const targetUser = (world.actors[op.pick % world.actors.length] as RequestContext).userId
  const at = new Date(Date.UTC(2026, 0, 15, 10, 0, op.pick)).toISOString()
  switch (op.kind) {
    case 'createKey': {
      const id = `key-${world.ids.length}`
      const created = await stores.apiKeys.create(
        actor,
        {
          id,
          name: 'k',
          description: null,
          kind: 'api',
          tier: 'starter',
          scopes: ['fitness:read'],
          lookupHash: `${id}`.padEnd(64, '0'),
          displayHint: 'pk_live_x…y',
          createdAt: at,
          expiresAt: null,
          createdBy: actor.userId,
        },
        { maxActive: 20, now: at },
      )
      world.ids.push(id)
      expectOwn(actor, created, true)
      return
    }
    case 'getKey':
      expectOwn(actor, await stores.apiKeys.get(actor, targetId), true)
      return
    case 'listKeys':
      for (const key of await stores.apiKeys.list(actor)) expectOwn(actor, key, true)
      return
    case 'revokeKey':
      await stores.apiKeys.revoke(actor, targetId, at)
      return
    case 'putToken':
      expectOwn(
        actor,
        await stores.providerTokens.put(actor, {
          provider: op.provider,
          accessTokenEnc: `enc-${op.pick}`,
          refreshTokenEnc: null,
          tokenType: 'Bearer',
          scope: null,
          expiresAt: null,
          providerUserId: null,
          createdAt: at,
          updatedAt: at,
        }),
        true,
      )
      return
    case 'getToken':
      expectOwn(actor, await stores.providerTokens.get(actor, op.provider), true)
      return
    case 'listTokens':
      for (const token of await stores.providerTokens.list(actor)) expectOwn(actor, token, true)
      return
    case 'deleteToken':
      await stores.providerTokens.delete(actor, op.provider)
      return
    case 'recordUsage': {
      const id = `event-${world.ids.length}`
      world.ids.push(id)
      expectOwn(
        actor,
        await stores.usageEvents.record(actor, {
          id,
          credentialId: null,
          tool: 't',
          status: 'ok',
          durationMs: 1,
          at,
        }),
        true,
      )
      return
    }
    case 'listUsage':
      for (const event of await stores.usageEvents.list(actor, {
        scope: op.pick % 2 === 0 ? 'tenant' : 'user',
      })) {
        expectOwn(actor, event, op.pick % 2 !== 0)
      }
      return
    case 'getMember':
      expectOwn(actor, await stores.memberships.get(actor, targetUser), false)
      return
    case 'listMembers':
      for (const membership of await stores.memberships.list(actor))
        expectOwn(actor, membership, false)
      return
    case 'setRole':
      expectOwn(actor, await stores.memberships.setRole(actor, targetUser, 'admin'), false)
      return
    case 'removeMember':
      await stores.memberships.remove(actor, targetUser)
      return
    case 'transfer':
      await stores.memberships.transferOwnership(actor, targetUser)
      return
    default:
      throw new Error(`unknown operation ${op.kind}`)
  }
}

const operation = fc.record({
  actor: fc.integer({ min: 0, max: 5 }),
  pick: fc.nat({ max: 1000 }),
  kind: fc.constantFrom(
    'createKey',
    'getKey',
    'listKeys',
    'revokeKey',
    'putToken',
    'getToken',
    'listTokens',
    'deleteToken',
    'recordUsage',
    'listUsage',
    'getMember',
    'listMembers',
    'setRole',
    'removeMember',
    'transfer',
  ),
  provider: fc.constantFrom(...providers),
})

describe('tenant isolation model (SQLite stores)', () => {
  test.prop([fc.array(operation, { minLength: 1, maxLength: 60 })], { numRuns: 100 })(
    'no operation returns or changes another tenant’s (or another user’s) row',
    async (operations) => {
      const world = await createWorld()
      for (const op of operations) {
        const actor = world.actors[op.actor] as RequestContext
        const before = foreignRows(world, actor)
        try {
          await run(world, op)
        } catch (error) {
          // Expected refusals (a limit reached, a membership missing) are fine; nothing else is.
          if (!isTenancyError(error) || !['conflict', 'not_found'].includes(error.code)) throw error
        }
        expect(foreignRows(world, actor)).toBe(before)
      }
      for (const sql of world.statements) {
        if (sql.startsWith('/* audit */') || !tenantOwned.test(sql)) continue
        expect(sql.includes('tenant_id') || sql.includes('/* platform */'), sql).toBe(true)
      }
    },
  )
})
