import { randomBytes } from 'node:crypto'
import { decodeProtectedHeader, errors, jwtVerify } from 'jose'
import { TenancyError } from './errors.js'
import { systemNow } from './internal/defaults.js'
import type { SigningKeys } from './keys/signing-keys.js'
import { allScopes, type Now, type Scope } from './types.js'

/** Claims of an access token (RFC 9068 profile, spec §1.6). Nothing else is put in. */
export interface AccessTokenClaims {
  readonly iss: string
  /** User id. */
  readonly sub: string
  readonly aud: string | readonly string[]
  readonly exp: number
  readonly iat: number
  readonly nbf: number
  /** 128-bit random, base64url. */
  readonly jti: string
  /** Space-delimited scopes. */
  readonly scope: string
  readonly client_id: string
  /** Tenant the grant acts in. */
  readonly tenant: string
  readonly auth_time?: number
}

/** Why a token was refused; also the `error_description` theme. */
export type TokenRejectionReason =
  | 'malformed'
  | 'too_large'
  | 'algorithm_not_allowed'
  | 'unsupported_header'
  | 'unknown_key'
  | 'invalid_signature'
  | 'wrong_type'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'lifetime_too_long'
  | 'audience_mismatch'
  | 'issuer_mismatch'
  | 'missing_claim'

const descriptions: Readonly<Record<TokenRejectionReason, string>> = {
  malformed: 'malformed token',
  too_large: 'token too large',
  algorithm_not_allowed: 'algorithm not allowed',
  unsupported_header: 'unsupported header parameter',
  unknown_key: 'unknown signing key',
  invalid_signature: 'signature verification failed',
  wrong_type: 'token type must be at+jwt',
  expired: 'token expired',
  not_yet_valid: 'token not yet valid',
  issued_in_future: 'token issued in the future',
  lifetime_too_long: 'token lifetime too long',
  audience_mismatch: 'audience mismatch',
  issuer_mismatch: 'issuer mismatch',
  missing_claim: 'required claim missing',
}

/** Input of {@link TokenService.issueAccessToken}. */
export interface IssueAccessTokenInput {
  /** User id (`sub`). */
  readonly subject: string
  /** The one resource the grant was made for (`aud`), e.g. `https://pierre.example.com/mcp`. */
  readonly audience: string
  /** Tenant the grant acts in (`tenant`). */
  readonly tenantId: string
  /** OAuth client (`client_id`). */
  readonly clientId: string
  /** Granted scopes. */
  readonly scopes: readonly Scope[]
  /** When the user authenticated (`auth_time`). */
  readonly authTime?: Date
  /** Lifetime in seconds; default the service's TTL, at most `maxLifetimeSeconds`. */
  readonly ttlSeconds?: number
}

/** An issued token. */
export interface IssuedAccessToken {
  /** The compact JWS. */
  readonly token: string
  readonly jti: string
  readonly expiresAt: Date
  readonly claims: AccessTokenClaims
}

/** A verified token. */
export interface VerifiedAccessToken {
  readonly claims: AccessTokenClaims
  /** Key that verified it. */
  readonly kid: string
  /** Scopes parsed from `scope`, unknown ones dropped. */
  readonly scopes: readonly Scope[]
}

/** Options of {@link createTokenService}. */
export interface TokenServiceOptions {
  /** Keys to sign and verify with. */
  readonly signingKeys: SigningKeys
  /** Exact issuer URL (`PIERRE_PUBLIC_URL`); compared exactly, a trailing slash matters. */
  readonly issuer: string
  /** Clock. */
  readonly now?: Now
  /** Default access-token lifetime; default 3600 s (spec §1.8). */
  readonly accessTokenTtlSeconds?: number
  /** Longest accepted `exp - iat`; default the TTL. */
  readonly maxLifetimeSeconds?: number
  /** Clock skew tolerated on `exp`, `nbf` and `iat`; default 30 s (spec §1.6). */
  readonly clockToleranceSeconds?: number
  /** Largest accepted token; default 8192 bytes. */
  readonly maxTokenBytes?: number
}

/** Issues and verifies RS256 access tokens. */
export interface TokenService {
  /** Signs an access token with the active key (`typ: at+jwt`). */
  issueAccessToken(input: IssueAccessTokenInput): Promise<IssuedAccessToken>
  /**
   * Verifies a token: size and shape, `alg` allow-list (RS256 only, never from the header), key by
   * `kid` from our own key set only (`jku`, `jwk`, `x5u`, `x5c` refused, never fetched), `typ`
   * `at+jwt`, exact issuer, audience containing `audience`, every required claim, `exp`/`nbf`/`iat`
   * with the tolerance, and `exp - iat` within the maximum lifetime.
   * @throws `invalid_token` with `details.reason` ({@link TokenRejectionReason}); the message is a
   *   short description fit for `error_description` and never echoes the token.
   */
  verifyAccessToken(
    token: string,
    options: { readonly audience: string },
  ): Promise<VerifiedAccessToken>
}

