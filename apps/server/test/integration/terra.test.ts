import { signTerraPayload, toTerraReferenceId } from '@pierre/providers-terra'
import { type FakeTerra, startFakeTerra } from '@pierre/providers-terra/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { Pierre } from '../../src/index.js'
import { provisionUser, startServer } from '../helpers.js'

// Distinctive values, so that the log check below cannot pass by accident.
const DEV_ID = 'pierre-terra-dev-4f1b'
const API_KEY = 'terra-api-key-6c0e93d1a7b24f58'
const SIGNING_SECRET = 'terra-whsec-2b7d9e4c51a8f036'

type TerraType = 'activity' | 'sleep' | 'daily'
type Json = Record<string, unknown>

async function fakeTerra(): Promise<FakeTerra> {
  // Activities on 03-14, 03-12, 03-10 and 03-08; sleep and daily data for 03-12 to 03-14.
  const fake = await startFakeTerra({
    devId: DEV_ID,
    apiKey: API_KEY,
    signingSecret: SIGNING_SECRET,
    activityCount: 4,
    healthDays: 3,
  })
  onTestFinished(() => fake.close())
  return fake
}

function terraEnvironment(fake: FakeTerra, options: { signingSecret?: boolean } = {}) {
  return {
    PIERRE_TERRA_DEV_ID: fake.devId,
    PIERRE_TERRA_API_KEY: fake.apiKey,
    PIERRE_TERRA_API_BASE_URL: fake.apiBaseUrl,
    ...(options.signingSecret === false ? {} : { PIERRE_TERRA_SIGNING_SECRET: fake.signingSecret }),
  }
}

async function startWithTerra(options: { signingSecret?: boolean } = {}) {
  const fake = await fakeTerra()
  const server = await startServer({ PIERRE_AUTH: 'required', ...terraEnvironment(fake, options) })
  const user = await provisionUser(server.pierre, { email: 'camille@acme.test' })
  const hook = `${server.url}/webhooks/terra`
  fake.setWebhookUrl(hook)
  const owner = { tenantId: server.pierre.defaultTenant.id, userId: user.userId }
  return { fake, ...server, ...user, owner, hook }
}

const authorization = (key: string) => ({ authorization: `Bearer ${key}` })

interface ProviderStatus {
  provider: string
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
  accounts?: { resource: string | null; status: string; connectedAt: string }[]
}

async function statuses(url: string, key: string): Promise<ProviderStatus[]> {
  const response = await fetch(`${url}/api/providers`, { headers: authorization(key) })
  expect(response.status).toBe(200)
  return (await response.json()) as ProviderStatus[]
}

async function terraStatus(url: string, key: string): Promise<ProviderStatus | undefined> {
  return (await statuses(url, key)).find((status) => status.provider === 'terra')
}

