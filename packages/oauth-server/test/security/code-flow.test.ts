import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  authorizeUrl,
  callResource,
  loopbackRedirect,
  oauthDance,
  obtainCode,
  pkce,
  postForm,
  registerClient,
} from '../dance.js'
import {
  alice,
  authorizeInBrowser,
  createBrowser,
  json,
  startTestServer,
  type TestServer,
} from '../support.js'

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(async () => {
  await server.close()
})

function redirectParams(response: Response): URLSearchParams {
  const location = response.headers.get('location')
  expect(location).not.toBeNull()
  const url = new URL(location as string)
  expect(url.origin + url.pathname).toBe(loopbackRedirect)
  return url.searchParams
}

async function exchange(
  { code, verifier }: { code: string; verifier: string },
  clientId: string,
  extra = {},
) {
  return postForm(server, '/oauth2/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: loopbackRedirect,
    code_verifier: verifier,
    client_id: clientId,
    ...extra,
  })
}

describe('T-10 PKCE missing', () => {
  it('redirects with invalid_request and the original state, and creates no pending request', async () => {
    const client = await registerClient(server)
    const response = await fetch(
      authorizeUrl(server, client.client_id, { code_challenge: undefined }),
      { redirect: 'manual' },
    )
    expect(response.status).toBe(302)
    const params = redirectParams(response)
    expect(params.get('error')).toBe('invalid_request')
    expect(params.get('state')).toBe('state-123')
    expect(params.get('iss')).toBe(server.base)
    expect(params.has('code')).toBe(false)
  })
})

describe('T-11 PKCE plain, omitted method, lower-case s256, 128-character challenge', () => {
  it('refuses each with invalid_request', async () => {
    const client = await registerClient(server)
    const challenge = pkce().challenge
    for (const overrides of [
      { code_challenge_method: 'plain' },
      { code_challenge_method: undefined },
      { code_challenge_method: 's256' },
      { code_challenge: 'a'.repeat(128), code_challenge_method: 'S256' },
    ]) {
      const response = await fetch(
        authorizeUrl(server, client.client_id, { code_challenge: challenge, ...overrides }),
        { redirect: 'manual' },
      )
      expect(redirectParams(response).get('error')).toBe('invalid_request')
    }
  })
})

describe('T-12 PKCE verifier mismatch, then retry', () => {
  it('refuses the wrong verifier and burns the code for the right one', async () => {
    const client = await registerClient(server)
    const { code, verifier } = await obtainCode(server, client)
    const wrong = await exchange({ code, verifier: pkce().verifier }, client.client_id)
    expect(wrong.status).toBe(400)
    expect((await json(wrong)).error).toBe('invalid_grant')
    const retry = await exchange({ code, verifier }, client.client_id)
    expect(retry.status).toBe(400)
    expect((await json(retry)).error).toBe('invalid_grant')
  })
})

describe('T-13 authorization code replay', () => {
  it('refuses the replay and revokes what the code issued', async () => {
    const client = await registerClient(server)
    const { code, verifier } = await obtainCode(server, client)
    const first = await exchange({ code, verifier }, client.client_id)
    expect(first.status).toBe(200)
    const tokens = await json(first)
    expect((await callResource(server, tokens.access_token)).status).toBe(200)

    const replay = await exchange({ code, verifier }, client.client_id)
    expect(replay.status).toBe(400)
    expect((await json(replay)).error).toBe('invalid_grant')
    const call = await callResource(server, tokens.access_token)
    expect(call.status).toBe(401)
    expect(call.headers.get('www-authenticate')).toContain('error="invalid_token"')
    const refresh = await postForm(server, '/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    })
    expect((await json(refresh)).error).toBe('invalid_grant')
    expect(server.audit.map((event) => event.action)).toContain('oauth.code_replay')
  })
})

describe('T-14 parallel exchange of one code', () => {
  it('lets exactly one of 10 win, then revokes the winner’s tokens', async () => {
    const client = await registerClient(server)
    const { code, verifier } = await obtainCode(server, client)
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => exchange({ code, verifier }, client.client_id)),
    )
    const bodies = await Promise.all(responses.map(json))
    const winners = bodies.filter((body) => typeof body.access_token === 'string')
    expect(winners).toHaveLength(1)
    expect(bodies.filter((body) => body.error === 'invalid_grant')).toHaveLength(9)
    expect((await callResource(server, winners[0].access_token)).status).toBe(401)
  })
})

