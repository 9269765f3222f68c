import { readFileSync } from 'node:fs'
import { createMemoryDataStore } from '@pierre/providers-core'
import { Bench } from 'tinybench'
import {
  createMemoryTerraConnectionStore,
  createTerraWebhookHandler,
  mapTerraActivity,
  mapTerraActivityStreams,
  verifyTerraSignature,
} from '../src/index.js'
import { createSignedTerraDelivery } from '../src/testing/index.js'

const payload = JSON.parse(
  readFileSync(new URL('../test/fixtures/webhook_activity.json', import.meta.url), 'utf8'),
) as { data: Record<string, unknown>[] }
const activity = payload.data[0] as Record<string, unknown>
const secret = 'bench-secret'
const signedAt = Math.floor(Date.now() / 1000)
const delivery = createSignedTerraDelivery(payload, { secret, timestampSeconds: signedAt })
const header = delivery.headers['terra-signature']
let counter = 0

const bench = new Bench({ iterations: 200, warmupIterations: 20 })
bench
  .add('verify the signature of a 12 kB activity delivery', () => {
    verifyTerraSignature(delivery.body, header, { secret })
  })
  .add('map one activity and its streams', () => {
    mapTerraActivity(activity)
    mapTerraActivityStreams(activity)
  })
  .add('handle a fresh activity delivery end to end (memory stores)', async () => {
    counter += 1
    const handle = createTerraWebhookHandler({
      signingSecret: secret,
      dataStore: createMemoryDataStore(),
      connections: createMemoryTerraConnectionStore(),
    })
    const fresh = createSignedTerraDelivery(payload, {
      secret,
      timestampSeconds: signedAt - (counter % 60),
    })
    await handle(fresh.body, fresh.headers)
  })
await bench.run()
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  console.log(`${task.name}: mean ${meanMs.toFixed(3)} ms`)
}
