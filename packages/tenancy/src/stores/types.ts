import type { RequestContext } from '../context.js'
import type { PlatformRole, Scope, TenantPlan, TenantRole, Tier, UserStatus } from '../types.js'

// Conventions for every store:
// - Instants are ISO 8601 strings (`Date#toISOString()`), except internal counters in milliseconds.
// - Methods whose first parameter is a `RequestContext` are tenant-scoped: they read and write only
//   rows of `ctx.tenantId` (and of `ctx.userId` for user-owned rows). Another tenant's row behaves
//   exactly like a row that does not exist.
// - Methods without a context are platform-level. They are called by this package's services with
//   ids that come from verified credentials or permission-checked admin actions, never from input.
// - Multi-row changes are atomic.

/** Paging of list methods. */
export interface ListOptions {
  /** Maximum rows (default 100, at most 1000). */
  readonly limit?: number
  /** Rows to skip (default 0). */
  readonly offset?: number
}

/** Tenant status (spec §3.2). */
export type TenantStatus = 'active' | 'suspended' | 'deleted'

/** A tenant row. */
export interface TenantRecord {
  readonly id: string
  readonly slug: string
  readonly name: string
  readonly plan: TenantPlan
  readonly status: TenantStatus
  /** New sign-ups into this tenant start `active` instead of `pending` (spec §3.4). */
  readonly autoApproval: boolean
  /** Multiplier of the plan's monthly quota (admin setting, spec §4.3). */
  readonly quotaMultiplier: number
  readonly createdAt: string
  readonly updatedAt: string
}

/** Changeable fields of a tenant. */
export interface TenantPatch {
  readonly name?: string
  readonly plan?: TenantPlan
  readonly status?: TenantStatus
  readonly autoApproval?: boolean
  readonly quotaMultiplier?: number
  readonly updatedAt: string
}

/** Tenants (platform-level: the tenant row is not owned by another tenant). */
export interface TenantStore {
  /**
   * Inserts a tenant and, when given, its owner membership, in one transaction.
   * @throws `conflict` when the id or slug exists.
   */
  create(tenant: TenantRecord, owner?: MembershipRecord): Promise<void>
  /** Returns the tenant, or undefined. */
  get(id: string): Promise<TenantRecord | undefined>
  /** Returns the tenant with this slug, or undefined. */
  getBySlug(slug: string): Promise<TenantRecord | undefined>
  /** Lists tenants by creation time. */
  list(options?: ListOptions): Promise<readonly TenantRecord[]>
  /** Applies a patch; returns the updated tenant, or undefined when it does not exist. */
  update(id: string, patch: TenantPatch): Promise<TenantRecord | undefined>
}

/** A user row (global identity, spec §3.2). `passwordHash` never leaves the services. */
export interface UserRecord {
  readonly id: string
  /** Normalised: trimmed, lower-cased, NFC. Unique. */
  readonly email: string
  readonly displayName: string | null
  readonly passwordHash: string | null
  readonly platformRole: PlatformRole
  readonly status: UserStatus
  readonly tier: Tier
  readonly approvedBy: string | null
  readonly approvedAt: string | null
  readonly createdAt: string
  readonly updatedAt: string
  readonly lastLoginAt: string | null
  readonly passwordChangedAt: string | null
}

/** Changeable fields of a user (the platform role has its own guarded method). */
export interface UserPatch {
  readonly displayName?: string | null
  readonly passwordHash?: string | null
  readonly status?: UserStatus
  readonly tier?: Tier
  readonly approvedBy?: string | null
  readonly approvedAt?: string | null
  readonly lastLoginAt?: string | null
  readonly passwordChangedAt?: string | null
  readonly updatedAt: string
}

/** Outcome of {@link UserStore.setPlatformRole}. */
export type SetPlatformRoleResult = 'updated' | 'not_found' | 'last_super_admin'

/** Users (platform-level). */
export interface UserStore {
  /**
   * Inserts a user and, when given, a membership, in one transaction.
   * @throws `conflict` when the id or email exists.
   */
  create(user: UserRecord, membership?: MembershipRecord): Promise<void>
  /** Returns the user, or undefined. */
  get(id: string): Promise<UserRecord | undefined>
  /** Returns the user with this normalised email, or undefined. */
  getByEmail(email: string): Promise<UserRecord | undefined>
  /** Lists users by creation time, optionally of one status. */
  list(options?: ListOptions & { readonly status?: UserStatus }): Promise<readonly UserRecord[]>
  /** Applies a patch; returns the updated user, or undefined. */
  update(id: string, patch: UserPatch): Promise<UserRecord | undefined>
  /**
   * Sets the platform role atomically, refusing to demote the last `super_admin`.
   */
  setPlatformRole(id: string, role: PlatformRole, updatedAt: string): Promise<SetPlatformRoleResult>
  /** Counts users with a platform role. */
  countByPlatformRole(role: PlatformRole): Promise<number>
}

