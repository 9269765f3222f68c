import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startServer } from '../helpers.js'

async function connect(
  url: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'pierre-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`))
  await client.connect(transport)
  onTestFinished(() => client.close())
  return { client, transport }
}

const initializeBody = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
}

const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
}

describe('GET /health', () => {
  it('reports status, version, uptime and the database', async () => {
    const { url } = await startServer()
    const response = await fetch(`${url}/health`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/application\/json/)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({ status: 'ok', version: '0.1.0', database: { ok: true } })
    expect(typeof body.uptime_seconds).toBe('number')
  })

  it('sends a server-generated request id and the security headers (T-23)', async () => {
    const { url } = await startServer()
    const response = await fetch(`${url}/health`, { headers: { 'x-request-id': 'spoofed-id' } })
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(response.headers.get('x-request-id')).not.toBe('spoofed-id')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    )
    expect(response.headers.get('x-powered-by')).toBeNull()
  })
})

describe('MCP over Streamable HTTP (SDK client)', () => {
  it('initializes with the server identity, capabilities and instructions', async () => {
    const { url } = await startServer()
    const { client, transport } = await connect(url)
    expect(client.getServerVersion()).toMatchObject({
      name: 'pierre-mcp-server',
      title: 'Pierre Fitness Intelligence',
      version: '0.1.0',
    })
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: true }, logging: {} })
    expect(client.getInstructions()).toMatch(/calculate_daily_nutrition/)
    expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    await client.ping()
  })

  it('lists both nutrition tools with input and output schemas and annotations', async () => {
    const { url } = await startServer()
    const { client } = await connect(url)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name)).toEqual([
      'calculate_daily_nutrition',
      'get_nutrient_timing',
    ])
    const daily = tools[0]!
    expect(daily.inputSchema.required).toEqual([
      'weight_kg',
      'height_cm',
      'age',
      'gender',
      'activity_level',
      'training_goal',
    ])
    expect(daily.inputSchema.properties?.age).toMatchObject({
      type: 'integer',
      minimum: 10,
      maximum: 120,
    })
    expect(daily.inputSchema.properties?.gender).toMatchObject({ enum: ['male', 'female'] })
    expect(daily.outputSchema?.type).toBe('object')
    expect(daily.outputSchema?.required).toContain('tdee')
    expect(daily.annotations).toEqual({
      title: 'Calculate daily nutrition',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    })
    for (const tool of tools) {
      for (const [name, property] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect(
          (property as { description?: string }).description,
          `${tool.name}.${name}`,
        ).toBeTruthy()
      }
    }
  })

  it('calculates daily nutrition matching hand-computed values', async () => {
    const { url } = await startServer()
    const { client } = await connect(url)
    const result = await client.callTool({
      name: 'calculate_daily_nutrition',
      arguments: {
        weight_kg: 70,
        height_cm: 175,
        age: 35,
        gender: 'Male',
        activity_level: 'very_active',
        training_goal: 'endurance_performance',
      },
    })
    expect(result.isError).toBe(false)
    // BMR = 10·70 + 6.25·175 − 5·35 + 5 = 1623.75; TDEE = 1623.75 × 1.725 = 2800.96875.
    // Protein 2.0 g/kg = 140 g; carbs 8 g/kg = 560 g leaves 0.97 kcal, below the 20 % fat floor
    // (62.24375 g), so carbs drop to (2800.96875 − 560 − 560.19375) / 4 = 420.19375 g.
    expect(result.structuredContent).toMatchObject({
      bmr: 1623.8,
      tdee: 2801,
      calorie_target: 2801,
      protein_g: 140,
      carbs_g: 420.2,
      fat_g: 62.2,
      protein_percent: 20,
      carbs_percent: 60,
      fat_percent: 20,
      macro_calories_vs_tdee: 0,
      goal: 'EndurancePerformance',
      training_goal: 'endurance_performance',
    })
    const content = result.content as { type: string; text: string }[]
    expect(content[0]?.type).toBe('text')
    expect(JSON.parse(content[0]?.text ?? '')).toEqual(result.structuredContent)
  })

  it('applies the weight-loss calorie rule', async () => {
    const { url } = await startServer()
    const { client } = await connect(url)
    const result = await client.callTool({
      name: 'calculate_daily_nutrition',
      arguments: {
        weight_kg: 60,
        height_cm: 165,
        age: 25,
        gender: 'female',
        activity_level: 'sedentary',
        training_goal: 'weight_loss',
      },
    })
    // BMR = 600 + 1031.25 − 125 − 161 = 1345.25; TDEE = ×1.2 = 1614.3; TDEE − 500 = 1114.3 is
    // below BMR, so the target is floored at BMR.
    expect(result.structuredContent).toMatchObject({
      bmr: 1345.3,
      tdee: 1614.3,
      calorie_target: 1345.3,
      protein_g: 48,
    })
  })

  it('plans nutrient timing matching hand-computed values', async () => {
    const { url } = await startServer()
    const { client } = await connect(url)
    const result = await client.callTool({
      name: 'get_nutrient_timing',
      arguments: {
        weight_kg: 70,
        daily_protein_g: 140,
        workout_intensity: 'moderate',
        workout_duration_minutes: 90,
        hours_before_workout: 3,
      },
    })
    expect(result.isError).toBe(false)
    // Pre: 1 g/kg per hour of lead time = 210 g; during 60–150 min moderate = 45 g/h;
    // post protein 0.3 g/kg = 21 g; post carbs 1 g/kg = 70 g; 140 g over 4 meals = 35 g;
    // fluids 5–7 mL/kg = 350–490 mL before, 0.4–0.8 L/h × 1.5 h = 0.6–1.2 L during.
    expect(result.structuredContent).toMatchObject({
      pre_workout: { timing_hours_before: 3, carbs_g: 210, fluid_ml_min: 350, fluid_ml_max: 490 },
      during_workout: {
        duration_minutes: 90,
        carbs_g_per_hour: 45,
        fluid_l_per_hour_min: 0.4,
        fluid_l_per_hour_max: 0.8,
        fluid_total_l_min: 0.6,
        fluid_total_l_max: 1.2,
      },
      post_workout: { protein_g: 21, carbs_g: 70, carbs_g_per_hour: null },
      daily_protein_distribution: { meals_per_day: 4, protein_per_meal_g: 35 },
      intensity_source: 'explicit',
      workout_intensity: 'moderate',
    })
  })

  it('answers invalid arguments with a tool error naming every field and rule', async () => {
    const { url } = await startServer()
    const { client } = await connect(url)
    // A raw request: SDK 1.x clients validate error results against the output schema
    // (typescript-sdk#1943), which would hide the error payload this test inspects.
    const result = await client.request(
      {
        method: 'tools/call',
        params: {
          name: 'calculate_daily_nutrition',
          arguments: {
            weight_kg: -3,
            height_cm: 175,
            age: 130,
            gender: 'other',
            activity_level: 'very_active',
          },
        },
      },
      CallToolResultSchema,
    )
    expect(result.isError).toBe(true)
    const error = (
      result.structuredContent as {
        error: {
          code: string
          message: string
          details: { issues: { path: string; message: string }[] }
        }
      }
    ).error
    expect(error.code).toBe('invalid_argument')
    expect(error.details.issues).toEqual([
      { path: 'weight_kg', message: 'must be greater than 0' },
      { path: 'age', message: 'must be at most 120' },
      { path: 'gender', message: 'must be one of "male", "female"' },
      { path: 'training_goal', message: 'is required' },
    ])
    const text = (result.content as { text: string }[])[0]?.text ?? ''
    expect(text).toMatch(/^Error: invalid arguments: weight_kg: must be greater than 0; age/)
  })

  it('answers an unknown tool with JSON-RPC −32602', async () => {
    const { url } = await startServer()
    const { client } = await connect(url)
    const failure = await client
      .callTool({ name: 'no_such_tool', arguments: {} })
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(McpError)
    expect((failure as McpError).code).toBe(ErrorCode.InvalidParams)
    expect((failure as McpError).message).toMatch(/Unknown tool: no_such_tool/)
  })

  it('ends a session on DELETE; the id is then unknown (404)', async () => {
    const { url } = await startServer()
    const { transport, client } = await connect(url)
    const sessionId = transport.sessionId ?? ''
    await transport.terminateSession()
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    })
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: -32001 } })
    await client.close()
  })

  it('serves one GET listening stream per session as SSE; a second one is refused (409)', async () => {
    const { url } = await startServer()
    const init = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: JSON.stringify(initializeBody),
    })
    expect(init.status).toBe(200)
    const sessionId = init.headers.get('mcp-session-id') ?? ''
    expect(await init.text()).toMatch(/"protocolVersion":"2025-11-25"/)
    const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' }
    const initialized = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    })
    expect(initialized.status).toBe(202)
    const controller = new AbortController()
    onTestFinished(() => controller.abort())
    const stream = await fetch(`${url}/mcp`, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    })
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/)
    const second = await fetch(`${url}/mcp`, {
      headers: { accept: 'text/event-stream', ...headers },
    })
    expect(second.status).toBe(409)
  })

  it('negotiates down to an older supported protocol version', async () => {
    const { url } = await startServer()
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: JSON.stringify({
        ...initializeBody,
        params: { ...initializeBody.params, protocolVersion: '2025-06-18' },
      }),
    })
    expect(await response.text()).toMatch(/"protocolVersion":"2025-06-18"/)
    const unknown = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: JSON.stringify({
        ...initializeBody,
        params: { ...initializeBody.params, protocolVersion: '1999-01-01' },
      }),
    })
    expect(await unknown.text()).toMatch(/"protocolVersion":"2025-11-25"/)
  })
})

