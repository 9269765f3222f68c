import { assertRequestContext, type RequestContext } from '../context.js'
import { TenancyError } from '../errors.js'
import { paging } from './paging.js'
import type {
  ApiKeyRecord,
  ApiKeyStore,
  KeyStore,
  ListOptions,
  LoginThrottleRecord,
  LoginThrottleStore,
  MembershipRecord,
  MembershipStore,
  ProviderTokenRecord,
  ProviderTokenStore,
  RateLimitStore,
  SigningKeyRecord,
  SigningKeyStore,
  TenancyStores,
  TenantKeyRecord,
  TenantRecord,
  TenantStore,
  UsageEventRecord,
  UsageEventStore,
  UserRecord,
  UserStore,
} from './types.js'

// In-memory stores: the reference behaviour every implementation must match (the contract suites
// in `@pierre/tenancy/testing` hold them to it). Every record is copied in and out, so callers
// can never mutate stored state by reference.

const copy = <TValue>(value: TValue): TValue => structuredClone(value)

function page<TValue>(rows: readonly TValue[], options: ListOptions | undefined): TValue[] {
  const { limit, offset } = paging(options)
  return rows.slice(offset, offset + limit).map(copy)
}

const membershipKey = (tenantId: string, userId: string): string => `${tenantId}\u0000${userId}`

/** Shared state behind the memory stores, so that compound operations stay atomic. */
interface MemoryState {
  readonly tenants: Map<string, TenantRecord>
  readonly users: Map<string, UserRecord>
  readonly memberships: Map<string, MembershipRecord>
}

function createState(): MemoryState {
  return { tenants: new Map(), users: new Map(), memberships: new Map() }
}

function liveOwner(state: MemoryState, tenantId: string): MembershipRecord | undefined {
  for (const membership of state.memberships.values()) {
    if (membership.tenantId === tenantId && membership.role === 'owner') {
      if (membership.status !== 'removed') return membership
    }
  }
  return undefined
}

function checkMembershipInsert(state: MemoryState, membership: MembershipRecord): void {
  const existing = state.memberships.get(membershipKey(membership.tenantId, membership.userId))
  if (existing && existing.status !== 'removed') {
    throw new TenancyError('conflict', 'membership already exists')
  }
  if (membership.role === 'owner' && membership.status !== 'removed') {
    if (liveOwner(state, membership.tenantId)) {
      throw new TenancyError('conflict', 'tenant already has an owner')
    }
  }
}

function requireMembership(state: MemoryState, ctx: RequestContext): void {
  if (!state.memberships.has(membershipKey(ctx.tenantId, ctx.userId))) {
    throw new TenancyError('not_found', 'membership not found')
  }
}

function tenantStore(state: MemoryState): TenantStore {
  return {
    async create(tenant, owner) {
      for (const existing of state.tenants.values()) {
        if (existing.id === tenant.id || existing.slug === tenant.slug) {
          throw new TenancyError('conflict', 'tenant id or slug already exists')
        }
      }
      if (owner) {
        if (owner.tenantId !== tenant.id) {
          throw new TenancyError('invalid_argument', 'owner membership must belong to the tenant')
        }
        if (!state.users.has(owner.userId)) throw new TenancyError('not_found', 'owner not found')
      }
      state.tenants.set(tenant.id, copy(tenant))
      if (owner) state.memberships.set(membershipKey(owner.tenantId, owner.userId), copy(owner))
    },
    async get(id) {
      const tenant = state.tenants.get(id)
      return tenant && copy(tenant)
    },
    async getBySlug(slug) {
      for (const tenant of state.tenants.values()) if (tenant.slug === slug) return copy(tenant)
      return undefined
    },
    async list(options) {
      return page([...state.tenants.values()], options)
    },
    async update(id, patch) {
      const tenant = state.tenants.get(id)
      if (!tenant) return undefined
      const updated: TenantRecord = { ...tenant, ...patch }
      state.tenants.set(id, updated)
      return copy(updated)
    },
  }
}

