import { randomBytes, randomUUID } from 'node:crypto'
import type { AuditSink } from './audit.js'
import { assertRequestContext, mintContext, type RequestContext } from './context.js'
import type { Keyring } from './crypto/keyring.js'
import { TenancyError } from './errors.js'
import { digestsEqual } from './internal/compare.js'
import { systemNow } from './internal/defaults.js'
import { type Actor, assertCan, isSystemActor } from './permissions.js'
import { createApiKeySchema, parseInput, provisionApiKeySchema } from './schemas.js'
import type { ApiKeyRecord, ListOptions, TenancyStores } from './stores/types.js'
import { allScopes, type Now, type Tier } from './types.js'

const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const secretLength = 32
const apiKeyPattern = /^pk_(live|trial)_[A-Za-z0-9]{32}$/

/** At most this many live keys per user (spec §4.2). */
export const maxActiveApiKeysPerUser = 20

/** Trial keys expire after this many days (spec §4.3). */
export const trialKeyLifetimeDays = 14

/**
 * Generates an API key: `pk_live_` (or `pk_trial_`) and 32 base62 characters drawn from
 * `crypto.randomBytes` with rejection sampling, so every character is uniform (about 190 bits).
 */
export function generateApiKey(tier: Tier): string {
  let secret = ''
  while (secret.length < secretLength) {
    for (const byte of randomBytes(48)) {
      // 248 = 4 × 62: bytes above it would bias the first characters.
      if (byte < 248 && secret.length < secretLength) secret += base62[byte % 62]
    }
  }
  return `${tier === 'trial' ? 'pk_trial_' : 'pk_live_'}${secret}`
}

/** Returns true when text has the exact API key format (checked before any lookup). */
export function isApiKeyFormat(text: string): boolean {
  return apiKeyPattern.test(text)
}

/** `pk_live_AbCd…WxYz`: for recognition only, never unique, never used for lookup. */
function displayHintOf(key: string): string {
  const prefix = key.startsWith('pk_trial_') ? 'pk_trial_' : 'pk_live_'
  const secret = key.slice(prefix.length)
  return `${prefix}${secret.slice(0, 4)}…${secret.slice(-4)}`
}

/** A key as listed to its owner: everything but the lookup hash. */
export type ApiKeySummary = Omit<ApiKeyRecord, 'lookupHash'>

/** A freshly created key. */
export interface CreatedApiKey {
  /** The full key. Shown exactly once; only its HMAC is stored. */
  readonly key: string
  /** The stored record, without the hash. */
  readonly record: ApiKeySummary
}

/** Options of {@link createApiKeyService}. */
export interface ApiKeyServiceOptions {
  /** The stores used. */
  readonly stores: Pick<TenancyStores, 'apiKeys' | 'users' | 'memberships' | 'tenants'>
  /** Supplies the pepper for lookup hashes. */
  readonly keyring: Keyring
  /** Clock. */
  readonly now?: Now
  /** Receives audit events. */
  readonly audit?: AuditSink
}

/** API keys: creation, listing, revocation and verification (spec §4.2). */
export interface ApiKeyService {
  /**
   * Creates a key for the caller in the caller's tenant, with the caller's tier (trial keys expire
   * after 14 days). The input is strict: `tier`, `tenant_id` or `user_id` are refused by name.
   * @throws `invalid_argument`; `conflict` when 20 keys are already live.
   */
  create(ctx: RequestContext, input: unknown): Promise<CreatedApiKey>
  /**
   * Creates a key with a chosen tier for any member of a tenant (`manage_all_users`, or the
   * server itself).
   * @throws `forbidden`; `not_found` when the user is not an active member of the tenant.
   */
  provision(
    actor: Actor,
    owner: { readonly tenantId: string; readonly userId: string },
    input: unknown,
  ): Promise<CreatedApiKey>
  /** Lists the caller's keys (hints only). */
  list(ctx: RequestContext, options?: ListOptions): Promise<readonly ApiKeySummary[]>
  /** Revokes one of the caller's keys at once; false for an unknown or foreign id. */
  revoke(ctx: RequestContext, id: string): Promise<boolean>
  /**
   * Finds the live key matching a presented key: exact format first (no lookup otherwise), then
   * the HMAC lookup and a constant-time comparison, which also runs against a dummy when nothing
   * matched, so unknown keys cost the same. Revoked and expired keys return undefined.
   */
  verify(presented: string): Promise<ApiKeyRecord | undefined>
}

function summary(record: ApiKeyRecord): ApiKeySummary {
  const { lookupHash: _omitted, ...rest } = record
  return rest
}