/** Membership status (spec §3.2). */
export type MembershipStatus = 'invited' | 'active' | 'removed'

/** A membership row: a user's role in one tenant. */
export interface MembershipRecord {
  readonly tenantId: string
  readonly userId: string
  readonly role: TenantRole
  readonly status: MembershipStatus
  readonly invitedBy: string | null
  readonly createdAt: string
  readonly joinedAt: string | null
}

/** A membership to add inside the caller's tenant. */
export interface NewMembership {
  readonly userId: string
  readonly role: Exclude<TenantRole, 'owner'>
  readonly status: Exclude<MembershipStatus, 'removed'>
  readonly invitedBy: string | null
  readonly createdAt: string
  readonly joinedAt: string | null
}

/** Memberships: tenant-scoped management plus two platform lookups. */
export interface MembershipStore {
  /** Lists the memberships of `ctx.tenantId` (removed ones included). */
  list(ctx: RequestContext, options?: ListOptions): Promise<readonly MembershipRecord[]>
  /** Returns a user's membership in `ctx.tenantId`, or undefined. */
  get(ctx: RequestContext, userId: string): Promise<MembershipRecord | undefined>
  /**
   * Adds a membership to `ctx.tenantId` (a removed one is replaced).
   * @throws `conflict` when the user already has a live membership there.
   */
  add(ctx: RequestContext, membership: NewMembership): Promise<MembershipRecord>
  /** Changes a non-owner's role in `ctx.tenantId`; owners are changed only by ownership transfer. */
  setRole(
    ctx: RequestContext,
    userId: string,
    role: Exclude<TenantRole, 'owner'>,
  ): Promise<MembershipRecord | undefined>
  /** Marks a non-owner membership of `ctx.tenantId` removed; false when absent or the owner. */
  remove(ctx: RequestContext, userId: string): Promise<boolean>
  /**
   * Makes `userId` (an active member) the owner of `ctx.tenantId` and the previous owner an admin,
   * atomically; false when `userId` is not an active member.
   */
  transferOwnership(ctx: RequestContext, userId: string): Promise<boolean>
  /** Platform: the membership of a verified credential's user in its tenant. */
  lookup(tenantId: string, userId: string): Promise<MembershipRecord | undefined>
  /** Platform: every membership of a user. */
  listForUser(userId: string): Promise<readonly MembershipRecord[]>
  /**
   * Platform: inserts a membership (admin CLI, invitations accepted by the server).
   * @throws `conflict` when one exists or the tenant already has an owner.
   */
  insert(membership: MembershipRecord): Promise<void>
}

/** Kinds of API key (spec §4.2: REF `pmcp_` user tokens are folded in as `mcp`). */
export type ApiKeyKind = 'api' | 'mcp'

/** An API key row. The key itself is never stored: only its peppered HMAC-SHA-256. */
export interface ApiKeyRecord {
  readonly id: string
  readonly tenantId: string
  readonly userId: string
  readonly name: string
  readonly description: string | null
  readonly kind: ApiKeyKind
  readonly tier: Tier
  readonly scopes: readonly Scope[]
  /** Hex HMAC-SHA-256 of the full key under the pepper. Unique. */
  readonly lookupHash: string
  /** `pk_live_AbCd…WxYz`: recognition only, never unique, never used for lookup. */
  readonly displayHint: string
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
  readonly createdBy: string
}

/** An API key to insert for `ctx.userId` in `ctx.tenantId`. */
export type NewApiKey = Omit<ApiKeyRecord, 'tenantId' | 'userId' | 'lastUsedAt' | 'revokedAt'>

/** API keys: user-owned rows, plus the platform lookup used by authentication. */
export interface ApiKeyStore {
  /**
   * Inserts a key for the caller unless they already hold `maxActive` live keys, atomically.
   * @throws `conflict` when the limit is reached or the hash exists.
   */
  create(
    ctx: RequestContext,
    key: NewApiKey,
    options: { readonly maxActive: number; readonly now: string },
  ): Promise<ApiKeyRecord>
  /** Lists the caller's keys, newest first. */
  list(ctx: RequestContext, options?: ListOptions): Promise<readonly ApiKeyRecord[]>
  /** Returns one of the caller's keys, or undefined. */
  get(ctx: RequestContext, id: string): Promise<ApiKeyRecord | undefined>
  /** Revokes one of the caller's keys; false when absent or already revoked. */
  revoke(ctx: RequestContext, id: string, at: string): Promise<boolean>
  /** Platform: the key with this lookup hash (authentication). */
  findByLookupHash(lookupHash: string): Promise<ApiKeyRecord | undefined>
  /** Platform: records a use of a verified key. */
  touch(id: string, at: string): Promise<void>
}