describe('T-15 code redeemed by another client', () => {
  it('refuses client B and burns client A’s code', async () => {
    const a = await registerClient(server)
    const b = await registerClient(server)
    const { code, verifier } = await obtainCode(server, a)
    const stolen = await exchange({ code, verifier }, b.client_id)
    expect((await json(stolen)).error).toBe('invalid_grant')
    const own = await exchange({ code, verifier }, a.client_id)
    expect((await json(own)).error).toBe('invalid_grant')
  })
})

describe('T-16 expired code', () => {
  it('refuses a code after its 60 seconds', async () => {
    const client = await registerClient(server)
    const { code, verifier } = await obtainCode(server, client)
    server.clock.advance(61)
    const response = await exchange({ code, verifier }, client.client_id)
    expect((await json(response)).error).toBe('invalid_grant')
  })
})

describe('T-17 redirect_uri mismatch and open redirect', () => {
  it('answers an HTML error page without Location for every variant', async () => {
    const client = await registerClient(server, {
      redirect_uris: ['https://app.example.com/cb', 'http://127.0.0.1:5555/cb'],
    })
    for (const uri of [
      'https://evil.example/cb',
      'https://app.example.com/cb/../evil',
      'https://app.example.com.evil.com/cb',
      'https://app.example.com/cb?next=https://evil',
      'https://app.example.com/CB',
      'https://app.example.com/cb#x',
      'https://user@app.example.com/cb',
      'http://localhost.evil.com/cb',
      'http://127.0.0.1:6666/cb/other',
    ]) {
      const response = await fetch(authorizeUrl(server, client.client_id, { redirect_uri: uri }), {
        redirect: 'manual',
      })
      expect(response.status, uri).toBe(400)
      expect(response.headers.get('location')).toBeNull()
      expect(response.headers.get('content-type')).toContain('text/html')
    }
    // RFC 8252 §7.3: a loopback redirect may use another port.
    const other = await fetch(
      authorizeUrl(server, client.client_id, { redirect_uri: 'http://127.0.0.1:6666/cb' }),
      { redirect: 'manual' },
    )
    expect(other.status).toBe(302)
    expect(other.headers.get('location')).toMatch(/^\/oauth2\/login\?request=/)
  })

  it('refuses a token request whose redirect_uri differs from the authorization request', async () => {
    const client = await registerClient(server, {
      redirect_uris: [loopbackRedirect, 'http://127.0.0.1:5555/other'],
    })
    const { code, verifier } = await obtainCode(server, client)
    const response = await exchange({ code, verifier }, client.client_id, {
      redirect_uri: 'http://127.0.0.1:5555/other',
    })
    expect((await json(response)).error).toBe('invalid_grant')
  })
})

describe('T-18 unregistered or unknown client', () => {
  it('answers authorize with an HTML page and the token endpoint with 401 invalid_client', async () => {
    const page = await fetch(authorizeUrl(server, 'mcp_client_00000000000000000000000000000000'), {
      redirect: 'manual',
    })
    expect(page.status).toBe(400)
    expect(page.headers.get('location')).toBeNull()

    const confidential = await registerClient(server, {
      token_endpoint_auth_method: 'client_secret_basic',
    })
    const publicClient = await registerClient(server)
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [{ client_id: 'mcp_client_unknown' }, {}],
      [{}, { authorization: basic(confidential.client_id, 'wrong-secret') }],
      [{ client_id: confidential.client_id }, {}],
      [{ client_id: publicClient.client_id, client_secret: 'anything' }, {}],
      [{}, { authorization: basic('mcp_client_unknown', 'x') }],
    ]
    const bodies: string[] = []
    for (const [form, headers] of attempts) {
      const response = await postForm(server, '/oauth2/token', {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: loopbackRedirect,
        code_verifier: 'x'.repeat(43),
        ...form,
        headers,
      })
      expect(response.status).toBe(401)
      const body = await response.text()
      expect(JSON.parse(body).error).toBe('invalid_client')
      if (headers.authorization !== undefined) {
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="pierre"')
      }
      bodies.push(body)
    }
    // No hint whether the client exists.
    expect(new Set(bodies).size).toBe(1)
  })
})

