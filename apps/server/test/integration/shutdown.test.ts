import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { startServer } from '../helpers.js'

describe('graceful shutdown', () => {
  it('lets an in-flight request finish before closing, then refuses new connections', async () => {
    const { pierre, url } = await startServer()
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'x', version: '1' },
      },
    })
    const half = Math.floor(body.length / 2)
    const statusPromise = new Promise<number>((resolve, reject) => {
      const req = request(`${url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': String(Buffer.byteLength(body)),
        },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.write(body.slice(0, half))
      setTimeout(() => req.end(body.slice(half)), 200)
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    let closed = false
    const closing = pierre.close(5000).then(() => {
      closed = true
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(closed).toBe(false)
    expect(await statusPromise).toBe(200)
    await closing
    expect(closed).toBe(true)
    await expect(fetch(`${url}/health`)).rejects.toThrow()
    expect(pierre.db.open).toBe(false)
  })
})
