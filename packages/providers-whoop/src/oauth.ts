import type { OAuthClient, OAuthClientOptions, OAuthEndpoints } from '@pierre/providers-core'
import { createOAuthClient } from '@pierre/providers-core'
import { whoopDescriptor, whoopOAuthBaseUrl, whoopOAuthEndpoints } from './descriptor.js'

/** Options of {@link createWhoopOAuthClient}: those of `createOAuthClient` but the descriptor. */
export interface WhoopOAuthClientOptions
  extends Omit<OAuthClientOptions, 'descriptor' | 'endpoints'> {
  /** `https://api.prod.whoop.com/oauth/oauth2` by default; tests pass `fakeWhoop.oauthBaseUrl`. */
  readonly oauthBaseUrl?: string
  /** Each endpoint on its own (a gateway, a fake); wins over `oauthBaseUrl`. */
  readonly endpoints?: OAuthEndpoints
}

/**
 * Creates providers-core's OAuth client for WHOOP. It is `createOAuthClient` with
 * {@link whoopDescriptor} and one addition: refresh-token grants carry `scope=offline`, as WHOOP
 * documents, so each refresh returns the next refresh token (WHOOP rotates them). Refreshes stay
 * single-flight, and a refused refresh marks the connection `needs_reauth`.
 *
 * @throws ProviderError `not_configured` as `createOAuthClient` does.
 *
 * @example
 * ```ts
 * const oauth = createWhoopOAuthClient({
 *   clientId, clientSecret, redirectUri, tokenStore, oauthBaseUrl: fake.oauthBaseUrl,
 * })
 * ```
 */
export function createWhoopOAuthClient(options: WhoopOAuthClientOptions): OAuthClient {
  const { oauthBaseUrl, endpoints, fetch: fetchImpl, ...rest } = options
  return createOAuthClient({
    ...rest,
    descriptor: whoopDescriptor,
    endpoints: { ...whoopOAuthEndpoints(oauthBaseUrl ?? whoopOAuthBaseUrl), ...endpoints },
    fetch: withOfflineRefreshScope(fetchImpl ?? globalThis.fetch),
  })
}

// oauth4webapi sends token requests with a URLSearchParams body; only refresh grants change.
function withOfflineRefreshScope(fetchImpl: typeof fetch): typeof fetch {
  const wrapped = (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const body = init?.body
    if (
      body instanceof URLSearchParams &&
      body.get('grant_type') === 'refresh_token' &&
      !body.has('scope')
    ) {
      const withScope = new URLSearchParams(body)
      withScope.set('scope', 'offline')
      return fetchImpl(input, { ...init, body: withScope })
    }
    return fetchImpl(input, init)
  }
  return wrapped as typeof fetch
}
