import { randomUUID } from 'node:crypto'
import {
  type ConnectionKey,
  type ConnectionStatus,
  ProviderError,
  type StoredConnection,
  type TokenStore,
} from '@pierre/providers-core'
import type { Keyring, RequestContext, Tenancy } from '@pierre/tenancy'
import type Database from 'better-sqlite3'

const STATUSES: ReadonlySet<string> = new Set(['connected', 'needs_reauth', 'insufficient_scope'])

/**
 * The token type column keeps the connection's status when it is not `connected`
 * (`bearer;status=needs_reauth;reason=invalid_grant`), so a refused refresh survives a restart.
 */
function encodeTokenType(connection: StoredConnection): string {
  if (connection.status === 'connected') return connection.tokenType
  const reason =
    connection.statusReason === undefined
      ? ''
      : `;reason=${encodeURIComponent(connection.statusReason)}`
  return `${connection.tokenType};status=${connection.status}${reason}`
}

function decodeTokenType(value: string): {
  tokenType: string
  status: ConnectionStatus
  statusReason: string | undefined
} {
  const [tokenType = 'bearer', ...parameters] = value.split(';')
  let status: ConnectionStatus = 'connected'
  let statusReason: string | undefined
  for (const parameter of parameters) {
    const [name, raw = ''] = parameter.split('=', 2)
    if (name === 'status' && STATUSES.has(raw)) status = raw as ConnectionStatus
    if (name === 'reason') statusReason = decodeURIComponent(raw)
  }
  return { tokenType, status, statusReason }
}

/**
 * providers-core's `TokenStore` port over tenancy's `ProviderTokenVault`: tokens are encrypted at
 * rest under the tenant's data key and bound to tenant, user and provider. Each call builds a
 * request context for the connection's tenant and user (the user must be an active member).
 */
export function createVaultTokenStore(tenancy: Tenancy): TokenStore {
  async function contextFor(key: ConnectionKey): Promise<RequestContext> {
    const result = await tenancy.authenticator.contextFor({
      tenantId: key.tenantId,
      userId: key.userId,
      credential: { kind: 'session', sessionId: `provider-tokens:${key.provider}` },
      requestId: randomUUID(),
      transport: 'http',
    })
    if (!result.ok) {
      throw new ProviderError(
        'not_connected',
        'provider connections need an active member of the tenant',
        { provider: key.provider, details: { reason: result.error.code } },
      )
    }
    return result.context
  }

  return {
    async get(key) {
      const ctx = await contextFor(key)
      const tokens = await tenancy.providerTokens.get(ctx, key.provider)
      if (tokens === undefined) return undefined
      const updatedAt =
        (await tenancy.providerTokens.list(ctx)).find(
          (connection) => connection.provider === key.provider,
        )?.updatedAt ?? new Date().toISOString()
      const { tokenType, status, statusReason } = decodeTokenType(tokens.tokenType)
      return {
        tenantId: key.tenantId,
        userId: key.userId,
        provider: key.provider,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? undefined,
        tokenType,
        expiresAt: tokens.expiresAt ?? undefined,
        scopes: tokens.scope === null ? [] : tokens.scope.split(' ').filter(Boolean),
        providerUserId: tokens.providerUserId ?? undefined,
        status,
        statusReason,
        connectedAt: updatedAt,
        updatedAt,
      }
    },

    async put(connection) {
      const ctx = await contextFor(connection)
      await tenancy.providerTokens.save(ctx, connection.provider, {
        accessToken: connection.accessToken,
        refreshToken: connection.refreshToken ?? null,
        tokenType: encodeTokenType(connection),
        scope: connection.scopes.length === 0 ? null : connection.scopes.join(' '),
        expiresAt: connection.expiresAt ?? null,
        providerUserId: connection.providerUserId ?? null,
      })
    },

    async delete(key) {
      const ctx = await contextFor(key)
      return tenancy.providerTokens.delete(ctx, key.provider)
    },
  }
}

