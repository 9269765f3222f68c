import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { isTenancyError, type TenancyErrorCode } from '../errors.js'
import type { ApiKeyRecord, NewApiKey, SigningKeyRecord, TenancyStores } from '../stores/types.js'
import { createTestContext } from './context.js'
import {
  membershipRow,
  type SeededTenant,
  seedInstant,
  seedTenant,
  tenantRow,
  userRow,
} from './seed.js'

/** Returns a fresh, empty set of stores (migrations applied) for each test. */
export type MakeStores = () => TenancyStores | Promise<TenancyStores>

async function expectCode(promise: Promise<unknown>, code: TenancyErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(isTenancyError(error) ? error.code : error).toBe(code)
}

function setup(make: MakeStores): () => TenancyStores {
  let stores: TenancyStores | undefined
  beforeEach(async () => {
    stores = await make()
  })
  return () => {
    if (!stores) throw new Error('stores not created')
    return stores
  }
}

/** The contract of {@link TenantStore}. */
export function describeTenantStoreContract(make: MakeStores): void {
  describe('TenantStore contract', () => {
    const stores = setup(make)

    it('creates a tenant and reads it by id and slug', async () => {
      const tenant = tenantRow({ slug: 'acme' })
      await stores().tenants.create(tenant)
      expect(await stores().tenants.get(tenant.id)).toEqual(tenant)
      expect(await stores().tenants.getBySlug('acme')).toEqual(tenant)
      expect(await stores().tenants.get(randomUUID())).toBeUndefined()
    })

    it('refuses a second tenant with the same slug', async () => {
      await stores().tenants.create(tenantRow({ slug: 'acme' }))
      await expectCode(stores().tenants.create(tenantRow({ slug: 'acme' })), 'conflict')
      expect(await stores().tenants.list()).toHaveLength(1)
    })

    it('creates the owner membership atomically with the tenant', async () => {
      const owner = userRow()
      await stores().users.create(owner)
      const tenant = tenantRow()
      await stores().tenants.create(tenant, membershipRow(tenant.id, owner.id, 'owner'))
      expect(await stores().memberships.lookup(tenant.id, owner.id)).toMatchObject({
        role: 'owner',
      })
      const orphan = tenantRow()
      await expectCode(
        stores().tenants.create(orphan, membershipRow(orphan.id, randomUUID(), 'owner')),
        'not_found',
      )
      expect(await stores().tenants.get(orphan.id)).toBeUndefined()
    })

    it('lists tenants in creation order with paging', async () => {
      const rows = [0, 1, 2].map((index) =>
        tenantRow({ slug: `tenant-${index}`, createdAt: `2026-01-0${index + 1}T00:00:00.000Z` }),
      )
      for (const row of rows) await stores().tenants.create(row)
      expect((await stores().tenants.list()).map((t) => t.slug)).toEqual([
        'tenant-0',
        'tenant-1',
        'tenant-2',
      ])
      expect((await stores().tenants.list({ limit: 1, offset: 1 })).map((t) => t.slug)).toEqual([
        'tenant-1',
      ])
    })

    it('updates a tenant and ignores unknown ids', async () => {
      const tenant = tenantRow()
      await stores().tenants.create(tenant)
      const updated = await stores().tenants.update(tenant.id, {
        status: 'suspended',
        plan: 'enterprise',
        autoApproval: true,
        quotaMultiplier: 2.5,
        updatedAt: '2026-02-01T00:00:00.000Z',
      })
      expect(updated).toEqual({
        ...tenant,
        status: 'suspended',
        plan: 'enterprise',
        autoApproval: true,
        quotaMultiplier: 2.5,
        updatedAt: '2026-02-01T00:00:00.000Z',
      })
      expect(await stores().tenants.get(tenant.id)).toEqual(updated)
      expect(
        await stores().tenants.update(randomUUID(), { updatedAt: seedInstant }),
      ).toBeUndefined()
    })
  })
}

