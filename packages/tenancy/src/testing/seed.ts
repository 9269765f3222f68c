import { randomUUID } from 'node:crypto'
import type { RequestContext } from '../context.js'
import type { MembershipRecord, TenancyStores, TenantRecord, UserRecord } from '../stores/types.js'
import type { TenantRole } from '../types.js'
import { createTestContext } from './context.js'

/** A fixed instant the suites use so that rows compare deterministically. */
export const seedInstant = '2026-01-15T10:00:00.000Z'

/** Builds a tenant row with defaults. */
export function tenantRow(overrides: Partial<TenantRecord> = {}): TenantRecord {
  const id = overrides.id ?? randomUUID()
  return {
    id,
    slug: `t-${id.slice(0, 8)}`,
    name: 'Tenant',
    plan: 'starter',
    status: 'active',
    autoApproval: false,
    quotaMultiplier: 1,
    createdAt: seedInstant,
    updatedAt: seedInstant,
    ...overrides,
  }
}

/** Builds a user row with defaults. */
export function userRow(overrides: Partial<UserRecord> = {}): UserRecord {
  const id = overrides.id ?? randomUUID()
  return {
    id,
    email: `${id}@example.test`,
    displayName: null,
    passwordHash: null,
    platformRole: 'user',
    status: 'active',
    tier: 'starter',
    approvedBy: null,
    approvedAt: null,
    createdAt: seedInstant,
    updatedAt: seedInstant,
    lastLoginAt: null,
    passwordChangedAt: null,
    ...overrides,
  }
}

/** Builds an active membership row. */
export function membershipRow(
  tenantId: string,
  userId: string,
  role: TenantRole = 'member',
): MembershipRecord {
  return {
    tenantId,
    userId,
    role,
    status: 'active',
    invitedBy: null,
    createdAt: seedInstant,
    joinedAt: seedInstant,
  }
}

/** A seeded tenant with an owner and a member, and their contexts. */
export interface SeededTenant {
  readonly tenant: TenantRecord
  readonly owner: UserRecord
  readonly member: UserRecord
  readonly ownerContext: RequestContext
  readonly memberContext: RequestContext
}

/** Creates a tenant, its owner and one member, and contexts for both. */
export async function seedTenant(stores: TenancyStores): Promise<SeededTenant> {
  const tenant = tenantRow()
  const owner = userRow()
  const member = userRow()
  await stores.users.create(owner)
  await stores.tenants.create(tenant, membershipRow(tenant.id, owner.id, 'owner'))
  await stores.users.create(member, membershipRow(tenant.id, member.id))
  return {
    tenant,
    owner,
    member,
    ownerContext: createTestContext({ tenantId: tenant.id, userId: owner.id, tenantRole: 'owner' }),
    memberContext: createTestContext({ tenantId: tenant.id, userId: member.id }),
  }
}
