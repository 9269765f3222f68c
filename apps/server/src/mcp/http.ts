import { randomBytes } from 'node:crypto'
import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import {
  isInitializeRequest,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js'
import express, { type Request, type Response, Router } from 'express'
import type { Logger } from '../logger.js'
import { MemoryEventStore } from './event-store.js'
import type { Principal } from './server.js'

interface Session {
  readonly id: string
  readonly server: Server
  readonly transport: StreamableHTTPServerTransport
  readonly principal: Principal
  protocolVersion: string | undefined
  lastActive: number
  inFlight: number
}

/** Options of {@link createMcpHttpHandler}. */
export interface McpHttpOptions {
  readonly logger: Logger
  readonly createServer: (principal: Principal) => Server
  /** Resolves the authenticated caller (set by the authentication middleware before this router). */
  readonly principalOf: (req: Request, res: Response) => Principal
  readonly maxBodyBytes: number
  readonly sessionIdleSeconds: number
  readonly jsonResponse: boolean
  readonly maxSessionsPerPrincipal: number
  readonly maxSessions: number
  readonly now?: () => number
}

/** The `/mcp` router plus the session table it owns. */
export interface McpHttpHandler {
  readonly router: Router
  /** Number of live sessions. */
  sessionCount(): number
  /** Closes idle sessions now (the timer also does it every minute). */
  sweep(): void
  /** Closes every session, aborting in-flight calls and ending their streams. */
  close(): Promise<void>
}

interface WireError {
  readonly status: number
  readonly code: number
  readonly message: string
}

function jsonRpcError(res: Response, { status, code, message }: WireError): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null })
}

function samePrincipal(a: Principal, b: Principal): boolean {
  return a.tenantId === b.tenantId && a.userId === b.userId && a.clientId === b.clientId
}

/**
 * Sets the `MCP-Protocol-Version` header of a request to the version the session negotiated. The
 * version is a property of the session (`specs/protocols.md` §2.2); a request that names another
 * supported revision is served as the negotiated one. The SDK reads headers from `rawHeaders`.
 */
function pinProtocolVersion(req: Request, negotiated: string): void {
  const raw = req.rawHeaders
  for (let index = 0; index < raw.length - 1; index += 2) {
    if (raw[index]?.toLowerCase() === 'mcp-protocol-version') {
      const value = raw[index + 1]
      if (
        value !== undefined &&
        value !== negotiated &&
        SUPPORTED_PROTOCOL_VERSIONS.includes(value)
      ) {
        raw[index + 1] = negotiated
        req.headers['mcp-protocol-version'] = negotiated
      }
    }
  }
}

/**
 * Creates the Streamable HTTP endpoint (`specs/protocols.md` §2.3): POST, GET (SSE) and DELETE on
 * one path, one SDK server and transport per session, sessions bound to their principal, idle
 * expiry, per-principal and global caps, and resumable streams.
 */
