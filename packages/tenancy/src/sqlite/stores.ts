import type { RequestContext } from '../context.js'
import { TenancyError } from '../errors.js'
import { paging } from '../stores/paging.js'
import type {
  ApiKeyRecord,
  ApiKeyStore,
  KeyStore,
  LoginThrottleRecord,
  LoginThrottleStore,
  MembershipRecord,
  MembershipStore,
  ProviderTokenRecord,
  ProviderTokenStore,
  RateLimitStore,
  SigningKeyRecord,
  SigningKeyStore,
  TenancyStores,
  TenantKeyRecord,
  TenantRecord,
  TenantStore,
  UsageEventRecord,
  UsageEventStore,
  UserRecord,
  UserStore,
} from '../stores/types.js'
import type { Scope } from '../types.js'
import {
  createScoped,
  createStatements,
  type Scoped,
  type SqliteDatabase,
  type Statements,
} from './database.js'

// Platform-level statements carry the `/* platform */` marker: they touch tenant-owned tables
// without a tenant predicate on purpose (authentication lookups). Tests audit every other one.

type Row = Record<string, unknown>

const text = (value: unknown): string => value as string
const maybe = (value: unknown): string | null => (value === null ? null : (value as string))

function toTenant(row: Row): TenantRecord {
  return {
    id: text(row.id),
    slug: text(row.slug),
    name: text(row.name),
    plan: row.plan as TenantRecord['plan'],
    status: row.status as TenantRecord['status'],
    autoApproval: row.auto_approval === 1,
    quotaMultiplier: row.quota_multiplier as number,
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
  }
}

function toUser(row: Row): UserRecord {
  return {
    id: text(row.id),
    email: text(row.email),
    displayName: maybe(row.display_name),
    passwordHash: maybe(row.password_hash),
    platformRole: row.platform_role as UserRecord['platformRole'],
    status: row.status as UserRecord['status'],
    tier: row.tier as UserRecord['tier'],
    approvedBy: maybe(row.approved_by),
    approvedAt: maybe(row.approved_at),
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
    lastLoginAt: maybe(row.last_login_at),
    passwordChangedAt: maybe(row.password_changed_at),
  }
}

function toMembership(row: Row): MembershipRecord {
  return {
    tenantId: text(row.tenant_id),
    userId: text(row.user_id),
    role: row.role as MembershipRecord['role'],
    status: row.status as MembershipRecord['status'],
    invitedBy: maybe(row.invited_by),
    createdAt: text(row.created_at),
    joinedAt: maybe(row.joined_at),
  }
}

function toApiKey(row: Row): ApiKeyRecord {
  const scopes = text(row.scopes)
  return {
    id: text(row.id),
    tenantId: text(row.tenant_id),
    userId: text(row.user_id),
    name: text(row.name),
    description: maybe(row.description),
    kind: row.kind as ApiKeyRecord['kind'],
    tier: row.tier as ApiKeyRecord['tier'],
    scopes: scopes === '' ? [] : (scopes.split(' ') as Scope[]),
    lookupHash: text(row.lookup_hash),
    displayHint: text(row.display_hint),
    createdAt: text(row.created_at),
    expiresAt: maybe(row.expires_at),
    lastUsedAt: maybe(row.last_used_at),
    revokedAt: maybe(row.revoked_at),
    createdBy: text(row.created_by),
  }
}

function toSigningKey(row: Row): SigningKeyRecord {
  return {
    kid: text(row.kid),
    state: row.state as SigningKeyRecord['state'],
    publicJwk: JSON.parse(text(row.public_jwk)) as Record<string, string>,
    privateKey: text(row.private_key),
    createdAt: text(row.created_at),
    activateAt: maybe(row.activate_at),
    activatedAt: maybe(row.activated_at),
    retireAt: maybe(row.retire_at),
    retiredAt: maybe(row.retired_at),
  }
}

function toTenantKey(row: Row): TenantKeyRecord {
  return {
    tenantId: text(row.tenant_id),
    version: row.version as number,
    wrappedKey: text(row.wrapped_key),
    status: row.status as TenantKeyRecord['status'],
    createdAt: text(row.created_at),
  }
}

function toUsageEvent(row: Row): UsageEventRecord {
  return {
    id: text(row.id),
    tenantId: text(row.tenant_id),
    userId: text(row.user_id),
    credentialId: maybe(row.credential_id),
    tool: text(row.tool),
    status: row.status as UsageEventRecord['status'],
    durationMs: row.duration_ms as number,
    at: text(row.at),
  }
}

