import { assertRequestContext, type RequestContext } from './context.js'
import type { AadParts, Keyring } from './crypto/keyring.js'
import { TenancyError } from './errors.js'
import { systemNow } from './internal/defaults.js'
import type { ProviderTokenRecord, ProviderTokenStore } from './stores/types.js'
import type { Now } from './types.js'

/** A user's decrypted provider tokens; hold them only for the call that needs them. */
export interface ProviderTokens {
  readonly accessToken: string
  readonly refreshToken: string | null
  readonly tokenType: string
  readonly scope: string | null
  /** ISO 8601 instant. */
  readonly expiresAt: string | null
  readonly providerUserId: string | null
}

/** What may be shown about a connection: never a token (spec §2.3). */
export interface ProviderConnection {
  readonly provider: string
  readonly connected: true
  readonly scope: string | null
  readonly expiresAt: string | null
  readonly providerUserId: string | null
  readonly updatedAt: string
}

/** Options of {@link createProviderTokenVault}. */
export interface ProviderTokenVaultOptions {
  /** Stores the ciphertexts. */
  readonly store: ProviderTokenStore
  /** Encrypts under the tenant's data key. */
  readonly keyring: Keyring
  /** Clock. */
  readonly now?: Now
}

/**
 * Users' provider tokens, encrypted at rest (spec §2.6): AES-256-GCM under the tenant's data key,
 * bound to tenant, user, provider and column, so a ciphertext copied to another row never
 * decrypts (T-29). Tenant and user always come from the context.
 */
export interface ProviderTokenVault {
  /** Encrypts and stores (or replaces) the caller's tokens for a provider, both columns at once. */
  save(ctx: RequestContext, provider: string, tokens: ProviderTokens): Promise<ProviderConnection>
  /**
   * Decrypts the caller's tokens for a provider; undefined when not connected.
   * @throws `decryption_failed` when a ciphertext was tampered with or moved.
   */
  get(ctx: RequestContext, provider: string): Promise<ProviderTokens | undefined>
  /** Lists the caller's connections without tokens. */
  list(ctx: RequestContext): Promise<readonly ProviderConnection[]>
  /** Disconnects: deletes the caller's row; false when absent. */
  delete(ctx: RequestContext, provider: string): Promise<boolean>
}

function aad(ctx: RequestContext, provider: string, column: string): AadParts {
  return {
    purpose: `provider_tokens.${column}`,
    tenantId: ctx.tenantId,
    userId: ctx.userId,
    provider,
  }
}

function connection(record: ProviderTokenRecord): ProviderConnection {
  return {
    provider: record.provider,
    connected: true,
    scope: record.scope,
    expiresAt: record.expiresAt,
    providerUserId: record.providerUserId,
    updatedAt: record.updatedAt,
  }
}

/** Creates the provider-token vault. */
export function createProviderTokenVault(options: ProviderTokenVaultOptions): ProviderTokenVault {
  const { store, keyring } = options
  const now = options.now ?? systemNow
  const checkProvider = (provider: string): void => {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(provider)) {
      throw new TenancyError('invalid_argument', 'provider must be a lower-case identifier')
    }
  }
  return {
    async save(ctx, provider, tokens) {
      assertRequestContext(ctx)
      checkProvider(provider)
      const at = now().toISOString()
      const record = await store.put(ctx, {
        provider,
        accessTokenEnc: await keyring.encrypt(
          aad(ctx, provider, 'access_token'),
          tokens.accessToken,
        ),
        refreshTokenEnc:
          tokens.refreshToken === null
            ? null
            : await keyring.encrypt(aad(ctx, provider, 'refresh_token'), tokens.refreshToken),
        tokenType: tokens.tokenType,
        scope: tokens.scope,
        expiresAt: tokens.expiresAt,
        providerUserId: tokens.providerUserId,
        createdAt: at,
        updatedAt: at,
      })
      return connection(record)
    },

    async get(ctx, provider) {
      assertRequestContext(ctx)
      checkProvider(provider)
      const record = await store.get(ctx, provider)
      if (!record) return undefined
      return {
        accessToken: await keyring.decryptText(
          aad(ctx, provider, 'access_token'),
          record.accessTokenEnc,
        ),
        refreshToken:
          record.refreshTokenEnc === null
            ? null
            : await keyring.decryptText(
                aad(ctx, provider, 'refresh_token'),
                record.refreshTokenEnc,
              ),
        tokenType: record.tokenType,
        scope: record.scope,
        expiresAt: record.expiresAt,
        providerUserId: record.providerUserId,
      }
    },

    async list(ctx) {
      return (await store.list(ctx)).map(connection)
    },

    async delete(ctx, provider) {
      checkProvider(provider)
      return store.delete(ctx, provider)
    },
  }
}
