import type { OAuthEndpoints, ProviderDescriptor } from '@pierre/providers-core'

/** Strava's data API base URL. */
export const stravaApiBaseUrl = 'https://www.strava.com/api/v3'

/** Strava's OAuth base URL (`/authorize`, `/token` and `/deauthorize` live under it). */
export const stravaOAuthBaseUrl = 'https://www.strava.com/oauth'

/** The scopes Pierre asks Strava for: profile, all activities (private ones too) and zones. */
export const stravaDefaultScopes = ['read', 'activity:read_all', 'profile:read_all'] as const

/**
 * What the `strava` provider is and can do. Its `auth` is the OAuth descriptor to hand to
 * `createOAuthClient`: comma-separated scopes, no PKCE, the client secret in the form,
 * `approval_prompt=auto`, `expires_at` and the athlete id read from token responses, and revocation
 * through `/oauth/deauthorize` with the access token.
 */
export const stravaDescriptor: ProviderDescriptor = Object.freeze({
  name: 'strava',
  displayName: 'Strava',
  capabilities: Object.freeze(['oauth', 'activities', 'athlete', 'stats', 'streams', 'webhooks']),
  auth: Object.freeze({
    kind: 'oauth2',
    authorizationEndpoint: `${stravaOAuthBaseUrl}/authorize`,
    tokenEndpoint: `${stravaOAuthBaseUrl}/token`,
    revocation: Object.freeze({
      endpoint: `${stravaOAuthBaseUrl}/deauthorize`,
      tokenParam: 'access_token',
      tokenKind: 'access',
    }),
    scopeSeparator: ',',
    pkce: 'unsupported',
    clientAuth: 'client_secret_post',
    extraAuthorizeParams: Object.freeze({ approval_prompt: 'auto' }),
    tokenResponse: 'raw',
    readTokenResponse: (body: Readonly<Record<string, unknown>>) => {
      const expiresAt = body.expires_at
      const athlete = body.athlete
      const athleteId =
        typeof athlete === 'object' && athlete !== null
          ? (athlete as { id?: unknown }).id
          : undefined
      return {
        ...(typeof expiresAt === 'number' && Number.isFinite(expiresAt)
          ? { expiresAt: new Date(expiresAt * 1000).toISOString() }
          : {}),
        ...(typeof athleteId === 'number' || typeof athleteId === 'string'
          ? { providerUserId: String(athleteId) }
          : {}),
      }
    },
  }),
  apiBaseUrl: stravaApiBaseUrl,
  defaultScopes: stravaDefaultScopes,
  webhooks: Object.freeze({
    verification: 'verify_token',
    events: Object.freeze([
      'activity.create',
      'activity.update',
      'activity.delete',
      'athlete.update',
    ]),
  }),
} satisfies ProviderDescriptor)

/**
 * Returns the OAuth endpoints under another base (a fake Strava: `${fake.url}/oauth`), for
 * `createOAuthClient({ endpoints })`.
 */
export function stravaOAuthEndpoints(oauthBaseUrl: string = stravaOAuthBaseUrl): OAuthEndpoints {
  const base = oauthBaseUrl.replace(/\/+$/, '')
  return {
    authorizationEndpoint: `${base}/authorize`,
    tokenEndpoint: `${base}/token`,
    revocationEndpoint: `${base}/deauthorize`,
  }
}
