import {
  type Actor,
  assertCan,
  type CreatedApiKey,
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

async function tenantOfUser(
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
