import * as oauth from 'oauth4webapi'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  alice,
  authorizeInBrowser,
  createBrowser,
  json,
  startTestServer,
  type TestServer,
} from './support.js'

const insecure = { [oauth.allowInsecureRequests]: true }
const redirectUri = 'http://127.0.0.1:7777/callback'

describe('oauth4webapi as the client, end to end', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(async () => {
    await server.close()
  })

  async function discover() {
    const issuer = new URL(server.base)
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure })
    return oauth.processDiscoveryResponse(issuer, response)
  }

  async function registerClient(
    as: oauth.AuthorizationServer,
    method: 'none' | 'client_secret_basic' | 'client_secret_post',
  ) {
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      {
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: method,
        client_name: 'Test client',
      },
      insecure,
    )
    return oauth.processDynamicClientRegistrationResponse(response)
  }

  it('discovers the protected resource and its authorization server', async () => {
    const resource = new URL(`${server.base}/mcp`)
    const response = await oauth.resourceDiscoveryRequest(resource, insecure)
    const metadata = await oauth.processResourceDiscoveryResponse(resource, response)
    expect(metadata.authorization_servers).toEqual([server.base])
    expect(metadata.bearer_methods_supported).toEqual(['header'])
    const as = await discover()
    expect(as.code_challenge_methods_supported).toEqual(['S256'])
    expect(as.authorization_response_iss_parameter_supported).toBe(true)
    expect(as.grant_types_supported).toEqual(['authorization_code', 'refresh_token'])
  })

  for (const method of ['none', 'client_secret_basic', 'client_secret_post'] as const) {
    it(`runs the whole flow for a ${method} client: authorize, token, refresh, introspect, revoke`, async () => {
      const as = await discover()
      const registered = await registerClient(as, method)
      const client: oauth.Client = { client_id: registered.client_id }
      const clientAuth =
        method === 'none'
          ? oauth.None()
          : method === 'client_secret_basic'
            ? oauth.ClientSecretBasic(registered.client_secret as string)
            : oauth.ClientSecretPost(registered.client_secret as string)
      expect(registered.client_secret === undefined).toBe(method === 'none')

      const verifier = oauth.generateRandomCodeVerifier()
      const state = oauth.generateRandomState()
      const url = new URL(as.authorization_endpoint as string)
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        scope: 'fitness:read fitness:write',
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        resource: `${server.base}/mcp`,
      }).toString()
      const callback = await authorizeInBrowser(createBrowser(server.base), url.toString(), alice)
      expect(callback.origin + callback.pathname).toBe(redirectUri)

      const params = oauth.validateAuthResponse(as, client, callback, state)
      const tokenResponse = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        redirectUri,
        verifier,
        { ...insecure, additionalParameters: { resource: `${server.base}/mcp` } },
      )
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse)
      expect(tokens.token_type).toBe('bearer')
      expect(tokens.scope).toBe('fitness:read fitness:write')
      expect(tokens.expires_in).toBe(3600)
      expect(tokens.refresh_token).toMatch(/^prt_[A-Za-z0-9_-]{43}$/)

      // RFC 9068 validation by the client library, then the resource accepts the token.
      const claims = await oauth.validateJwtAccessToken(
        as,
        new Request(`${server.base}/mcp`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.access_token}` },
        }),
        `${server.base}/mcp`,
        insecure,
      )
      expect(claims).toMatchObject({
        sub: alice.id,
        client_id: client.client_id,
        tenant: 'tenant-a',
      })
      const call = await fetch(`${server.base}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
      expect(await json(call)).toEqual({
        sub: alice.id,
        tenant: 'tenant-a',
        scopes: ['fitness:read', 'fitness:write'],
      })

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
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)

      if (method !== 'none') {
        const introspection = await oauth.processIntrospectionResponse(
          as,
          client,
          await oauth.introspectionRequest(
            as,
            client,
            clientAuth,
            refreshed.access_token,
            insecure,
          ),
        )
        expect(introspection).toMatchObject({
          active: true,
          sub: alice.id,
          client_id: client.client_id,
          scope: 'fitness:read fitness:write',
          token_type: 'Bearer',
          tenant: 'tenant-a',
        })
      }

      await oauth.processRevocationResponse(
        await oauth.revocationRequest(
          as,
          client,
          clientAuth,
          refreshed.refresh_token as string,
          insecure,
        ),
      )
      const after = await fetch(`${server.base}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${refreshed.access_token}` },
      })
      expect(after.status).toBe(401)
      expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"')
      if (method !== 'none') {
        const introspection = await oauth.processIntrospectionResponse(
          as,
          client,
          await oauth.introspectionRequest(
            as,
            client,
            clientAuth,
            refreshed.access_token,
            insecure,
          ),
        )
        expect(introspection.active).toBe(false)
      }
    })
  }
})
