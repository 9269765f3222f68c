import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { isProviderError } from '@pierre/providers-core'
import { startFakeCoros } from '@pierre/providers-coros/testing'
import { startFakeGoogleHealth } from '@pierre/providers-fitbit/testing'
import { startFakeGarmin } from '@pierre/providers-garmin/testing'
import { startFakeWhoop } from '@pierre/providers-whoop/testing'
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { ConfigError, loadConfig, type Pierre } from '../../src/index.js'
import { provisionUser, startServer } from '../helpers.js'

// Every fixture of the four fakes is about the week ending on 14 March 2025: the clock is put the
// next day, so Garmin's 30-day backfill, COROS's 3-month window and get_nutrient_timing's last 7
// days all cover them.
const NOW = Date.parse('2025-03-15T12:00:00Z')

const APPS = {
  fitbit: { id: 'google-client-17.apps.example', secret: 'google-secret-not-logged' },
  whoop: { id: 'whoop-client-23', secret: 'whoop-secret-not-logged' },
  garmin: { id: 'garmin-consumer-31', secret: 'garmin-secret-not-logged' },
  coros: { id: 'coros-client-47', secret: 'coros-secret-not-logged' },
} as const

type OAuthName = keyof typeof APPS

async function startFakes() {
  const [google, whoop, garmin, coros] = await Promise.all([
    startFakeGoogleHealth({ clientId: APPS.fitbit.id, clientSecret: APPS.fitbit.secret }),
    startFakeWhoop({ clientId: APPS.whoop.id, clientSecret: APPS.whoop.secret }),
    startFakeGarmin({ clientId: APPS.garmin.id, clientSecret: APPS.garmin.secret }),
    startFakeCoros({ clientId: APPS.coros.id, clientSecret: APPS.coros.secret }),
  ])
  onTestFinished(async () => {
    // Deliveries the fake Garmin started itself (backfill, deregistration) end first.
    await garmin.settled()
    await Promise.all([google.close(), whoop.close(), garmin.close(), coros.close()])
  })
  const environment: Record<string, string> = {
    PIERRE_FITBIT_CLIENT_ID: APPS.fitbit.id,
    PIERRE_FITBIT_CLIENT_SECRET: APPS.fitbit.secret,
    PIERRE_FITBIT_AUTH_URL: `${google.oauthBaseUrl}/o/oauth2/v2/auth`,
    PIERRE_FITBIT_TOKEN_URL: `${google.oauthBaseUrl}/token`,
    PIERRE_FITBIT_REVOKE_URL: `${google.oauthBaseUrl}/revoke`,
    PIERRE_FITBIT_API_BASE_URL: google.apiBaseUrl,
    PIERRE_WHOOP_CLIENT_ID: APPS.whoop.id,
    PIERRE_WHOOP_CLIENT_SECRET: APPS.whoop.secret,
    PIERRE_WHOOP_AUTH_URL: `${whoop.oauthBaseUrl}/auth`,
    PIERRE_WHOOP_TOKEN_URL: `${whoop.oauthBaseUrl}/token`,
    PIERRE_WHOOP_API_BASE_URL: whoop.apiBaseUrl,
    PIERRE_GARMIN_CLIENT_ID: APPS.garmin.id,
    PIERRE_GARMIN_CLIENT_SECRET: APPS.garmin.secret,
    PIERRE_GARMIN_AUTH_URL: garmin.oauthEndpoints.authorizationEndpoint,
    PIERRE_GARMIN_TOKEN_URL: garmin.oauthEndpoints.tokenEndpoint,
    PIERRE_GARMIN_API_BASE_URL: garmin.apiBaseUrl,
    PIERRE_COROS_CLIENT_ID: APPS.coros.id,
    PIERRE_COROS_CLIENT_SECRET: APPS.coros.secret,
    PIERRE_COROS_API_BASE_URL: coros.url,
  }
  // Where each fake serves its consent page.
  const consentOrigin: Record<OAuthName, string> = {
    fitbit: google.url,
    whoop: whoop.url,
    garmin: garmin.url,
    coros: coros.url,
  }
  return { google, whoop, garmin, coros, environment, consentOrigin }
}