/** Starts a widget session through Pierre and completes it on the fake; the new Terra user id. */
async function connectTerra(url: string, key: string, fake: FakeTerra): Promise<string> {
  const response = await fetch(`${url}/api/providers/terra/connect`, {
    method: 'POST',
    headers: authorization(key),
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { authorizationUrl: string; expiresAt: string }
  const sessionUrl = new URL(body.authorizationUrl)
  expect(sessionUrl.origin).toBe(fake.url)
  const sessionId = /^\/widget\/session\/([^/]+)$/.exec(sessionUrl.pathname)?.[1]
  expect(sessionId).toBeTruthy()
  return fake.completeWidgetSession(sessionId as string, 'GARMIN')
}

/** Data of one Terra user, as the fake's API (and its `to_webhook` deliveries) shapes it. */
async function terraPayload(
  fake: FakeTerra,
  terraUserId: string,
  { type, start, end }: { type: TerraType; start: string; end: string },
): Promise<{ type: TerraType; user: Json; data: Json[] }> {
  const query = new URLSearchParams({
    user_id: terraUserId,
    start_date: start,
    end_date: end,
    with_samples: 'true',
  })
  const response = await fetch(`${fake.apiBaseUrl}/${type}?${query}`, {
    headers: { 'dev-id': fake.devId, 'x-api-key': fake.apiKey },
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { user: Json; data: Json[] }
  expect(body.data.length).toBeGreaterThan(0)
  return { type, user: body.user, data: body.data }
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** POSTs a raw body to a webhook URL with the headers given; the status and parsed body. */
async function post(endpoint: string, body: string, headers: Record<string, string>) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  return { status: response.status, body: (await response.json()) as Json }
}

const signed = (body: string, secret = SIGNING_SECRET, timestamp = nowSeconds()) => ({
  'terra-signature': signTerraPayload(body, secret, timestamp),
})

const rows = (pierre: Pierre, sql: string) => pierre.db.prepare(sql).all() as Json[]
const count = (pierre: Pierre, table: string) =>
  (pierre.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

/** Everything a Terra delivery can write: records, connections and the delivery log. */
function snapshot(pierre: Pierre) {
  return {
    records: rows(pierre, 'SELECT * FROM provider_records ORDER BY kind, id'),
    connections: rows(pierre, 'SELECT * FROM terra_connections ORDER BY terra_user_id'),
    deliveries: rows(pierre, 'SELECT * FROM terra_deliveries ORDER BY delivery_id'),
  }
}

function recordsByKind(pierre: Pierre, owner: { tenantId: string; userId: string }) {
  const found = pierre.db
    .prepare(
      `SELECT kind, COUNT(*) AS n FROM provider_records
       WHERE provider = 'terra' AND tenant_id = ? AND user_id = ? GROUP BY kind ORDER BY kind`,
    )
    .all(owner.tenantId, owner.userId) as { kind: string; n: number }[]
  return Object.fromEntries(found.map((row) => [row.kind, row.n]))
}

function expectNoSecrets(logs: readonly string[]) {
  const text = logs.join('\n')
  expect(text).not.toContain(SIGNING_SECRET)
  expect(text).not.toContain(API_KEY)
  expect(text).not.toContain(DEV_ID)
}

describe('connecting Terra through the widget', () => {
  it('lists terra, answers the widget session and is connected once Terra sends `auth`', async () => {
    const { fake, url, key, pierre, owner, logs } = await startWithTerra()
    const before = await terraStatus(url, key)
    expect(before).toMatchObject({
      auth: 'widget',
      configured: true,
      appSource: 'server',
      connected: false,
      status: 'disconnected',
      statusReason: null,
      connectedAt: null,
      scopes: [],
    })
    expect(before?.accounts).toBeUndefined()

    const started = Date.now()
    const response = await fetch(`${url}/api/providers/terra/connect`, {
      method: 'POST',
      headers: authorization(key),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as { authorizationUrl: string; expiresAt: string }
    const sessionUrl = new URL(body.authorizationUrl)
    expect(`${sessionUrl.origin}${sessionUrl.pathname}`).toMatch(
      new RegExp(`^${fake.url}/widget/session/[0-9a-f-]{36}$`),
    )
    // The fake's session lives 900 s.
    const lifetime = Date.parse(body.expiresAt) - started
    expect(lifetime).toBeGreaterThanOrEqual(899_000)
    expect(lifetime).toBeLessThanOrEqual(901_000 + (Date.now() - started))

    // Pierre asked with the app credential and a reference naming this tenant and user.
    const [request] = fake.requestsTo('POST /v2/auth/generateWidgetSession')
    expect(request?.headers['dev-id']).toBe(DEV_ID)
    expect(request?.headers['x-api-key']).toBe(API_KEY)
    const referenceId = (JSON.parse(request?.body ?? '{}') as Json).reference_id
    expect(referenceId).toBe(toTerraReferenceId(owner))
    expect(referenceId).toBe(
      `pierre:${encodeURIComponent(owner.tenantId)}:${encodeURIComponent(owner.userId)}`,
    )
    // Nothing is connected until Terra says so.
    expect(await terraStatus(url, key)).toMatchObject({ connected: false, status: 'disconnected' })
    expect(count(pierre, 'terra_connections')).toBe(0)

    const sessionId = sessionUrl.pathname.split('/').pop() as string
    const terraUserId = await fake.completeWidgetSession(sessionId, 'GARMIN')
    expect(fake.deliveries).toEqual([{ type: 'auth', status: 200 }])
    expect(rows(pierre, 'SELECT * FROM terra_connections')).toEqual([
      expect.objectContaining({
        terra_user_id: terraUserId,
        tenant_id: owner.tenantId,
        user_id: owner.userId,
        resource: 'GARMIN',
        status: 'connected',
        status_reason: null,
      }),
    ])

    const after = await terraStatus(url, key)
    expect(after).toMatchObject({
      auth: 'widget',
      connected: true,
      status: 'connected',
      statusReason: null,
      needsReauth: false,
      expiresAt: null,
    })
    expect(after?.scopes.sort()).toEqual(['ACTIVITY_EXPORT', 'HEALTH_EXPORT'])
    expect(after?.connectedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(after?.accounts).toEqual([
      { resource: 'GARMIN', status: 'connected', connectedAt: after?.connectedAt },
    ])

    // Another user of the same tenant is not connected by it.
    const other = await provisionUser(pierre, { email: 'alex@acme.test' })
    expect(await terraStatus(url, other.key)).toMatchObject({
      connected: false,
      status: 'disconnected',
    })
    expectNoSecrets(logs)
  })
})

describe('Terra data deliveries', () => {
  it('stores signed activity, sleep and daily data for the user and serves it from the store', async () => {
    const { fake, url, key, pierre, owner } = await startWithTerra()
    const terraUserId = await connectTerra(url, key, fake)
    const range = { start: '2025-03-11', end: '2025-03-15' }
    const payloads = [
      await terraPayload(fake, terraUserId, { type: 'activity', ...range }),
      await terraPayload(fake, terraUserId, { type: 'sleep', ...range }),
      await terraPayload(fake, terraUserId, { type: 'daily', ...range }),
    ]
    expect(payloads.map((payload) => payload.data.length)).toEqual([2, 3, 3])
    const requestsBefore = fake.upstream.requests.length

    for (const payload of payloads) {
      const answer = await fake.deliver(payload)
      expect(answer.status).toBe(200)
      expect(answer.body).toMatchObject({ status: 'ok', type: payload.type })
    }
    const stored = snapshot(pierre)
    // Activities with their streams, nights with their HRV, days with their recovery.
    expect(recordsByKind(pierre, owner)).toEqual({
      activity: 2,
      streams: 2,
      sleep: 3,
      hrv: 3,
      daily: 3,
      recovery: 3,
    })
    expect(stored.records).toHaveLength(16)
    for (const record of stored.records) {
      expect(record).toMatchObject({
        provider: 'terra',
        tenant_id: owner.tenantId,
        user_id: owner.userId,
      })
      expect(String(record.id).startsWith(`${terraUserId}:`)).toBe(true)
    }
    expect(stored.deliveries).toHaveLength(1 + payloads.length)

    // The same data signed anew (another timestamp) changes nothing.
    for (const payload of payloads) {
      const again = await fake.deliver(payload, { timestampSeconds: nowSeconds() + 1 })
      expect(again.status).toBe(200)
    }
    const resent = snapshot(pierre)
    expect(resent.records.map((record) => [record.kind, record.id, record.payload])).toEqual(
      stored.records.map((record) => [record.kind, record.id, record.payload]),
    )
    expect(resent.deliveries).toHaveLength(stored.deliveries.length + payloads.length)

    // The registry's provider reads the stored records, without asking Terra.
    const provider = pierre.providers.registry.create('terra', owner)
    const activities = await provider.getActivities({
      after: Date.parse('2025-03-11T00:00:00Z') / 1000,
      before: Date.parse('2025-03-15T00:00:00Z') / 1000,
    })
    const sent = payloads[0]?.data as Json[]
    const startsOf = sent.map((item) => Date.parse(String((item.metadata as Json).start_time)))
    expect(activities.map((activity) => Date.parse(activity.start_date))).toEqual(
      [...startsOf].sort((left, right) => right - left),
    )
    expect(activities.map((activity) => activity.id).sort()).toEqual(
      sent.map((item) => String((item.metadata as Json).summary_id)).sort(),
    )
    expect(activities[0]).toMatchObject({
      provider: 'terra',
      sport_type: 'run',
      distance_meters: 8012.4,
      average_cadence: 173,
      start_date: '2025-03-14T11:02:13Z',
    })

    const nights = await provider.getSleepSessions({
      start: '2025-03-13T00:00:00Z',
      end: '2025-03-15T00:00:00Z',
    })
    expect(nights.map((night) => night.end_time.slice(0, 10))).toEqual(['2025-03-14', '2025-03-13'])
    for (const night of nights) {
      expect(night.total_sleep_time).toBe(388)
      expect(night.sleep_efficiency).toBe(95.33)
      expect(night.stages).toHaveLength(19)
    }
    const [day] = await provider.getDailySummaries({
      start: '2025-03-14T00:00:00Z',
      end: '2025-03-15T00:00:00Z',
    })
    expect(day).toMatchObject({ calendar_date: '2025-03-14', steps: 17_241, total_calories: 2549 })
    expect(fake.upstream.requests.length).toBe(requestsBefore)

    // Another user of the tenant has none of it.
    const other = await provisionUser(pierre, { email: 'alex@acme.test' })
    const stranger = pierre.providers.registry.create('terra', {
      tenantId: owner.tenantId,
      userId: other.userId,
    })
    await expect(
      stranger.getSleepSessions({ start: '2025-03-13T00:00:00Z', end: '2025-03-15T00:00:00Z' }),
    ).rejects.toMatchObject({ code: 'not_connected' })
  })
})

describe('refused Terra deliveries', () => {
  it('store nothing: forged, tampered, unsigned, stale, replayed and malformed', async () => {
    const { fake, url, key, pierre, owner, logs, hook } = await startWithTerra()
    const terraUserId = await connectTerra(url, key, fake)
    // Activities not delivered yet, and a revocation: both would change the database if accepted.
    const fresh = await terraPayload(fake, terraUserId, {
      type: 'activity',
      start: '2025-03-07',
      end: '2025-03-11',
    })
    const body = JSON.stringify(fresh)
    const revoked = JSON.stringify({
      type: 'access_revoked',
      user: fake.users().find((user) => user.user_id === terraUserId),
      status: 'warning',
    })
    const before = snapshot(pierre)
    expect(before.connections).toHaveLength(1)
    const tampered = body.replace('8012.4', '9012.4')
    expect(tampered).not.toBe(body)

    const refusals: [string, { status: number; body: Json }, number, Json][] = [
      [
        'forged (other secret)',
        await post(hook, body, signed(body, 'not-the-terra-secret')),
        401,
        { error: 'invalid_signature', reason: 'signature_mismatch' },
      ],
      [
        'forged revocation',
        await post(hook, revoked, signed(revoked, 'not-the-terra-secret')),
        401,
        { error: 'invalid_signature', reason: 'signature_mismatch' },
      ],
      [
        'tampered after signing',
        await post(hook, tampered, signed(body)),
        401,
        { error: 'invalid_signature', reason: 'signature_mismatch' },
      ],
      [
        'no signature header',
        await post(hook, body, {}),
        401,
        { error: 'invalid_signature', reason: 'missing_signature' },
      ],
      [
        'malformed signature header',
        await post(hook, body, { 'terra-signature': 'v1=abc' }),
        401,
        { error: 'invalid_signature', reason: 'malformed_signature' },
      ],
      [
        'signed six minutes ago',
        await post(hook, body, signed(body, SIGNING_SECRET, nowSeconds() - 360)),
        401,
        { error: 'invalid_signature', reason: 'timestamp_out_of_window' },
      ],
      [
        'signed six minutes ahead',
        await post(hook, revoked, signed(revoked, SIGNING_SECRET, nowSeconds() + 360)),
        401,
        { error: 'invalid_signature', reason: 'timestamp_out_of_window' },
      ],
      [
        'not JSON',
        await post(hook, '{"type":"activity",', signed('{"type":"activity",')),
        400,
        { error: 'invalid_json' },
      ],
      [
        'JSON, not a Terra payload',
        await post(hook, '{"hello":"terra"}', signed('{"hello":"terra"}')),
        400,
        { error: 'invalid_payload' },
      ],
    ]
    for (const [what, answer, status, error] of refusals) {
      expect({ what, status: answer.status }).toEqual({ what, status })
      expect(answer.body).toMatchObject(error)
    }
    expect(snapshot(pierre)).toEqual(before)

    // The same activities, signed properly, are accepted: the refusals were about the delivery.
    const headers = signed(body)
    const accepted = await post(hook, body, headers)
    expect(accepted).toEqual({ status: 200, body: { status: 'ok', type: 'activity', stored: 4 } })
    expect(recordsByKind(pierre, owner)).toEqual({ activity: 2, streams: 2 })
    const stored = snapshot(pierre)
    expect(stored.deliveries).toHaveLength(before.deliveries.length + 1)

    // The exact same delivery again (same body, same header) is a replay.
    const replay = await post(hook, body, headers)
    expect(replay).toEqual({ status: 409, body: { error: 'replayed_delivery' } })
    expect(snapshot(pierre)).toEqual(stored)

    // The connection was never touched by the refused revocations.
    expect(await terraStatus(url, key)).toMatchObject({ status: 'connected' })
    expect(logs.filter((line) => line.includes('webhook delivery refused'))).toHaveLength(
      refusals.length + 1,
    )
    expectNoSecrets(logs)
  })

  it('without a signing secret Terra is not connectable and every delivery is refused', async () => {
    const { url, key, pierre, owner, logs, hook } = await startWithTerra({
      signingSecret: false,
    })
    // The API credentials are set, but no auth delivery could be accepted: not configured.
    expect(await terraStatus(url, key)).toMatchObject({
      configured: false,
      appSource: null,
      status: 'disconnected',
    })
    const connect = await fetch(`${url}/api/providers/terra/connect`, {
      method: 'POST',
      headers: authorization(key),
    })
    expect(connect.status).toBe(503)
    const refusal = ((await connect.json()) as { error: { code: string; message: string } }).error
    expect(refusal.code).toBe('not_configured')
    expect(refusal.message).toContain('PIERRE_TERRA_SIGNING_SECRET')
    expect(logs.some((line) => line.includes('PIERRE_TERRA_SIGNING_SECRET is not set'))).toBe(true)
    const auth = JSON.stringify({
      type: 'auth',
      status: 'success',
      user: { user_id: 'c0ffee00-0000-4000-a000-000000000001', provider: 'GARMIN' },
      reference_id: toTerraReferenceId(owner),
    })
    const answer = await post(hook, auth, signed(auth))
    expect(answer).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'no such webhook' } },
    })
    expect(count(pierre, 'terra_connections')).toBe(0)
    expect(count(pierre, 'terra_deliveries')).toBe(0)
    expect(count(pierre, 'provider_records')).toBe(0)
    expect(await terraStatus(url, key)).toMatchObject({ connected: false, status: 'disconnected' })
    expectNoSecrets(logs)
  })

  it('without Terra credentials terra is neither listed nor receiving', async () => {
    const fake = await fakeTerra()
    const { url, pierre } = await startServer({
      PIERRE_AUTH: 'required',
      PIERRE_TERRA_SIGNING_SECRET: fake.signingSecret,
    })
    const { key } = await provisionUser(pierre, { email: 'camille@acme.test' })
    const listed = await statuses(url, key)
    expect(listed.map((status) => status.provider)).not.toContain('terra')
    expect(listed.map((status) => status.provider)).toContain('strava')
    const connect = await fetch(`${url}/api/providers/terra/connect`, {
      method: 'POST',
      headers: authorization(key),
    })
    expect(connect.status).toBe(404)
    expect(((await connect.json()) as { error: { code: string } }).error.code).toBe(
      'unknown_provider',
    )
    const auth = JSON.stringify({ type: 'healthcheck', status: 'success' })
    expect(
      (await post(`${url}/webhooks/terra`, auth, signed(auth, fake.signingSecret))).status,
    ).toBe(404)
    expect(count(pierre, 'terra_deliveries')).toBe(0)
  })
})

describe('revoking and disconnecting Terra', () => {
  it('marks access_revoked as needs_reauth, then DELETE deauthenticates and forgets', async () => {
    const { fake, url, key, pierre, owner, logs } = await startWithTerra()
    const terraUserId = await connectTerra(url, key, fake)
    for (const type of ['activity', 'sleep'] as const) {
      const payload = await terraPayload(fake, terraUserId, {
        type: type,
        start: '2025-03-11',
        end: '2025-03-15',
      })
      expect((await fake.deliver(payload)).status).toBe(200)
    }
    const stored = count(pierre, 'provider_records')
    expect(stored).toBe(10)

    await fake.revokeAccess(terraUserId)
    expect(fake.deliveries.at(-1)).toEqual({ type: 'access_revoked', status: 200 })
    const revoked = await terraStatus(url, key)
    expect(revoked).toMatchObject({
      connected: false,
      status: 'needs_reauth',
      statusReason: 'access_revoked',
      needsReauth: true,
    })
    expect(revoked?.accounts).toEqual([
      { resource: 'GARMIN', status: 'needs_reauth', connectedAt: revoked?.connectedAt },
    ])
    // The records stay until the person disconnects.
    expect(count(pierre, 'provider_records')).toBe(stored)

    const removed = await fetch(`${url}/api/providers/terra`, {
      method: 'DELETE',
      headers: authorization(key),
    })
    expect(removed.status).toBe(200)
    expect(await removed.json()).toEqual({
      provider: 'terra',
      disconnected: true,
      revoked: true,
      recordsDeleted: stored,
    })
    const deauthentications = fake.requestsTo('DELETE /v2/auth/deauthenticateUser')
    expect(deauthentications.map((request) => request.query.get('user_id'))).toEqual([terraUserId])
    expect(deauthentications[0]?.headers['x-api-key']).toBe(API_KEY)
    await fake.idle()
    expect(fake.deliveries.at(-1)).toEqual({ type: 'deauth', status: 200 })
    expect(count(pierre, 'terra_connections')).toBe(0)
    expect(recordsByKind(pierre, owner)).toEqual({})
    expect(await terraStatus(url, key)).toMatchObject({
      connected: false,
      status: 'disconnected',
      statusReason: null,
      connectedAt: null,
    })

    const again = await fetch(`${url}/api/providers/terra`, {
      method: 'DELETE',
      headers: authorization(key),
    })
    expect(again.status).toBe(404)
    expect(await again.json()).toMatchObject({
      error: { code: 'provider_not_connected', details: { provider: 'terra' } },
    })

    expectNoSecrets(logs)
  })

  it('ignores a late data delivery for a Terra user after DELETE', async () => {
    const { fake, url, key, pierre, owner } = await startWithTerra()
    const terraUserId = await connectTerra(url, key, fake)
    const late = await terraPayload(fake, terraUserId, {
      type: 'activity',
      start: '2025-03-11',
      end: '2025-03-15',
    })
    const removed = await fetch(`${url}/api/providers/terra`, {
      method: 'DELETE',
      headers: authorization(key),
    })
    expect(removed.status).toBe(200)
    await fake.idle()
    // Still carrying our reference id, signed correctly: acknowledged, not stored.
    const body = JSON.stringify(late)
    const answer = await post(`${url}/webhooks/terra`, body, signed(body))
    expect(answer).toEqual({
      status: 200,
      body: { status: 'ignored', type: 'activity', reason: 'unknown_user' },
    })
    expect(recordsByKind(pierre, owner)).toEqual({})
    expect(count(pierre, 'terra_connections')).toBe(0)
  })
})

describe('webhook routes', () => {
  it('answer 404 for an unknown provider and for a per-tenant Terra path', async () => {
    const { url, pierre, logs, hook } = await startWithTerra()
    const body = JSON.stringify({ type: 'healthcheck', status: 'success' })
    // The body is genuine: the server's own path takes it.
    expect(await post(hook, body, signed(body))).toMatchObject({ status: 200 })
    const deliveries = count(pierre, 'terra_deliveries')

    const unknown = await post(`${url}/webhooks/unknown`, body, signed(body))
    expect(unknown).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'no such webhook' } },
    })
    const perTenant = await post(
      `${url}/webhooks/terra/${pierre.defaultTenant.slug}`,
      body,
      signed(body, SIGNING_SECRET, nowSeconds() + 1),
    )
    expect(perTenant).toEqual(unknown)
    expect(count(pierre, 'terra_deliveries')).toBe(deliveries)
    expect(logs.length).toBeGreaterThan(0)
    expectNoSecrets(logs)
  })
})