function toThrottle(row: Row): LoginThrottleRecord {
  return {
    subject: text(row.subject),
    failures: row.failures as number,
    windowStartedMs: row.window_started_ms as number,
    lockedUntilMs: row.locked_until_ms === null ? null : (row.locked_until_ms as number),
  }
}

function toProviderToken(row: Row): ProviderTokenRecord {
  return {
    tenantId: text(row.tenant_id),
    userId: text(row.user_id),
    provider: text(row.provider),
    accessTokenEnc: text(row.access_token_enc),
    refreshTokenEnc: maybe(row.refresh_token_enc),
    tokenType: text(row.token_type),
    scope: maybe(row.scope),
    expiresAt: maybe(row.expires_at),
    providerUserId: maybe(row.provider_user_id),
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
  }
}

const insertMembershipSql = `INSERT INTO memberships
  (tenant_id, user_id, role, status, invited_by, created_at, joined_at)
  VALUES (@tenantId, @userId, @role, @status, @invitedBy, @createdAt, @joinedAt)
  ON CONFLICT (tenant_id, user_id) DO UPDATE SET
    role = excluded.role, status = excluded.status, invited_by = excluded.invited_by,
    created_at = excluded.created_at, joined_at = excluded.joined_at
  WHERE memberships.status = 'removed'`

function insertMembership(sql: Statements, membership: MembershipRecord): void {
  const changes = sql.run(insertMembershipSql, { ...membership })
  if (changes === 0) throw new TenancyError('conflict', 'membership already exists')
}

function tenantStore(sql: Statements): TenantStore {
  return {
    async create(tenant, owner) {
      sql.transaction(() => {
        sql.run(
          `INSERT INTO tenants (id, slug, name, plan, status, auto_approval, quota_multiplier,
             created_at, updated_at)
           VALUES (@id, @slug, @name, @plan, @status, @autoApproval, @quotaMultiplier,
             @createdAt, @updatedAt)`,
          { ...tenant, autoApproval: tenant.autoApproval ? 1 : 0 },
        )
        if (owner) {
          if (owner.tenantId !== tenant.id) {
            throw new TenancyError('invalid_argument', 'owner membership must belong to the tenant')
          }
          if (!sql.get('SELECT 1 FROM users WHERE id = @id', { id: owner.userId })) {
            throw new TenancyError('not_found', 'owner not found')
          }
          insertMembership(sql, owner)
        }
      })
    },
    async get(id) {
      const row = sql.get<Row>('SELECT * FROM tenants WHERE id = @id', { id })
      return row && toTenant(row)
    },
    async getBySlug(slug) {
      const row = sql.get<Row>('SELECT * FROM tenants WHERE slug = @slug', { slug })
      return row && toTenant(row)
    },
    async list(options) {
      const rows = sql.all<Row>(
        'SELECT * FROM tenants ORDER BY created_at, rowid LIMIT @limit OFFSET @offset',
        paging(options),
      )
      return rows.map(toTenant)
    },
    async update(id, patch) {
      return sql.transaction(() => {
        const row = sql.get<Row>('SELECT * FROM tenants WHERE id = @id', { id })
        if (!row) return undefined
        const next: TenantRecord = { ...toTenant(row), ...patch }
        sql.run(
          `UPDATE tenants SET name = @name, plan = @plan, status = @status,
             auto_approval = @autoApproval, quota_multiplier = @quotaMultiplier,
             updated_at = @updatedAt
           WHERE id = @id`,
          { ...next, autoApproval: next.autoApproval ? 1 : 0 },
        )
        return next
      })
    },
  }
}

