import type { Request, Response } from 'express'
import {
  allow,
  type Core,
  cookieName,
  csrfToken,
  hasGrant,
  isoIn,
  newId,
  param,
  parseScope,
  readCookie,
  sendPage,
  setCookie,
} from './core.js'
import { randomToken, safeEqual, sha256Hex } from './internal/crypto.js'
import { html, type SafeHtml } from './internal/html.js'
import { formActionSource, matchRedirectUri } from './redirect-uri.js'
import type { ClientRecord, PendingRequestRecord, SessionRecord } from './store.js'

const challengePattern = /^[A-Za-z0-9_-]{43}$/

function errorPage(res: Response, status: number, text: { title: string; message: string }): void {
  sendPage(res, {
    status,
    title: text.title,
    body: html`<h1>${text.title}</h1><p class="error" role="alert">${text.message}</p>
<p class="note">Start again from your application.</p>`,
  })
}

function tooMany(res: Response, retryAfterSeconds: number): void {
  res.setHeader('Retry-After', String(retryAfterSeconds))
  errorPage(res, 429, {
    title: 'Too many requests',
    message: `Try again in ${retryAfterSeconds} seconds.`,
  })
}

/** Redirects to the client with `params`, `state` and `iss` (RFC 9207), keeping its own query. */
function redirectToClient(
  core: Core,
  res: Response,
  target: {
    redirectUri: string
    state: string | null
    params: Record<string, string>
    status?: number
  },
): void {
  const { redirectUri, state, params, status = 302 } = target
  const url = new URL(redirectUri)
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value)
  if (state !== null) url.searchParams.append('state', state)
  url.searchParams.append('iss', core.issuer)
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Pragma', 'no-cache')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.redirect(status, url.toString())
}

/** The live browser session of a request, if any (idle and absolute limits applied). */
async function currentSession(core: Core, req: Request): Promise<SessionRecord | undefined> {
  const id = readCookie(req, cookieName(core, 'session'))
  if (id === undefined) return undefined
  const idHash = sha256Hex(id)
  const now = core.now()
  const session = await core.store.sessions.get(idHash, now.toISOString())
  if (session === undefined) return undefined
  if (now.getTime() - Date.parse(session.lastSeenAt) > core.lifetimes.sessionIdle * 1000) {
    await core.store.sessions.delete(idHash)
    return undefined
  }
  await core.store.sessions.touch(idHash, now.toISOString())
  return session
}

