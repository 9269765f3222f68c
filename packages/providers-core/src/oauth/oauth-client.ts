import * as oauth from 'oauth4webapi'
import { isProviderError, ProviderError } from '../errors.js'
import { anySignal, sleep as defaultSleep } from '../internal/abort.js'
import type { OAuthDescriptor, ProviderDescriptor } from '../provider.js'
import type { OAuthStateStore } from './state-store.js'
import { createMemoryStateStore } from './state-store.js'
import type {
  AccessTokenOptions,
  AccessTokenSource,
  ConnectionKey,
  ConnectionStatus,
  StoredConnection,
  TokenResponseFields,
  TokenStore,
} from './types.js'

/** One user of one tenant. */
export interface UserRef {
  readonly tenantId: string
  readonly userId: string
}

/** Endpoint overrides (tests point them at loopback; apps at `PIERRE_<P>_*_URL`). */
export interface OAuthEndpoints {
  readonly authorizationEndpoint?: string
  readonly tokenEndpoint?: string
  readonly revocationEndpoint?: string
}

/** What {@link OAuthClientHooks.onTokenRefresh} receives. */
export interface TokenRefreshEvent {
  readonly key: ConnectionKey
  readonly outcome: 'refreshed' | 'rejected' | 'failed'
  /** The error of a rejected or failed refresh. */
  readonly error?: ProviderError
}

/** What {@link OAuthClientHooks.onConnectionChange} receives. */
export interface ConnectionChangeEvent {
  readonly key: ConnectionKey
  /** `undefined` when the connection was removed. */
  readonly status: ConnectionStatus | undefined
  readonly reason: string | undefined
}

/** Observers of an {@link OAuthClient} (libraries never log). */
export interface OAuthClientHooks {
  readonly onTokenRefresh?: (event: TokenRefreshEvent) => void
  readonly onConnectionChange?: (event: ConnectionChangeEvent) => void
  /** Called when remote revocation fails during {@link OAuthClient.disconnect}. */
  readonly onRevocationError?: (event: {
    readonly key: ConnectionKey
    readonly error: unknown
  }) => void
}

