import type { ApiKeyService } from './api-keys.js'
import { type Credential, mintContext, type RequestContext } from './context.js'
import { TenancyError } from './errors.js'
import { systemNow } from './internal/defaults.js'
import type { RateLimiter } from './rate-limit.js'
import type { TenancyStores } from './stores/types.js'
import type { AccessTokenClaims, TokenService } from './tokens.js'
import { allScopes, type Now, type Scope, type Tier } from './types.js'

/** What the server extracted from an HTTP request (headers only; never the query string). */
export interface AuthenticationRequest {
  /** The `Authorization` header, as received. */
  readonly authorization?: string | undefined
  /** The `X-API-Key` header, as received. */
  readonly apiKey?: string | undefined
  /** The resource of the route (`https://host/mcp`); a JWT's `aud` must contain it. */
  readonly audience: string
  /** The server-generated request id. */
  readonly requestId: string
  /** From `getClientAddress` only. */
  readonly clientIp: string
  /** Which credential kinds the route accepts; default both. */
  readonly accept?: readonly ('jwt' | 'api_key')[]
}

/** The outcome of {@link Authenticator.authenticate}: a context, or an error to answer with. */
export type AuthenticationResult =
  | { readonly ok: true; readonly context: RequestContext }
  | { readonly ok: false; readonly error: TenancyError }

/** Input of {@link Authenticator.contextFor}: credentials the server verified itself. */
export interface ContextRequest {
  readonly tenantId: string
  readonly userId: string
  /** Session, admin token, stdio, local single-user mode or CLI. */
  readonly credential: Exclude<Credential, { kind: 'oauth' } | { kind: 'api_key' }>
  readonly requestId: string
  readonly clientIp?: string
  readonly transport: 'http' | 'stdio'
  /** Scopes to grant; default all. */
  readonly scopes?: readonly Scope[]
  /** Rate-limit tier; default the user's. */
  readonly tier?: Tier
  /** Set while a super admin impersonates. */
  readonly impersonatorId?: string | null
}

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /** Verifies JWT access tokens. */
  readonly tokens: TokenService
  /** Verifies API keys. */
  readonly apiKeys: ApiKeyService
  /** Roles and states are read from here on every request. */
  readonly stores: Pick<TenancyStores, 'users' | 'memberships' | 'tenants' | 'apiKeys'>
  /**
   * When given, more than `failedCredentialLimit.limit` rejected credentials per
   * `windowSeconds` from one client address answer `rate_limited` (spec §5.2 step 7, T-38).
   */
  readonly rateLimiter?: RateLimiter
  /** Default 100 per 60 s. */
  readonly failedCredentialLimit?: { readonly limit: number; readonly windowSeconds: number }
  /** Clock (for `last_used_at`). */
  readonly now?: Now
  /**
   * The OAuth server's per-request check of a verified token (spec §1.6 step 5): `revoked: true`
   * rejects it (`jti` or grant revoked); `grantId` is recorded in the context's credential.
   */
  readonly checkAccessToken?: (
    claims: AccessTokenClaims,
  ) => Promise<{ readonly revoked: boolean; readonly grantId?: string | null }>
}

/** Turns credentials into a {@link RequestContext}. */
export interface Authenticator {
  /**
   * Authenticates one request: exactly one credential (`Authorization: Bearer <jwt>`,
   * `Authorization: Bearer pk_…`, `X-API-Key: pk_…`, or the REF form `Authorization: pk_live_…`),
   * verified, then the user, tenant and membership read from the database. Never throws for a bad
   * credential: the error is in the result (`missing_credential`, `invalid_request`,
   * `invalid_token`, `invalid_api_key`, `account_suspended`,
   * `tenant_suspended`, `rate_limited`).
   */
  authenticate(request: AuthenticationRequest): Promise<AuthenticationResult>
  /**
   * Builds a context for a credential the server verified itself (session, admin token, stdio,
   * local mode, CLI), after the same user, tenant and membership checks.
   */
  contextFor(request: ContextRequest): Promise<AuthenticationResult>
}