/** The four fakes, a server pointed at them, and a user with an API key. */
async function startWithProviders(environment: Record<string, string> = {}) {
  const fakes = await startFakes()
  const server = await startServer({
    PIERRE_AUTH: 'required',
    ...fakes.environment,
    ...environment,
  })
  const user = await provisionUser(server.pierre, { email: 'camille@acme.test' })
  const owner = { tenantId: server.pierre.defaultTenant.id, userId: user.userId }
  return { ...fakes, ...server, ...user, owner }
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

interface ProviderStatus {
  provider: string
  displayName: string
  capabilities: string[]
  auth: string
  configured: boolean
  appSource: string | null
  connected: boolean
  status: string
  statusReason: string | null
  needsReauth: boolean
  connectedAt: string | null
  expiresAt: string | null
  scopes: string[]
}

async function statusOf(url: string, key: string, provider: string): Promise<ProviderStatus> {
  const response = await fetch(`${url}/api/providers`, { headers: bearer(key) })
  expect(response.status).toBe(200)
  const found = ((await response.json()) as ProviderStatus[]).find(
    (entry) => entry.provider === provider,
  )
  if (found === undefined) throw new Error(`${provider} is not listed`)
  return found
}

async function errorOf(response: Response) {
  return (
    (await response.json()) as { error: { code: string; message: string; details?: unknown } }
  ).error
}

/**
 * Connects the user to a provider the way a browser does: the server's authorization URL on the
 * fake (which approves at once), the fake's redirect to the server's callback, the callback page.
 */
async function connect(
  setup: { url: string; key: string; consentOrigin: Record<OAuthName, string> },
  provider: OAuthName,
): Promise<void> {
  const { url, key } = setup
  const started = await fetch(`${url}/api/providers/${provider}/connect`, {
    method: 'POST',
    headers: bearer(key),
  })
  expect(started.status).toBe(200)
  const body = (await started.json()) as { authorizationUrl: string; expiresAt: string }
  expect(Date.parse(body.expiresAt)).toBeGreaterThan(NOW)
  const authorizationUrl = new URL(body.authorizationUrl)
  expect(authorizationUrl.origin).toBe(setup.consentOrigin[provider])
  expect(authorizationUrl.searchParams.get('client_id')).toBe(APPS[provider].id)
  expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(
    `${url}/api/oauth/callback/${provider}`,
  )
  expect(authorizationUrl.searchParams.get('state')).toBeTruthy()

  const approved = await fetch(authorizationUrl, { redirect: 'manual' })
  expect(approved.status).toBe(302)
  const callback = new URL(approved.headers.get('location') as string)
  expect(`${callback.origin}${callback.pathname}`).toBe(`${url}/api/oauth/callback/${provider}`)
  expect(callback.searchParams.get('code')).toBeTruthy()

  const done = await fetch(callback, { headers: { accept: 'text/html' } })
  expect(done.status).toBe(200)
  expect(done.headers.get('content-type')).toMatch(/^text\/html/)
  expect(await done.text()).toContain('connected, you can close this tab')
}

async function mcpClient(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'provider-connections-test', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: bearer(key) },
    }),
  )
  onTestFinished(() => client.close())
  return client
}

function nutrientTiming(client: Client, provider: string) {
  return client.callTool({
    name: 'get_nutrient_timing',
    arguments: { weight_kg: 62, daily_protein_g: 120, activity_provider: provider },
  })
}

/** Rows stored for pushed data of one provider, every user included. */
function storedRows(pierre: Pierre, provider: string, kind?: string): number {
  const row = (
    kind === undefined
      ? pierre.db
          .prepare('SELECT COUNT(*) AS n FROM provider_records WHERE provider = ?')
          .get(provider)
      : pierre.db
          .prepare('SELECT COUNT(*) AS n FROM provider_records WHERE provider = ? AND kind = ?')
          .get(provider, kind)
  ) as { n: number }
  return row.n
}

