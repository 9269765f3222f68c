import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { authorizeUrl, registerClient } from '../dance.js'
import {
  alice,
  bob,
  createBrowser,
  hiddenField,
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

/** Starts an authorization in a fresh browser and returns it with the login page. */
async function startLogin(state = 'state-123') {
  const client = await registerClient(server, { client_name: 'Fit App' })
  const browser = createBrowser(server.base)
  const start = await browser.get(authorizeUrl(server, client.client_id, { state }))
  const loginUrl = start.headers.get('location') as string
  const page = await (await browser.get(loginUrl)).text()
  return { client, browser, page, request: hiddenField(page, 'request') }
}

async function login(
  browser: ReturnType<typeof createBrowser>,
  page: string,
  credentials: { email: string; password: string },
) {
  return browser.post('/oauth2/login', {
    request: hiddenField(page, 'request'),
    csrf_token: hiddenField(page, 'csrf_token'),
    ...credentials,
  })
}

/** Logs in and returns the consent page. */
async function reachConsent(user = alice) {
  const started = await startLogin()
  const response = await login(started.browser, started.page, user)
  const consentUrl = response.headers.get('location') as string
  const page = await (await started.browser.get(consentUrl)).text()
  return { ...started, consentPage: page }
}

function expectPageHeaders(response: Response) {
  expect(response.headers.get('x-frame-options')).toBe('DENY')
  const csp = response.headers.get('content-security-policy') ?? ''
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toContain("default-src 'none'")
  expect(csp).not.toContain('unsafe-inline')
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
}

describe('T-25 clickjacking: framing headers on every HTML page', () => {
  it('sends X-Frame-Options and CSP frame-ancestors on login, consent, error and 429 pages', async () => {
    const { browser, page } = await startLogin()
    const loginPage = await browser.get(`/oauth2/login?request=${hiddenField(page, 'request')}`)
    expectPageHeaders(loginPage)
    const consent = await reachConsent()
    const consentPage = await consent.browser.get(
      `/oauth2/consent?request=${hiddenField(consent.consentPage, 'request')}`,
    )
    expectPageHeaders(consentPage)
    expect(consentPage.headers.get('content-security-policy')).toContain(
      "form-action 'self' http://127.0.0.1:5555",
    )
    expectPageHeaders(await fetch(`${server.base}/oauth2/login?request=nope`))
    await server.close()
    server = await startTestServer({ rateLimits: { authorize: 1 } })
    const client = await registerClient(server)
    await fetch(authorizeUrl(server, client.client_id), { redirect: 'manual' })
    const limited = await fetch(authorizeUrl(server, client.client_id), { redirect: 'manual' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expectPageHeaders(limited)
  })
})

describe('T-27 login CSRF', () => {
  it('refuses a login post without the CSRF cookie or with a mismatched token', async () => {
    const { page, request } = await startLogin()
    const bare = await fetch(`${server.base}/oauth2/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        request,
        csrf_token: hiddenField(page, 'csrf_token'),
        email: alice.email,
        password: alice.password,
      }).toString(),
    })
    expect(bare.status).toBe(403)
    expect(bare.headers.getSetCookie().some((c) => c.startsWith('pierre_session'))).toBe(false)

    const other = await startLogin()
    const mismatched = await other.browser.post('/oauth2/login', {
      request: other.request,
      csrf_token: hiddenField(page, 'csrf_token'),
      email: alice.email,
      password: alice.password,
    })
    expect(mismatched.status).toBe(403)
    const foreignOrigin = await other.browser.post(
      '/oauth2/login',
      {
        request: other.request,
        csrf_token: hiddenField(other.page, 'csrf_token'),
        email: alice.email,
        password: alice.password,
      },
      { origin: 'https://evil.example' },
    )
    expect(foreignOrigin.status).toBe(403)
  })
})

describe('T-26 CSRF on consent', () => {
  it('refuses forged consent posts and issues no code', async () => {
    const victim = await reachConsent()
    const attacker = await reachConsent(bob)
    const request = hiddenField(victim.consentPage, 'request')
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [{ request, decision: 'allow', tenant: 'tenant-a' }, {}],
      [
        {
          request,
          decision: 'allow',
          tenant: 'tenant-a',
          csrf_token: hiddenField(attacker.consentPage, 'csrf_token'),
        },
        {},
      ],
      [
        {
          request,
          decision: 'allow',
          tenant: 'tenant-a',
          csrf_token: hiddenField(victim.consentPage, 'csrf_token'),
        },
        { origin: 'https://evil.example' },
      ],
    ]
    for (const [form, headers] of attempts) {
      const response = await victim.browser.post('/oauth2/consent', form, headers)
      expect(response.status).toBe(403)
      expect(response.headers.get('location')).toBeNull()
    }
    // A GET with decision=allow only renders the page.
    const get = await victim.browser.get(`/oauth2/consent?request=${request}&decision=allow`)
    expect(get.status).toBe(200)
    expect(get.headers.get('location')).toBeNull()
    // The attacker's session cannot use the victim's request either.
    const crossed = await attacker.browser.post('/oauth2/consent', {
      request,
      decision: 'allow',
      tenant: 'tenant-a',
      csrf_token: hiddenField(attacker.consentPage, 'csrf_token'),
    })
    expect(crossed.status).toBe(403)
    expect(await server.store.consents.listForUser(alice.id)).toEqual([])
  })

  it('deletes the pending request on the first post: a second post is refused', async () => {
    const { browser, consentPage } = await reachConsent()
    const form = {
      request: hiddenField(consentPage, 'request'),
      csrf_token: hiddenField(consentPage, 'csrf_token'),
      tenant: 'tenant-a',
      decision: 'deny',
    }
    const deny = await browser.post('/oauth2/consent', form)
    expect(deny.status).toBe(303)
    expect(new URL(deny.headers.get('location') as string).searchParams.get('error')).toBe(
      'access_denied',
    )
    expect((await browser.post('/oauth2/consent', { ...form, decision: 'allow' })).status).toBe(400)
  })
})

describe('T-19 login brute force and lock-out', () => {
  it('locks an email after 5 failures for 15 minutes without checking the password', async () => {
    const { browser, page } = await startLogin()
    let current = page
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await login(browser, current, { email: alice.email, password: 'wrong' })
      expect(response.status).toBe(401)
      current = await response.text()
    }
    const locked = await login(browser, current, alice)
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800)
    server.clock.advance(15 * 60 + 1)
    const fresh = await startLogin()
    expect((await login(fresh.browser, fresh.page, alice)).status).toBe(303)
  })

  it('locks an unknown email the same way', async () => {
    const { browser, page } = await startLogin()
    let current = page
    for (let attempt = 0; attempt < 5; attempt++) {
      current = await (
        await login(browser, current, { email: 'ghost@example.com', password: 'x' })
      ).text()
    }
    expect(
      (await login(browser, current, { email: 'ghost@example.com', password: 'x' })).status,
    ).toBe(429)
  })

  it('throttles one address at 20 attempts per minute across emails', async () => {
    const { browser, page } = await startLogin()
    let current = page
    const statuses: number[] = []
    for (let attempt = 0; attempt < 21; attempt++) {
      const response = await login(browser, current, {
        email: `user${attempt}@example.com`,
        password: 'x',
      })
      statuses.push(response.status)
      if (response.status === 401) current = await response.text()
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
  })
})

describe('T-20 user enumeration on login', () => {
  it('answers an unknown email and a wrong password with the same page', async () => {
    const first = await startLogin()
    const unknown = await login(first.browser, first.page, {
      email: 'nobody@example.com',
      password: 'x',
    })
    const second = await startLogin()
    const wrong = await login(second.browser, second.page, { email: alice.email, password: 'x' })
    expect(unknown.status).toBe(wrong.status)
    const strip = (text: string) =>
      text.replace(/name="(csrf_token|request)" value="[^"]*"/g, 'name="$1" value=""')
    expect(strip(await unknown.text())).toBe(strip(await wrong.text()))
  })
})

describe('T-41 cross-site scripting on the pages', () => {
  it('escapes state, client name and scope markup', async () => {
    const client = await registerClient(server, { client_name: '<img src=x onerror=alert(1)>' })
    const browser = createBrowser(server.base)
    const start = await browser.get(
      authorizeUrl(server, client.client_id, { state: '"><script>alert(1)</script>' }),
    )
    const page = await (await browser.get(start.headers.get('location') as string)).text()
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(page).not.toContain('<script>')
    const bad = await fetch(`${server.base}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['http://127.0.0.1/cb'],
        client_uri: 'javascript:alert(1)',
      }),
    })
    expect((await json(bad)).error).toBe('invalid_client_metadata')
  })
})

