import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { describe, expect, it, onTestFinished } from 'vitest'
import { provisionUser, startServer } from '../helpers.js'
import { freePort } from '../oauth-helpers.js'

const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
}

const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
})

async function connect(url: string, key: string | undefined) {
  const client = new Client({ name: 'pierre-auth-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: key === undefined ? {} : { headers: { Authorization: `Bearer ${key}` } },
  })
  await client.connect(transport)
  onTestFinished(() => client.close())
  return { client, transport }
}

function initialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { ...mcpHeaders, ...headers },
    body: initializeBody,
  })
}

describe('authentication on /mcp', () => {
  it('refuses a request without a credential with 401 and a WWW-Authenticate challenge', async () => {
    // The issuer names the real port, so this server gets a known one instead of port 0.
    const { url } = await startServer({ PIERRE_AUTH: 'required' }, { port: await freePort() })
    const response = await initialize(url)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${url}/.well-known/oauth-protected-resource/mcp", scope="fitness:read fitness:write providers:manage"`,
    )
    const body = (await response.json()) as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({ code: 'missing_credential' })
    expect(body.error.request_id).toBe(response.headers.get('x-request-id'))
    const get = await fetch(`${url}/mcp`, { headers: { accept: 'text/event-stream' } })
    expect(get.status).toBe(401)
  })

  it('lets the MCP SDK client list and call tools with a valid API key', async () => {
    const { url, pierre } = await startServer({ PIERRE_AUTH: 'required' })
    const { key } = await provisionUser(pierre, { email: 'ann@acme.test' })
    expect(key).toMatch(/^pk_live_[A-Za-z0-9]{32}$/)
    const { client } = await connect(url, key)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name)).toContain('calculate_daily_nutrition')
    const result = await client.callTool({
      name: 'get_nutrient_timing',
      arguments: { weight_kg: 70, daily_protein_g: 140, workout_intensity: 'moderate' },
    })
    expect(result.isError).toBe(false)
  })

  it('accepts the key in X-API-Key and sets the rate-limit headers', async () => {
    const { url, pierre } = await startServer({ PIERRE_AUTH: 'required' })
    const { key } = await provisionUser(pierre, { email: 'ann@acme.test' })
    const response = await initialize(url, { 'x-api-key': key })
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit-policy')).toMatch(/"burst";q=100;w=60/)
    expect(response.headers.get('ratelimit')).toMatch(/"burst";r=\d+;t=\d+/)
    expect(response.headers.get('x-ratelimit-authmethod')).toBe('api_key')
    await response.body?.cancel()
  })

  it('refuses an unknown or malformed API key with 401 invalid_token challenge', async () => {
    const { url, pierre } = await startServer({ PIERRE_AUTH: 'required' })
    const { key } = await provisionUser(pierre, { email: 'ann@acme.test' })
    const forged = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`
    for (const credential of [forged, 'pk_live_short', 'not-a-key']) {
      const response = await initialize(url, { authorization: `Bearer ${credential}` })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(
        /^Bearer resource_metadata="[^"]+", error="invalid_token"/,
      )
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(['invalid_api_key', 'invalid_token']).toContain(body.error.code)
      expect(JSON.stringify(body)).not.toContain(credential)
    }
    await expect(connect(url, forged)).rejects.toThrow()
  })

  it('answers 429 with Retry-After, RateLimit headers and JSON-RPC −32000 after the burst', async () => {
    const { url, pierre } = await startServer({ PIERRE_AUTH: 'required' })
    const { key } = await provisionUser(pierre, { email: 'ann@acme.test', tier: 'trial' })
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' })
    let refused: Response | undefined
    let allowed = 0
    for (let attempt = 0; attempt < 20 && refused === undefined; attempt++) {
      const response = await fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { ...mcpHeaders, authorization: `Bearer ${key}` },
        body: ping,
      })
      if (response.status === 429) refused = response
      else {
        allowed++
        await response.body?.cancel()
      }
    }
    expect(allowed).toBe(10)
    expect(refused?.status).toBe(429)
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(refused?.headers.get('ratelimit')).toMatch(/"burst";r=0;t=\d+/)
    expect(refused?.headers.get('ratelimit-policy')).toMatch(/"burst";q=10;w=60/)
    expect(await refused?.json()).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32000,
        message: 'rate limit exceeded',
        data: { policy: 'burst', tier: 'trial' },
      },
    })
  })

  it('answers 404 to user B for a session user A initialised', async () => {
    const { url, pierre } = await startServer({ PIERRE_AUTH: 'required' })
    const a = await provisionUser(pierre, { email: 'a@acme.test' })
    const b = await provisionUser(pierre, { email: 'b@acme.test' })
    const { transport, client } = await connect(url, a.key)
    await client.ping()
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        ...mcpHeaders,
        authorization: `Bearer ${b.key}`,
        'mcp-session-id': transport.sessionId ?? '',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    })
    expect(response.status).toBe(404)
    await client.ping()
  })

  it('serves local single-user mode on loopback with no users, and ends it once a user exists', async () => {
    const { url, pierre, logs } = await startServer()
    expect(logs.some((line) => line.includes('local single-user mode'))).toBe(true)
    expect(logs.some((line) => line.includes('admin create-user'))).toBe(true)
    const { client } = await connect(url, undefined)
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)

    const { key } = await provisionUser(pierre, { email: 'ann@acme.test' })
    const anonymous = await initialize(url)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/)
    // The session opened in local mode belongs to the local owner, whom nobody can now present.
    await expect(client.listTools()).rejects.toThrow()
    const withKey = await connect(url, key)
    expect((await withKey.client.listTools()).tools.length).toBeGreaterThan(0)
  })

  it('requires a credential with PIERRE_AUTH=required even before any user exists', async () => {
    const { url, logs } = await startServer({ PIERRE_AUTH: 'required' })
    expect(logs.some((line) => line.includes('"reason":"PIERRE_AUTH=required"'))).toBe(true)
    expect((await initialize(url)).status).toBe(401)
  })
})