/** `GET /oauth2/authorize` (security spec §1.4.1), steps in the order the spec gives. */
export async function authorize(core: Core, req: Request, res: Response): Promise<void> {
  const limit = await allow(core, 'authorize', req)
  if (!limit.allowed) {
    tooMany(res, limit.retryAfterSeconds)
    return
  }
  const query = req.query
  const clientId = param(query, 'client_id')
  const client =
    clientId.value === undefined || clientId.value.length > 200
      ? undefined
      : await core.store.clients.get(clientId.value)
  if (client === undefined) {
    errorPage(res, 400, {
      title: 'Unknown application',
      message: 'This application is not registered here.',
    })
    return
  }
  const redirect = param(query, 'redirect_uri')
  if (redirect.value === undefined || !matchRedirectUri(redirect.value, client.redirectUris)) {
    errorPage(res, 400, {
      title: 'Invalid redirect',
      message: 'The redirect_uri is missing or does not match the registered ones.',
    })
    return
  }
  const redirectUri = redirect.value
  const stateParam = param(query, 'state')
  const state = stateParam.value === undefined ? null : stateParam.value.slice(0, 500)
  const fail = (error: string, description: string) =>
    redirectToClient(core, res, {
      redirectUri,
      state,
      params: { error, error_description: description },
    })
  const names = [
    'response_type',
    'client_id',
    'redirect_uri',
    'state',
    'scope',
    'code_challenge',
    'code_challenge_method',
    'resource',
  ]
  const repeated = names.find((name) => param(query, name).repeated)
  if (repeated !== undefined) {
    fail('invalid_request', `parameter ${repeated} is repeated`)
    return
  }
  if (stateParam.value !== undefined && stateParam.value.length > 500) {
    fail('invalid_request', 'state is longer than 500 characters')
    return
  }
  if (param(query, 'response_type').value !== 'code') {
    fail('unsupported_response_type', 'response_type must be code')
    return
  }
  const challenge = param(query, 'code_challenge').value
  if (challenge === undefined) {
    fail('invalid_request', 'code_challenge is required (PKCE)')
    return
  }
  if (param(query, 'code_challenge_method').value !== 'S256') {
    fail('invalid_request', 'code_challenge_method must be S256')
    return
  }
  if (!challengePattern.test(challenge)) {
    fail('invalid_request', 'code_challenge must be 43 base64url characters')
    return
  }
  if (!hasGrant(client.grantTypes, 'authorization_code')) {
    fail('unauthorized_client', 'client is not registered for authorization_code')
    return
  }
  const cap = client.scope === null ? core.scopes : client.scope.split(' ')
  const scopeParam = param(query, 'scope').value
  let scopes: string[]
  if (scopeParam === undefined || scopeParam.trim() === '') {
    scopes = core.scopes.filter((scope) => cap.includes(scope))
  } else {
    const parsed = parseScope(core, scopeParam)
    if (parsed.unknown.length > 0 || parsed.scopes.some((scope) => !cap.includes(scope))) {
      fail('invalid_scope', 'requested scope is unknown or not allowed for this client')
      return
    }
    scopes = parsed.scopes
  }
  if (scopes.length === 0) {
    fail('invalid_scope', 'no scope left to grant')
    return
  }
  const resourceParam = param(query, 'resource').value
  let resource: string
  if (resourceParam === undefined) {
    resource = core.resources[0] as string
    core.logger?.warn({ clientId: client.clientId }, 'authorization request without resource')
  } else if (core.resources.includes(resourceParam)) {
    resource = resourceParam
  } else {
    fail('invalid_target', `resource must be one of ${core.resources.join(', ')}`)
    return
  }
  const now = core.now()
  const pending: PendingRequestRecord = {
    id: newId(),
    clientId: client.clientId,
    redirectUri,
    scope: scopes.join(' '),
    state,
    codeChallenge: challenge,
    resource,
    createdAt: now.toISOString(),
    expiresAt: isoIn(core, core.lifetimes.pendingRequest),
    userId: null,
    authTime: null,
  }
  await core.store.pendingRequests.create(pending)
  const session = await currentSession(core, req)
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Referrer-Policy', 'no-referrer')
  if (session === undefined) {
    res.redirect(302, `/oauth2/login?request=${encodeURIComponent(pending.id)}`)
    return
  }
  await core.store.pendingRequests.bindUser(
    pending.id,
    session.userId,
    session.createdAt,
    now.toISOString(),
  )
  // A remembered consent covering the client, scopes and resource skips the page.
  const tenants = await core.users.tenantsOf(session.userId)
  if (tenants.length === 1) {
    const tenant = tenants[0] as { id: string }
    const consent = await core.store.consents.get(
      session.userId,
      tenant.id,
      client.clientId,
      resource,
    )
    const covered =
      consent !== undefined && scopes.every((s) => consent.scope.split(' ').includes(s))
    if (covered) {
      const taken = await core.store.pendingRequests.take(pending.id, now.toISOString())
      if (taken !== undefined) {
        await issueCode(core, res, {
          pending: { ...taken, userId: session.userId, authTime: session.createdAt },
          tenantId: tenant.id,
        })
        return
      }
    }
  }
  res.redirect(302, `/oauth2/consent?request=${encodeURIComponent(pending.id)}`)
}

async function livePending(core: Core, id: string | undefined) {
  if (id === undefined || id.length > 64) return undefined
  return core.store.pendingRequests.get(id, core.now().toISOString())
}

