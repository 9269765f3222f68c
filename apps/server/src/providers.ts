import {
  createOAuthClient,
  createProviderRegistry,
  createRateLimitBudget,
  type ProviderBundle,
  type ProviderContext,
  type ProviderDataStore,
  type ProviderDescriptor,
  ProviderError,
  type ProviderRegistry,
  type TokenStore,
} from '@pierre/providers-core'
import {
  corosDescriptor,
  createCorosBundle,
  createCorosOAuthClient,
  createCorosPushHandler,
} from '@pierre/providers-coros'
import { createFilesBundle } from '@pierre/providers-files'
import { createFitbitBundle, fitbitDescriptor } from '@pierre/providers-fitbit'
import {
  completeGarminConnection,
  createGarminBundle,
  createGarminProvider,
  createGarminReceiver,
  type GarminReceiver,
  garminDefaultBackfillTypes,
  garminDescriptor,
} from '@pierre/providers-garmin'
import {
  createStravaBundle,
  stravaDescriptor,
  stravaOAuthEndpoints,
} from '@pierre/providers-strava'
import { createSyntheticProvider, syntheticDescriptor } from '@pierre/providers-synthetic'
import {
  createTerraBundle,
  createTerraClient,
  createTerraWebhookHandler,
  type TerraClient,
  type TerraConnectionStore,
  toTerraReferenceId,
} from '@pierre/providers-terra'
import {
  createWhoopBundle,
  createWhoopOAuthClient,
  createWhoopProvider,
  whoopDescriptor,
} from '@pierre/providers-whoop'
import type { Tenancy } from '@pierre/tenancy'
import type Database from 'better-sqlite3'
import type { Config, OAuthProviderConfig } from './config.js'
import type { Logger } from './logger.js'
import {
  type Connector,
  createOAuthConnector,
  type OAuthConnector,
  type OAuthConnectorDependencies,
  type OAuthProviderSpec,
  type ResolvedApp,
  type UserRef,
} from './provider-connectors.js'
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
import { createProviderAccounts, type ProviderAccounts } from './storage/provider-accounts.js'
import { createTenantProviderApps, type TenantProviderApps } from './storage/provider-apps.js'
import { createSqliteDataStore } from './storage/provider-data.js'
import { createSqliteTerraConnectionStore, createSqliteTerraDeliveryLog } from './storage/terra.js'

/** A webhook receiver: the raw body and headers in, what to answer out. */
type WebhookHandler = (
  body: Uint8Array,
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
) => Promise<{ readonly status: number; readonly body: unknown }>

/** The providers that push data, and how their deliveries reach the server. */
export interface WebhookReceivers {
  /** Names of the providers with a receiver (`garmin`, `coros`, `terra`). */
  readonly providers: readonly string[]
  /**
   * The receiver of one provider for the server's app (`tenantSlug` undefined) or for a tenant's
   * own app; `undefined` when that app does not exist.
   */
  receiver(provider: string, tenantSlug: string | undefined): Promise<WebhookHandler | undefined>
  /** Waits for background ingestion (Garmin answers first, then ingests). */
  drain(): Promise<void>
}

/** The providers of this server, the connectors and the stores behind them. */
export interface Providers {
  readonly registry: ProviderRegistry
  /** Connectors by provider name: every provider that needs the person's consent. */
  readonly connectors: ReadonlyMap<string, Connector>
  /** Provider tokens: tenancy's vault for users, the server's table for the local owner. */
  readonly tokenStore: TokenStore
  /** Pending authorizations, persisted (a restart does not lose them). */
  readonly stateStore: PersistentStateStore
  /** Tenants' own provider apps. */
  readonly apps: TenantProviderApps
  /** Data pushed by providers (Garmin, COROS, Terra), per person. */
  readonly dataStore: ProviderDataStore
  readonly webhooks: WebhookReceivers
  /** The persistent store the `files` provider reads for one user. */
  importedActivities(owner: ImportOwner): ImportedActivityStore
}