type Extracted =
  | { kind: 'none' }
  | { kind: 'conflict' }
  | { kind: 'jwt'; value: string }
  | { kind: 'api_key'; value: string }
  | { kind: 'unsupported' }

function extract(request: AuthenticationRequest): Extracted {
  const fromHeader = parseAuthorization(request.authorization)
  const apiKey = request.apiKey?.trim()
  const fromApiKey: Extracted =
    apiKey === undefined || apiKey === '' ? { kind: 'none' } : { kind: 'api_key', value: apiKey }
  if (fromHeader.kind === 'none') return fromApiKey
  if (fromApiKey.kind === 'none') return fromHeader
  const same =
    fromHeader.kind === 'api_key' &&
    fromApiKey.kind === 'api_key' &&
    fromHeader.value === fromApiKey.value
  return same ? fromHeader : { kind: 'conflict' }
}

function parseAuthorization(header: string | undefined): Extracted {
  const value = header?.trim()
  if (value === undefined || value === '') return { kind: 'none' }
  if (value.startsWith('pk_live_') || value.startsWith('pk_trial_')) {
    return { kind: 'api_key', value }
  }
  const match = /^bearer +(\S+)$/i.exec(value)
  if (!match?.[1]) return { kind: 'unsupported' }
  const token = match[1]
  if (token.startsWith('pk_')) return { kind: 'api_key', value: token }
  if (token.split('.').length === 3) return { kind: 'jwt', value: token }
  return { kind: 'unsupported' }
}

const defaultFailureLimit = { limit: 100, windowSeconds: 60 }