/** The contract of {@link UserStore}. */
export function describeUserStoreContract(make: MakeStores): void {
  describe('UserStore contract', () => {
    const stores = setup(make)

    it('creates a user and reads it by id and email', async () => {
      const user = userRow({ email: 'ann@example.test', passwordHash: '$scrypt$x' })
      await stores().users.create(user)
      expect(await stores().users.get(user.id)).toEqual(user)
      expect(await stores().users.getByEmail('ann@example.test')).toEqual(user)
      expect(await stores().users.getByEmail('nobody@example.test')).toBeUndefined()
    })

    it('refuses a second user with the same email', async () => {
      await stores().users.create(userRow({ email: 'ann@example.test' }))
      await expectCode(stores().users.create(userRow({ email: 'ann@example.test' })), 'conflict')
    })

    it('creates the membership atomically with the user', async () => {
      const user = userRow()
      await expectCode(
        stores().users.create(user, membershipRow(randomUUID(), user.id)),
        'not_found',
      )
      expect(await stores().users.get(user.id)).toBeUndefined()
      const tenant = tenantRow()
      await stores().tenants.create(tenant)
      await stores().users.create(user, membershipRow(tenant.id, user.id))
      expect(await stores().memberships.lookup(tenant.id, user.id)).toBeDefined()
    })

    it('lists users, optionally by status', async () => {
      await stores().users.create(
        userRow({ status: 'pending', createdAt: '2026-01-01T00:00:00.000Z' }),
      )
      await stores().users.create(
        userRow({ status: 'active', createdAt: '2026-01-02T00:00:00.000Z' }),
      )
      expect(await stores().users.list()).toHaveLength(2)
      const pending = await stores().users.list({ status: 'pending' })
      expect(pending.map((u) => u.status)).toEqual(['pending'])
    })

    it('updates a user', async () => {
      const user = userRow({ status: 'pending' })
      await stores().users.create(user)
      const updated = await stores().users.update(user.id, {
        status: 'active',
        approvedBy: 'admin',
        approvedAt: seedInstant,
        updatedAt: '2026-02-01T00:00:00.000Z',
      })
      expect(updated).toMatchObject({ status: 'active', approvedBy: 'admin' })
      expect(await stores().users.get(user.id)).toEqual(updated)
      expect(await stores().users.update(randomUUID(), { updatedAt: seedInstant })).toBeUndefined()
    })

    it('never demotes the last super admin', async () => {
      const first = userRow({ platformRole: 'super_admin' })
      const second = userRow()
      await stores().users.create(first)
      await stores().users.create(second)
      expect(await stores().users.setPlatformRole(first.id, 'admin', seedInstant)).toBe(
        'last_super_admin',
      )
      expect(await stores().users.setPlatformRole(second.id, 'super_admin', seedInstant)).toBe(
        'updated',
      )
      expect(await stores().users.countByPlatformRole('super_admin')).toBe(2)
      expect(await stores().users.setPlatformRole(first.id, 'user', seedInstant)).toBe('updated')
      expect(await stores().users.setPlatformRole(randomUUID(), 'user', seedInstant)).toBe(
        'not_found',
      )
      expect((await stores().users.get(first.id))?.platformRole).toBe('user')
    })
  })
}

