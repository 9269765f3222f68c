import { createMemoryDataStore } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  createMemoryTerraConnectionStore,
  createTerraProvider,
  createTerraWebhookHandler,
  toTerraReferenceId,
} from '../src/index.js'
import { camille, fixture, serveWebhook, setUp } from './support.js'

type Shape = string | Shape[] | { [key: string]: Shape }

// Keys and value types, recursively; an empty array or a null matches anything (spec §10).
function shapeOf(value: unknown): Shape {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])]
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as object)
        .sort(([left], [right]) => (left < right ? -1 : 1))
        .map(([key, entry]) => [key, shapeOf(entry)]),
    )
  }
  return typeof value
}

function shapeDiff(expected: Shape, actual: Shape, path = '$'): string[] {
  if (expected === 'null' || actual === 'null') return []
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return [`${path}: array vs not`]
    if (expected.length === 0 || actual.length === 0) return []
    return shapeDiff(expected[0] as Shape, actual[0] as Shape, `${path}[0]`)
  }
  if (typeof expected === 'object' || typeof actual === 'object') {
    if (typeof expected !== 'object' || typeof actual !== 'object')
      return [`${path}: object vs not`]
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
    return [...keys].flatMap((key) =>
      key in expected && key in actual
        ? shapeDiff(expected[key] as Shape, actual[key] as Shape, `${path}.${key}`)
        : [`${path}.${key}: only in ${key in expected ? 'fixture' : 'fake'}`],
    )
  }
  return expected === actual ? [] : [`${path}: ${expected} vs ${actual}`]
}

interface ManifestEntry {
  readonly file: string | null
  readonly method: string
  readonly path: string
  readonly status: number
  readonly query?: Readonly<Record<string, string>>
}

describe('fake Terra fidelity', () => {
  it('answers every request line of the manifest with the shape of its fixture', async () => {
    const { fake } = await setUp()
    const entries = (fixture('manifest.json').entries as ManifestEntry[])
      .filter((entry) => entry.file !== null && entry.path.startsWith('/v2/'))
      // The deauthentication removes the user: last.
      .sort((left, right) => Number(left.method === 'DELETE') - Number(right.method === 'DELETE'))
    expect(entries).toHaveLength(10)
    for (const entry of entries) {
      const url = new URL(`${fake.url}${entry.path}`)
      for (const [name, value] of Object.entries(entry.query ?? {})) {
        url.searchParams.set(name, value.startsWith('<') ? fake.terraUserId : value)
      }
      const response = await fetch(url, {
        method: entry.method,
        headers: {
          'dev-id': fake.devId,
          'x-api-key': fake.apiKey,
          'content-type': 'application/json',
        },
        ...(entry.method === 'POST'
          ? { body: JSON.stringify({ reference_id: fake.referenceId }) }
          : {}),
      })
      expect(response.status, `${entry.method} ${entry.path}`).toBe(entry.status)
      const differences = shapeDiff(
        shapeOf(fixture(entry.file as string)),
        shapeOf(await response.json()),
      )
      expect(differences, `${entry.method} ${entry.path} (${entry.file})`).toEqual([])
    }
  })

  it('refuses a wrong dev-id or api key with 401', async () => {
    const { fake } = await setUp()
    for (const headers of [
      { 'dev-id': fake.devId, 'x-api-key': 'wrong' },
      { 'dev-id': 'someone-else', 'x-api-key': fake.apiKey },
      {},
    ]) {
      const response = await fetch(`${fake.apiBaseUrl}/subscriptions`, { headers })
      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ status: 'error' })
    }
  })

  it('sends samples only with with_samples=true, and checks user and dates', async () => {
    const { client, fake } = await setUp()
    const query = { terraUserId: fake.terraUserId, startDate: '2025-03-14', endDate: '2025-03-15' }
    const bare = await client.fetchData('activity', query)
    const full = await client.fetchData('activity', { ...query, withSamples: true })
    const samples = (response: typeof bare): number => {
      const heart = response.data?.[0]?.heart_rate_data as
        | { detailed?: { hr_samples?: unknown[] } }
        | undefined
      return heart?.detailed?.hr_samples?.length ?? 0
    }
    expect(samples(bare)).toBe(0)
    expect(samples(full)).toBe(6)
    const headers = { 'dev-id': fake.devId, 'x-api-key': fake.apiKey }
    const badUser = await fetch(`${fake.apiBaseUrl}/sleep?user_id=nobody&start_date=2025-03-14`, {
      headers,
    })
    expect(badUser.status).toBe(404)
    const badDate = await fetch(
      `${fake.apiBaseUrl}/sleep?user_id=${fake.terraUserId}&start_date=yesterday`,
      { headers },
    )
    expect(badDate.status).toBe(400)
    const tooLong = await fetch(
      `${fake.apiBaseUrl}/sleep?user_id=${fake.terraUserId}&start_date=2015-01-01&end_date=2025-01-01`,
      { headers },
    )
    expect(tooLong.status).toBe(400)
  })

  it('counts requested days per user and answers 429 with X-Terra-RateLimit headers', async () => {
    const { fake } = await setUp({ fake: { daysPerHour: 25 } })
    const headers = { 'dev-id': fake.devId, 'x-api-key': fake.apiKey }
    const week = (start: string, end: string) =>
      fetch(
        `${fake.apiBaseUrl}/daily?user_id=${fake.terraUserId}&start_date=${start}&end_date=${end}`,
        {
          headers,
        },
      )
    expect((await week('2025-03-01', '2025-03-11')).status).toBe(200)
    expect((await week('2025-03-04', '2025-03-14')).status).toBe(200)
    expect(fake.usedDays(fake.terraUserId)).toBe(20)
    const refused = await week('2025-03-08', '2025-03-15')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('x-terra-ratelimit-rule')).toBe('cumulative_days')
    expect(refused.headers.get('x-terra-ratelimit-reset')).toBe('3600')
  })
})