function clientLabel(client: ClientRecord): SafeHtml {
  const name = client.clientName ?? client.clientId
  return client.source === 'admin'
    ? html`<strong>${name}</strong>`
    : html`<strong>${name}</strong> <span class="note">(name given by the application, not verified)</span>`
}

function loginForm(view: {
  client: ClientRecord
  requestId: string
  csrf: string
  message: string | undefined
}): SafeHtml {
  const { client, requestId, csrf, message } = view
  return html`<h1>Sign in to Pierre</h1>
<p>${clientLabel(client)} wants to use your Pierre account.</p>
${message === undefined ? '' : html`<p class="error" role="alert">${message}</p>`}
<form method="post" action="/oauth2/login">
<input type="hidden" name="request" value="${requestId}">
<input type="hidden" name="csrf_token" value="${csrf}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`
}

/** Renders the login form with a fresh CSRF cookie bound to the request (double submit, T-27). */
function showLogin(
  core: Core,
  res: Response,
  view: {
    pending: PendingRequestRecord
    client: ClientRecord
    status: number
    message?: string
  },
): void {
  const { pending, client, status, message } = view
  const browserSecret = randomToken(32)
  setCookie(core, res, {
    base: 'csrf',
    value: browserSecret,
    maxAgeSeconds: core.lifetimes.pendingRequest,
  })
  const csrf = csrfToken(core, { purpose: 'login', secret: browserSecret, requestId: pending.id })
  sendPage(res, {
    status,
    title: 'Sign in',
    body: loginForm({ client, requestId: pending.id, csrf, message }),
  })
}

const expiredMessage = 'This authorization request has expired. Start again from your application.'

/** `GET /oauth2/login`. */
export async function loginPage(core: Core, req: Request, res: Response): Promise<void> {
  const pending = await livePending(core, param(req.query, 'request').value)
  const client = pending && (await core.store.clients.get(pending.clientId))
  if (pending === undefined || client === undefined) {
    errorPage(res, 400, { title: 'Request expired', message: expiredMessage })
    return
  }
  showLogin(core, res, { pending, client, status: 200 })
}

function sameOrigin(core: Core, req: Request): boolean {
  const origin = req.get('origin')
  return origin === undefined || origin === new URL(core.issuer).origin
}

/** `POST /oauth2/login` (security spec §1.4.2). */
export async function login(core: Core, req: Request, res: Response): Promise<void> {
  const body = req.body as Record<string, unknown> | undefined
  const requestId = param(body, 'request').value
  const browserSecret = readCookie(req, cookieName(core, 'csrf'))
  const submitted = param(body, 'csrf_token').value
  const csrfOk =
    requestId !== undefined &&
    browserSecret !== undefined &&
    submitted !== undefined &&
    sameOrigin(core, req) &&
    safeEqual(submitted, csrfToken(core, { purpose: 'login', secret: browserSecret, requestId }))
  if (!csrfOk) {
    errorPage(res, 403, {
      title: 'Request refused',
      message: 'The form could not be verified. Reload the page and try again.',
    })
    return
  }
  const limit = await allow(core, 'login', req)
  if (!limit.allowed) {
    tooMany(res, limit.retryAfterSeconds)
    return
  }
  const pending = await livePending(core, requestId)
  const client = pending && (await core.store.clients.get(pending.clientId))
  if (pending === undefined || client === undefined) {
    errorPage(res, 400, { title: 'Request expired', message: expiredMessage })
    return
  }
  const email = param(body, 'email').value ?? ''
  const password = param(body, 'password').value ?? ''
  const outcome = await core.users.login({
    email: email.slice(0, 320),
    password: password.slice(0, 1024),
  })
  if (!outcome.ok) {
    core.audit({ action: 'oauth.login_failed', clientId: client.clientId })
    if (outcome.reason === 'locked') {
      tooMany(res, Math.max(1, Math.ceil(outcome.retryAfterSeconds ?? 900)))
      return
    }
    const message =
      outcome.reason === 'not_active' ? 'Account not active.' : 'Invalid email or password.'
    showLogin(core, res, {
      pending,
      client,
      status: outcome.reason === 'not_active' ? 403 : 401,
      message,
    })
    return
  }
  // A new session id on every login: a planted cookie never becomes a session (T-46).
  const old = readCookie(req, cookieName(core, 'session'))
  if (old !== undefined) await core.store.sessions.delete(sha256Hex(old))
  const sessionId = randomToken(32)
  const now = core.now().toISOString()
  await core.store.sessions.create({
    idHash: sha256Hex(sessionId),
    userId: outcome.userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: isoIn(core, core.lifetimes.sessionAbsolute),
    ip: core.clientIp(req),
    userAgent: (req.get('user-agent') ?? '').slice(0, 200) || null,
  })
  await core.store.pendingRequests.bindUser(pending.id, outcome.userId, now, now)
  core.audit({ action: 'oauth.login_succeeded', userId: outcome.userId, clientId: client.clientId })
  setCookie(core, res, {
    base: 'session',
    value: sessionId,
    maxAgeSeconds: core.lifetimes.sessionAbsolute,
  })
  res.setHeader('Cache-Control', 'no-store')
  res.redirect(303, `/oauth2/consent?request=${encodeURIComponent(pending.id)}`)
}

