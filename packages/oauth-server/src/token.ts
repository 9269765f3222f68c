import type { Request, Response } from 'express'
import { decodeJwt } from 'jose'
import {
  allow,
  type Core,
  hasGrant,
  isoIn,
  noStore,
  oauthError,
  param,
  parseScope,
} from './core.js'
import { randomToken, s256, safeEqual, sha256Hex } from './internal/crypto.js'
import { hashClientSecret } from './registration.js'
import type { ClientRecord, GrantRecord, RefreshTokenRecord } from './store.js'

const verifierPattern = /^[A-Za-z0-9._~-]{43,128}$/
const refreshPrefix = 'prt_'

type ClientAuth =
  | { ok: true; client: ClientRecord }
  | { ok: false; status: number; error: string; description: string; basic: boolean }

function decodeBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(header)
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const index = decoded.indexOf(':')
  if (index < 0) return undefined
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, index).replaceAll('+', ' ')),
      secret: decodeURIComponent(decoded.slice(index + 1).replaceAll('+', ' ')),
    }
  } catch {
    return undefined
  }
}

/**
 * Client authentication at the token, revocation and introspection endpoints (security spec §1.5,
 * §1.3.3): exactly the registered method; every failure is the same 401 `invalid_client`.
 */
async function authenticateClient(core: Core, req: Request): Promise<ClientAuth> {
  const body = req.body as Record<string, unknown> | undefined
  const authorization = req.get('authorization')
  const basic = authorization === undefined ? undefined : decodeBasic(authorization)
  const usedBasic = authorization !== undefined && /^Basic /i.test(authorization)
  const bodyId = param(body, 'client_id')
  const bodySecret = param(body, 'client_secret')
  const refuse = (): ClientAuth => ({
    ok: false,
    status: 401,
    error: 'invalid_client',
    description: 'client authentication failed',
    basic: usedBasic,
  })
  if (bodyId.repeated || bodySecret.repeated) {
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'repeated client parameters',
      basic: false,
    }
  }
  if (usedBasic && basic === undefined) return refuse()
  if (basic !== undefined && bodySecret.value !== undefined) {
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'use one client authentication method',
      basic: true,
    }
  }
  if (basic !== undefined && bodyId.value !== undefined && bodyId.value !== basic.id)
    return refuse()
  const clientId = basic?.id ?? bodyId.value
  if (clientId === undefined || clientId.length > 200) return refuse()
  const client = await core.store.clients.get(clientId)
  if (client === undefined) return refuse()
  const presented = basic?.secret ?? bodySecret.value
  const method =
    basic !== undefined
      ? 'client_secret_basic'
      : bodySecret.value !== undefined
        ? 'client_secret_post'
        : 'none'
  if (method !== client.authMethod) return refuse()
  if (method !== 'none') {
    if (presented === undefined || client.secretHash === null) return refuse()
    if (!safeEqual(hashClientSecret(core, presented), client.secretHash)) return refuse()
  }
  return { ok: true, client }
}