/** Waits for the Garmin deliveries in flight: the fake's sending, then the server's ingestion. */
async function settleGarmin(setup: {
  garmin: { settled(): Promise<void> }
  pierre: Pierre
}): Promise<void> {
  // The backfill requests run after the callback answered; their deliveries follow them.
  await setup.pierre.providers.webhooks.drain()
  await setup.garmin.settled()
  await setup.pierre.providers.webhooks.drain()
}

const march14 = { start: '2025-03-14T00:00:00Z', end: '2025-03-15T00:00:00Z' }

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
})

afterEach(() => {
  vi.useRealTimers()
})

describe('connecting the OAuth providers through the server', () => {
  it.for([
    {
      provider: 'fitbit' as const,
      displayName: 'Fitbit',
      has: ['activities', 'sleep', 'athlete'],
      lacks: ['health', 'daily'],
    },
    {
      provider: 'whoop' as const,
      displayName: 'WHOOP',
      has: ['activities', 'recovery', 'athlete'],
      lacks: ['streams'],
    },
    {
      provider: 'coros' as const,
      displayName: 'COROS',
      has: ['athlete', 'activities', 'sleep'],
      lacks: ['streams', 'health'],
    },
  ])(
    '$provider: listed, connected through consent, then read',
    async ({ provider, has, lacks }) => {
      const setup = await startWithProviders()
      const { url, key, pierre, owner } = setup
      const before = await statusOf(url, key, provider)
      expect(before).toMatchObject({
        auth: 'oauth2',
        configured: true,
        appSource: 'server',
        connected: false,
        status: 'disconnected',
        needsReauth: false,
        connectedAt: null,
      })
      expect(before.capabilities).toEqual(expect.arrayContaining(has))
      for (const capability of lacks) expect(before.capabilities).not.toContain(capability)

      await connect(setup, provider)
      const after = await statusOf(url, key, provider)
      expect(after).toMatchObject({ connected: true, status: 'connected', needsReauth: false })
      expect(after.connectedAt).toBe(new Date(NOW).toISOString())

      const read = pierre.providers.registry.create(provider, owner)
      if (provider === 'fitbit') {
        // The walk of the 14th in the evening, then the morning run.
        const [walk, run] = await read.getActivities({ limit: 2 })
        expect(walk).toMatchObject({ id: '41262215510', sport_type: 'walk' })
        expect(run).toMatchObject({
          id: '41250987766',
          provider: 'fitbit',
          sport_type: 'run',
          start_date: '2025-03-14T11:02:13Z',
          start_date_local: '2025-03-14T07:02:13',
          duration_seconds: 2745,
          distance_meters: 8012,
          average_heart_rate: 151,
          calories: 482,
        })
        const nights = await read.getSleepSessions(march14)
        expect(nights).toHaveLength(1)
        expect(nights[0]).toMatchObject({
          start_time: '2025-03-14T02:51:00Z',
          end_time: '2025-03-14T10:21:30Z',
          time_in_bed: 450,
          total_sleep_time: 421,
          is_nap: false,
        })
        expect(
          setup.google.requestsTo('GET /v4/users/me/dataTypes/exercise/dataPoints').length,
        ).toBeGreaterThan(0)
      } else if (provider === 'whoop') {
        const [run] = await read.getActivities({ limit: 1 })
        expect(run).toMatchObject({
          id: '287513a9-8519-4036-99c9-a08094ede83a',
          provider: 'whoop',
          sport_type: 'run',
          start_date: '2025-03-14T11:02:13.210Z',
          duration_seconds: 2745,
          distance_meters: 8012.4,
          average_heart_rate: 151,
          // 1990.4 kJ of energy expended, in kcal.
          calories: 476,
        })
        const nights = await read.getSleepSessions(march14)
        expect(nights.map((night) => night.id)).toEqual(['b4b36354-2e36-401a-938d-20b8a8c58424'])
        expect(nights[0]).toMatchObject({
          time_in_bed: 450,
          total_sleep_time: 423,
          sleep_score: 86,
        })
      } else {
        const [run] = await read.getActivities({ limit: 1 })
        expect(run).toMatchObject({
          id: '426887715123987459',
          provider: 'coros',
          sport_type: 'run',
          start_date: '2025-03-14T11:02:13Z',
          start_date_local: '2025-03-14T07:02:13',
          duration_seconds: 2745,
          moving_time_seconds: 2688,
          distance_meters: 8012.4,
          calories: 475,
        })
        const nights = await read.getSleepSessions(march14)
        expect(nights[0]).toMatchObject({
          start_time: '2025-03-14T02:51:00Z',
          end_time: '2025-03-14T09:37:30Z',
        })
        // The data calls carry the openId the token answer named.
        const call = setup.coros.requestsTo('GET /coros/open/sport/data')[0]
        expect(call?.query.get('openId')).toBe(setup.coros.openId)
      }

      const client = await mcpClient(url, key)
      const result = await nutrientTiming(client, provider)
      expect(result.isError).toBe(false)
      const output = result.structuredContent as {
        intensity_source: string
        inference: { provider: string; activities_considered: number }
      }
      expect(output.intensity_source).toBe('inferred')
      expect(output.inference.provider).toBe(provider)
      expect(output.inference.activities_considered).toBeGreaterThan(0)
    },
  )

  it('garmin: connects, learns the user and permissions, and the backfill pushed to the server is read back', async () => {
    const setup = await startWithProviders()
    const { url, key, pierre, owner, garmin } = setup
    garmin.setReceiver(`${url}/webhooks/garmin`)
    const before = await statusOf(url, key, 'garmin')
    expect(before).toMatchObject({ auth: 'oauth2', configured: true, status: 'disconnected' })
    expect(before.capabilities).toEqual(expect.arrayContaining(['sleep', 'hrv', 'pushOnly']))
    expect(before.capabilities).not.toContain('athlete')

    await connect(setup, 'garmin')
    expect(garmin.requestsTo('GET /wellness-api/rest/user/id')).toHaveLength(1)
    expect(garmin.requestsTo('GET /wellness-api/rest/user/permissions')).toHaveLength(1)
    // The backfill is asked for in the background, after the callback page: its six requests,
    // spaced 500 ms apart, cannot all have been made when the page answered.
    const backfillRequests = () =>
      garmin.upstream.requests.filter((request) =>
        request.path.startsWith('/wellness-api/rest/backfill/'),
      ).length
    expect(backfillRequests()).toBeLessThan(6)
    await pierre.providers.webhooks.drain()
    expect(backfillRequests()).toBeGreaterThanOrEqual(6)
    const backfills = garmin.upstream.requests
      .filter((request) => request.path.startsWith('/wellness-api/rest/backfill/'))
      .map((request) => request.path.slice('/wellness-api/rest/backfill/'.length))
    expect(backfills).toEqual(expect.arrayContaining(['activities', 'sleeps']))
    const stored = await pierre.providers.tokenStore.get({ ...owner, provider: 'garmin' })
    expect(stored?.providerUserId).toBe(garmin.userId)
    expect(await statusOf(url, key, 'garmin')).toMatchObject({
      connected: true,
      status: 'connected',
      connectedAt: new Date(NOW).toISOString(),
    })

    await settleGarmin(setup)
    expect(storedRows(pierre, 'garmin', 'activity')).toBe(garmin.summaries.activities.length)
    const read = pierre.providers.registry.create('garmin', owner)
    const [run] = await read.getActivities({ limit: 1 })
    expect(run).toMatchObject({
      id: '17882214507',
      provider: 'garmin',
      sport_type: 'run',
      start_date: '2025-03-14T11:02:13Z',
      start_date_local: '2025-03-14T07:02:13',
      duration_seconds: 2745,
      distance_meters: 8012.4,
      // Garmin sends active energy only.
      calories: 475,
    })
    const nights = await read.getSleepSessions(march14)
    expect(nights).toHaveLength(1)
    expect(nights[0]).toMatchObject({ total_sleep_time: 388, time_in_bed: 407, sleep_score: 82 })

    // The tools read the pushed activities too (an `after`-only range on the SQLite store).
    const client = await mcpClient(url, key)
    const result = await nutrientTiming(client, 'garmin')
    expect(result.isError).toBe(false)
    expect(result.structuredContent).toMatchObject({
      intensity_source: 'inferred',
      inference: { provider: 'garmin' },
    })
    const output = result.structuredContent as { inference: { activities_considered: number } }
    expect(output.inference.activities_considered).toBeGreaterThan(0)
  })

  it('garmin: a connection whose user id cannot be learnt is taken back, and connecting again works', async () => {
    const setup = await startWithProviders()
    const { url, key, garmin, owner } = setup
    garmin.setPermissions(['ACTIVITY_EXPORT', 'HEALTH_EXPORT'])
    garmin.failNext('GET /wellness-api/rest/user/id', 1, 400)
    const started = await fetch(`${url}/api/providers/garmin/connect`, {
      method: 'POST',
      headers: bearer(key),
    })
    const { authorizationUrl } = (await started.json()) as { authorizationUrl: string }
    const approved = await fetch(authorizationUrl, { redirect: 'manual' })
    const failed = await fetch(approved.headers.get('location') as string, {
      headers: { accept: 'text/html' },
    })
    expect(failed.status).toBeGreaterThanOrEqual(400)
    expect(await failed.text()).toContain('was not connected')
    // No half-made connection: no tokens, no account link, status disconnected.
    expect(await setup.pierre.providers.tokenStore.get({ ...owner, provider: 'garmin' })).toBe(
      undefined,
    )
    expect(await statusOf(url, key, 'garmin')).toMatchObject({ status: 'disconnected' })
    await connect(setup, 'garmin')
    expect(await statusOf(url, key, 'garmin')).toMatchObject({ status: 'connected' })
  })

  it('garmin: refuses a forged delivery, ignores unknown users; disconnecting deletes the registration and the data', async () => {
    const setup = await startWithProviders()
    const { url, key, pierre, owner, garmin } = setup
    // Without history, the connection backfills nothing: the data comes from pushes only.
    garmin.setPermissions(['ACTIVITY_EXPORT', 'HEALTH_EXPORT'])
    await connect(setup, 'garmin')
    expect(garmin.upstream.requests.some((request) => request.path.includes('/backfill/'))).toBe(
      false,
    )
    const target = `${url}/webhooks/garmin`
    const [template] = garmin.summaries.activities
    const newActivity = (id: number, userId: string) => ({
      ...template,
      userId,
      activityId: id,
      summaryId: String(id),
    })

    const forged = await garmin.deliver(
      target,
      { activities: [newActivity(9_000_001, garmin.userId)] },
      { headers: { 'garmin-client-id': 'someone-elses-app' } },
    )
    expect(forged.status).toBe(401)
    await settleGarmin(setup)
    expect(storedRows(pierre, 'garmin')).toBe(0)

    const stranger = await garmin.push(target, 'activities', {
      items: [newActivity(9_000_002, 'a-garmin-user-nobody-connected')],
    })
    expect(stranger.status).toBe(200)
    await settleGarmin(setup)
    expect(storedRows(pierre, 'garmin')).toBe(0)

    const own = await garmin.push(target, 'activities', {
      items: [newActivity(9_000_003, garmin.userId)],
    })
    expect(own.status).toBe(200)
    await settleGarmin(setup)
    expect(storedRows(pierre, 'garmin')).toBe(1)
    const [activity] = await pierre.providers.registry
      .create('garmin', owner)
      .getActivities({ limit: 5 })
    expect(activity).toMatchObject({ id: '9000003', distance_meters: 8012.4 })

    // Disconnecting deletes the registration at Garmin and what Garmin pushed; the
    // deregistration notice Garmin sends afterwards finds nobody.
    garmin.setReceiver(target)
    const removed = await fetch(`${url}/api/providers/garmin`, {
      method: 'DELETE',
      headers: bearer(key),
    })
    expect(removed.status).toBe(200)
    expect(await removed.json()).toEqual({
      provider: 'garmin',
      disconnected: true,
      revoked: true,
      recordsDeleted: 1,
    })
    expect(garmin.requestsTo('DELETE /wellness-api/rest/user/registration')).toHaveLength(1)
    await settleGarmin(setup)
    expect(storedRows(pierre, 'garmin')).toBe(0)
    expect(await statusOf(url, key, 'garmin')).toMatchObject({ status: 'disconnected' })
    // A later push for that Garmin user finds nobody.
    expect((await garmin.push(target, 'activities')).status).toBe(200)
    await settleGarmin(setup)
    expect(storedRows(pierre, 'garmin')).toBe(0)

    const again = await fetch(`${url}/api/providers/garmin`, {
      method: 'DELETE',
      headers: bearer(key),
    })
    expect(again.status).toBe(404)
    expect(await errorOf(again)).toMatchObject({ code: 'provider_not_connected' })
  })

  it('coros: a push to /webhooks/coros stores the workout; a wrong secret is refused', async () => {
    const setup = await startWithProviders()
    const { url, key, pierre, coros } = setup
    await connect(setup, 'coros')
    const target = `${url}/webhooks/coros`

    const forged = await coros.push(target, { clientSecret: 'not-the-secret' })
    expect(forged.status).toBe(401)
    expect(storedRows(pierre, 'coros')).toBe(0)

    const pushed = await coros.push(target)
    expect(pushed).toEqual({ status: 200, body: { result: '0000', message: 'OK' } })
    const rows = pierre.db
      .prepare('SELECT kind, id, user_id, payload FROM provider_records WHERE provider = ?')
      .all('coros') as { kind: string; id: string; user_id: string; payload: string }[]
    expect(rows.map(({ kind, id, user_id }) => ({ kind, id, user_id }))).toEqual([
      { kind: 'activity', id: '426887715123987459', user_id: setup.userId },
    ])
    expect(JSON.parse(rows[0]?.payload as string)).toMatchObject({
      sport_type: 'run',
      distance_meters: 8012.4,
      start_date: '2025-03-14T11:02:13Z',
    })
    // The same delivery again changes nothing.
    expect((await coros.push(target)).status).toBe(200)
    expect(storedRows(pierre, 'coros')).toBe(1)

    const removed = await fetch(`${url}/api/providers/coros`, {
      method: 'DELETE',
      headers: bearer(key),
    })
    expect(await removed.json()).toMatchObject({ disconnected: true, recordsDeleted: 1 })
    expect(coros.requestsTo('POST /coros/open/unbind')).toHaveLength(1)
    expect(storedRows(pierre, 'coros')).toBe(0)
  })

  it('a grant revoked upstream needs consent again; the other provider is unaffected', async () => {
    const setup = await startWithProviders()
    const { url, key, pierre, owner, whoop } = setup
    await connect(setup, 'whoop')
    await connect(setup, 'coros')
    const whoopRead = pierre.providers.registry.create('whoop', owner)
    expect(await whoopRead.getActivities({ limit: 1 })).toHaveLength(1)

    const tokens = await pierre.providers.tokenStore.get({ ...owner, provider: 'whoop' })
    expect(tokens?.refreshToken).toBeTruthy()
    whoop.upstream.tokens.expire(tokens?.accessToken as string)
    whoop.upstream.tokens.revokeGrant(tokens?.refreshToken as string)

    const failure = await whoopRead.getActivities({ limit: 1 }).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isProviderError(failure)).toBe(true)
    expect(failure).toMatchObject({ code: 'reauth_required', provider: 'whoop' })
    // The refresh was tried once and refused.
    expect(whoop.requestsTo('POST /oauth/oauth2/token')).toHaveLength(2)

    expect(await statusOf(url, key, 'whoop')).toMatchObject({
      connected: false,
      status: 'needs_reauth',
      needsReauth: true,
      // WHOOP's answer to the refresh.
      statusReason: 'invalid_grant',
    })
    expect(await statusOf(url, key, 'coros')).toMatchObject({
      connected: true,
      status: 'connected',
      needsReauth: false,
    })
    const [run] = await pierre.providers.registry.create('coros', owner).getActivities({ limit: 1 })
    expect(run).toMatchObject({ id: '426887715123987459', distance_meters: 8012.4 })

    const client = await mcpClient(url, key)
    const broken = await nutrientTiming(client, 'whoop')
    expect(broken.isError).toBe(true)
    expect(broken.structuredContent).toMatchObject({
      error: {
        code: 'provider_not_connected',
        details: { provider: 'whoop', provider_error: 'reauth_required' },
      },
    })
    // The session goes on: the healthy provider still answers.
    const healthy = await nutrientTiming(client, 'coros')
    expect(healthy.isError).toBe(false)
    expect(healthy.structuredContent).toMatchObject({ inference: { provider: 'coros' } })
  })

  it('malformed JSON from a provider is a tool error naming the provider and endpoint, and the connection stays', async () => {
    const setup = await startWithProviders()
    const { url, key, whoop } = setup
    await connect(setup, 'whoop')
    whoop.script('GET /developer/v2/activity/workout', [
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"records": [' },
    ])
    const client = await mcpClient(url, key)
    const broken = await nutrientTiming(client, 'whoop')
    expect(broken.isError).toBe(true)
    const error = (
      broken.structuredContent as {
        error: { code: string; message: string; details: Record<string, unknown> }
      }
    ).error
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      details: { provider: 'whoop', provider_error: 'invalid_data' },
    })
    expect(error.message).toContain('/v2/activity/workout')
    // One bad answer does not end the connection; the next call reads again.
    expect(await statusOf(url, key, 'whoop')).toMatchObject({ status: 'connected' })
    const again = await nutrientTiming(client, 'whoop')
    expect(again.isError).toBe(false)
  })

  it('whoop: disconnecting ends the access at WHOOP; a second time is provider_not_connected', async () => {
    const setup = await startWithProviders()
    const { url, key, pierre, whoop } = setup
    await connect(setup, 'whoop')
    const removed = await fetch(`${url}/api/providers/whoop`, {
      method: 'DELETE',
      headers: bearer(key),
    })
    expect(removed.status).toBe(200)
    expect(await removed.json()).toEqual({
      provider: 'whoop',
      disconnected: true,
      revoked: true,
      recordsDeleted: 0,
    })
    const deletions = whoop.requestsTo('DELETE /developer/v2/user/access')
    expect(deletions).toHaveLength(1)
    // The access token WHOOP saw is no longer accepted.
    expect(whoop.upstream.tokens.isValid(deletions[0]?.bearerToken as string)).toBe(false)
    expect(pierre.db.prepare('SELECT * FROM provider_tokens').all()).toHaveLength(0)
    expect(await statusOf(url, key, 'whoop')).toMatchObject({
      connected: false,
      status: 'disconnected',
    })

    const again = await fetch(`${url}/api/providers/whoop`, {
      method: 'DELETE',
      headers: bearer(key),
    })
    expect(again.status).toBe(404)
    expect(await errorOf(again)).toMatchObject({
      code: 'provider_not_connected',
      details: { provider: 'whoop' },
    })
  })
})

describe('a provider without an app', () => {
  it('answers not_configured naming the variable to set', async () => {
    const { url, key } = await startWithProviders({
      PIERRE_WHOOP_CLIENT_ID: '',
      PIERRE_WHOOP_CLIENT_SECRET: '',
    })
    const response = await fetch(`${url}/api/providers/whoop/connect`, {
      method: 'POST',
      headers: bearer(key),
    })
    expect(response.status).toBe(503)
    const error = await errorOf(response)
    expect(error.code).toBe('not_configured')
    expect(error.message).toContain('PIERRE_WHOOP_CLIENT_ID')
    expect(await statusOf(url, key, 'whoop')).toMatchObject({
      configured: false,
      appSource: null,
      status: 'disconnected',
    })
    // The others keep their app.
    expect(await statusOf(url, key, 'coros')).toMatchObject({ configured: true })
  })

  it('refuses a client id without its secret at startup', () => {
    let thrown: unknown
    try {
      loadConfig({ PIERRE_WHOOP_CLIENT_ID: 'whoop-client-23' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ConfigError)
    expect((thrown as ConfigError).problems).toEqual([
      'PIERRE_WHOOP_CLIENT_SECRET: required when PIERRE_WHOOP_CLIENT_ID is set',
    ])
  })
})