function hostOf(uri: string | null): string {
  if (uri === null) return 'not given'
  try {
    const url = new URL(uri)
    return url.host === '' ? url.protocol : url.host
  } catch {
    return 'not given'
  }
}

/** `GET /oauth2/consent` (security spec §1.4.3). */
export async function consentPage(core: Core, req: Request, res: Response): Promise<void> {
  const requestId = param(req.query, 'request').value
  const pending = await livePending(core, requestId)
  const client = pending && (await core.store.clients.get(pending.clientId))
  if (pending === undefined || client === undefined) {
    errorPage(res, 400, { title: 'Request expired', message: expiredMessage })
    return
  }
  const session = await currentSession(core, req)
  if (session === undefined) {
    res.setHeader('Cache-Control', 'no-store')
    res.redirect(302, `/oauth2/login?request=${encodeURIComponent(pending.id)}`)
    return
  }
  if (pending.userId !== session.userId) {
    errorPage(res, 403, {
      title: 'Request refused',
      message: 'This authorization request belongs to another sign-in.',
    })
    return
  }
  const tenants = await core.users.tenantsOf(session.userId)
  if (tenants.length === 0) {
    errorPage(res, 403, {
      title: 'No workspace',
      message: 'Your account is not an active member of any workspace.',
    })
    return
  }
  const who = (await core.users.describe?.(session.userId)) ?? 'your account'
  const csrf = csrfToken(core, {
    purpose: 'consent',
    secret: session.idHash,
    requestId: pending.id,
  })
  const tenantField =
    tenants.length === 1
      ? html`<input type="hidden" name="tenant" value="${tenants[0]?.id}">
<p>Workspace: <strong>${tenants[0]?.name}</strong></p>`
      : html`<label for="tenant">Workspace the application acts in</label>
<select id="tenant" name="tenant">${tenants.map(
          (tenant) => html`<option value="${tenant.id}">${tenant.name}</option>`,
        )}</select>`
  const scopes = pending.scope.split(' ')
  sendPage(res, {
    status: 200,
    title: 'Allow access',
    body: html`<h1>Allow access?</h1>
<p>${clientLabel(client)} wants to access Pierre as ${who}.</p>
<ul>
<li>Application site: ${hostOf(client.clientUri)}</li>
<li>Sends you back to: ${hostOf(pending.redirectUri)}</li>
<li>Resource: ${pending.resource}</li>
</ul>
<p>It will be able to:</p>
<ul>${scopes.map((scope) => html`<li>${core.scopeDescriptions[scope] ?? scope}</li>`)}</ul>
<form method="post" action="/oauth2/consent">
<input type="hidden" name="request" value="${pending.id}">
<input type="hidden" name="csrf_token" value="${csrf}">
${tenantField}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
    formActions: [formActionSource(pending.redirectUri)],
  })
}

/** `POST /oauth2/consent`. */
export async function consent(core: Core, req: Request, res: Response): Promise<void> {
  const body = req.body as Record<string, unknown> | undefined
  const requestId = param(body, 'request').value
  const session = await currentSession(core, req)
  const submitted = param(body, 'csrf_token').value
  const csrfOk =
    session !== undefined &&
    requestId !== undefined &&
    submitted !== undefined &&
    sameOrigin(core, req) &&
    safeEqual(submitted, csrfToken(core, { purpose: 'consent', secret: session.idHash, requestId }))
  if (!csrfOk || session === undefined || requestId === undefined) {
    errorPage(res, 403, {
      title: 'Request refused',
      message: 'The form could not be verified. Start again from your application.',
    })
    return
  }
  const pending = await core.store.pendingRequests.take(requestId, core.now().toISOString())
  if (pending === undefined) {
    errorPage(res, 400, { title: 'Request expired', message: expiredMessage })
    return
  }
  if (pending.userId !== session.userId) {
    errorPage(res, 403, {
      title: 'Request refused',
      message: 'This authorization request belongs to another sign-in.',
    })
    return
  }
  const decision = param(body, 'decision').value
  if (decision !== 'allow') {
    core.audit({
      action: 'oauth.consent_denied',
      userId: session.userId,
      clientId: pending.clientId,
    })
    redirectToClient(core, res, {
      redirectUri: pending.redirectUri,
      state: pending.state,
      params: { error: 'access_denied', error_description: 'the user denied access' },
      status: 303,
    })
    return
  }
  const tenantId = param(body, 'tenant').value
  const tenants = await core.users.tenantsOf(session.userId)
  if (tenantId === undefined || !tenants.some((tenant) => tenant.id === tenantId)) {
    errorPage(res, 400, { title: 'Invalid workspace', message: 'Choose one of your workspaces.' })
    return
  }
  await core.store.consents.put({
    userId: session.userId,
    tenantId,
    clientId: pending.clientId,
    resource: pending.resource,
    scope: pending.scope,
    grantedAt: core.now().toISOString(),
  })
  core.audit({
    action: 'oauth.consent_granted',
    userId: session.userId,
    tenantId,
    clientId: pending.clientId,
  })
  await issueCode(core, res, { pending, tenantId, status: 303 })
}

/** Creates the grant and its single-use code, then sends the browser back to the client. */
async function issueCode(
  core: Core,
  res: Response,
  grant: { pending: PendingRequestRecord; tenantId: string; status?: number },
): Promise<void> {
  const { pending, tenantId, status = 302 } = grant
  const userId = pending.userId as string
  const code = randomToken(32)
  const grantId = newId()
  const now = core.now().toISOString()
  await core.store.grants.create({
    grantId,
    clientId: pending.clientId,
    userId,
    tenantId,
    scope: pending.scope,
    resource: pending.resource,
    createdAt: now,
    absoluteExpiresAt: isoIn(core, core.lifetimes.grant),
    revokedAt: null,
  })
  await core.store.codes.create({
    codeHash: sha256Hex(code),
    grantId,
    clientId: pending.clientId,
    userId,
    tenantId,
    redirectUri: pending.redirectUri,
    scope: pending.scope,
    resource: pending.resource,
    codeChallenge: pending.codeChallenge,
    authTime: pending.authTime,
    expiresAt: isoIn(core, core.lifetimes.code),
    usedAt: null,
  })
  redirectToClient(core, res, {
    redirectUri: pending.redirectUri,
    state: pending.state,
    params: { code },
    status,
  })
}
