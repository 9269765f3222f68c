import type {
  AccessTokenRecord,
  AccessTokenStore,
  ClientRecord,
  ClientStore,
  CodeRecord,
  CodeStore,
  ConsentRecord,
  ConsentStore,
  GrantRecord,
  GrantStore,
  OAuthStore,
  PendingRequestRecord,
  PendingRequestStore,
  RefreshTokenRecord,
  RefreshTokenStore,
  SessionRecord,
  SessionStore,
} from '../store.js'
import { createStatements, type SqliteDatabase, type Statements } from './database.js'

// Every value reaches SQLite as a bound parameter; the SQL texts below are constants. Operations
// that must be atomic (consume, take, rotate, revoke) either are one conditional statement or run
// in a BEGIN IMMEDIATE transaction, so they also hold between processes sharing one database file.

type Row = Record<string, unknown>

const text = (value: unknown): string => value as string
const maybe = (value: unknown): string | null => (value === null ? null : (value as string))

function toClient(row: Row): ClientRecord {
  return {
    clientId: text(row.client_id),
    secretHash: maybe(row.secret_hash),
    authMethod: row.auth_method as ClientRecord['authMethod'],
    redirectUris: JSON.parse(text(row.redirect_uris)) as string[],
    grantTypes: JSON.parse(text(row.grant_types)) as ClientRecord['grantTypes'],
    scope: maybe(row.scope),
    clientName: maybe(row.client_name),
    clientUri: maybe(row.client_uri),
    logoUri: maybe(row.logo_uri),
    tosUri: maybe(row.tos_uri),
    policyUri: maybe(row.policy_uri),
    softwareId: maybe(row.software_id),
    softwareVersion: maybe(row.software_version),
    createdAt: text(row.created_at),
    lastUsedAt: maybe(row.last_used_at),
    source: row.source as ClientRecord['source'],
    tenantId: maybe(row.tenant_id),
  }
}

function toPendingRequest(row: Row): PendingRequestRecord {
  return {
    id: text(row.id),
    clientId: text(row.client_id),
    redirectUri: text(row.redirect_uri),
    scope: text(row.scope),
    state: maybe(row.state),
    codeChallenge: text(row.code_challenge),
    resource: text(row.resource),
    createdAt: text(row.created_at),
    expiresAt: text(row.expires_at),
    userId: maybe(row.user_id),
    authTime: maybe(row.auth_time),
  }
}

function toSession(row: Row): SessionRecord {
  return {
    idHash: text(row.id_hash),
    userId: text(row.user_id),
    createdAt: text(row.created_at),
    lastSeenAt: text(row.last_seen_at),
    expiresAt: text(row.expires_at),
    ip: maybe(row.ip),
    userAgent: maybe(row.user_agent),
  }
}

function toCode(row: Row): CodeRecord {
  return {
    codeHash: text(row.code_hash),
    grantId: text(row.grant_id),
    clientId: text(row.client_id),
    userId: text(row.user_id),
    tenantId: text(row.tenant_id),
    redirectUri: text(row.redirect_uri),
    scope: text(row.scope),
    resource: text(row.resource),
    codeChallenge: text(row.code_challenge),
    authTime: maybe(row.auth_time),
    expiresAt: text(row.expires_at),
    usedAt: maybe(row.used_at),
  }
}

function toGrant(row: Row): GrantRecord {
  return {
    grantId: text(row.grant_id),
    clientId: text(row.client_id),
    userId: text(row.user_id),
    tenantId: text(row.tenant_id),
    scope: text(row.scope),
    resource: text(row.resource),
    createdAt: text(row.created_at),
    absoluteExpiresAt: text(row.absolute_expires_at),
    revokedAt: maybe(row.revoked_at),
  }
}

function toRefreshToken(row: Row): RefreshTokenRecord {
  return {
    tokenHash: text(row.token_hash),
    grantId: text(row.grant_id),
    clientId: text(row.client_id),
    userId: text(row.user_id),
    tenantId: text(row.tenant_id),
    scope: text(row.scope),
    resource: text(row.resource),
    createdAt: text(row.created_at),
    expiresAt: text(row.expires_at),
    rotatedAt: maybe(row.rotated_at),
    replacedBy: maybe(row.replaced_by),
    revokedAt: maybe(row.revoked_at),
  }
}

function toAccessToken(row: Row): AccessTokenRecord {
  return {
    jti: text(row.jti),
    grantId: maybe(row.grant_id),
    clientId: text(row.client_id),
    userId: text(row.user_id),
    tenantId: text(row.tenant_id),
    expiresAt: text(row.expires_at),
    revokedAt: maybe(row.revoked_at),
  }
}

