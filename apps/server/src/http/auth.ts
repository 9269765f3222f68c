import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js'
import type { OAuthServer } from '@pierre/oauth-server'
import {
  getClientAddress,
  getHttpStatus,
  type RequestContext,
  type Tenancy,
  type TenancyError,
} from '@pierre/tenancy'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Config } from '../config.js'
import type { Principal } from '../mcp/server.js'
import { requestIdOf } from './request-meta.js'

/** What the authentication middleware needs. */
export interface AuthDependencies {
  readonly config: Config
  readonly tenancy: Tenancy
  /** True while local single-user mode applies (loopback, `PIERRE_AUTH=auto`, no user yet). */
  readonly localMode: () => Promise<boolean>
  /** The principal of local single-user mode. */
  readonly localPrincipal: Principal
  /** Which credential kinds the route accepts (default both). */
  readonly accept?: readonly ('jwt' | 'api_key')[]
  /** The authorization server: the resource URI tokens must name and the 401 challenge. */
  readonly oauth: OAuthServer
}

/** The base URL of this server as clients reach it: the public URL, else scheme and Host. */
export function baseUrlOf(config: Config, req: Request): string {
  if (config.auth.publicUrl !== undefined) return config.auth.publicUrl
  return `${req.protocol}://${req.get('host') ?? `${config.http.host}:${config.http.port}`}`
}

/** The client address (`X-Forwarded-For` only through trusted proxies, spec §5.2 step 1). */
function clientAddressOf(config: Config, req: Request): string {
  return getClientAddress({
    socketAddress: req.socket.remoteAddress ?? '',
    forwardedFor: req.headers['x-forwarded-for'],
    trustProxy: config.auth.trustProxy,
  })
}

/** The authenticated context of a request, when a credential authenticated it. */
export function contextOf(res: Response): RequestContext | undefined {
  return res.locals.context as RequestContext | undefined
}

/** The principal of a request that passed {@link authenticate}. */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal
}

/** The principal an MCP session is bound to: tenant, user and the credential used. */
function principalFor(context: RequestContext): Principal {
  const { credential } = context
  const clientId =
    credential.kind === 'oauth'
      ? `oauth:${credential.clientId}`
      : credential.kind === 'api_key'
        ? `api_key:${credential.keyId}`
        : credential.kind
  return { tenantId: context.tenantId, userId: context.userId, clientId }
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** Answers a refused credential: 401 with the `WWW-Authenticate` challenge (spec §1.2), 403 or 429. */
function refuse({ res, oauth }: { res: Response; oauth: OAuthServer }, error: TenancyError): void {
  const status = getHttpStatus(error.code)
  if (status === 401) {
    const resource = oauth.resources[0] as string
    res.setHeader(
      'WWW-Authenticate',
      error.code === 'missing_credential'
        ? oauth.challenge(resource)
        : oauth.challenge(resource, { error: 'invalid_token', description: error.message }),
    )
  }
  const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)
    ?.retryAfterSeconds
  if (status === 429 && typeof retryAfter === 'number') {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))))
  }
  res.status(status).json({
    error: { code: error.code, message: error.message, request_id: requestIdOf(res) },
  })
}

/**
 * Authentication (spec §5.2 step 8, §5.3): exactly one credential (`Authorization: Bearer <jwt>`,
 * `Authorization: Bearer pk_…`, `X-API-Key`) turned into a `RequestContext` by `@pierre/tenancy`,
 * stored on `res.locals.context` with the session principal on `res.locals.principal`, and handed
 * to the MCP SDK as `req.auth`. In local single-user mode a request without a credential acts as
 * the local owner.
 */
