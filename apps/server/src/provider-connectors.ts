import { createHash } from 'node:crypto'
import {
  type AccessTokenSource,
  type ConnectionKey,
  type OAuthClient,
  type OAuthStateStore,
  type ProviderDescriptor,
  ProviderError,
  type StoredConnection,
  type TokenStore,
} from '@pierre/providers-core'
import type { ServerOAuthApp } from './config.js'
import type { TenantProviderApps } from './storage/provider-apps.js'

/** Where the app a tenant connects with comes from: its own, or the server's (env). */
type AppSource = 'tenant' | 'server'

/** A person: one user of one tenant. */
export interface UserRef {
  readonly tenantId: string
  readonly userId: string
}

/** A connection's state as `GET /api/providers` reports it (`specs/providers.md` §9). */
export type ConnectionState = 'connected' | 'disconnected' | 'needs_reauth' | 'insufficient_scope'

/** What the server knows of one person's connection to one provider. */
interface ConnectionView {
  readonly status: Exclude<ConnectionState, 'disconnected'>
  /** Why the status is not `connected` (`refresh_rejected`, `access_revoked`…), when known. */
  readonly statusReason: string | null
  readonly connectedAt: string | null
  readonly expiresAt: string | null
  readonly scopes: readonly string[]
  /** The wearable accounts behind an aggregator connection (Terra). */
  readonly accounts?: readonly {
    readonly resource: string | null
    readonly status: string
    readonly connectedAt: string
  }[]
}

/** What a disconnection did. */
interface Disconnection {
  /** Whether the provider was told (token revoked, registration deleted, user deauthenticated). */
  readonly revoked: boolean
  /** Records pushed by the provider that were deleted with the connection. */
  readonly recordsDeleted: number
}

/**
 * How the server connects one person to one provider that needs consent: OAuth 2.0 for most,
 * Terra's widget for Terra. The HTTP routes and the MCP tools only speak to this interface.
 */
export interface Connector {
  /** Registry name of the provider. */
  readonly provider: string
  /** `oauth2`: the person consents at the provider; `widget`: an aggregator's hosted page. */
  readonly kind: 'oauth2' | 'widget'
  /** Whether a tenant may register its own app for this provider (`admin set-provider-app`). */
  readonly tenantApps: boolean
  /** The variables the server's app is read from, for messages. */
  readonly credentialVariables: readonly [string, string]
  /** Which app the tenant connects with; `undefined` when none is set. */
  appSource(tenantId: string): AppSource | undefined
  /**
   * Starts a connection: the URL the person opens and until when it is valid.
   *
   * @throws ProviderError `not_configured` when there is no app.
   */
  start(user: UserRef, redirectUri: string): Promise<{ url: string; expiresAt: string }>
  /**
   * Completes an OAuth authorization from the provider's redirect (`oauth2` only).
   *
   * @throws ProviderError `invalid_state`, `access_denied`, `upstream_*`.
   */
  complete?(tenantId: string, redirectUri: string, query: URLSearchParams): Promise<UserRef>
  /** The person's connection, or `undefined` when there is none. */
  status(user: UserRef): Promise<ConnectionView | undefined>
  /** Ends the connection; `undefined` when there was none. */
  disconnect(user: UserRef, redirectUri: string): Promise<Disconnection | undefined>
}

/** An app registration resolved for one tenant. */
export interface ResolvedApp extends ServerOAuthApp {
  readonly source: AppSource
  readonly redirectUri: string
}

/** What creating an OAuth client for one app needs. */
interface AppClientOptions {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUri: string
  readonly tokenStore: TokenStore
  readonly stateStore: OAuthStateStore
}

/** Links provider user ids to people, so pushed data finds its owner. */
interface AccountLinks {
  link(entry: { provider: string; providerUserId: string } & UserRef): void
  unlinkUser(entry: { provider: string } & UserRef): number
}

