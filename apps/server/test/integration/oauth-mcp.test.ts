import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js'
import { authorizeInBrowser, createTestBrowser } from '@pierre/oauth-server/testing'
import { describe, expect, it } from 'vitest'
import { provisionUser, startServer } from '../helpers.js'
import { freePort } from '../oauth-helpers.js'

const password = 'correct horse battery staple'

/** An OAuth client provider as an MCP host implements it, kept in memory. */
class MemoryProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined
  saved: OAuthTokens | undefined
  verifier = ''
  authorizationUrl: URL | undefined
  readonly redirectUrl = 'http://127.0.0.1:33418/callback'
  readonly clientMetadata: OAuthClientMetadata = {
    client_name: 'SDK test host',
    redirect_uris: ['http://127.0.0.1:33418/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  }
  private readonly stateValue = crypto.randomUUID()
  state() {
    return this.stateValue
  }
  clientInformation() {
    return this.client
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info
  }
  tokens() {
    return this.saved
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier
  }
  codeVerifier() {
    return this.verifier
  }
}

describe('MCP SDK client OAuth against /mcp', () => {
  it('discovers, registers, authorizes, then lists and calls tools', async () => {
    const port = await freePort()
    const { pierre, url } = await startServer({}, { port })
    expect(url).toBe(`http://127.0.0.1:${port}`)
    await provisionUser(pierre, { email: 'ada@example.com' })
    const provider = new MemoryProvider()
    const mcpUrl = new URL(`${url}/mcp`)

    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider })
    await expect(new Client({ name: 'host', version: '1' }).connect(first)).rejects.toBeInstanceOf(
      UnauthorizedError,
    )
    // The SDK discovered the server, registered itself and sent the person to authorize.
    const authorizationUrl = provider.authorizationUrl as URL
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${url}/oauth2/authorize`)
    expect(authorizationUrl.searchParams.get('resource')).toBe(`${url}/mcp`)
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256')
    expect(provider.client?.client_id).toMatch(/^mcp_client_[0-9a-f]{32}$/)

    const callback = await authorizeInBrowser(createTestBrowser(url), String(authorizationUrl), {
      email: 'ada@example.com',
      password,
    })
    expect(callback.searchParams.get('state')).toBe(provider.state())
    expect(callback.searchParams.get('iss')).toBe(url)
    await first.finishAuth(callback.searchParams.get('code') as string)
    expect(provider.saved?.refresh_token).toMatch(/^prt_/)

    const client = new Client({ name: 'host', version: '1' })
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }))
    const tools = await client.listTools()
    expect(tools.tools.map((tool) => tool.name)).toContain('calculate_daily_nutrition')
    const result = await client.callTool({
      name: 'calculate_daily_nutrition',
      arguments: {
        weight_kg: 70,
        height_cm: 175,
        age: 35,
        gender: 'Male',
        activity_level: 'very_active',
        training_goal: 'endurance_performance',
      },
    })
    expect(result.isError).toBe(false)
    // BMR = 10·70 + 6.25·175 − 5·35 + 5 = 1623.75 (same call as the API-key test).
    expect(result.structuredContent).toMatchObject({ bmr: 1623.8, protein_g: 140 })
    await client.close()
  })
})
