import { randomUUID } from 'node:crypto'
import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OAuthServer } from '@pierre/oauth-server'
import type { MasterKey, Tenancy, TenantRecord } from '@pierre/tenancy'
import { builtinTools, createToolCatalog, type ToolCatalog } from '@pierre/tools'
import type Database from 'better-sqlite3'
import { type Config, isLoopbackHost } from './config.js'
import { createHttpApp, type HttpApp } from './http/app.js'
import type { Logger } from './logger.js'
import { createMcpServer, type Principal } from './mcp/server.js'
import { LineStdioTransport } from './mcp/stdio-transport.js'
import { createPierreOAuthServer } from './oauth-server.js'
import { createProviders, type Providers } from './providers.js'
import { openTenancy, type TenancyTuning } from './tenancy.js'
import { VERSION } from './version.js'

/** User id of the owner in local single-user mode and on stdio (no account behind it). */
export const LOCAL_OWNER_ID = 'local-owner'

/** Options of {@link createPierre}. */
export interface PierreOptions {
  readonly logger: Logger
  /** Use an in-memory database (and a generated master key) instead of `<dataDir>/pierre.db` (tests). */
  readonly inMemoryDatabase?: boolean
  /** A master key to use instead of the configured one (tests). */
  readonly masterKey?: MasterKey
  /** Lower RSA and scrypt costs or a fixed clock (tests). */
  readonly tenancy?: TenancyTuning
}

/** A composed Pierre server, not yet listening. */
export interface Pierre {
  readonly config: Config
  readonly db: Database.Database
  readonly catalog: ToolCatalog
  /** Tenants, users, keys, authentication and rate limits. */
  readonly tenancy: Tenancy
  /** The OAuth authorization server of `/mcp`. */
  readonly oauth: OAuthServer
  /** The provider registry, the connectors and the stores of provider data. */
  readonly providers: Providers
  /** The tenant created on first run (slug `local`). */
  readonly defaultTenant: TenantRecord
  /** The principal of local single-user mode and stdio: the owner of the default tenant. */
  readonly localPrincipal: Principal
  /** Whether a request without a credential is served as the local owner right now. */
  localMode(): Promise<boolean>
  /** Starts HTTP on the configured host and port; resolves with the bound address. */
  listen(): Promise<{ url: string; port: number }>
  /** Serves MCP over stdin/stdout until EOF or {@link Pierre.close}. */
  serveStdio(): Promise<void>
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes sessions and the database. */
  close(graceMs?: number): Promise<void>
}

function ensureInstance(db: Database.Database): string {
  db.prepare(
    'INSERT OR IGNORE INTO server_instance (id, created_at) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM server_instance)',
  ).run(randomUUID(), new Date().toISOString())
  const row = db.prepare('SELECT id FROM server_instance LIMIT 1').get() as { id: string }
  return row.id
}

const FIRST_ADMIN_HINT =
  'printf %s "$PASSWORD" | pierre-server admin create-user --email you@example.com --password-stdin --role super_admin'

/**
 * Composes the server from its configuration: database and migrations, master key and tenancy
 * (default tenant on first run), tool catalogue, MCP and HTTP.
 *
 * @throws `StartupError` for a wrong, missing or insecure master key; `StorageError` when the
 *   database cannot be opened or migrated.
 */
