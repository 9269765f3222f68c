import { readFileSync } from 'node:fs'
import type { OAuthClient, StoredConnection } from '@pierre/providers-core'
import { parseJsonPreservingBigIntegers } from '@pierre/providers-core'
import type { MemoryTokenStore } from '@pierre/providers-core/testing'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { onTestFinished } from 'vitest'
import type { CorosProvider, CorosProviderOptions } from '../src/index.js'
import { createCorosOAuthClient, createCorosProvider } from '../src/index.js'
import type { FakeCoros, FakeCorosOptions } from '../src/testing/index.js'
import { startFakeCoros } from '../src/testing/index.js'

export const camille = { tenantId: 'tenant-1', userId: 'camille' } as const

/** The fixture week: Camille's last recorded day is 2025-03-14 (UTC−04:00). */
export const fixtureNow = () => new Date('2025-03-14T21:30:00Z')

/** The client credentials the fakes check. */
export const client = { clientId: 'coros-client', clientSecret: 'coros-secret' } as const

/** Reads a fixture of `test/fixtures/`. */
export const fixture = (name: string): unknown =>
  parseJsonPreservingBigIntegers(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'))

/** Resolves with the rejection of a promise; fails when it resolves. */
export const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (reason: unknown) => reason,
  )

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

/** A clock that only moves when something sleeps on it, or when told to. */
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
  readonly fake: FakeCoros
  readonly store: MemoryTokenStore
  readonly oauth: OAuthClient
  readonly provider: CorosProvider
  /** The connection the OAuth flow stored. */
  readonly connection: StoredConnection
}

/**
 * Starts a fake COROS, connects Camille through the real OAuth flow (authorize, code exchange)
 * with the COROS OAuth client, and builds a provider on her token source. Everything is closed
 * when the test ends.
 */
export async function setUp(
  options: {
    readonly fake?: FakeCorosOptions
    readonly provider?: Partial<CorosProviderOptions>
    readonly now?: () => Date
  } = {},
): Promise<Setup> {
  const now = options.now ?? fixtureNow
  const fake = await startFakeCoros({ now, ...client, ...options.fake })
  onTestFinished(() => fake.close())
  const store = createMemoryTokenStore()
  const oauth = createCorosOAuthClient({
    baseUrl: fake.url,
    ...client,
    redirectUri: 'http://127.0.0.1/callback',
    tokenStore: store,
    now,
  })
  const { url } = await oauth.createAuthorizationUrl(camille)
  const consent = await fetch(url, { redirect: 'manual' })
  const connection = await oauth.handleCallback(consent.headers.get('location') as string)
  const provider = createCorosProvider({
    tokenSource: oauth.tokenSource(camille),
    openId: connection.providerUserId as string,
    baseUrl: fake.url,
    sleep: instantSleep().sleep,
    now,
    ...options.provider,
  })
  return { fake, store, oauth, provider, connection }
}
