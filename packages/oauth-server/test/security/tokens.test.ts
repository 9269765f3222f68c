import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemoryUsers } from '../../src/local.js'
import { callResource, oauthDance, postForm, registerClient } from '../dance.js'
import { alice, bob, json, startTestServer, type TestServer } from '../support.js'

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(async () => {
  await server.close()
})

async function refresh(refreshToken: string, clientId: string) {
  return postForm(server, '/oauth2/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
  })
}

describe('T-39 refresh-token reuse after rotation', () => {
  it('revokes the whole grant when a rotated token comes back', async () => {
    const { client, tokens } = await oauthDance(server)
    const second = await json(await refresh(tokens.refresh_token as string, client.client_id))
    expect(second.refresh_token).toMatch(/^prt_/)
    expect((await callResource(server, second.access_token)).status).toBe(200)

    const reuse = await refresh(tokens.refresh_token as string, client.client_id)
    expect(reuse.status).toBe(400)
    expect((await json(reuse)).error).toBe('invalid_grant')
    expect((await callResource(server, second.access_token)).status).toBe(401)
    expect((await json(await refresh(second.refresh_token, client.client_id))).error).toBe(
      'invalid_grant',
    )
    expect(server.audit.map((event) => event.action)).toContain('oauth.refresh_reuse')
  })

  it('lets one of two concurrent uses win, then revokes the grant', async () => {
    const { client, tokens } = await oauthDance(server)
    const results = await Promise.all([
      refresh(tokens.refresh_token as string, client.client_id),
      refresh(tokens.refresh_token as string, client.client_id),
    ])
    const bodies = await Promise.all(results.map(json))
    const winner = bodies.find((body) => typeof body.access_token === 'string')
    expect(bodies.filter((body) => body.error === 'invalid_grant')).toHaveLength(1)
    expect(winner).toBeDefined()
    expect((await callResource(server, winner.access_token)).status).toBe(401)
  })
})

describe('T-47 refresh token bound to its client', () => {
  it('refuses client B presenting client A’s refresh token; A keeps working', async () => {
    const { client, tokens } = await oauthDance(server)
    const other = await registerClient(server)
    const stolen = await refresh(tokens.refresh_token as string, other.client_id)
    expect((await json(stolen)).error).toBe('invalid_grant')
    expect((await refresh(tokens.refresh_token as string, client.client_id)).status).toBe(200)
  })
})

describe('T-40 use after revocation', () => {
  it('refuses an access token revoked through /oauth2/revoke', async () => {
    const { client, tokens } = await oauthDance(server)
    const revoke = await postForm(server, '/oauth2/revoke', {
      token: tokens.access_token,
      client_id: client.client_id,
    })
    expect(revoke.status).toBe(200)
    expect((await callResource(server, tokens.access_token)).status).toBe(401)
  })

  it('revoking the refresh token revokes every token of the grant', async () => {
    const { client, tokens } = await oauthDance(server)
    await postForm(server, '/oauth2/revoke', {
      token: tokens.refresh_token as string,
      token_type_hint: 'refresh_token',
      client_id: client.client_id,
    })
    expect((await callResource(server, tokens.access_token)).status).toBe(401)
    expect(
      (await json(await refresh(tokens.refresh_token as string, client.client_id))).error,
    ).toBe('invalid_grant')
  })

  it('answers 200 without effect for another client’s token, an unknown or a malformed token', async () => {
    const { tokens } = await oauthDance(server)
    const other = await registerClient(server)
    for (const token of [tokens.access_token, tokens.refresh_token as string, 'garbage', 'prt_x']) {
      const response = await postForm(server, '/oauth2/revoke', {
        token,
        client_id: other.client_id,
      })
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('')
    }
    expect((await callResource(server, tokens.access_token)).status).toBe(200)
  })

  it('withdrawing the user’s grants revokes tokens at once', async () => {
    const { tokens } = await oauthDance(server)
    expect(await server.oauth.revokeUserGrants(alice.id)).toBe(1)
    expect((await callResource(server, tokens.access_token)).status).toBe(401)
  })
})

describe('T-37 token for another tenant', () => {
  it('binds the token to the tenant chosen at consent, among the user’s memberships only', async () => {
    const { tokens } = await oauthDance(server, { user: { ...bob, tenant: 'tenant-b' } })
    const call = await callResource(server, tokens.access_token)
    expect(await json(call)).toMatchObject({ sub: bob.id, tenant: 'tenant-b' })
  })

  it('refuses a token once its subject is no longer a member of the tenant', async () => {
    const member = new Map([[alice.id, true]])
    const directory = createMemoryUsers([alice])
    await server.close()
    server = await startTestServer({
      users: {
        ...directory,
        // Membership is decided when the token is used, as tenancy does per request.
        isActiveMember: async (userId, tenantId) =>
          (member.get(userId) ?? false) && (await directory.isActiveMember(userId, tenantId)),
      },
    })
    const { tokens } = await oauthDance(server)
    expect((await callResource(server, tokens.access_token)).status).toBe(200)
    member.set(alice.id, false)
    const refused = await callResource(server, tokens.access_token)
    expect(refused.status).toBe(401)
    expect(await json(refused)).toMatchObject({ error: 'invalid_token' })
  })
})

describe('introspection (RFC 7662)', () => {
  it('is refused to public clients and shows only a confidential client’s own tokens', async () => {
    const { client, tokens } = await oauthDance(server)
    const publicAttempt = await postForm(server, '/oauth2/introspect', {
      token: tokens.access_token,
      client_id: client.client_id,
    })
    expect(publicAttempt.status).toBe(401)
    const confidential = await registerClient(server, {
      token_endpoint_auth_method: 'client_secret_post',
    })
    const foreign = await postForm(server, '/oauth2/introspect', {
      token: tokens.access_token,
      client_id: confidential.client_id,
      client_secret: confidential.client_secret as string,
    })
    expect(await json(foreign)).toEqual({ active: false })
  })
})
