/** Which connection: one tenant's user at one provider. */
export interface ConnectionKey {
  readonly tenantId: string
  readonly userId: string
  /** Provider registry name, lower-case. */
  readonly provider: string
}

/**
 * The state of a stored connection (`specs/providers.md` §9): `connected`, `needs_reauth` (a refresh
 * was refused or consent withdrawn; tokens are kept until the user reconnects or disconnects) or
 * `insufficient_scope` (the user did not grant a required scope). No stored connection means
 * disconnected.
 */
export type ConnectionStatus = 'connected' | 'needs_reauth' | 'insufficient_scope'

/** The tokens and metadata of one connection, as a {@link TokenStore} keeps them. */
export interface StoredConnection extends ConnectionKey {
  readonly accessToken: string
  readonly refreshToken: string | undefined
  /** Lower-case token type, `bearer` for every provider so far. */
  readonly tokenType: string
  /** When the access token expires, ISO UTC; `undefined` when the provider did not say. */
  readonly expiresAt: string | undefined
  /** Scopes the user actually granted. */
  readonly scopes: readonly string[]
  /** The user's id at the provider (Strava athlete id, Fitbit `user_id`, COROS `openId`). */
  readonly providerUserId: string | undefined
  readonly status: ConnectionStatus
  /** Why the status is not `connected` (an OAuth error code such as `invalid_grant`). */
  readonly statusReason: string | undefined
  /** When the connection was first made, ISO UTC. */
  readonly connectedAt: string
  /** When the tokens or status last changed, ISO UTC. */
  readonly updatedAt: string
}

/**
 * The port through which tokens are stored; `@pierre/tenancy` implements it with encryption at
 * rest. Implementations must return what was last `put` for a key and keep keys of different
 * tenants apart.
 */
export interface TokenStore {
  /** Returns the connection, or `undefined` when there is none. */
  get(key: ConnectionKey): Promise<StoredConnection | undefined>
  /** Creates or replaces the connection of `connection`'s key. */
  put(connection: StoredConnection): Promise<void>
  /** Removes the connection; resolves to whether one existed. */
  delete(key: ConnectionKey): Promise<boolean>
}

/** Options of {@link AccessTokenSource.getAccessToken}. */
export interface AccessTokenOptions {
  /** Refreshes even when the token does not look expired (after a 401). */
  readonly forceRefresh?: boolean
  /**
   * The token the provider just refused. A forced refresh is skipped when the stored token already
   * differs from it (another caller refreshed meanwhile).
   */
  readonly rejectedToken?: string
  readonly signal?: AbortSignal
}

/** Hands out a valid access token for one connection, refreshing it when needed. */
export interface AccessTokenSource {
  /**
   * Returns a usable access token.
   *
   * @throws ProviderError `not_connected`, `reauth_required` or `upstream_unavailable`.
   */
  getAccessToken(options?: AccessTokenOptions): Promise<string>
}

/** Provider-specific members read from a token response by a {@link TokenResponseReader}. */
export interface TokenResponseFields {
  readonly accessToken?: string
  readonly refreshToken?: string
  readonly tokenType?: string
  /** Absolute expiry, ISO UTC (Strava `expires_at`). Wins over `expires_in`. */
  readonly expiresAt?: string
  /** Lifetime in seconds, when the body uses another name than `expires_in`. */
  readonly expiresInSeconds?: number
  readonly scopes?: readonly string[]
  readonly providerUserId?: string
}

/**
 * Reads the members of a token response that oauth4webapi does not know (Strava `expires_at` and
 * `athlete.id`, COROS `accessToken`/`openId`). Returned fields override the standard ones.
 */
export type TokenResponseReader = (body: Readonly<Record<string, unknown>>) => TokenResponseFields
