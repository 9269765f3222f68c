import { describe, expect, it } from 'vitest'
import {
  createIdentityService,
  createMemoryStores,
  createPasswordHasher,
  createSystemActor,
  isTenancyError,
  type TenancyErrorCode,
} from '../src/index.js'
import { createTestContext } from '../src/testing/index.js'
import { addTenant, createFixture, testPassword } from './support.js'

async function codeOf(promise: Promise<unknown>): Promise<TenancyErrorCode | 'resolved'> {
  return promise.then(
    () => 'resolved' as const,
    (error: unknown) => {
      if (isTenancyError(error)) return error.code
      throw error
    },
  )
}

describe('registration and approval (spec §3.4)', () => {
  it('registers users as pending; they cannot log in until approved', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const tenant = await addTenant(fixture)
    const user = await identity.registerUser(
      { email: '  New.User@Example.TEST ', password: testPassword, displayName: 'New' },
      { tenantId: tenant.tenantId },
    )
    expect(user).toMatchObject({
      email: 'new.user@example.test',
      status: 'pending',
      platformRole: 'user',
    })
    expect(user).not.toHaveProperty('passwordHash')
    expect(
      await codeOf(
        identity.login({ email: 'new.user@example.test', password: 'wrong password!!' }),
      ),
    ).toBe('invalid_credentials')
    expect(
      await codeOf(identity.login({ email: 'new.user@example.test', password: testPassword })),
    ).toBe('account_pending')
    const approved = await identity.approveUser(tenant.ownerContext, user.id)
    expect(approved).toMatchObject({ status: 'active', approvedBy: tenant.owner.id })
    const login = await identity.login({ email: 'NEW.user@example.test', password: testPassword })
    expect(login.user.id).toBe(user.id)
    expect(login.memberships.map((m) => m.tenantId)).toEqual([tenant.tenantId])
  })

  it('auto-approves sign-ups when the tenant enables it', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const tenant = await identity.createTenant(fixture.system, {
      slug: 'open',
      name: 'Open',
      autoApproval: true,
    })
    const user = await identity.registerUser(
      { email: 'a@example.test', password: testPassword },
      { tenantId: tenant.id },
    )
    expect(user.status).toBe('active')
  })

  it('refuses weak passwords, listing every rule', async () => {
    const fixture = await createFixture()
    const tenant = await addTenant(fixture)
    const error = await fixture.tenancy.identity
      .registerUser({ email: 'ann@example.test', password: 'ann' }, { tenantId: tenant.tenantId })
      .catch((e: unknown) => e)
    expect(isTenancyError(error) && error.code).toBe('invalid_argument')
    expect((error as Error).message).toBe(
      'password rejected: password must be at least 12 characters; password must not be the email address or its local part',
    )
  })

  it('lets tenant admins approve only users whose memberships are all in their tenant', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const a = await addTenant(fixture)
    const b = await addTenant(fixture)
    const pending = await identity.registerUser(
      { email: 'p@example.test', password: testPassword },
      { tenantId: a.tenantId },
    )
    expect(await codeOf(identity.approveUser(b.ownerContext, pending.id))).toBe('not_found')
    expect(await codeOf(identity.approveUser(a.memberContext, pending.id))).toBe('forbidden')
    expect(await codeOf(identity.approveUser(a.ownerContext, pending.id))).toBe('resolved')
    expect(await codeOf(identity.approveUser(a.ownerContext, pending.id))).toBe('conflict')
  })

  it('suspends and reactivates; a suspended user cannot log in', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const a = await addTenant(fixture)
    await identity.suspendUser(a.ownerContext, a.member.id)
    expect(await codeOf(identity.login({ email: a.member.email, password: testPassword }))).toBe(
      'account_suspended',
    )
    expect(await codeOf(identity.suspendUser(a.memberContext, a.owner.id))).toBe('forbidden')
    expect(await codeOf(identity.suspendUser(a.ownerContext, a.owner.id))).toBe('forbidden')
    await identity.reactivateUser(a.ownerContext, a.member.id)
    expect(
      (await identity.login({ email: a.member.email, password: testPassword })).user.status,
    ).toBe('active')
  })

  it('lets platform admins act only on users of a lower platform role', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const a = await addTenant(fixture)
    const admin = await identity.createUser(
      fixture.system,
      { email: 'adm@example.test', password: testPassword },
      { platformRole: 'admin' },
    )
    const peer = await identity.createUser(
      fixture.system,
      { email: 'peer@example.test', password: testPassword },
      { platformRole: 'admin' },
    )
    const adminContext = createTestContext({
      tenantId: a.tenantId,
      userId: admin.id,
      platformRole: 'admin',
      tenantRole: null,
    })
    expect(await codeOf(identity.suspendUser(adminContext, a.member.id))).toBe('resolved')
    expect(await codeOf(identity.suspendUser(adminContext, peer.id))).toBe('forbidden')
    expect(
      (await identity.listUsers(adminContext, { status: 'suspended' })).map((u) => u.id),
    ).toEqual([a.member.id])
    expect(await codeOf(identity.listUsers(a.ownerContext))).toBe('forbidden')
  })
})

