import { readFileSync } from 'node:fs'
import type { OAuthClient, StoredConnection } from '@pierre/providers-core'
import { parseJsonPreservingBigIntegers } from '@pierre/providers-core'
import type { MemoryTokenStore } from '@pierre/providers-core/testing'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { onTestFinished } from 'vitest'
import type { WhoopProvider, WhoopProviderOptions } from '../src/index.js'
import { createWhoopOAuthClient, createWhoopProvider } from '../src/index.js'
import type { FakeWhoop, FakeWhoopOptions } from '../src/testing/index.js'
import { startFakeWhoop } from '../src/testing/index.js'

export const camille = { tenantId: 'tenant-1', userId: 'camille' } as const

/** The fixture week: Camille's last recorded day is 2025-03-14 (UTC−04:00). */
export const fixtureNow = () => new Date('2025-03-14T21:30:00Z')

/** Reads a fixture of `test/fixtures/`. */
export const fixture = (name: string): unknown =>
  parseJsonPreservingBigIntegers(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'))

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

/** A clock that only moves when something sleeps on it (retry and rate-limit waits). */
export function steppingClock(startIso: string): {
  now: () => Date
  sleep: (ms: number) => Promise<void>
  advance: (ms: number) => void
  waits: number[]
} {
  let clock = Date.parse(startIso)
  const waits: number[] = []
  return {
    now: () => new Date(clock),
    sleep: async (ms: number) => {
      waits.push(ms)
      clock += ms
    },
    advance: (ms: number) => {
      clock += ms
    },
    waits,
  }
}

export interface Setup {
  readonly fake: FakeWhoop
  readonly store: MemoryTokenStore
  readonly oauth: OAuthClient
  readonly provider: WhoopProvider
  readonly connection: StoredConnection
}

/**
 * Starts a fake WHOOP, stores a connection for Camille with tokens the fake issued, and builds the
 * WHOOP OAuth client and a provider against the fake. Everything is closed when the test ends.
 */
export async function setUp(
  options: {
    readonly fake?: FakeWhoopOptions
    readonly scopes?: readonly string[]
    readonly provider?: Partial<WhoopProviderOptions>
    readonly now?: () => Date
  } = {},
): Promise<Setup> {
  const now = options.now ?? fixtureNow
  const fake = await startFakeWhoop({ now, ...options.fake })
  onTestFinished(() => fake.close())
  const tokens = fake.issueTokens(options.scopes === undefined ? {} : { scopes: options.scopes })
  const at = now().toISOString()
  const connection: StoredConnection = {
    ...camille,
    provider: 'whoop',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'bearer',
    expiresAt: new Date(tokens.expiresAtSeconds * 1000).toISOString(),
    scopes: tokens.scopes,
    providerUserId: fake.userId,
    status: 'connected',
    statusReason: undefined,
    connectedAt: at,
    updatedAt: at,
  }
  const store = createMemoryTokenStore([connection])
  const oauth = createWhoopOAuthClient({
    oauthBaseUrl: fake.oauthBaseUrl,
    clientId: 'whoop-client',
    clientSecret: 'whoop-secret',
    redirectUri: 'http://127.0.0.1/callback',
    tokenStore: store,
    now,
  })
  const provider = createWhoopProvider({
    tokenSource: oauth.tokenSource(camille),
    baseUrl: fake.apiBaseUrl,
    sleep: instantSleep().sleep,
    now,
    ...options.provider,
  })
  return { fake, store, oauth, provider, connection }
}