export async function createPierre(config: Config, options: PierreOptions): Promise<Pierre> {
  const { logger } = options
  const { db, tenancy, defaultTenant, issuer, oauthStore } = await openTenancy(config, {
    logger,
    inMemoryDatabase: options.inMemoryDatabase,
    masterKey: options.masterKey,
    tuning: options.tenancy,
  })
  const localPrincipal: Principal = { tenantId: defaultTenant.id, userId: LOCAL_OWNER_ID }
  const instanceId = ensureInstance(db)
  const localAllowed = config.auth.mode === 'auto' && isLoopbackHost(config.http.host)
  let usersExist = (await tenancy.stores.users.list({ limit: 1 })).length > 0
  /** Local mode ends for good once a user exists (created by the CLI, REST or another process). */
  async function localMode(): Promise<boolean> {
    if (!localAllowed || usersExist) return false
    usersExist = (await tenancy.stores.users.list({ limit: 1 })).length > 0
    if (usersExist) {
      logger.info({ auth: 'required' }, 'a user exists: local single-user mode ended')
    }
    return !usersExist
  }
  if (!usersExist)
    logger.info({ command: FIRST_ADMIN_HINT }, 'no users yet: create the first admin')
  const catalog = createToolCatalog(builtinTools)
  const oauth = createPierreOAuthServer({
    config,
    store: oauthStore,
    tenancy,
    logger,
    issuer,
    ...(options.tenancy?.now === undefined ? {} : { now: options.tenancy.now }),
  })
  const startedAt = Date.now()
  /** The base URL of this server: the public URL, else the bound address once listening. */
  let baseUrl =
    config.auth.publicUrl ?? `http://${hostForUrl(config.http.host)}:${config.http.port}`
  const providers = createProviders(config, {
    db,
    tenancy,
    logger,
    defaultRedirectUri: (provider) => `${baseUrl}/api/oauth/callback/${provider}`,
    isAccountless: (userId) => userId === LOCAL_OWNER_ID,
  })
  const serverFor = (principal: Principal, transport: 'http' | 'stdio') =>
    createMcpServer({
      catalog,
      logger,
      version: VERSION,
      principal,
      transport,
      conformanceFixtures: config.mcp.conformanceFixtures,
      providers: providers.registry,
    })

  let http: HttpApp | undefined
  let listener: HttpServer | undefined
  let stdio: LineStdioTransport | undefined
  let closing: Promise<void> | undefined

  async function shutdown(graceMs: number): Promise<void> {
    if (listener !== undefined) {
      const server = listener
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      const deadline = Date.now() + graceMs
      while (http !== undefined && http.inFlight() > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      await http?.mcp.close()
      server.closeAllConnections()
      await stopped
    }
    if (stdio !== undefined) await stdio.close()
    // Pushed data already acknowledged to the provider is written before the database closes.
    await providers.webhooks.drain()
    db.close()
    logger.info({}, 'pierre server stopped')
  }

  return {
    config,
    db,
    catalog,
    tenancy,
    oauth,
    providers,
    defaultTenant,
    localPrincipal,
    localMode,
    async listen() {
      http = createHttpApp({
        config,
        db,
        logger,
        version: VERSION,
        startedAt,
        createMcpServer: (principal) => serverFor(principal, 'http'),
        tenancy,
        defaultTenant,
        localMode,
        localPrincipal,
        providers,
        oauth,
        requiredScope: (tool) => catalog.requiredScope(tool),
      })
      const app = http.app
      const server = await new Promise<HttpServer>((resolve, reject) => {
        const s = app.listen(config.http.port, config.http.host, (error?: Error) => {
          if (error) reject(error)
          else resolve(s)
        })
        s.once('error', reject)
      })
      listener = server
      const { port } = server.address() as AddressInfo
      const url = `http://${hostForUrl(config.http.host)}:${port}`
      if (config.auth.publicUrl === undefined) baseUrl = url
      logger.info(
        {
          url,
          mcp: `${url}/mcp`,
          dataDir: options.inMemoryDatabase === true ? ':memory:' : config.dataDir,
          instanceId,
          tools: catalog.list().length,
        },
        'pierre server listening',
      )
      if (config.auth.publicUrl === undefined && config.http.port === 0) {
        logger.warn(
          { issuer },
          'port 0 without PIERRE_PUBLIC_URL: the OAuth issuer cannot name the real port, so OAuth clients cannot sign in (API keys still work)',
        )
      }
      const local = await localMode()
      logger.info(
        local
          ? { auth: 'local', tenant: defaultTenant.slug }
          : { auth: 'required', reason: authReason(config, localAllowed) },
        local
          ? 'authentication: local single-user mode (no credential needed on loopback until a user exists)'
          : 'authentication: required (API key or access token)',
      )
      return { url, port }
    },
    async serveStdio() {
      const server = serverFor(localPrincipal, 'stdio')
      stdio = new LineStdioTransport({
        input: process.stdin,
        output: process.stdout,
        maxLineBytes: config.mcp.maxBodyBytes,
      })
      const done = new Promise<void>((resolve) => {
        server.onclose = () => resolve()
      })
      await server.connect(stdio)
      logger.info(
        { dataDir: config.dataDir, instanceId, tools: catalog.list().length },
        'pierre server on stdio',
      )
      await done
    },
    close(graceMs = 10_000) {
      closing ??= shutdown(graceMs)
      return closing
    },
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]` : host
}

function authReason(config: Config, localAllowed: boolean): string {
  if (config.auth.mode === 'required') return 'PIERRE_AUTH=required'
  if (!localAllowed) return 'bound to a non-loopback address'
  return 'a user exists'
}