/** The contract of {@link MembershipStore}, including cross-tenant isolation. */
export function describeMembershipStoreContract(make: MakeStores): void {
  describe('MembershipStore contract', () => {
    const stores = setup(make)
    let a: SeededTenant
    let b: SeededTenant
    beforeEach(async () => {
      a = await seedTenant(stores())
      b = await seedTenant(stores())
    })

    it('lists and reads memberships of the context tenant only', async () => {
      const listed = await stores().memberships.list(a.ownerContext)
      expect(listed.map((m) => m.userId).sort()).toEqual([a.owner.id, a.member.id].sort())
      expect(listed.every((m) => m.tenantId === a.tenant.id)).toBe(true)
      expect(await stores().memberships.get(a.ownerContext, a.member.id)).toMatchObject({
        tenantId: a.tenant.id,
        role: 'member',
      })
    })

    it('adds a member, refuses a duplicate, and re-adds a removed one', async () => {
      const user = userRow()
      await stores().users.create(user)
      const input = {
        userId: user.id,
        role: 'billing' as const,
        status: 'active' as const,
        invitedBy: a.owner.id,
        createdAt: seedInstant,
        joinedAt: seedInstant,
      }
      const added = await stores().memberships.add(a.ownerContext, input)
      expect(added).toMatchObject({ tenantId: a.tenant.id, userId: user.id, role: 'billing' })
      await expectCode(
        stores().memberships.add(a.ownerContext, { ...input, role: 'member' }),
        'conflict',
      )
      expect(await stores().memberships.remove(a.ownerContext, user.id)).toBe(true)
      const again = await stores().memberships.add(a.ownerContext, { ...input, role: 'admin' })
      expect(again).toMatchObject({ role: 'admin', status: 'active' })
    })

    it('changes roles and removes members, but never the owner', async () => {
      expect(
        await stores().memberships.setRole(a.ownerContext, a.member.id, 'admin'),
      ).toMatchObject({
        role: 'admin',
      })
      expect(
        await stores().memberships.setRole(a.ownerContext, a.owner.id, 'member'),
      ).toBeUndefined()
      expect(await stores().memberships.remove(a.ownerContext, a.owner.id)).toBe(false)
      expect(await stores().memberships.remove(a.ownerContext, a.member.id)).toBe(true)
      expect(await stores().memberships.remove(a.ownerContext, a.member.id)).toBe(false)
      expect((await stores().memberships.get(a.ownerContext, a.member.id))?.status).toBe('removed')
    })

    it('transfers ownership atomically and keeps one owner', async () => {
      expect(await stores().memberships.transferOwnership(a.ownerContext, a.member.id)).toBe(true)
      const rows = await stores().memberships.list(a.ownerContext)
      expect(rows.filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([a.member.id])
      expect(rows.find((m) => m.userId === a.owner.id)?.role).toBe('admin')
      expect(await stores().memberships.transferOwnership(a.ownerContext, randomUUID())).toBe(false)
    })

    it('refuses a second owner through the platform insert', async () => {
      const user = userRow()
      await stores().users.create(user)
      await expectCode(
        stores().memberships.insert(membershipRow(a.tenant.id, user.id, 'owner')),
        'conflict',
      )
      await stores().memberships.insert(membershipRow(b.tenant.id, a.owner.id))
      const mine = await stores().memberships.listForUser(a.owner.id)
      expect(mine.map((m) => m.tenantId).sort()).toEqual([a.tenant.id, b.tenant.id].sort())
    })

    it('never reads or changes another tenant through a context (IDOR)', async () => {
      const before = await stores().memberships.list(a.ownerContext)
      expect(await stores().memberships.get(b.ownerContext, a.member.id)).toBeUndefined()
      expect(
        (await stores().memberships.list(b.ownerContext)).some((m) => m.tenantId === a.tenant.id),
      ).toBe(false)
      expect(
        await stores().memberships.setRole(b.ownerContext, a.member.id, 'admin'),
      ).toBeUndefined()
      expect(await stores().memberships.remove(b.ownerContext, a.member.id)).toBe(false)
      expect(await stores().memberships.transferOwnership(b.ownerContext, a.member.id)).toBe(false)
      expect(await stores().memberships.list(a.ownerContext)).toEqual(before)
    })
  })
}

function newKey(overrides: Partial<NewApiKey> = {}): NewApiKey {
  return {
    id: randomUUID(),
    name: 'laptop',
    description: null,
    kind: 'api',
    tier: 'starter',
    scopes: ['fitness:read', 'fitness:write'],
    lookupHash: randomUUID().replaceAll('-', '').repeat(2),
    displayHint: 'pk_live_AbCd…WxYz',
    createdAt: seedInstant,
    expiresAt: null,
    createdBy: 'creator',
    ...overrides,
  }
}

/** The contract of {@link ApiKeyStore}, including isolation between tenants and users. */
export function describeApiKeyStoreContract(make: MakeStores): void {
  describe('ApiKeyStore contract', () => {
    const stores = setup(make)
    const limits = { maxActive: 20, now: seedInstant }
    let a: SeededTenant
    let b: SeededTenant
    beforeEach(async () => {
      a = await seedTenant(stores())
      b = await seedTenant(stores())
    })

    it('creates a key owned by the context and finds it by lookup hash', async () => {
      const key = newKey()
      const created = await stores().apiKeys.create(a.memberContext, key, limits)
      const expected: ApiKeyRecord = {
        ...key,
        tenantId: a.tenant.id,
        userId: a.member.id,
        lastUsedAt: null,
        revokedAt: null,
      }
      expect(created).toEqual(expected)
      expect(await stores().apiKeys.get(a.memberContext, key.id)).toEqual(expected)
      expect(await stores().apiKeys.findByLookupHash(key.lookupHash)).toEqual(expected)
      expect(await stores().apiKeys.findByLookupHash('0'.repeat(64))).toBeUndefined()
    })

    it('lists the caller’s keys newest first', async () => {
      await stores().apiKeys.create(
        a.memberContext,
        newKey({ name: 'old', createdAt: '2026-01-01T00:00:00.000Z' }),
        limits,
      )
      await stores().apiKeys.create(
        a.memberContext,
        newKey({ name: 'new', createdAt: '2026-01-02T00:00:00.000Z' }),
        limits,
      )
      await stores().apiKeys.create(a.ownerContext, newKey({ name: 'owner' }), limits)
      expect((await stores().apiKeys.list(a.memberContext)).map((k) => k.name)).toEqual([
        'new',
        'old',
      ])
    })

    it('enforces the live-key limit atomically, not counting revoked or expired keys', async () => {
      const small = { maxActive: 2, now: seedInstant }
      const first = newKey()
      await stores().apiKeys.create(a.memberContext, first, small)
      await stores().apiKeys.create(
        a.memberContext,
        newKey({ expiresAt: '2026-01-01T00:00:00.000Z' }),
        small,
      )
      await stores().apiKeys.create(a.memberContext, newKey(), small)
      await expectCode(stores().apiKeys.create(a.memberContext, newKey(), small), 'conflict')
      await stores().apiKeys.revoke(a.memberContext, first.id, seedInstant)
      await stores().apiKeys.create(a.memberContext, newKey(), small)
      expect(await stores().apiKeys.list(a.memberContext)).toHaveLength(4)
    })

    it('refuses a duplicate lookup hash', async () => {
      const key = newKey()
      await stores().apiKeys.create(a.memberContext, key, limits)
      await expectCode(
        stores().apiKeys.create(a.ownerContext, newKey({ lookupHash: key.lookupHash }), limits),
        'conflict',
      )
    })

    it('requires a membership of the context user', async () => {
      const stranger = createTestContext({ tenantId: a.tenant.id, userId: b.member.id })
      await expectCode(stores().apiKeys.create(stranger, newKey(), limits), 'not_found')
    })

    it('revokes once and records uses', async () => {
      const key = newKey()
      await stores().apiKeys.create(a.memberContext, key, limits)
      await stores().apiKeys.touch(key.id, '2026-01-16T00:00:00.000Z')
      expect(
        await stores().apiKeys.revoke(a.memberContext, key.id, '2026-01-17T00:00:00.000Z'),
      ).toBe(true)
      expect(await stores().apiKeys.revoke(a.memberContext, key.id, seedInstant)).toBe(false)
      expect(await stores().apiKeys.get(a.memberContext, key.id)).toMatchObject({
        lastUsedAt: '2026-01-16T00:00:00.000Z',
        revokedAt: '2026-01-17T00:00:00.000Z',
      })
    })

    it('never reads or revokes another tenant’s or another user’s key (IDOR)', async () => {
      const key = newKey()
      await stores().apiKeys.create(a.memberContext, key, limits)
      const before = await stores().apiKeys.get(a.memberContext, key.id)
      for (const ctx of [b.ownerContext, b.memberContext, a.ownerContext]) {
        expect(await stores().apiKeys.get(ctx, key.id)).toBeUndefined()
        expect((await stores().apiKeys.list(ctx)).some((k) => k.id === key.id)).toBe(false)
        expect(await stores().apiKeys.revoke(ctx, key.id, seedInstant)).toBe(false)
      }
      expect(await stores().apiKeys.get(a.memberContext, key.id)).toEqual(before)
    })
  })
}

function signingKey(kid: string, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    kid,
    state: 'active',
    publicJwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
    privateKey: 'pe1.1.x.y',
    createdAt: seedInstant,
    activateAt: null,
    activatedAt: seedInstant,
    retireAt: null,
    retiredAt: null,
    ...overrides,
  }
}

