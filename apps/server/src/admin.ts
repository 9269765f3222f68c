import {
  type Actor,
  assertCan,
  type CreatedApiKey,
  isRequestContext,
  isTenancyError,
  type KeyTransition,
  normalizeEmail,
  type PlatformRole,
  type Tenancy,
  type TenantRecord,
  type TenantRole,
  type Tier,
  type User,
  type UserRecord,
} from '@pierre/tenancy'
import { z } from 'zod'
import type { Providers } from './providers.js'
import type { TenantProviderApp } from './storage/provider-apps.js'

/** What the administrative operations work on (the CLI and the REST endpoints share them). */
export interface AdminDependencies {
  readonly tenancy: Tenancy
  /** The tenant used when none is named (slug `local`). */
  readonly defaultTenant: TenantRecord
}

/** Bad input to an administrative operation; the message is one line, safe to print. */
export class AdminError extends Error {
  readonly code: 'invalid_argument' | 'not_found'

  constructor(code: 'invalid_argument' | 'not_found', message: string) {
    super(message)
    this.name = 'AdminError'
    this.code = code
  }
}

const platformRoles: readonly PlatformRole[] = ['user', 'admin', 'super_admin']
const tenantRoles: readonly TenantRole[] = ['owner', 'admin', 'billing', 'member']
const tiers: readonly Tier[] = ['trial', 'starter', 'professional', 'enterprise']

function oneOf<T extends string>(what: string, allowed: readonly T[], value: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new AdminError('invalid_argument', `${what} must be one of ${allowed.join(', ')}`)
}

/** Finds a tenant by slug or id; the default tenant when `ref` is undefined. */
export async function resolveTenant(
  deps: AdminDependencies,
  ref: string | undefined,
): Promise<TenantRecord> {
  if (ref === undefined) return deps.defaultTenant
  const { tenants } = deps.tenancy.stores
  const tenant = (await tenants.getBySlug(ref)) ?? (await tenants.get(ref))
  if (tenant === undefined) throw new AdminError('not_found', `no tenant ${ref}`)
  return tenant
}

/** Finds a user by email or id. */
export async function resolveUser(deps: AdminDependencies, ref: string): Promise<UserRecord> {
  const { users } = deps.tenancy.stores
  const user = ref.includes('@')
    ? await users.getByEmail(normalizeEmail(ref))
    : await users.get(ref)
  if (user === undefined) throw new AdminError('not_found', `no user ${ref}`)
  return user
}

/** Input of {@link createTenant}. */
export interface CreateTenantInput {
  readonly slug: string
  readonly name?: string | undefined
}

/** Creates a tenant (`manage_tenants`). */
export function createTenant(
  deps: AdminDependencies,
  actor: Actor,
  input: CreateTenantInput,
): Promise<TenantRecord> {
  return deps.tenancy.identity.createTenant(actor, {
    slug: input.slug,
    name: input.name ?? input.slug,
  })
}

/** Input of {@link createUser}. */
export interface CreateUserInput {
  readonly email: string
  readonly password: string
  /** Tenant slug or id; default the default tenant. */
  readonly tenant?: string | undefined
  /** Platform role: `user` (default), `admin` or `super_admin`. */
  readonly role?: string | undefined
  /** Role in the tenant: `member` (default), `billing`, `admin` or `owner`. */
  readonly tenantRole?: string | undefined
  readonly displayName?: string | undefined
}

/** Creates an active user, a member of a tenant (`manage_all_users`; roles need `manage_platform`). */
export async function createUser(
  deps: AdminDependencies,
  actor: Actor,
  input: CreateUserInput,
): Promise<User> {
  const platformRole = oneOf('--role', platformRoles, input.role ?? 'user')
  const tenantRole = oneOf('--tenant-role', tenantRoles, input.tenantRole ?? 'member')
  const tenant = await resolveTenant(deps, input.tenant)
  return deps.tenancy.identity.createUser(
    actor,
    {
      email: input.email,
      password: input.password,
      tenantId: tenant.id,
      tenantRole,
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
    },
    { platformRole },
  )
}

/** Approves a pending user, named by email or id. */
export async function approveUser(
  deps: AdminDependencies,
  actor: Actor,
  userRef: string,
): Promise<User> {
  const user = await resolveUser(deps, userRef)
  return deps.tenancy.identity.approveUser(actor, user.id)
}

/** Input of {@link createApiKey}. */
export interface CreateApiKeyInput {
  /** Email or id of the owner. */
  readonly user: string
  /** Tenant slug or id; default the user's only tenant, else the default tenant. */
  readonly tenant?: string | undefined
  /** Default `starter`. */
  readonly tier?: string | undefined
  /** Default `cli`. */
  readonly name?: string | undefined
}

/** The tenant a user acts in: the named one, else their only one, else the default tenant. */
export async function tenantOfUser(
  deps: AdminDependencies,
  user: UserRecord,
  ref: string | undefined,
): Promise<TenantRecord> {
  if (ref !== undefined) return resolveTenant(deps, ref)
  const memberships = (await deps.tenancy.stores.memberships.listForUser(user.id)).filter(
    (membership) => membership.status === 'active',
  )
  const only = memberships.length === 1 ? memberships[0] : undefined
  if (only !== undefined) return resolveTenant(deps, only.tenantId)
  if (memberships.some((membership) => membership.tenantId === deps.defaultTenant.id)) {
    return deps.defaultTenant
  }
  throw new AdminError(
    'invalid_argument',
    memberships.length === 0
      ? `user ${user.email} belongs to no tenant`
      : `user ${user.email} belongs to several tenants: name one with --tenant`,
  )
}

