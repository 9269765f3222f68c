import { createHash, randomBytes } from 'node:crypto'
import { alice, authorizeInBrowser, createBrowser, json, type TestServer } from './support.js'

export const loopbackRedirect = 'http://127.0.0.1:5555/cb'

export interface Registered {
  client_id: string
  client_secret?: string
}

/** Registers a client over HTTP (RFC 7591). */
export async function registerClient(
  server: TestServer,
  metadata: Record<string, unknown> = {},
): Promise<Registered> {
  const response = await fetch(`${server.base}/oauth2/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: [loopbackRedirect],
      token_endpoint_auth_method: 'none',
      client_name: 'Threat test client',
      ...metadata,
    }),
  })
  if (response.status !== 201)
    throw new Error(`register: ${response.status} ${await response.text()}`)
  return (await json(response)) as Registered
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  return { verifier, challenge }
}

/** The authorization URL with sensible defaults; `overrides` with `undefined` drop a parameter. */
export function authorizeUrl(
  server: TestServer,
  clientId: string,
  overrides: Record<string, string | undefined> = {},
): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: loopbackRedirect,
    state: 'state-123',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    resource: `${server.base}/mcp`,
    ...overrides,
  }
  const url = new URL(`${server.base}/oauth2/authorize`)
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value)
  }
  return url.toString()
}

/** POSTs a form to a token-style endpoint; `headers` may carry `Authorization: Basic`. */
export async function postForm(
  server: TestServer,
  path: string,
  form: Record<string, string | Record<string, string>>,
): Promise<Response> {
  const { headers = {}, ...fields } = form as { headers?: Record<string, string> } & Record<
    string,
    string
  >
  return fetch(`${server.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  })
}

/** Gets a code through login and consent (as `user`, default Alice). */
export async function obtainCode(
  server: TestServer,
  client: Registered,
  options: {
    user?: { email: string; password: string; tenant?: string }
    resource?: string
    scope?: string
  } = {},
) {
  const { verifier, challenge } = pkce()
  const url = authorizeUrl(server, client.client_id, {
    code_challenge: challenge,
    ...(options.resource === undefined ? {} : { resource: options.resource }),
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  })
  const callback = await authorizeInBrowser(createBrowser(server.base), url, options.user ?? alice)
  const code = callback.searchParams.get('code')
  if (code === null) throw new Error(`no code: ${callback}`)
  return { code, verifier, resource: options.resource ?? `${server.base}/mcp` }
}

export interface Tokens {
  access_token: string
  refresh_token?: string
  scope: string
  expires_in: number
}

/** The whole dance: register (unless given), authorize, exchange. */
export async function oauthDance(
  server: TestServer,
  options: {
    client?: Registered
    user?: { email: string; password: string; tenant?: string }
    resource?: string
    scope?: string
  } = {},
): Promise<{ client: Registered; tokens: Tokens }> {
  const client = options.client ?? (await registerClient(server))
  const { code, verifier } = await obtainCode(server, client, options)
  const response = await postForm(server, '/oauth2/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: loopbackRedirect,
    code_verifier: verifier,
    client_id: client.client_id,
  })
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`)
  return { client, tokens: (await json(response)) as Tokens }
}

/** Calls the protected resource with a bearer token. */
export async function callResource(server: TestServer, token: string, path = '/mcp') {
  return fetch(`${server.base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
}
