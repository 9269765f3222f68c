import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { authorize, consent, consentPage, login, loginPage } from './authorize.js'
import {
  type Core,
  defaultScopeDescriptions,
  noStore,
  type OAuthLifetimes,
  type OAuthRateLimits,
  oauthError,
  sendPage,
} from './core.js'
import { html, stylesheet, stylesheetPath } from './internal/html.js'
import { createMemoryRateLimiter } from './internal/memory-limiter.js'
import { buildClient, clientResponse, register } from './registration.js'
import type { OAuthStore } from './store.js'
import { introspect, revoke, token } from './token.js'
import type {
  OAuthAuditEvent,
  OAuthLogger,
  OAuthRateLimiter,
  SigningKeyProvider,
  UserAuthenticator,
  VerifiedClaims,
} from './types.js'

/** Options of {@link createOAuthServer}. */
export interface OAuthServerOptions {
  /**
   * The issuer: the public origin of the server, e.g. `https://pierre.example.com` (no path, no
   * trailing slash). Plain `http` is accepted only for a loopback host.
   */
  readonly issuer: string
  /** Paths of the protected resources; the first is the default audience. Default `['/mcp']`. */
  readonly resources?: readonly string[]
  readonly store: OAuthStore
  readonly users: UserAuthenticator
  readonly keys: SigningKeyProvider
  /** At least 32 bytes: keys the client-secret hashes and the CSRF tokens. Keep it stable. */
  readonly secret: Uint8Array
  /** Scope names with the words the consent page shows. Default Pierre's three scopes. */
  readonly scopes?: Readonly<Record<string, string>>
  /** Dynamic client registration: `open` (default), `token` (initial access token) or `off`. */
  readonly registration?: 'open' | 'token' | 'off'
  /** Checks an initial access token when `registration` is `token`. */
  readonly checkInitialAccessToken?: (token: string) => Promise<boolean>
  /** Extra private-use redirect URI schemes to accept (e.g. `cursor`, `vscode`). */
  readonly extraRedirectSchemes?: readonly string[]
  /** Enables the client_credentials grant for admin-provisioned clients. Default false. */
  readonly clientCredentials?: boolean
  /** Revoking an access token also revokes its grant. Default false. */
  readonly revokeAccessRevokesGrant?: boolean
  /** Per-minute limits per client address; defaults 60 / 30 / 10 / 20. */
  readonly rateLimits?: Partial<OAuthRateLimits>
  /** Shared limiter; default an in-process fixed-window limiter. */
  readonly rateLimiter?: OAuthRateLimiter
  /** Lifetimes in seconds; defaults per security spec §1.8 (code 60 s). */
  readonly lifetimes?: Partial<OAuthLifetimes>
  /** `resource_name` of the protected resource metadata. Default `Pierre`. */
  readonly resourceName?: string
  /** The client address of a request (never from untrusted forwarding headers). */
  readonly clientIp?: (req: Request) => string
  readonly now?: () => Date
  readonly logger?: OAuthLogger
  readonly audit?: (event: OAuthAuditEvent) => void
}

/** A refused access token, with what the 401 challenge should say. */
export interface AccessTokenRejection {
  readonly ok: false
  readonly error: 'invalid_token'
  readonly description: string
}

/** The authorization server. */
export interface OAuthServer {
  /** Express router to mount at the root of the app: discovery, `/oauth2/*`, JWKS. */
  readonly router: Router
  readonly issuer: string
  /** Canonical resource URIs (`${issuer}${path}`). */
  readonly resources: readonly string[]
  /** RFC 8414 metadata document. */
  metadata(): Record<string, unknown>
  /** RFC 9728 metadata of one resource (canonical URI). */
  resourceMetadata(resource: string): Record<string, unknown>
  /** URL of the RFC 9728 document of a resource (path-inserted form). */
  resourceMetadataUrl(resource: string): string
  /**
   * The `WWW-Authenticate` value of a 401 (or 403 `insufficient_scope`) from a resource (MCP
   * 2025-11-25): points at the resource metadata and names the scopes.
   */
  challenge(
    resource: string,
    error?: { readonly error: string; readonly description?: string; readonly scope?: string },
  ): string
  /**
   * Verifies an access token for a resource: signature and claims (through the key provider),
   * then the revocation state of its `jti` and grant, then the user's active membership.
   */
  verifyAccessToken(
    token: string,
    options: { readonly resource: string },
  ): Promise<
    | {
        readonly ok: true
        readonly claims: VerifiedClaims
        readonly scopes: readonly string[]
        readonly grantId: string | null
      }
    | AccessTokenRejection
  >
  /** The revocation state of a verified token's `jti` (for resource servers verifying themselves). */
  accessTokenStatus(
    jti: string,
  ): Promise<{ readonly revoked: boolean; readonly grantId: string | null }>
  /**
   * Provisions a client as an administrator (`source: admin`; labelled verified on the consent
   * page). With `tenantId` and `client_credentials` in `grant_types` it is a machine client.
   */
  provisionClient(
    metadata: Record<string, unknown>,
    options?: { readonly tenantId?: string; readonly clientCredentials?: boolean },
  ): Promise<Record<string, unknown>>
  /** Revokes every grant of a user (optionally of one client) and forgets the consents. */
  revokeUserGrants(userId: string, clientId?: string): Promise<number>
}

