import { readFileSync } from 'node:fs'
import { collect, createMemoryDataStore } from '@pierre/providers-core'
import { Bench } from 'tinybench'
import { createCorosProvider, createCorosPushHandler, mapCorosWorkout } from '../src/index.js'
import { startFakeCoros } from '../src/testing/index.js'

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8'))
const workout = (fixture('sport_data.json') as { data: Record<string, unknown>[] }).data[0] ?? {}
const push = JSON.stringify(fixture('webhook_sport_data_push.json'))

const now = () => new Date('2025-03-14T21:30:00Z')
// Limits raised: the benchmark makes far more calls than COROS's 1,000 a minute.
const fake = await startFakeCoros({ now, activityCount: 26, requestsPerMinute: 1e9 })
const { accessToken, openId } = fake.issueTokens()
const provider = createCorosProvider({
  tokenSource: { getAccessToken: async () => accessToken },
  openId,
  baseUrl: fake.url,
  now,
})
const handle = createCorosPushHandler({
  clientId: 'bench',
  clientSecret: 'bench-secret',
  dataStore: createMemoryDataStore(),
  resolveUser: async () => ({ tenantId: 't', userId: 'u' }),
})

const bench = new Bench({ iterations: 20, warmupIterations: 2 })
bench
  .add('map one workout', () => {
    mapCorosWorkout(workout)
  })
  .add('receive one push', async () => {
    await handle(push, { client: 'bench', secret: 'bench-secret' })
  })
  .add('iterate the 3 months from the fake (4 windows)', async () => {
    await collect(provider.iterateActivities())
  })
await bench.run()
await fake.close()
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  console.log(`${task.name}: mean ${meanMs.toFixed(3)} ms`)
}