describe('providers behind the tools', () => {
  it('infers the workout intensity from the synthetic athlete, on by default', async () => {
    const { url } = await startServer()
    const { client } = await connect(url)
    const result = await client.callTool({
      name: 'get_nutrient_timing',
      arguments: {
        weight_kg: 70,
        daily_protein_g: 140,
        activity_provider: 'synthetic',
        days_back: 14,
      },
    })
    expect(result.isError).toBe(false)
    const content = result.structuredContent as {
      intensity_source: string
      workout_intensity: string
      inference: { provider: string; days_back: number; activities_considered: number }
    }
    expect(content.intensity_source).toBe('inferred')
    expect(['low', 'moderate', 'high']).toContain(content.workout_intensity)
    expect(content.inference).toMatchObject({ provider: 'synthetic', days_back: 14 })
    expect(content.inference.activities_considered).toBeGreaterThan(0)
  })

  it('answers unknown_provider when the synthetic athlete is switched off', async () => {
    const { url } = await startServer({ PIERRE_SYNTHETIC_PROVIDER: 'false' })
    const { client } = await connect(url)
    const result = await client.request(
      {
        method: 'tools/call',
        params: {
          name: 'get_nutrient_timing',
          arguments: { weight_kg: 70, daily_protein_g: 140, activity_provider: 'synthetic' },
        },
      },
      CallToolResultSchema,
    )
    expect(result.isError).toBe(true)
    expect(result.structuredContent).toMatchObject({
      error: {
        code: 'unknown_provider',
        details: { supported: ['files', 'strava', 'fitbit', 'whoop', 'garmin', 'coros'] },
      },
    })
  })
})