/** One OAuth provider as the server offers it. */
export interface OAuthProviderSpec {
  readonly descriptor: ProviderDescriptor
  /** `PIERRE_<P>_CLIENT_ID`, for messages. */
  readonly clientIdVariable: string
  /** The server's app, from the environment. */
  readonly server: ServerOAuthApp | undefined
  /** The redirect URI configured for the server's app, if any. */
  readonly serverRedirectUri: string | undefined
  /** providers-core's OAuth client for one app (some providers adapt it). */
  createClient(options: AppClientOptions): OAuthClient
  /**
   * Runs after the callback stored the connection (Garmin: its user id, permissions and backfill);
   * returns the connection as stored afterwards.
   */
  afterConnect?(context: {
    readonly connection: StoredConnection
    readonly client: OAuthClient
    readonly app: ResolvedApp
  }): Promise<StoredConnection>
  /**
   * Tells the provider the person disconnects when the client's `disconnect` cannot (no RFC 7009
   * endpoint): WHOOP's access deletion, Garmin's registration deletion. Resolves to whether it did.
   */
  revokeUpstream?(context: {
    readonly user: UserRef
    readonly tokenSource: AccessTokenSource
    readonly app: ResolvedApp
  }): Promise<boolean>
  /** Deletes what the provider pushed for the person; resolves to how many records. */
  forgetData?(user: UserRef): Promise<number>
}

/** What every OAuth connector shares. */
export interface OAuthConnectorDependencies {
  readonly apps: TenantProviderApps
  readonly tokenStore: TokenStore
  readonly stateStore: OAuthStateStore
  readonly accounts: AccountLinks
  /** Reports a failure that does not fail the request (an upstream revocation that did not go through). */
  readonly warn: (context: Record<string, unknown>, message: string) => void
}

/** An OAuth {@link Connector} with what the registry and the webhook receivers need besides. */
export interface OAuthConnector extends Connector {
  readonly kind: 'oauth2'
  /** The tenant's app (its own, else the server's). @throws ProviderError `not_configured`. */
  appFor(tenantId: string, fallbackRedirectUri: string): Promise<ResolvedApp>
  /** The server's app, or `undefined` when the environment names none. */
  serverApp(fallbackRedirectUri: string): ResolvedApp | undefined
  /** The client id the tenant's calls are made with (rate limits are per app); `''` when none. */
  clientIdOf(tenantId: string): string
  /** The OAuth client of one app, created once per app and redirect URI (single-flight refresh). */
  clientOf(app: ResolvedApp): OAuthClient
  /** Access tokens of one person, through the app of their tenant. */
  tokenSource(user: UserRef, fallbackRedirectUri: string): AccessTokenSource
}

