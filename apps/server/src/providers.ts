import { createHash } from 'node:crypto'
import {
  createOAuthClient,
  createProviderRegistry,
  createRateLimitBudget,
  type OAuthClient,
  type OAuthEndpoints,
  type ProviderBundle,
  type ProviderDescriptor,
  ProviderError,
  type ProviderRegistry,
  type TokenStore,
} from '@pierre/providers-core'
import { createFilesBundle } from '@pierre/providers-files'
import {
  createStravaBundle,
  stravaDescriptor,
  stravaOAuthEndpoints,
} from '@pierre/providers-strava'
import { createSyntheticProvider, syntheticDescriptor } from '@pierre/providers-synthetic'
import type { Tenancy } from '@pierre/tenancy'
import type Database from 'better-sqlite3'
import type { Config } from './config.js'
import {
  createLocalTokenStore,
  createVaultTokenStore,
  routeTokenStore,
} from './provider-token-store.js'
import {
  createImportedActivityStore,
  type ImportedActivityStore,
  type ImportOwner,
} from './storage/imported-activities.js'
import { createPersistentStateStore, type PersistentStateStore } from './storage/oauth-states.js'
import { createTenantProviderApps, type TenantProviderApps } from './storage/provider-apps.js'

/** Where the OAuth app a tenant connects with comes from: its own, or the server's (env). */
type AppSource = 'tenant' | 'server'

/** The server's own registration of an OAuth app (from `PIERRE_<P>_*`). */
interface ServerApp {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUri: string | undefined
}

/** The OAuth side of one provider: a client per app registration and redirect URI. */
export interface OAuthConnector {
  /** Registry name of the provider. */
  readonly provider: string
  /** The variable of the server's client id (`PIERRE_STRAVA_CLIENT_ID`), for messages. */
  readonly clientIdVariable: string
  /** Which app the tenant connects with; `undefined` when neither it nor the server has one. */
  appSource(tenantId: string): AppSource | undefined
  /**
   * The OAuth client of the tenant's app (its own, else the server's), created once per app and
   * redirect URI, so refreshes stay single-flight. The app's registered redirect URI wins over
   * `fallbackRedirectUri`.
   *
   * @throws ProviderError `not_configured` when neither the tenant nor the server has an app.
   */
  clientFor(tenantId: string, fallbackRedirectUri: string): Promise<OAuthClient>
}

/** The providers of this server, the OAuth connectors and the stores behind them. */
export interface Providers {
  readonly registry: ProviderRegistry
  /** OAuth connectors by provider name (every OAuth provider the server knows). */
  readonly connectors: ReadonlyMap<string, OAuthConnector>
  /** Provider tokens: tenancy's vault for users, the server's table for the local owner. */
  readonly tokenStore: TokenStore
  /** Pending authorizations, persisted (a restart does not lose them). */
  readonly stateStore: PersistentStateStore
  /** Tenants' own provider apps. */
  readonly apps: TenantProviderApps
  /** The persistent store the `files` provider reads for one user. */
  importedActivities(owner: ImportOwner): ImportedActivityStore
}

/** What {@link createProviders} needs besides the configuration. */
export interface ProviderDependencies {
  readonly db: Database.Database
  readonly tenancy: Tenancy
  /** The redirect URI when the app names none: `<base URL>/api/oauth/callback/<name>`. */
  readonly defaultRedirectUri: (provider: string) => string
  /** Principals without a user account (the local owner), whose tokens the server keeps itself. */
  readonly isAccountless: (userId: string) => boolean
}