interface LocalRow {
  access_token_enc: string
  refresh_token_enc: string | null
  token_type: string
  scope: string | null
  expires_at: string | null
  provider_user_id: string | null
  status: string
  status_reason: string | null
  connected_at: string
  updated_at: string
}

const localAad = (key: ConnectionKey, column: string) => ({
  purpose: `local_provider_tokens.${column}`,
  tenantId: key.tenantId,
  userId: key.userId,
  provider: key.provider,
})

/**
 * Tokens of principals that have no user account (the owner of local single-user mode), in the
 * server's `local_provider_tokens`: encrypted like the vault's (AES-256-GCM under the tenant's data
 * key, AAD bound to tenant, user, provider and column), every statement bound to tenant and user.
 */
export function createLocalTokenStore(db: Database.Database, keyring: Keyring): TokenStore {
  const where = 'tenant_id = ? AND user_id = ? AND provider = ?'
  const select = db.prepare(`SELECT * FROM local_provider_tokens WHERE ${where}`)
  const upsert = db.prepare(
    `INSERT INTO local_provider_tokens
       (tenant_id, user_id, provider, access_token_enc, refresh_token_enc, token_type, scope,
        expires_at, provider_user_id, status, status_reason, connected_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, user_id, provider) DO UPDATE SET
       access_token_enc = excluded.access_token_enc, refresh_token_enc = excluded.refresh_token_enc,
       token_type = excluded.token_type, scope = excluded.scope, expires_at = excluded.expires_at,
       provider_user_id = excluded.provider_user_id, status = excluded.status,
       status_reason = excluded.status_reason, updated_at = excluded.updated_at`,
  )
  const remove = db.prepare(`DELETE FROM local_provider_tokens WHERE ${where}`)
  const bind = (key: ConnectionKey) => [key.tenantId, key.userId, key.provider] as const

  return {
    async get(key) {
      const row = select.get(...bind(key)) as LocalRow | undefined
      if (row === undefined) return undefined
      return {
        tenantId: key.tenantId,
        userId: key.userId,
        provider: key.provider,
        accessToken: await keyring.decryptText(localAad(key, 'access_token'), row.access_token_enc),
        refreshToken:
          row.refresh_token_enc === null
            ? undefined
            : await keyring.decryptText(localAad(key, 'refresh_token'), row.refresh_token_enc),
        tokenType: row.token_type,
        expiresAt: row.expires_at ?? undefined,
        scopes: row.scope === null ? [] : row.scope.split(' ').filter(Boolean),
        providerUserId: row.provider_user_id ?? undefined,
        status: STATUSES.has(row.status) ? (row.status as ConnectionStatus) : 'needs_reauth',
        statusReason: row.status_reason ?? undefined,
        connectedAt: row.connected_at,
        updatedAt: row.updated_at,
      }
    },

    async put(connection) {
      const access = await keyring.encrypt(
        localAad(connection, 'access_token'),
        connection.accessToken,
      )
      const refresh =
        connection.refreshToken === undefined
          ? null
          : await keyring.encrypt(localAad(connection, 'refresh_token'), connection.refreshToken)
      upsert.run(
        ...bind(connection),
        access,
        refresh,
        connection.tokenType,
        connection.scopes.length === 0 ? null : connection.scopes.join(' '),
        connection.expiresAt ?? null,
        connection.providerUserId ?? null,
        connection.status,
        connection.statusReason ?? null,
        connection.connectedAt,
        connection.updatedAt,
      )
    },

    async delete(key) {
      return remove.run(...bind(key)).changes > 0
    },
  }
}

/**
 * One `TokenStore` for the server: account-less principals (the local owner) go to
 * {@link createLocalTokenStore}, users to tenancy's vault.
 */
export function routeTokenStore(options: {
  readonly vault: TokenStore
  readonly local: TokenStore
  readonly isAccountless: (userId: string) => boolean
}): TokenStore {
  const pick = (key: ConnectionKey) =>
    options.isAccountless(key.userId) ? options.local : options.vault
  return {
    get: (key) => pick(key).get(key),
    put: (connection) => pick(connection).put(connection),
    delete: (key) => pick(key).delete(key),
  }
}