describe('/mcp transport rules', () => {
  it('refuses a non-initialize request without a session (400)', async () => {
    const { url } = await startServer()
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(response.status).toBe(400)
  })

  it('answers malformed JSON with −32700', async () => {
    const { url } = await startServer()
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: '{"jsonrpc":',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: -32700 }, id: null })
  })

  it('rejects a body over the limit with 413', async () => {
    const { url } = await startServer({ PIERRE_MCP_MAX_BODY_BYTES: '2048' })
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: JSON.stringify({ ...initializeBody, padding: 'x'.repeat(4096) }),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } })
  })

  it('rejects batches on a 2025-11-25 session', async () => {
    const { url } = await startServer()
    const { transport } = await connect(url)
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        ...mcpHeaders,
        'mcp-session-id': transport.sessionId ?? '',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify([{ jsonrpc: '2.0', id: 5, method: 'ping' }]),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: -32600 } })
  })

  it('rejects a foreign Origin with 403 and a JSON-RPC error without id', async () => {
    const { url } = await startServer()
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, origin: 'https://evil.example' },
      body: JSON.stringify(initializeBody),
    })
    expect(response.status).toBe(403)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } })
    expect('id' in body).toBe(false)
  })

  it('accepts loopback and allow-listed origins with CORS headers', async () => {
    const { url } = await startServer({ PIERRE_ALLOWED_ORIGINS: 'https://inspector.example' })
    for (const origin of ['http://localhost:6274', 'https://inspector.example']) {
      const response = await fetch(`${url}/mcp`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      })
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
      expect(response.headers.get('access-control-expose-headers')).toMatch(/Mcp-Session-Id/)
    }
  })

  it('rejects a non-loopback Host header (DNS rebinding)', async () => {
    const { url } = await startServer()
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/health`, { headers: { host: 'evil.example:8081' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(403)
  })
})
