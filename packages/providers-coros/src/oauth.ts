import type { OAuthClient, OAuthClientOptions } from '@pierre/providers-core'
import { createOAuthClient } from '@pierre/providers-core'
import type { CorosOAuthEndpoints } from './descriptor.js'
import {
  corosAccessTokenLifetimeSeconds,
  corosApiBaseUrl,
  corosDescriptor,
  corosOAuthEndpoints,
} from './descriptor.js'
import { jsonResponse, okResult, parseJson, statusOf } from './internal/envelope.js'

/** Options of {@link createCorosOAuthClient}: those of `createOAuthClient` but the descriptor. */
export interface CorosOAuthClientOptions
  extends Omit<OAuthClientOptions, 'descriptor' | 'endpoints'> {
  /** `https://open.coros.com` by default; the test host, or `fakeCoros.url` in tests. */
  readonly baseUrl?: string
}

/**
 * Creates providers-core's OAuth client for COROS: `createOAuthClient` with
 * {@link corosDescriptor} and a COROS adapter under its `fetch`, which
 *
 * - sends refresh grants to `/oauth2/refresh` (code grants go to `/oauth2/accesstoken`);
 * - turns COROS's in-band refusals (HTTP 200 with `result` ≠ `"0000"`) into OAuth errors, so a
 *   refused refresh marks the connection `needs_reauth` and keeps its tokens;
 * - accepts both refresh answers COROS is reported to give: a new token pair, or a bare
 *   `{"result":"0000"}` that extends the current access token by 30 days. For the second, the
 *   stored refresh token is a handle that also carries the access token, so the client can store
 *   the same access token with its new expiry;
 * - unbinds on `disconnect` with `POST /coros/open/unbind` and the access token in a `token` header.
 *
 * Single-flight refreshes and the rest are providers-core's.
 *
 * @throws ProviderError `not_configured` as `createOAuthClient` does.
 *
 * @example
 * ```ts
 * const oauth = createCorosOAuthClient({
 *   clientId, clientSecret, redirectUri, tokenStore, baseUrl: fake.url,
 * })
 * ```
 */
export function createCorosOAuthClient(options: CorosOAuthClientOptions): OAuthClient {
  const { baseUrl, fetch: fetchImpl, ...rest } = options
  const endpoints = corosOAuthEndpoints(baseUrl ?? corosApiBaseUrl)
  const { refreshEndpoint: _refresh, ...standard } = endpoints
  return createOAuthClient({
    ...rest,
    descriptor: corosDescriptor,
    endpoints: standard,
    fetch: createCorosTokenFetch(fetchImpl ?? globalThis.fetch, endpoints),
  })
}

const handlePrefix = 'coros-rt.v1.'

/** The refresh handle stored in place of COROS's refresh token: both tokens, opaque. */
function encodeHandle(refreshToken: string, accessToken: string): string {
  const json = JSON.stringify({ r: refreshToken, a: accessToken })
  return `${handlePrefix}${Buffer.from(json, 'utf8').toString('base64url')}`
}

function decodeHandle(value: string): {
  readonly refreshToken: string
  readonly accessToken: string | undefined
} {
  if (!value.startsWith(handlePrefix)) return { refreshToken: value, accessToken: undefined }
  const parsed = parseJson(Buffer.from(value.slice(handlePrefix.length), 'base64url').toString())
  const fields = parsed?.value as { r?: unknown; a?: unknown } | undefined
  if (typeof fields?.r === 'string' && typeof fields.a === 'string') {
    return { refreshToken: fields.r, accessToken: fields.a }
  }
  return { refreshToken: value, accessToken: undefined }
}

function stringField(body: Readonly<Record<string, unknown>>, ...names: string[]) {
  for (const name of names) {
    const value = body[name]
    if (typeof value === 'string' && value !== '') return value
  }
  return undefined
}

// A token body may come bare or inside the `{result, data}` envelope of the data API.
function tokenBody(body: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const record = body as Record<string, unknown>
  const data = record.data
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    return { ...record, ...(data as Record<string, unknown>) }
  }
  return record
}

const refusal = (error: string, description: string | undefined): Response =>
  jsonResponse(400, {
    error,
    ...(description === undefined ? {} : { error_description: description }),
  })

function sameEndpoint(url: URL, endpoint: string): boolean {
  const target = new URL(endpoint)
  return url.origin === target.origin && url.pathname === target.pathname
}

function urlOf(input: Parameters<typeof fetch>[0]): URL {
  if (input instanceof URL) return input
  if (typeof input === 'string') return new URL(input)
  return new URL(input.url)
}

