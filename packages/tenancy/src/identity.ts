import { randomUUID } from 'node:crypto'
import type { AuditAction, AuditEvent, AuditSink } from './audit.js'
import { assertRequestContext, type RequestContext } from './context.js'
import type { Keyring } from './crypto/keyring.js'
import { TenancyError } from './errors.js'
import { systemNow } from './internal/defaults.js'
import { checkPasswordPolicy, type PasswordHasher } from './passwords.js'
import {
  type Actor,
  assertCan,
  can,
  isSystemActor,
  outranksPlatform,
  tenantRoleAtLeast,
} from './permissions.js'
import {
  addMemberSchema,
  createTenantSchema,
  createUserSchema,
  parseInput,
  passwordChangeSchema,
  profileUpdateSchema,
  registrationSchema,
} from './schemas.js'
import type {
  ListOptions,
  MembershipRecord,
  TenancyStores,
  TenantRecord,
  UserRecord,
} from './stores/types.js'
import type { Now, PlatformRole, TenantRole, UserStatus } from './types.js'

/** A user as services return it: the stored row without the password hash. */
export type User = Omit<UserRecord, 'passwordHash'>

/** Login lock-out policy (spec §1.4.2): 5 failures within 15 minutes lock for 15 minutes. */
export interface LockoutPolicy {
  readonly maxFailures?: number
  readonly windowSeconds?: number
  readonly lockSeconds?: number
}

/** Options of {@link createIdentityService}. */
export interface IdentityServiceOptions {
  /** The stores used. */
  readonly stores: Pick<TenancyStores, 'tenants' | 'users' | 'memberships' | 'loginThrottle'>
  /** Password hashing. */
  readonly passwords: PasswordHasher
  /** When given, each new tenant gets its data key at creation. */
  readonly keyring?: Keyring
  /** Clock. */
  readonly now?: Now
  /** Lock-out policy. */
  readonly lockout?: LockoutPolicy
  /** Passwords refused by the policy, lower-case (default: a small built-in list). */
  readonly commonPasswords?: ReadonlySet<string>
  /** Receives audit events. */
  readonly audit?: AuditSink
}

/** Result of a successful {@link IdentityService.login}. */
export interface LoginResult {
  readonly user: User
  /** The user's live memberships (to choose the tenant of the session). */
  readonly memberships: readonly MembershipRecord[]
}