const defaultLimits: OAuthRateLimits = { authorize: 60, token: 30, register: 10, login: 20 }
const defaultLifetimes: OAuthLifetimes = {
  code: 60,
  pendingRequest: 600,
  refreshToken: 30 * 86_400,
  grant: 90 * 86_400,
  sessionIdle: 2 * 3600,
  sessionAbsolute: 12 * 3600,
}

function checkIssuer(issuer: string): URL {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new TypeError(`issuer must be an absolute URL, received ${JSON.stringify(issuer)}`)
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TypeError('issuer must use https (plain http only on a loopback host)')
  }
  if (url.origin !== issuer) {
    throw new TypeError(
      `issuer must be an origin without path or trailing slash, like ${url.origin}`,
    )
  }
  return url
}

/** Creates the authorization server (security spec §1). */
export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const issuerUrl = checkIssuer(options.issuer)
  const issuer = options.issuer
  if (options.secret.byteLength < 32) throw new TypeError('secret must be at least 32 bytes')
  const paths = options.resources ?? ['/mcp']
  for (const path of paths) {
    if (!/^\/[A-Za-z0-9._~/-]*$/.test(path) || path.endsWith('/')) {
      throw new TypeError(`resource path ${JSON.stringify(path)} must look like /mcp`)
    }
  }
  const resources = paths.map((path) => `${issuer}${path}`)
  const scopeDescriptions = options.scopes ?? defaultScopeDescriptions
  const now = options.now ?? (() => new Date())
  const core: Core = {
    issuer,
    resources,
    scopes: Object.keys(scopeDescriptions),
    scopeDescriptions,
    store: options.store,
    users: options.users,
    keys: options.keys,
    secret: options.secret,
    now,
    logger: options.logger,
    audit: options.audit ?? (() => {}),
    limiter: options.rateLimiter ?? createMemoryRateLimiter(now),
    limits: { ...defaultLimits, ...options.rateLimits },
    lifetimes: { ...defaultLifetimes, ...options.lifetimes },
    registration: options.registration ?? 'open',
    checkInitialAccessToken: options.checkInitialAccessToken,
    extraRedirectSchemes: options.extraRedirectSchemes ?? [],
    clientCredentials: options.clientCredentials ?? false,
    revokeAccessRevokesGrant: options.revokeAccessRevokesGrant ?? false,
    resourceName: options.resourceName ?? 'Pierre',
    clientIp: options.clientIp ?? ((req) => req.socket.remoteAddress ?? 'unknown'),
    insecureCookies: issuerUrl.protocol === 'http:',
  }

  const authMethods = ['none', 'client_secret_basic', 'client_secret_post']
  const metadata = (): Record<string, unknown> => ({
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    ...(core.registration === 'off' ? {} : { registration_endpoint: `${issuer}/oauth2/register` }),
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: core.scopes,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      ...(core.clientCredentials ? ['client_credentials'] : []),
    ],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  })
  const resourceMetadataUrl = (resource: string) =>
    `${issuer}/.well-known/oauth-protected-resource${new URL(resource).pathname}`
  const resourceMetadata = (resource: string): Record<string, unknown> => ({
    resource,
    authorization_servers: [issuer],
    scopes_supported: core.scopes,
    bearer_methods_supported: ['header'],
    resource_name: core.resourceName,
  })

  const router = express.Router()
  const wrap =
    (handler: (core: Core, req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      handler(core, req, res).catch(next)
    }
  const publicJson = (res: Response, body: unknown) => {
    res.setHeader('Cache-Control', 'public, max-age=3600')
    res.setHeader('Access-Control-Allow-Origin', '*')
    res.json(body)
  }
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 50 })

  router.get('/.well-known/oauth-authorization-server', (_req, res) => publicJson(res, metadata()))
  router.get('/.well-known/oauth-protected-resource', (_req, res) =>
    publicJson(res, resourceMetadata(resources[0] as string)),
  )
  for (const resource of resources) {
    router.get(`/.well-known/oauth-protected-resource${new URL(resource).pathname}`, (_req, res) =>
      publicJson(res, resourceMetadata(resource)),
    )
  }
  const jwks = wrap(async (_core, req, res) => {
    const { document, etag } = await core.keys.getJwks()
    res.setHeader('ETag', etag)
    res.setHeader('Cache-Control', 'public, max-age=3600')
    res.setHeader('Access-Control-Allow-Origin', '*')
    if (req.get('if-none-match') === etag) {
      res.status(304).end()
      return
    }
    res.json(document)
  })
  router.get('/.well-known/jwks.json', jwks)
  router.get('/oauth2/jwks', jwks)
  router.get(stylesheetPath, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.type('css').send(stylesheet)
  })
  router.post('/oauth2/register', express.json({ limit: '16kb' }), wrap(register))
  router.get('/oauth2/authorize', wrap(authorize))
  router.get('/oauth2/login', wrap(loginPage))
  router.post('/oauth2/login', form, wrap(login))
  router.get('/oauth2/consent', wrap(consentPage))
  router.post('/oauth2/consent', form, wrap(consent))
  router.post('/oauth2/token', form, wrap(token))
  router.post('/oauth2/revoke', form, wrap(revoke))
  router.post('/oauth2/introspect', form, wrap(introspect))
  // Body-parser failures (413, malformed JSON) and handler faults, in OAuth or page form.
  // biome-ignore lint/complexity/useMaxParams: express recognises error handlers by their four parameters.
  router.use('/oauth2', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error)
      return
    }
    const status = (error as { status?: unknown }).status
    const known = typeof status === 'number' && status >= 400 && status < 500
    if (!known) {
      core.logger?.error(
        { path: req.path, err: error instanceof Error ? error.name : 'error' },
        'oauth handler failed',
      )
    }
    if (req.method === 'GET' || req.path === '/login' || req.path === '/consent') {
      sendPage(res, {
        status: known ? (status as number) : 500,
        title: 'Something went wrong',
        body: html`<h1>Something went wrong</h1><p class="error" role="alert">${known ? 'The request was not valid.' : 'Internal error. Try again.'}</p>`,
      })
      return
    }
    if (known && status === 413) {
      oauthError(res, 'request_too_large', 'request body too large')
      return
    }
    if (known) {
      const code = req.path === '/register' ? 'invalid_client_metadata' : 'invalid_request'
      oauthError(res, code, 'request body could not be read')
      return
    }
    noStore(res)
    res.status(500).json({ error: 'server_error', error_description: 'internal error' })
  })

  return {
    router,
    issuer,
    resources,
    metadata,
    resourceMetadata,
    resourceMetadataUrl,
    challenge(resource, error) {
      const parts = [`resource_metadata="${resourceMetadataUrl(resource)}"`]
      if (error !== undefined) {
        parts.push(`error="${error.error}"`)
        if (error.description !== undefined) {
          parts.push(`error_description="${error.description.replace(/["\\\r\n]/g, '')}"`)
        }
      }
      parts.push(`scope="${error?.scope ?? core.scopes.join(' ')}"`)
      return `Bearer ${parts.join(', ')}`
    },
    async verifyAccessToken(tokenText, { resource }) {
      const reject = (description: string): AccessTokenRejection => ({
        ok: false,
        error: 'invalid_token',
        description,
      })
      let claims: VerifiedClaims
      try {
        ;({ claims } = await core.keys.verifyAccessToken(tokenText, { audience: resource }))
      } catch (error) {
        return reject(error instanceof Error ? error.message.slice(0, 100) : 'invalid token')
      }
      const status = await core.store.accessTokens.status(claims.jti)
      if (status.revoked) return reject('token revoked')
      if (!(await core.users.isActiveMember(claims.sub, claims.tenant))) {
        return reject('token subject is not an active member')
      }
      const scopes = (claims.scope ?? '').split(' ').filter((scope) => core.scopes.includes(scope))
      return { ok: true, claims, scopes, grantId: status.grantId }
    },
    accessTokenStatus: (jti) => core.store.accessTokens.status(jti),
    async provisionClient(meta, provisionOptions = {}) {
      const outcome = buildClient(core, meta, {
        source: 'admin',
        tenantId: provisionOptions.tenantId ?? null,
      })
      if (!outcome.ok) throw new TypeError(`${outcome.error}: ${outcome.description}`)
      const client = provisionOptions.clientCredentials
        ? {
            ...outcome.client,
            grantTypes: [...outcome.client.grantTypes, 'client_credentials' as const],
          }
        : outcome.client
      await core.store.clients.create(client)
      return clientResponse(client, outcome.secret)
    },
    async revokeUserGrants(userId, clientId) {
      const at = now().toISOString()
      const count = await core.store.grants.revokeForUser(userId, at, clientId)
      if (clientId !== undefined) await core.store.consents.delete(userId, clientId)
      else {
        for (const record of await core.store.consents.listForUser(userId)) {
          await core.store.consents.delete(userId, record.clientId)
        }
      }
      return count
    },
  }
}