function userStore(sql: Statements): UserStore {
  return {
    async create(user, membership) {
      sql.transaction(() => {
        sql.run(
          `INSERT INTO users (id, email, display_name, password_hash, platform_role, status, tier,
             approved_by, approved_at, created_at, updated_at, last_login_at, password_changed_at)
           VALUES (@id, @email, @displayName, @passwordHash, @platformRole, @status, @tier,
             @approvedBy, @approvedAt, @createdAt, @updatedAt, @lastLoginAt, @passwordChangedAt)`,
          { ...user },
        )
        if (membership) {
          if (membership.userId !== user.id) {
            throw new TenancyError('invalid_argument', 'membership must belong to the user')
          }
          if (!sql.get('SELECT 1 FROM tenants WHERE id = @id', { id: membership.tenantId })) {
            throw new TenancyError('not_found', 'tenant not found')
          }
          insertMembership(sql, membership)
        }
      })
    },
    async get(id) {
      const row = sql.get<Row>('SELECT * FROM users WHERE id = @id', { id })
      return row && toUser(row)
    },
    async getByEmail(email) {
      const row = sql.get<Row>('SELECT * FROM users WHERE email = @email', { email })
      return row && toUser(row)
    },
    async list(options) {
      const { limit, offset } = paging(options)
      const rows =
        options?.status === undefined
          ? sql.all<Row>(
              'SELECT * FROM users ORDER BY created_at, rowid LIMIT @limit OFFSET @offset',
              { limit, offset },
            )
          : sql.all<Row>(
              `SELECT * FROM users WHERE status = @status
               ORDER BY created_at, rowid LIMIT @limit OFFSET @offset`,
              { limit, offset, status: options.status },
            )
      return rows.map(toUser)
    },
    async update(id, patch) {
      return sql.transaction(() => {
        const row = sql.get<Row>('SELECT * FROM users WHERE id = @id', { id })
        if (!row) return undefined
        const next: UserRecord = { ...toUser(row), ...patch }
        sql.run(
          `UPDATE users SET display_name = @displayName, password_hash = @passwordHash,
             status = @status, tier = @tier, approved_by = @approvedBy, approved_at = @approvedAt,
             updated_at = @updatedAt, last_login_at = @lastLoginAt,
             password_changed_at = @passwordChangedAt
           WHERE id = @id`,
          { ...next },
        )
        return next
      })
    },
    async setPlatformRole(id, role, updatedAt) {
      return sql.transaction(() => {
        const row = sql.get<Row>('SELECT platform_role FROM users WHERE id = @id', { id })
        if (!row) return 'not_found' as const
        if (row.platform_role === 'super_admin' && role !== 'super_admin') {
          const count = sql.get<Row>(
            `SELECT COUNT(*) AS n FROM users WHERE platform_role = 'super_admin'`,
          )
          if ((count?.n as number) <= 1) return 'last_super_admin' as const
        }
        sql.run('UPDATE users SET platform_role = @role, updated_at = @updatedAt WHERE id = @id', {
          id,
          role,
          updatedAt,
        })
        return 'updated' as const
      }, 'immediate')
    },
    async countByPlatformRole(role) {
      const row = sql.get<Row>('SELECT COUNT(*) AS n FROM users WHERE platform_role = @role', {
        role,
      })
      return (row?.n as number | undefined) ?? 0
    },
  }
}

