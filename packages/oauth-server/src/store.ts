/**
 * Storage of the authorization server (security spec §1.3–§1.7). Every secret the server hands out
 * (client secrets, codes, refresh tokens, session ids) is stored only as a hash computed by the
 * server; the store never sees a clear value. Times are ISO-8601 strings in UTC (`toISOString()`),
 * so that they sort as text in SQL.
 *
 * Implementations: {@link createMemoryOAuthStore} (tests, single process) and
 * `createSqliteOAuthStore` from `@pierre/oauth-server/sqlite`. Both pass the contract suite of
 * `@pierre/oauth-server/testing`.
 */

/** How a client authenticates at the token endpoint. */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post'

/** Grants a client may use. */
export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials'

/** A registered client (`oauth_clients`). */
export interface ClientRecord {
  /** `mcp_client_` + 32 lowercase hex characters. */
  readonly clientId: string
  /** HMAC-SHA-256 of the secret (hex); null for public clients. */
  readonly secretHash: string | null
  readonly authMethod: TokenEndpointAuthMethod
  readonly redirectUris: readonly string[]
  readonly grantTypes: readonly GrantType[]
  /** Space-separated scopes the client may ever request; null = no cap. */
  readonly scope: string | null
  readonly clientName: string | null
  readonly clientUri: string | null
  readonly logoUri: string | null
  readonly tosUri: string | null
  readonly policyUri: string | null
  readonly softwareId: string | null
  readonly softwareVersion: string | null
  readonly createdAt: string
  readonly lastUsedAt: string | null
  /** `dcr`: dynamic registration (self-asserted metadata); `admin`: provisioned by an admin. */
  readonly source: 'dcr' | 'admin'
  /** Tenant an admin-provisioned machine client is bound to (client_credentials). */
  readonly tenantId: string | null
}

/** An authorization request waiting for login and consent (`oauth_pending_requests`). */
export interface PendingRequestRecord {
  /** 128-bit random, base64url. */
  readonly id: string
  readonly clientId: string
  readonly redirectUri: string
  /** Space-separated, validated scopes. */
  readonly scope: string
  /** The client's `state`, echoed on the redirect; null when not sent. */
  readonly state: string | null
  readonly codeChallenge: string
  /** The resource (RFC 8707) the token will be bound to. */
  readonly resource: string
  readonly createdAt: string
  readonly expiresAt: string
  /** The user who logged in for this request (set at login, or at authorize with a live session). */
  readonly userId: string | null
  /** When that user authenticated. */
  readonly authTime: string | null
}

/** A browser session of the login pages (`oauth_sessions`). */
export interface SessionRecord {
  /** SHA-256 (hex) of the opaque session id. */
  readonly idHash: string
  readonly userId: string
  readonly createdAt: string
  readonly lastSeenAt: string
  /** Absolute expiry (12 h after creation). */
  readonly expiresAt: string
  readonly ip: string | null
  readonly userAgent: string | null
}

/** An authorization code (`oauth_codes`). */
export interface CodeRecord {
  /** SHA-256 (hex) of the code. */
  readonly codeHash: string
  readonly grantId: string
  readonly clientId: string
  readonly userId: string
  readonly tenantId: string
  readonly redirectUri: string
  readonly scope: string
  readonly resource: string
  readonly codeChallenge: string
  readonly authTime: string | null
  readonly expiresAt: string
  readonly usedAt: string | null
}

/** Outcome of {@link CodeStore.consume}. */
export type CodeConsumeResult =
  | { readonly status: 'consumed'; readonly code: CodeRecord }
  /** The code exists but was already used: a replay. */
  | { readonly status: 'replayed'; readonly code: CodeRecord }
  | { readonly status: 'expired'; readonly code: CodeRecord }
  | { readonly status: 'unknown' }

/** A grant: one consent-backed authorization of a client by a user (`oauth_grants`). */
export interface GrantRecord {
  readonly grantId: string
  readonly clientId: string
  /** The user; for client_credentials, the client id. */
  readonly userId: string
  readonly tenantId: string
  readonly scope: string
  readonly resource: string
  readonly createdAt: string
  /** After this the user must consent again (90 days). */
  readonly absoluteExpiresAt: string
  readonly revokedAt: string | null
}

/** A refresh token (`oauth_refresh_tokens`). */
export interface RefreshTokenRecord {
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string
  readonly grantId: string
  readonly clientId: string
  readonly userId: string
  readonly tenantId: string
  readonly scope: string
  readonly resource: string
  readonly createdAt: string
  readonly expiresAt: string
  readonly rotatedAt: string | null
  /** Hash of the successor once rotated. */
  readonly replacedBy: string | null
  readonly revokedAt: string | null
}

/** Outcome of {@link RefreshTokenStore.rotate}. */
export type RotateResult =
  | { readonly status: 'rotated' }
  /** The presented token was already rotated (or lost a concurrent race): reuse. */
  | { readonly status: 'reused' }
  /** Unknown, revoked, or expired at `at`. */
  | { readonly status: 'invalid' }

