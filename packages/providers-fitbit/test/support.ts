import { readFileSync } from 'node:fs'
import type { OAuthClient, StoredConnection } from '@pierre/providers-core'
import { createOAuthClient } from '@pierre/providers-core'
import type { MemoryTokenStore } from '@pierre/providers-core/testing'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { onTestFinished } from 'vitest'
import type { FitbitProviderOptions } from '../src/index.js'
import { createFitbitProvider, fitbitDescriptor, fitbitOAuthEndpoints } from '../src/index.js'
import type { FakeGoogleHealth, FakeGoogleHealthOptions } from '../src/testing/index.js'
import { startFakeGoogleHealth } from '../src/testing/index.js'

export const camille = { tenantId: 'tenant-1', userId: 'camille' } as const

/** The fixture week (2025-03-08 … 2025-03-14, America/Toronto) as a UTC range. */
export const fixtureWeek = { start: '2025-03-08T05:00:00Z', end: '2025-03-15T04:00:00Z' } as const

/** Reads a fixture of this package. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >
}

/** The `dataPoints` of a list fixture. */
export function pointsOf(name: string): Record<string, unknown>[] {
  return (fixture(name).dataPoints ?? []) as Record<string, unknown>[]
}

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
  readonly fake: FakeGoogleHealth
  readonly store: MemoryTokenStore
  readonly oauth: OAuthClient
  readonly provider: ReturnType<typeof createFitbitProvider>
  readonly connection: StoredConnection
}

/**
 * Starts a fake Google Health API, stores a connection for Camille with tokens the fake issued,
 * and builds an OAuth client and a provider against the fake. Everything closes when the test ends.
 */
export async function setUp(
  options: {
    readonly fake?: FakeGoogleHealthOptions
    readonly scopes?: readonly string[]
    readonly provider?: Partial<FitbitProviderOptions>
  } = {},
): Promise<Setup> {
  const fake = await startFakeGoogleHealth(options.fake)
  onTestFinished(() => fake.close())
  const tokens = fake.issueTokens(options.scopes === undefined ? {} : { scopes: options.scopes })
  const at = new Date().toISOString()
  const connection: StoredConnection = {
    ...camille,
    provider: 'fitbit',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'bearer',
    expiresAt: new Date(tokens.expiresAtSeconds * 1000).toISOString(),
    scopes: tokens.scopes,
    providerUserId: fake.healthUserId,
    status: 'connected',
    statusReason: undefined,
    connectedAt: at,
    updatedAt: at,
  }
  const store = createMemoryTokenStore([connection])
  const oauth = createOAuthClient({
    descriptor: fitbitDescriptor,
    endpoints: fitbitOAuthEndpoints(fake.oauthBaseUrl),
    clientId: 'pierre-test.apps.googleusercontent.com',
    clientSecret: 'demo-secret',
    redirectUri: 'http://127.0.0.1/callback',
    tokenStore: store,
  })
  const provider = createFitbitProvider({
    tokenSource: oauth.tokenSource(camille),
    baseUrl: fake.apiBaseUrl,
    sleep: instantSleep().sleep,
    ...options.provider,
  })
  return { fake, store, oauth, provider, connection }
}