/** Provisions an API key for a user (`manage_all_users`); the secret is in the result, once. */
export async function createApiKey(
  deps: AdminDependencies,
  actor: Actor,
  input: CreateApiKeyInput,
): Promise<CreatedApiKey> {
  const tier = oneOf('--tier', tiers, input.tier ?? 'starter')
  const user = await resolveUser(deps, input.user)
  const tenant = await tenantOfUser(deps, user, input.tenant)
  return deps.tenancy.apiKeys.provision(
    actor,
    { tenantId: tenant.id, userId: user.id },
    { name: input.name ?? 'cli', tier },
  )
}

/**
 * Rotates the signing keys (`manage_platform`): a new key is published now and signs after the
 * activation delay; the previous one verifies until its tokens expire.
 */
export async function rotateKeys(
  deps: AdminDependencies,
  actor: Actor,
): Promise<readonly KeyTransition[]> {
  assertCan(actor, 'manage_platform')
  return deps.tenancy.signingKeys.rotate()
}

/** One line describing an administrative failure: the message plus each invalid field. */
export function describeAdminError(error: unknown): string | undefined {
  if (error instanceof AdminError) return error.message
  if (!isTenancyError(error)) return undefined
  const issues = (error.details as { issues?: unknown } | undefined)?.issues
  if (!Array.isArray(issues) || issues.length === 0) return error.message
  const parts = (issues as { path?: unknown[]; message?: string }[])
    .map((issue) => {
      const path = Array.isArray(issue.path) ? issue.path.join('.') : ''
      return path === '' ? String(issue.message) : `${path}: ${String(issue.message)}`
    })
    .filter((part) => !error.message.includes(part.replace(/^[^:]*: /, '')))
  return parts.length === 0 ? error.message : `${error.message} (${parts.join('; ')})`
}

/** What the provider-app operations work on besides tenants. */
export interface ProviderAppAdminDependencies extends AdminDependencies {
  readonly providers: Pick<Providers, 'apps' | 'connectors'>
}

/** Input of {@link setProviderApp}. */
export interface SetProviderAppInput {
  /** Registry name of an OAuth provider (`strava`, `fitbit`, `whoop`, `garmin`, `coros`). */
  readonly provider: string
  readonly clientId: string
  readonly clientSecret: string
  /** The redirect URI registered with the provider; the server's default when absent. */
  readonly redirectUri?: string | undefined
  /** Tenant slug or id; default the default tenant. */
  readonly tenant?: string | undefined
}

const providerAppSchema = z.object({
  clientId: z
    .string()
    .trim()
    .min(1, 'expected a client id')
    .max(200, 'expected at most 200 characters')
    .regex(/^\S+$/, 'expected no spaces'),
  clientSecret: z
    .string()
    .trim()
    .min(1, 'expected a client secret')
    .max(500, 'expected at most 500 characters'),
  redirectUri: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
})

/**
 * Checks that `actor` may manage the provider apps of `tenant`: tenant admins and owners of that
 * tenant, super admins anywhere, the server itself. Another tenant is `not_found` to the others.
 */
function assertCanManageApps(actor: Actor, tenant: TenantRecord): void {
  if (isRequestContext(actor) && actor.tenantId !== tenant.id) {
    if (actor.roles.platform !== 'super_admin') {
      throw new AdminError('not_found', `no tenant ${tenant.slug}`)
    }
    return
  }
  assertCan(actor, 'manage_tenant_config')
}

function oauthProvider(deps: ProviderAppAdminDependencies, provider: string): string {
  const name = provider.trim().toLowerCase()
  const names = [...deps.providers.connectors.values()]
    .filter((connector) => connector.tenantApps)
    .map((connector) => connector.provider)
  if (names.includes(name)) return name
  throw new AdminError('invalid_argument', `provider must be one of ${names.join(', ')}`)
}

/**
 * Sets a tenant's own OAuth app at a provider (`specs/providers.md` §9): its users then connect
 * through it instead of the server's `PIERRE_<P>_CLIENT_*`. The secret is encrypted under the
 * tenant's data key and never shown again.
 */
export async function setProviderApp(
  deps: ProviderAppAdminDependencies,
  actor: Actor,
  input: SetProviderAppInput,
): Promise<TenantProviderApp> {
  const provider = oauthProvider(deps, input.provider)
  const tenant = await resolveTenant(deps, input.tenant)
  assertCanManageApps(actor, tenant)
  const parsed = providerAppSchema.safeParse({
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    redirectUri: input.redirectUri,
  })
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`,
    )
    throw new AdminError('invalid_argument', `invalid provider app (${problems.join('; ')})`)
  }
  return deps.providers.apps.set(tenant.id, provider, parsed.data)
}

/** Lists a tenant's provider apps (never their secrets). */
export async function listProviderApps(
  deps: ProviderAppAdminDependencies,
  actor: Actor,
  tenantRef: string | undefined,
): Promise<readonly TenantProviderApp[]> {
  const tenant = await resolveTenant(deps, tenantRef)
  assertCanManageApps(actor, tenant)
  return deps.providers.apps.list(tenant.id)
}

/** Removes a tenant's own app; its users fall back to the server's app. */
export async function removeProviderApp(
  deps: ProviderAppAdminDependencies,
  actor: Actor,
  input: { readonly provider: string; readonly tenant?: string | undefined },
): Promise<TenantProviderApp> {
  const provider = oauthProvider(deps, input.provider)
  const tenant = await resolveTenant(deps, input.tenant)
  assertCanManageApps(actor, tenant)
  const existing = deps.providers.apps.get(tenant.id, provider)
  if (existing === undefined || !deps.providers.apps.remove(tenant.id, provider)) {
    throw new AdminError('not_found', `tenant ${tenant.slug} has no ${provider} app`)
  }
  return existing
}