function membershipStore(sql: Statements, scoped: Scoped): MembershipStore {
  const getOne = (ctx: RequestContext, userId: string): MembershipRecord | undefined => {
    const row = scoped(ctx, 'tenant').get<Row>(
      'SELECT * FROM memberships WHERE {scope} AND user_id = @userId',
      { userId },
    )
    return row && toMembership(row)
  }
  return {
    async list(ctx, options) {
      return scoped(ctx, 'tenant')
        .all<Row>(
          `SELECT * FROM memberships WHERE {scope}
           ORDER BY created_at, rowid LIMIT @limit OFFSET @offset`,
          paging(options),
        )
        .map(toMembership)
    },
    async get(ctx, userId) {
      return getOne(ctx, userId)
    },
    async add(ctx, membership) {
      return sql.transaction(() => {
        if (!sql.get('SELECT 1 FROM users WHERE id = @id', { id: membership.userId })) {
          throw new TenancyError('not_found', 'user not found')
        }
        const changes = scoped(ctx, 'tenant').run(
          `INSERT INTO memberships
             (tenant_id, user_id, role, status, invited_by, created_at, joined_at)
           VALUES (@scope_tenant_id, @userId, @role, @status, @invitedBy, @createdAt, @joinedAt)
           ON CONFLICT (tenant_id, user_id) DO UPDATE SET
             role = excluded.role, status = excluded.status, invited_by = excluded.invited_by,
             created_at = excluded.created_at, joined_at = excluded.joined_at
           WHERE memberships.status = 'removed'`,
          { ...membership },
        )
        if (changes === 0) throw new TenancyError('conflict', 'membership already exists')
        const stored = getOne(ctx, membership.userId)
        if (!stored) throw new TenancyError('internal', 'membership vanished after insert')
        return stored
      })
    },
    async setRole(ctx, userId, role) {
      return sql.transaction(() => {
        const changes = scoped(ctx, 'tenant').run(
          `UPDATE memberships SET role = @role
           WHERE {scope} AND user_id = @userId AND role <> 'owner' AND status <> 'removed'`,
          { userId, role },
        )
        return changes === 0 ? undefined : getOne(ctx, userId)
      })
    },
    async remove(ctx, userId) {
      const changes = scoped(ctx, 'tenant').run(
        `UPDATE memberships SET status = 'removed'
         WHERE {scope} AND user_id = @userId AND role <> 'owner' AND status <> 'removed'`,
        { userId },
      )
      return changes > 0
    },
    async transferOwnership(ctx, userId) {
      return sql.transaction(() => {
        const target = getOne(ctx, userId)
        if (target?.status !== 'active') return false
        if (target.role === 'owner') return true
        scoped(ctx, 'tenant').run(`UPDATE memberships SET role = 'admin'
           WHERE {scope} AND role = 'owner' AND status <> 'removed'`)
        scoped(ctx, 'tenant').run(
          `UPDATE memberships SET role = 'owner' WHERE {scope} AND user_id = @userId`,
          { userId },
        )
        return true
      })
    },
    async lookup(tenantId, userId) {
      const row = sql.get<Row>(
        '/* platform */ SELECT * FROM memberships WHERE tenant_id = @tenantId AND user_id = @userId',
        { tenantId, userId },
      )
      return row && toMembership(row)
    },
    async listForUser(userId) {
      return sql
        .all<Row>(
          '/* platform */ SELECT * FROM memberships WHERE user_id = @userId ORDER BY created_at',
          { userId },
        )
        .map(toMembership)
    },
    async insert(membership) {
      sql.transaction(() => {
        if (!sql.get('SELECT 1 FROM tenants WHERE id = @id', { id: membership.tenantId })) {
          throw new TenancyError('not_found', 'tenant not found')
        }
        if (!sql.get('SELECT 1 FROM users WHERE id = @id', { id: membership.userId })) {
          throw new TenancyError('not_found', 'user not found')
        }
        insertMembership(sql, membership)
      })
    },
  }
}

function requireMembership(scoped: Scoped, ctx: RequestContext): void {
  if (!scoped(ctx, 'user').get('SELECT 1 FROM memberships WHERE {scope}')) {
    throw new TenancyError('not_found', 'membership not found')
  }
}

