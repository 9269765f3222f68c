import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { callResource, oauthDance, registerClient } from '../dance.js'
import { alice, json, startTestServer, type TestServer } from '../support.js'

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(async () => {
  await server.close()
})

async function register(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.base}/oauth2/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

describe('T-42 malicious dynamic registration', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['javascript: URI', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
    ['data: URI', { redirect_uris: ['data:text/html,<b>x</b>'] }, 'invalid_redirect_uri'],
    [
      'plain http to a public host',
      { redirect_uris: ['http://evil.example/cb'] },
      'invalid_redirect_uri',
    ],
    ['out-of-band URN', { redirect_uris: ['urn:ietf:wg:oauth:2.0:oob'] }, 'invalid_redirect_uri'],
    ['wildcard', { redirect_uris: ['https://*.example.com/cb'] }, 'invalid_redirect_uri'],
    ['fragment', { redirect_uris: ['https://a.example/cb#x'] }, 'invalid_redirect_uri'],
    [
      'CR/LF',
      { redirect_uris: ['https://a.example/cb%0d%0aSet-Cookie:x=1'] },
      'invalid_redirect_uri',
    ],
    ['user-info', { redirect_uris: ['https://user:pw@a.example/cb'] }, 'invalid_redirect_uri'],
    [
      '11 URIs',
      { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://a.example/cb${i}`) },
      'invalid_redirect_uri',
    ],
    [
      '3000-character URI',
      { redirect_uris: [`https://a.example/${'x'.repeat(3000)}`] },
      'invalid_redirect_uri',
    ],
    ['no redirect URI', { redirect_uris: [] }, 'invalid_redirect_uri'],
    [
      'private_key_jwt',
      { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
    ],
    [
      'client_credentials',
      { redirect_uris: ['https://a.example/cb'], grant_types: ['client_credentials'] },
      'invalid_client_metadata',
    ],
    [
      'implicit',
      { redirect_uris: ['https://a.example/cb'], grant_types: ['implicit'] },
      'invalid_client_metadata',
    ],
    [
      'unknown scope',
      { redirect_uris: ['https://a.example/cb'], scope: 'admin:system' },
      'invalid_client_metadata',
    ],
  ]
  for (const [name, body, error] of cases) {
    it(`refuses ${name} with ${error}`, async () => {
      const response = await register(body)
      expect(response.status).toBe(400)
      expect((await json(response)).error).toBe(error)
    })
  }

  it('refuses a non-JSON body and an oversized one', async () => {
    const form = await fetch(`${server.base}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'redirect_uris=https://a.example/cb',
    })
    expect((await json(form)).error).toBe('invalid_client_metadata')
    const huge = await register({
      redirect_uris: ['https://a.example/cb'],
      client_name: 'x'.repeat(17 * 1024),
    })
    expect(huge.status).toBe(413)
  })

  it('accepts native-app forms: loopback IPv6, localhost, reverse-domain scheme', async () => {
    const response = await register({
      redirect_uris: ['http://[::1]:8080/cb', 'http://localhost/cb', 'com.example.app:/oauth'],
      token_endpoint_auth_method: 'none',
    })
    expect(response.status).toBe(201)
  })

  it('answers the 11th registration in a minute from one address with 429', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await register({ redirect_uris: ['https://a.example/cb'] })).status).toBe(201)
    }
    const limited = await register({ redirect_uris: ['https://a.example/cb'] })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})

describe('T-33 mass assignment of server-owned client fields', () => {
  it('ignores client_id, client_secret, tenant_id and trusted in a registration', async () => {
    const response = await register({
      redirect_uris: ['https://a.example/cb'],
      client_id: 'mcp_client_chosen',
      client_secret: 'chosen-secret',
      client_id_issued_at: 1,
      tenant_id: 'tenant-b',
      trusted: true,
      first_party: true,
    })
    expect(response.status).toBe(201)
    const body = await json(response)
    expect(body.client_id).toMatch(/^mcp_client_[0-9a-f]{32}$/)
    expect(body.client_secret).not.toBe('chosen-secret')
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.client_secret_expires_at).toBe(0)
    expect(body.token_endpoint_auth_method).toBe('client_secret_basic')
    expect(body).not.toHaveProperty('trusted')
    const stored = await server.store.clients.get(body.client_id)
    expect(stored).toMatchObject({ source: 'dcr', tenantId: null })
    expect(stored?.secretHash).not.toContain(body.client_secret)
  })

  it('strips control characters from a client name and keeps it to 100 characters', async () => {
    const body = await json(
      await register({
        redirect_uris: ['https://a.example/cb'],
        client_name: `Fit\r\n\u001b[31mApp${'y'.repeat(200)}`,
      }),
    )
    expect(body.client_name).toMatch(/^Fit\[31mAppy+$/)
    expect(body.client_name).toHaveLength(100)
  })
})

describe('registration policy', () => {
  it('requires an initial access token in token mode and hides the endpoint when off', async () => {
    await server.close()
    server = await startTestServer({
      registration: 'token',
      checkInitialAccessToken: async (token) => token === 'iat-secret-value',
    })
    expect((await register({ redirect_uris: ['https://a.example/cb'] })).status).toBe(401)
    const ok = await register(
      { redirect_uris: ['https://a.example/cb'] },
      { authorization: 'Bearer iat-secret-value' },
    )
    expect(ok.status).toBe(201)
    await server.close()
    server = await startTestServer({ registration: 'off' })
    expect((await register({ redirect_uris: ['https://a.example/cb'] })).status).toBe(404)
    const metadata = await json(
      await fetch(`${server.base}/.well-known/oauth-authorization-server`),
    )
    expect(metadata).not.toHaveProperty('registration_endpoint')
  })
})

describe('T-54 discovery consistency', () => {
  it('follows the chain from an unauthenticated call as an MCP client does', async () => {
    const unauthenticated = await fetch(`${server.base}/mcp`, { method: 'POST' })
    expect(unauthenticated.status).toBe(401)
    const challenge = unauthenticated.headers.get('www-authenticate') as string
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] as string
    expect(metadataUrl).toBe(`${server.base}/.well-known/oauth-protected-resource/mcp`)
    expect(challenge).toContain('scope="fitness:read fitness:write providers:manage"')
    const resourceDocument = await fetch(metadataUrl)
    expect(resourceDocument.headers.get('access-control-allow-origin')).toBe('*')
    const resource = await json(resourceDocument)
    expect(resource.resource).toBe(`${server.base}/mcp`)
    const asDocument = await json(
      await fetch(`${resource.authorization_servers[0]}/.well-known/oauth-authorization-server`),
    )
    expect(asDocument.code_challenge_methods_supported).toEqual(['S256'])
    const { tokens } = await oauthDance(server)
    const [header, payload] = tokens.access_token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')))
    expect(header.typ).toBe('at+jwt')
    expect(payload.iss).toBe(asDocument.issuer)
    expect(payload.aud).toBe(`${server.base}/mcp`)
    const jwks = await json(await fetch(asDocument.jwks_uri))
    expect(jwks.keys.map((key: { kid: string }) => key.kid)).toContain(header.kid)
    for (const key of jwks.keys) {
      expect(key).not.toHaveProperty('d')
      expect(key).not.toHaveProperty('p')
    }
    expect((await callResource(server, tokens.access_token)).status).toBe(200)
  })
})

describe('T-35 no secret in logs', () => {
  it('keeps passwords, secrets, codes, verifiers and tokens out of every log line', async () => {
    const confidential = await registerClient(server, {
      token_endpoint_auth_method: 'client_secret_post',
    })
    const { tokens } = await oauthDance(server)
    await fetch(`${server.base}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: tokens.refresh_token as string,
        client_id: confidential.client_id,
        client_secret: confidential.client_secret as string,
      }).toString(),
    })
    const secrets = [
      alice.password,
      confidential.client_secret as string,
      tokens.access_token,
      tokens.refresh_token as string,
    ]
    expect(server.logs.length).toBeGreaterThan(0)
    for (const line of server.logs) {
      for (const secret of secrets) expect(line).not.toContain(secret)
      expect(line).not.toMatch(/prt_[A-Za-z0-9_-]{20}/)
      expect(line).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./)
    }
  })
})