function refuseClient(res: Response, auth: Extract<ClientAuth, { ok: false }>): void {
  if (auth.basic && auth.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="pierre"')
  oauthError(res, auth.error, auth.description)
}

async function issueTokens(
  core: Core,
  res: Response,
  input: {
    client: ClientRecord
    grant: GrantRecord
    scopes: readonly string[]
    authTime: string | null
    /** `new`: start a refresh token; `{token}`: the rotated successor already stored. */
    refresh: 'new' | 'none' | { readonly token: string }
  },
): Promise<void> {
  const { client, grant } = input
  const issued = await core.keys.issueAccessToken({
    subject: grant.userId,
    audience: grant.resource,
    tenantId: grant.tenantId,
    clientId: client.clientId,
    scopes: input.scopes,
    ...(input.authTime === null ? {} : { authTime: new Date(input.authTime) }),
  })
  await core.store.accessTokens.record({
    jti: issued.jti,
    grantId: grant.grantId,
    clientId: client.clientId,
    userId: grant.userId,
    tenantId: grant.tenantId,
    expiresAt: issued.expiresAt.toISOString(),
    revokedAt: null,
  })
  const expiresIn = Math.max(
    1,
    Math.ceil((issued.expiresAt.getTime() - core.now().getTime()) / 1000),
  )
  const body: Record<string, unknown> = {
    access_token: issued.token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    scope: input.scopes.join(' '),
  }
  if (input.refresh === 'new') {
    const refresh = await newRefreshToken(core, grant)
    await core.store.refreshTokens.create(refresh.record)
    body.refresh_token = refresh.token
  } else if (input.refresh !== 'none') {
    body.refresh_token = input.refresh.token
  }
  await core.store.clients.touch(client.clientId, core.now().toISOString())
  noStore(res)
  res.status(200).json(body)
}

async function newRefreshToken(core: Core, grant: GrantRecord) {
  const token = `${refreshPrefix}${randomToken(32)}`
  const now = core.now().toISOString()
  const slidingEnd = isoIn(core, core.lifetimes.refreshToken)
  const record: RefreshTokenRecord = {
    tokenHash: sha256Hex(token),
    grantId: grant.grantId,
    clientId: grant.clientId,
    userId: grant.userId,
    tenantId: grant.tenantId,
    scope: grant.scope,
    resource: grant.resource,
    createdAt: now,
    // ISO instants in UTC sort as text: the earlier of the sliding and the absolute end.
    expiresAt: [slidingEnd, grant.absoluteExpiresAt].sort()[0] as string,
    rotatedAt: null,
    replacedBy: null,
    revokedAt: null,
  }
  return { token, record }
}

async function revokeGrant(
  core: Core,
  event: {
    grantId: string
    action: 'oauth.code_replay' | 'oauth.refresh_reuse' | 'oauth.grant_revoked'
    clientId: string
  },
) {
  const { grantId, action, clientId } = event
  await core.store.grants.revoke(grantId, core.now().toISOString())
  core.audit({ action, grantId, clientId })
  core.logger?.warn({ grantId, clientId, reason: action }, 'oauth grant revoked')
}

async function authorizationCodeGrant(
  core: Core,
  req: Request,
  { res, client }: { res: Response; client: ClientRecord },
) {
  const body = req.body as Record<string, unknown>
  const code = param(body, 'code').value
  const redirectUri = param(body, 'redirect_uri').value
  const verifier = param(body, 'code_verifier').value
  const resource = param(body, 'resource').value
  if (code === undefined || redirectUri === undefined || verifier === undefined) {
    oauthError(res, 'invalid_request', 'code, redirect_uri and code_verifier are required')
    return
  }
  const invalid = (description: string) => oauthError(res, 'invalid_grant', description)
  const result = await core.store.codes.consume(sha256Hex(code), core.now().toISOString())
  if (result.status === 'unknown' || result.status === 'expired') {
    invalid('authorization code is invalid or expired')
    return
  }
  if (result.status === 'replayed') {
    await revokeGrant(core, {
      grantId: result.code.grantId,
      action: 'oauth.code_replay',
      clientId: result.code.clientId,
    })
    invalid('authorization code was already used')
    return
  }
  const record = result.code
  if (!verifierPattern.test(verifier)) {
    invalid('code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]')
    return
  }
  if (record.clientId !== client.clientId) {
    invalid('authorization code was issued to another client')
    return
  }
  if (!safeEqual(record.redirectUri, redirectUri)) {
    invalid('redirect_uri does not match the authorization request')
    return
  }
  if (!safeEqual(s256(verifier), record.codeChallenge)) {
    invalid('code_verifier does not match the code_challenge')
    return
  }
  if (resource !== undefined && resource !== record.resource) {
    oauthError(res, 'invalid_target', 'resource does not match the authorization request')
    return
  }
  const grant = await core.store.grants.get(record.grantId)
  if (grant === undefined || grant.revokedAt !== null) {
    invalid('the grant was revoked')
    return
  }
  if (!(await core.users.isActiveMember(record.userId, record.tenantId))) {
    await revokeGrant(core, {
      grantId: grant.grantId,
      action: 'oauth.grant_revoked',
      clientId: client.clientId,
    })
    invalid('the user is no longer an active member')
    return
  }
  await issueTokens(core, res, {
    client,
    grant,
    scopes: grant.scope.split(' '),
    authTime: record.authTime,
    refresh: hasGrant(client.grantTypes, 'refresh_token') ? 'new' : 'none',
  })
}

async function refreshTokenGrant(
  core: Core,
  req: Request,
  { res, client }: { res: Response; client: ClientRecord },
) {
  const body = req.body as Record<string, unknown>
  const presented = param(body, 'refresh_token').value
  const invalid = (description: string) => oauthError(res, 'invalid_grant', description)
  if (presented === undefined) {
    oauthError(res, 'invalid_request', 'refresh_token is required')
    return
  }
  const nowIso = core.now().toISOString()
  const record =
    presented.length > 200 ? undefined : await core.store.refreshTokens.get(sha256Hex(presented))
  if (record === undefined || record.clientId !== client.clientId) {
    invalid('refresh token is invalid')
    return
  }
  if (record.rotatedAt !== null) {
    await revokeGrant(core, {
      grantId: record.grantId,
      action: 'oauth.refresh_reuse',
      clientId: client.clientId,
    })
    invalid('refresh token was already used')
    return
  }
  const grant = await core.store.grants.get(record.grantId)
  if (
    record.revokedAt !== null ||
    record.expiresAt <= nowIso ||
    grant === undefined ||
    grant.revokedAt !== null ||
    grant.absoluteExpiresAt <= nowIso
  ) {
    invalid('refresh token is expired or revoked')
    return
  }
  let scopes = grant.scope.split(' ')
  const scopeParam = param(body, 'scope').value
  if (scopeParam !== undefined) {
    const parsed = parseScope(core, scopeParam)
    if (
      parsed.unknown.length > 0 ||
      parsed.scopes.length === 0 ||
      parsed.scopes.some((s) => !scopes.includes(s))
    ) {
      oauthError(res, 'invalid_scope', 'scope must be within the original grant')
      return
    }
    scopes = parsed.scopes
  }
  const resource = param(body, 'resource').value
  if (resource !== undefined && resource !== grant.resource) {
    oauthError(res, 'invalid_target', 'resource does not match the grant')
    return
  }
  if (!(await core.users.isActiveMember(grant.userId, grant.tenantId))) {
    await revokeGrant(core, {
      grantId: grant.grantId,
      action: 'oauth.grant_revoked',
      clientId: client.clientId,
    })
    invalid('the user is no longer an active member')
    return
  }
  const successor = await newRefreshToken(core, grant)
  const rotation = await core.store.refreshTokens.rotate(record.tokenHash, successor.record, nowIso)
  if (rotation.status === 'reused') {
    await revokeGrant(core, {
      grantId: grant.grantId,
      action: 'oauth.refresh_reuse',
      clientId: client.clientId,
    })
    invalid('refresh token was already used')
    return
  }
  if (rotation.status === 'invalid') {
    invalid('refresh token is expired or revoked')
    return
  }
  await issueTokens(core, res, {
    client,
    grant,
    scopes,
    authTime: null,
    refresh: { token: successor.token },
  })
}

async function clientCredentialsGrant(
  core: Core,
  req: Request,
  { res, client }: { res: Response; client: ClientRecord },
) {
  if (
    client.source !== 'admin' ||
    client.tenantId === null ||
    !hasGrant(client.grantTypes, 'client_credentials')
  ) {
    oauthError(res, 'unauthorized_client', 'client may not use client_credentials')
    return
  }
  const body = req.body as Record<string, unknown>
  const cap = client.scope === null ? [] : client.scope.split(' ')
  let scopes = cap
  const scopeParam = param(body, 'scope').value
  if (scopeParam !== undefined) {
    const parsed = parseScope(core, scopeParam)
    if (parsed.unknown.length > 0 || parsed.scopes.some((s) => !cap.includes(s))) {
      oauthError(res, 'invalid_scope', 'scope must be within the client registration')
      return
    }
    scopes = parsed.scopes
  }
  const resourceParam = param(body, 'resource').value
  const resource = resourceParam ?? (core.resources[0] as string)
  if (!core.resources.includes(resource)) {
    oauthError(res, 'invalid_target', `resource must be one of ${core.resources.join(', ')}`)
    return
  }
  if (scopes.length === 0) {
    oauthError(res, 'invalid_scope', 'no scope to grant')
    return
  }
  const now = core.now().toISOString()
  const grant: GrantRecord = {
    grantId: randomToken(16),
    clientId: client.clientId,
    userId: client.clientId,
    tenantId: client.tenantId,
    scope: scopes.join(' '),
    resource,
    createdAt: now,
    absoluteExpiresAt: isoIn(core, core.lifetimes.grant),
    revokedAt: null,
  }
  await core.store.grants.create(grant)
  await issueTokens(core, res, { client, grant, scopes, authTime: null, refresh: 'none' })
}

async function tokenLimit(core: Core, req: Request, res: Response): Promise<boolean> {
  const limit = await allow(core, 'token', req)
  if (limit.allowed) return true
  res.setHeader('Retry-After', String(limit.retryAfterSeconds))
  oauthError(res, 'temporarily_unavailable', 'rate limit exceeded')
  return false
}

function formBody(req: Request, res: Response): boolean {
  if (!req.is('application/x-www-form-urlencoded')) {
    oauthError(res, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded')
    return false
  }
  const body = req.body as Record<string, unknown>
  const repeated = Object.entries(body).find(([, value]) => Array.isArray(value))
  if (repeated !== undefined) {
    oauthError(res, 'invalid_request', `parameter ${repeated[0]} is repeated`)
    return false
  }
  return true
}

/** `POST /oauth2/token` (security spec §1.5). */
export async function token(core: Core, req: Request, res: Response): Promise<void> {
  if (!(await tokenLimit(core, req, res)) || !formBody(req, res)) return
  const grantType = param(req.body, 'grant_type').value
  if (grantType === undefined) {
    oauthError(res, 'invalid_request', 'grant_type is required')
    return
  }
  const known = [
    'authorization_code',
    'refresh_token',
    ...(core.clientCredentials ? ['client_credentials'] : []),
  ]
  if (!known.includes(grantType)) {
    oauthError(res, 'unsupported_grant_type', `grant_type must be one of ${known.join(', ')}`)
    return
  }
  const auth = await authenticateClient(core, req)
  if (!auth.ok) {
    refuseClient(res, auth)
    return
  }
  const { client } = auth
  if (grantType === 'client_credentials') {
    await clientCredentialsGrant(core, req, { res, client })
    return
  }
  if (!hasGrant(client.grantTypes, grantType as 'authorization_code' | 'refresh_token')) {
    oauthError(res, 'unauthorized_client', `client is not registered for ${grantType}`)
    return
  }
  if (grantType === 'authorization_code') await authorizationCodeGrant(core, req, { res, client })
  else await refreshTokenGrant(core, req, { res, client })
}

/** The `jti` and client of a JWT we issued, read without verifying (store lookups decide). */
function jwtIdentity(tokenText: string): { jti: string } | undefined {
  if (tokenText.length > 8192 || tokenText.split('.').length !== 3) return undefined
  try {
    const claims = decodeJwt(tokenText)
    return typeof claims.jti === 'string' ? { jti: claims.jti } : undefined
  } catch {
    return undefined
  }
}

/** `POST /oauth2/revoke` (RFC 7009, security spec §1.7). */
export async function revoke(core: Core, req: Request, res: Response): Promise<void> {
  if (!(await tokenLimit(core, req, res)) || !formBody(req, res)) return
  const auth = await authenticateClient(core, req)
  if (!auth.ok) {
    refuseClient(res, auth)
    return
  }
  const { client } = auth
  const presented = param(req.body, 'token').value
  noStore(res)
  if (presented === undefined) {
    oauthError(res, 'invalid_request', 'token is required')
    return
  }
  const at = core.now().toISOString()
  if (presented.startsWith(refreshPrefix) && presented.length <= 200) {
    const record = await core.store.refreshTokens.get(sha256Hex(presented))
    if (record !== undefined && record.clientId === client.clientId) {
      await core.store.grants.revoke(record.grantId, at)
      core.audit({
        action: 'oauth.grant_revoked',
        grantId: record.grantId,
        clientId: client.clientId,
      })
    } else if (record !== undefined) {
      core.logger?.warn(
        { clientId: client.clientId },
        'revocation of another client’s token ignored',
      )
    }
  } else {
    const identity = jwtIdentity(presented)
    const record = identity && (await core.store.accessTokens.get(identity.jti))
    if (record !== undefined && record.clientId === client.clientId) {
      await core.store.accessTokens.revoke(record.jti, at)
      core.audit({ action: 'oauth.token_revoked', clientId: client.clientId })
      if (core.revokeAccessRevokesGrant && record.grantId !== null) {
        await core.store.grants.revoke(record.grantId, at)
      }
    } else if (record !== undefined) {
      core.logger?.warn(
        { clientId: client.clientId },
        'revocation of another client’s token ignored',
      )
    }
  }
  res.status(200).end()
}

/** `POST /oauth2/introspect` (RFC 7662): confidential clients, their own tokens only. */
export async function introspect(core: Core, req: Request, res: Response): Promise<void> {
  if (!(await tokenLimit(core, req, res)) || !formBody(req, res)) return
  const auth = await authenticateClient(core, req)
  if (!auth.ok || auth.client.authMethod === 'none') {
    refuseClient(
      res,
      auth.ok
        ? {
            ok: false,
            status: 401,
            error: 'invalid_client',
            description: 'public clients cannot introspect',
            basic: false,
          }
        : auth,
    )
    return
  }
  const { client } = auth
  const presented = param(req.body, 'token').value
  noStore(res)
  if (presented === undefined) {
    oauthError(res, 'invalid_request', 'token is required')
    return
  }
  const inactive = () => res.status(200).json({ active: false })
  const nowIso = core.now().toISOString()
  if (presented.startsWith(refreshPrefix)) {
    const record =
      presented.length > 200 ? undefined : await core.store.refreshTokens.get(sha256Hex(presented))
    const grant = record && (await core.store.grants.get(record.grantId))
    if (
      record === undefined ||
      grant === undefined ||
      record.clientId !== client.clientId ||
      record.rotatedAt !== null ||
      record.revokedAt !== null ||
      record.expiresAt <= nowIso ||
      grant.revokedAt !== null ||
      !(await core.users.isActiveMember(record.userId, record.tenantId))
    ) {
      inactive()
      return
    }
    res.status(200).json({
      active: true,
      token_type: 'refresh_token',
      scope: record.scope,
      client_id: record.clientId,
      sub: record.userId,
      aud: record.resource,
      iss: core.issuer,
      exp: Math.floor(Date.parse(record.expiresAt) / 1000),
      iat: Math.floor(Date.parse(record.createdAt) / 1000),
      tenant: record.tenantId,
    })
    return
  }
  const identity = jwtIdentity(presented)
  const record = identity && (await core.store.accessTokens.get(identity.jti))
  if (record === undefined || record.clientId !== client.clientId) {
    inactive()
    return
  }
  const audience =
    record.grantId === null ? undefined : (await core.store.grants.get(record.grantId))?.resource
  try {
    const { claims } = await core.keys.verifyAccessToken(presented, {
      audience: audience ?? (core.resources[0] as string),
    })
    const status = await core.store.accessTokens.status(claims.jti)
    if (status.revoked || !(await core.users.isActiveMember(claims.sub, claims.tenant))) {
      inactive()
      return
    }
    res.status(200).json({
      active: true,
      token_type: 'Bearer',
      scope: claims.scope ?? '',
      client_id: claims.client_id,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      exp: claims.exp,
      iat: claims.iat,
      nbf: claims.nbf,
      jti: claims.jti,
      tenant: claims.tenant,
    })
  } catch {
    inactive()
  }
}
