import { readFileSync } from 'node:fs'
import { collect } from '@pierre/providers-core'
import { Bench } from 'tinybench'
import {
  createFitbitProvider,
  mapGoogleHealthExercise,
  mapGoogleHealthSleep,
} from '../src/index.js'
import { startFakeGoogleHealth } from '../src/testing/index.js'

const fixture = (name: string): { dataPoints: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8'))
const exercises = fixture('exercise_list.json').dataPoints
const sleeps = fixture('sleep_list.json').dataPoints

// Quota raised: the benchmark makes far more calls than Google's 300 per user per minute.
const fake = await startFakeGoogleHealth({ exerciseCount: 1000, requestsPerMinute: 1e7 })
const { accessToken } = fake.issueTokens()
const provider = createFitbitProvider({
  tokenSource: { getAccessToken: async () => accessToken },
  baseUrl: fake.apiBaseUrl,
  requestsPerMinute: 1e7,
})

const bench = new Bench({ iterations: 20, warmupIterations: 2 })
bench
  .add('map the five fixture exercises', () => {
    for (const point of exercises) mapGoogleHealthExercise(point)
  })
  .add('map the three fixture sleeps with stages', () => {
    for (const point of sleeps) mapGoogleHealthSleep(point)
  })
  .add('iterate 1,000 exercises from the fake (40 pages of 25)', async () => {
    await collect(provider.iterateActivities())
  })
await bench.run()
await fake.close()
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  console.log(`${task.name}: mean ${meanMs.toFixed(3)} ms`)
}