/** Users, tenants, memberships, approval and login. */
export interface IdentityService {
  /**
   * Creates a tenant (and its owner membership when `ownerUserId` is given).
   * @throws `forbidden` without `manage_tenants`; `invalid_argument`; `conflict` on a taken slug.
   */
  createTenant(actor: Actor, input: unknown): Promise<TenantRecord>
  /**
   * Self-service sign-up into a tenant chosen by the server: `pending` unless the tenant has
   * auto-approval. Input is strict: role, status or tenant fields are refused by name.
   * @throws `invalid_argument` (listing every password rule broken); `conflict`; `not_found`.
   */
  registerUser(input: unknown, options: { readonly tenantId: string }): Promise<User>
  /**
   * Creates an active user (admin endpoint or CLI), optionally a member of `tenantId`. The platform
   * role is an option of the call, never part of the input, and needs `manage_platform`.
   */
  createUser(
    actor: Actor,
    input: unknown,
    options?: { readonly platformRole?: PlatformRole },
  ): Promise<User>
  /** Approves a pending user. @throws `forbidden`, `not_found`, `conflict` when not pending. */
  approveUser(actor: Actor, userId: string): Promise<User>
  /** Suspends a user (credentials then fail with `account_suspended`). */
  suspendUser(actor: Actor, userId: string): Promise<User>
  /** Reactivates a suspended user. */
  reactivateUser(actor: Actor, userId: string): Promise<User>
  /**
   * Sets a platform role (`manage_platform` only; never one's own; never demoting the last
   * super admin). @throws `forbidden`, `not_found`, `conflict`.
   */
  setPlatformRole(actor: Actor, userId: string, role: PlatformRole): Promise<User>
  /**
   * Checks an email and password: lock-out first (no hashing while locked), then exactly one
   * scrypt verification whether or not the user exists, then the status.
   * @throws `locked_out` (with `retryAfterSeconds`), `invalid_credentials` (one message for every
   *   failure), `account_pending` / `account_suspended` only after the password verified.
   */
  login(input: { readonly email: string; readonly password: string }): Promise<LoginResult>
  /** Changes the caller's password after verifying the current one. */
  changePassword(ctx: RequestContext, input: unknown): Promise<void>
  /** Updates the caller's profile (display name only). */
  updateProfile(ctx: RequestContext, input: unknown): Promise<User>
  /** Returns a user the actor may see (self, platform admins, tenant admins for their members). */
  getUser(actor: Actor, userId: string): Promise<User | undefined>
  /** Lists all users (`manage_all_users`), optionally of one status (e.g. `pending`). */
  listUsers(
    actor: Actor,
    options?: ListOptions & { readonly status?: UserStatus },
  ): Promise<readonly User[]>
  /** Lists the members of the caller's tenant. */
  listMembers(ctx: RequestContext, options?: ListOptions): Promise<readonly MembershipRecord[]>
  /** Adds an existing user to the caller's tenant with a role up to the caller's own. */
  addMember(ctx: RequestContext, input: unknown): Promise<MembershipRecord>
  /** Changes a member's role (not the owner, not oneself, only below one's own role). */
  setMemberRole(
    ctx: RequestContext,
    userId: string,
    role: Exclude<TenantRole, 'owner'>,
  ): Promise<MembershipRecord>
  /** Removes a member (not the owner, not oneself, only below one's own role). */
  removeMember(ctx: RequestContext, userId: string): Promise<void>
  /** Transfers ownership of the caller's tenant to an active member (owner or super admin). */
  transferOwnership(ctx: RequestContext, userId: string): Promise<void>
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Normalises an email as spec §3.2 requires: trimmed, lower-cased, NFC. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase()
}

/** Strips the password hash from a user row. */
function toUser(record: UserRecord): User {
  const { passwordHash: _omitted, ...user } = record
  return user
}

function actorUserId(actor: Actor): string | null {
  return isSystemActor(actor) ? null : actor.userId
}

