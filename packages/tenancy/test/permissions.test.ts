import { describe, expect, it } from 'vitest'
import {
  type Action,
  can,
  createSystemActor,
  isSystemActor,
  type PlatformRole,
  type TenantRole,
} from '../src/index.js'
import { createTestContext } from '../src/testing/index.js'

const actions: Action[] = [
  'use_tools',
  'manage_own_credentials',
  'view_tenant_usage',
  'manage_members',
  'manage_tenant_config',
  'approve_tenant_users',
  'manage_tenant_ownership',
  'manage_all_users',
  'manage_tenants',
  'manage_admin_tokens',
  'manage_platform',
  'impersonate',
]

function allowed(platform: PlatformRole, tenant: TenantRole | null): Action[] {
  const ctx = createTestContext({
    tenantId: 't',
    userId: 'u',
    platformRole: platform,
    tenantRole: tenant,
  })
  return actions.filter((action) => can(ctx, action))
}

describe('permission table (spec §3.5)', () => {
  it.for<[string, PlatformRole, TenantRole | null, Action[]]>([
    ['member', 'user', 'member', ['use_tools', 'manage_own_credentials']],
    [
      'tenant billing',
      'user',
      'billing',
      ['use_tools', 'manage_own_credentials', 'view_tenant_usage'],
    ],
    [
      'tenant admin',
      'user',
      'admin',
      [
        'use_tools',
        'manage_own_credentials',
        'view_tenant_usage',
        'manage_members',
        'manage_tenant_config',
        'approve_tenant_users',
      ],
    ],
    [
      'tenant owner',
      'user',
      'owner',
      [
        'use_tools',
        'manage_own_credentials',
        'view_tenant_usage',
        'manage_members',
        'manage_tenant_config',
        'approve_tenant_users',
        'manage_tenant_ownership',
      ],
    ],
    [
      'platform admin',
      'admin',
      null,
      [
        'use_tools',
        'manage_own_credentials',
        'view_tenant_usage',
        'approve_tenant_users',
        'manage_all_users',
        'manage_tenants',
        'manage_admin_tokens',
      ],
    ],
    ['super admin', 'super_admin', null, actions],
  ])('%s', ([, platform, tenant, expected]) => {
    expect(allowed(platform, tenant)).toEqual(expected)
  })

  it('grants everything to the system actor and nothing to look-alikes', () => {
    const system = createSystemActor('cli create-user')
    expect(isSystemActor(system)).toBe(true)
    expect(actions.every((action) => can(system, action))).toBe(true)
    const fake = { kind: 'system', reason: 'x' } as unknown as typeof system
    expect(isSystemActor(fake)).toBe(false)
    expect(can(fake, 'use_tools')).toBe(false)
  })
})