/** Options of {@link createOAuthClient}. */
export interface OAuthClientOptions {
  /** The provider; its `auth` must be OAuth 2.0. */
  readonly descriptor: ProviderDescriptor
  /** Overrides of the descriptor's endpoints. */
  readonly endpoints?: OAuthEndpoints
  readonly clientId: string
  readonly clientSecret: string
  /** Where the provider sends the user back; must match the app registration. */
  readonly redirectUri: string
  /** Scopes to ask for; the descriptor's `defaultScopes` by default. */
  readonly scopes?: readonly string[]
  /** Scopes the user must grant; a callback without them fails with `insufficient_scope`. None by default. */
  readonly requiredScopes?: readonly string[]
  readonly tokenStore: TokenStore
  /** Pending authorizations; in memory (one process) by default. */
  readonly stateStore?: OAuthStateStore
  /** How long an authorization request stays valid, seconds; 600 by default. */
  readonly stateTtlSeconds?: number
  /** Refresh when the token expires within this many seconds; 300 by default. */
  readonly refreshSkewSeconds?: number
  /** Timeout of each token-endpoint call, ms; 30 000 by default. */
  readonly timeoutMs?: number
  /** `globalThis.fetch` by default. */
  readonly fetch?: typeof fetch
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** Secure random bytes for `state` and the PKCE verifier; `crypto.getRandomValues` by default. */
  readonly randomBytes?: (size: number) => Uint8Array
  /** Wait before the one retry of a token call after a network error or 5xx. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly hooks?: OAuthClientHooks
}

/** What {@link OAuthClient.createAuthorizationUrl} returns. */
export interface AuthorizationRequest {
  /** Where to send the user's browser. */
  readonly url: string
  readonly state: string
  /** ISO UTC; the callback is refused after this. */
  readonly expiresAt: string
}

/** Options of {@link OAuthClient.createAuthorizationUrl}. */
export interface AuthorizationUrlOptions {
  /** Overrides the client's scopes for this request. */
  readonly scopes?: readonly string[]
  /** Extra query parameters (`prompt=consent`); they never replace the protocol ones. */
  readonly extraParams?: Readonly<Record<string, string>>
}

/** Options of {@link OAuthClient.handleCallback}. */
export interface CallbackOptions {
  /** When the callback request is authenticated, the user it must belong to. */
  readonly expected?: UserRef
  readonly signal?: AbortSignal
}

/** The client side of OAuth 2.0 for one provider and one app registration (`specs/providers.md` §5.1). */
export interface OAuthClient {
  /** Provider registry name. */
  readonly provider: string
  /**
   * Starts a connection: returns the authorization URL with `state` (bound to the tenant and user,
   * single use, expiring) and PKCE S256 when the provider supports it.
   */
  createAuthorizationUrl(
    user: UserRef,
    options?: AuthorizationUrlOptions,
  ): Promise<AuthorizationRequest>
  /**
   * Finishes a connection from the callback's query: checks `state`, exchanges the code, checks
   * the granted scopes and stores the tokens.
   *
   * @throws ProviderError `invalid_state`, `access_denied`, `insufficient_scope` (tokens stored with
   *   that status), `upstream_error`, `upstream_unavailable`.
   */
  handleCallback(
    query: URLSearchParams | URL | string | Readonly<Record<string, string>>,
    options?: CallbackOptions,
  ): Promise<StoredConnection>
  /**
   * Returns a usable access token, refreshing it when it expires within the skew or when forced.
   * Concurrent refreshes of one connection share one request. A refused refresh marks the connection
   * `needs_reauth` and keeps the stored tokens.
   *
   * @throws ProviderError `not_connected`, `reauth_required`, `upstream_unavailable`, `not_configured`.
   */
  getAccessToken(user: UserRef, options?: AccessTokenOptions): Promise<string>
  /** Returns an {@link AccessTokenSource} bound to one user, for an {@link HttpClient}. */
  tokenSource(user: UserRef): AccessTokenSource
  /** Returns the stored connection, or `undefined`. */
  getConnection(user: UserRef): Promise<StoredConnection | undefined>
  /** Marks a connection `needs_reauth` (a deauthorization webhook), keeping its tokens. */
  markReauthRequired(user: UserRef, reason: string): Promise<void>
  /**
   * Revokes the grant at the provider (best effort, reported through `onRevocationError`) and
   * removes the stored connection.
   */
  disconnect(
    user: UserRef,
    options?: { readonly signal?: AbortSignal },
  ): Promise<{ readonly revoked: boolean }>
}

const defaultStateTtlSeconds = 600
const defaultSkewSeconds = 300
const defaultTimeoutMs = 30_000

/** Returns whether `hostname` is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * Creates an {@link OAuthClient} over oauth4webapi with explicit endpoint metadata (no discovery:
 * Strava, Fitbit and the others publish none). Plain `http:` endpoints are allowed only on loopback
 * hosts, for fakes in tests.
 *
 * Refreshes are single-flight per client instance: create one client per provider and app
 * credential and share it between requests. Across server instances, a refresh re-reads the
 * {@link TokenStore} first and skips when another instance already rotated the tokens, but two
 * instances refreshing at the very same moment are not coordinated.
 *
 * @throws ProviderError `not_configured` when the descriptor is not OAuth 2.0, the client id,
 *   secret or redirect URI is missing, or an endpoint is not https (or http on loopback).
 */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const provider = options.descriptor.name
  const auth = options.descriptor.auth
  if (auth.kind !== 'oauth2') {
    throw new ProviderError('not_configured', `provider ${provider} does not use OAuth 2.0`, {
      provider,
    })
  }
  const descriptor: OAuthDescriptor = auth
  if (options.clientId === '' || options.clientSecret === '') {
    throw new ProviderError('not_configured', `client id and secret of ${provider} are required`, {
      provider,
    })
  }
  const authorizationEndpoint = checkEndpoint(
    options.endpoints?.authorizationEndpoint ?? descriptor.authorizationEndpoint,
    provider,
  )
  const tokenEndpoint = checkEndpoint(
    options.endpoints?.tokenEndpoint ?? descriptor.tokenEndpoint,
    provider,
  )
  const revocationUrl = options.endpoints?.revocationEndpoint ?? descriptor.revocation?.endpoint
  const revocationEndpoint =
    revocationUrl === undefined ? undefined : checkEndpoint(revocationUrl, provider)
  checkRedirectUri(options.redirectUri, provider)

