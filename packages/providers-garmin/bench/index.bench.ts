import { readFileSync } from 'node:fs'
import { createMemoryDataStore, createOAuthClient } from '@pierre/providers-core'
import { createMemoryTokenStore } from '@pierre/providers-core/testing'
import { Bench } from 'tinybench'
import {
  createGarminReceiver,
  garminDescriptor,
  mapGarminSleep,
  parseGarminNotification,
} from '../src/index.js'
import { startFakeGarmin } from '../src/testing/index.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8')
const details = fixture('push_activity_details.json')
const sleep = (JSON.parse(fixture('push_sleeps.json')) as { sleeps: Record<string, unknown>[] })
  .sleeps[0] as Record<string, unknown>

const garmin = await startFakeGarmin({ activityCount: 200, dayCount: 200 })
const user = { tenantId: 'bench', userId: 'camille' }
const tokens = garmin.issueTokens()
const at = new Date().toISOString()
const tokenStore = createMemoryTokenStore([
  {
    ...user,
    provider: 'garmin',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'bearer',
    expiresAt: new Date(tokens.expiresAtSeconds * 1000).toISOString(),
    scopes: [],
    providerUserId: garmin.userId,
    status: 'connected',
    statusReason: undefined,
    connectedAt: at,
    updatedAt: at,
  },
])
const oauth = createOAuthClient({
  descriptor: garminDescriptor,
  endpoints: garmin.oauthEndpoints,
  clientId: garmin.clientId,
  clientSecret: 'secret',
  redirectUri: 'http://127.0.0.1/callback',
  tokenStore,
})
const receiver = createGarminReceiver({
  clientId: garmin.clientId,
  store: createMemoryDataStore(),
  oauth,
  apiBaseUrl: garmin.apiBaseUrl,
  resolveUser: () => user,
})

const bench = new Bench({ iterations: 20, warmupIterations: 2 })
bench
  .add('parse the activity details push (8 samples, 9 laps)', () => {
    parseGarminNotification(details)
  })
  .add('map one night of sleep (19 segments)', () => {
    mapGarminSleep(sleep)
  })
  .add('receive and store a push of 200 sleeps', async () => {
    await garmin.push(receiver, 'sleeps')
    await receiver.drain()
  })
  .add('receive a ping of 200 dailies and fetch its callback', async () => {
    await garmin.ping(receiver, 'dailies')
    await receiver.drain()
  })
await bench.run()
await garmin.close()
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  console.log(`${task.name}: mean ${meanMs.toFixed(3)} ms`)
}