function apiKeyStore(sql: Statements, scoped: Scoped): ApiKeyStore {
  const getOne = (ctx: RequestContext, id: string): ApiKeyRecord | undefined => {
    const row = scoped(ctx, 'user').get<Row>('SELECT * FROM api_keys WHERE {scope} AND id = @id', {
      id,
    })
    return row && toApiKey(row)
  }
  return {
    async create(ctx, key, options) {
      return sql.transaction(() => {
        requireMembership(scoped, ctx)
        const live = scoped(ctx, 'user').get<Row>(
          `SELECT COUNT(*) AS n FROM api_keys WHERE {scope} AND revoked_at IS NULL
             AND (expires_at IS NULL OR expires_at > @now)`,
          { now: options.now },
        )
        if (((live?.n as number | undefined) ?? 0) >= options.maxActive) {
          throw new TenancyError(
            'conflict',
            `at most ${options.maxActive} active api keys per user`,
          )
        }
        scoped(ctx, 'user').run(
          `INSERT INTO api_keys (id, tenant_id, user_id, name, description, kind, tier, scopes,
             lookup_hash, display_hint, created_at, expires_at, last_used_at, revoked_at, created_by)
           VALUES (@id, @scope_tenant_id, @scope_user_id, @name, @description, @kind, @tier,
             @scopes, @lookupHash, @displayHint, @createdAt, @expiresAt, NULL, NULL, @createdBy)`,
          { ...key, scopes: key.scopes.join(' ') },
        )
        const stored = getOne(ctx, key.id)
        if (!stored) throw new TenancyError('internal', 'api key vanished after insert')
        return stored
      }, 'immediate')
    },
    async list(ctx, options) {
      return scoped(ctx, 'user')
        .all<Row>(
          `SELECT * FROM api_keys WHERE {scope}
           ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
          paging(options),
        )
        .map(toApiKey)
    },
    async get(ctx, id) {
      return getOne(ctx, id)
    },
    async revoke(ctx, id, at) {
      const changes = scoped(ctx, 'user').run(
        'UPDATE api_keys SET revoked_at = @at WHERE {scope} AND id = @id AND revoked_at IS NULL',
        { id, at },
      )
      return changes > 0
    },
    async findByLookupHash(lookupHash) {
      const row = sql.get<Row>(
        '/* platform */ SELECT * FROM api_keys WHERE lookup_hash = @lookupHash',
        { lookupHash },
      )
      return row && toApiKey(row)
    },
    async touch(id, at) {
      sql.run('/* platform */ UPDATE api_keys SET last_used_at = @at WHERE id = @id', { id, at })
    },
  }
}

function signingKeyStore(sql: Statements): SigningKeyStore {
  const write = (record: SigningKeyRecord, insert: boolean): void => {
    const params = { ...record, publicJwk: JSON.stringify(record.publicJwk) }
    if (insert) {
      sql.run(
        `INSERT INTO signing_keys (kid, state, public_jwk, private_key, created_at, activate_at,
           activated_at, retire_at, retired_at)
         VALUES (@kid, @state, @publicJwk, @privateKey, @createdAt, @activateAt, @activatedAt,
           @retireAt, @retiredAt)`,
        params,
      )
    } else {
      sql.run(
        `UPDATE signing_keys SET state = @state, activate_at = @activateAt,
           activated_at = @activatedAt, retire_at = @retireAt, retired_at = @retiredAt
         WHERE kid = @kid`,
        params,
      )
    }
  }
  return {
    async list() {
      return sql.all<Row>('SELECT * FROM signing_keys ORDER BY created_at, rowid').map(toSigningKey)
    },
    async getVersion() {
      const row = sql.get<Row>('SELECT version FROM signing_key_set WHERE id = 1')
      return (row?.version as number | undefined) ?? 0
    },
    async commit(change) {
      sql.transaction(() => {
        for (const record of change.insert ?? []) write(record, true)
        for (const record of change.update ?? []) write(record, false)
        for (const kid of change.delete ?? []) {
          sql.run('DELETE FROM signing_keys WHERE kid = @kid', { kid })
        }
        sql.run('UPDATE signing_key_set SET version = version + 1 WHERE id = 1')
      }, 'immediate')
    },
  }
}

function keyStore(sql: Statements): KeyStore {
  return {
    async getSecret(name) {
      const row = sql.get<Row>('SELECT value FROM server_secrets WHERE name = @name', { name })
      return row && text(row.value)
    },
    async putSecretIfAbsent(name, value) {
      return sql.transaction(() => {
        sql.run(
          'INSERT INTO server_secrets (name, value) VALUES (@name, @value) ON CONFLICT DO NOTHING',
          { name, value },
        )
        const row = sql.get<Row>('SELECT value FROM server_secrets WHERE name = @name', { name })
        return text(row?.value)
      }, 'immediate')
    },
    async listTenantKeys(tenantId) {
      return sql
        .all<Row>('SELECT * FROM tenant_keys WHERE tenant_id = @tenantId ORDER BY version DESC', {
          tenantId,
        })
        .map(toTenantKey)
    },
    async listAllTenantKeys() {
      return sql
        .all<Row>(
          `SELECT * FROM tenant_keys WHERE status <> 'destroyed' ORDER BY tenant_id, version`,
        )
        .map(toTenantKey)
    },
    async addTenantKey(key) {
      sql.transaction(() => {
        if (
          sql.get('SELECT 1 FROM tenant_keys WHERE tenant_id = @tenantId AND version = @version', {
            tenantId: key.tenantId,
            version: key.version,
          })
        ) {
          throw new TenancyError('conflict', 'tenant key version already exists')
        }
        sql.run(
          `UPDATE tenant_keys SET status = 'decrypt_only'
           WHERE tenant_id = @tenantId AND status = 'active'`,
          { tenantId: key.tenantId },
        )
        sql.run(
          `INSERT INTO tenant_keys (tenant_id, version, wrapped_key, status, created_at)
           VALUES (@tenantId, @version, @wrappedKey, @status, @createdAt)`,
          { ...key },
        )
      }, 'immediate')
    },
    async destroyTenantKeys(tenantId) {
      return sql.run(
        `UPDATE tenant_keys SET status = 'destroyed', wrapped_key = ''
         WHERE tenant_id = @tenantId AND status <> 'destroyed'`,
        { tenantId },
      )
    },
    async rewrap(change) {
      sql.transaction(() => {
        for (const key of change.tenantKeys) {
          sql.run(
            `UPDATE tenant_keys SET wrapped_key = @wrappedKey
             WHERE tenant_id = @tenantId AND version = @version`,
            { ...key },
          )
        }
        for (const secret of change.secrets) {
          sql.run(
            `INSERT INTO server_secrets (name, value) VALUES (@name, @value)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
            { ...secret },
          )
        }
      }, 'immediate')
    },
  }
}