describe('fake Terra flows through a real webhook endpoint', () => {
  async function withReceiver() {
    const setup = await setUp()
    const dataStore = createMemoryDataStore()
    const connections = createMemoryTerraConnectionStore()
    const handler = createTerraWebhookHandler({
      signingSecret: setup.fake.signingSecret,
      dataStore,
      connections,
      now: setup.clock.now,
    })
    setup.fake.setWebhookUrl(await serveWebhook(handler))
    return { ...setup, dataStore, connections }
  }

  it('connects a person through the widget: the signed auth webhook records the connection', async () => {
    const { fake, client, connections, dataStore, clock } = await withReceiver()
    const alex = { tenantId: 'tenant-b', userId: 'alex' }
    const session = await client.generateWidgetSession({
      referenceId: toTerraReferenceId(alex),
      providers: ['OURA', 'GARMIN'],
      successRedirectUrl: 'https://app.example/connected',
    })
    expect(session.expiresInSeconds).toBe(900)
    const opened = await fetch(session.url, { redirect: 'manual' })
    expect(opened.status).toBe(302)
    const landing = new URL(opened.headers.get('location') as string)
    expect(landing.origin).toBe('https://app.example')
    const terraUserId = landing.searchParams.get('user_id') as string
    expect(fake.deliveries).toEqual([{ type: 'auth', status: 200 }])
    expect(await connections.listForUser(alex)).toMatchObject([
      { terraUserId, resource: 'OURA', status: 'connected' },
    ])
    const provider = createTerraProvider({
      client,
      user: alex,
      connections,
      dataStore,
      now: clock.now,
    })
    const nights = await provider.getSleepSessions({
      start: '2025-03-14T00:00:00Z',
      end: '2025-03-15T00:00:00Z',
    })
    expect(nights.map((night) => night.id)).toEqual(['xd3315b1-67d39994-5f46-u1'])
  })

  it('refuses an expired widget session', async () => {
    const { client, clock } = await withReceiver()
    const session = await client.generateWidgetSession({ referenceId: toTerraReferenceId(camille) })
    clock.advance(901_000)
    expect((await fetch(session.url, { redirect: 'manual' })).status).toBe(410)
  })

  it('connects one wearable directly with authenticateUser', async () => {
    const { fake, client, connections } = await withReceiver()
    const pending = await client.authenticateUser({
      resource: 'GARMIN',
      referenceId: toTerraReferenceId(camille),
    })
    expect(await connections.get(pending.terraUserId)).toBeUndefined()
    expect((await fetch(pending.authUrl)).status).toBe(200)
    expect(await connections.get(pending.terraUserId)).toMatchObject({
      ...camille,
      resource: 'GARMIN',
    })
    expect((await client.getUserInfo(pending.terraUserId)).isAuthenticated).toBe(true)
    expect((await client.listSubscriptions()).map((user) => user.terraUserId)).toEqual([
      fake.terraUserId,
      pending.terraUserId,
    ])
  })

  it('delivers to_webhook requests asynchronously, signed, into the store', async () => {
    const { fake, client, dataStore } = await withReceiver()
    const answer = await client.fetchData('activity', {
      terraUserId: fake.terraUserId,
      startDate: '2025-02-01',
      endDate: '2025-03-15',
      toWebhook: true,
    })
    expect(answer.data).toBeUndefined()
    expect(answer.reference).toMatch(/^[0-9a-f-]{36}$/)
    await fake.idle()
    expect(fake.deliveries).toEqual([{ type: 'activity', status: 200 }])
    const stored = await dataStore.query('activity', { provider: 'terra', ...camille })
    expect(stored).toHaveLength(21) // one run every second day from 2025-02-02 to 2025-03-14
    expect(await dataStore.query('streams', { provider: 'terra', ...camille })).toHaveLength(0)
  })

  it('deauthenticates a user: the deauth webhook removes the connection and its data', async () => {
    const { fake, client, connections, dataStore } = await withReceiver()
    await client.fetchData('sleep', {
      terraUserId: fake.terraUserId,
      startDate: '2025-03-13',
      endDate: '2025-03-14',
      toWebhook: true,
    })
    await fake.idle()
    const owner = { provider: 'terra', ...camille }
    expect(await dataStore.query('sleep', owner)).toHaveLength(1)
    await client.deauthenticateUser(fake.terraUserId)
    expect(fake.deliveries.map((delivery) => delivery.type)).toEqual(['sleep', 'deauth'])
    expect(await dataStore.query('sleep', owner)).toHaveLength(0)
    expect(await connections.get(fake.terraUserId)).toBeUndefined()
    await expect(client.getUserInfo(fake.terraUserId)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('revoking access marks the connection needs_reauth, and reads then say not_connected', async () => {
    const { fake, client, connections, clock } = await withReceiver()
    const session = await client.generateWidgetSession({ referenceId: toTerraReferenceId(camille) })
    const terraUserId = await fake.completeWidgetSession(session.sessionId, 'POLAR')
    await fake.revokeAccess(terraUserId)
    expect(await connections.get(terraUserId)).toMatchObject({
      status: 'needs_reauth',
      statusReason: 'access_revoked',
    })
    const provider = createTerraProvider({ client, user: camille, connections, now: clock.now })
    await expect(
      provider.getDailySummaries({ start: '2025-03-14T00:00:00Z', end: '2025-03-15T00:00:00Z' }),
    ).rejects.toMatchObject({ code: 'not_connected' })
  })

  it('signs with its secret: a receiver with another secret refuses every delivery', async () => {
    const { fake } = await setUp()
    const handler = createTerraWebhookHandler({
      signingSecret: 'another-secret',
      dataStore: createMemoryDataStore(),
      connections: createMemoryTerraConnectionStore(),
    })
    fake.setWebhookUrl(await serveWebhook(handler))
    const result = await fake.deliver(fixture('webhook_healthcheck.json'))
    expect(result).toEqual({
      status: 401,
      body: { error: 'invalid_signature', reason: 'signature_mismatch' },
    })
  })
})
