import type { ProviderDescriptor } from '@pierre/providers-core'

/** Terra's API v2 base URL. */
export const terraApiBaseUrl = 'https://api.tryterra.co/v2'

/** The webhook `type`s Terra sends (`specs/providers.md` §6.6). */
const terraWebhookEvents = [
  'activity',
  'sleep',
  'daily',
  'body',
  'nutrition',
  'menstruation',
  'athlete',
  'auth',
  'deauth',
  'user_reauth',
  'access_revoked',
  'connection_error',
  'permission_change',
  'processing',
  'large_request_processing',
  'large_request_sending',
  'healthcheck',
] as const

/**
 * What the `terra` provider is and can do: an aggregator reached with app-level credentials (the
 * `dev-id` and `x-api-key` headers) instead of per-user OAuth, with activities and their sample
 * streams, sleep, recovery, body metrics, daily summaries, HRV, and HMAC-signed webhooks.
 */
export const terraDescriptor: ProviderDescriptor = Object.freeze({
  name: 'terra',
  displayName: 'Terra',
  capabilities: Object.freeze([
    'apiKey',
    'activities',
    'streams',
    'sleep',
    'recovery',
    'health',
    'daily',
    'hrv',
    'webhooks',
  ]),
  auth: Object.freeze({ kind: 'api_key', headers: Object.freeze(['dev-id', 'x-api-key']) }),
  apiBaseUrl: terraApiBaseUrl,
  defaultScopes: Object.freeze([]),
  webhooks: Object.freeze({ verification: 'hmac_sha256', events: terraWebhookEvents }),
} satisfies ProviderDescriptor)

/** Who a Terra user belongs to on our side. */
export interface TerraUserRef {
  readonly tenantId: string
  readonly userId: string
}

const referencePrefix = 'pierre:'

/**
 * Returns the `reference_id` to give Terra when connecting a person: `pierre:<tenant>:<user>`, each
 * part URI-encoded so that a `:` inside an id cannot shift the split. Terra echoes it in every
 * webhook, which is how a delivery finds its owner.
 */
export function toTerraReferenceId(user: TerraUserRef): string {
  return `${referencePrefix}${encodeURIComponent(user.tenantId)}:${encodeURIComponent(user.userId)}`
}

/** Reads a `reference_id` made by {@link toTerraReferenceId}; `undefined` for any other value. */
export function parseTerraReferenceId(referenceId: unknown): TerraUserRef | undefined {
  if (typeof referenceId !== 'string' || !referenceId.startsWith(referencePrefix)) return undefined
  const parts = referenceId.slice(referencePrefix.length).split(':')
  if (parts.length !== 2) return undefined
  try {
    const [tenantId, userId] = parts.map((part) => decodeURIComponent(part)) as [string, string]
    if (tenantId === '' || userId === '') return undefined
    return { tenantId, userId }
  } catch {
    // A malformed %-escape is not one of our references.
    return undefined
  }
}