function rateLimitStore(sql: Statements): RateLimitStore {
  return {
    async consumeToken(key, step) {
      return sql.transaction(() => {
        const row = sql.get<Row>('SELECT tat_ms FROM rate_limit_state WHERE key = @key', { key })
        const tat = Math.max((row?.tat_ms as number | undefined) ?? 0, step.nowMs)
        const next = tat + step.intervalMs
        if (next - step.nowMs > step.burstMs) return { allowed: false, tatMs: tat }
        sql.run(
          `INSERT INTO rate_limit_state (key, tat_ms) VALUES (@key, @next)
           ON CONFLICT (key) DO UPDATE SET tat_ms = excluded.tat_ms`,
          { key, next },
        )
        return { allowed: true, tatMs: next }
      }, 'immediate')
    },
    async peekToken(key) {
      const row = sql.get<Row>('SELECT tat_ms FROM rate_limit_state WHERE key = @key', { key })
      return (row?.tat_ms as number | undefined) ?? 0
    },
    async incrementUsage(period, subjects) {
      return sql.transaction(() => {
        const current = subjects.map((s) => {
          const row = sql.get<Row>(
            'SELECT count FROM usage_counters WHERE subject = @subject AND period = @period',
            { subject: s.subject, period },
          )
          return (row?.count as number | undefined) ?? 0
        })
        const exceeded = subjects.some(
          (s, i) => s.limit !== null && (current[i] ?? 0) + 1 > s.limit,
        )
        if (exceeded) return { allowed: false, counts: current }
        const counts = subjects.map((s) => {
          const row = sql.get<Row>(
            `INSERT INTO usage_counters (subject, period, count) VALUES (@subject, @period, 1)
             ON CONFLICT (subject, period) DO UPDATE SET count = count + 1
             RETURNING count`,
            { subject: s.subject, period },
          )
          return row?.count as number
        })
        return { allowed: true, counts }
      }, 'immediate')
    },
    async getUsage(period, subject) {
      const row = sql.get<Row>(
        'SELECT count FROM usage_counters WHERE subject = @subject AND period = @period',
        { subject, period },
      )
      return (row?.count as number | undefined) ?? 0
    },
    async pruneTokens(beforeMs) {
      return sql.run('DELETE FROM rate_limit_state WHERE tat_ms < @beforeMs', { beforeMs })
    },
  }
}

function usageEventStore(sql: Statements, scoped: Scoped): UsageEventStore {
  return {
    async record(ctx, event) {
      return sql.transaction(() => {
        requireMembership(scoped, ctx)
        scoped(ctx, 'user').run(
          `INSERT INTO usage_events (id, tenant_id, user_id, credential_id, tool, status,
             duration_ms, at)
           VALUES (@id, @scope_tenant_id, @scope_user_id, @credentialId, @tool, @status,
             @durationMs, @at)`,
          { ...event },
        )
        return { ...event, tenantId: ctx.tenantId, userId: ctx.userId }
      })
    },
    async list(ctx, options) {
      const params = { ...paging(options), since: options?.since ?? '' }
      const rows =
        options?.scope === 'tenant'
          ? scoped(ctx, 'tenant').all<Row>(
              `SELECT * FROM usage_events WHERE {scope} AND at >= @since
               ORDER BY at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
              params,
            )
          : scoped(ctx, 'user').all<Row>(
              `SELECT * FROM usage_events WHERE {scope} AND at >= @since
               ORDER BY at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
              params,
            )
      return rows.map(toUsageEvent)
    },
    async prune(before) {
      return sql.run('/* platform */ DELETE FROM usage_events WHERE at < @before', { before })
    },
  }
}

