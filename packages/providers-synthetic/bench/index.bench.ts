import { collect } from '@pierre/providers-core'
import { Bench } from 'tinybench'
import { createSyntheticProvider } from '../src/index.js'

const now = () => new Date('2025-03-15T00:00:00Z')
const range = { start: '2024-03-01T00:00:00Z', end: '2025-03-15T00:00:00Z' }
let activities = 0
let samples = 0

async function generateYear(): Promise<void> {
  const provider = createSyntheticProvider({ seed: 42, now, historyDays: 365 })
  const all = await collect(provider.iterateActivities())
  let count = 0
  for (const activity of all) {
    count += (await provider.getActivityStreams(activity.id)).time.length
  }
  await provider.getSleepSessions(range)
  await provider.getHrv(range)
  await provider.getDailySummaries(range)
  activities = all.length
  samples = count
}

const bench = new Bench({ iterations: 5, warmupIterations: 1 })
bench.add('a year of synthetic data (activities, 1 Hz streams, sleep, HRV, daily)', generateYear)
await bench.run()
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  console.log(task.name)
  console.log(
    `  mean ${meanMs.toFixed(0)} ms per year of data (${activities} activities, ${samples} samples)`,
  )
  console.log(
    `  ${((activities * 1000) / meanMs).toFixed(0)} activities/s, ${((samples * 1000) / meanMs / 1e6).toFixed(2)} M samples/s`,
  )
}
