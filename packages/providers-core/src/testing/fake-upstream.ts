import { createHash, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

/** One request the fake received, as recorded in {@link FakeUpstream.requests}. */
export interface FakeRequest {
  readonly method: string
  /** Path without the query. */
  readonly path: string
  readonly query: URLSearchParams
  /** Header names lower-case. */
  readonly headers: Readonly<Record<string, string>>
  /** The raw body text. */
  readonly body: string
  /** The body read as a form, when it is `application/x-www-form-urlencoded`. */
  readonly form: URLSearchParams | undefined
  /** Values of `:name` segments of the matched route. */
  readonly params: Readonly<Record<string, string>>
  /** The bearer token of the `Authorization` header, when there is one. */
  readonly bearerToken: string | undefined
  /** When it arrived, by the fake's clock (ISO UTC). */
  readonly at: string
}

/** A response the fake sends. */
export interface FakeResponse {
  /** 200 by default. */
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as JSON unless it is a string; ignored when `fixture` is set. */
  readonly body?: unknown
  /** File name under `fixturesDir`, sent byte for byte as JSON (big integers survive). */
  readonly fixture?: string
  /** Waits this long before answering (real time), to exercise client timeouts. */
  readonly delayMs?: number
}

/** Computes a response from a request. */
export type FakeHandler = (
  request: FakeRequest,
  fake: FakeUpstream,
) => FakeResponse | Promise<FakeResponse>

/** One route of the fake. */
export interface FakeRoute {
  /** `GET` by default. */
  readonly method?: string
  /** Path, with `:name` segments (`/api/v3/activities/:id`). */
  readonly path: string
  /** Whether a valid bearer token is required; the fake's `requireAuth` by default. */
  readonly auth?: boolean
  /** A fixed response or a handler. */
  readonly respond: FakeResponse | FakeHandler
}

/** The built-in OAuth 2.0 authorization server of the fake. */
export interface FakeOAuthOptions {
  /** `/oauth/authorize` by default; answers 302 to the redirect URI (auto-approve). */
  readonly authorizePath?: string
  /** `/oauth/token` by default: `authorization_code` and `refresh_token` grants. */
  readonly tokenPath?: string
  /** `/oauth/revoke` by default (RFC 7009 `token`, or `access_token`). */
  readonly revokePath?: string
  /** When set, client credentials (post or basic) must match. */
  readonly clientId?: string
  readonly clientSecret?: string
  /** Access-token lifetime, seconds; 21 600 by default. */
  readonly accessTokenTtlSeconds?: number
  /** Whether each refresh returns a new refresh token (the old one stops working); true by default. */
  readonly rotateRefreshTokens?: boolean
  /** Members added to every token response (Strava `expires_at`, `athlete`). */
  readonly extraTokenFields?: (grant: {
    readonly grantType: 'authorization_code' | 'refresh_token'
    readonly expiresAtSeconds: number
  }) => Readonly<Record<string, unknown>>
  /** Response to a refused grant; `400 {"error": "invalid_grant"}` by default. */
  readonly grantError?: FakeResponse
  /** Waits this long before answering a token request (real time), to widen races. */
  readonly tokenDelayMs?: number
}

/** Options of {@link startFakeUpstream}. */
export interface FakeUpstreamOptions {
  readonly routes?: readonly FakeRoute[]
  /** Directory of fixture files (a path or a `file:` URL). */
  readonly fixturesDir?: string | URL
  /** Whether routes require a valid bearer token by default; true when `oauth` is set. */
  readonly requireAuth?: boolean
  /** Response to a missing, unknown or expired token; `401 {"error": "invalid_token"}` by default. */
  readonly unauthorized?: FakeResponse
  /** Enables the built-in OAuth server (`true` for the defaults). */
  readonly oauth?: FakeOAuthOptions | boolean
  /** The fake's clock, for token expiry; `() => new Date()` by default. */
  readonly now?: () => Date
  /** Seed of the deterministic token generator. */
  readonly seed?: string
}

/** Tokens issued by {@link FakeTokens.issue}. */
export interface FakeTokenSet {
  readonly accessToken: string
  readonly refreshToken: string
  /** Epoch seconds. */
  readonly expiresAtSeconds: number
  readonly scopes: readonly string[]
}

/** The fake's token registry. */
export interface FakeTokens {
  /** Issues a token pair valid for `expiresInSeconds` (the OAuth TTL by default). */
  issue(options?: {
    readonly expiresInSeconds?: number
    readonly scopes?: readonly string[]
  }): FakeTokenSet
  /** Makes an access token expired (401 from now on). */
  expire(accessToken: string): void
  /** Withdraws consent: the refresh token and its access tokens stop working. */
  revokeGrant(refreshToken: string): void
  /** Returns whether an access token is currently accepted. */
  isValid(accessToken: string): boolean
  /** How many refresh grants the token endpoint has answered successfully. */
  readonly refreshCount: number
}

/** A running fake upstream on 127.0.0.1. */
export interface FakeUpstream {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Every request received, in order. */
  readonly requests: readonly FakeRequest[]
  readonly tokens: FakeTokens
  /**
   * Queues responses for the next matching requests, before route and auth handling
   * (`'GET /api/v3/athlete'`, or a path for any method). Each response is used once, in order.
   */
  script(route: string, responses: readonly FakeResponse[]): void
  /** Makes the next authorization request end with `error=access_denied`. */
  denyNextAuthorization(): void
  /** Returns the requests whose path matches (`'/oauth/token'`, or `'POST /oauth/token'`). */
  requestsTo(route: string): readonly FakeRequest[]
  /** Forgets recorded requests and queued scripts. */
  reset(): void
  /** Stops the server and closes open connections. */
  close(): Promise<void>
}

interface CompiledRoute {
  readonly method: string
  readonly pattern: RegExp
  readonly names: readonly string[]
  readonly route: FakeRoute
}

interface AccessTokenState {
  expiresAtMs: number
  readonly grant: string
  readonly scopes: readonly string[]
}

interface GrantState {
  readonly scopes: readonly string[]
  active: boolean
}

interface CodeState {
  readonly redirectUri: string | undefined
  readonly challenge: string | undefined
  readonly scopes: readonly string[]
}

/**
 * Starts a fake upstream API on 127.0.0.1 (port 0): routes answer from JSON fixtures or handlers
 * with any status and headers; scripted responses (5xx sequences, 429 with headers) jump the queue;
 * a built-in OAuth server issues, refreshes, rotates and revokes tokens, and routes answer 401 for
 * expired or unknown ones; every request is recorded. Provider packages build their fakes on it.
 *
 * @example
 * ```ts
 * const fake = await startFakeUpstream({ routes: [{ path: '/athlete', respond: { body: { id: 1 } } }] })
 * onTestFinished(() => fake.close())
 * ```
 */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const now = options.now ?? (() => new Date())
  const oauth: FakeOAuthOptions | undefined =
    options.oauth === true ? {} : options.oauth === false ? undefined : options.oauth
  const requireAuth = options.requireAuth ?? oauth !== undefined
  const fixturesDir =
    options.fixturesDir === undefined
      ? undefined
      : options.fixturesDir instanceof URL
        ? fileURLToPath(options.fixturesDir)
        : options.fixturesDir
  const routes = (options.routes ?? []).map(compileRoute)
  const requests: FakeRequest[] = []
  const scripts: {
    readonly method: string | undefined
    readonly path: string
    queue: FakeResponse[]
  }[] = []
  const accessTokens = new Map<string, AccessTokenState>()
  const grants = new Map<string, GrantState>()
  const codes = new Map<string, CodeState>()
  let counter = 0
  let refreshCount = 0
  let denyNext = false
  const seed = options.seed ?? 'fake-upstream'
  const ttlSeconds = oauth?.accessTokenTtlSeconds ?? 21_600

  const nextToken = (): string => {
    counter += 1
    return createHash('sha1').update(`${seed}:${counter}`).digest('hex')
  }

  const tokens: FakeTokens = {
    issue(issueOptions = {}) {
      const refreshToken = nextToken()
      const accessToken = nextToken()
      const scopes = issueOptions.scopes ?? []
      const expiresAtSeconds =
        Math.floor(now().getTime() / 1000) + (issueOptions.expiresInSeconds ?? ttlSeconds)
      grants.set(refreshToken, { scopes, active: true })
      accessTokens.set(accessToken, {
        expiresAtMs: expiresAtSeconds * 1000,
        grant: refreshToken,
        scopes,
      })
      return { accessToken, refreshToken, expiresAtSeconds, scopes }
    },
    expire(accessToken) {
      const state = accessTokens.get(accessToken)
      if (state !== undefined) state.expiresAtMs = now().getTime() - 1000
    },
    revokeGrant(refreshToken) {
      const grant = grants.get(refreshToken)
      if (grant !== undefined) grant.active = false
      for (const [token, state] of accessTokens)
        if (state.grant === refreshToken) accessTokens.delete(token)
    },
    isValid(accessToken) {
      const state = accessTokens.get(accessToken)
      return (
        state !== undefined &&
        state.expiresAtMs > now().getTime() &&
        grants.get(state.grant)?.active !== false
      )
    },
    get refreshCount() {
      return refreshCount
    },
  }

  const parseRoute = (route: string): { method: string | undefined; path: string } => {
    const match = /^([A-Z]+)\s+(.+)$/.exec(route.trim())
    return match === null
      ? { method: undefined, path: route.trim() }
      : { method: match[1], path: (match[2] as string).trim() }
  }

  const send = async (response: ServerResponse, reply: FakeResponse): Promise<void> => {
    if (reply.delayMs !== undefined && reply.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, reply.delayMs))
    }
    const headers: Record<string, string> = { ...reply.headers }
    let payload = ''
    if (reply.fixture !== undefined) {
      if (fixturesDir === undefined)
        throw new Error('fake upstream: fixture used without fixturesDir')
      payload = await readFile(`${fixturesDir}/${reply.fixture}`, 'utf8')
      headers['content-type'] ??= 'application/json; charset=utf-8'
    } else if (typeof reply.body === 'string') {
      payload = reply.body
    } else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body)
      headers['content-type'] ??= 'application/json; charset=utf-8'
    }
    if (response.destroyed) return
    response.writeHead(reply.status ?? 200, headers)
    response.end(payload)
  }

  const oauthError = (error: string, status = 400): FakeResponse =>
    oauth?.grantError ?? { status, body: { error } }

  const clientAuthorized = (request: FakeRequest): boolean => {
    if (oauth?.clientId === undefined) return true
    let id = request.form?.get('client_id') ?? undefined
    let secret = request.form?.get('client_secret') ?? undefined
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')
    if (basic !== null) {
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '))
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '))
    }
    return (
      id === oauth.clientId && (oauth.clientSecret === undefined || secret === oauth.clientSecret)
    )
  }

  const tokenResponse = (
    grantType: 'authorization_code' | 'refresh_token',
    set: FakeTokenSet,
  ): FakeResponse => ({
    status: 200,
    body: {
      token_type: 'Bearer',
      access_token: set.accessToken,
      refresh_token: set.refreshToken,
      expires_in: set.expiresAtSeconds - Math.floor(now().getTime() / 1000),
      ...(set.scopes.length === 0 ? {} : { scope: set.scopes.join(' ') }),
      ...oauth?.extraTokenFields?.({ grantType, expiresAtSeconds: set.expiresAtSeconds }),
    },
  })

  const handleOAuth = async (request: FakeRequest): Promise<FakeResponse | undefined> => {
    if (oauth === undefined) return undefined
    const authorizePath = oauth.authorizePath ?? '/oauth/authorize'
    const tokenPath = oauth.tokenPath ?? '/oauth/token'
    const revokePath = oauth.revokePath ?? '/oauth/revoke'
    if (request.method === 'GET' && request.path === authorizePath) {
      const redirect = request.query.get('redirect_uri')
      if (redirect === null) return { status: 400, body: { error: 'invalid_request' } }
      const target = new URL(redirect)
      const state = request.query.get('state')
      if (state !== null) target.searchParams.set('state', state)
      if (denyNext) {
        denyNext = false
        target.searchParams.set('error', 'access_denied')
      } else {
        const code = nextToken()
        const scopes = (request.query.get('scope') ?? '')
          .split(/[\s,]+/)
          .filter((scope) => scope !== '')
        codes.set(code, {
          redirectUri: redirect,
          challenge: request.query.get('code_challenge') ?? undefined,
          scopes,
        })
        target.searchParams.set('code', code)
      }
      return { status: 302, headers: { location: target.toString() } }
    }
    if (request.method === 'POST' && request.path === tokenPath) {
      if (oauth.tokenDelayMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, oauth.tokenDelayMs))
      }
      if (!clientAuthorized(request)) return { status: 401, body: { error: 'invalid_client' } }
      const form = request.form ?? new URLSearchParams()
      const grantType = form.get('grant_type')
      if (grantType === 'authorization_code') {
        const code = form.get('code') ?? ''
        const state = codes.get(code)
        codes.delete(code)
        if (state === undefined) return oauthError('invalid_grant')
        if (state.redirectUri !== undefined && form.get('redirect_uri') !== state.redirectUri) {
          return oauthError('invalid_grant')
        }
        if (state.challenge !== undefined) {
          const verifier = form.get('code_verifier') ?? ''
          const computed = createHash('sha256').update(verifier).digest('base64url')
          if (!safeEqual(computed, state.challenge)) return oauthError('invalid_grant')
        }
        return tokenResponse('authorization_code', tokens.issue({ scopes: state.scopes }))
      }
      if (grantType === 'refresh_token') {
        const refreshToken = form.get('refresh_token') ?? ''
        const grant = grants.get(refreshToken)
        if (grant === undefined || !grant.active) return oauthError('invalid_grant')
        refreshCount += 1
        if (oauth.rotateRefreshTokens ?? true) {
          grant.active = false
          return tokenResponse('refresh_token', tokens.issue({ scopes: grant.scopes }))
        }
        const accessToken = nextToken()
        const expiresAtSeconds = Math.floor(now().getTime() / 1000) + ttlSeconds
        accessTokens.set(accessToken, {
          expiresAtMs: expiresAtSeconds * 1000,
          grant: refreshToken,
          scopes: grant.scopes,
        })
        return tokenResponse('refresh_token', {
          accessToken,
          refreshToken,
          expiresAtSeconds,
          scopes: grant.scopes,
        })
      }
      return oauthError('unsupported_grant_type')
    }
    if (request.method === 'POST' && request.path === revokePath) {
      const token = request.form?.get('token') ?? request.form?.get('access_token') ?? ''
      if (grants.has(token)) tokens.revokeGrant(token)
      const access = accessTokens.get(token)
      if (access !== undefined) tokens.revokeGrant(access.grant)
      return { status: 200, body: {} }
    }
    return undefined
  }

  let fake: FakeUpstream

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(incoming)
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined)
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    }
    const method = (incoming.method ?? 'GET').toUpperCase()
    const matched = matchRoute(routes, method, url.pathname)
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')
    const request: FakeRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      form: /application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '')
        ? new URLSearchParams(body)
        : undefined,
      params: matched?.params ?? {},
      bearerToken: bearer === null ? undefined : (bearer[1] as string).trim(),
      at: now().toISOString(),
    }
    requests.push(request)
    const script = scripts.find(
      (entry) =>
        entry.queue.length > 0 &&
        (entry.method === undefined || entry.method === method) &&
        entry.path === url.pathname,
    )
    const scripted = script?.queue.shift()
    if (scripted !== undefined) return send(response, scripted)
    const oauthReply = await handleOAuth(request)
    if (oauthReply !== undefined) return send(response, oauthReply)
    if (matched === undefined) return send(response, { status: 404, body: { error: 'not_found' } })
    if (matched.route.auth ?? requireAuth) {
      const token = request.bearerToken
      if (token === undefined || !tokens.isValid(token)) {
        return send(
          response,
          options.unauthorized ?? {
            status: 401,
            headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
            body: { error: 'invalid_token' },
          },
        )
      }
    }
    const reply =
      typeof matched.route.respond === 'function'
        ? await matched.route.respond(request, fake)
        : matched.route.respond
    return send(response, reply)
  }

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy()
        return
      }
      response.writeHead(500, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ error: 'fake_upstream_failure', message: String(error) }))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo

  fake = {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    tokens,
    script(route, responses) {
      const { method, path } = parseRoute(route)
      scripts.push({ method, path, queue: [...responses] })
    },
    denyNextAuthorization() {
      denyNext = true
    },
    requestsTo(route) {
      const { method, path } = parseRoute(route)
      return requests.filter(
        (request) => request.path === path && (method === undefined || request.method === method),
      )
    },
    reset() {
      requests.length = 0
      scripts.length = 0
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      })
    },
  }
  return fake
}

