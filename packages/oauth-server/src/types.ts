/** The outcome of {@link UserAuthenticator.login}. */
export type LoginOutcome =
  | { readonly ok: true; readonly userId: string }
  | {
      readonly ok: false
      /**
       * `invalid_credentials`: unknown email or wrong password (one answer for both);
       * `not_active`: the password verified but the account is pending or suspended;
       * `locked`: too many failures, the password was not checked.
       */
      readonly reason: 'invalid_credentials' | 'not_active' | 'locked'
      readonly retryAfterSeconds?: number
    }

/** A tenant the user can act in. */
export interface TenantChoice {
  readonly id: string
  readonly name: string
}

/**
 * How the authorization server checks people. The application implements it over its user store
 * (Pierre: `@pierre/tenancy`); the server never sees password hashes.
 */
export interface UserAuthenticator {
  /**
   * Verifies an email and password. Implementations normalise the email, run one password-hash
   * verification even for an unknown email (no timing oracle), and own the per-email lock-out.
   */
  login(input: { readonly email: string; readonly password: string }): Promise<LoginOutcome>
  /** The tenants the user is an active member of (consent lets the user pick one). */
  tenantsOf(userId: string): Promise<readonly TenantChoice[]>
  /** True when the user is active and an active member of an active tenant. */
  isActiveMember(userId: string, tenantId: string): Promise<boolean>
  /** How to name the user on the consent page (email or display name). */
  describe?(userId: string): Promise<string | undefined>
}

/** Input of {@link SigningKeyProvider.issueAccessToken}. */
export interface AccessTokenInput {
  /** `sub`: the user id (the client id for client_credentials). */
  readonly subject: string
  /** `aud`: the one resource the grant was made for. */
  readonly audience: string
  /** `tenant`. */
  readonly tenantId: string
  /** `client_id`. */
  readonly clientId: string
  readonly scopes: readonly string[]
  /** `auth_time`. */
  readonly authTime?: Date
}

/** Claims the server reads back from a verified access token (RFC 9068 profile). */
export interface VerifiedClaims {
  readonly iss: string
  readonly sub: string
  readonly aud: string | readonly string[]
  readonly exp: number
  readonly iat: number
  readonly nbf: number
  readonly jti: string
  readonly scope?: string
  readonly client_id: string
  readonly tenant: string
}

/**
 * Signs and verifies access tokens (`typ: at+jwt`, RS256) and publishes the public keys.
 * `@pierre/tenancy`'s token service and signing keys implement it; {@link createLocalSigner} is a
 * self-contained one for development and tests.
 */
export interface SigningKeyProvider {
  issueAccessToken(
    input: AccessTokenInput,
  ): Promise<{ readonly token: string; readonly jti: string; readonly expiresAt: Date }>
  /**
   * Verifies signature, `typ`, issuer, audience (must contain `audience`), lifetime and required
   * claims. Throws on any failure; the error's `message` is a short reason that never echoes the
   * token.
   */
  verifyAccessToken(
    token: string,
    options: { readonly audience: string },
  ): Promise<{ readonly claims: VerifiedClaims }>
  /** The JWKS document (public members only) and its strong ETag. */
  getJwks(): Promise<{
    readonly document: { readonly keys: readonly object[] }
    readonly etag: string
  }>
}

/** A rate limiter: `@pierre/tenancy`'s `RateLimiter.consume` fits. */
export interface OAuthRateLimiter {
  consume(
    key: string,
    policy: { readonly limit: number; readonly windowSeconds: number },
  ): Promise<{ readonly allowed: boolean; readonly retryAfterSeconds: number }>
}

/** Structured logger (pino-compatible). Nothing secret is ever passed to it. */
export interface OAuthLogger {
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

/** Security-relevant events (the application writes them to its audit log). */
export interface OAuthAuditEvent {
  readonly action:
    | 'oauth.client_registered'
    | 'oauth.login_succeeded'
    | 'oauth.login_failed'
    | 'oauth.consent_granted'
    | 'oauth.consent_denied'
    | 'oauth.code_replay'
    | 'oauth.refresh_reuse'
    | 'oauth.token_revoked'
    | 'oauth.grant_revoked'
  readonly clientId?: string
  readonly userId?: string
  readonly tenantId?: string
  readonly grantId?: string
}