describe('platform roles (spec §3.5)', () => {
  it('only super admins change roles, never their own, never demoting the last one', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const a = await addTenant(fixture)
    const root = await identity.createUser(
      fixture.system,
      { email: 'root@example.test', password: testPassword },
      { platformRole: 'super_admin' },
    )
    const rootContext = createTestContext({
      tenantId: a.tenantId,
      userId: root.id,
      platformRole: 'super_admin',
      tenantRole: null,
    })
    expect(await codeOf(identity.setPlatformRole(a.ownerContext, a.member.id, 'admin'))).toBe(
      'forbidden',
    )
    expect(await codeOf(identity.setPlatformRole(rootContext, root.id, 'user'))).toBe('forbidden')
    expect(await codeOf(identity.setPlatformRole(fixture.system, root.id, 'user'))).toBe('conflict')
    expect((await identity.setPlatformRole(rootContext, a.member.id, 'admin')).platformRole).toBe(
      'admin',
    )
  })

  it('takes the platform role only as a call option needing manage_platform', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const adminContext = createTestContext({
      tenantId: a.tenantId,
      userId: a.owner.id,
      platformRole: 'admin',
    })
    expect(
      await codeOf(
        fixture.tenancy.identity.createUser(
          adminContext,
          { email: 'x@example.test', password: testPassword },
          { platformRole: 'super_admin' },
        ),
      ),
    ).toBe('forbidden')
  })
})

describe('members of a tenant (spec §3.5)', () => {
  it('adds members with roles up to one’s own, changes and removes only lower roles', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const a = await addTenant(fixture)
    const other = await identity.createUser(fixture.system, {
      email: 'o@example.test',
      password: testPassword,
    })
    await identity.setMemberRole(a.ownerContext, a.member.id, 'admin')
    const adminContext = createTestContext({
      tenantId: a.tenantId,
      userId: a.member.id,
      tenantRole: 'admin',
    })
    expect(
      await codeOf(identity.addMember(adminContext, { userId: other.id, role: 'owner' })),
    ).toBe('forbidden')
    expect(
      (await identity.addMember(adminContext, { userId: other.id, role: 'billing' })).role,
    ).toBe('billing')
    expect(await codeOf(identity.setMemberRole(adminContext, a.owner.id, 'member'))).toBe(
      'forbidden',
    )
    expect(await codeOf(identity.setMemberRole(adminContext, a.member.id, 'member'))).toBe(
      'forbidden',
    )
    expect(await codeOf(identity.removeMember(adminContext, a.owner.id))).toBe('forbidden')
    await identity.removeMember(adminContext, other.id)
    expect(
      (await identity.listMembers(adminContext)).find((m) => m.userId === other.id)?.status,
    ).toBe('removed')
    expect(
      await codeOf(identity.addMember(a.memberContext, { userId: other.id, role: 'member' })),
    ).toBe('forbidden')
  })

  it('transfers ownership only by the owner', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const a = await addTenant(fixture)
    expect(await codeOf(identity.transferOwnership(a.memberContext, a.member.id))).toBe('forbidden')
    await identity.transferOwnership(a.ownerContext, a.member.id)
    const members = await identity.listMembers(a.ownerContext)
    expect(members.find((m) => m.role === 'owner')?.userId).toBe(a.member.id)
  })
})

describe('profile and password changes', () => {
  it('changes the password only with the current one', async () => {
    const fixture = await createFixture()
    const { identity } = fixture.tenancy
    const a = await addTenant(fixture)
    expect(
      await codeOf(
        identity.changePassword(a.memberContext, {
          currentPassword: 'wrong wrong wrong',
          newPassword: 'a brand new passphrase',
        }),
      ),
    ).toBe('invalid_credentials')
    await identity.changePassword(a.memberContext, {
      currentPassword: testPassword,
      newPassword: 'a brand new passphrase',
    })
    expect(await codeOf(identity.login({ email: a.member.email, password: testPassword }))).toBe(
      'invalid_credentials',
    )
    expect(
      (await identity.login({ email: a.member.email, password: 'a brand new passphrase' })).user.id,
    ).toBe(a.member.id)
  })

  it('upgrades a weaker stored hash on the next successful login', async () => {
    const stores = createMemoryStores()
    const weak = createIdentityService({
      stores,
      passwords: createPasswordHasher({ parameters: { ln: 10, r: 8, p: 1 } }),
    })
    const user = await weak.createUser(createSystemActor('test'), {
      email: 'u@example.test',
      password: testPassword,
    })
    const strong = createIdentityService({
      stores,
      passwords: createPasswordHasher({ parameters: { ln: 11, r: 8, p: 1 } }),
    })
    await strong.login({ email: 'u@example.test', password: testPassword })
    expect((await stores.users.get(user.id))?.passwordHash).toMatch(/^\$scrypt\$ln=11,/)
  })
})