const fingerprint = (parts: readonly string[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex')

const keyOf = (user: UserRef, provider: string): ConnectionKey => ({
  tenantId: user.tenantId,
  userId: user.userId,
  provider,
})

/** Builds the connector of one OAuth provider. */
export function createOAuthConnector(
  spec: OAuthProviderSpec,
  deps: OAuthConnectorDependencies,
): OAuthConnector {
  const provider = spec.descriptor.name
  const secretVariable = spec.clientIdVariable.replace(/_ID$/, '_SECRET')
  const clients = new Map<string, OAuthClient>()

  const serverApp = (fallbackRedirectUri: string): ResolvedApp | undefined =>
    spec.server === undefined
      ? undefined
      : {
          ...spec.server,
          source: 'server',
          redirectUri: spec.serverRedirectUri ?? fallbackRedirectUri,
        }

  const appFor = async (tenantId: string, fallbackRedirectUri: string): Promise<ResolvedApp> => {
    const own = await deps.apps.reveal(tenantId, provider)
    if (own !== undefined) {
      return {
        clientId: own.clientId,
        clientSecret: own.clientSecret,
        source: 'tenant',
        redirectUri: own.redirectUri ?? fallbackRedirectUri,
      }
    }
    const server = serverApp(fallbackRedirectUri)
    if (server !== undefined) return server
    throw new ProviderError(
      'not_configured',
      `${provider} is not configured on this server: set ${spec.clientIdVariable} and ${secretVariable}, or give the tenant its own app`,
      { provider },
    )
  }

  const clientOf = (app: ResolvedApp): OAuthClient => {
    const key = fingerprint([app.source, app.clientId, app.clientSecret, app.redirectUri])
    let client = clients.get(key)
    if (client === undefined) {
      client = spec.createClient({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        redirectUri: app.redirectUri,
        tokenStore: deps.tokenStore,
        stateStore: deps.stateStore,
      })
      clients.set(key, client)
    }
    return client
  }

  const tokenSource = (user: UserRef, fallbackRedirectUri: string): AccessTokenSource => ({
    getAccessToken: async (options) =>
      clientOf(await appFor(user.tenantId, fallbackRedirectUri))
        .tokenSource(user)
        .getAccessToken(options),
  })

  const appSource = (tenantId: string): AppSource | undefined => {
    if (deps.apps.get(tenantId, provider) !== undefined) return 'tenant'
    return spec.server === undefined ? undefined : 'server'
  }

  return {
    provider,
    kind: 'oauth2',
    tenantApps: true,
    credentialVariables: [spec.clientIdVariable, secretVariable],
    appSource,
    appFor,
    serverApp,
    clientIdOf(tenantId) {
      return deps.apps.get(tenantId, provider)?.clientId ?? spec.server?.clientId ?? ''
    },
    clientOf,
    tokenSource,

    async start(user, redirectUri) {
      const client = clientOf(await appFor(user.tenantId, redirectUri))
      const request = await client.createAuthorizationUrl(user)
      return { url: request.url, expiresAt: request.expiresAt }
    },

    async complete(tenantId, redirectUri, query) {
      const app = await appFor(tenantId, redirectUri)
      const client = clientOf(app)
      let connection = await client.handleCallback(query)
      if (spec.afterConnect !== undefined) {
        try {
          connection = await spec.afterConnect({ connection, client, app })
        } catch (error) {
          // A half-made connection (tokens without the provider's user id) would never receive
          // pushed data while reporting `connected`: take it back, so connecting again starts clean.
          await deps.tokenStore.delete(keyOf(connection, provider))
          deps.accounts.unlinkUser({
            provider,
            tenantId: connection.tenantId,
            userId: connection.userId,
          })
          throw error
        }
      }
      if (connection.providerUserId !== undefined && connection.providerUserId !== '') {
        deps.accounts.link({
          provider,
          providerUserId: connection.providerUserId,
          tenantId: connection.tenantId,
          userId: connection.userId,
        })
      }
      return { tenantId: connection.tenantId, userId: connection.userId }
    },

    async status(user) {
      const stored = await deps.tokenStore.get(keyOf(user, provider))
      if (stored === undefined) return undefined
      return {
        status: stored.status,
        statusReason: stored.statusReason ?? null,
        connectedAt: stored.connectedAt,
        expiresAt: stored.expiresAt ?? null,
        scopes: stored.scopes,
      }
    },

    async disconnect(user, redirectUri) {
      const key = keyOf(user, provider)
      if ((await deps.tokenStore.get(key)) === undefined) return undefined
      let revoked = false
      const app =
        appSource(user.tenantId) === undefined
          ? undefined
          : await appFor(user.tenantId, redirectUri)
      if (app === undefined) {
        // No app left to revoke with: forget the tokens.
        await deps.tokenStore.delete(key)
      } else {
        const client = clientOf(app)
        if (spec.revokeUpstream !== undefined) {
          // The provider has no revocation endpoint of its own kind: a failure here must not keep
          // the person connected against their will, so it is reported and the tokens go anyway.
          revoked = await spec
            .revokeUpstream({ user, tokenSource: client.tokenSource(user), app })
            .catch((error: unknown) => {
              deps.warn({ err: error, provider }, 'upstream revocation failed')
              return false
            })
        }
        const outcome = await client.disconnect(user)
        revoked = revoked || outcome.revoked
      }
      deps.accounts.unlinkUser({ provider, ...user })
      const recordsDeleted = spec.forgetData === undefined ? 0 : await spec.forgetData(user)
      return { revoked, recordsDeleted }
    },
  }
}