/** States of a signing key (spec §2.4). */
export type SigningKeyState = 'next' | 'active' | 'retiring' | 'retired'

/** A signing key row; the private half is an envelope ciphertext under the platform key. */
export interface SigningKeyRecord {
  /** RFC 7638 thumbprint of the public key. */
  readonly kid: string
  readonly state: SigningKeyState
  /** Public JWK members (`kty`, `n`, `e`). */
  readonly publicJwk: Readonly<Record<string, string>>
  /** Encrypted PKCS#8 (`pe1.…`). */
  readonly privateKey: string
  readonly createdAt: string
  /** When a `next` key becomes `active`. */
  readonly activateAt: string | null
  readonly activatedAt: string | null
  /** When a `retiring` key stops verifying. */
  readonly retireAt: string | null
  readonly retiredAt: string | null
}

/** An atomic change of the key set. */
export interface SigningKeyChange {
  readonly insert?: readonly SigningKeyRecord[]
  readonly update?: readonly SigningKeyRecord[]
  readonly delete?: readonly string[]
}

/** Signing keys (platform-level). */
export interface SigningKeyStore {
  /** Every key, oldest first. */
  list(): Promise<readonly SigningKeyRecord[]>
  /** A number that changes whenever the key set changes (instances reload on change). */
  getVersion(): Promise<number>
  /** Applies inserts, updates and deletes in one transaction and bumps the version. */
  commit(change: SigningKeyChange): Promise<void>
}

/** Status of a tenant data key (spec §2.2). */
export type TenantKeyStatus = 'active' | 'decrypt_only' | 'destroyed'

/** A wrapped tenant data key. */
export interface TenantKeyRecord {
  readonly tenantId: string
  readonly version: number
  /** The data key wrapped under the KEK; empty once destroyed. */
  readonly wrappedKey: string
  readonly status: TenantKeyStatus
  readonly createdAt: string
}

/** Data keys and installation secrets (platform-level, used by the keyring only). */
export interface KeyStore {
  /** Returns a named secret (`installation_id`, `key_check`, `hmac_pepper`), or undefined. */
  getSecret(name: string): Promise<string | undefined>
  /** Stores a secret unless one exists; returns the stored value either way. */
  putSecretIfAbsent(name: string, value: string): Promise<string>
  /** A tenant's keys, newest version first. */
  listTenantKeys(tenantId: string): Promise<readonly TenantKeyRecord[]>
  /** Every tenant key that is not destroyed (master-key rotation). */
  listAllTenantKeys(): Promise<readonly TenantKeyRecord[]>
  /**
   * Inserts a new version and turns the previous active one `decrypt_only`, atomically.
   * @throws `conflict` when the version exists.
   */
  addTenantKey(key: TenantKeyRecord): Promise<void>
  /** Marks every key of a tenant destroyed and erases the wrapped bytes (crypto-shredding). */
  destroyTenantKeys(tenantId: string): Promise<number>
  /** Replaces wrapped keys and secrets in one transaction (master-key rotation). */
  rewrap(change: {
    readonly tenantKeys: readonly Pick<TenantKeyRecord, 'tenantId' | 'version' | 'wrappedKey'>[]
    readonly secrets: readonly { readonly name: string; readonly value: string }[]
  }): Promise<void>
}

/** Result of a GCRA step. */
export interface TokenBucketResult {
  readonly allowed: boolean
  /** Theoretical arrival time after the step (milliseconds since the epoch). */
  readonly tatMs: number
}

/** One counter of a quota increment. */
export interface QuotaSubject {
  readonly subject: string
  /** `null` means unlimited (still counted). */
  readonly limit: number | null
}

/** Result of a quota increment. */
export interface QuotaResult {
  readonly allowed: boolean
  /** Counts after the increment, or the unchanged counts when refused (same order as input). */
  readonly counts: readonly number[]
}

