import {
  createMemoryStateStore,
  createOAuthClient,
  createProviderRegistry,
  type OAuthClient,
  type OAuthStateStore,
  type ProviderRegistry,
  type TokenStore,
} from '@pierre/providers-core'
import {
  createStravaBundle,
  stravaDescriptor,
  stravaOAuthEndpoints,
} from '@pierre/providers-strava'
import { createSyntheticProvider, syntheticDescriptor } from '@pierre/providers-synthetic'
import type { Config, StravaConfig } from './config.js'

/** The OAuth side of one provider: a client per redirect URI over one token and state store. */
interface OAuthConnector {
  /** Registry name of the provider. */
  readonly provider: string
  /** The OAuth client whose redirect URI is `redirectUri` (created once, then reused). */
  clientFor(redirectUri: string): OAuthClient
}

/** The providers of this server and the OAuth connectors of those that need a user's consent. */
export interface Providers {
  readonly registry: ProviderRegistry
  /** OAuth connectors by provider name (only configured providers). */
  readonly connectors: ReadonlyMap<string, OAuthConnector>
}

/** What {@link createProviders} needs besides the configuration. */
export interface ProviderDependencies {
  /** Where OAuth tokens are kept (encrypted at rest by tenancy). */
  readonly tokenStore: TokenStore
  /** The redirect URI used when no request says otherwise: `<public base>/api/providers/<name>/callback`. */
  readonly defaultRedirectUri: (provider: string) => string
  /** Pending authorizations; in memory by default (shared by every OAuth client of a provider). */
  readonly stateStore?: OAuthStateStore
}

function stravaConnector(strava: StravaConfig, deps: ProviderDependencies): OAuthConnector {
  const clients = new Map<string, OAuthClient>()
  // One store of pending authorizations for every client, so that a connect answered under one
  // redirect URI can be finished by the client of another.
  const stateStore = deps.stateStore ?? createMemoryStateStore()
  return {
    provider: stravaDescriptor.name,
    clientFor(redirectUri) {
      let client = clients.get(redirectUri)
      if (client === undefined) {
        client = createOAuthClient({
          descriptor: stravaDescriptor,
          endpoints: stravaOAuthEndpoints(strava.oauthBaseUrl),
          clientId: strava.clientId,
          clientSecret: strava.clientSecret,
          redirectUri,
          tokenStore: deps.tokenStore,
          stateStore,
        })
        clients.set(redirectUri, client)
      }
      return client
    },
  }
}

/**
 * The provider registry of this server. The synthetic athlete is on by default so a fresh install
 * has data at once (`specs/tools.md` §1.6): each tenant and user gets their own deterministic
 * athlete, seeded from their ids. Strava is registered when its client id and secret are
 * configured; each tenant's user reads Strava with their own stored tokens.
 */
export function createProviders(config: Config, deps: ProviderDependencies): Providers {
  const registry = createProviderRegistry()
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
  const strava = config.providers.strava
  if (strava !== undefined) {
    const connector = stravaConnector(strava, deps)
    connectors.set(connector.provider, connector)
    const bundle = createStravaBundle({ baseUrl: strava.apiBaseUrl })
    registry.register({
      descriptor: bundle.descriptor,
      create: (context) =>
        bundle.create({
          ...context,
          auth: connector
            .clientFor(deps.defaultRedirectUri(connector.provider))
            .tokenSource({ tenantId: context.tenantId, userId: context.userId }),
        }),
    })
  }
  return { registry, connectors }
}
