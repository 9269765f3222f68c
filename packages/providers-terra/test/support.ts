import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ProviderDataStore } from '@pierre/providers-core'
import { createMemoryDataStore } from '@pierre/providers-core'
import { onTestFinished } from 'vitest'
import type {
  TerraClient,
  TerraClientOptions,
  TerraConnectionStore,
  TerraProviderOptions,
  TerraWebhookHandler,
} from '../src/index.js'
import {
  createMemoryTerraConnectionStore,
  createTerraClient,
  createTerraProvider,
} from '../src/index.js'
import type { FakeTerra, FakeTerraOptions } from '../src/testing/index.js'
import { startFakeTerra } from '../src/testing/index.js'

/** The person of the fixtures: their reference id is `pierre:tenant-0f6c2a:user-7a41e9`. */
export const camille = { tenantId: 'tenant-0f6c2a', userId: 'user-7a41e9' } as const

/** Reads a fixture as JSON. */
export const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >

/** The first data object of a fixture response or webhook. */
export const firstData = (name: string): Record<string, unknown> =>
  (fixture(name).data as Record<string, unknown>[])[0] as Record<string, unknown>

/** A settable clock; `sleep` advances it instead of waiting and records what was asked. */
export function createClock(startIso = '2025-03-15T12:00:00Z') {
  let current = Date.parse(startIso)
  const waits: number[] = []
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms
    },
    seconds: () => Math.floor(current / 1000),
    waits,
    sleep: async (ms: number) => {
      waits.push(ms)
      current += ms
    },
  }
}

export interface Setup {
  readonly fake: FakeTerra
  readonly client: TerraClient
  readonly provider: ReturnType<typeof createTerraProvider>
  readonly store: ProviderDataStore
  readonly connections: TerraConnectionStore
  readonly clock: ReturnType<typeof createClock>
}

/**
 * Starts a fake Terra on a fixed clock (2025-03-15 12:00 UTC) and builds a client and a provider
 * for Camille's fixture Terra user. Retries wait on the fake clock, never in real time.
 */
export async function setUp(
  options: {
    readonly fake?: FakeTerraOptions
    readonly client?: Partial<TerraClientOptions>
    readonly provider?: Partial<TerraProviderOptions>
    readonly withStore?: boolean
  } = {},
): Promise<Setup> {
  const clock = createClock()
  const fake = await startFakeTerra({ now: clock.now, ...options.fake })
  onTestFinished(() => fake.close())
  const client = createTerraClient({
    devId: fake.devId,
    apiKey: fake.apiKey,
    baseUrl: fake.apiBaseUrl,
    now: clock.now,
    sleep: clock.sleep,
    ...options.client,
  })
  const store = createMemoryDataStore()
  const connections = createMemoryTerraConnectionStore()
  const provider = createTerraProvider({
    client,
    user: camille,
    terraUserIds: [fake.terraUserId],
    now: clock.now,
    ...(options.withStore === true ? { dataStore: store } : {}),
    ...options.provider,
  })
  return { fake, client, provider, store, connections, clock }
}

/**
 * Serves a webhook handler on 127.0.0.1:0 the way an app would: the raw body bytes and the
 * headers go in unchanged, the answer goes out as JSON. Closed when the test ends.
 */
export async function serveWebhook(handler: TerraWebhookHandler): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      handler(new Uint8Array(Buffer.concat(chunks)), request.headers).then(
        (answer) => {
          response.writeHead(answer.status, { 'content-type': 'application/json' })
          response.end(JSON.stringify(answer.body))
        },
        () => {
          response.writeHead(500, { 'content-type': 'application/json' })
          response.end(JSON.stringify({ error: 'internal' }))
        },
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/terra`
}