  const now = options.now ?? (() => new Date())
  const randomBytes =
    options.randomBytes ??
    ((size: number) => globalThis.crypto.getRandomValues(new Uint8Array(size)))
  const stateStore = options.stateStore ?? createMemoryStateStore({ now })
  const store = options.tokenStore
  const hooks = options.hooks ?? {}
  const fetchImpl = options.fetch ?? globalThis.fetch
  const wait = options.sleep ?? defaultSleep
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  const skewMs = (options.refreshSkewSeconds ?? defaultSkewSeconds) * 1000
  const scopes = options.scopes ?? options.descriptor.defaultScopes
  const requiredScopes = options.requiredScopes ?? []

  const as: oauth.AuthorizationServer = {
    issuer: authorizationEndpoint.origin,
    authorization_endpoint: authorizationEndpoint.href,
    token_endpoint: tokenEndpoint.href,
    ...(revocationEndpoint === undefined ? {} : { revocation_endpoint: revocationEndpoint.href }),
  }
  const client: oauth.Client = {
    client_id: options.clientId,
    token_endpoint_auth_method: descriptor.clientAuth,
  }
  const clientAuth =
    descriptor.clientAuth === 'client_secret_basic'
      ? oauth.ClientSecretBasic(options.clientSecret)
      : oauth.ClientSecretPost(options.clientSecret)

  const flights = new Map<string, Promise<StoredConnection>>()
  const keyOf = (user: UserRef): ConnectionKey => ({
    tenantId: user.tenantId,
    userId: user.userId,
    provider,
  })
  const flightKey = (user: UserRef): string => `${user.tenantId}\u0000${user.userId}`