/** Creates the authenticator. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { tokens, apiKeys, stores } = options
  const failureLimit = options.failedCredentialLimit ?? defaultFailureLimit
  const now = options.now ?? systemNow

  const fail = (error: TenancyError): AuthenticationResult => ({ ok: false, error })

  async function principal(
    tenantId: string,
    userId: string,
    rejection: TenancyError,
  ): Promise<
    | {
        ok: true
        platform: 'user' | 'admin' | 'super_admin'
        tenant: 'owner' | 'admin' | 'billing' | 'member'
        tier: Tier
      }
    | { ok: false; error: TenancyError }
  > {
    const [user, membership, tenant] = await Promise.all([
      stores.users.get(userId),
      stores.memberships.lookup(tenantId, userId),
      stores.tenants.get(tenantId),
    ])
    if (!user || !tenant || tenant.status === 'deleted' || membership?.status !== 'active') {
      return { ok: false, error: rejection }
    }
    if (user.status === 'suspended') {
      return { ok: false, error: new TenancyError('account_suspended', 'account suspended') }
    }
    // A pending user is "not active": the same answer as an unknown credential (spec §4.2).
    if (user.status === 'pending') return { ok: false, error: rejection }
    if (tenant.status === 'suspended') {
      return { ok: false, error: new TenancyError('tenant_suspended', 'tenant suspended') }
    }
    return { ok: true, platform: user.platformRole, tenant: membership.role, tier: user.tier }
  }

  async function viaJwt(
    request: AuthenticationRequest,
    token: string,
  ): Promise<AuthenticationResult> {
    let verified: Awaited<ReturnType<TokenService['verifyAccessToken']>>
    try {
      verified = await tokens.verifyAccessToken(token, { audience: request.audience })
    } catch (error) {
      if (error instanceof TenancyError) return fail(error)
      throw error
    }
    const { claims } = verified
    const check = options.checkAccessToken ? await options.checkAccessToken(claims) : undefined
    if (check?.revoked)
      return fail(
        new TenancyError('invalid_token', 'token revoked', { details: { reason: 'revoked' } }),
      )
    const rejection = new TenancyError('invalid_token', 'token subject is not an active member', {
      details: { reason: 'membership' },
    })
    const who = await principal(claims.tenant, claims.sub, rejection)
    if (!who.ok) return fail(who.error)
    return {
      ok: true,
      context: mintContext({
        requestId: request.requestId,
        tenantId: claims.tenant,
        userId: claims.sub,
        roles: { platform: who.platform, tenant: who.tenant },
        scopes: verified.scopes,
        credential: {
          kind: 'oauth',
          clientId: claims.client_id,
          jti: claims.jti,
          grantId: check?.grantId ?? null,
        },
        tier: who.tier,
        clientIp: request.clientIp,
        transport: 'http',
      }),
    }
  }

  async function viaApiKey(
    request: AuthenticationRequest,
    presented: string,
  ): Promise<AuthenticationResult> {
    // One message for every failure, never echoing the key (T-38).
    const invalid = new TenancyError('invalid_api_key', 'invalid api key')
    const record = await apiKeys.verify(presented)
    if (!record) return fail(invalid)
    const who = await principal(record.tenantId, record.userId, invalid)
    if (!who.ok) return fail(who.error)
    await stores.apiKeys.touch(record.id, now().toISOString())
    return {
      ok: true,
      context: mintContext({
        requestId: request.requestId,
        tenantId: record.tenantId,
        userId: record.userId,
        roles: { platform: who.platform, tenant: who.tenant },
        scopes: record.scopes,
        credential: { kind: 'api_key', keyId: record.id, tier: record.tier },
        tier: record.tier,
        clientIp: request.clientIp,
        transport: 'http',
      }),
    }
  }

  return {
    async authenticate(request) {
      const accept = request.accept ?? ['jwt', 'api_key']
      const extracted = extract(request)
      if (extracted.kind === 'none') {
        return fail(new TenancyError('missing_credential', 'authentication required'))
      }
      if (extracted.kind === 'conflict') {
        return fail(new TenancyError('invalid_request', 'more than one credential presented'))
      }
      const failureKey = `authfail:${request.clientIp}`
      if (options.rateLimiter) {
        const state = await options.rateLimiter.peek(failureKey, failureLimit)
        if (!state.allowed) {
          return fail(
            new TenancyError('rate_limited', 'too many rejected credentials from this address', {
              details: { retryAfterSeconds: state.retryAfterSeconds },
              retryable: true,
            }),
          )
        }
      }
      let result: AuthenticationResult
      if (extracted.kind === 'jwt' && accept.includes('jwt')) {
        result = await viaJwt(request, extracted.value)
      } else if (extracted.kind === 'api_key' && accept.includes('api_key')) {
        result = await viaApiKey(request, extracted.value)
      } else if (extracted.kind === 'api_key') {
        result = fail(new TenancyError('invalid_api_key', 'invalid api key'))
      } else {
        result = fail(
          new TenancyError('invalid_token', 'unsupported credential', {
            details: { reason: 'malformed' },
          }),
        )
      }
      const rejected =
        !result.ok &&
        (result.error.code === 'invalid_token' || result.error.code === 'invalid_api_key')
      if (rejected && options.rateLimiter) {
        await options.rateLimiter.consume(failureKey, failureLimit)
      }
      return result
    },

    async contextFor(request) {
      const who = await principal(
        request.tenantId,
        request.userId,
        new TenancyError('forbidden', 'user is not an active member of the tenant'),
      )
      if (!who.ok) return fail(who.error)
      return {
        ok: true,
        context: mintContext({
          requestId: request.requestId,
          tenantId: request.tenantId,
          userId: request.userId,
          roles: { platform: who.platform, tenant: who.tenant },
          scopes: request.scopes ?? allScopes,
          credential: request.credential,
          tier: request.tier ?? who.tier,
          impersonatorId: request.impersonatorId ?? null,
          clientIp: request.clientIp ?? '',
          transport: request.transport,
        }),
      }
    },
  }
}
