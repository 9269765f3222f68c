/*
 * Dispatch throughput: @pierre/jsonrpc against the json-rpc-2.0 package, in one run.
 *
 * Both sides do the same work per operation: take a JSON string, parse it, validate the envelope,
 * route to an `add` method whose handler checks its params by hand (the same function on both
 * sides, no schema library), run it, and produce the serialised JSON string of the reply.
 *
 * - ours:   `dispatcher.handleText(text)`, which also enforces the size limit, the depth pre-scan
 *           before JSON.parse, the id policy, duplicate-id detection and the serialisability check.
 * - theirs: `JSON.stringify(await server.receiveJSON(text))` (json-rpc-2.0 `JSONRPCServer`).
 *
 * The batch has 100 requests, so our `maxBatchSize` is raised from 32 to 100 for this run. An
 * extra row (not part of the ratio) shows our dispatcher with a zod schema on the params.
 */
import { JSONRPCServer } from 'json-rpc-2.0'
import { Bench } from 'tinybench'
import { z } from 'zod'
import { createDispatcher, defineMethod } from '../src/index.js'

function add(params: unknown): number {
  if (typeof params !== 'object' || params === null) throw new TypeError('params must be an object')
  const { a, b } = params as { a?: unknown; b?: unknown }
  if (typeof a !== 'number' || typeof b !== 'number') throw new TypeError('a and b must be numbers')
  return a + b
}

const ours = createDispatcher({
  methods: [defineMethod({ method: 'add', handler: (params) => add(params) })],
  limits: { maxBatchSize: 100 },
})
const oursWithZod = createDispatcher({
  methods: [
    defineMethod({
      method: 'add',
      params: z.object({ a: z.number(), b: z.number() }),
      handler: ({ a, b }) => a + b,
    }),
  ],
  limits: { maxBatchSize: 100 },
})
const theirs = new JSONRPCServer()
theirs.addMethod('add', (params: unknown) => add(params))

const single = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'add', params: { a: 2, b: 3 } })
const batch = JSON.stringify(
  Array.from({ length: 100 }, (_, index) => ({
    jsonrpc: '2.0',
    id: index + 1,
    method: 'add',
    params: { a: index, b: 1 },
  })),
)

// Same replies on both sides before timing anything.
const expectedSingle = '{"jsonrpc":"2.0","id":1,"result":5}'
const checks = [
  [await ours.handleText(single), expectedSingle],
  [JSON.stringify(await theirs.receiveJSON(single)), expectedSingle],
  [await ours.handleText(batch), JSON.stringify(await theirs.receiveJSON(batch))],
  [await oursWithZod.handleText(batch), JSON.stringify(await theirs.receiveJSON(batch))],
]
for (const [actual, expected] of checks) {
  if (actual !== expected) throw new Error(`replies differ: ${actual} vs ${expected}`)
}

const bench = new Bench({ time: 2000, warmupTime: 500 })
bench
  .add('single: ours', async () => {
    await ours.handleText(single)
  })
  .add('single: json-rpc-2.0', async () => {
    JSON.stringify(await theirs.receiveJSON(single))
  })
  .add('single: ours + zod', async () => {
    await oursWithZod.handleText(single)
  })
  .add('batch 100: ours', async () => {
    await ours.handleText(batch)
  })
  .add('batch 100: json-rpc-2.0', async () => {
    JSON.stringify(await theirs.receiveJSON(batch))
  })
  .add('batch 100: ours + zod', async () => {
    await oursWithZod.handleText(batch)
  })
await bench.run()

const opsPerSecond = new Map<string, number>()
for (const task of bench.tasks)
  opsPerSecond.set(task.name, task.result?.throughput.mean ?? Number.NaN)
const rows = ['single', 'batch 100'].map((scenario) => {
  const ourOps = opsPerSecond.get(`${scenario}: ours`) ?? Number.NaN
  const theirOps = opsPerSecond.get(`${scenario}: json-rpc-2.0`) ?? Number.NaN
  return {
    scenario,
    'ours (ops/s)': Math.round(ourOps),
    'json-rpc-2.0 (ops/s)': Math.round(theirOps),
    'ours + zod (ops/s)': Math.round(opsPerSecond.get(`${scenario}: ours + zod`) ?? Number.NaN),
    'ratio ours/theirs': Number((ourOps / theirOps).toFixed(2)),
  }
})
console.table(bench.table())
console.table(rows)
