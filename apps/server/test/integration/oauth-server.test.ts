import { authorizeInBrowser, createTestBrowser } from '@pierre/oauth-server/testing'
import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { provisionUser, startServer } from '../helpers.js'
import { freePort } from '../oauth-helpers.js'

const insecure = { [oauth.allowInsecureRequests]: true }
const redirectUri = 'http://127.0.0.1:9/callback'
const password = 'correct horse battery staple'

async function startWithUser() {
  const port = await freePort()
  const started = await startServer({}, { port })
  await provisionUser(started.pierre, { email: 'ada@example.com' })
  return started
}

async function mcpCall(url: string, token: string, body: unknown) {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify(body),
  })
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  },
}

/** Discovery, registration, login + consent, code exchange — with oauth4webapi. */
async function dance(
  url: string,
  options: { scope?: string; method?: 'none' | 'client_secret_post' } = {},
) {
  const issuer = new URL(url)
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  )
  const method = options.method ?? 'none'
  const registered = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(
      as,
      {
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: method,
        ...(options.scope === undefined ? {} : { scope: options.scope }),
      },
      insecure,
    ),
  )
  const client: oauth.Client = { client_id: registered.client_id }
  const clientAuth =
    method === 'none' ? oauth.None() : oauth.ClientSecretPost(registered.client_secret as string)
  const verifier = oauth.generateRandomCodeVerifier()
  const authorize = new URL(as.authorization_endpoint as string)
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    resource: `${url}/mcp`,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  }).toString()
  const callback = await authorizeInBrowser(createTestBrowser(url), String(authorize), {
    email: 'ada@example.com',
    password,
  })
  const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState)
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      redirectUri,
      verifier,
      insecure,
    ),
  )
  return { as, client, clientAuth, tokens }
}

describe('pierre-server as an OAuth 2.1 authorization server', () => {
  it('serves oauth4webapi a whole flow whose tokens open /mcp until revoked', async () => {
    const { url, logs } = await startWithUser()
    const { as, client, clientAuth, tokens } = await dance(url, { method: 'client_secret_post' })
    expect(tokens.scope).toBe('fitness:read fitness:write providers:manage')
    expect((await mcpCall(url, tokens.access_token, initialize)).status).toBe(200)

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        clientAuth,
        tokens.refresh_token as string,
        insecure,
      ),
    )
    const introspection = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, insecure),
    )
    expect(introspection).toMatchObject({ active: true, aud: `${url}/mcp`, iss: url })

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, refreshed.access_token, insecure),
    )
    const revoked = await mcpCall(url, refreshed.access_token, initialize)
    expect(revoked.status).toBe(401)
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"')

    // T-39 at the server: reusing the first, rotated refresh token revokes the whole grant.
    const reuse = await oauth
      .refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token as string, insecure)
      .then((response) => response.json() as Promise<{ error?: string }>)
    expect(reuse.error).toBe('invalid_grant')
    const afterReuse = await oauth
      .refreshTokenGrantRequest(as, client, clientAuth, refreshed.refresh_token as string, insecure)
      .then((response) => response.json() as Promise<{ error?: string }>)
    expect(afterReuse.error).toBe('invalid_grant')

    // T-35: nothing secret reached the logs.
    const text = logs.join('\n')
    for (const secret of [
      password,
      tokens.access_token,
      tokens.refresh_token,
      refreshed.access_token,
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('answers 401 with the path-inserted resource metadata and serves that document', async () => {
    const { url } = await startWithUser()
    const response = await fetch(`${url}/mcp`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(401)
    const challenge = response.headers.get('www-authenticate') as string
    expect(challenge).toContain(
      `resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`,
    )
    const document = await (await fetch(`${url}/.well-known/oauth-protected-resource/mcp`)).json()
    expect(document).toMatchObject({ resource: `${url}/mcp`, authorization_servers: [url] })
    expect((await fetch(`${url}/.well-known/jwks.json`)).status).toBe(200)
  })

  it('steps up: a token without the tool’s scope gets 403 insufficient_scope before the SDK', async () => {
    const { url } = await startWithUser()
    const { tokens } = await dance(url, { scope: 'fitness:write' })
    const init = await mcpCall(url, tokens.access_token, initialize)
    expect(init.status).toBe(200)
    const call = await mcpCall(url, tokens.access_token, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'calculate_daily_nutrition', arguments: {} },
    })
    expect(call.status).toBe(403)
    const challenge = call.headers.get('www-authenticate') as string
    expect(challenge).toContain('error="insufficient_scope"')
    expect(challenge).toContain('scope="fitness:write fitness:read"')
    expect(challenge).toContain(
      `resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`,
    )
  })

  it('T-51: ignores a login session cookie on /mcp', async () => {
    const { url } = await startWithUser()
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        cookie: 'pierre_session=planted; __Host-pierre_session=planted',
        'content-type': 'application/json',
      },
      body: JSON.stringify(initialize),
    })
    expect(response.status).toBe(401)
  })

  it('T-19 through tenancy: locks the email after 5 failed logins', async () => {
    const { url } = await startWithUser()
    const issuer = new URL(url)
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    )
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        { redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' },
        insecure,
      ),
    )
    const attempt = async (pw: string) => {
      const browser = createTestBrowser(url)
      const start = await browser.get(
        `/oauth2/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: registered.client_id,
          redirect_uri: redirectUri,
          code_challenge: 'a'.repeat(43),
          code_challenge_method: 'S256',
        })}`,
      )
      const page = await (await browser.get(start.headers.get('location') as string)).text()
      const field = (name: string) =>
        new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] as string
      return browser.post('/oauth2/login', {
        request: field('request'),
        csrf_token: field('csrf_token'),
        email: 'ada@example.com',
        password: pw,
      })
    }
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password')).status).toBe(401)
    const locked = await attempt(password)
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