export function authenticate(deps: AuthDependencies): RequestHandler {
  const { config, tenancy } = deps
  return (req: Request, res: Response, next: NextFunction) => {
    const authorization = header(req, 'authorization')
    const apiKey = header(req, 'x-api-key')
    const run = async (): Promise<void> => {
      if (authorization === undefined && apiKey === undefined && (await deps.localMode())) {
        res.locals.principal = deps.localPrincipal
        next()
        return
      }
      const result = await tenancy.authenticator.authenticate({
        authorization,
        apiKey,
        audience: deps.oauth.resources[0] as string,
        requestId: requestIdOf(res),
        clientIp: clientAddressOf(config, req),
        ...(deps.accept === undefined ? {} : { accept: deps.accept }),
      })
      if (!result.ok) {
        refuse({ res, oauth: deps.oauth }, result.error)
        return
      }
      const { context } = result
      const principal = principalFor(context)
      res.locals.context = context
      res.locals.principal = principal
      const auth: AuthInfo = {
        token: principal.clientId ?? context.credential.kind,
        clientId: principal.clientId ?? context.credential.kind,
        scopes: [...context.scopes],
        extra: { tenantId: context.tenantId, userId: context.userId },
      }
      ;(req as Request & { auth?: AuthInfo }).auth = auth
      next()
    }
    run().catch(next)
  }
}

function jsonRpcIdOf(body: unknown): string | number | null {
  const id = (body as { id?: unknown } | null)?.id
  return typeof id === 'string' || typeof id === 'number' ? id : null
}

function isToolCall(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body]
  return messages.some((message) => (message as { method?: unknown })?.method === 'tools/call')
}

/**
 * Burst and quota limits on `/mcp` (spec §4.4–§4.5): the rate-limit headers on every authenticated
 * response; a refusal is HTTP 429 with `Retry-After` and a JSON-RPC error −32000 carrying the
 * details. `tools/call` counts toward the monthly quota. Local mode has no credential to limit.
 */
export function mcpRateLimit(tenancy: Tenancy): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const context = contextOf(res)
    if (context === undefined) {
      next()
      return
    }
    const body = (res.locals.mcpBody as { value: unknown } | undefined)?.value
    tenancy.rateLimiter
      .check(context, { countsTowardQuota: isToolCall(body) })
      .then((decision) => {
        for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value)
        if (decision.allowed) {
          next()
          return
        }
        res.status(429).json({
          jsonrpc: '2.0',
          id: jsonRpcIdOf(body),
          error: {
            code: -32000,
            message: 'rate limit exceeded',
            data: { ...decision.details, request_id: requestIdOf(res) },
          },
        })
      })
      .catch(next)
  }
}

/** Parses the raw `/mcp` body once so that limits can see the method; the router reuses it. */
export function peekMcpBody(req: Request, res: Response, next: NextFunction): void {
  if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    try {
      res.locals.mcpBody = { value: JSON.parse(req.body.toString('utf8')) as unknown }
    } catch {
      // The router answers −32700.
    }
  }
  next()
}

/**
 * Scope step-up (security spec §1.2): a `tools/call` whose tool needs a scope the credential lacks
 * is answered HTTP 403 with `WWW-Authenticate: Bearer error="insufficient_scope"` naming every scope
 * the client should ask for, before the MCP SDK sees the message. Local mode has no credential.
 */
export function requireToolScope(options: {
  readonly oauth: OAuthServer
  readonly requiredScope: (tool: string) => string | undefined
}): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const context = contextOf(res)
    const body = (res.locals.mcpBody as { value: unknown } | undefined)?.value
    if (context === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      next()
      return
    }
    const message = body as { method?: unknown; params?: { name?: unknown } }
    const name = message.params?.name
    if (message.method !== 'tools/call' || typeof name !== 'string') {
      next()
      return
    }
    const needed = options.requiredScope(name)
    const held: readonly string[] = [...context.scopes]
    if (needed === undefined || held.includes(needed)) {
      next()
      return
    }
    const wanted = [...new Set([...held, needed])].join(' ')
    res.setHeader(
      'WWW-Authenticate',
      options.oauth.challenge(options.oauth.resources[0] as string, {
        error: 'insufficient_scope',
        description: `tool ${name} requires scope ${needed}`,
        scope: wanted,
      }),
    )
    res.status(403).json({
      error: 'insufficient_scope',
      error_description: `tool ${name} requires scope ${needed}`,
      scope: wanted,
    })
  }
}