function toConsent(row: Row): ConsentRecord {
  return {
    userId: text(row.user_id),
    tenantId: text(row.tenant_id),
    clientId: text(row.client_id),
    resource: text(row.resource),
    scope: text(row.scope),
    grantedAt: text(row.granted_at),
  }
}

/**
 * Checks that a referenced grant exists. The foreign keys say the same, but they are enforced
 * only when the application turned `foreign_keys` on; this keeps the store's behaviour identical
 * either way. Call inside the transaction of the insert.
 */
function requireGrant(sql: Statements, grantId: string | null): void {
  if (grantId === null) return
  if (!sql.get('SELECT 1 FROM oauth_grants WHERE grant_id = @grantId', { grantId })) {
    throw new Error('grant not found')
  }
}

function clientStore(sql: Statements): ClientStore {
  return {
    async create(client) {
      sql.run(
        `INSERT INTO oauth_clients (client_id, secret_hash, auth_method, redirect_uris,
           grant_types, scope, client_name, client_uri, logo_uri, tos_uri, policy_uri, software_id,
           software_version, created_at, last_used_at, source, tenant_id)
         VALUES (@clientId, @secretHash, @authMethod, @redirectUris, @grantTypes, @scope,
           @clientName, @clientUri, @logoUri, @tosUri, @policyUri, @softwareId, @softwareVersion,
           @createdAt, @lastUsedAt, @source, @tenantId)`,
        {
          ...client,
          redirectUris: JSON.stringify(client.redirectUris),
          grantTypes: JSON.stringify(client.grantTypes),
        },
      )
    },
    async get(clientId) {
      const row = sql.get<Row>('SELECT * FROM oauth_clients WHERE client_id = @clientId', {
        clientId,
      })
      return row && toClient(row)
    },
    async touch(clientId, at) {
      sql.run('UPDATE oauth_clients SET last_used_at = @at WHERE client_id = @clientId', {
        clientId,
        at,
      })
    },
    async purgeUnused(before) {
      return sql.run(
        `DELETE FROM oauth_clients WHERE created_at < @before
           AND (last_used_at IS NULL OR last_used_at < @before)`,
        { before },
      )
    },
  }
}

function pendingRequestStore(sql: Statements): PendingRequestStore {
  return {
    async create(request) {
      sql.run(
        `INSERT INTO oauth_pending_requests (id, client_id, redirect_uri, scope, state,
           code_challenge, resource, created_at, expires_at, user_id, auth_time)
         VALUES (@id, @clientId, @redirectUri, @scope, @state, @codeChallenge, @resource,
           @createdAt, @expiresAt, @userId, @authTime)`,
        { ...request },
      )
    },
    async get(id, at) {
      const row = sql.get<Row>(
        'SELECT * FROM oauth_pending_requests WHERE id = @id AND expires_at > @at',
        { id, at },
      )
      return row && toPendingRequest(row)
    },
    // biome-ignore lint/complexity/useMaxParams: the signature is fixed by PendingRequestStore
    async bindUser(id, userId, authTime, at) {
      const changes = sql.run(
        `UPDATE oauth_pending_requests SET user_id = @userId, auth_time = @authTime
         WHERE id = @id AND expires_at > @at`,
        { id, userId, authTime, at },
      )
      return changes > 0
    },
    async take(id, at) {
      // One statement: of two concurrent takes, only one deletes the row and gets it back.
      const row = sql.get<Row>(
        'DELETE FROM oauth_pending_requests WHERE id = @id AND expires_at > @at RETURNING *',
        { id, at },
      )
      return row && toPendingRequest(row)
    },
    async purgeExpired(at) {
      return sql.run('DELETE FROM oauth_pending_requests WHERE expires_at <= @at', { at })
    },
  }
}

function sessionStore(sql: Statements): SessionStore {
  return {
    async create(session) {
      sql.run(
        `INSERT INTO oauth_sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip,
           user_agent)
         VALUES (@idHash, @userId, @createdAt, @lastSeenAt, @expiresAt, @ip, @userAgent)`,
        { ...session },
      )
    },
    async get(idHash, at) {
      const row = sql.get<Row>(
        'SELECT * FROM oauth_sessions WHERE id_hash = @idHash AND expires_at > @at',
        { idHash, at },
      )
      return row && toSession(row)
    },
    async touch(idHash, at) {
      sql.run('UPDATE oauth_sessions SET last_seen_at = @at WHERE id_hash = @idHash', {
        idHash,
        at,
      })
    },
    async delete(idHash) {
      sql.run('DELETE FROM oauth_sessions WHERE id_hash = @idHash', { idHash })
    },
  }
}