/** An issued access token, recorded for revocation (`oauth_access_tokens`). */
export interface AccessTokenRecord {
  readonly jti: string
  readonly grantId: string | null
  readonly clientId: string
  readonly userId: string
  readonly tenantId: string
  readonly expiresAt: string
  readonly revokedAt: string | null
}

/** Revocation state of an access token, for the per-request check of the resource server. */
export interface AccessTokenStatus {
  /** The `jti` is unknown, revoked, or its grant is revoked. */
  readonly revoked: boolean
  readonly grantId: string | null
}

/** A remembered consent (`oauth_consents`), keyed by user, tenant, client and resource. */
export interface ConsentRecord {
  readonly userId: string
  readonly tenantId: string
  readonly clientId: string
  readonly resource: string
  /** Space-separated scopes the user allowed. */
  readonly scope: string
  readonly grantedAt: string
}

export interface ClientStore {
  /** @throws when the id exists. */
  create(client: ClientRecord): Promise<void>
  get(clientId: string): Promise<ClientRecord | undefined>
  /** Sets `lastUsedAt`. */
  touch(clientId: string, at: string): Promise<void>
  /** Deletes clients created before `before` and unused since then; returns how many. */
  purgeUnused(before: string): Promise<number>
}

export interface PendingRequestStore {
  create(request: PendingRequestRecord): Promise<void>
  /** A live request (`expiresAt` > `at`), else undefined. */
  get(id: string, at: string): Promise<PendingRequestRecord | undefined>
  /** Records who logged in; false when the request is gone or expired. */
  bindUser(id: string, userId: string, authTime: string, at: string): Promise<boolean>
  /**
   * Deletes and returns a live request atomically: of two concurrent takes, exactly one gets it.
   */
  take(id: string, at: string): Promise<PendingRequestRecord | undefined>
  /** Deletes expired requests; returns how many. */
  purgeExpired(at: string): Promise<number>
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>
  /** A session whose `expiresAt` > `at`, else undefined. */
  get(idHash: string, at: string): Promise<SessionRecord | undefined>
  touch(idHash: string, at: string): Promise<void>
  delete(idHash: string): Promise<void>
}

export interface CodeStore {
  create(code: CodeRecord): Promise<void>
  /**
   * Marks the code used at `at` in one atomic step (`UPDATE … WHERE used_at IS NULL AND
   * expires_at > at`): of concurrent consumers exactly one gets `consumed`; the others `replayed`.
   */
  consume(codeHash: string, at: string): Promise<CodeConsumeResult>
}

export interface GrantStore {
  create(grant: GrantRecord): Promise<void>
  get(grantId: string): Promise<GrantRecord | undefined>
  /**
   * Revokes the grant, every refresh token and every recorded access token of it, in one
   * transaction. Idempotent; false when the grant does not exist.
   */
  revoke(grantId: string, at: string): Promise<boolean>
  /** Revokes every grant of a user (optionally only those of one client); returns how many. */
  revokeForUser(userId: string, at: string, clientId?: string): Promise<number>
}

export interface RefreshTokenStore {
  create(token: RefreshTokenRecord): Promise<void>
  get(tokenHash: string): Promise<RefreshTokenRecord | undefined>
  /**
   * In one transaction: if the token is live (not rotated, not revoked, not expired at `at`, grant
   * not revoked), mark it rotated (`rotatedAt = at, replacedBy = successor.tokenHash`) and insert
   * the successor. A token already rotated → `reused` (nothing written).
   */
  rotate(tokenHash: string, successor: RefreshTokenRecord, at: string): Promise<RotateResult>
}

export interface AccessTokenStore {
  record(token: AccessTokenRecord): Promise<void>
  get(jti: string): Promise<AccessTokenRecord | undefined>
  /** Revokes one `jti`; idempotent; false when unknown. */
  revoke(jti: string, at: string): Promise<boolean>
  /** Revoked when the jti is unknown, revoked, or belongs to a revoked grant. */
  status(jti: string): Promise<AccessTokenStatus>
  /** Deletes records that expired before `before`; returns how many. */
  purgeExpired(before: string): Promise<number>
}

export interface ConsentStore {
  get(
    userId: string,
    tenantId: string,
    clientId: string,
    resource: string,
  ): Promise<ConsentRecord | undefined>
  /** Inserts or replaces the consent of (user, tenant, client, resource). */
  put(consent: ConsentRecord): Promise<void>
  listForUser(userId: string): Promise<readonly ConsentRecord[]>
  /** Deletes the user's consents to a client; returns how many. */
  delete(userId: string, clientId: string): Promise<number>
}

/** Everything the authorization server stores. */
export interface OAuthStore {
  readonly clients: ClientStore
  readonly pendingRequests: PendingRequestStore
  readonly sessions: SessionStore
  readonly codes: CodeStore
  readonly grants: GrantStore
  readonly refreshTokens: RefreshTokenStore
  readonly accessTokens: AccessTokenStore
  readonly consents: ConsentStore
}