/** Rate-limit state and usage counters (platform-level, shared by instances). */
export interface RateLimitStore {
  /**
   * One GCRA step (spec §4.4): `tat' = max(tat, now) + interval`, allowed when
   * `tat' - now <= burst`; the state changes only when allowed.
   */
  consumeToken(
    key: string,
    step: { readonly nowMs: number; readonly intervalMs: number; readonly burstMs: number },
  ): Promise<TokenBucketResult>
  /** Returns the current theoretical arrival time of a key (0 when unknown). */
  peekToken(key: string): Promise<number>
  /**
   * Increments every subject's counter for `period` by one; when any would exceed its limit,
   * nothing changes and `allowed` is false.
   */
  incrementUsage(period: string, subjects: readonly QuotaSubject[]): Promise<QuotaResult>
  /** Returns a subject's count for `period`. */
  getUsage(period: string, subject: string): Promise<number>
  /** Drops token states whose arrival time is older than `beforeMs`. */
  pruneTokens(beforeMs: number): Promise<number>
}

/** A tool-call usage event (spec §4.4), without IP or user agent. */
export interface UsageEventRecord {
  readonly id: string
  readonly tenantId: string
  readonly userId: string
  readonly credentialId: string | null
  readonly tool: string
  readonly status: 'ok' | 'error'
  readonly durationMs: number
  readonly at: string
}

/** A usage event to record for the caller. */
export type NewUsageEvent = Omit<UsageEventRecord, 'tenantId' | 'userId'>

/** Usage events: tenant-owned rows. */
export interface UsageEventStore {
  /** Records an event for `ctx.userId` in `ctx.tenantId`. */
  record(ctx: RequestContext, event: NewUsageEvent): Promise<UsageEventRecord>
  /**
   * Lists events newest first: the caller's own (`scope: 'user'`, default) or the whole tenant's
   * (`scope: 'tenant'`; the service checks the permission).
   */
  list(
    ctx: RequestContext,
    options?: ListOptions & { readonly scope?: 'user' | 'tenant'; readonly since?: string },
  ): Promise<readonly UsageEventRecord[]>
  /** Platform: deletes events older than `before` (retention). */
  prune(before: string): Promise<number>
}

/** Login failure tracking of one subject (a normalised email). */
export interface LoginThrottleRecord {
  readonly subject: string
  readonly failures: number
  readonly windowStartedMs: number
  readonly lockedUntilMs: number | null
}

/** Login failures (platform-level, keyed by normalised email even for unknown accounts). */
export interface LoginThrottleStore {
  /** Returns the state, or undefined. */
  get(subject: string): Promise<LoginThrottleRecord | undefined>
  /**
   * Counts one failure atomically: a window older than `windowMs` restarts at one; reaching
   * `maxFailures` sets `lockedUntilMs = nowMs + lockMs`.
   */
  recordFailure(
    subject: string,
    policy: {
      readonly nowMs: number
      readonly windowMs: number
      readonly maxFailures: number
      readonly lockMs: number
    },
  ): Promise<LoginThrottleRecord>
  /** Forgets a subject (after a successful login). */
  clear(subject: string): Promise<void>
}

/** A user's stored provider tokens (spec §2.6); token columns are envelope ciphertexts. */
export interface ProviderTokenRecord {
  readonly tenantId: string
  readonly userId: string
  readonly provider: string
  readonly accessTokenEnc: string
  readonly refreshTokenEnc: string | null
  readonly tokenType: string
  readonly scope: string | null
  readonly expiresAt: string | null
  readonly providerUserId: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

/** Provider tokens to store for the caller. */
export type NewProviderToken = Omit<ProviderTokenRecord, 'tenantId' | 'userId'>

/** Provider tokens: user-owned rows. */
export interface ProviderTokenStore {
  /** Returns the caller's row for a provider, or undefined. */
  get(ctx: RequestContext, provider: string): Promise<ProviderTokenRecord | undefined>
  /** Lists the caller's rows. */
  list(ctx: RequestContext): Promise<readonly ProviderTokenRecord[]>
  /** Inserts or replaces the caller's row for `token.provider` (both token columns at once). */
  put(ctx: RequestContext, token: NewProviderToken): Promise<ProviderTokenRecord>
  /** Deletes the caller's row; false when absent. */
  delete(ctx: RequestContext, provider: string): Promise<boolean>
}

/** Every store this package uses. */
export interface TenancyStores {
  readonly tenants: TenantStore
  readonly users: UserStore
  readonly memberships: MembershipStore
  readonly apiKeys: ApiKeyStore
  readonly signingKeys: SigningKeyStore
  readonly keys: KeyStore
  readonly rateLimits: RateLimitStore
  readonly usageEvents: UsageEventStore
  readonly loginThrottle: LoginThrottleStore
  readonly providerTokens: ProviderTokenStore
}
