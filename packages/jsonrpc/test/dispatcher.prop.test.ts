import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { z } from 'zod'
import { createDispatcher, defineMethod, JsonRpcError } from '../src/index.js'
import { replyProblems } from './support.js'

function createSubject() {
  return createDispatcher({
    createRequestId: () => 'req-1',
    limits: { maxBatchSize: 64 },
    methods: [
      defineMethod({ method: 'echo', handler: (params) => params }),
      defineMethod({
        method: 'add',
        params: z.object({ a: z.number(), b: z.number() }),
        positional: ['a', 'b'],
        handler: ({ a, b }) => a + b,
      }),
      defineMethod({
        method: 'fail',
        handler: () => {
          throw new Error('boom')
        },
      }),
      defineMethod({
        method: 'custom',
        handler: () => {
          throw new JsonRpcError(-32050, 'custom')
        },
      }),
      defineMethod({ method: 'slow', handler: async (params) => params }),
    ],
  })
}

const dispatcher = createSubject()

/** Awaits both entry points and checks the reply is valid JSON-RPC and agrees between them. */
async function checkReply(input: unknown): Promise<unknown> {
  const reply = await dispatcher.handle(input)
  expect(replyProblems(reply)).toEqual([])
  const text = await dispatcher.handleText(input)
  if (reply === undefined) expect(text).toBeUndefined()
  else expect(JSON.parse(text ?? 'null')).toEqual(JSON.parse(JSON.stringify(reply)))
  return reply
}

const id = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
  fc.boolean(),
  fc.constant({}),
)
const method = fc.oneof(
  fc.constantFrom('echo', 'add', 'fail', 'custom', 'slow', 'nope', 'rpc.x', ''),
  fc.string(),
)
const params = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('a', 'b', '_meta', 'x'), fc.jsonValue()),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
  fc.jsonValue(),
)
/** Mostly plausible messages, with every member sometimes missing or wrong. */
const message = fc
  .record(
    {
      jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), fc.jsonValue()),
      id,
      method,
      params,
      result: fc.jsonValue(),
    },
    { requiredKeys: [] },
  )
  .map((fields) => JSON.parse(JSON.stringify(fields)) as unknown)

describe('dispatcher properties', () => {
  test.prop([fc.uint8Array({ maxLength: 300 })])(
    'arbitrary bytes end in a valid reply',
    async (bytes) => {
      await checkReply(bytes)
    },
  )

  test.prop([fc.string({ unit: 'binary', maxLength: 300 })])(
    'arbitrary text ends in a valid reply',
    async (text) => {
      await checkReply(text)
    },
  )

  test.prop([fc.jsonValue()])(
    'arbitrary JSON, as text or parsed, ends in a valid reply',
    async (value) => {
      await checkReply(JSON.stringify(value))
      await checkReply(value)
    },
  )

  test.prop([fc.oneof(message, fc.array(message, { maxLength: 40 }))])(
    'plausible messages and batches end in a valid reply',
    async (value) => {
      await checkReply(JSON.stringify(value))
    },
  )

  test.prop([
    fc.uniqueArray(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), {
      minLength: 1,
      maxLength: 30,
    }),
    fc.array(fc.constantFrom('echo', 'add', 'fail', 'custom', 'slow', 'nope'), {
      minLength: 30,
      maxLength: 30,
    }),
    fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  ])('every request id in a batch is echoed exactly once', async (ids, methods, notes) => {
    const batch = ids.flatMap((requestId, index) => {
      const call = { jsonrpc: '2.0', id: requestId, method: methods[index], params: [index, 1] }
      return notes[index] ? [call, { jsonrpc: '2.0', method: methods[index] }] : [call]
    })
    const reply = await checkReply(JSON.stringify(batch))
    expect(Array.isArray(reply)).toBe(true)
    const answered = (reply as { id: unknown }[]).map((response) => response.id)
    expect(answered).toEqual(ids)
  })
})