function loginThrottleStore(sql: Statements): LoginThrottleStore {
  return {
    async get(subject) {
      const row = sql.get<Row>('SELECT * FROM login_throttle WHERE subject = @subject', {
        subject,
      })
      return row && toThrottle(row)
    },
    async recordFailure(subject, policy) {
      return sql.transaction(() => {
        const row = sql.get<Row>('SELECT * FROM login_throttle WHERE subject = @subject', {
          subject,
        })
        const previous = row && toThrottle(row)
        const fresh = !previous || policy.nowMs - previous.windowStartedMs >= policy.windowMs
        const failures = fresh ? 1 : previous.failures + 1
        const record: LoginThrottleRecord = {
          subject,
          failures,
          windowStartedMs: fresh ? policy.nowMs : previous.windowStartedMs,
          lockedUntilMs:
            failures >= policy.maxFailures
              ? policy.nowMs + policy.lockMs
              : (previous?.lockedUntilMs ?? null),
        }
        sql.run(
          `INSERT INTO login_throttle (subject, failures, window_started_ms, locked_until_ms)
           VALUES (@subject, @failures, @windowStartedMs, @lockedUntilMs)
           ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures,
             window_started_ms = excluded.window_started_ms,
             locked_until_ms = excluded.locked_until_ms`,
          { ...record },
        )
        return record
      }, 'immediate')
    },
    async clear(subject) {
      sql.run('DELETE FROM login_throttle WHERE subject = @subject', { subject })
    },
  }
}

function providerTokenStore(sql: Statements, scoped: Scoped): ProviderTokenStore {
  const getOne = (ctx: RequestContext, provider: string): ProviderTokenRecord | undefined => {
    const row = scoped(ctx, 'user').get<Row>(
      'SELECT * FROM provider_tokens WHERE {scope} AND provider = @provider',
      { provider },
    )
    return row && toProviderToken(row)
  }
  return {
    async get(ctx, provider) {
      return getOne(ctx, provider)
    },
    async list(ctx) {
      return scoped(ctx, 'user')
        .all<Row>('SELECT * FROM provider_tokens WHERE {scope} ORDER BY provider')
        .map(toProviderToken)
    },
    async put(ctx, token) {
      return sql.transaction(() => {
        requireMembership(scoped, ctx)
        scoped(ctx, 'user').run(
          `INSERT INTO provider_tokens (tenant_id, user_id, provider, access_token_enc,
             refresh_token_enc, token_type, scope, expires_at, provider_user_id, created_at,
             updated_at)
           VALUES (@scope_tenant_id, @scope_user_id, @provider, @accessTokenEnc,
             @refreshTokenEnc, @tokenType, @scope, @expiresAt, @providerUserId, @createdAt,
             @updatedAt)
           ON CONFLICT (tenant_id, user_id, provider) DO UPDATE SET
             access_token_enc = excluded.access_token_enc,
             refresh_token_enc = excluded.refresh_token_enc, token_type = excluded.token_type,
             scope = excluded.scope, expires_at = excluded.expires_at,
             provider_user_id = excluded.provider_user_id, updated_at = excluded.updated_at`,
          { ...token },
        )
        const stored = getOne(ctx, token.provider)
        if (!stored) throw new TenancyError('internal', 'provider token vanished after insert')
        return stored
      })
    },
    async delete(ctx, provider) {
      return (
        scoped(ctx, 'user').run(
          'DELETE FROM provider_tokens WHERE {scope} AND provider = @provider',
          {
            provider,
          },
        ) > 0
      )
    },
  }
}

/**
 * Creates every store over one better-sqlite3 database. Apply {@link tenancyMigrations} first.
 * Compound changes run in transactions (`BEGIN IMMEDIATE` where several instances may race), so a
 * crash mid-operation leaves the database consistent.
 */
export function createSqliteStores(db: SqliteDatabase): TenancyStores {
  const sql = createStatements(db)
  const scoped = createScoped(sql)
  return {
    tenants: tenantStore(sql),
    users: userStore(sql),
    memberships: membershipStore(sql, scoped),
    apiKeys: apiKeyStore(sql, scoped),
    signingKeys: signingKeyStore(sql),
    keys: keyStore(sql),
    rateLimits: rateLimitStore(sql),
    usageEvents: usageEventStore(sql, scoped),
    loginThrottle: loginThrottleStore(sql),
    providerTokens: providerTokenStore(sql, scoped),
  }
}