const kidPattern = /^[A-Za-z0-9_-]{1,128}$/
const forbiddenHeaders = ['jku', 'jwk', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const

/** Creates the access-token service. */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { signingKeys, issuer } = options
  const now = options.now ?? systemNow
  const ttl = options.accessTokenTtlSeconds ?? 3600
  const maxLifetime = options.maxLifetimeSeconds ?? ttl
  const tolerance = options.clockToleranceSeconds ?? 30
  const maxBytes = options.maxTokenBytes ?? 8192

  return {
    async issueAccessToken(input) {
      const lifetime = input.ttlSeconds ?? ttl
      if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > maxLifetime) {
        throw new TenancyError(
          'invalid_argument',
          `token lifetime must be 1 to ${maxLifetime} seconds, received ${lifetime}`,
        )
      }
      const iat = Math.floor(now().getTime() / 1000)
      const jti = randomBytes(16).toString('base64url')
      const claims: AccessTokenClaims = {
        iss: issuer,
        sub: input.subject,
        aud: input.audience,
        exp: iat + lifetime,
        iat,
        nbf: iat,
        jti,
        scope: input.scopes.join(' '),
        client_id: input.clientId,
        tenant: input.tenantId,
        ...(input.authTime ? { auth_time: Math.floor(input.authTime.getTime() / 1000) } : {}),
      }
      const token = await signingKeys.sign({ ...claims, aud: input.audience }, { typ: 'at+jwt' })
      return { token, jti, expiresAt: new Date(claims.exp * 1000), claims }
    },

    async verifyAccessToken(token, verifyOptions) {
      if (token.length > maxBytes) throw reject('too_large')
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) throw reject('malformed')
      let header: Record<string, unknown>
      try {
        header = decodeProtectedHeader(token) as Record<string, unknown>
      } catch {
        throw reject('malformed')
      }
      if (header.alg !== 'RS256') throw reject('algorithm_not_allowed')
      if (forbiddenHeaders.some((name) => name in header)) throw reject('unsupported_header')
      const kid = header.kid
      if (typeof kid !== 'string' || !kidPattern.test(kid)) throw reject('unknown_key')
      const key = await signingKeys.getVerificationKey(kid)
      if (!key) throw reject('unknown_key')

      const current = now()
      let payload: Record<string, unknown>
      try {
        const result = await jwtVerify(token, key, {
          algorithms: ['RS256'],
          typ: 'at+jwt',
          issuer,
          audience: verifyOptions.audience,
          clockTolerance: tolerance,
          currentDate: current,
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'tenant'],
        })
        payload = result.payload as Record<string, unknown>
      } catch (error) {
        throw reject(reasonOf(error), error)
      }
      const nowSeconds = current.getTime() / 1000
      const iat = payload.iat as number
      const exp = payload.exp as number
      if (iat > nowSeconds + tolerance) throw reject('issued_in_future')
      if (exp - iat > maxLifetime) throw reject('lifetime_too_long')
      for (const name of ['sub', 'jti', 'client_id', 'tenant'] as const) {
        if (typeof payload[name] !== 'string' || payload[name] === '') throw reject('missing_claim')
      }
      if (payload.scope !== undefined && typeof payload.scope !== 'string') {
        throw reject('missing_claim')
      }
      const scope = typeof payload.scope === 'string' ? payload.scope : ''
      const scopes = allScopes.filter((known) => scope.split(' ').includes(known))
      return { claims: payload as unknown as AccessTokenClaims, kid, scopes }
    },
  }
}

function reject(reason: TokenRejectionReason, cause?: unknown): TenancyError {
  return new TenancyError('invalid_token', descriptions[reason], {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  })
}

function reasonOf(error: unknown): TokenRejectionReason {
  if (error instanceof errors.JWTExpired) return 'expired'
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'missing_claim'
    if (error.claim === 'nbf') return 'not_yet_valid'
    if (error.claim === 'aud') return 'audience_mismatch'
    if (error.claim === 'iss') return 'issuer_mismatch'
    if (error.claim === 'typ') return 'wrong_type'
    if (error.claim === 'iat') return 'issued_in_future'
    return 'missing_claim'
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm_not_allowed'
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'invalid_signature'
  if (error instanceof errors.JOSENotSupported) return 'unsupported_header'
  return 'malformed'
}
