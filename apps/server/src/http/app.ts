import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  hostHeaderValidation,
  localhostHostValidation,
} from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js'
import type { OAuthServer } from '@pierre/oauth-server'
import type { Tenancy, TenantRecord } from '@pierre/tenancy'
import type Database from 'better-sqlite3'
import express, { type ErrorRequestHandler, type Express } from 'express'
import type { Config } from '../config.js'
import { isLoopbackHost } from '../config.js'
import type { Logger } from '../logger.js'
import { createMcpHttpHandler, type McpHttpHandler } from '../mcp/http.js'
import type { Principal } from '../mcp/server.js'
import type { Providers } from '../providers.js'
import { isDatabaseHealthy } from '../storage/database.js'
import { createAdminRouter } from './admin.js'
import { authenticate, mcpRateLimit, peekMcpBody, principalOf, requireToolScope } from './auth.js'
import { originGuard } from './origin.js'
import { createProviderRouters } from './providers.js'
import { requestIdOf, requestMeta } from './request-meta.js'
import { createWebhookRouter } from './webhooks.js'

/** Terra sends up to 32 MiB in one delivery; the receivers check their own, lower, limits too. */
const WEBHOOK_MAX_BODY_BYTES = 32 * 1024 * 1024

/** What the HTTP app is composed of. */
export interface HttpAppDependencies {
  readonly config: Config
  readonly db: Database.Database
  readonly logger: Logger
  readonly version: string
  readonly startedAt: number
  readonly createMcpServer: (principal: Principal) => Server
  readonly tenancy: Tenancy
  /** The tenant created on first run; the admin CLI and endpoints default to it. */
  readonly defaultTenant: TenantRecord
  /** Whether local single-user mode applies now (no credential needed on `/mcp`). */
  readonly localMode: () => Promise<boolean>
  /** The principal of local single-user mode. */
  readonly localPrincipal: Principal
  /** The provider registry and the OAuth connectors of the configured providers. */
  readonly providers: Providers
  /** The authorization server of `/mcp` (discovery, `/oauth2/*`, JWKS). */
  readonly oauth: OAuthServer
  /** The scope a tool requires, for the step-up check before the MCP SDK. */
  readonly requiredScope: (tool: string) => string | undefined
}

/** The express app and the MCP session table it serves. */
export interface HttpApp {
  readonly app: Express
  readonly mcp: McpHttpHandler
  /** Number of HTTP requests being served, excluding long-lived SSE listening streams. */
  inFlight(): number
}

/** Builds the express application: health, MCP over Streamable HTTP, and error mapping. */
export function createHttpApp(deps: HttpAppDependencies): HttpApp {
  const { config } = deps
  const app = express()
  app.disable('x-powered-by')
  // Express derives req.ip/req.protocol from X-Forwarded-* only through these proxies (T-32).
  const { trustProxy } = config.auth
  app.set('trust proxy', trustProxy === false ? false : trustProxy)

  app.use(requestMeta)

  let inFlight = 0
  app.use((req, res, next) => {
    const listening = req.method === 'GET' && req.path === '/mcp'
    if (!listening) {
      inFlight++
      res.once('close', () => {
        inFlight--
      })
    }
    next()
  })

  if (config.http.allowedHosts.length > 0) {
    app.use(hostHeaderValidation([...config.http.allowedHosts]))
  } else if (isLoopbackHost(config.http.host)) {
    app.use(localhostHostValidation())
  }
  // The login and consent forms post from the issuer's own origin.
  app.use(originGuard([...config.http.allowedOrigins, new URL(deps.oauth.issuer).origin]))

  app.get('/health', (_req, res) => {
    const databaseOk = isDatabaseHealthy(deps.db)
    res.status(databaseOk ? 200 : 503).json({
      status: databaseOk ? 'ok' : 'degraded',
      version: deps.version,
      uptime_seconds: Math.floor((Date.now() - deps.startedAt) / 1000),
      database: { ok: databaseOk },
    })
  })

  const mcp = createMcpHttpHandler({
    logger: deps.logger,
    createServer: deps.createMcpServer,
    principalOf: (_req, res) => principalOf(res),
    maxBodyBytes: config.mcp.maxBodyBytes,
    sessionIdleSeconds: config.mcp.sessionIdleSeconds,
    jsonResponse: config.mcp.jsonResponse,
    maxSessionsPerPrincipal: config.mcp.maxSessionsPerPrincipal,
    maxSessions: config.mcp.maxSessions,
  })
  const authDependencies = {
    config,
    tenancy: deps.tenancy,
    localPrincipal: deps.localPrincipal,
    oauth: deps.oauth,
  }
  app.use(deps.oauth.router)
  app.use(
    '/mcp',
    express.raw({ type: () => true, limit: config.mcp.maxBodyBytes }),
    peekMcpBody,
    authenticate({ ...authDependencies, localMode: deps.localMode }),
    mcpRateLimit(deps.tenancy),
    requireToolScope({ oauth: deps.oauth, requiredScope: deps.requiredScope }),
    mcp.router,
  )
  const providerRouters = createProviderRouters({
    config,
    logger: deps.logger,
    providers: deps.providers,
    authenticate: authenticate({ ...authDependencies, localMode: deps.localMode }),
  })
  app.use('/api/providers', providerRouters.providers)
  app.use('/api/oauth', providerRouters.oauth)
  app.use(
    '/webhooks',
    createWebhookRouter({
      logger: deps.logger,
      webhooks: deps.providers.webhooks,
      maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
    }),
  )
  app.use(
    '/admin',
    createAdminRouter({
      tenancy: deps.tenancy,
      defaultTenant: deps.defaultTenant,
      providers: deps.providers,
      logger: deps.logger,
      authenticate: authenticate({ ...authDependencies, localMode: async () => false }),
    }),
  )

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such route' } })
  })

  // biome-ignore lint/complexity/useMaxParams: express recognises error handlers by their four parameters
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500
    if (res.headersSent) {
      res.end()
      return
    }
    if (req.path.startsWith('/mcp')) {
      const message =
        status === 413
          ? `Payload too large: the limit is ${config.mcp.maxBodyBytes} bytes`
          : status < 500
            ? 'Bad Request'
            : 'Internal error'
      if (status >= 500)
        deps.logger.error({ err: error, requestId: requestIdOf(res) }, 'mcp request failed')
      res.status(status).json({
        jsonrpc: '2.0',
        error: {
          code: status >= 500 ? -32603 : -32000,
          message,
          ...(status >= 500 ? { data: { requestId: requestIdOf(res) } } : {}),
        },
        id: null,
      })
      return
    }
    if (status >= 500)
      deps.logger.error({ err: error, requestId: requestIdOf(res) }, 'request failed')
    res.status(status).json({
      error: {
        code: status >= 500 ? 'internal' : 'bad_request',
        message: status >= 500 ? 'internal error' : 'bad request',
        request_id: requestIdOf(res),
      },
    })
  }
  app.use(onError)

  return { app, mcp, inFlight: () => inFlight }
}
