import type { ProviderDescriptor } from '@pierre/providers-core'

/** Garmin's API host: the Health and Activity APIs live under `/wellness-api/rest`. */
export const garminApiBaseUrl = 'https://apis.garmin.com'

/** Where the user's browser goes to consent (OAuth 2.0 with PKCE). */
export const garminAuthorizationEndpoint = 'https://connect.garmin.com/oauth2Confirm'

/** Garmin's token endpoint, for the code exchange and refreshes. */
export const garminTokenEndpoint = 'https://diauth.garmin.com/di-oauth2-service/oauth/token'

/**
 * The summary types Garmin pushes (or pings) to a partner, and the two lifecycle notifications.
 * Approximate: the list comes from public integrations, not from the partner specification.
 */
export const garminSummaryTypes = [
  'activities',
  'activityDetails',
  'activityFiles',
  'manuallyUpdatedActivities',
  'moveiq',
  'dailies',
  'epochs',
  'sleeps',
  'bodyComps',
  'stressDetails',
  'userMetrics',
  'pulseox',
  'respiration',
  'hrv',
  'healthSnapshot',
  'skinTemp',
  'bloodPressures',
  'mct',
  'deregistrations',
  'userPermissionsChange',
] as const

/** One summary type of a Garmin notification body (`{"activities": [...]}`). */
export type GarminSummaryType = (typeof garminSummaryTypes)[number]

/**
 * What the `garmin` provider is and can do. Garmin has no history API: data arrives by push (or
 * ping) and reads come from the data store (`pushOnly`), so there is no athlete profile and no
 * totals. Its `auth` is the OAuth descriptor to hand to `createOAuthClient`: PKCE S256, no
 * `scope` parameter (the user ticks permissions on Garmin's consent screen), the client secret in
 * the form, and no revocation endpoint (a connection is removed with
 * `DELETE /wellness-api/rest/user/registration`, see `GarminProvider.deleteRegistration`).
 */
export const garminDescriptor: ProviderDescriptor = Object.freeze({
  name: 'garmin',
  displayName: 'Garmin Connect',
  capabilities: Object.freeze([
    'oauth',
    'activities',
    'streams',
    'sleep',
    'recovery',
    'health',
    'daily',
    'hrv',
    'webhooks',
    'pushOnly',
  ]),
  auth: Object.freeze({
    kind: 'oauth2',
    authorizationEndpoint: garminAuthorizationEndpoint,
    tokenEndpoint: garminTokenEndpoint,
    scopeSeparator: ' ',
    pkce: 'required',
    clientAuth: 'client_secret_post',
    tokenResponse: 'standard',
  }),
  apiBaseUrl: garminApiBaseUrl,
  defaultScopes: Object.freeze([]),
  // No signature: deliveries carry the `garmin-client-id` header, checked against ours.
  webhooks: Object.freeze({ verification: 'none', events: garminSummaryTypes }),
} satisfies ProviderDescriptor)
