import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { startFakeStrava } from '@pierre/providers-strava/testing'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createPierre, LOCAL_OWNER_ID, loadConfig } from '../../src/index.js'
import { fastTenancy, memoryLogger, provisionUser, startServer, tempDir } from '../helpers.js'

const CLIENT_ID = '98765'
const CLIENT_SECRET = 'fake-strava-secret'

async function fakeStrava() {
  const strava = await startFakeStrava({
    activityCount: 20,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  })
  onTestFinished(() => strava.close())
  return strava
}

function stravaEnvironment(strava: { apiBaseUrl: string; oauthBaseUrl: string }) {
  return {
    PIERRE_STRAVA_CLIENT_ID: CLIENT_ID,
    PIERRE_STRAVA_CLIENT_SECRET: CLIENT_SECRET,
    PIERRE_STRAVA_API_BASE_URL: strava.apiBaseUrl,
    PIERRE_STRAVA_OAUTH_BASE_URL: strava.oauthBaseUrl,
  }
}

async function startWithStrava() {
  const strava = await fakeStrava()
  const server = await startServer({ PIERRE_AUTH: 'required', ...stravaEnvironment(strava) })
  const user = await provisionUser(server.pierre, { email: 'ann@acme.test' })
  return { strava, ...server, ...user }
}

function authorization(key: string | undefined): Record<string, string> {
  return key === undefined ? {} : { authorization: `Bearer ${key}` }
}

function connectRequest(url: string, key: string | undefined, provider = 'strava') {
  return fetch(`${url}/api/providers/${provider}/connect`, {
    method: 'POST',
    headers: authorization(key),
  })
}

/** Starts a connection and follows the authorization URL on the fake (it approves at once). */
async function consent(url: string, key: string | undefined): Promise<URL> {
  const response = await connectRequest(url, key)
  expect(response.status).toBe(200)
  const body = (await response.json()) as { authorizationUrl: string; expiresAt: string }
  expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000)
  const authorizationUrl = new URL(body.authorizationUrl)
  expect(authorizationUrl.searchParams.get('client_id')).toBe(CLIENT_ID)
  expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(`${url}/api/oauth/callback/strava`)
  const approved = await fetch(authorizationUrl, { redirect: 'manual' })
  expect(approved.status).toBe(302)
  const location = new URL(approved.headers.get('location') as string)
  expect(location.searchParams.get('code')).toBeTruthy()
  return location
}

interface ProviderStatus {
  provider: string
  displayName: string
  capabilities: string[]
  auth: string
  configured: boolean
  appSource: string | null
  connected: boolean
  status: string
  needsReauth: boolean
  connectedAt: string | null
  expiresAt: string | null
  scopes: string[]
  lastSyncAt: string | null
}

async function statuses(url: string, key?: string, path = '/api/providers') {
  const response = await fetch(`${url}${path}`, { headers: authorization(key) })
  expect(response.status).toBe(200)
  return (await response.json()) as ProviderStatus[]
}

const stravaOf = (list: ProviderStatus[]) => list.find((status) => status.provider === 'strava')

async function errorOf(response: Response) {
  return (
    (await response.json()) as {
      error: { code: string; message: string; requestId: string; details?: unknown }
    }
  ).error
}

afterEach(() => {
  vi.useRealTimers()
})

