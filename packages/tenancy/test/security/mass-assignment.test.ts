import { describe, expect, it } from 'vitest'
import { isTenancyError, type TenancyError } from '../../src/index.js'
import { addTenant, createFixture, testPassword } from '../support.js'

// Threat catalogue T-33 (mass assignment of privileged fields) and T-49 (prototype pollution), at
// the library boundary: user-facing inputs are strict zod objects.

async function errorOf(promise: Promise<unknown>): Promise<TenancyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isTenancyError(error)) throw new Error('expected a TenancyError')
  return error
}

describe('mass assignment', () => {
  it('T-33 registration refuses platform_role, status, tenant_id and approved_by by name and stores nothing', async () => {
    const fixture = await createFixture()
    const tenant = await addTenant(fixture)
    const before = await fixture.tenancy.stores.users.list()
    const error = await errorOf(
      fixture.tenancy.identity.registerUser(
        {
          email: 'mallory@example.test',
          password: testPassword,
          platform_role: 'super_admin',
          status: 'active',
          tenant_id: 'other-tenant',
          approved_by: 'me',
        },
        { tenantId: tenant.tenantId },
      ),
    )
    expect(error.code).toBe('invalid_argument')
    expect(error.message).toBe(
      'invalid registration: unknown field(s) platform_role, status, tenant_id, approved_by',
    )
    expect(await fixture.tenancy.stores.users.list()).toEqual(before)
    expect(await fixture.tenancy.stores.users.getByEmail('mallory@example.test')).toBeUndefined()
  })

  it('T-33 a profile update cannot carry a role or a tenant', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    for (const extra of [
      { platformRole: 'super_admin' },
      { tenant_id: 'x' },
      { status: 'active' },
    ]) {
      const error = await errorOf(
        fixture.tenancy.identity.updateProfile(a.memberContext, { displayName: 'M', ...extra }),
      )
      expect(error.code).toBe('invalid_argument')
    }
    expect((await fixture.tenancy.stores.users.get(a.member.id))?.platformRole).toBe('user')
  })

  it('T-33 admin user creation does not take a platform role from the body', async () => {
    const fixture = await createFixture()
    const error = await errorOf(
      fixture.tenancy.identity.createUser(fixture.system, {
        email: 'x@example.test',
        password: testPassword,
        platformRole: 'super_admin',
      }),
    )
    expect(error.message).toBe('invalid user: unknown field(s) platformRole')
  })

  it('T-33 an invite by a tenant admin with role owner is forbidden', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const other = await fixture.tenancy.identity.createUser(fixture.system, {
      email: 'o@example.test',
      password: testPassword,
    })
    const error = await errorOf(
      fixture.tenancy.identity.addMember(a.ownerContext, { userId: other.id, role: 'owner' }),
    )
    expect(error.code).toBe('forbidden')
  })

  it('T-33 API key creation refuses tier, tenant_id and user_id; the key belongs to the context', async () => {
    const fixture = await createFixture()
    const a = await addTenant(fixture)
    const b = await addTenant(fixture)
    const error = await errorOf(
      fixture.tenancy.apiKeys.create(a.memberContext, {
        name: 'k',
        tier: 'enterprise',
        tenant_id: b.tenantId,
        user_id: b.owner.id,
      }),
    )
    expect(error.message).toBe('invalid api key: unknown field(s) tier, tenant_id, user_id')
    const created = await fixture.tenancy.apiKeys.create(a.memberContext, { name: 'k' })
    expect(created.record).toMatchObject({
      tenantId: a.tenantId,
      userId: a.member.id,
      tier: 'starter',
    })
  })

  it('T-49 __proto__ and constructor keys in JSON input neither pollute nor pass validation', async () => {
    const fixture = await createFixture()
    const tenant = await addTenant(fixture)
    const body = JSON.parse(
      `{"email":"p@example.test","password":"${testPassword}","__proto__":{"isAdmin":true,"platform_role":"super_admin"},"constructor":{"prototype":{"isAdmin":true}}}`,
    ) as unknown
    const error = await errorOf(
      fixture.tenancy.identity.registerUser(body, { tenantId: tenant.tenantId }),
    )
    expect(error.code).toBe('invalid_argument')
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(await fixture.tenancy.stores.users.getByEmail('p@example.test')).toBeUndefined()
  })
})
