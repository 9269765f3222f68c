import type { OAuthClient, StoredConnection } from '@pierre/providers-core'
import { createOAuthClient } from '@pierre/providers-core'
import type { MemoryTokenStore } from '@pierre/providers-core/testing'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { onTestFinished } from 'vitest'
import type { StravaProvider, StravaProviderOptions } from '../src/index.js'
import { createStravaProvider, stravaDescriptor, stravaOAuthEndpoints } from '../src/index.js'
import type { FakeStrava, FakeStravaOptions } from '../src/testing/index.js'
import { startFakeStrava } from '../src/testing/index.js'

export const camille = { tenantId: 'tenant-1', userId: 'camille' } as const

/** Waits nothing: retries and rate-limit waits happen at once, the asked delays are recorded. */
export function instantSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = []
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms)
    },
  }
}

export interface Setup {
  readonly fake: FakeStrava
  readonly store: MemoryTokenStore
  readonly oauth: OAuthClient
  readonly provider: StravaProvider
  readonly connection: StoredConnection
}

/**
 * Starts a fake Strava, stores a connection for Camille with tokens the fake issued, and builds an
 * OAuth client and a provider against the fake. Everything is closed when the test ends.
 */
export async function setUp(
  options: {
    readonly fake?: FakeStravaOptions
    readonly scopes?: readonly string[]
    readonly provider?: Partial<StravaProviderOptions>
  } = {},
): Promise<Setup> {
  const fake = await startFakeStrava(options.fake)
  onTestFinished(() => fake.close())
  const tokens = fake.issueTokens(options.scopes === undefined ? {} : { scopes: options.scopes })
  const at = new Date().toISOString()
  const connection: StoredConnection = {
    ...camille,
    provider: 'strava',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'bearer',
    expiresAt: new Date(tokens.expiresAtSeconds * 1000).toISOString(),
    scopes: tokens.scopes,
    providerUserId: fake.athleteId,
    status: 'connected',
    statusReason: undefined,
    connectedAt: at,
    updatedAt: at,
  }
  const store = createMemoryTokenStore([connection])
  const oauth = createOAuthClient({
    descriptor: stravaDescriptor,
    endpoints: stravaOAuthEndpoints(fake.oauthBaseUrl),
    clientId: '98765',
    clientSecret: 'demo-secret',
    redirectUri: 'http://127.0.0.1/callback',
    tokenStore: store,
  })
  const provider = createStravaProvider({
    tokenSource: oauth.tokenSource(camille),
    baseUrl: fake.apiBaseUrl,
    sleep: instantSleep().sleep,
    ...options.provider,
  })
  return { fake, store, oauth, provider, connection }
}