function codeStore(sql: Statements): CodeStore {
  return {
    async create(code) {
      sql.transaction(() => {
        requireGrant(sql, code.grantId)
        sql.run(
          `INSERT INTO oauth_codes (code_hash, grant_id, client_id, user_id, tenant_id,
             redirect_uri, scope, resource, code_challenge, auth_time, expires_at, used_at)
           VALUES (@codeHash, @grantId, @clientId, @userId, @tenantId, @redirectUri, @scope,
             @resource, @codeChallenge, @authTime, @expiresAt, @usedAt)`,
          { ...code },
        )
      })
    },
    async consume(codeHash, at) {
      // security spec §1.4.4: the conditional UPDATE is the single point that decides the winner.
      const used = sql.get<Row>(
        `UPDATE oauth_codes SET used_at = @at
         WHERE code_hash = @codeHash AND used_at IS NULL AND expires_at > @at
         RETURNING *`,
        { codeHash, at },
      )
      if (used) return { status: 'consumed', code: toCode(used) }
      const row = sql.get<Row>('SELECT * FROM oauth_codes WHERE code_hash = @codeHash', {
        codeHash,
      })
      if (!row) return { status: 'unknown' }
      const code = toCode(row)
      return code.usedAt !== null ? { status: 'replayed', code } : { status: 'expired', code }
    },
  }
}

const revokeGrantSql = `UPDATE oauth_grants SET revoked_at = @at
  WHERE grant_id = @grantId AND revoked_at IS NULL`
const revokeRefreshTokensSql = `UPDATE oauth_refresh_tokens SET revoked_at = @at
  WHERE grant_id = @grantId AND revoked_at IS NULL`
const revokeAccessTokensSql = `UPDATE oauth_access_tokens SET revoked_at = @at
  WHERE grant_id = @grantId AND revoked_at IS NULL`

/** Revokes one grant and its tokens; returns whether the grant was live. Call in a transaction. */
function revokeGrant(sql: Statements, grantId: string, at: string): boolean {
  const changes = sql.run(revokeGrantSql, { grantId, at })
  sql.run(revokeRefreshTokensSql, { grantId, at })
  sql.run(revokeAccessTokensSql, { grantId, at })
  return changes > 0
}

function grantStore(sql: Statements): GrantStore {
  return {
    async create(grant) {
      sql.run(
        `INSERT INTO oauth_grants (grant_id, client_id, user_id, tenant_id, scope, resource,
           created_at, absolute_expires_at, revoked_at)
         VALUES (@grantId, @clientId, @userId, @tenantId, @scope, @resource, @createdAt,
           @absoluteExpiresAt, @revokedAt)`,
        { ...grant },
      )
    },
    async get(grantId) {
      const row = sql.get<Row>('SELECT * FROM oauth_grants WHERE grant_id = @grantId', {
        grantId,
      })
      return row && toGrant(row)
    },
    async revoke(grantId, at) {
      return sql.transaction(() => {
        if (!sql.get('SELECT 1 FROM oauth_grants WHERE grant_id = @grantId', { grantId })) {
          return false
        }
        revokeGrant(sql, grantId, at)
        return true
      })
    },
    async revokeForUser(userId, at, clientId) {
      return sql.transaction(() => {
        const grants = sql.all<{ grant_id: string }>(
          `SELECT grant_id FROM oauth_grants
           WHERE user_id = @userId AND (@clientId IS NULL OR client_id = @clientId)`,
          { userId, clientId: clientId ?? null },
        )
        let count = 0
        for (const grant of grants) if (revokeGrant(sql, grant.grant_id, at)) count++
        return count
      })
    },
  }
}

const insertRefreshTokenSql = `INSERT INTO oauth_refresh_tokens (token_hash, grant_id, client_id,
    user_id, tenant_id, scope, resource, created_at, expires_at, rotated_at, replaced_by,
    revoked_at)
  VALUES (@tokenHash, @grantId, @clientId, @userId, @tenantId, @scope, @resource, @createdAt,
    @expiresAt, @rotatedAt, @replacedBy, @revokedAt)`

function refreshTokenStore(sql: Statements): RefreshTokenStore {
  return {
    async create(token) {
      sql.transaction(() => {
        requireGrant(sql, token.grantId)
        sql.run(insertRefreshTokenSql, { ...token })
      })
    },
    async get(tokenHash) {
      const row = sql.get<Row>('SELECT * FROM oauth_refresh_tokens WHERE token_hash = @tokenHash', {
        tokenHash,
      })
      return row && toRefreshToken(row)
    },
    async rotate(tokenHash, successor, at) {
      return sql.transaction(() => {
        // RFC 9700 §4.14.2: only an unrotated, live token of a live grant may be exchanged; the
        // `rotated_at IS NULL` predicate makes a concurrent second exchange lose.
        const changes = sql.run(
          `UPDATE oauth_refresh_tokens SET rotated_at = @at, replaced_by = @successor
           WHERE token_hash = @tokenHash AND rotated_at IS NULL AND revoked_at IS NULL
             AND expires_at > @at
             AND EXISTS (SELECT 1 FROM oauth_grants g
               WHERE g.grant_id = oauth_refresh_tokens.grant_id AND g.revoked_at IS NULL)`,
          { tokenHash, at, successor: successor.tokenHash },
        )
        if (changes === 0) {
          const row = sql.get<{ rotated_at: string | null }>(
            'SELECT rotated_at FROM oauth_refresh_tokens WHERE token_hash = @tokenHash',
            { tokenHash },
          )
          return { status: row && row.rotated_at !== null ? 'reused' : 'invalid' } as const
        }
        requireGrant(sql, successor.grantId)
        sql.run(insertRefreshTokenSql, { ...successor })
        return { status: 'rotated' } as const
      })
    },
  }
}

