import type { AddressInfo } from 'node:net'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { builtinTools, createToolCatalog } from '@pierre/tools'
import express from 'express'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createMcpHttpHandler } from '../../src/mcp/http.js'
import { createMcpServer, type Principal } from '../../src/mcp/server.js'
import { memoryLogger } from '../helpers.js'

async function harness(options: { maxSessionsPerPrincipal?: number } = {}) {
  let clock = 1_000_000
  const { logger } = memoryLogger()
  const catalog = createToolCatalog(builtinTools)
  let principal: Principal = { tenantId: 't1', userId: 'u1' }
  const handler = createMcpHttpHandler({
    logger,
    createServer: (p) =>
      createMcpServer({ catalog, logger, version: '0.0.0', principal: p, transport: 'http' }),
    principalOf: () => principal,
    maxBodyBytes: 1 << 20,
    sessionIdleSeconds: 60,
    jsonResponse: false,
    maxSessionsPerPrincipal: options.maxSessionsPerPrincipal ?? 16,
    maxSessions: 1000,
    now: () => clock,
  })
  const app = express()
  app.use('/mcp', handler.router)
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  onTestFinished(async () => {
    await handler.close()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`)
  return {
    handler,
    url,
    advance: (ms: number) => {
      clock += ms
    },
    actAs: (p: Principal) => {
      principal = p
    },
    async connect() {
      const transport = new StreamableHTTPClientTransport(url)
      const client = new Client({ name: 't', version: '1' })
      await client.connect(transport)
      return { client, transport }
    },
  }
}

describe('MCP session table', () => {
  it('closes sessions idle longer than the limit; their id is then unknown', async () => {
    const h = await harness()
    const { client } = await h.connect()
    expect(h.handler.sessionCount()).toBe(1)
    h.advance(30_000)
    h.handler.sweep()
    expect(h.handler.sessionCount()).toBe(1)
    h.advance(31_000)
    h.handler.sweep()
    expect(h.handler.sessionCount()).toBe(0)
    await expect(client.ping()).rejects.toThrow()
  })

  it('evicts the least recently used idle session at the per-principal cap', async () => {
    const h = await harness({ maxSessionsPerPrincipal: 2 })
    const first = await h.connect()
    h.advance(1000)
    const second = await h.connect()
    h.advance(1000)
    await h.connect()
    expect(h.handler.sessionCount()).toBe(2)
    await expect(first.client.ping()).rejects.toThrow()
    await expect(second.client.ping()).resolves.toEqual({})
  })

  it("answers another principal's session id as unknown (404)", async () => {
    const h = await harness()
    const { transport } = await h.connect()
    h.actAs({ tenantId: 't2', userId: 'u9' })
    const response = await fetch(h.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': transport.sessionId ?? '',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    })
    expect(response.status).toBe(404)
  })
})
