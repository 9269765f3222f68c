import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createLocalSigner, createMemoryUsers, type MemoryUser } from '../src/local.js'
import { createMemoryOAuthStore } from '../src/memory-store.js'
import { createOAuthServer, type OAuthServer, type OAuthServerOptions } from '../src/server.js'
import type { OAuthStore } from '../src/store.js'
import type { OAuthAuditEvent } from '../src/types.js'

export {
  authorizeInBrowser,
  createTestBrowser as createBrowser,
  hiddenField,
} from '../src/testing/browser.js'

export const alice: MemoryUser = {
  id: 'user-alice',
  email: 'alice@example.com',
  password: 'correct horse battery staple',
  tenants: [{ id: 'tenant-a', name: 'Alice & Co' }],
}
export const bob: MemoryUser = {
  id: 'user-bob',
  email: 'bob@example.com',
  password: 'another long passphrase',
  tenants: [
    { id: 'tenant-a', name: 'Alice & Co' },
    { id: 'tenant-b', name: 'Bob Labs' },
  ],
}

/** A clock the tests move. */
function testClock(start = Date.now()) {
  let nowMs = start
  return {
    now: () => new Date(nowMs),
    advance(seconds: number) {
      nowMs += seconds * 1000
    },
  }
}

export interface TestServer {
  readonly base: string
  readonly oauth: OAuthServer
  readonly store: OAuthStore
  readonly clock: ReturnType<typeof testClock>
  readonly audit: OAuthAuditEvent[]
  readonly logs: string[]
  close(): Promise<void>
}

/**
 * Starts express on 127.0.0.1 with the authorization server mounted and a protected `/mcp` that
 * answers the caller's identity, as a resource server would.
 */
export async function startTestServer(
  overrides: Partial<OAuthServerOptions> & { userList?: readonly MemoryUser[] } = {},
): Promise<TestServer> {
  const app = express()
  const http = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => http.once('listening', () => resolve()))
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const clock = testClock()
  const store = overrides.store ?? createMemoryOAuthStore()
  const audit: OAuthAuditEvent[] = []
  const logs: string[] = []
  const record = (level: string) => (fields: Record<string, unknown>, message: string) => {
    logs.push(JSON.stringify({ level, ...fields, message }))
  }
  const { userList, ...options } = overrides
  const oauth = createOAuthServer({
    issuer: base,
    resources: ['/mcp', '/a2a'],
    store,
    users: createMemoryUsers(userList ?? [alice, bob], { now: clock.now }),
    keys: await createLocalSigner({ issuer: base, now: clock.now }),
    secret: randomBytes(32),
    now: clock.now,
    audit: (event) => audit.push(event),
    logger: { info: record('info'), warn: record('warn'), error: record('error') },
    ...options,
  })
  app.use(oauth.router)
  for (const path of ['/mcp', '/a2a']) {
    const resource = `${base}${path}`
    app.post(path, async (req, res) => {
      const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')
      if (!match?.[1]) {
        res.setHeader('WWW-Authenticate', oauth.challenge(resource))
        res.status(401).json({ error: 'unauthorized' })
        return
      }
      const result = await oauth.verifyAccessToken(match[1], { resource })
      if (!result.ok) {
        res.setHeader(
          'WWW-Authenticate',
          oauth.challenge(resource, { error: result.error, description: result.description }),
        )
        res.status(401).json({ error: result.error, error_description: result.description })
        return
      }
      res.json({ sub: result.claims.sub, tenant: result.claims.tenant, scopes: result.scopes })
    })
  }
  return {
    base,
    oauth,
    store,
    clock,
    audit,
    logs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections()
        http.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** A JSON body as the tests read it: members are asserted, not trusted. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary members of response bodies
export type Json = any

/** Reads a response body as {@link Json}. */
export function json(response: Response): Promise<Json> {
  return response.json()
}