export function createMcpHttpHandler(options: McpHttpOptions): McpHttpHandler {
  const sessions = new Map<string, Session>()
  const now = options.now ?? Date.now
  const router = Router()
  const rawBody = express.raw({ type: () => true, limit: options.maxBodyBytes })

  function closeSession(session: Session, reason: string): void {
    if (!sessions.delete(session.id)) return
    options.logger.debug({ sessionId: session.id, reason }, 'mcp session closed')
    session.transport.close().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'closing an mcp transport failed')
    })
  }

  function makeRoom(principal: Principal): boolean {
    const mine = [...sessions.values()].filter((s) => samePrincipal(s.principal, principal))
    const overPrincipal = mine.length >= options.maxSessionsPerPrincipal
    const overTotal = sessions.size >= options.maxSessions
    if (!overPrincipal && !overTotal) return true
    const pool = overPrincipal ? mine : [...sessions.values()]
    const idle = pool.filter((s) => s.inFlight === 0).sort((a, b) => a.lastActive - b.lastActive)
    const victim = idle[0]
    if (victim === undefined) return false
    closeSession(victim, 'session cap reached')
    return true
  }

  function sweep(): void {
    const cutoff = now() - options.sessionIdleSeconds * 1000
    for (const session of sessions.values()) {
      if (session.inFlight === 0 && session.lastActive < cutoff) closeSession(session, 'idle')
    }
  }

  function lookup(req: Request, res: Response): Session | undefined {
    const header = req.headers['mcp-session-id']
    const id = Array.isArray(header) ? header[0] : header
    if (id === undefined || id === '') {
      jsonRpcError(res, {
        status: 400,
        code: -32000,
        message: 'Bad Request: Mcp-Session-Id header is required',
      })
      return undefined
    }
    const session = sessions.get(id)
    // Another principal's session answers exactly like an unknown one: existence is not revealed.
    if (session === undefined || !samePrincipal(session.principal, options.principalOf(req, res))) {
      jsonRpcError(res, { status: 404, code: -32001, message: 'Session not found' })
      return undefined
    }
    session.lastActive = now()
    if (session.protocolVersion !== undefined) pinProtocolVersion(req, session.protocolVersion)
    return session
  }

  async function track(session: Session, work: () => Promise<void>): Promise<void> {
    session.inFlight++
    try {
      await work()
    } finally {
      session.inFlight--
      session.lastActive = now()
    }
  }

  router.post('/', rawBody, async (req, res) => {
    // A middleware before this router may have parsed the body already (to see the method).
    const parsed = res.locals.mcpBody as { value: unknown } | undefined
    let body: unknown = parsed?.value
    if (parsed === undefined) {
      try {
        const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''
        body = JSON.parse(text)
      } catch {
        jsonRpcError(res, {
          status: 400,
          code: -32700,
          message: 'Parse error: the body is not valid JSON',
        })
        return
      }
    }
    const hasSessionHeader = req.headers['mcp-session-id'] !== undefined
    if (!hasSessionHeader) {
      if (!isInitializeRequest(body)) {
        jsonRpcError(res, {
          status: 400,
          code: -32000,
          message: 'Bad Request: Mcp-Session-Id header is required',
        })
        return
      }
      const principal = options.principalOf(req, res)
      if (!makeRoom(principal)) {
        jsonRpcError(res, {
          status: 503,
          code: -32000,
          message: 'Too many active sessions; try again later',
        })
        return
      }
      const server = options.createServer(principal)
      let session: Session | undefined
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomBytes(16).toString('base64url'),
        enableJsonResponse: options.jsonResponse,
        eventStore: new MemoryEventStore(),
        retryInterval: 2000,
        maxRequestBodySize: options.maxBodyBytes,
        onsessioninitialized: (id) => {
          session = {
            id,
            server,
            transport,
            principal,
            protocolVersion: undefined,
            lastActive: now(),
            inFlight: 0,
          }
          sessions.set(id, session)
          options.logger.debug({ sessionId: id }, 'mcp session opened')
        },
        onsessionclosed: (id) => {
          const closing = sessions.get(id)
          if (closing !== undefined) sessions.delete(id)
        },
      })
      transport.onclose = () => {
        if (session !== undefined) sessions.delete(session.id)
      }
      server.oninitialized = () => {
        if (session !== undefined) session.protocolVersion = negotiatedVersion(body)
      }
      await server.connect(transport)
      await transport.handleRequest(req, res, body)
      if (session !== undefined) session.protocolVersion ??= negotiatedVersion(body)
      return
    }
    const session = lookup(req, res)
    if (session === undefined) return
    if (Array.isArray(body) && session.protocolVersion !== '2025-03-26') {
      jsonRpcError(res, {
        status: 400,
        code: -32600,
        message: 'Invalid Request: batching is not supported',
      })
      return
    }
    await track(session, () => session.transport.handleRequest(req, res, body))
  })

  router.get('/', async (req, res) => {
    const session = lookup(req, res)
    if (session === undefined) return
    await session.transport.handleRequest(req, res)
  })

  router.delete('/', async (req, res) => {
    const session = lookup(req, res)
    if (session === undefined) return
    await session.transport.handleRequest(req, res)
    closeSession(session, 'deleted by client')
  })

  router.all('/', (_req, res) => {
    res.setHeader('Allow', 'GET, POST, DELETE')
    jsonRpcError(res, { status: 405, code: -32000, message: 'Method not allowed' })
  })

  const timer = setInterval(sweep, 60_000)
  timer.unref()

  return {
    router,
    sessionCount: () => sessions.size,
    sweep,
    async close() {
      clearInterval(timer)
      const all = [...sessions.values()]
      sessions.clear()
      await Promise.allSettled(all.map((session) => session.transport.close()))
    },
  }
}

function negotiatedVersion(initialize: unknown): string {
  const requested = (initialize as { params?: { protocolVersion?: unknown } }).params
    ?.protocolVersion
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : LATEST_PROTOCOL_VERSION
}
