import { PassThrough } from 'node:stream'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { LineStdioTransport } from '../src/mcp/stdio-transport.js'

async function harness(maxLineBytes = 1024) {
  const input = new PassThrough()
  const output = new PassThrough()
  const transport = new LineStdioTransport({ input, output, maxLineBytes })
  const received: JSONRPCMessage[] = []
  transport.onmessage = (message) => received.push(message)
  let closed = false
  transport.onclose = () => {
    closed = true
  }
  await transport.start()
  const written: unknown[] = []
  output.on('data', (chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) written.push(JSON.parse(line))
  })
  const settle = () => new Promise((resolve) => setImmediate(resolve))
  return { input, transport, received, written, settle, isClosed: () => closed }
}

describe('LineStdioTransport', () => {
  it('delivers one message per line, across chunk boundaries and with CRLF', async () => {
    const h = await harness()
    h.input.write('{"jsonrpc":"2.0","id":1,')
    h.input.write('"method":"ping"}\r\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    await h.settle()
    expect(h.received).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ])
    expect(h.written).toEqual([])
  })

  it('answers invalid JSON with −32700 and carries on', async () => {
    const h = await harness()
    h.input.write('not json\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n')
    await h.settle()
    expect(h.written).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
    ])
    expect(h.received).toHaveLength(1)
  })

  it('answers a batch or a non-message with −32600', async () => {
    const h = await harness()
    h.input.write('[{"jsonrpc":"2.0","id":1,"method":"ping"}]\n{"hello":1}\n')
    await h.settle()
    expect(h.written).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: 'Invalid Request: batching is not supported' },
      },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request' } },
    ])
    expect(h.received).toEqual([])
  })

  it('discards an over-long line with −32700 and reads the next one', async () => {
    const h = await harness(64)
    h.input.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(40)}`)
    h.input.write(`${'y'.repeat(40)}"}}\n{"jsonrpc":"2.0","id":3,"method":"ping"}\n`)
    await h.settle()
    expect(h.written).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32700, message: 'Parse error: line longer than 64 bytes' },
      },
    ])
    expect(h.received).toEqual([{ jsonrpc: '2.0', id: 3, method: 'ping' }])
  })

  it('closes at end of input', async () => {
    const h = await harness()
    h.input.end()
    await h.settle()
    expect(h.isClosed()).toBe(true)
  })
})
