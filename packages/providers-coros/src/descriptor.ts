import type {
  OAuthEndpoints,
  ProviderDescriptor,
  TokenResponseFields,
} from '@pierre/providers-core'

/** COROS's production host; the OAuth endpoints and the data API both live on it. */
export const corosApiBaseUrl = 'https://open.coros.com'

/** COROS's test host, for applications still under review. */
export const corosTestApiBaseUrl = 'https://opentest.coros.com'

/** Lifetime of a COROS access token as third-party summaries report it: 30 days, in seconds. */
export const corosAccessTokenLifetimeSeconds = 2_592_000

const paths = {
  authorize: '/oauth2/authorize',
  token: '/oauth2/accesstoken',
  refresh: '/oauth2/refresh',
  unbind: '/coros/open/unbind',
} as const

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

function seconds(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined
}

/**
 * Reads a COROS token response: camelCase `accessToken`, `refreshToken`, `expiresIn` (seconds) and
 * `openId` (the user's id), or the snake_case spelling some summaries show.
 */
function readCorosTokenResponse(body: Readonly<Record<string, unknown>>): TokenResponseFields {
  const accessToken = text(body.accessToken) ?? text(body.access_token)
  const refreshToken = text(body.refreshToken) ?? text(body.refresh_token)
  const expiresInSeconds = seconds(body.expiresIn) ?? seconds(body.expires_in)
  const providerUserId = text(body.openId) ?? text(body.open_id)
  return {
    ...(accessToken === undefined ? {} : { accessToken }),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
    ...(providerUserId === undefined ? {} : { providerUserId }),
  }
}

/**
 * What the `coros` provider is and can do. Its `auth` describes COROS's OAuth 2.0: no scopes, no
 * PKCE, the client secret in the form, camelCase token responses read by `readTokenResponse`, and
 * the unbind endpoint as revocation (the access token). COROS sends refresh grants to another path
 * than code grants and answers errors in-band, so use {@link createCorosOAuthClient}, which adapts
 * both, rather than `createOAuthClient` with this descriptor alone.
 *
 * Streams are left out: they need COROS's FIT files and a FIT parser this package does not depend
 * on. Stats are left out: COROS reports running totals only (`getRunningTotals`).
 */
export const corosDescriptor: ProviderDescriptor = Object.freeze({
  name: 'coros',
  displayName: 'COROS',
  capabilities: Object.freeze([
    'oauth',
    'athlete',
    'activities',
    'sleep',
    'recovery',
    'hrv',
    'daily',
    'webhooks',
  ]),
  auth: Object.freeze({
    kind: 'oauth2',
    authorizationEndpoint: `${corosApiBaseUrl}${paths.authorize}`,
    tokenEndpoint: `${corosApiBaseUrl}${paths.token}`,
    revocation: Object.freeze({
      endpoint: `${corosApiBaseUrl}${paths.unbind}`,
      tokenKind: 'access',
    }),
    scopeSeparator: ' ',
    pkce: 'unsupported',
    clientAuth: 'client_secret_post',
    tokenResponse: 'raw',
    readTokenResponse: readCorosTokenResponse,
  }),
  apiBaseUrl: corosApiBaseUrl,
  defaultScopes: Object.freeze([]),
  webhooks: Object.freeze({
    // COROS sends the application's client id and secret as headers; no signature.
    verification: 'verify_token',
    events: Object.freeze(['sport_data.push']),
  }),
} satisfies ProviderDescriptor)

/** COROS's OAuth endpoints, plus the refresh endpoint that `OAuthEndpoints` has no field for. */
export interface CorosOAuthEndpoints extends Required<OAuthEndpoints> {
  /** `POST /oauth2/refresh`. */
  readonly refreshEndpoint: string
}

/**
 * Returns the OAuth endpoints under another host (the test host, or a fake: `fakeCoros.url`).
 */
export function corosOAuthEndpoints(baseUrl: string = corosApiBaseUrl): CorosOAuthEndpoints {
  const base = baseUrl.replace(/\/+$/, '')
  return {
    authorizationEndpoint: `${base}${paths.authorize}`,
    tokenEndpoint: `${base}${paths.token}`,
    refreshEndpoint: `${base}${paths.refresh}`,
    revocationEndpoint: `${base}${paths.unbind}`,
  }
}