/** Creates the identity service. */
export function createIdentityService(options: IdentityServiceOptions): IdentityService {
  const { stores, passwords } = options
  const now = options.now ?? systemNow
  const maxFailures = options.lockout?.maxFailures ?? 5
  const windowMs = (options.lockout?.windowSeconds ?? 900) * 1000
  const lockMs = (options.lockout?.lockSeconds ?? 900) * 1000
  const policyOptions = options.commonPasswords ? { commonPasswords: options.commonPasswords } : {}

  function audit(action: AuditAction, fields: Omit<AuditEvent, 'action' | 'at'>): void {
    options.audit?.({ action, at: now().toISOString(), ...fields })
  }

  function checkEmail(email: string): string {
    const normalised = normalizeEmail(email)
    if (!emailPattern.test(normalised)) {
      throw new TenancyError('invalid_argument', 'email must be a valid address', {
        details: { issues: [{ path: ['email'], message: 'invalid email address' }] },
      })
    }
    return normalised
  }

  function checkPassword(password: string, email: string): void {
    const problems = checkPasswordPolicy(password, { email, ...policyOptions })
    if (problems.length > 0) {
      throw new TenancyError('invalid_argument', `password rejected: ${problems.join('; ')}`, {
        details: { issues: problems.map((message) => ({ path: ['password'], message })) },
      })
    }
  }

  async function requireUser(userId: string): Promise<UserRecord> {
    const user = await stores.users.get(userId)
    if (!user) throw new TenancyError('not_found', 'user not found')
    return user
  }

  /** Resolves whether `actor` may approve/suspend `target`; not_found when out of its reach. */
  async function authorizeUserAdmin(actor: Actor, target: UserRecord): Promise<void> {
    if (isSystemActor(actor)) return
    assertRequestContext(actor)
    if (actor.userId === target.id) {
      throw new TenancyError('forbidden', 'nobody may change their own status')
    }
    if (can(actor, 'manage_all_users')) {
      if (!outranksPlatform(actor.roles.platform, target.platformRole)) {
        throw new TenancyError('forbidden', 'cannot act on a user of equal or higher role')
      }
      return
    }
    if (!can(actor, 'approve_tenant_users')) {
      throw new TenancyError('forbidden', 'not allowed to approve tenant users')
    }
    const memberships = (await stores.memberships.listForUser(target.id)).filter(
      (m) => m.status !== 'removed',
    )
    const inTenant = memberships.find((m) => m.tenantId === actor.tenantId)
    const onlyHere = memberships.every((m) => m.tenantId === actor.tenantId)
    if (!inTenant || !onlyHere || target.platformRole !== 'user') {
      throw new TenancyError('not_found', 'user not found')
    }
    if (tenantRoleAtLeast(inTenant.role, actor.roles.tenant ?? 'member')) {
      throw new TenancyError('forbidden', 'cannot act on a member of equal or higher role')
    }
  }

  async function setStatus(
    actor: Actor,
    userId: string,
    change: { from: readonly UserStatus[]; to: UserStatus; action: AuditAction },
  ): Promise<User> {
    const target = await requireUser(userId)
    await authorizeUserAdmin(actor, target)
    if (!change.from.includes(target.status)) {
      throw new TenancyError('conflict', `user is ${target.status}`, {
        details: { status: target.status },
      })
    }
    const at = now().toISOString()
    const approval =
      change.to === 'active' && target.status === 'pending'
        ? { approvedBy: actorUserId(actor), approvedAt: at }
        : {}
    const updated = await stores.users.update(userId, {
      status: change.to,
      updatedAt: at,
      ...approval,
    })
    if (!updated) throw new TenancyError('not_found', 'user not found')
    audit(change.action, {
      tenantId: isSystemActor(actor) ? null : actor.tenantId,
      actorUserId: actorUserId(actor),
      targetType: 'user',
      targetId: userId,
    })
    return toUser(updated)
  }

  function requireMemberAdmin(ctx: RequestContext): void {
    assertRequestContext(ctx)
    assertCan(ctx, 'manage_members')
  }

  const effectiveTenantRole = (ctx: RequestContext): TenantRole =>
    ctx.roles.platform === 'super_admin' ? 'owner' : (ctx.roles.tenant ?? 'member')

  return {
    async createTenant(actor, input) {
      assertCan(actor, 'manage_tenants')
      const parsed = parseInput(createTenantSchema, input, 'tenant')
      const at = now().toISOString()
      const tenant: TenantRecord = {
        id: randomUUID(),
        slug: parsed.slug,
        name: parsed.name,
        plan: parsed.plan ?? 'starter',
        status: 'active',
        autoApproval: parsed.autoApproval ?? false,
        quotaMultiplier: 1,
        createdAt: at,
        updatedAt: at,
      }
      const owner: MembershipRecord | undefined =
        parsed.ownerUserId === undefined
          ? undefined
          : {
              tenantId: tenant.id,
              userId: parsed.ownerUserId,
              role: 'owner',
              status: 'active',
              invitedBy: actorUserId(actor),
              createdAt: at,
              joinedAt: at,
            }
      if (owner) await requireUser(owner.userId)
      if (await stores.tenants.getBySlug(tenant.slug)) {
        throw new TenancyError('conflict', `tenant slug ${tenant.slug} is taken`)
      }
      await stores.tenants.create(tenant, owner)
      await options.keyring?.ensureTenantKey(tenant.id)
      audit('tenant.created', {
        tenantId: tenant.id,
        actorUserId: actorUserId(actor),
        targetType: 'tenant',
        targetId: tenant.id,
      })
      return tenant
    },

    async registerUser(input, registerOptions) {
      const parsed = parseInput(registrationSchema, input, 'registration')
      const email = checkEmail(parsed.email)
      checkPassword(parsed.password, email)
      const tenant = await stores.tenants.get(registerOptions.tenantId)
      if (tenant?.status !== 'active') {
        throw new TenancyError('not_found', 'tenant not found')
      }
      if (await stores.users.getByEmail(email)) {
        throw new TenancyError('conflict', 'email already registered')
      }
      const at = now().toISOString()
      const user: UserRecord = {
        id: randomUUID(),
        email,
        displayName: parsed.displayName ?? null,
        passwordHash: await passwords.hash(parsed.password),
        platformRole: 'user',
        status: tenant.autoApproval ? 'active' : 'pending',
        tier: 'starter',
        approvedBy: null,
        approvedAt: tenant.autoApproval ? at : null,
        createdAt: at,
        updatedAt: at,
        lastLoginAt: null,
        passwordChangedAt: at,
      }
      await stores.users.create(user, {
        tenantId: tenant.id,
        userId: user.id,
        role: 'member',
        status: 'active',
        invitedBy: null,
        createdAt: at,
        joinedAt: at,
      })
      audit('user.registered', {
        tenantId: tenant.id,
        actorUserId: user.id,
        targetType: 'user',
        targetId: user.id,
        details: { status: user.status },
      })
      return toUser(user)
    },

    async createUser(actor, input, createOptions) {
      assertCan(actor, 'manage_all_users')
      const platformRole = createOptions?.platformRole ?? 'user'
      if (platformRole !== 'user') assertCan(actor, 'manage_platform')
      const parsed = parseInput(createUserSchema, input, 'user')
      const email = checkEmail(parsed.email)
      checkPassword(parsed.password, email)
      if (parsed.tenantRole !== undefined && parsed.tenantId === undefined) {
        throw new TenancyError('invalid_argument', 'tenantRole needs tenantId')
      }
      const at = now().toISOString()
      const user: UserRecord = {
        id: randomUUID(),
        email,
        displayName: parsed.displayName ?? null,
        passwordHash: await passwords.hash(parsed.password),
        platformRole,
        status: 'active',
        tier: parsed.tier ?? 'starter',
        approvedBy: actorUserId(actor),
        approvedAt: at,
        createdAt: at,
        updatedAt: at,
        lastLoginAt: null,
        passwordChangedAt: at,
      }
      const membership: MembershipRecord | undefined =
        parsed.tenantId === undefined
          ? undefined
          : {
              tenantId: parsed.tenantId,
              userId: user.id,
              role: parsed.tenantRole ?? 'member',
              status: 'active',
              invitedBy: actorUserId(actor),
              createdAt: at,
              joinedAt: at,
            }
      if (await stores.users.getByEmail(email)) {
        throw new TenancyError('conflict', 'email already registered')
      }
      await stores.users.create(user, membership)
      audit('user.created', {
        tenantId: parsed.tenantId ?? null,
        actorUserId: actorUserId(actor),
        targetType: 'user',
        targetId: user.id,
        details: { platformRole },
      })
      return toUser(user)
    },

    approveUser(actor, userId) {
      return setStatus(actor, userId, { from: ['pending'], to: 'active', action: 'user.approved' })
    },

    suspendUser(actor, userId) {
      return setStatus(actor, userId, {
        from: ['pending', 'active'],
        to: 'suspended',
        action: 'user.suspended',
      })
    },

    reactivateUser(actor, userId) {
      return setStatus(actor, userId, {
        from: ['suspended'],
        to: 'active',
        action: 'user.reactivated',
      })
    },

    async setPlatformRole(actor, userId, role) {
      assertCan(actor, 'manage_platform')
      if (!isSystemActor(actor) && actor.userId === userId) {
        throw new TenancyError('forbidden', 'nobody may change their own role')
      }
      const result = await stores.users.setPlatformRole(userId, role, now().toISOString())
      if (result === 'not_found') throw new TenancyError('not_found', 'user not found')
      if (result === 'last_super_admin') {
        throw new TenancyError('conflict', 'the last super admin cannot be demoted')
      }
      audit('user.role_changed', {
        tenantId: null,
        actorUserId: actorUserId(actor),
        targetType: 'user',
        targetId: userId,
        details: { platformRole: role },
      })
      return toUser(await requireUser(userId))
    },

    async login(input) {
      const email = normalizeEmail(String(input.email ?? ''))
      const nowMs = now().getTime()
      const throttle = await stores.loginThrottle.get(email)
      if (throttle?.lockedUntilMs != null && throttle.lockedUntilMs > nowMs) {
        const retryAfterSeconds = Math.ceil((throttle.lockedUntilMs - nowMs) / 1000)
        throw new TenancyError('locked_out', 'too many failed logins, try again later', {
          details: { retryAfterSeconds },
          retryable: true,
        })
      }
      const user = await stores.users.getByEmail(email)
      const check = await passwords.verify(String(input.password ?? ''), user?.passwordHash)
      if (!user || !check.valid) {
        const state = await stores.loginThrottle.recordFailure(email, {
          nowMs,
          windowMs,
          maxFailures,
          lockMs,
        })
        const details = { locked: state.lockedUntilMs !== null && state.lockedUntilMs > nowMs }
        audit(details.locked ? 'auth.locked_out' : 'auth.login_failed', {
          tenantId: null,
          actorUserId: null,
          targetType: 'login',
          targetId: user?.id ?? 'unknown',
        })
        throw new TenancyError('invalid_credentials', 'invalid email or password')
      }
      if (user.status === 'pending') {
        throw new TenancyError('account_pending', 'account pending approval')
      }
      if (user.status === 'suspended') {
        throw new TenancyError('account_suspended', 'account suspended')
      }
      await stores.loginThrottle.clear(email)
      const at = now().toISOString()
      const rehash = check.needsRehash ? { passwordHash: await passwords.hash(input.password) } : {}
      const updated = await stores.users.update(user.id, {
        lastLoginAt: at,
        updatedAt: at,
        ...rehash,
      })
      audit('auth.login_succeeded', {
        tenantId: null,
        actorUserId: user.id,
        targetType: 'user',
        targetId: user.id,
      })
      const memberships = (await stores.memberships.listForUser(user.id)).filter(
        (m) => m.status === 'active',
      )
      return { user: toUser(updated ?? user), memberships }
    },

    async changePassword(ctx, input) {
      assertRequestContext(ctx)
      const parsed = parseInput(passwordChangeSchema, input, 'password change')
      const user = await requireUser(ctx.userId)
      const check = await passwords.verify(parsed.currentPassword, user.passwordHash)
      if (!check.valid) throw new TenancyError('invalid_credentials', 'current password is wrong')
      checkPassword(parsed.newPassword, user.email)
      const at = now().toISOString()
      await stores.users.update(user.id, {
        passwordHash: await passwords.hash(parsed.newPassword),
        passwordChangedAt: at,
        updatedAt: at,
      })
      audit('user.password_changed', {
        tenantId: ctx.tenantId,
        actorUserId: ctx.userId,
        targetType: 'user',
        targetId: ctx.userId,
      })
    },

    async updateProfile(ctx, input) {
      assertRequestContext(ctx)
      const parsed = parseInput(profileUpdateSchema, input, 'profile')
      const updated = await stores.users.update(ctx.userId, {
        displayName: parsed.displayName,
        updatedAt: now().toISOString(),
      })
      if (!updated) throw new TenancyError('not_found', 'user not found')
      audit('user.profile_changed', {
        tenantId: ctx.tenantId,
        actorUserId: ctx.userId,
        targetType: 'user',
        targetId: ctx.userId,
      })
      return toUser(updated)
    },

    async getUser(actor, userId) {
      const user = await stores.users.get(userId)
      if (!user) return undefined
      if (isSystemActor(actor) || can(actor, 'manage_all_users')) return toUser(user)
      assertRequestContext(actor)
      if (actor.userId === userId) return toUser(user)
      if (can(actor, 'approve_tenant_users')) {
        const membership = await stores.memberships.get(actor, userId)
        if (membership && membership.status !== 'removed') return toUser(user)
      }
      return undefined
    },

    async listUsers(actor, listOptions) {
      assertCan(actor, 'manage_all_users')
      return (await stores.users.list(listOptions)).map(toUser)
    },

    async listMembers(ctx, listOptions) {
      assertRequestContext(ctx)
      assertCan(ctx, 'view_tenant_usage')
      return stores.memberships.list(ctx, listOptions)
    },

    async addMember(ctx, input) {
      requireMemberAdmin(ctx)
      const parsed = parseInput(addMemberSchema, input, 'member')
      const role = parsed.role
      if (role === 'owner') {
        throw new TenancyError('forbidden', 'ownership changes only by transfer')
      }
      if (!tenantRoleAtLeast(effectiveTenantRole(ctx), role)) {
        throw new TenancyError('forbidden', 'cannot grant a role above your own')
      }
      const at = now().toISOString()
      const membership = await stores.memberships.add(ctx, {
        userId: parsed.userId,
        role,
        status: 'active',
        invitedBy: ctx.userId,
        createdAt: at,
        joinedAt: at,
      })
      audit('membership.added', {
        tenantId: ctx.tenantId,
        actorUserId: ctx.userId,
        targetType: 'membership',
        targetId: parsed.userId,
        details: { role },
      })
      return membership
    },

    async setMemberRole(ctx, userId, role) {
      requireMemberAdmin(ctx)
      if (userId === ctx.userId)
        throw new TenancyError('forbidden', 'nobody may change their own role')
      const own = effectiveTenantRole(ctx)
      const target = await stores.memberships.get(ctx, userId)
      if (!target || target.status === 'removed') {
        throw new TenancyError('not_found', 'member not found')
      }
      if (tenantRoleAtLeast(target.role, own) || !tenantRoleAtLeast(own, role)) {
        throw new TenancyError('forbidden', 'roles can only be managed below your own')
      }
      const updated = await stores.memberships.setRole(ctx, userId, role)
      if (!updated) throw new TenancyError('not_found', 'member not found')
      audit('membership.role_changed', {
        tenantId: ctx.tenantId,
        actorUserId: ctx.userId,
        targetType: 'membership',
        targetId: userId,
        details: { role },
      })
      return updated
    },

    async removeMember(ctx, userId) {
      requireMemberAdmin(ctx)
      if (userId === ctx.userId) throw new TenancyError('forbidden', 'nobody may remove themselves')
      const target = await stores.memberships.get(ctx, userId)
      if (!target || target.status === 'removed') {
        throw new TenancyError('not_found', 'member not found')
      }
      if (tenantRoleAtLeast(target.role, effectiveTenantRole(ctx))) {
        throw new TenancyError('forbidden', 'members can only be removed below your own role')
      }
      if (!(await stores.memberships.remove(ctx, userId))) {
        throw new TenancyError('not_found', 'member not found')
      }
      audit('membership.removed', {
        tenantId: ctx.tenantId,
        actorUserId: ctx.userId,
        targetType: 'membership',
        targetId: userId,
      })
    },

    async transferOwnership(ctx, userId) {
      assertRequestContext(ctx)
      assertCan(ctx, 'manage_tenant_ownership')
      if (!(await stores.memberships.transferOwnership(ctx, userId))) {
        throw new TenancyError('not_found', 'member not found')
      }
      audit('tenant.ownership_transferred', {
        tenantId: ctx.tenantId,
        actorUserId: ctx.userId,
        targetType: 'tenant',
        targetId: ctx.tenantId,
        details: { newOwner: userId },
      })
    },
  }
}