function userStore(state: MemoryState): UserStore {
  return {
    async create(user, membership) {
      for (const existing of state.users.values()) {
        if (existing.id === user.id || existing.email === user.email) {
          throw new TenancyError('conflict', 'user id or email already exists')
        }
      }
      if (membership) {
        if (membership.userId !== user.id) {
          throw new TenancyError('invalid_argument', 'membership must belong to the user')
        }
        if (!state.tenants.has(membership.tenantId)) {
          throw new TenancyError('not_found', 'tenant not found')
        }
        checkMembershipInsert(state, membership)
      }
      state.users.set(user.id, copy(user))
      if (membership) {
        state.memberships.set(membershipKey(membership.tenantId, user.id), copy(membership))
      }
    },
    async get(id) {
      const user = state.users.get(id)
      return user && copy(user)
    },
    async getByEmail(email) {
      for (const user of state.users.values()) if (user.email === email) return copy(user)
      return undefined
    },
    async list(options) {
      const rows = [...state.users.values()].filter(
        (user) => options?.status === undefined || user.status === options.status,
      )
      return page(rows, options)
    },
    async update(id, patch) {
      const user = state.users.get(id)
      if (!user) return undefined
      const updated: UserRecord = { ...user, ...patch }
      state.users.set(id, updated)
      return copy(updated)
    },
    async setPlatformRole(id, role, updatedAt) {
      const user = state.users.get(id)
      if (!user) return 'not_found'
      if (user.platformRole === 'super_admin' && role !== 'super_admin') {
        const supers = [...state.users.values()].filter((u) => u.platformRole === 'super_admin')
        if (supers.length <= 1) return 'last_super_admin'
      }
      state.users.set(id, { ...user, platformRole: role, updatedAt })
      return 'updated'
    },
    async countByPlatformRole(role) {
      return [...state.users.values()].filter((user) => user.platformRole === role).length
    },
  }
}

function membershipStore(state: MemoryState): MembershipStore {
  const inTenant = (ctx: RequestContext): MembershipRecord[] =>
    [...state.memberships.values()].filter((m) => m.tenantId === ctx.tenantId)
  return {
    async list(ctx, options) {
      assertRequestContext(ctx)
      return page(inTenant(ctx), options)
    },
    async get(ctx, userId) {
      assertRequestContext(ctx)
      const membership = state.memberships.get(membershipKey(ctx.tenantId, userId))
      return membership && copy(membership)
    },
    async add(ctx, membership) {
      assertRequestContext(ctx)
      if (!state.users.has(membership.userId)) throw new TenancyError('not_found', 'user not found')
      const record: MembershipRecord = { ...membership, tenantId: ctx.tenantId }
      checkMembershipInsert(state, record)
      state.memberships.set(membershipKey(ctx.tenantId, membership.userId), copy(record))
      return copy(record)
    },
    async setRole(ctx, userId, role) {
      assertRequestContext(ctx)
      const key = membershipKey(ctx.tenantId, userId)
      const membership = state.memberships.get(key)
      if (!membership || membership.role === 'owner' || membership.status === 'removed') {
        return undefined
      }
      const updated: MembershipRecord = { ...membership, role }
      state.memberships.set(key, updated)
      return copy(updated)
    },
    async remove(ctx, userId) {
      assertRequestContext(ctx)
      const key = membershipKey(ctx.tenantId, userId)
      const membership = state.memberships.get(key)
      if (!membership || membership.role === 'owner' || membership.status === 'removed') {
        return false
      }
      state.memberships.set(key, { ...membership, status: 'removed' })
      return true
    },
    async transferOwnership(ctx, userId) {
      assertRequestContext(ctx)
      const key = membershipKey(ctx.tenantId, userId)
      const target = state.memberships.get(key)
      if (target?.status !== 'active') return false
      if (target.role === 'owner') return true
      const owner = liveOwner(state, ctx.tenantId)
      if (owner) {
        state.memberships.set(membershipKey(owner.tenantId, owner.userId), {
          ...owner,
          role: 'admin',
        })
      }
      state.memberships.set(key, { ...target, role: 'owner' })
      return true
    },
    async lookup(tenantId, userId) {
      const membership = state.memberships.get(membershipKey(tenantId, userId))
      return membership && copy(membership)
    },
    async listForUser(userId) {
      return [...state.memberships.values()].filter((m) => m.userId === userId).map(copy)
    },
    async insert(membership) {
      if (!state.tenants.has(membership.tenantId)) {
        throw new TenancyError('not_found', 'tenant not found')
      }
      if (!state.users.has(membership.userId)) throw new TenancyError('not_found', 'user not found')
      checkMembershipInsert(state, membership)
      state.memberships.set(membershipKey(membership.tenantId, membership.userId), copy(membership))
    },
  }
}