describe('connecting Strava', () => {
  it('connects, stores the tokens encrypted and lets get_nutrient_timing read Strava', async () => {
    // The fake's activities are recorded ones: put the clock a day after the newest.
    const probe = await startFakeStrava({ activityCount: 1 })
    const newest = Date.parse(String(probe.activities[0]?.start_date))
    await probe.close()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(newest + 86_400_000)

    const { url, key, userId, pierre, strava } = await startWithStrava()
    const before = stravaOf(await statuses(url, key))
    expect(before).toMatchObject({
      connected: false,
      status: 'disconnected',
      configured: true,
      appSource: 'server',
      connectedAt: null,
      scopes: [],
    })
    const callback = await consent(url, key)
    expect(callback.pathname).toBe('/api/oauth/callback/strava')
    const done = await fetch(callback)
    expect(done.status).toBe(200)
    expect(done.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await done.text()).toContain('Strava connected, you can close this tab')

    const context = await pierre.tenancy.authenticator.contextFor({
      tenantId: pierre.defaultTenant.id,
      userId,
      credential: { kind: 'cli' },
      requestId: 'test',
      transport: 'http',
    })
    if (!context.ok) throw context.error
    const tokens = await pierre.tenancy.providerTokens.get(context.context, 'strava')
    expect(tokens?.accessToken).toBeTruthy()
    expect(tokens?.providerUserId).toBe(strava.athleteId)
    const rows = pierre.db.prepare('SELECT * FROM provider_tokens').all()
    expect(rows).toHaveLength(1)
    const raw = JSON.stringify(rows)
    expect(raw).not.toContain(tokens?.accessToken as string)
    expect(raw).not.toContain(tokens?.refreshToken as string)

    const client = new Client({ name: 'strava-connect-test', version: '1.0.0' })
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    )
    onTestFinished(() => client.close())
    const result = await client.callTool({
      name: 'get_nutrient_timing',
      arguments: { weight_kg: 70, daily_protein_g: 140, activity_provider: 'strava' },
    })
    expect(result.isError).toBe(false)
    const output = result.structuredContent as {
      intensity_source: string
      inference: { provider: string; activities_considered: number }
    }
    expect(output.intensity_source).toBe('inferred')
    expect(output.inference.provider).toBe('strava')
    expect(output.inference.activities_considered).toBeGreaterThan(0)
    expect(strava.requestsTo('GET /api/v3/athlete/activities').length).toBeGreaterThan(0)
  })

  it('lists every provider with the connection state, then disconnects with revocation', async () => {
    const { url, key, pierre, strava } = await startWithStrava()
    await fetch(await consent(url, key))

    const listed = await statuses(url, key)
    expect(listed.map((status) => status.provider)).toEqual([
      'synthetic',
      'files',
      'strava',
      'fitbit',
      'whoop',
      'garmin',
      'coros',
    ])
    expect(listed[0]).toMatchObject({
      provider: 'synthetic',
      auth: 'none',
      connected: true,
      appSource: null,
    })
    expect(listed[0]?.capabilities).toEqual(expect.arrayContaining(['sleep', 'activities']))
    expect(listed[1]).toMatchObject({ provider: 'files', connected: true, lastSyncAt: null })
    const connected = stravaOf(listed)
    expect(connected).toMatchObject({
      displayName: 'Strava',
      auth: 'oauth2',
      connected: true,
      status: 'connected',
      needsReauth: false,
      appSource: 'server',
    })
    expect(connected?.scopes).toEqual(expect.arrayContaining(['activity:read_all']))
    expect(connected?.connectedAt).toMatch(/^\d{4}-/)
    expect(connected?.expiresAt).toMatch(/^\d{4}-/)
    expect(JSON.stringify(listed)).not.toMatch(/token/i)
    // The REF path answers the same.
    expect(await statuses(url, key, '/api/oauth/status')).toEqual(listed)

    const removed = await fetch(`${url}/api/providers/strava`, {
      method: 'DELETE',
      headers: authorization(key),
    })
    expect(removed.status).toBe(200)
    expect(await removed.json()).toEqual({
      provider: 'strava',
      disconnected: true,
      revoked: true,
      recordsDeleted: 0,
    })
    expect(strava.requestsTo('POST /oauth/deauthorize')).toHaveLength(1)
    expect(pierre.db.prepare('SELECT * FROM provider_tokens').all()).toHaveLength(0)
    expect(stravaOf(await statuses(url, key))).toMatchObject({
      connected: false,
      status: 'disconnected',
    })

    const again = await fetch(`${url}/api/providers/strava`, {
      method: 'DELETE',
      headers: authorization(key),
    })
    expect(again.status).toBe(404)
    const error = await errorOf(again)
    expect(error).toMatchObject({ code: 'provider_not_connected', details: { provider: 'strava' } })
    expect(error.requestId).toBe(again.headers.get('x-request-id'))

    const local = await fetch(`${url}/api/providers/synthetic`, {
      method: 'DELETE',
      headers: authorization(key),
    })
    expect(local.status).toBe(400)
    expect((await errorOf(local)).code).toBe('invalid_argument')
    const unknown = await fetch(`${url}/api/providers/polar`, {
      method: 'DELETE',
      headers: authorization(key),
    })
    expect(unknown.status).toBe(404)
    expect(await errorOf(unknown)).toMatchObject({
      code: 'unknown_provider',
      details: {
        supported: ['synthetic', 'files', 'strava', 'fitbit', 'whoop', 'garmin', 'coros'],
      },
    })
    expect((await fetch(`${url}/api/providers`)).status).toBe(401)
    expect((await fetch(`${url}/api/providers/strava`, { method: 'DELETE' })).status).toBe(401)
  })

  it('keeps /api/providers/:provider/callback as an alias of the REF callback path', async () => {
    const { url, key, pierre } = await startWithStrava()
    const callback = await consent(url, key)
    const alias = new URL(`${url}/api/providers/strava/callback${callback.search}`)
    const done = await fetch(alias)
    expect(done.status).toBe(200)
    expect(pierre.db.prepare('SELECT * FROM provider_tokens').all()).toHaveLength(1)
    // The state was used once.
    const replay = await fetch(callback)
    expect(replay.status).toBe(400)
    expect((await errorOf(replay)).code).toBe('invalid_state')
  })

  it('refuses a tampered state and stores nothing; a browser gets an HTML page', async () => {
    const { url, key, pierre } = await startWithStrava()
    const callback = await consent(url, key)
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`)
    const response = await fetch(callback)
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_state')
    expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/)
    expect(JSON.stringify(body)).not.toContain(callback.searchParams.get('code') as string)
    const browser = await fetch(callback, { headers: { accept: 'text/html,*/*;q=0.8' } })
    expect(browser.status).toBe(400)
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/)
    const text = await browser.text()
    expect(text).toContain('Strava was not connected')
    expect(text).not.toContain(callback.searchParams.get('code') as string)
    expect(pierre.db.prepare('SELECT * FROM provider_tokens').all()).toHaveLength(0)
  })

  it('answers access_denied when the athlete refuses', async () => {
    const { url, key } = await startWithStrava()
    const callback = await consent(url, key)
    const denied = new URL(`${url}/api/oauth/callback/strava`)
    denied.searchParams.set('state', callback.searchParams.get('state') as string)
    denied.searchParams.set('error', 'access_denied')
    const response = await fetch(denied)
    expect(response.status).toBe(403)
    expect((await errorOf(response)).code).toBe('access_denied')
  })

  it('requires a credential to connect and rejects an unknown provider', async () => {
    const { url, key } = await startWithStrava()
    expect((await connectRequest(url, undefined)).status).toBe(401)
    const unknown = await connectRequest(url, key, 'polar')
    expect(unknown.status).toBe(404)
    expect((await errorOf(unknown)).code).toBe('unknown_provider')
    const local = await connectRequest(url, key, 'files')
    expect(local.status).toBe(400)
    expect(await errorOf(local)).toMatchObject({
      code: 'invalid_argument',
      message: 'files needs no connection',
    })
  })

  it('answers not_configured without Strava credentials', async () => {
    const { url } = await startServer()
    const response = await connectRequest(url, undefined)
    expect(response.status).toBe(503)
    const error = await errorOf(response)
    expect(error.code).toBe('not_configured')
    expect(error.message).toContain('PIERRE_STRAVA_CLIENT_ID')
    expect(stravaOf(await statuses(url))).toMatchObject({
      configured: false,
      appSource: null,
      connected: false,
    })
    const callback = await fetch(`${url}/api/oauth/callback/strava?code=x&state=y`)
    expect(callback.status).toBe(400)
    expect((await errorOf(callback)).code).toBe('invalid_state')
  })
})

describe('connecting Strava in local single-user mode', () => {
  it('stores the local owner’s tokens encrypted and reads Strava through the tools', async () => {
    const probe = await startFakeStrava({ activityCount: 1 })
    const newest = Date.parse(String(probe.activities[0]?.start_date))
    await probe.close()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(newest + 86_400_000)

    const strava = await fakeStrava()
    const { url, pierre } = await startServer(stravaEnvironment(strava))
    expect(await pierre.localMode()).toBe(true)
    const done = await fetch(await consent(url, undefined))
    expect(done.status).toBe(200)

    const rows = pierre.db.prepare('SELECT * FROM local_provider_tokens').all() as Record<
      string,
      unknown
    >[]
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      tenant_id: pierre.defaultTenant.id,
      user_id: LOCAL_OWNER_ID,
      provider: 'strava',
      status: 'connected',
      provider_user_id: strava.athleteId,
    })
    expect(String(rows[0]?.access_token_enc)).toMatch(/^pe1\./)
    expect(stravaOf(await statuses(url))).toMatchObject({ connected: true, appSource: 'server' })

    const client = new Client({ name: 'local-strava', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)))
    onTestFinished(() => client.close())
    const result = await client.callTool({
      name: 'get_nutrient_timing',
      arguments: { weight_kg: 70, daily_protein_g: 140, activity_provider: 'strava' },
    })
    expect(result.isError).toBe(false)
    expect(result.structuredContent).toMatchObject({
      intensity_source: 'inferred',
      inference: { provider: 'strava' },
    })
    // The token the tools used is the one stored for the local owner.
    const used = strava.requestsTo('GET /api/v3/athlete/activities')[0]
    expect(used?.bearerToken).toBeTruthy()
    expect(JSON.stringify(rows)).not.toContain(used?.bearerToken as string)

    const removed = await fetch(`${url}/api/providers/strava`, { method: 'DELETE' })
    expect(await removed.json()).toMatchObject({ disconnected: true, revoked: true })
    expect(pierre.db.prepare('SELECT * FROM local_provider_tokens').all()).toHaveLength(0)
  })
})

describe('pending authorizations', () => {
  it('survive a restart of the server, and are single use', async () => {
    const strava = await fakeStrava()
    const dataDir = tempDir()
    const config = loadConfig(
      { PIERRE_DATA_DIR: dataDir, ...stravaEnvironment(strava) },
      { port: 0, host: '127.0.0.1' },
    )
    const first = await createPierre(config, {
      logger: memoryLogger().logger,
      tenancy: fastTenancy,
    })
    const firstUrl = (await first.listen()).url
    const callback = await consent(firstUrl, undefined)
    await first.close(1000)

    const second = await createPierre(config, {
      logger: memoryLogger().logger,
      tenancy: fastTenancy,
    })
    onTestFinished(() => second.close(1000))
    const { url } = await second.listen()
    const states = second.db.prepare('SELECT * FROM provider_oauth_states').all() as Record<
      string,
      unknown
    >[]
    expect(states).toHaveLength(1)
    const state = callback.searchParams.get('state') as string
    expect(JSON.stringify(states)).not.toContain(state)
    const moved = new URL(`${url}${callback.pathname}${callback.search}`)
    expect((await fetch(moved)).status).toBe(200)
    expect(second.db.prepare('SELECT * FROM provider_oauth_states').all()).toHaveLength(0)
    expect(second.db.prepare('SELECT * FROM local_provider_tokens').all()).toHaveLength(1)
    expect((await fetch(moved)).status).toBe(400)
  })

  it('expire after ten minutes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const strava = await fakeStrava()
    const { url, pierre } = await startServer(stravaEnvironment(strava))
    const callback = await consent(url, undefined)
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1000)
    const late = await fetch(callback)
    expect(late.status).toBe(400)
    expect((await errorOf(late)).code).toBe('invalid_state')
    expect(pierre.db.prepare('SELECT * FROM local_provider_tokens').all()).toHaveLength(0)
  })
})