function compileRoute(route: FakeRoute): CompiledRoute {
  const names: string[] = []
  const source = route.path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1))
        return '([^/]+)'
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return {
    method: (route.method ?? 'GET').toUpperCase(),
    pattern: new RegExp(`^${source}$`),
    names,
    route,
  }
}

function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: FakeRoute; params: Record<string, string> } | undefined {
  for (const compiled of routes) {
    if (compiled.method !== method) continue
    const match = compiled.pattern.exec(path)
    if (match === null) continue
    const params: Record<string, string> = {}
    compiled.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] as string)
    })
    return { route: compiled.route, params }
  }
  return undefined
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    incoming.on('error', reject)
  })
}

function safeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left)
  const b = Buffer.from(right)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Options of {@link pageOf}. */
export interface PageOfOptions {
  /** Query parameter of the 1-based page number; `page` by default. */
  readonly pageParam?: string
  /** Query parameter of the page size; `per_page` by default. */
  readonly sizeParam?: string
  /** 30 by default. */
  readonly defaultSize?: number
  /** Larger sizes are capped; 200 by default. */
  readonly maxSize?: number
}

/** Returns the slice of `items` a page-numbered request asks for (`?page=2&per_page=30`). */
export function pageOf<TItem>(
  items: readonly TItem[],
  request: Pick<FakeRequest, 'query'>,
  options: PageOfOptions = {},
): TItem[] {
  const page = Math.max(1, Number(request.query.get(options.pageParam ?? 'page') ?? '1') || 1)
  const requested =
    Number(request.query.get(options.sizeParam ?? 'per_page') ?? '') || (options.defaultSize ?? 30)
  const size = Math.min(options.maxSize ?? 200, Math.max(1, requested))
  return items.slice((page - 1) * size, page * size)
}
