import { randomUUID } from 'node:crypto'
import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { builtinTools, createToolCatalog, type ToolCatalog } from '@pierre/tools'
import type Database from 'better-sqlite3'
import type { Config } from './config.js'
import { createHttpApp, type HttpApp } from './http/app.js'
import type { Logger } from './logger.js'
import { createMcpServer, type Principal } from './mcp/server.js'
import { LineStdioTransport } from './mcp/stdio-transport.js'
import { openDatabase } from './storage/database.js'
import { VERSION } from './version.js'

/** Embedded single-user mode: the owner of tenant `local` (replaced by real principals later). */
export const LOCAL_PRINCIPAL: Principal = { tenantId: 'local', userId: 'local-owner' }

/** Options of {@link createPierre}. */
export interface PierreOptions {
  readonly logger: Logger
  /** Use an in-memory database instead of `<dataDir>/pierre.db` (tests). */
  readonly inMemoryDatabase?: boolean
}

/** A composed Pierre server, not yet listening. */
export interface Pierre {
  readonly config: Config
  readonly db: Database.Database
  readonly catalog: ToolCatalog
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

/** Composes the server from its configuration: database, tool catalogue, MCP and HTTP. */
export function createPierre(config: Config, options: PierreOptions): Pierre {
  const { logger } = options
  const db = openDatabase(
    options.inMemoryDatabase === true ? ':memory:' : { dataDir: config.dataDir },
  )
  const instanceId = ensureInstance(db)
  const catalog = createToolCatalog(builtinTools)
  const startedAt = Date.now()
  const serverFor = (principal: Principal, transport: 'http' | 'stdio') =>
    createMcpServer({
      catalog,
      logger,
      version: VERSION,
      principal,
      transport,
      conformanceFixtures: config.mcp.conformanceFixtures,
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
    db.close()
    logger.info({}, 'pierre server stopped')
  }

  return {
    config,
    db,
    catalog,
    async listen() {
      http = createHttpApp({
        config,
        db,
        logger,
        version: VERSION,
        startedAt,
        createMcpServer: (principal) => serverFor(principal, 'http'),
        localPrincipal: LOCAL_PRINCIPAL,
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
      const host = config.http.host.includes(':')
        ? `[${config.http.host.replace(/^\[|\]$/g, '')}]`
        : config.http.host
      const url = `http://${host}:${port}`
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
      return { url, port }
    },
    async serveStdio() {
      const server = serverFor(LOCAL_PRINCIPAL, 'stdio')
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
