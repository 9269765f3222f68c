import type { OAuthEndpoints, ProviderDescriptor } from '@pierre/providers-core'

/** The Google Health API base URL (REST, v4); every path below starts with `/users/me`. */
export const googleHealthApiBaseUrl = 'https://health.googleapis.com/v4'

/** Google's OAuth 2.0 authorization endpoint. */
export const googleAuthorizationEndpoint = 'https://accounts.google.com/o/oauth2/v2/auth'

/** Google's OAuth 2.0 token endpoint (code exchange and refresh). */
export const googleTokenEndpoint = 'https://oauth2.googleapis.com/token'

/** Google's OAuth 2.0 revocation endpoint (RFC 7009 `token` parameter). */
export const googleRevocationEndpoint = 'https://oauth2.googleapis.com/revoke'

const scopePrefix = 'https://www.googleapis.com/auth/googlehealth.'

/** The read-only Google Health scopes, by the name of the data family they open. */
export const googleHealthScopes = Object.freeze({
  activityAndFitness: `${scopePrefix}activity_and_fitness.readonly`,
  healthMetrics: `${scopePrefix}health_metrics_and_measurements.readonly`,
  sleep: `${scopePrefix}sleep.readonly`,
  settings: `${scopePrefix}settings.readonly`,
  profile: `${scopePrefix}profile.readonly`,
} as const)

/**
 * The scopes Pierre asks for: exercise, heart rate and the daily vitals, sleep, and the settings
 * (time zone, units). `profile.readonly` is not asked for: the profile holds nothing the normalized
 * athlete uses.
 */
export const fitbitDefaultScopes = Object.freeze([
  googleHealthScopes.activityAndFitness,
  googleHealthScopes.healthMetrics,
  googleHealthScopes.sleep,
  googleHealthScopes.settings,
] as const)

/**
 * What the `fitbit` provider is and can do: Fitbit data through the Google Health API, with Google
 * OAuth 2.0 (space-separated scopes, PKCE S256, the client secret in the form,
 * `access_type=offline` and `prompt=consent` so Google issues a refresh token, revocation of the
 * refresh token). The legacy Fitbit Web API (`api.fitbit.com`) is never called.
 */
export const fitbitDescriptor: ProviderDescriptor = Object.freeze({
  name: 'fitbit',
  displayName: 'Fitbit (Google Health API)',
  capabilities: Object.freeze([
    'oauth',
    'athlete',
    'activities',
    'streams',
    'sleep',
    'recovery',
    'hrv',
    'webhooks',
  ]),
  auth: Object.freeze({
    kind: 'oauth2',
    authorizationEndpoint: googleAuthorizationEndpoint,
    tokenEndpoint: googleTokenEndpoint,
    revocation: Object.freeze({
      endpoint: googleRevocationEndpoint,
      tokenParam: 'token',
      tokenKind: 'refresh',
    }),
    scopeSeparator: ' ',
    pkce: 'supported',
    clientAuth: 'client_secret_post',
    extraAuthorizeParams: Object.freeze({
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
    }),
    tokenResponse: 'standard',
  }),
  apiBaseUrl: googleHealthApiBaseUrl,
  defaultScopes: fitbitDefaultScopes,
  webhooks: Object.freeze({
    verification: 'signature',
    events: Object.freeze(['exercise', 'sleep', 'heart-rate', 'daily-heart-rate-variability']),
  }),
} satisfies ProviderDescriptor)

/**
 * Returns the three OAuth endpoints under one base (a fake: `fake.oauthBaseUrl`), for
 * `createOAuthClient({ endpoints })`: `/o/oauth2/v2/auth`, `/token` and `/revoke`. Without a base,
 * Google's production endpoints (which live on two hosts).
 */
export function fitbitOAuthEndpoints(oauthBaseUrl?: string): OAuthEndpoints {
  if (oauthBaseUrl === undefined) {
    return {
      authorizationEndpoint: googleAuthorizationEndpoint,
      tokenEndpoint: googleTokenEndpoint,
      revocationEndpoint: googleRevocationEndpoint,
    }
  }
  const base = oauthBaseUrl.replace(/\/+$/, '')
  return {
    authorizationEndpoint: `${base}/o/oauth2/v2/auth`,
    tokenEndpoint: `${base}/token`,
    revocationEndpoint: `${base}/revoke`,
  }
}
