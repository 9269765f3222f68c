import { randomBytes } from 'node:crypto'
import type { Request, Response } from 'express'
import { z } from 'zod'
import { allow, type Core, noStore, oauthError, parseScope } from './core.js'
import { hmac, randomToken } from './internal/crypto.js'
import { checkRedirectUri } from './redirect-uri.js'
import type { ClientRecord, GrantType, TokenEndpointAuthMethod } from './store.js'

const httpsUri = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      return new URL(value).protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be an https URL of at most 2000 characters')

/** Strips control characters (CR, LF, ANSI escapes) from self-asserted text. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()
}

/** The client metadata accepted from a registration body (RFC 7591 §2); unknown members dropped. */
const metadataSchema = z.object({
  redirect_uris: z.unknown(),
  token_endpoint_auth_method: z
    .enum(['none', 'client_secret_basic', 'client_secret_post'], {
      error: 'token_endpoint_auth_method must be none, client_secret_basic or client_secret_post',
    })
    .optional(),
  grant_types: z
    .array(z.enum(['authorization_code', 'refresh_token']), {
      error: 'grant_types may contain only authorization_code and refresh_token',
    })
    .min(1)
    .optional(),
  response_types: z
    .array(z.literal('code'), { error: 'response_types may contain only code' })
    .optional(),
  scope: z.string().max(1000).optional(),
  client_name: z.string().max(1000).optional(),
  client_uri: httpsUri.optional(),
  logo_uri: httpsUri.optional(),
  tos_uri: httpsUri.optional(),
  policy_uri: httpsUri.optional(),
  software_id: z.string().max(100).optional(),
  software_version: z.string().max(100).optional(),
})

type Outcome =
  | { ok: true; client: ClientRecord; secret: string | undefined }
  | { ok: false; error: 'invalid_redirect_uri' | 'invalid_client_metadata'; description: string }

/** Validates registration metadata into a client record (security spec §1.3.1). */
export function buildClient(
  core: Core,
  body: unknown,
  owner: { readonly source: ClientRecord['source']; readonly tenantId: string | null },
): Outcome {
  const { source, tenantId } = owner
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      error: 'invalid_client_metadata',
      description: 'body must be a JSON object',
    }
  }
  const parsed = metadataSchema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.join('.') ?? 'body'
    return {
      ok: false,
      error: 'invalid_client_metadata',
      description: `${where}: ${issue?.message ?? 'invalid'}`,
    }
  }
  const meta = parsed.data
  const uris = meta.redirect_uris
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > 10) {
    return {
      ok: false,
      error: 'invalid_redirect_uri',
      description: 'redirect_uris must be an array of 1 to 10 URIs',
    }
  }
  for (const uri of uris) {
    if (typeof uri !== 'string') {
      return {
        ok: false,
        error: 'invalid_redirect_uri',
        description: 'redirect URIs must be strings',
      }
    }
    const problem = checkRedirectUri(uri, core.extraRedirectSchemes)
    if (problem !== undefined) {
      return { ok: false, error: 'invalid_redirect_uri', description: problem }
    }
  }
  const grantTypes: GrantType[] = [
    ...new Set(meta.grant_types ?? (['authorization_code', 'refresh_token'] as const)),
  ]
  if (!grantTypes.includes('authorization_code')) {
    return {
      ok: false,
      error: 'invalid_client_metadata',
      description: 'grant_types must include authorization_code (response_types is code)',
    }
  }
  let scope: string | null = null
  if (meta.scope !== undefined) {
    const { scopes, unknown } = parseScope(core, meta.scope)
    if (unknown.length > 0 || scopes.length === 0) {
      return {
        ok: false,
        error: 'invalid_client_metadata',
        description: `unknown scope; supported: ${core.scopes.join(' ')}`,
      }
    }
    scope = scopes.join(' ')
  }
  const authMethod: TokenEndpointAuthMethod =
    meta.token_endpoint_auth_method ?? 'client_secret_basic'
  const secret = authMethod === 'none' ? undefined : randomToken(32)
  const name = meta.client_name === undefined ? null : clean(meta.client_name).slice(0, 100)
  const client: ClientRecord = {
    clientId: `mcp_client_${randomBytes(16).toString('hex')}`,
    secretHash: secret === undefined ? null : hashClientSecret(core, secret),
    authMethod,
    redirectUris: uris as string[],
    grantTypes,
    scope,
    clientName: name === '' ? null : name,
    clientUri: meta.client_uri ?? null,
    logoUri: meta.logo_uri ?? null,
    tosUri: meta.tos_uri ?? null,
    policyUri: meta.policy_uri ?? null,
    softwareId: meta.software_id === undefined ? null : clean(meta.software_id),
    softwareVersion: meta.software_version === undefined ? null : clean(meta.software_version),
    createdAt: core.now().toISOString(),
    lastUsedAt: null,
    source,
    tenantId,
  }
  return { ok: true, client, secret }
}

/** HMAC-SHA-256 of a client secret under the server secret (a random secret needs no slow hash). */
export function hashClientSecret(core: Core, secret: string): string {
  return hmac(core.secret, 'client_secret', secret)
}

/** The registration response: every stored metadata field, and the secret once. */
export function clientResponse(
  client: ClientRecord,
  secret: string | undefined,
): Record<string, unknown> {
  const issuedAt = Math.floor(Date.parse(client.createdAt) / 1000)
  const optional: Record<string, string | null> = {
    scope: client.scope,
    client_name: client.clientName,
    client_uri: client.clientUri,
    logo_uri: client.logoUri,
    tos_uri: client.tosUri,
    policy_uri: client.policyUri,
    software_id: client.softwareId,
    software_version: client.softwareVersion,
  }
  return {
    client_id: client.clientId,
    client_id_issued_at: issuedAt,
    ...(secret === undefined ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.authMethod,
    grant_types: client.grantTypes,
    response_types: ['code'],
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
  }
}

/** `POST /oauth2/register` (RFC 7591). */
export async function register(core: Core, req: Request, res: Response): Promise<void> {
  noStore(res)
  if (core.registration === 'off') {
    res.status(404).json({ error: 'not_found', error_description: 'registration is disabled' })
    return
  }
  const limit = await allow(core, 'register', req)
  if (!limit.allowed) {
    res.setHeader('Retry-After', String(limit.retryAfterSeconds))
    oauthError(res, 'temporarily_unavailable', 'rate limit exceeded')
    return
  }
  if (core.registration === 'token') {
    const match = /^Bearer +(\S+)$/i.exec(req.get('authorization') ?? '')
    const token = match?.[1]
    if (token === undefined || !(await core.checkInitialAccessToken?.(token))) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"')
      oauthError(res, 'invalid_token', 'an initial access token is required')
      return
    }
  }
  if (!req.is('application/json')) {
    oauthError(res, 'invalid_client_metadata', 'Content-Type must be application/json')
    return
  }
  const outcome = buildClient(core, req.body, { source: 'dcr', tenantId: null })
  if (!outcome.ok) {
    oauthError(res, outcome.error, outcome.description)
    return
  }
  await core.store.clients.create(outcome.client)
  core.audit({ action: 'oauth.client_registered', clientId: outcome.client.clientId })
  core.logger?.info(
    { clientId: outcome.client.clientId, authMethod: outcome.client.authMethod },
    'oauth client registered',
  )
  res.status(201).json(clientResponse(outcome.client, outcome.secret))
}