/** The contract of {@link SigningKeyStore}. */
export function describeSigningKeyStoreContract(make: MakeStores): void {
  describe('SigningKeyStore contract', () => {
    const stores = setup(make)

    it('applies inserts, updates and deletes and bumps the version', async () => {
      const store = stores().signingKeys
      const start = await store.getVersion()
      await store.commit({ insert: [signingKey('k1'), signingKey('k2', { state: 'next' })] })
      expect((await store.list()).map((k) => k.kid)).toEqual(['k1', 'k2'])
      await store.commit({
        update: [signingKey('k1', { state: 'retiring', retireAt: seedInstant })],
        delete: ['k2'],
      })
      expect(await store.list()).toEqual([
        signingKey('k1', { state: 'retiring', retireAt: seedInstant }),
      ])
      expect(await store.getVersion()).toBe(start + 2)
    })

    it('applies nothing when one insert conflicts', async () => {
      const store = stores().signingKeys
      await store.commit({ insert: [signingKey('k1')] })
      const version = await store.getVersion()
      await expectCode(store.commit({ insert: [signingKey('k2'), signingKey('k1')] }), 'conflict')
      expect((await store.list()).map((k) => k.kid)).toEqual(['k1'])
      expect(await store.getVersion()).toBe(version)
    })
  })
}

