import type { OAuthEndpoints, ProviderDescriptor } from '@pierre/providers-core'

/** WHOOP's data API base URL (the `/v2/…` paths live under it). */
export const whoopApiBaseUrl = 'https://api.prod.whoop.com/developer'

/** WHOOP's OAuth base URL (`/auth` and `/token` live under it). */
export const whoopOAuthBaseUrl = 'https://api.prod.whoop.com/oauth/oauth2'

/**
 * The scopes Pierre asks WHOOP for: every read scope, plus `offline`, without which WHOOP issues
 * no refresh token.
 */
export const whoopDefaultScopes = [
  'offline',
  'read:profile',
  'read:body_measurement',
  'read:cycles',
  'read:recovery',
  'read:sleep',
  'read:workout',
] as const

/**
 * What the `whoop` provider is and can do. Its `auth` is the OAuth descriptor for
 * `createOAuthClient` (or {@link createWhoopOAuthClient}, which also sends `scope=offline` on
 * refresh): space-separated scopes, PKCE S256, the client secret in the form, standard token
 * responses (WHOOP's lower-case `token_type` passes). WHOOP has no RFC 7009 revocation endpoint:
 * access is revoked with `DELETE /v2/user/access` through `WhoopProvider.revokeAccess`.
 */
export const whoopDescriptor: ProviderDescriptor = Object.freeze({
  name: 'whoop',
  displayName: 'WHOOP',
  capabilities: Object.freeze([
    'oauth',
    'activities',
    'athlete',
    'sleep',
    'recovery',
    'health',
    'hrv',
    'daily',
    'webhooks',
  ]),
  auth: Object.freeze({
    kind: 'oauth2',
    authorizationEndpoint: `${whoopOAuthBaseUrl}/auth`,
    tokenEndpoint: `${whoopOAuthBaseUrl}/token`,
    scopeSeparator: ' ',
    // Not documented by WHOOP; its authorization server accepts S256 (specs/providers.md §6.3).
    pkce: 'supported',
    clientAuth: 'client_secret_post',
    tokenResponse: 'standard',
  }),
  apiBaseUrl: whoopApiBaseUrl,
  defaultScopes: whoopDefaultScopes,
  webhooks: Object.freeze({
    verification: 'hmac_sha256',
    events: Object.freeze([
      'workout.updated',
      'workout.deleted',
      'sleep.updated',
      'sleep.deleted',
      'recovery.updated',
      'recovery.deleted',
    ]),
  }),
} satisfies ProviderDescriptor)

/**
 * Returns the OAuth endpoints under another base (a fake WHOOP: `fake.oauthBaseUrl`), for
 * `createOAuthClient({ endpoints })`.
 */
export function whoopOAuthEndpoints(oauthBaseUrl: string = whoopOAuthBaseUrl): OAuthEndpoints {
  const base = oauthBaseUrl.replace(/\/+$/, '')
  return { authorizationEndpoint: `${base}/auth`, tokenEndpoint: `${base}/token` }
}
