import type { OAuthClient, ProviderDataStore, StoredConnection } from '@pierre/providers-core'
import { createMemoryDataStore, createOAuthClient } from '@pierre/providers-core'
import type { MemoryTokenStore } from '@pierre/providers-core/testing'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { onTestFinished } from 'vitest'
import type {
  GarminProvider,
  GarminProviderOptions,
  GarminReceiver,
  GarminReceiverOptions,
} from '../src/index.js'
import { createGarminProvider, createGarminReceiver, garminDescriptor } from '../src/index.js'
import type { FakeGarmin, FakeGarminOptions } from '../src/testing/index.js'
import { startFakeGarmin } from '../src/testing/index.js'

export const camille = { tenantId: 'tenant-1', userId: 'camille' } as const
export const week = { start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' } as const

/** Waits nothing: retries and rate-limit waits happen at once, the asked delays are recorded. */
function instantSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = []
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms)
    },
  }
}

export interface Setup {
  readonly fake: FakeGarmin
  readonly tokenStore: MemoryTokenStore
  readonly store: ProviderDataStore
  readonly oauth: OAuthClient
  readonly provider: GarminProvider
  readonly receiver: GarminReceiver
  readonly connection: StoredConnection
  readonly waits: number[]
}

/**
 * Starts a fake Garmin, stores a connection for Camille with tokens the fake issued (and her
 * Garmin user id), and builds an OAuth client, a provider and a receiver against the fake, sharing
 * one data store. Everything is closed when the test ends.
 */
export async function setUp(
  options: {
    readonly fake?: FakeGarminOptions
    readonly provider?: Partial<GarminProviderOptions>
    readonly receiver?: Partial<GarminReceiverOptions>
  } = {},
): Promise<Setup> {
  const fake = await startFakeGarmin(options.fake)
  onTestFinished(() => fake.close())
  const tokens = fake.issueTokens()
  const at = new Date().toISOString()
  const connection: StoredConnection = {
    ...camille,
    provider: 'garmin',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'bearer',
    expiresAt: new Date(tokens.expiresAtSeconds * 1000).toISOString(),
    scopes: ['PARTNER_READ'],
    providerUserId: fake.userId,
    status: 'connected',
    statusReason: undefined,
    connectedAt: at,
    updatedAt: at,
  }
  const tokenStore = createMemoryTokenStore([connection])
  const store = createMemoryDataStore()
  const oauth = createOAuthClient({
    descriptor: garminDescriptor,
    endpoints: fake.oauthEndpoints,
    clientId: fake.clientId,
    clientSecret: 'demo-secret',
    redirectUri: 'http://127.0.0.1/callback',
    tokenStore,
  })
  const { sleep, waits } = instantSleep()
  const provider = createGarminProvider({
    ...camille,
    store,
    tokenSource: oauth.tokenSource(camille),
    baseUrl: fake.apiBaseUrl,
    sleep,
    ...options.provider,
  })
  const receiver = createGarminReceiver({
    clientId: fake.clientId,
    store,
    oauth,
    tokenStore,
    apiBaseUrl: fake.apiBaseUrl,
    resolveUser: (garminUserId) => (garminUserId === fake.userId ? camille : undefined),
    sleep,
    ...options.receiver,
  })
  return { fake, tokenStore, store, oauth, provider, receiver, connection, waits }
}

/** Delivers every summary type of the fake as pushes and waits for the ingestion. */
export async function pushEverything(setup: Pick<Setup, 'fake' | 'receiver'>): Promise<void> {
  for (const type of [
    'activities',
    'activityDetails',
    'sleeps',
    'dailies',
    'hrv',
    'userMetrics',
  ] as const) {
    const answer = await setup.fake.push(setup.receiver, type)
    if (answer.status !== 200) throw new Error(`push of ${type} answered ${answer.status}`)
  }
  await setup.receiver.drain()
}