// Reads an answer; a non-2xx or a body that is not JSON goes back untouched for the core to report.
async function readAnswer(
  response: Response,
): Promise<{ readonly passThrough: Response } | { readonly body: unknown }> {
  if (!response.ok || response.status === 204 || response.status === 205) {
    return { passThrough: response }
  }
  const text = await response.text()
  const parsed = parseJson(text)
  if (parsed === undefined) {
    return {
      passThrough: new Response(text, { status: response.status, headers: response.headers }),
    }
  }
  return { body: parsed.value }
}

/**
 * Wraps `fetch` for the token, refresh and unbind calls of providers-core's OAuth client (see
 * {@link createCorosOAuthClient}). Other requests pass through unchanged.
 */
function createCorosTokenFetch(fetchImpl: typeof fetch, endpoints: CorosOAuthEndpoints) {
  const exchange = async (url: URL, init: RequestInit): Promise<Response> => {
    const answer = await readAnswer(await fetchImpl(url, init))
    if ('passThrough' in answer) return answer.passThrough
    return normalizeTokens(answer.body, undefined)
  }

  const refresh = async (form: URLSearchParams, init: RequestInit): Promise<Response> => {
    const handle = decodeHandle(form.get('refresh_token') ?? '')
    const upstreamForm = new URLSearchParams(form)
    upstreamForm.set('refresh_token', handle.refreshToken)
    const answer = await readAnswer(
      await fetchImpl(endpoints.refreshEndpoint, { ...init, body: upstreamForm }),
    )
    if ('passThrough' in answer) return answer.passThrough
    return normalizeTokens(answer.body, handle)
  }

  // COROS's answer → the camelCase body `readTokenResponse` reads, with a refresh handle.
  const normalizeTokens = (
    raw: unknown,
    previous:
      | { readonly refreshToken: string; readonly accessToken: string | undefined }
      | undefined,
  ): Response => {
    const status = statusOf(raw)
    if (status !== undefined && status.result !== okResult) {
      return refusal('invalid_grant', status.message)
    }
    const body = tokenBody(raw)
    if (body === undefined) return jsonResponse(200, raw)
    const accessToken = stringField(body, 'accessToken', 'access_token')
    const refreshToken =
      stringField(body, 'refreshToken', 'refresh_token') ?? previous?.refreshToken
    const expiresIn = body.expiresIn ?? body.expires_in
    const openId = stringField(body, 'openId', 'open_id')
    if (accessToken !== undefined) {
      return jsonResponse(200, {
        accessToken,
        ...(refreshToken === undefined
          ? {}
          : { refreshToken: encodeHandle(refreshToken, accessToken) }),
        ...(expiresIn === undefined ? {} : { expiresIn }),
        ...(openId === undefined ? {} : { openId }),
      })
    }
    // The bare success of a refresh: the same access token, valid for another 30 days.
    if (status !== undefined && previous?.accessToken !== undefined) {
      return jsonResponse(200, {
        accessToken: previous.accessToken,
        refreshToken: encodeHandle(previous.refreshToken, previous.accessToken),
        expiresIn: expiresIn ?? corosAccessTokenLifetimeSeconds,
      })
    }
    // Nothing to store: the core reports a token response without an access token.
    return jsonResponse(200, body)
  }

  const unbind = async (form: URLSearchParams, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers)
    headers.delete('content-type')
    headers.set('token', form.get('token') ?? '')
    const { body: _form, ...rest } = init
    const answer = await readAnswer(
      await fetchImpl(endpoints.revocationEndpoint, { ...rest, headers }),
    )
    if ('passThrough' in answer) return answer.passThrough
    const status = statusOf(answer.body)
    if (status !== undefined && status.result !== okResult) {
      return refusal('invalid_request', status.message)
    }
    return jsonResponse(200, {})
  }

  const wrapped = async (
    input: Parameters<typeof fetch>[0],
    init: RequestInit = {},
  ): Promise<Response> => {
    const url = urlOf(input)
    const form = init.body instanceof URLSearchParams ? init.body : undefined
    if (form !== undefined && sameEndpoint(url, endpoints.tokenEndpoint)) {
      const grant = form.get('grant_type')
      if (grant === 'refresh_token') return refresh(form, init)
      if (grant === 'authorization_code') return exchange(url, init)
    }
    if (form !== undefined && sameEndpoint(url, endpoints.revocationEndpoint)) {
      return unbind(form, init)
    }
    return fetchImpl(input, init)
  }
  return wrapped as typeof fetch
}
