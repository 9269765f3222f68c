import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createLocalSigner, createMemoryUsers, type MemoryUser } from '../src/local.js'
import { createMemoryOAuthStore } from '../src/memory-store.js'
import { createOAuthServer, type OAuthServer, type OAuthServerOptions } from '../src/server.js'
import type { OAuthStore } from '../src/store.js'
import type { OAuthAuditEvent } from '../src/types.js'

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

/** A minimal browser: a cookie jar and manual redirects, so tests see every hop. */
export function createBrowser(base: string) {
  const jar = new Map<string, string>()
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = (pair ?? '').indexOf('=')
      if (index > 0) jar.set((pair as string).slice(0, index), (pair as string).slice(index + 1))
    }
  }
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
  return {
    jar,
    async get(url: string): Promise<Response> {
      const response = await fetch(new URL(url, base), {
        redirect: 'manual',
        headers: jar.size > 0 ? { cookie: cookieHeader() } : {},
      })
      remember(response)
      return response
    },
    async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
      const response = await fetch(new URL(url, base), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(jar.size > 0 ? { cookie: cookieHeader() } : {}),
          ...headers,
        },
        body: new URLSearchParams(form).toString(),
      })
      remember(response)
      return response
    },
  }
}

/** The value of a hidden input in a page. */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page)
  if (!match?.[1]) throw new Error(`no hidden field ${name} in page`)
  return match[1].replaceAll('&amp;', '&')
}

/**
 * Follows an authorization URL like a person would: login form (email, password), consent
 * (Allow), and returns the final redirect to the client.
 */
export async function authorizeInBrowser(
  browser: ReturnType<typeof createBrowser>,
  authorizationUrl: string,
  user: { email: string; password: string; tenant?: string; decision?: 'allow' | 'deny' },
): Promise<URL> {
  let response = await browser.get(authorizationUrl)
  let location = response.headers.get('location')
  if (response.status !== 302 || location === null) {
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`)
  }
  if (location.startsWith('/oauth2/login')) {
    const page = await (await browser.get(location)).text()
    response = await browser.post('/oauth2/login', {
      request: hiddenField(page, 'request'),
      csrf_token: hiddenField(page, 'csrf_token'),
      email: user.email,
      password: user.password,
    })
    location = response.headers.get('location')
    if (response.status !== 303 || location === null) {
      throw new Error(`login answered ${response.status}`)
    }
  }
  if (location.startsWith('/oauth2/consent')) {
    const page = await (await browser.get(location)).text()
    const form: Record<string, string> = {
      request: hiddenField(page, 'request'),
      csrf_token: hiddenField(page, 'csrf_token'),
      decision: user.decision ?? 'allow',
    }
    form.tenant = user.tenant ?? hiddenField(page, 'tenant')
    response = await browser.post('/oauth2/consent', form)
    location = response.headers.get('location')
    if (response.status !== 303 || location === null) {
      throw new Error(`consent answered ${response.status}`)
    }
  }
  return new URL(location)
}

/** A JSON body as the tests read it: members are asserted, not trusted. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary members of response bodies
export type Json = any

/** Reads a response body as {@link Json}. */
export function json(response: Response): Promise<Json> {
  return response.json()
}