const fingerprint = (parts: readonly string[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex')

function oauthConnector(
  spec: {
    readonly descriptor: ProviderDescriptor
    readonly endpoints: OAuthEndpoints
    readonly server: ServerApp | undefined
    readonly clientIdVariable: string
  },
  deps: { readonly apps: TenantProviderApps; readonly tokenStore: TokenStore } & Pick<
    Providers,
    'stateStore'
  >,
): OAuthConnector {
  const provider = spec.descriptor.name
  const clients = new Map<string, OAuthClient>()
  return {
    provider,
    clientIdVariable: spec.clientIdVariable,
    appSource(tenantId) {
      if (deps.apps.get(tenantId, provider) !== undefined) return 'tenant'
      return spec.server === undefined ? undefined : 'server'
    },
    async clientFor(tenantId, fallbackRedirectUri) {
      const own = await deps.apps.reveal(tenantId, provider)
      const app = own ?? spec.server
      if (app === undefined) {
        const secretVariable = spec.clientIdVariable.replace(/_ID$/, '_SECRET')
        throw new ProviderError(
          'not_configured',
          `${provider} is not configured on this server: set ${spec.clientIdVariable} and ${secretVariable}, or give the tenant its own app`,
          { provider },
        )
      }
      const redirectUri = app.redirectUri ?? fallbackRedirectUri
      const key = fingerprint([
        own === undefined ? 'server' : `tenant:${tenantId}`,
        app.clientId,
        app.clientSecret,
        redirectUri,
      ])
      let client = clients.get(key)
      if (client === undefined) {
        client = createOAuthClient({
          descriptor: spec.descriptor,
          endpoints: spec.endpoints,
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          redirectUri,
          tokenStore: deps.tokenStore,
          stateStore: deps.stateStore,
        })
        clients.set(key, client)
      }
      return client
    },
  }
}

/**
 * The provider registry of this server. The synthetic athlete is on by default so a fresh install
 * has data at once (`specs/tools.md` §1.6). `files` serves the activities `pierre-server import`
 * stored for each user. Strava is always known: each tenant connects with its own app
 * (`tenant_provider_apps`) or the server's (`PIERRE_STRAVA_CLIENT_*`), and each user reads it with
 * their own stored tokens.
 */
export function createProviders(config: Config, deps: ProviderDependencies): Providers {
  const registry = createProviderRegistry()
  const { db, tenancy } = deps
  const apps = createTenantProviderApps(db, tenancy.keyring)
  const tokenStore = routeTokenStore({
    vault: createVaultTokenStore(tenancy),
    local: createLocalTokenStore(db, tenancy.keyring),
    isAccountless: deps.isAccountless,
  })
  const stateStore = createPersistentStateStore(db, tenancy.keyring)
  const importedActivities = (owner: ImportOwner) => createImportedActivityStore(db, owner)
  const connectors = new Map<string, OAuthConnector>()

  if (config.providers.synthetic) {
    registry.register({
      descriptor: syntheticDescriptor,
      create: (context) =>
        createSyntheticProvider({
          seed: `${context.tenantId}:${context.userId}`,
          athleteId: context.userId,
          now: context.now ?? (() => new Date()),
        }),
    })
  }
  registry.register(createFilesBundle({ storeFor: importedActivities }))

  const strava = config.providers.strava
  const endpoints = config.providers.stravaEndpoints
  const connector = oauthConnector(
    {
      descriptor: stravaDescriptor,
      endpoints: stravaOAuthEndpoints(endpoints.oauthBaseUrl),
      server:
        strava === undefined
          ? undefined
          : {
              clientId: strava.clientId,
              clientSecret: strava.clientSecret,
              redirectUri: endpoints.redirectUri,
            },
      clientIdVariable: 'PIERRE_STRAVA_CLIENT_ID',
    },
    { apps, tokenStore, stateStore },
  )
  connectors.set(connector.provider, connector)
  // Strava's limits are per application: one budget, scoped by client id.
  const budget = createRateLimitBudget()
  const bundles = new Map<string, ProviderBundle>()
  const bundleFor = (clientId: string): ProviderBundle => {
    let bundle = bundles.get(clientId)
    if (bundle === undefined) {
      bundle = createStravaBundle({
        baseUrl: endpoints.apiBaseUrl,
        rateLimitBudget: budget,
        rateLimitScope: `strava:app:${clientId}`,
      })
      bundles.set(clientId, bundle)
    }
    return bundle
  }
  registry.register({
    descriptor: stravaDescriptor,
    create: (context) => {
      const clientId = apps.get(context.tenantId, 'strava')?.clientId ?? strava?.clientId ?? ''
      const user = { tenantId: context.tenantId, userId: context.userId }
      return bundleFor(clientId).create({
        ...context,
        auth: {
          getAccessToken: async (options) =>
            (await connector.clientFor(context.tenantId, deps.defaultRedirectUri('strava')))
              .tokenSource(user)
              .getAccessToken(options),
        },
      })
    },
  })
  return { registry, connectors, tokenStore, stateStore, apps, importedActivities }
}