function apiKeyStore(state: MemoryState): ApiKeyStore {
  const rows = new Map<string, ApiKeyRecord>()
  const own = (ctx: RequestContext): ApiKeyRecord[] =>
    [...rows.values()]
      .filter((key) => key.tenantId === ctx.tenantId && key.userId === ctx.userId)
      .reverse()
  const find = (ctx: RequestContext, id: string): ApiKeyRecord | undefined => {
    const key = rows.get(id)
    return key && key.tenantId === ctx.tenantId && key.userId === ctx.userId ? key : undefined
  }
  return {
    async create(ctx, key, options) {
      assertRequestContext(ctx)
      requireMembership(state, ctx)
      for (const existing of rows.values()) {
        if (existing.id === key.id || existing.lookupHash === key.lookupHash) {
          throw new TenancyError('conflict', 'api key already exists')
        }
      }
      const live = own(ctx).filter(
        (existing) =>
          existing.revokedAt === null &&
          (existing.expiresAt === null || existing.expiresAt > options.now),
      )
      if (live.length >= options.maxActive) {
        throw new TenancyError('conflict', `at most ${options.maxActive} active api keys per user`)
      }
      const record: ApiKeyRecord = {
        ...key,
        tenantId: ctx.tenantId,
        userId: ctx.userId,
        lastUsedAt: null,
        revokedAt: null,
      }
      rows.set(record.id, copy(record))
      return copy(record)
    },
    async list(ctx, options) {
      assertRequestContext(ctx)
      return page(own(ctx), options)
    },
    async get(ctx, id) {
      assertRequestContext(ctx)
      const key = find(ctx, id)
      return key && copy(key)
    },
    async revoke(ctx, id, at) {
      assertRequestContext(ctx)
      const key = find(ctx, id)
      if (!key || key.revokedAt !== null) return false
      rows.set(id, { ...key, revokedAt: at })
      return true
    },
    async findByLookupHash(lookupHash) {
      for (const key of rows.values()) if (key.lookupHash === lookupHash) return copy(key)
      return undefined
    },
    async touch(id, at) {
      const key = rows.get(id)
      if (key) rows.set(id, { ...key, lastUsedAt: at })
    },
  }
}

function signingKeyStore(): SigningKeyStore {
  let rows: SigningKeyRecord[] = []
  let version = 0
  return {
    async list() {
      return rows.map(copy)
    },
    async getVersion() {
      return version
    },
    async commit(change) {
      const next = [...rows]
      for (const record of change.insert ?? []) {
        if (next.some((row) => row.kid === record.kid)) {
          throw new TenancyError('conflict', 'signing key already exists')
        }
        next.push(copy(record))
      }
      for (const record of change.update ?? []) {
        const index = next.findIndex((row) => row.kid === record.kid)
        if (index >= 0) next[index] = copy(record)
      }
      const removed = new Set(change.delete ?? [])
      rows = next.filter((row) => !removed.has(row.kid))
      version += 1
    },
  }
}

function keyStore(): KeyStore {
  const secrets = new Map<string, string>()
  let tenantKeys: TenantKeyRecord[] = []
  return {
    async getSecret(name) {
      return secrets.get(name)
    },
    async putSecretIfAbsent(name, value) {
      const existing = secrets.get(name)
      if (existing !== undefined) return existing
      secrets.set(name, value)
      return value
    },
    async listTenantKeys(tenantId) {
      return tenantKeys
        .filter((key) => key.tenantId === tenantId)
        .sort((a, b) => b.version - a.version)
        .map(copy)
    },
    async listAllTenantKeys() {
      return tenantKeys.filter((key) => key.status !== 'destroyed').map(copy)
    },
    async addTenantKey(key) {
      if (tenantKeys.some((k) => k.tenantId === key.tenantId && k.version === key.version)) {
        throw new TenancyError('conflict', 'tenant key version already exists')
      }
      tenantKeys = tenantKeys.map((k) =>
        k.tenantId === key.tenantId && k.status === 'active' ? { ...k, status: 'decrypt_only' } : k,
      )
      tenantKeys.push(copy(key))
    },
    async destroyTenantKeys(tenantId) {
      let count = 0
      tenantKeys = tenantKeys.map((k) => {
        if (k.tenantId !== tenantId || k.status === 'destroyed') return k
        count += 1
        return { ...k, status: 'destroyed', wrappedKey: '' }
      })
      return count
    },
    async rewrap(change) {
      const next = tenantKeys.map((key) => {
        const update = change.tenantKeys.find(
          (u) => u.tenantId === key.tenantId && u.version === key.version,
        )
        return update ? { ...key, wrappedKey: update.wrappedKey } : key
      })
      tenantKeys = next
      for (const secret of change.secrets) secrets.set(secret.name, secret.value)
    },
  }
}

