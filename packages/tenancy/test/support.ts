import Database from 'better-sqlite3'
import {
  createMemoryStores,
  createSystemActor,
  createTenancy,
  generateMasterKey,
  type MasterKey,
  type RequestContext,
  type Tenancy,
  type TenancyOptions,
  type TenancyStores,
  type User,
} from '../src/index.js'
import { applyTenancyMigrations, createSqliteStores } from '../src/sqlite/index.js'
import { createTestContext } from '../src/testing/index.js'

/** A controllable clock starting at a fixed instant. */
export interface TestClock {
  readonly now: () => Date
  /** Moves time forward by seconds. */
  advance(seconds: number): void
  /** Current time in seconds since the epoch. */
  seconds(): number
}

export function createClock(start = '2026-01-15T10:00:00.000Z'): TestClock {
  let ms = Date.parse(start)
  return {
    now: () => new Date(ms),
    advance(seconds) {
      ms += seconds * 1000
    },
    seconds: () => Math.floor(ms / 1000),
  }
}

export type StoreKind = 'memory' | 'sqlite'

/** A fresh SQLite database with the tenancy schema. */
export function createSqliteDatabase(): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  applyTenancyMigrations(db)
  return db
}

export function createStores(kind: StoreKind): TenancyStores {
  return kind === 'memory' ? createMemoryStores() : createSqliteStores(createSqliteDatabase())
}

export const issuer = 'https://pierre.example.com'
export const mcpResource = `${issuer}/mcp`
export const testPassword = 'correct horse battery staple'

/** Options that keep tests fast: 2048-bit keys and cheap scrypt. */
function fastOptions(clock: TestClock): Pick<TenancyOptions, 'now' | 'signing' | 'passwords'> {
  return {
    now: clock.now,
    signing: { modulusLength: 2048 },
    passwords: { parameters: { ln: 10, r: 8, p: 1 } },
  }
}

export interface Fixture {
  readonly clock: TestClock
  readonly tenancy: Tenancy
  readonly masterKey: MasterKey
  readonly system: ReturnType<typeof createSystemActor>
}

export async function createFixture(
  options: { kind?: StoreKind; stores?: TenancyStores; clock?: TestClock } = {},
): Promise<Fixture> {
  const clock = options.clock ?? createClock()
  const masterKey = generateMasterKey()
  const tenancy = await createTenancy({
    stores: options.stores ?? createStores(options.kind ?? 'memory'),
    masterKey,
    issuer,
    ...fastOptions(clock),
  })
  return { clock, tenancy, masterKey, system: createSystemActor('test') }
}

/** A tenant with an owner and a member, both active, and contexts for them. */
export interface TestTenant {
  readonly tenantId: string
  readonly owner: User
  readonly member: User
  readonly ownerContext: RequestContext
  readonly memberContext: RequestContext
}

let counter = 0

export async function addTenant(fixture: Fixture, slug?: string): Promise<TestTenant> {
  counter += 1
  const name = slug ?? `tenant-${counter}`
  const { identity } = fixture.tenancy
  const owner = await identity.createUser(fixture.system, {
    email: `owner-${name}@example.test`,
    password: testPassword,
  })
  const tenant = await identity.createTenant(fixture.system, {
    slug: name,
    name,
    ownerUserId: owner.id,
  })
  const member = await identity.createUser(fixture.system, {
    email: `member-${name}@example.test`,
    password: testPassword,
    tenantId: tenant.id,
  })
  return {
    tenantId: tenant.id,
    owner,
    member,
    ownerContext: createTestContext({ tenantId: tenant.id, userId: owner.id, tenantRole: 'owner' }),
    memberContext: createTestContext({ tenantId: tenant.id, userId: member.id }),
  }
}