/** The contract of {@link KeyStore}. */
export function describeKeyStoreContract(make: MakeStores): void {
  describe('KeyStore contract', () => {
    const stores = setup(make)
    const key = (tenantId: string, version: number) => ({
      tenantId,
      version,
      wrappedKey: `w1.${tenantId}.${version}`,
      status: 'active' as const,
      createdAt: seedInstant,
    })

    it('keeps the first value of a secret', async () => {
      expect(await stores().keys.getSecret('pepper')).toBeUndefined()
      expect(await stores().keys.putSecretIfAbsent('pepper', 'one')).toBe('one')
      expect(await stores().keys.putSecretIfAbsent('pepper', 'two')).toBe('one')
      expect(await stores().keys.getSecret('pepper')).toBe('one')
    })

    it('adds versions, demoting the previous active key', async () => {
      await stores().keys.addTenantKey(key('t1', 1))
      await stores().keys.addTenantKey(key('t1', 2))
      await stores().keys.addTenantKey(key('t2', 1))
      const keys = await stores().keys.listTenantKeys('t1')
      expect(keys.map((k) => [k.version, k.status])).toEqual([
        [2, 'active'],
        [1, 'decrypt_only'],
      ])
      await expectCode(stores().keys.addTenantKey(key('t1', 2)), 'conflict')
      expect((await stores().keys.listTenantKeys('t1'))[0]?.status).toBe('active')
    })

    it('destroys a tenant’s keys and erases the wrapped bytes', async () => {
      await stores().keys.addTenantKey(key('t1', 1))
      await stores().keys.addTenantKey(key('t2', 1))
      expect(await stores().keys.destroyTenantKeys('t1')).toBe(1)
      expect(await stores().keys.listTenantKeys('t1')).toEqual([
        { ...key('t1', 1), status: 'destroyed', wrappedKey: '' },
      ])
      expect((await stores().keys.listAllTenantKeys()).map((k) => k.tenantId)).toEqual(['t2'])
    })

    it('rewraps keys and secrets together', async () => {
      await stores().keys.addTenantKey(key('t1', 1))
      await stores().keys.putSecretIfAbsent('key_check', 'old')
      await stores().keys.rewrap({
        tenantKeys: [{ tenantId: 't1', version: 1, wrappedKey: 'w1.new' }],
        secrets: [{ name: 'key_check', value: 'new' }],
      })
      expect((await stores().keys.listTenantKeys('t1'))[0]?.wrappedKey).toBe('w1.new')
      expect(await stores().keys.getSecret('key_check')).toBe('new')
    })
  })
}

