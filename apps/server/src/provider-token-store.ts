import { randomUUID } from 'node:crypto'
import {
  type ConnectionKey,
  type ConnectionStatus,
  ProviderError,
  type StoredConnection,
  type TokenStore,
} from '@pierre/providers-core'
import type { RequestContext, Tenancy } from '@pierre/tenancy'

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
        'provider connections need a user account (not available in local single-user mode)',
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