  /** Runs one token-endpoint call with a timeout; retries once on a network error or 5xx. */
  const tokenCall = async <TResult>(
    endpoint: URL,
    signal: AbortSignal | undefined,
    call: (httpOptions: oauth.TokenEndpointRequestOptions) => Promise<TResult>,
  ): Promise<TResult> => {
    const once = async (): Promise<TResult> => {
      const controller = new AbortController()
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        controller.abort()
      }, timeoutMs)
      try {
        const httpOptions: oauth.TokenEndpointRequestOptions = {
          signal: anySignal([controller.signal, signal]) as AbortSignal,
          [oauth.customFetch]: (url, init) => fetchImpl(url, init as RequestInit),
          // Plain http only for a loopback fake; never from a setting a tenant controls.
          [oauth.allowInsecureRequests]:
            endpoint.protocol === 'http:' && isLoopbackHost(endpoint.hostname),
        }
        return await call(httpOptions)
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        throw toProviderError(error, provider, timedOut)
      } finally {
        clearTimeout(timer)
      }
    }
    try {
      return await once()
    } catch (error) {
      if (!isProviderError(error) || error.code !== 'upstream_unavailable') throw error
      await wait(1000, signal)
      return once()
    }
  }

  const readTokens = (
    body: Readonly<Record<string, unknown>>,
    previous: StoredConnection | undefined,
  ): Omit<
    StoredConnection,
    keyof ConnectionKey | 'status' | 'statusReason' | 'connectedAt' | 'updatedAt'
  > => {
    const extra: TokenResponseFields = descriptor.readTokenResponse?.(body) ?? {}
    const accessToken = extra.accessToken ?? stringOrUndefined(body.access_token)
    if (accessToken === undefined || accessToken === '') {
      throw new ProviderError('invalid_data', `${provider} token response has no access token`, {
        provider,
        upstreamBody: redactTokens(body),
      })
    }
    const expiresIn = extra.expiresInSeconds ?? numberOrUndefined(body.expires_in)
    const expiresAt =
      extra.expiresAt ??
      (expiresIn === undefined
        ? undefined
        : new Date(now().getTime() + expiresIn * 1000).toISOString())
    const scopeText = stringOrUndefined(body.scope)
    const grantedScopes =
      extra.scopes ?? (scopeText === undefined ? previous?.scopes : splitScopes(scopeText))
    return {
      accessToken,
      refreshToken:
        extra.refreshToken ?? stringOrUndefined(body.refresh_token) ?? previous?.refreshToken,
      tokenType: (extra.tokenType ?? stringOrUndefined(body.token_type) ?? 'bearer').toLowerCase(),
      expiresAt,
      scopes: grantedScopes ?? scopes,
      providerUserId: extra.providerUserId ?? previous?.providerUserId,
    }
  }

  const processTokenResponse = async (
    response: Response,
    grant: 'authorization_code' | 'refresh_token',
  ): Promise<Readonly<Record<string, unknown>>> => {
    if (descriptor.tokenResponse === 'raw') {
      if (!response.ok) {
        throw new ProviderError(
          response.status >= 500 ? 'upstream_unavailable' : 'upstream_error',
          `${provider} token endpoint answered ${response.status}`,
          { provider, status: response.status, upstreamBody: await safeText(response) },
        )
      }
      const body: unknown = await response.json().catch(() => undefined)
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ProviderError('invalid_data', `${provider} token response is not a JSON object`, {
          provider,
        })
      }
      return body as Record<string, unknown>
    }
    return grant === 'authorization_code'
      ? oauth.processAuthorizationCodeResponse(as, client, response)
      : oauth.processRefreshTokenResponse(as, client, response)
  }

  const setStatus = async (
    connection: StoredConnection,
    status: ConnectionStatus,
    reason: string | undefined,
  ): Promise<StoredConnection> => {
    const updated: StoredConnection = {
      ...connection,
      status,
      statusReason: reason,
      updatedAt: now().toISOString(),
    }
    await store.put(updated)
    hooks.onConnectionChange?.({ key: keyOf(connection), status, reason })
    return updated
  }

  const refreshNow = async (
    user: UserRef,
    trigger: StoredConnection,
  ): Promise<StoredConnection> => {
    const key = keyOf(user)
    // Another caller (or instance) may have refreshed since `trigger` was read.
    const current = (await store.get(key)) ?? trigger
    if (current.status === 'needs_reauth') throw reauthError(current)
    if (
      current.accessToken !== trigger.accessToken ||
      current.refreshToken !== trigger.refreshToken
    ) {
      return current
    }
    const refreshToken = current.refreshToken
    if (refreshToken === undefined) {
      const marked = await setStatus(current, 'needs_reauth', 'no_refresh_token')
      throw reauthError(marked)
    }
    let body: Readonly<Record<string, unknown>>
    try {
      body = await tokenCall(tokenEndpoint, undefined, async (httpOptions) => {
        const response = await oauth.refreshTokenGrantRequest(
          as,
          client,
          clientAuth,
          refreshToken,
          httpOptions,
        )
        return processTokenResponse(response, 'refresh_token')
      })
    } catch (error) {
      const failure = isProviderError(error) ? error : toProviderError(error, provider, false)
      if (failure.code === 'upstream_error' || failure.code === 'reauth_required') {
        const reason = stringOrUndefined(failure.details?.error) ?? 'refresh_rejected'
        const marked = await setStatus(current, 'needs_reauth', reason)
        const rejected = reauthError(marked, failure)
        hooks.onTokenRefresh?.({ key, outcome: 'rejected', error: rejected })
        throw rejected
      }
      hooks.onTokenRefresh?.({ key, outcome: 'failed', error: failure })
      throw failure
    }
    const tokens = readTokens(body, current)
    const refreshed: StoredConnection = {
      ...current,
      ...tokens,
      updatedAt: now().toISOString(),
    }
    // Persist before anyone uses the new pair: a rotated refresh token must never be lost.
    await store.put(refreshed)
    hooks.onTokenRefresh?.({ key, outcome: 'refreshed' })
    return refreshed
  }

  const reauthError = (connection: StoredConnection, cause?: unknown): ProviderError =>
    new ProviderError('reauth_required', `connection to ${provider} must be authorized again`, {
      provider,
      details: { provider, reason: connection.statusReason ?? 'needs_reauth' },
      ...(cause === undefined ? {} : { cause }),
    })

  const getAccessToken = async (
    user: UserRef,
    tokenOptions: AccessTokenOptions = {},
  ): Promise<string> => {
    const connection = await store.get(keyOf(user))
    if (connection === undefined) {
      throw new ProviderError('not_connected', `no ${provider} connection for this user`, {
        provider,
        details: { provider },
      })
    }
    if (connection.status === 'needs_reauth') throw reauthError(connection)
    const expiresAtMs =
      connection.expiresAt === undefined ? undefined : Date.parse(connection.expiresAt)
    const expiring = expiresAtMs !== undefined && expiresAtMs - now().getTime() < skewMs
    const forced =
      tokenOptions.forceRefresh === true &&
      (tokenOptions.rejectedToken === undefined ||
        tokenOptions.rejectedToken === connection.accessToken)
    const inFlight = flights.get(flightKey(user))
    if (!expiring && !forced && inFlight === undefined) return connection.accessToken
    let flight = inFlight
    if (flight === undefined) {
      flight = refreshNow(user, connection).finally(() => flights.delete(flightKey(user)))
      flights.set(flightKey(user), flight)
    }
    const refreshed = await raceAbort(flight, tokenOptions.signal)
    return refreshed.accessToken
  }

  return {
    provider,

    async createAuthorizationUrl(user, urlOptions = {}) {
      checkUser(user, provider)
      const state = base64Url(randomBytes(32))
      const usePkce = descriptor.pkce !== 'unsupported'
      const codeVerifier = usePkce ? base64Url(randomBytes(32)) : undefined
      const requested = urlOptions.scopes ?? scopes
      const url = new URL(authorizationEndpoint.href)
      for (const [name, value] of Object.entries(descriptor.extraAuthorizeParams ?? {})) {
        url.searchParams.set(name, value)
      }
      for (const [name, value] of Object.entries(urlOptions.extraParams ?? {})) {
        url.searchParams.set(name, value)
      }
      // RFC 6749 §4.1.1 and RFC 7636 §4.3; these are set last so nothing overrides them.
      url.searchParams.set('client_id', options.clientId)
      url.searchParams.set('redirect_uri', options.redirectUri)
      url.searchParams.set('response_type', 'code')
      if (requested.length > 0)
        url.searchParams.set('scope', requested.join(descriptor.scopeSeparator))
      url.searchParams.set('state', state)
      if (codeVerifier !== undefined) {
        url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier))
        url.searchParams.set('code_challenge_method', 'S256')
      }
      const created = now()
      const expiresAt = new Date(
        created.getTime() + (options.stateTtlSeconds ?? defaultStateTtlSeconds) * 1000,
      ).toISOString()
      await stateStore.put({
        state,
        tenantId: user.tenantId,
        userId: user.userId,
        provider,
        codeVerifier,
        redirectUri: options.redirectUri,
        scopes: [...requested],
        createdAt: created.toISOString(),
        expiresAt,
      })
      return { url: url.toString(), state, expiresAt }
    },

    async handleCallback(query, callbackOptions = {}) {
      const params = toSearchParams(query)
      const state = params.get('state')
      if (state === null || state === '') {
        throw new ProviderError('invalid_state', 'authorization callback has no state', {
          provider,
        })
      }
      const pending = await stateStore.take(state)
      if (pending === undefined) {
        throw new ProviderError('invalid_state', 'authorization state is unknown or already used', {
          provider,
        })
      }
      if (Date.parse(pending.expiresAt) <= now().getTime()) {
        throw new ProviderError('invalid_state', 'authorization state has expired', { provider })
      }
      const expected = callbackOptions.expected
      if (
        pending.provider !== provider ||
        (expected !== undefined &&
          (expected.tenantId !== pending.tenantId || expected.userId !== pending.userId))
      ) {
        throw new ProviderError('invalid_state', 'authorization state belongs to another user', {
          provider,
        })
      }
      let validated: URLSearchParams
      try {
        validated = oauth.validateAuthResponse(as, client, params, pending.state)
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError) {
          const code = error.error
          throw new ProviderError(
            code === 'access_denied' ? 'access_denied' : 'upstream_error',
            code === 'access_denied'
              ? `the user refused access to ${provider}`
              : `${provider} authorization failed: ${code}`,
            { provider, details: { error: code }, cause: error },
          )
        }
        throw new ProviderError('upstream_error', `${provider} authorization response is invalid`, {
          provider,
          cause: error,
        })
      }
      const body = await tokenCall(tokenEndpoint, callbackOptions.signal, async (httpOptions) => {
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          clientAuth,
          validated,
          pending.redirectUri,
          pending.codeVerifier ?? oauth.nopkce,
          httpOptions,
        )
        return processTokenResponse(response, 'authorization_code')
      })
      const tokens = readTokens(body, undefined)
      // Strava reports the granted scopes in the callback; the others in the token response.
      const callbackScope = params.get('scope')
      const granted =
        callbackScope !== null && callbackScope !== ''
          ? splitScopes(callbackScope)
          : stringOrUndefined(body.scope) === undefined
            ? pending.scopes
            : tokens.scopes
      const key = keyOf(pending)
      const previous = await store.get(key)
      const at = now().toISOString()
      const missing = requiredScopes.filter((scope) => !granted.includes(scope))
      const connection: StoredConnection = {
        ...key,
        ...tokens,
        scopes: granted,
        status: missing.length === 0 ? 'connected' : 'insufficient_scope',
        statusReason: missing.length === 0 ? undefined : `missing ${missing.join(' ')}`,
        connectedAt: previous?.connectedAt ?? at,
        updatedAt: at,
      }
      await store.put(connection)
      hooks.onConnectionChange?.({
        key,
        status: connection.status,
        reason: connection.statusReason,
      })
      if (missing.length > 0) {
        throw new ProviderError(
          'insufficient_scope',
          `the user did not grant ${missing.join(', ')} to ${provider}`,
          { provider, details: { provider, missing, granted } },
        )
      }
      return connection
    },

    getAccessToken,

    tokenSource(user) {
      checkUser(user, provider)
      return { getAccessToken: (tokenOptions) => getAccessToken(user, tokenOptions) }
    },

    getConnection: (user) => store.get(keyOf(user)),

    async markReauthRequired(user, reason) {
      const connection = await store.get(keyOf(user))
      if (connection === undefined) return
      await setStatus(connection, 'needs_reauth', reason)
    },

    async disconnect(user, disconnectOptions = {}) {
      const key = keyOf(user)
      const connection = await store.get(key)
      if (connection === undefined) return { revoked: false }
      let revoked = false
      if (revocationEndpoint !== undefined) {
        const revocation = descriptor.revocation
        const useRefresh =
          revocation?.tokenKind !== 'access' && connection.refreshToken !== undefined
        const token = useRefresh ? (connection.refreshToken as string) : connection.accessToken
        const tokenParam = revocation?.tokenParam ?? 'token'
        try {
          await tokenCall(revocationEndpoint, disconnectOptions.signal, async (httpOptions) => {
            const response = await oauth.revocationRequest(as, client, clientAuth, token, {
              ...httpOptions,
              ...(tokenParam === 'token' ? {} : { additionalParameters: { [tokenParam]: token } }),
            })
            await oauth.processRevocationResponse(response)
          })
          revoked = true
        } catch (error) {
          hooks.onRevocationError?.({ key, error })
        }
      }
      await store.delete(key)
      hooks.onConnectionChange?.({ key, status: undefined, reason: 'disconnected' })
      return { revoked }
    },
  }
}