/** Creates the API key service. */
export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const { stores, keyring } = options
  const now = options.now ?? systemNow
  const dummyHash = Buffer.from(keyring.hmac('pk_live_dummy-never-issued'), 'hex')

  async function insert(
    ctx: RequestContext,
    input: {
      name: string
      description?: string | undefined
      kind?: 'api' | 'mcp' | undefined
      scopes?: readonly (typeof allScopes)[number][] | undefined
      expiresAt?: string | undefined
    },
    owner: { readonly tier: Tier; readonly createdBy: string },
  ): Promise<CreatedApiKey> {
    const { tier, createdBy } = owner
    const nowMs = now().getTime()
    let expiresMs = input.expiresAt === undefined ? null : Date.parse(input.expiresAt)
    if (expiresMs !== null && expiresMs <= nowMs) {
      throw new TenancyError('invalid_argument', 'expiresAt must be in the future')
    }
    if (tier === 'trial') {
      const trialEnd = nowMs + trialKeyLifetimeDays * 86_400_000
      expiresMs = expiresMs === null ? trialEnd : Math.min(expiresMs, trialEnd)
    }
    const key = generateApiKey(tier)
    const record = await stores.apiKeys.create(
      ctx,
      {
        id: randomUUID(),
        name: input.name,
        description: input.description ?? null,
        kind: input.kind ?? 'api',
        tier,
        scopes: [...new Set(input.scopes ?? allScopes)],
        lookupHash: keyring.hmac(key),
        displayHint: displayHintOf(key),
        createdAt: new Date(nowMs).toISOString(),
        expiresAt: expiresMs === null ? null : new Date(expiresMs).toISOString(),
        createdBy,
      },
      { maxActive: maxActiveApiKeysPerUser, now: new Date(nowMs).toISOString() },
    )
    options.audit?.({
      action: 'api_key.created',
      at: record.createdAt,
      tenantId: record.tenantId,
      actorUserId: createdBy === 'system' ? null : createdBy,
      targetType: 'api_key',
      targetId: record.id,
      details: { tier, owner: record.userId },
    })
    return { key, record: summary(record) }
  }

  return {
    async create(ctx, input) {
      assertRequestContext(ctx)
      const parsed = parseInput(createApiKeySchema, input, 'api key')
      const user = await stores.users.get(ctx.userId)
      if (!user) throw new TenancyError('not_found', 'user not found')
      return insert(ctx, parsed, { tier: user.tier, createdBy: ctx.userId })
    },

    async provision(actor, owner, input) {
      assertCan(actor, 'manage_all_users')
      const parsed = parseInput(provisionApiKeySchema, input, 'api key')
      const [user, membership, tenant] = await Promise.all([
        stores.users.get(owner.userId),
        stores.memberships.lookup(owner.tenantId, owner.userId),
        stores.tenants.get(owner.tenantId),
      ])
      if (!user || !tenant || membership?.status !== 'active') {
        throw new TenancyError('not_found', 'user is not an active member of the tenant')
      }
      // The key is created as if by its owner, so the store scopes it to them.
      const ownerContext = mintContext({
        requestId: randomUUID(),
        tenantId: tenant.id,
        userId: user.id,
        roles: { platform: user.platformRole, tenant: membership.role },
        scopes: allScopes,
        credential: { kind: 'cli' },
        tier: parsed.tier,
        clientIp: '',
        transport: 'http',
      })
      const createdBy = isSystemActor(actor) ? 'system' : actor.userId
      return insert(ownerContext, parsed, { tier: parsed.tier, createdBy })
    },

    async list(ctx, listOptions) {
      return (await stores.apiKeys.list(ctx, listOptions)).map(summary)
    },

    async revoke(ctx, id) {
      const revoked = await stores.apiKeys.revoke(ctx, id, now().toISOString())
      if (revoked) {
        options.audit?.({
          action: 'api_key.revoked',
          at: now().toISOString(),
          tenantId: ctx.tenantId,
          actorUserId: ctx.userId,
          targetType: 'api_key',
          targetId: id,
        })
      }
      return revoked
    },

    async verify(presented) {
      if (!isApiKeyFormat(presented)) return undefined
      const hash = keyring.hmac(presented)
      const record = await stores.apiKeys.findByLookupHash(hash)
      const stored = record ? Buffer.from(record.lookupHash, 'hex') : dummyHash
      const matches = digestsEqual(stored, Buffer.from(hash, 'hex'))
      if (!record || !matches) return undefined
      if (record.revokedAt !== null) return undefined
      if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now().getTime()) {
        return undefined
      }
      return record
    },
  }
}