function accessTokenStore(sql: Statements): AccessTokenStore {
  return {
    async record(token) {
      sql.transaction(() => {
        requireGrant(sql, token.grantId)
        sql.run(
          `INSERT INTO oauth_access_tokens (jti, grant_id, client_id, user_id, tenant_id,
             expires_at, revoked_at)
           VALUES (@jti, @grantId, @clientId, @userId, @tenantId, @expiresAt, @revokedAt)`,
          { ...token },
        )
      })
    },
    async get(jti) {
      const row = sql.get<Row>('SELECT * FROM oauth_access_tokens WHERE jti = @jti', { jti })
      return row && toAccessToken(row)
    },
    async revoke(jti, at) {
      return sql.transaction(() => {
        if (!sql.get('SELECT 1 FROM oauth_access_tokens WHERE jti = @jti', { jti })) return false
        sql.run(
          'UPDATE oauth_access_tokens SET revoked_at = @at WHERE jti = @jti AND revoked_at IS NULL',
          { jti, at },
        )
        return true
      })
    },
    async status(jti) {
      const row = sql.get<{ grant_id: string | null; revoked: number }>(
        `SELECT t.grant_id,
           (t.revoked_at IS NOT NULL OR g.revoked_at IS NOT NULL) AS revoked
         FROM oauth_access_tokens t LEFT JOIN oauth_grants g ON g.grant_id = t.grant_id
         WHERE t.jti = @jti`,
        { jti },
      )
      if (!row) return { revoked: true, grantId: null }
      return { revoked: row.revoked === 1, grantId: row.grant_id }
    },
    async purgeExpired(before) {
      return sql.run('DELETE FROM oauth_access_tokens WHERE expires_at < @before', { before })
    },
  }
}

function consentStore(sql: Statements): ConsentStore {
  return {
    // biome-ignore lint/complexity/useMaxParams: the signature is fixed by ConsentStore
    async get(userId, tenantId, clientId, resource) {
      const row = sql.get<Row>(
        `SELECT * FROM oauth_consents WHERE user_id = @userId AND tenant_id = @tenantId
           AND client_id = @clientId AND resource = @resource`,
        { userId, tenantId, clientId, resource },
      )
      return row && toConsent(row)
    },
    async put(consent) {
      sql.run(
        `INSERT INTO oauth_consents (user_id, tenant_id, client_id, resource, scope, granted_at)
         VALUES (@userId, @tenantId, @clientId, @resource, @scope, @grantedAt)
         ON CONFLICT (user_id, tenant_id, client_id, resource) DO UPDATE SET
           scope = excluded.scope, granted_at = excluded.granted_at`,
        { ...consent },
      )
    },
    async listForUser(userId) {
      return sql
        .all<Row>(
          `SELECT * FROM oauth_consents WHERE user_id = @userId
           ORDER BY granted_at, tenant_id, client_id, resource`,
          { userId },
        )
        .map(toConsent)
    },
    async delete(userId, clientId) {
      return sql.run(
        'DELETE FROM oauth_consents WHERE user_id = @userId AND client_id = @clientId',
        { userId, clientId },
      )
    },
  }
}

/**
 * Creates an {@link OAuthStore} over a SQLite database that has `oauthMigrations` applied (by
 * the application's runner or `applyOAuthMigrations`). Open it with `foreign_keys = ON`, and in
 * WAL mode with a busy timeout when several processes share the file.
 *
 * @example
 * ```ts
 * const db = new Database('pierre.db')
 * applyOAuthMigrations(db)
 * const store = createSqliteOAuthStore(db)
 * ```
 */
export function createSqliteOAuthStore(db: SqliteDatabase): OAuthStore {
  const sql = createStatements(db)
  return {
    clients: clientStore(sql),
    pendingRequests: pendingRequestStore(sql),
    sessions: sessionStore(sql),
    codes: codeStore(sql),
    grants: grantStore(sql),
    refreshTokens: refreshTokenStore(sql),
    accessTokens: accessTokenStore(sql),
    consents: consentStore(sql),
  }
}