function checkEndpoint(value: string, provider: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch (error) {
    throw new ProviderError('not_configured', `an OAuth endpoint of ${provider} is not a URL`, {
      provider,
      cause: error,
    })
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return url
  }
  throw new ProviderError(
    'not_configured',
    `OAuth endpoints of ${provider} must use https (plain http only on loopback)`,
    { provider },
  )
}

function checkRedirectUri(value: string, provider: string): void {
  try {
    new URL(value)
  } catch (error) {
    throw new ProviderError('not_configured', `redirect URI of ${provider} is not a URL`, {
      provider,
      cause: error,
    })
  }
}

function checkUser(user: UserRef, provider: string): void {
  if (
    typeof user?.tenantId !== 'string' ||
    user.tenantId === '' ||
    typeof user.userId !== 'string' ||
    user.userId === ''
  ) {
    throw new ProviderError('invalid_argument', 'tenantId and userId must be non-empty strings', {
      provider,
    })
  }
}

function toSearchParams(
  query: URLSearchParams | URL | string | Readonly<Record<string, string>>,
): URLSearchParams {
  if (query instanceof URLSearchParams) return query
  if (query instanceof URL) return query.searchParams
  if (typeof query === 'string') {
    const text = query.includes('?') ? query.slice(query.indexOf('?') + 1) : query
    return new URLSearchParams(text)
  }
  return new URLSearchParams(Object.entries(query))
}