describe('T-46 session fixation', () => {
  it('issues a new session id at login and ignores a planted one', async () => {
    const { browser, page } = await startLogin()
    browser.jar.set('pierre_session', 'planted-value-000000000000000000000000000')
    const response = await login(browser, page, alice)
    expect(response.status).toBe(303)
    const issued = browser.jar.get('pierre_session')
    expect(issued).not.toBe('planted-value-000000000000000000000000000')
    const fixed = createBrowser(server.base)
    fixed.jar.set('pierre_session', 'planted-value-000000000000000000000000000')
    const client = await registerClient(server)
    const start = await fixed.get(authorizeUrl(server, client.client_id))
    expect(start.headers.get('location')).toMatch(/^\/oauth2\/login/)
  })
})

describe('T-53 cookie and cache attributes', () => {
  it('sets HttpOnly SameSite cookies and no-store on every OAuth response', async () => {
    const { browser, page } = await startLogin()
    const loginPage = await browser.get(`/oauth2/login?request=${hiddenField(page, 'request')}`)
    const csrfCookie = loginPage.headers.getSetCookie().find((c) => c.startsWith('pierre_csrf='))
    expect(csrfCookie).toMatch(/HttpOnly/)
    expect(csrfCookie).toMatch(/SameSite=Strict/)
    expect(csrfCookie).toMatch(/Path=\//)
    expect(csrfCookie).not.toMatch(/Domain=/)
    const session = (await login(browser, await loginPage.text(), alice)).headers
      .getSetCookie()
      .find((c) => c.startsWith('pierre_session='))
    expect(session).toMatch(/HttpOnly/)
    expect(session).toMatch(/SameSite=Lax/)
    expect(session).not.toMatch(/Domain=/)
    const register = await fetch(`${server.base}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['http://127.0.0.1/cb'],
        token_endpoint_auth_method: 'none',
      }),
    })
    expect(register.headers.get('cache-control')).toBe('no-store')
    for (const path of ['/oauth2/token', '/oauth2/revoke', '/oauth2/introspect']) {
      const response = await fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code',
      })
      expect(response.headers.get('cache-control'), path).toBe('no-store')
      expect(response.headers.get('pragma'), path).toBe('no-cache')
    }
  })

  it('uses __Host- prefixed Secure cookies on an https issuer', async () => {
    const { createOAuthServer } = await import('../../src/server.js')
    const { createMemoryOAuthStore } = await import('../../src/memory-store.js')
    const { createLocalSigner, createMemoryUsers } = await import('../../src/local.js')
    const express = (await import('express')).default
    const issuer = 'https://pierre.example.com'
    const oauth = createOAuthServer({
      issuer,
      store: createMemoryOAuthStore(),
      users: createMemoryUsers([alice]),
      keys: await createLocalSigner({ issuer }),
      secret: new Uint8Array(32).fill(1),
    })
    const app = express().use(oauth.router)
    const http = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => http.once('listening', resolve))
    const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`
    try {
      const registered = await json(
        await fetch(`${base}/oauth2/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            redirect_uris: ['https://app.example/cb'],
            token_endpoint_auth_method: 'none',
          }),
        }),
      )
      const start = await fetch(
        `${base}/oauth2/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: registered.client_id,
          redirect_uri: 'https://app.example/cb',
          code_challenge: 'a'.repeat(43),
          code_challenge_method: 'S256',
        })}`,
        { redirect: 'manual' },
      )
      const loginPage = await fetch(`${base}${start.headers.get('location')}`)
      const cookie = loginPage.headers.getSetCookie()[0] ?? ''
      expect(cookie).toMatch(/^__Host-pierre_csrf=/)
      expect(cookie).toMatch(/; Secure/)
    } finally {
      http.close()
    }
  })
})