describe('T-5 wrong resource / audience', () => {
  it('refuses a token for /a2a on /mcp and an unknown resource at authorize', async () => {
    const { tokens } = await oauthDance(server, { resource: `${server.base}/a2a` })
    expect((await callResource(server, tokens.access_token, '/a2a')).status).toBe(200)
    const wrong = await callResource(server, tokens.access_token, '/mcp')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"')

    const client = await registerClient(server)
    const response = await fetch(
      authorizeUrl(server, client.client_id, { resource: 'https://evil.example/mcp' }),
      { redirect: 'manual' },
    )
    expect(redirectParams(response).get('error')).toBe('invalid_target')
  })

  it('refuses a resource at the token endpoint that differs from the authorization', async () => {
    const client = await registerClient(server)
    const { code, verifier } = await obtainCode(server, client)
    const response = await exchange({ code, verifier }, client.client_id, {
      resource: `${server.base}/a2a`,
    })
    expect((await json(response)).error).toBe('invalid_target')
  })
})

describe('T-52 authorization-response integrity', () => {
  it('percent-encodes an injected state and sends exactly one code, state and iss', async () => {
    const client = await registerClient(server)
    const injected = 'abc&code=evil&iss=https://evil.example\r\nSet-Cookie: x=1'
    const url = authorizeUrl(server, client.client_id, { state: injected })
    const callback = await authorizeInBrowser(createBrowser(server.base), url, alice)
    expect(callback.searchParams.getAll('code')).toHaveLength(1)
    expect(callback.searchParams.getAll('state')).toEqual([injected])
    expect(callback.searchParams.getAll('iss')).toEqual([server.base])
  })
})

describe('T-45 removed or unsupported grants', () => {
  it('refuses response_type=token, the password grant and client_credentials', async () => {
    const client = await registerClient(server)
    const implicit = await fetch(
      authorizeUrl(server, client.client_id, { response_type: 'token' }),
      {
        redirect: 'manual',
      },
    )
    expect(redirectParams(implicit).get('error')).toBe('unsupported_response_type')
    for (const grant of ['password', 'client_credentials']) {
      const response = await postForm(server, '/oauth2/token', {
        grant_type: grant,
        client_id: client.client_id,
      })
      expect((await json(response)).error).toBe('unsupported_grant_type')
    }
    expect((await postForm(server, '/oauth/token', { grant_type: 'password' })).status).toBe(404)
  })
})

describe('T-44 scope escalation', () => {
  it('refuses unknown scopes, scopes beyond the registration, and wider refresh scopes', async () => {
    const client = await registerClient(server, { scope: 'fitness:read' })
    const admin = await fetch(authorizeUrl(server, client.client_id, { scope: 'admin:system' }), {
      redirect: 'manual',
    })
    expect(redirectParams(admin).get('error')).toBe('invalid_scope')
    const wider = await fetch(authorizeUrl(server, client.client_id, { scope: 'fitness:write' }), {
      redirect: 'manual',
    })
    expect(redirectParams(wider).get('error')).toBe('invalid_scope')
    const { tokens } = await oauthDance(server, { client, scope: 'fitness:read' })
    expect(tokens.scope).toBe('fitness:read')
    const refresh = await postForm(server, '/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: client.client_id,
      scope: 'fitness:read fitness:write',
    })
    expect((await json(refresh)).error).toBe('invalid_scope')
  })
})