/** The contract of {@link RateLimitStore}. */
export function describeRateLimitStoreContract(make: MakeStores): void {
  describe('RateLimitStore contract', () => {
    const stores = setup(make)
    const step = (nowMs: number) => ({ nowMs, intervalMs: 1000, burstMs: 3000 })

    it('allows a burst, then one unit per interval (GCRA)', async () => {
      const store = stores().rateLimits
      const t0 = 1_000_000
      const answers = []
      for (let i = 0; i < 4; i += 1) answers.push((await store.consumeToken('k', step(t0))).allowed)
      expect(answers).toEqual([true, true, true, false])
      expect(await store.peekToken('k')).toBe(t0 + 3000)
      expect((await store.consumeToken('k', step(t0 + 999))).allowed).toBe(false)
      expect((await store.consumeToken('k', step(t0 + 1000))).allowed).toBe(true)
      expect((await store.consumeToken('other', step(t0))).allowed).toBe(true)
    })

    it('increments all counters or none', async () => {
      const store = stores().rateLimits
      const subjects = [
        { subject: 'key:1', limit: 2 },
        { subject: 'tenant:1', limit: null },
      ]
      expect(await store.incrementUsage('2026-01', subjects)).toEqual({
        allowed: true,
        counts: [1, 1],
      })
      expect(await store.incrementUsage('2026-01', subjects)).toEqual({
        allowed: true,
        counts: [2, 2],
      })
      expect(await store.incrementUsage('2026-01', subjects)).toEqual({
        allowed: false,
        counts: [2, 2],
      })
      expect(await store.getUsage('2026-01', 'tenant:1')).toBe(2)
      expect(await store.getUsage('2026-02', 'tenant:1')).toBe(0)
    })

    it('prunes old token states', async () => {
      const store = stores().rateLimits
      await store.consumeToken('old', step(1000))
      await store.consumeToken('new', step(10_000))
      expect(await store.pruneTokens(5000)).toBe(1)
      expect(await store.peekToken('old')).toBe(0)
    })
  })
}

/** The contract of {@link UsageEventStore}, including cross-tenant isolation. */
export function describeUsageEventStoreContract(make: MakeStores): void {
  describe('UsageEventStore contract', () => {
    const stores = setup(make)
    let a: SeededTenant
    let b: SeededTenant
    beforeEach(async () => {
      a = await seedTenant(stores())
      b = await seedTenant(stores())
    })
    const event = (at: string, tool = 'get_activities') => ({
      id: randomUUID(),
      credentialId: null,
      tool,
      status: 'ok' as const,
      durationMs: 12,
      at,
    })

    it('records events for the context and lists them newest first', async () => {
      const recorded = await stores().usageEvents.record(
        a.memberContext,
        event('2026-01-01T00:00:00.000Z'),
      )
      expect(recorded).toMatchObject({ tenantId: a.tenant.id, userId: a.member.id })
      await stores().usageEvents.record(a.memberContext, event('2026-01-02T00:00:00.000Z'))
      await stores().usageEvents.record(a.ownerContext, event('2026-01-03T00:00:00.000Z'))
      const mine = await stores().usageEvents.list(a.memberContext)
      expect(mine.map((e) => e.at)).toEqual([
        '2026-01-02T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z',
      ])
      expect(await stores().usageEvents.list(a.memberContext, { scope: 'tenant' })).toHaveLength(3)
      expect(
        await stores().usageEvents.list(a.memberContext, { since: '2026-01-02T00:00:00.000Z' }),
      ).toHaveLength(1)
    })

    it('never shows another tenant’s events (IDOR)', async () => {
      await stores().usageEvents.record(a.memberContext, event(seedInstant))
      expect(await stores().usageEvents.list(b.ownerContext, { scope: 'tenant' })).toEqual([])
      expect(await stores().usageEvents.list(b.memberContext)).toEqual([])
    })

    it('prunes old events', async () => {
      await stores().usageEvents.record(a.memberContext, event('2025-01-01T00:00:00.000Z'))
      await stores().usageEvents.record(b.memberContext, event('2026-01-01T00:00:00.000Z'))
      expect(await stores().usageEvents.prune('2025-06-01T00:00:00.000Z')).toBe(1)
      expect(await stores().usageEvents.list(a.memberContext)).toEqual([])
      expect(await stores().usageEvents.list(b.memberContext)).toHaveLength(1)
    })
  })
}