/** Maps an oauth4webapi or fetch failure to a {@link ProviderError}. */
function toProviderError(error: unknown, provider: string, timedOut: boolean): ProviderError {
  if (isProviderError(error)) return error
  if (timedOut) {
    return new ProviderError('upstream_unavailable', `${provider} token endpoint timed out`, {
      provider,
      details: { reason: 'timeout' },
      cause: error,
    })
  }
  if (error instanceof oauth.ResponseBodyError) {
    const code = error.error
    const status = error.status
    if (status >= 500) {
      return new ProviderError(
        'upstream_unavailable',
        `${provider} token endpoint answered ${status}`,
        {
          provider,
          status,
          details: { reason: 'status', error: code },
          cause: error,
          upstreamBody: error.cause,
        },
      )
    }
    return new ProviderError(
      code === 'invalid_client' ? 'not_configured' : 'upstream_error',
      `${provider} token endpoint refused the request: ${code}`,
      { provider, status, details: { error: code }, cause: error, upstreamBody: error.cause },
    )
  }
  if (error instanceof oauth.OperationProcessingError) {
    const response = error.cause instanceof Response ? error.cause : undefined
    if (response !== undefined) {
      const status = response.status
      if (status >= 500) {
        return new ProviderError(
          'upstream_unavailable',
          `${provider} token endpoint answered ${status}`,
          {
            provider,
            status,
            details: { reason: 'status' },
            cause: error,
          },
        )
      }
      return new ProviderError('upstream_error', `${provider} token endpoint answered ${status}`, {
        provider,
        status,
        details: { error: status === 401 ? 'unauthorized' : 'invalid_request' },
        cause: error,
      })
    }
    if (
      error.code === oauth.HTTP_REQUEST_FORBIDDEN ||
      error.code === oauth.REQUEST_PROTOCOL_FORBIDDEN
    ) {
      return new ProviderError('not_configured', `${provider} OAuth endpoint is not allowed`, {
        provider,
        cause: error,
      })
    }
    return new ProviderError(
      'invalid_data',
      `${provider} token response is invalid: ${error.message}`,
      {
        provider,
        cause: error,
      },
    )
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return new ProviderError(
      'invalid_data',
      `${provider} token response is not supported: ${error.message}`,
      {
        provider,
        cause: error,
      },
    )
  }
  return new ProviderError('upstream_unavailable', `${provider} token endpoint is unreachable`, {
    provider,
    details: { reason: 'network' },
    cause: error,
  })
}

function raceAbort<TResult>(
  promise: Promise<TResult>,
  signal: AbortSignal | undefined,
): Promise<TResult> {
  if (signal === undefined) return promise
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

function splitScopes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '')
}

function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

function numberOrUndefined(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value)
  return undefined
}

function redactTokens(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body }
  for (const key of ['access_token', 'refresh_token', 'id_token', 'accessToken', 'refreshToken']) {
    if (key in copy) copy[key] = '[redacted]'
  }
  return copy
}

async function safeText(response: Response): Promise<string | undefined> {
  try {
    return await response.text()
  } catch {
    return undefined
  }
}