function rateLimitStore(): RateLimitStore {
  const tats = new Map<string, number>()
  const counters = new Map<string, number>()
  const counterKey = (period: string, subject: string): string => `${period}\u0000${subject}`
  return {
    async consumeToken(key, step) {
      const tat = Math.max(tats.get(key) ?? 0, step.nowMs)
      const next = tat + step.intervalMs
      if (next - step.nowMs > step.burstMs) return { allowed: false, tatMs: tat }
      tats.set(key, next)
      return { allowed: true, tatMs: next }
    },
    async peekToken(key) {
      return tats.get(key) ?? 0
    },
    async incrementUsage(period, subjects) {
      const current = subjects.map((s) => counters.get(counterKey(period, s.subject)) ?? 0)
      const exceeded = subjects.some((s, i) => s.limit !== null && (current[i] ?? 0) + 1 > s.limit)
      if (exceeded) return { allowed: false, counts: current }
      const counts = subjects.map((s, i) => {
        const count = (current[i] ?? 0) + 1
        counters.set(counterKey(period, s.subject), count)
        return count
      })
      return { allowed: true, counts }
    },
    async getUsage(period, subject) {
      return counters.get(counterKey(period, subject)) ?? 0
    },
    async pruneTokens(beforeMs) {
      let count = 0
      for (const [key, tat] of tats) {
        if (tat < beforeMs) {
          tats.delete(key)
          count += 1
        }
      }
      return count
    },
  }
}

function usageEventStore(state: MemoryState): UsageEventStore {
  let rows: UsageEventRecord[] = []
  return {
    async record(ctx, event) {
      assertRequestContext(ctx)
      requireMembership(state, ctx)
      if (rows.some((row) => row.id === event.id)) {
        throw new TenancyError('conflict', 'usage event already exists')
      }
      const record: UsageEventRecord = { ...event, tenantId: ctx.tenantId, userId: ctx.userId }
      rows.push(copy(record))
      return copy(record)
    },
    async list(ctx, options) {
      assertRequestContext(ctx)
      const tenantWide = options?.scope === 'tenant'
      const since = options?.since
      const selected = rows
        .filter(
          (row) =>
            row.tenantId === ctx.tenantId &&
            (tenantWide || row.userId === ctx.userId) &&
            (since === undefined || row.at >= since),
        )
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      return page(selected, options)
    },
    async prune(before) {
      const kept = rows.filter((row) => row.at >= before)
      const removed = rows.length - kept.length
      rows = kept
      return removed
    },
  }
}

function loginThrottleStore(): LoginThrottleStore {
  const rows = new Map<string, LoginThrottleRecord>()
  return {
    async get(subject) {
      const row = rows.get(subject)
      return row && copy(row)
    },
    async recordFailure(subject, policy) {
      const row = rows.get(subject)
      const fresh = !row || policy.nowMs - row.windowStartedMs >= policy.windowMs
      const failures = fresh ? 1 : row.failures + 1
      const record: LoginThrottleRecord = {
        subject,
        failures,
        windowStartedMs: fresh ? policy.nowMs : row.windowStartedMs,
        lockedUntilMs:
          failures >= policy.maxFailures
            ? policy.nowMs + policy.lockMs
            : (row?.lockedUntilMs ?? null),
      }
      rows.set(subject, record)
      return copy(record)
    },
    async clear(subject) {
      rows.delete(subject)
    },
  }
}

function providerTokenStore(state: MemoryState): ProviderTokenStore {
  const rows = new Map<string, ProviderTokenRecord>()
  const key = (ctx: RequestContext, provider: string): string =>
    `${ctx.tenantId}\u0000${ctx.userId}\u0000${provider}`
  return {
    async get(ctx, provider) {
      assertRequestContext(ctx)
      const row = rows.get(key(ctx, provider))
      return row && copy(row)
    },
    async list(ctx) {
      assertRequestContext(ctx)
      return [...rows.values()]
        .filter((row) => row.tenantId === ctx.tenantId && row.userId === ctx.userId)
        .map(copy)
    },
    async put(ctx, token) {
      assertRequestContext(ctx)
      requireMembership(state, ctx)
      const existing = rows.get(key(ctx, token.provider))
      const record: ProviderTokenRecord = {
        ...token,
        tenantId: ctx.tenantId,
        userId: ctx.userId,
        createdAt: existing?.createdAt ?? token.createdAt,
      }
      rows.set(key(ctx, token.provider), copy(record))
      return copy(record)
    },
    async delete(ctx, provider) {
      assertRequestContext(ctx)
      return rows.delete(key(ctx, provider))
    },
  }
}

/**
 * Creates every store in memory, sharing one state so that compound operations (a tenant with
 * its owner, a user with a membership) stay atomic. For tests, demos and single-process use;
 * nothing survives a restart.
 */
export function createMemoryStores(): TenancyStores {
  const state = createState()
  return {
    tenants: tenantStore(state),
    users: userStore(state),
    memberships: membershipStore(state),
    apiKeys: apiKeyStore(state),
    signingKeys: signingKeyStore(),
    keys: keyStore(),
    rateLimits: rateLimitStore(),
    usageEvents: usageEventStore(state),
    loginThrottle: loginThrottleStore(),
    providerTokens: providerTokenStore(state),
  }
}
