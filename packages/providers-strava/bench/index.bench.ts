import { readFileSync } from 'node:fs'
import { collect } from '@pierre/providers-core'
import { Bench } from 'tinybench'
import { createStravaProvider, mapStravaActivity, mapStravaStreams } from '../src/index.js'
import { startFakeStrava } from '../src/testing/index.js'

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8'))
const detail = fixture('activity_detail.json') as Record<string, unknown>
const streams = fixture('activity_streams.json')
const activity = mapStravaActivity(detail)

// Limits raised: the benchmark makes far more calls than Strava's 100 reads per 15 minutes.
const fake = await startFakeStrava({
  activityCount: 1000,
  rateLimit: [1e6, 1e7],
  readRateLimit: [1e6, 1e7],
})
const { accessToken } = fake.issueTokens()
const provider = createStravaProvider({
  tokenSource: { getAccessToken: async () => accessToken },
  baseUrl: fake.apiBaseUrl,
})

const bench = new Bench({ iterations: 20, warmupIterations: 2 })
bench
  .add('map one detailed activity', () => {
    mapStravaActivity(detail)
  })
  .add('map the 2,746-sample stream set', () => {
    mapStravaStreams(streams, activity)
  })
  .add('iterate 1,000 activities from the fake (5 pages of 200)', async () => {
    await collect(provider.iterateActivities({ pageSize: 200 }))
  })
await bench.run()
await fake.close()
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  console.log(`${task.name}: mean ${meanMs.toFixed(3)} ms`)
}