/** The contract of {@link LoginThrottleStore}. */
export function describeLoginThrottleStoreContract(make: MakeStores): void {
  describe('LoginThrottleStore contract', () => {
    const stores = setup(make)
    const policy = (nowMs: number) => ({
      nowMs,
      windowMs: 900_000,
      maxFailures: 3,
      lockMs: 900_000,
    })

    it('counts failures in a window and locks at the maximum', async () => {
      const store = stores().loginThrottle
      expect(await store.get('ann@example.test')).toBeUndefined()
      await store.recordFailure('ann@example.test', policy(0))
      await store.recordFailure('ann@example.test', policy(1000))
      const third = await store.recordFailure('ann@example.test', policy(2000))
      expect(third).toEqual({
        subject: 'ann@example.test',
        failures: 3,
        windowStartedMs: 0,
        lockedUntilMs: 902_000,
      })
      expect(await store.get('ann@example.test')).toEqual(third)
    })

    it('restarts the window after it elapsed and forgets on clear', async () => {
      const store = stores().loginThrottle
      await store.recordFailure('ann@example.test', policy(0))
      const later = await store.recordFailure('ann@example.test', policy(900_000))
      expect(later).toMatchObject({ failures: 1, windowStartedMs: 900_000, lockedUntilMs: null })
      await store.clear('ann@example.test')
      expect(await store.get('ann@example.test')).toBeUndefined()
    })
  })
}

/** The contract of {@link ProviderTokenStore}, including isolation between tenants and users. */
export function describeProviderTokenStoreContract(make: MakeStores): void {
  describe('ProviderTokenStore contract', () => {
    const stores = setup(make)
    let a: SeededTenant
    let b: SeededTenant
    beforeEach(async () => {
      a = await seedTenant(stores())
      b = await seedTenant(stores())
    })
    const token = (provider: string, overrides = {}) => ({
      provider,
      accessTokenEnc: 'pe1.1.a.b',
      refreshTokenEnc: 'pe1.1.c.d',
      tokenType: 'Bearer',
      scope: 'read',
      expiresAt: '2026-01-15T11:00:00.000Z',
      providerUserId: '42',
      createdAt: seedInstant,
      updatedAt: seedInstant,
      ...overrides,
    })

    it('stores, replaces, lists and deletes the caller’s tokens', async () => {
      const stored = await stores().providerTokens.put(a.memberContext, token('strava'))
      expect(stored).toEqual({ ...token('strava'), tenantId: a.tenant.id, userId: a.member.id })
      const replaced = await stores().providerTokens.put(
        a.memberContext,
        token('strava', {
          accessTokenEnc: 'pe1.1.e.f',
          createdAt: '2026-02-01T00:00:00.000Z',
          updatedAt: '2026-02-01T00:00:00.000Z',
        }),
      )
      expect(replaced).toMatchObject({ accessTokenEnc: 'pe1.1.e.f', createdAt: seedInstant })
      await stores().providerTokens.put(a.memberContext, token('garmin'))
      expect(
        (await stores().providerTokens.list(a.memberContext)).map((t) => t.provider).sort(),
      ).toEqual(['garmin', 'strava'])
      expect(await stores().providerTokens.delete(a.memberContext, 'strava')).toBe(true)
      expect(await stores().providerTokens.delete(a.memberContext, 'strava')).toBe(false)
      expect(await stores().providerTokens.get(a.memberContext, 'strava')).toBeUndefined()
    })

    it('requires a membership of the context user', async () => {
      const stranger = createTestContext({ tenantId: b.tenant.id, userId: a.member.id })
      await expectCode(stores().providerTokens.put(stranger, token('strava')), 'not_found')
    })

    it('never reads, overwrites or deletes another tenant’s or user’s tokens (IDOR)', async () => {
      await stores().providerTokens.put(a.memberContext, token('strava'))
      const before = await stores().providerTokens.get(a.memberContext, 'strava')
      for (const ctx of [b.memberContext, b.ownerContext, a.ownerContext]) {
        expect(await stores().providerTokens.get(ctx, 'strava')).toBeUndefined()
        expect(await stores().providerTokens.list(ctx)).toEqual([])
        expect(await stores().providerTokens.delete(ctx, 'strava')).toBe(false)
      }
      await stores().providerTokens.put(b.memberContext, token('strava', { accessTokenEnc: 'x' }))
      expect(await stores().providerTokens.get(a.memberContext, 'strava')).toEqual(before)
    })
  })
}

/** Every store contract, for one implementation. */
export function describeTenancyStoresContract(make: MakeStores): void {
  describeTenantStoreContract(make)
  describeUserStoreContract(make)
  describeMembershipStoreContract(make)
  describeApiKeyStoreContract(make)
  describeSigningKeyStoreContract(make)
  describeKeyStoreContract(make)
  describeRateLimitStoreContract(make)
  describeUsageEventStoreContract(make)
  describeLoginThrottleStoreContract(make)
  describeProviderTokenStoreContract(make)
}