/** What {@link createProviders} needs besides the configuration. */
export interface ProviderDependencies {
  readonly db: Database.Database
  readonly tenancy: Tenancy
  readonly logger: Logger
  /** The redirect URI when the app names none: `<base URL>/api/oauth/callback/<name>`. */
  readonly defaultRedirectUri: (provider: string) => string
  /** Principals without a user account (the local owner), whose tokens the server keeps itself. */
  readonly isAccountless: (userId: string) => boolean
}

/** Days of history asked of Garmin when someone connects. */
const GARMIN_BACKFILL_DAYS = 30

/** Work that outlives the request that started it; failures are logged, never thrown. */
interface BackgroundJobs {
  run(job: Promise<unknown>, context: { readonly provider: string; readonly what: string }): void
  /** Waits until every job started so far has settled. */
  drain(): Promise<void>
}

function createBackgroundJobs(warn: OAuthConnectorDependencies['warn']): BackgroundJobs {
  const pending = new Set<Promise<void>>()
  return {
    run(job, context) {
      const tracked: Promise<void> = job
        .then(
          () => undefined,
          (error: unknown) => warn({ err: error, provider: context.provider }, context.what),
        )
        .finally(() => pending.delete(tracked))
      pending.add(tracked)
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}

/** Registers an OAuth provider whose providers read with the person's tokens. */
function registerOAuthProvider(
  registry: ProviderRegistry,
  options: {
    readonly descriptor: ProviderDescriptor
    readonly connector: OAuthConnector
    /** Read when a token is needed: the base URL is known once the server listens. */
    readonly defaultRedirectUri: () => string
    /** The bundle of one app (rate limits and breakers are per app). */
    readonly bundleFor: (clientId: string) => ProviderBundle
  },
): void {
  const bundles = new Map<string, ProviderBundle>()
  const { connector } = options
  const bundleOf = (context: ProviderContext): ProviderBundle => {
    const clientId = connector.clientIdOf(context.tenantId)
    let bundle = bundles.get(clientId)
    if (bundle === undefined) {
      bundle = options.bundleFor(clientId)
      bundles.set(clientId, bundle)
    }
    return bundle
  }
  registry.register({
    descriptor: options.descriptor,
    create: (context) =>
      bundleOf(context).create({
        ...context,
        auth: connector.tokenSource(
          { tenantId: context.tenantId, userId: context.userId },
          options.defaultRedirectUri(),
        ),
      }),
  })
}

const endpointsOf = (config: OAuthProviderConfig) => ({
  ...(config.authorizationEndpoint === undefined
    ? {}
    : { authorizationEndpoint: config.authorizationEndpoint }),
  ...(config.tokenEndpoint === undefined ? {} : { tokenEndpoint: config.tokenEndpoint }),
  ...(config.revocationEndpoint === undefined
    ? {}
    : { revocationEndpoint: config.revocationEndpoint }),
})

/** Terra: one app for the server, people connect through Terra's widget. */
function terraConnector(deps: {
  readonly client: TerraClient
  readonly connections: TerraConnectionStore
  readonly dataStore: ProviderDataStore
  /** Without the signing secret no `auth` delivery is accepted, so no connection can complete. */
  readonly canReceive: boolean
  readonly warn: OAuthConnectorDependencies['warn']
}): Connector {
  const provider = 'terra'
  return {
    provider,
    kind: 'widget',
    tenantApps: false,
    credentialVariables: ['PIERRE_TERRA_DEV_ID', 'PIERRE_TERRA_API_KEY'],
    appSource: () => (deps.canReceive ? 'server' : undefined),
    async start(user) {
      if (!deps.canReceive) {
        throw new ProviderError(
          'not_configured',
          'terra cannot be connected yet: set PIERRE_TERRA_SIGNING_SECRET, the secret of the webhook destination (<public URL>/webhooks/terra)',
          { provider },
        )
      }
      const session = await deps.client.generateWidgetSession({
        referenceId: toTerraReferenceId(user),
      })
      // Terra documents widget sessions as short-lived; without a lifetime, assume 15 minutes.
      const seconds = session.expiresInSeconds ?? 900
      return { url: session.url, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() }
    },
    async status(user) {
      const connections = await deps.connections.listForUser(user)
      if (connections.length === 0) return undefined
      const live = connections.filter((connection) => connection.status === 'connected')
      const first = live[0] ?? connections[0]
      return {
        status: live.length > 0 ? 'connected' : 'needs_reauth',
        statusReason: live.length > 0 ? null : (first?.statusReason ?? null),
        connectedAt: first?.connectedAt ?? null,
        expiresAt: null,
        scopes: [...new Set(connections.flatMap((connection) => connection.scopes))],
        accounts: connections.map((connection) => ({
          resource: connection.resource ?? null,
          status: connection.status,
          connectedAt: connection.connectedAt,
        })),
      }
    },
    async disconnect(user) {
      const connections = await deps.connections.listForUser(user)
      if (connections.length === 0) return undefined
      // Terra's `deauth` webhook (which removes the records itself) may arrive before
      // deauthenticateUser answers: clear first so that the count does not depend on that race,
      // and again afterwards for anything delivered meanwhile.
      let recordsDeleted = await deps.dataStore.clear({ provider, ...user })
      let revoked = true
      for (const connection of connections) {
        try {
          await deps.client.deauthenticateUser(connection.terraUserId)
        } catch (error) {
          revoked = false
          deps.warn({ err: error, provider }, 'terra deauthentication failed')
        }
        await deps.connections.delete(connection.terraUserId)
      }
      recordsDeleted += await deps.dataStore.clear({ provider, ...user })
      return { revoked, recordsDeleted }
    },
  }
}

/**
 * The provider registry of this server. The synthetic athlete is on by default so a fresh install
 * has data at once (`specs/tools.md` §1.6). `files` serves the activities `pierre-server import`
 * stored for each user. Strava, Fitbit, WHOOP, Garmin and COROS are always known: each tenant
 * connects with its own app (`tenant_provider_apps`) or the server's (`PIERRE_<P>_CLIENT_*`), and
 * each user reads with their own stored tokens. Garmin answers from the data it pushed; COROS
 * pushes workouts too. Terra is offered when the server has its credentials.
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
  const dataStore = createSqliteDataStore(db)
  const accounts = createProviderAccounts(db)
  const importedActivities = (owner: ImportOwner) => createImportedActivityStore(db, owner)
  const connectors = new Map<string, Connector>()
  const warn: OAuthConnectorDependencies['warn'] = (context, message) =>
    deps.logger.warn(context, message)
  const connectorDeps: OAuthConnectorDependencies = {
    apps,
    tokenStore,
    stateStore,
    accounts,
    warn,
  }
  const forget = (provider: string) => (user: UserRef) => dataStore.clear({ provider, ...user })
  const background = createBackgroundJobs(warn)
  const { providers: settings } = config

  if (settings.synthetic) {
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

  const add = (
    spec: OAuthProviderSpec,
    bundleFor: (clientId: string) => ProviderBundle,
  ): OAuthConnector => {
    const connector = createOAuthConnector(spec, connectorDeps)
    connectors.set(connector.provider, connector)
    registerOAuthProvider(registry, {
      descriptor: spec.descriptor,
      connector,
      defaultRedirectUri: () => deps.defaultRedirectUri(connector.provider),
      bundleFor,
    })
    return connector
  }
  // Limits of Strava, WHOOP, Garmin and COROS are per application: one budget per provider,
  // scoped by client id. Google's quota is per user (the Fitbit bundle scopes it itself).
  const budgets = {
    strava: createRateLimitBudget(),
    whoop: createRateLimitBudget(),
    garmin: createRateLimitBudget(),
    coros: createRateLimitBudget(),
  }

  const strava = settings.stravaEndpoints
  add(
    {
      descriptor: stravaDescriptor,
      clientIdVariable: 'PIERRE_STRAVA_CLIENT_ID',
      server: settings.strava,
      serverRedirectUri: strava.redirectUri,
      createClient: (options) =>
        createOAuthClient({
          ...options,
          descriptor: stravaDescriptor,
          endpoints: stravaOAuthEndpoints(strava.oauthBaseUrl),
        }),
    },
    (clientId) =>
      createStravaBundle({
        baseUrl: strava.apiBaseUrl,
        rateLimitBudget: budgets.strava,
        rateLimitScope: `strava:app:${clientId}`,
      }),
  )

  const fitbit = settings.fitbit
  const fitbitBundle = createFitbitBundle({ baseUrl: fitbit.apiBaseUrl })
  add(
    {
      descriptor: fitbitDescriptor,
      clientIdVariable: 'PIERRE_FITBIT_CLIENT_ID',
      server: fitbit.app,
      serverRedirectUri: fitbit.redirectUri,
      createClient: (options) =>
        createOAuthClient({
          ...options,
          descriptor: fitbitDescriptor,
          endpoints: endpointsOf(fitbit),
        }),
    },
    () => fitbitBundle,
  )

  const whoop = settings.whoop
  add(
    {
      descriptor: whoopDescriptor,
      clientIdVariable: 'PIERRE_WHOOP_CLIENT_ID',
      server: whoop.app,
      serverRedirectUri: whoop.redirectUri,
      createClient: (options) =>
        createWhoopOAuthClient({ ...options, endpoints: endpointsOf(whoop) }),
      // WHOOP has no RFC 7009 endpoint; DELETE /v2/user/access ends the authorization.
      revokeUpstream: async ({ tokenSource }) => {
        await createWhoopProvider({ baseUrl: whoop.apiBaseUrl, tokenSource }).revokeAccess()
        return true
      },
    },
    (clientId) =>
      createWhoopBundle({
        baseUrl: whoop.apiBaseUrl,
        rateLimitBudget: budgets.whoop,
        rateLimitScope: `whoop:app:${clientId}`,
      }),
  )

  const garmin = settings.garmin
  const garminHttp = (clientId: string) => ({
    baseUrl: garmin.apiBaseUrl,
    rateLimitBudget: budgets.garmin,
    rateLimitScope: `garmin:app:${clientId}`,
  })
  const garminConnector = add(
    {
      descriptor: garminDescriptor,
      clientIdVariable: 'PIERRE_GARMIN_CLIENT_ID',
      server: garmin.app,
      serverRedirectUri: garmin.redirectUri,
      createClient: (options) =>
        createOAuthClient({
          ...options,
          descriptor: garminDescriptor,
          endpoints: endpointsOf(garmin),
        }),
      // Garmin pushes: learn the Garmin user id (the key of every delivery) and the permissions,
      // and ask for 30 days of history, which arrives through the receiver.
      afterConnect: async ({ connection, client, app }) => {
        const user = { tenantId: connection.tenantId, userId: connection.userId }
        const provider = createGarminProvider({
          ...garminHttp(app.clientId),
          ...user,
          store: dataStore,
          tokenSource: client.tokenSource(user),
          onBackfillError: (error) =>
            warn({ err: error, provider: 'garmin' }, 'garmin backfill failed'),
        })
        // Garmin delivers the backfill while it is still being requested, and a delivery finds
        // its owner through the account link: link the Garmin user id as soon as it is stored,
        // before the backfill, or the backfilled data would be dropped as a stranger's.
        const linking: TokenStore = {
          get: (key) => tokenStore.get(key),
          delete: (key) => tokenStore.delete(key),
          put: async (stored) => {
            await tokenStore.put(stored)
            if (stored.providerUserId !== undefined && stored.providerUserId !== '') {
              accounts.link({ provider: 'garmin', providerUserId: stored.providerUserId, ...user })
            }
          },
        }
        // The backfill (six summary types, spaced by Garmin's rules) runs after the callback page
        // is answered; its data arrives later through /webhooks/garmin anyway.
        const result = await completeGarminConnection({
          provider,
          tokenStore: linking,
          user,
          backfillDays: 0,
        })
        if (result.permissions.includes('HISTORICAL_DATA_EXPORT')) {
          const end = new Date()
          background.run(
            provider.requestBackfill({
              summaryTypes: garminDefaultBackfillTypes,
              start: new Date(end.getTime() - GARMIN_BACKFILL_DAYS * 86_400_000).toISOString(),
              end: end.toISOString(),
            }),
            { provider: 'garmin', what: 'garmin backfill failed' },
          )
        }
        return result.connection
      },
      revokeUpstream: async ({ user, tokenSource, app }) => {
        await createGarminProvider({
          ...garminHttp(app.clientId),
          ...user,
          store: dataStore,
          tokenSource,
        }).deleteRegistration()
        return true
      },
      forgetData: forget('garmin'),
    },
    (clientId) => createGarminBundle({ ...garminHttp(clientId), store: dataStore }),
  )

  const coros = settings.coros
  const corosConnector = add(
    {
      descriptor: corosDescriptor,
      clientIdVariable: 'PIERRE_COROS_CLIENT_ID',
      server: coros.app,
      serverRedirectUri: coros.redirectUri,
      createClient: (options) => createCorosOAuthClient({ ...options, baseUrl: coros.apiBaseUrl }),
      forgetData: forget('coros'),
    },
    (clientId) =>
      createCorosBundle({
        baseUrl: coros.apiBaseUrl,
        timeZone: coros.timeZone,
        rateLimitBudget: budgets.coros,
        rateLimitScope: `coros:app:${clientId}`,
        openIdOf: async (user) =>
          (await tokenStore.get({ ...user, provider: 'coros' }))?.providerUserId,
      }),
  )

  const terraSettings = settings.terra
  let terra:
    | {
        client: TerraClient
        connections: TerraConnectionStore
        handler: WebhookHandler | undefined
      }
    | undefined
  if (terraSettings !== undefined) {
    const client = createTerraClient({
      devId: terraSettings.devId,
      apiKey: terraSettings.apiKey,
      baseUrl: terraSettings.apiBaseUrl,
    })
    const connections = createSqliteTerraConnectionStore(db)
    const secret = terraSettings.signingSecret
    const handle =
      secret === undefined
        ? undefined
        : createTerraWebhookHandler({
            signingSecret: secret,
            // Late deliveries after a disconnection must not bring data back.
            requireConnection: true,
            dataStore,
            connections,
            deliveries: createSqliteTerraDeliveryLog(db),
          })
    terra = {
      client,
      connections,
      handler: handle === undefined ? undefined : (body, headers) => handle(body, headers),
    }
    registry.register(createTerraBundle({ client, connections, dataStore }))
    if (secret === undefined) {
      warn(
        { provider: 'terra' },
        'PIERRE_TERRA_SIGNING_SECRET is not set: Terra deliveries are refused and nobody can connect Terra',
      )
    }
    connectors.set(
      'terra',
      terraConnector({ client, connections, dataStore, canReceive: secret !== undefined, warn }),
    )
  }

  const webhooks = createWebhookReceivers({
    tenancy,
    accounts,
    dataStore,
    tokenStore,
    garmin: garminConnector,
    garminApiBaseUrl: garmin.apiBaseUrl,
    coros: corosConnector,
    terra: terra?.handler,
    defaultRedirectUri: deps.defaultRedirectUri,
    background,
    warn,
  })

  return {
    registry,
    connectors,
    tokenStore,
    stateStore,
    apps,
    dataStore,
    webhooks,
    importedActivities,
  }
}

/** The receivers of pushed data, one per app (the server's and each tenant's own). */
function createWebhookReceivers(deps: {
  readonly tenancy: Tenancy
  readonly accounts: ProviderAccounts
  readonly dataStore: ProviderDataStore
  readonly tokenStore: TokenStore
  readonly garmin: OAuthConnector
  readonly garminApiBaseUrl: string
  readonly coros: OAuthConnector
  readonly terra: WebhookHandler | undefined
  readonly defaultRedirectUri: (provider: string) => string
  /** Work started by connections (Garmin's backfill), drained before the receivers. */
  readonly background: BackgroundJobs
  readonly warn: OAuthConnectorDependencies['warn']
}): WebhookReceivers {
  const garminReceivers = new Map<string, GarminReceiver>()
  const handlers = new Map<string, WebhookHandler>()

  /** The app a delivery path stands for, and which tenants' people it may reach. */
  async function appOf(
    connector: OAuthConnector,
    tenantSlug: string | undefined,
  ): Promise<{ app: ResolvedApp; owns: (tenantId: string) => boolean } | undefined> {
    const fallback = deps.defaultRedirectUri(connector.provider)
    if (tenantSlug === undefined) {
      const app = connector.serverApp(fallback)
      if (app === undefined) return undefined
      // The server's app reaches the people of tenants that have no app of their own.
      return { app, owns: (tenantId) => connector.appSource(tenantId) === 'server' }
    }
    const tenant = await deps.tenancy.stores.tenants.getBySlug(tenantSlug)
    if (tenant === undefined || connector.appSource(tenant.id) !== 'tenant') return undefined
    const app = await connector.appFor(tenant.id, fallback)
    return { app, owns: (tenantId) => tenantId === tenant.id }
  }

  const resolver =
    (provider: string, owns: (tenantId: string) => boolean) =>
    async (providerUserId: string): Promise<UserRef | undefined> => {
      const user = deps.accounts.resolve(provider, providerUserId)
      return user !== undefined && owns(user.tenantId) ? user : undefined
    }

  async function garminReceiver(tenantSlug: string | undefined) {
    const found = await appOf(deps.garmin, tenantSlug)
    if (found === undefined) return undefined
    const key = `${found.app.source}:${tenantSlug ?? ''}:${found.app.clientId}`
    let receiver = garminReceivers.get(key)
    if (receiver === undefined) {
      receiver = createGarminReceiver({
        clientId: found.app.clientId,
        store: deps.dataStore,
        oauth: deps.garmin.clientOf(found.app),
        tokenStore: deps.tokenStore,
        apiBaseUrl: deps.garminApiBaseUrl,
        resolveUser: resolver('garmin', found.owns),
        receiverHooks: {
          onIngestError: (error: unknown) =>
            deps.warn({ err: error, provider: 'garmin' }, 'garmin ingestion failed'),
        },
      })
      garminReceivers.set(key, receiver)
    }
    const current = receiver
    const handler: WebhookHandler = (body, headers) => current.handle({ body, headers })
    return handler
  }

  async function corosReceiver(tenantSlug: string | undefined) {
    const found = await appOf(deps.coros, tenantSlug)
    if (found === undefined) return undefined
    const key = `coros:${found.app.source}:${tenantSlug ?? ''}:${found.app.clientId}:${found.app.clientSecret}`
    let handler = handlers.get(key)
    if (handler === undefined) {
      const handle = createCorosPushHandler({
        clientId: found.app.clientId,
        clientSecret: found.app.clientSecret,
        dataStore: deps.dataStore,
        resolveUser: resolver('coros', found.owns),
      })
      handler = (body, headers) => handle(body, headers)
      handlers.set(key, handler)
    }
    return handler
  }

  return {
    providers: ['garmin', 'coros', 'terra'],
    async receiver(provider, tenantSlug) {
      switch (provider) {
        case 'garmin':
          return garminReceiver(tenantSlug)
        case 'coros':
          return corosReceiver(tenantSlug)
        case 'terra':
          return tenantSlug === undefined ? deps.terra : undefined
        default:
          return undefined
      }
    },
    async drain() {
      await deps.background.drain()
      await Promise.all([...garminReceivers.values()].map((receiver) => receiver.drain()))
    },
  }
}
