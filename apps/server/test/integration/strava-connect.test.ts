import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { startFakeStrava } from '@pierre/providers-strava/testing'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { provisionUser, startServer } from '../helpers.js'

const CLIENT_ID = '98765'
const CLIENT_SECRET = 'fake-strava-secret'

async function startWithStrava() {
  const strava = await startFakeStrava({
    activityCount: 20,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  })
  onTestFinished(() => strava.close())
  const server = await startServer({
    PIERRE_AUTH: 'required',
    PIERRE_STRAVA_CLIENT_ID: CLIENT_ID,
    PIERRE_STRAVA_CLIENT_SECRET: CLIENT_SECRET,
    PIERRE_STRAVA_API_BASE_URL: strava.apiBaseUrl,
    PIERRE_STRAVA_OAUTH_BASE_URL: strava.oauthBaseUrl,
  })
  const user = await provisionUser(server.pierre, { email: 'ann@acme.test' })
  return { strava, ...server, ...user }
}

function connectRequest(url: string, key: string | undefined, provider = 'strava') {
  return fetch(`${url}/api/providers/${provider}/connect`, {
    method: 'POST',
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  })
}

/** Starts a connection and follows the authorization URL on the fake (it approves at once). */
async function consent(url: string, key: string): Promise<URL> {
  const response = await connectRequest(url, key)
  expect(response.status).toBe(200)
  const body = (await response.json()) as { authorization_url: string }
  const authorization = new URL(body.authorization_url)
  expect(authorization.searchParams.get('client_id')).toBe(CLIENT_ID)
  expect(authorization.searchParams.get('redirect_uri')).toBe(
    `${url}/api/providers/strava/callback`,
  )
  const approved = await fetch(authorization, { redirect: 'manual' })
  expect(approved.status).toBe(302)
  const location = new URL(approved.headers.get('location') as string)
  expect(location.searchParams.get('code')).toBeTruthy()
  return location
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
    const callback = await consent(url, key)
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

  it('refuses a tampered state and stores nothing', async () => {
    const { url, key, pierre } = await startWithStrava()
    const callback = await consent(url, key)
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`)
    const response = await fetch(callback)
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_state')
    expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/)
    expect(pierre.db.prepare('SELECT * FROM provider_tokens').all()).toHaveLength(0)
  })

  it('answers access_denied when the athlete refuses', async () => {
    const { url, key } = await startWithStrava()
    const callback = await consent(url, key)
    const denied = new URL(`${url}/api/providers/strava/callback`)
    denied.searchParams.set('state', callback.searchParams.get('state') as string)
    denied.searchParams.set('error', 'access_denied')
    const response = await fetch(denied)
    expect(response.status).toBe(403)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'access_denied',
    )
  })

  it('requires a credential to connect and rejects an unknown provider', async () => {
    const { url, key } = await startWithStrava()
    expect((await connectRequest(url, undefined)).status).toBe(401)
    const unknown = await connectRequest(url, key, 'polar')
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      'unknown_provider',
    )
  })

  it('answers not_configured without Strava credentials', async () => {
    const { url } = await startServer()
    const response = await connectRequest(url, undefined)
    expect(response.status).toBe(503)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('not_configured')
    expect(body.error.message).toContain('PIERRE_STRAVA_CLIENT_ID')
    const callback = await fetch(`${url}/api/providers/strava/callback?code=x&state=y`)
    expect(callback.status).toBe(503)
  })
})
