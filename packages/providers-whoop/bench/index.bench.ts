import { readFileSync } from 'node:fs'
import { collect } from '@pierre/providers-core'
import { Bench } from 'tinybench'
import { createWhoopProvider, mapWhoopSleep, mapWhoopWorkout } from '../src/index.js'
import { startFakeWhoop } from '../src/testing/index.js'

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8'))
const workout = fixture('workout_by_id.json') as Record<string, unknown>
const sleep = fixture('sleep_by_id.json') as Record<string, unknown>

// Limits raised: the benchmark makes far more calls than WHOOP's 100 a minute.
const fake = await startFakeWhoop({ workoutCount: 1000, rateLimit: [1e6, 1e7] })
const { accessToken } = fake.issueTokens()
const provider = createWhoopProvider({
  tokenSource: { getAccessToken: async () => accessToken },
  baseUrl: fake.apiBaseUrl,
})

const bench = new Bench({ iterations: 20, warmupIterations: 2 })
bench
  .add('map one workout with zones', () => {
    mapWhoopWorkout(workout, { maxHeartRate: 186 })
  })
  .add('map one sleep', () => {
    mapWhoopSleep(sleep)
  })
  .add('iterate 1,000 workouts from the fake (40 pages of 25)', async () => {
    await collect(provider.iterateActivities())
  })
await bench.run()
await fake.close()
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  console.log(`${task.name}: mean ${meanMs.toFixed(3)} ms`)
}
