import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import {
  defaultLimits,
  encodeMessage,
  isJsonRpcError,
  type JsonRpcMessage,
  parseMessage,
} from '../src/index.js'

function parseFailure(input: string | Uint8Array, options?: Parameters<typeof parseMessage>[1]) {
  try {
    parseMessage(input, options)
  } catch (error) {
    if (isJsonRpcError(error)) return error.toJSON()
    throw error
  }
  throw new Error('expected parseMessage to throw')
}

describe('parseMessage', () => {
  it('returns a request, a notification, a response or a batch', () => {
    expect(parseMessage('{"jsonrpc":"2.0","id":1,"method":"a"}')).toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'a',
    })
    expect(parseMessage(new TextEncoder().encode('[{"jsonrpc":"2.0","method":"n"}]'))).toEqual([
      { jsonrpc: '2.0', method: 'n' },
    ])
    expect(parseMessage('{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"m"}}')).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: 1, message: 'm' },
    })
  })

  it.for([
    { input: '{', code: -32700, reason: undefined },
    { input: '42', code: -32600, reason: 'not_an_object' },
    { input: '[]', code: -32600, reason: 'empty_batch' },
    {
      input: '{"jsonrpc":"2.0","id":1,"result":1,"error":{}}',
      code: -32600,
      reason: 'invalid_response',
    },
    {
      input: '{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}',
      code: -32600,
      reason: 'invalid_response',
    },
    {
      input: '[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":7}]',
      code: -32600,
      reason: 'invalid_method',
    },
  ])('rejects $input with $code', ({ input, code, reason }) => {
    const error = parseFailure(input)
    expect(error.code).toBe(code)
    if (reason !== undefined) expect(error.data).toEqual({ reason })
  })

  it('applies the id policy and limits it is given', () => {
    expect(parseFailure('{"jsonrpc":"2.0","id":null,"method":"a"}', { ids: 'strict' })).toEqual({
      code: -32600,
      message: 'Invalid Request',
      data: { reason: 'invalid_id' },
    })
    expect(parseFailure('[[[1]]]', { limits: { maxDepth: 2 } }).data).toEqual({
      reason: 'too_deep',
      limit: 2,
    })
    expect(defaultLimits).toEqual({
      maxMessageBytes: 1_048_576,
      maxDepth: 64,
      maxBatchSize: 32,
      batchConcurrency: 4,
      maxIdLength: 256,
      maxMethodLength: 128,
    })
    expect(Object.isFrozen(defaultLimits)).toBe(true)
  })

  it('counts depth across escaped quotes and backslashes inside strings', () => {
    const tricky = JSON.stringify({ jsonrpc: '2.0', method: 'a', params: ['\\', '"[[[', '\\"{'] })
    expect(parseMessage(tricky, { limits: { maxDepth: 2 } })).toMatchObject({ method: 'a' })
  })
})

describe('encodeMessage', () => {
  it('throws an internal error for values JSON cannot carry', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => encodeMessage({ jsonrpc: '2.0', id: 1, result: cyclic })).toThrow(
      expect.objectContaining({ code: -32603 }),
    )
    expect(() => encodeMessage({ jsonrpc: '2.0', id: 1, result: 1n })).toThrow(
      expect.objectContaining({ code: -32603 }),
    )
  })
})

// JSON has no -0 (it is written as 0), so payloads are drawn from values JSON represents exactly.
const json = (maxDepth: number) =>
  fc.jsonValue({ maxDepth }).map((value) => JSON.parse(JSON.stringify(value)) as unknown)
const id = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null))
const params = fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), json(3)), fc.array(json(3)))
const name = fc.string({ minLength: 1, maxLength: 40 })
const request = fc
  .record({ id, method: name, params }, { requiredKeys: ['id', 'method'] })
  .map((fields) => ({ jsonrpc: '2.0' as const, ...fields }))
const notification = fc
  .record({ method: name, params }, { requiredKeys: ['method'] })
  .map((fields) => ({ jsonrpc: '2.0' as const, ...fields }))
const success = fc
  .record({ id, result: json(3) })
  .map((fields) => ({ jsonrpc: '2.0' as const, ...fields }))
const failure = fc
  .record({
    id,
    error: fc.record(
      { code: fc.integer(), message: fc.string(), data: json(2) },
      { requiredKeys: ['code', 'message'] },
    ),
  })
  .map((fields) => ({ jsonrpc: '2.0' as const, ...fields }))
const single = fc.oneof(request, notification, success, failure) as fc.Arbitrary<JsonRpcMessage>

describe('encode then parse (round trip)', () => {
  it('writes -0 as 0, as JSON does (fast-check counterexample, seed 1806327900)', () => {
    const message: JsonRpcMessage = { jsonrpc: '2.0', id: null, result: { '': [-0] } }
    expect(encodeMessage(message)).toBe('{"jsonrpc":"2.0","id":null,"result":{"":[0]}}')
  })

  test.prop([fc.oneof(single, fc.array(single, { minLength: 1, maxLength: 10 }))])(
    'parseMessage(encodeMessage(message)) equals the message',
    (message) => {
      const text = encodeMessage(message)
      expect(parseMessage(text)).toEqual(message)
      expect(parseMessage(new TextEncoder().encode(text))).toEqual(message)
    },
  )
})
