import { isRequestContext, type RequestContext } from './context.js'
import { TenancyError } from './errors.js'
import type { PlatformRole, TenantRole } from './types.js'

/** Actions of the permission table (spec §3.5). */
export type Action =
  /** Use tools, read/write own data, connect providers. */
  | 'use_tools'
  /** Own API keys, consents, sessions, profile. */
  | 'manage_own_credentials'
  /** View tenant usage and plan. */
  | 'view_tenant_usage'
  /** Invite/remove members (not the owner), set roles up to one's own. */
  | 'manage_members'
  /** Tenant provider app credentials, tool policies, tenant config. */
  | 'manage_tenant_config'
  /** Approve/suspend users whose only memberships are in the tenant. */
  | 'approve_tenant_users'
  /** Transfer ownership, delete the tenant (crypto-shred). */
  | 'manage_tenant_ownership'
  /** List all users, approve/suspend anyone, manage API-key tiers and limits. */
  | 'manage_all_users'
  /** Create tenants (platform administration). */
  | 'manage_tenants'
  /** Manage admin tokens with permissions up to one's own. */
  | 'manage_admin_tokens'
  /** Grant/revoke admin roles, system config, key rotation, audit logs, delete users. */
  | 'manage_platform'
  /** Impersonate a user (audited). */
  | 'impersonate'

declare const systemBrand: unique symbol

/**
 * The server itself acting outside any request (admin CLI, first-run bootstrap). It passes every
 * permission check; create one only in trusted code paths with {@link createSystemActor}.
 */
export interface SystemActor {
  readonly [systemBrand]: true
  readonly kind: 'system'
  /** Why the server acts, for audit records (e.g. `cli create-user`). */
  readonly reason: string
}

/** Who performs an administrative action: a request's caller or the server itself. */
export type Actor = RequestContext | SystemActor

const systemActors = new WeakSet<object>()

/** Creates a {@link SystemActor} for trusted server code (CLI commands, bootstrap). */
export function createSystemActor(reason: string): SystemActor {
  const actor = Object.freeze({ kind: 'system' as const, reason })
  systemActors.add(actor)
  return actor as unknown as SystemActor
}

/** Returns true for a genuine {@link SystemActor}. */
export function isSystemActor(value: unknown): value is SystemActor {
  return typeof value === 'object' && value !== null && systemActors.has(value)
}

const tenantGrants: Readonly<Record<TenantRole, readonly Action[]>> = {
  member: ['use_tools', 'manage_own_credentials'],
  billing: ['use_tools', 'manage_own_credentials', 'view_tenant_usage'],
  admin: [
    'use_tools',
    'manage_own_credentials',
    'view_tenant_usage',
    'manage_members',
    'manage_tenant_config',
    'approve_tenant_users',
  ],
  owner: [
    'use_tools',
    'manage_own_credentials',
    'view_tenant_usage',
    'manage_members',
    'manage_tenant_config',
    'approve_tenant_users',
    'manage_tenant_ownership',
  ],
}

const platformGrants: Readonly<Record<PlatformRole, readonly Action[]>> = {
  user: ['use_tools', 'manage_own_credentials'],
  admin: [
    'use_tools',
    'manage_own_credentials',
    'view_tenant_usage',
    'approve_tenant_users',
    'manage_all_users',
    'manage_tenants',
    'manage_admin_tokens',
  ],
  super_admin: [
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
  ],
}

/**
 * Returns whether an actor may perform an action (spec §3.5). Tenant-level actions apply to the
 * context's tenant. Roles come from the context, which read them from the database.
 */
export function can(actor: Actor, action: Action): boolean {
  if (isSystemActor(actor)) return true
  if (!isRequestContext(actor)) return false
  if (platformGrants[actor.roles.platform].includes(action)) return true
  return actor.roles.tenant !== null && tenantGrants[actor.roles.tenant].includes(action)
}

/** Throws `forbidden` unless {@link can} allows the action. */
export function assertCan(actor: Actor, action: Action): void {
  if (!can(actor, action)) {
    throw new TenancyError('forbidden', `not allowed to ${action.replaceAll('_', ' ')}`, {
      details: { action },
    })
  }
}

const platformRank: Readonly<Record<PlatformRole, number>> = { user: 0, admin: 1, super_admin: 2 }
const tenantRank: Readonly<Record<TenantRole, number>> = {
  member: 0,
  billing: 1,
  admin: 2,
  owner: 3,
}

/** Returns true when platform role `a` ranks strictly above `b`. */
export function outranksPlatform(a: PlatformRole, b: PlatformRole): boolean {
  return platformRank[a] > platformRank[b]
}

/** Returns true when tenant role `a` ranks at least as high as `b`. */
export function tenantRoleAtLeast(a: TenantRole | null, b: TenantRole): boolean {
  return a !== null && tenantRank[a] >= tenantRank[b]
}
