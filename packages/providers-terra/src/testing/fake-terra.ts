import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type {
  FakeRequest,
  FakeResponse,
  FakeRoute,
  FakeUpstream,
} from '@pierre/providers-core/testing'
import { startFakeUpstream } from '@pierre/providers-core/testing'
import { requestDays } from '../internal/day-budget.js'
import type { TerraDeliveryResult } from './deliver.js'
import { deliverTerraWebhook } from './deliver.js'

/** Options of {@link startFakeTerra}. */
export interface FakeTerraOptions {
  /** The accepted `dev-id`; `pierre-dev` by default. */
  readonly devId?: string
  /** The accepted `x-api-key`; `fake-terra-api-key` by default. */
  readonly apiKey?: string
  /** The secret webhooks are signed with; `fake-terra-signing-secret` by default. */
  readonly signingSecret?: string
  /** Where webhooks go; none (nothing is delivered) until set. */
  readonly webhookUrl?: string
  /** The fake's clock (webhook timestamps, sessions, the hourly budget); real time by default. */
  readonly now?: () => Date
  /** Activities of the fixture user, one every second day back from 2025-03-14; 24 by default. */
  readonly activityCount?: number
  /** Days of sleep, daily and body data back from 2025-03-14; 14 by default. */
  readonly healthDays?: number
  /** Requested days a Terra user may spend per rolling hour; 6 000 by default. */
  readonly daysPerHour?: number
  /** IANA zone of the athlete, for the local times of the generated days; `America/Toronto`. */
  readonly timeZone?: string
  /** Directory of the Terra fixtures; the copies shipped with this package by default. */
  readonly fixturesDir?: string | URL
}

/** A Terra user of the fake. */
export interface FakeTerraUser {
  readonly user_id: string
  readonly provider: string
  readonly reference_id: string | null
  readonly scopes: string
  readonly last_webhook_update: string | null
  readonly active: boolean
}

/** A running fake Terra API v2 on 127.0.0.1. */
export interface FakeTerra {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** `${url}/v2`, the `baseUrl` of a client. */
  readonly apiBaseUrl: string
  readonly devId: string
  readonly apiKey: string
  readonly signingSecret: string
  /** The Terra user of the fixtures (connected to GARMIN, with our reference id). */
  readonly terraUserId: string
  /** Its `reference_id`: `pierre:tenant-0f6c2a:user-7a41e9`. */
  readonly referenceId: string
  /** The underlying fake upstream: requests and scripted responses. */
  readonly upstream: FakeUpstream
  /** The Terra users, connected or not. */
  users(): readonly FakeTerraUser[]
  /** Sets (or clears) where webhooks go. */
  setWebhookUrl(url: string | undefined): void
  /**
   * Signs and POSTs a webhook payload to the webhook URL, with the fake's clock and secret unless
   * given. Recorded in `deliveries`.
   */
  deliver(
    payload: unknown,
    options?: { readonly timestampSeconds?: number; readonly secret?: string },
  ): Promise<TerraDeliveryResult>
  /** Completes a widget session as if the person connected `resource`; returns the new user id. */
  completeWidgetSession(sessionId: string, resource?: string): Promise<string>
  /** The wearable revokes Terra's access: the user stops answering and `access_revoked` is sent. */
  revokeAccess(terraUserId: string): Promise<void>
  /** Waits until every webhook the fake started sending has been answered. */
  idle(): Promise<void>
  /** Every webhook sent: its `type` and the status the endpoint answered (0 on network error). */
  readonly deliveries: readonly { readonly type: string; readonly status: number }[]
  /** Days a Terra user spent in the current rolling hour. */
  usedDays(terraUserId: string): number
  /** Queues responses for the next matching requests (`'GET /v2/sleep'`). */
  script(route: string, responses: readonly FakeResponse[]): void
  /** Queues `count` Terra-shaped 5xx answers (502 by default) for a route. */
  failNext(route: string, count: number, status?: number): void
  /** Requests to a path (`'/v2/activity'` or `'GET /v2/sleep'`). */
  requestsTo(route: string): readonly FakeRequest[]
  close(): Promise<void>
}

type Json = Record<string, unknown>

const api = '/v2'
const hourMs = 3_600_000
const dayMs = 86_400_000
const maxDaysPerRequest = 1825
const sessionTtlSeconds = 900
const dataTypes = ['activity', 'sleep', 'daily', 'body', 'nutrition', 'menstruation'] as const
type DataType = (typeof dataTypes)[number]

const stampedPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-])(\d{2}):(\d{2})$/

/** Returns a function giving the minutes east of UTC of `zone` at an instant. */
function zoneOffsets(zone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
  return (ms) => {
    const name =
      format.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ??
      'GMT'
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name)
    if (match === null) return 0
    return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
  }
}

/** Moves a local timestamp by whole days of wall clock, with the zone's offset on the new day. */
function shiftLocal(text: string, days: number, offsetAt: (ms: number) => number): string {
  const match = stampedPattern.exec(text)
  if (match === null) return text
  const [, y, mo, d, h, mi, s, fraction = ''] = match as unknown as string[]
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d) + days,
    Number(h),
    Number(mi),
    Number(s),
  )
  let offset = offsetAt(wall)
  offset = offsetAt(wall - offset * 60_000)
  const date = new Date(wall).toISOString().slice(0, 19)
  const sign = offset < 0 ? '-' : '+'
  const absolute = Math.abs(offset)
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0')
  const minutes = String(absolute % 60).padStart(2, '0')
  return `${date}${fraction}${sign}${hours}:${minutes}`
}

function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value)
  if (Array.isArray(value)) return value.map((entry) => mapStrings(entry, change))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, mapStrings(entry, change)]),
    )
  }
  return value
}

// Terra leaves the `*_samples` arrays empty unless `with_samples=true`.
function withoutSamples(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSamples)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [
        key,
        key.endsWith('_samples') && Array.isArray(entry) ? [] : withoutSamples(entry),
      ]),
    )
  }
  return value
}

function localDate(item: Json): string {
  const start = (item.metadata as Json | undefined)?.start_time
  return typeof start === 'string' ? start.slice(0, 10) : ''
}

function startMs(item: Json): number {
  return Date.parse(String((item.metadata as Json | undefined)?.start_time ?? ''))
}

function parseDateParam(value: string | null): { date?: string; ms?: number } | undefined {
  if (value === null || value === '') return undefined
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    return { date: value }
  }
  if (/^\d{9,11}$/.test(value)) return { ms: Number(value) * 1000 }
  return undefined
}

/**
 * Starts a fake Terra API v2 on 127.0.0.1, built on providers-core's fake upstream. It checks
 * `dev-id` and `x-api-key` on every `/v2` call (401 otherwise) and answers like Terra from the
 * recorded fixtures: `POST /v2/auth/generateWidgetSession` (the session `url` points at the fake,
 * and opening it connects a user and sends the signed `auth` webhook), `POST
 * /v2/auth/authenticateUser`, `DELETE /v2/auth/deauthenticateUser` (sends `deauth`),
 * `GET /v2/userInfo`, `/v2/subscriptions`, and `GET /v2/{activity,sleep,daily,body}` over a
 * generated history (`start_date`/`end_date` as dates or Unix seconds, `with_samples`,
 * `to_webhook=true` answered with a `reference` and delivered to the webhook afterwards). Each
 * request costs its days of the user's hourly budget; beyond it Terra's 429 with
 * `X-Terra-RateLimit-*` headers, beyond 1,825 days a 400.
 *
 * @example
 * ```ts
 * const terra = await startFakeTerra({ now: () => new Date('2025-03-15T12:00:00Z') })
 * const client = createTerraClient({ devId: terra.devId, apiKey: terra.apiKey, baseUrl: terra.apiBaseUrl })
 * await terra.close()
 * ```
 */
export async function startFakeTerra(options: FakeTerraOptions = {}): Promise<FakeTerra> {
  const now = options.now ?? (() => new Date())
  const devId = options.devId ?? 'pierre-dev'
  const apiKey = options.apiKey ?? 'fake-terra-api-key'
  const signingSecret = options.signingSecret ?? 'fake-terra-signing-secret'
  const offsetAt = zoneOffsets(options.timeZone ?? 'America/Toronto')
  const daysPerHour = options.daysPerHour ?? 6000
  const fixturesDir = options.fixturesDir ?? new URL('../../test/fixtures/', import.meta.url)
  const dir = fixturesDir instanceof URL ? fileURLToPath(fixturesDir) : fixturesDir
  const read = (name: string): Json => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as Json
  const firstItem = (name: string): Json => ((read(name).data as Json[] | undefined) ?? [])[0] ?? {}

  const fixtureUser = read('user_info.json').user as FakeTerraUser
  const templates = {
    activity: firstItem('activity_get.json'),
    sleep: firstItem('sleep_get.json'),
    daily: firstItem('daily_get.json'),
    body: firstItem('body_get.json'),
  }
  const activityCount = Math.max(0, options.activityCount ?? 24)
  const healthDays = Math.max(0, options.healthDays ?? 14)

  let webhookUrl = options.webhookUrl
  let counter = 0
  const users = new Map<string, { user: FakeTerraUser; index: number; revoked: boolean }>()
  const sessions = new Map<string, { body: Json; createdMs: number }>()
  const spend = new Map<string, { atMs: number; days: number }[]>()
  const datasets = new Map<string, Record<DataType, Json[]>>()
  const deliveries: { type: string; status: number }[] = []
  const pending = new Set<Promise<unknown>>()

  const nextId = (): string => {
    counter += 1
    const hex = createHash('sha1').update(`fake-terra:${counter}`).digest('hex')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }

  const addUser = (user: FakeTerraUser): void => {
    users.set(user.user_id, { user, index: users.size, revoked: false })
  }
  addUser(fixtureUser)

  const generate = (suffix: string): Record<DataType, Json[]> => {
    const shifted = (template: Json, days: number) =>
      mapStrings(template, (text) => shiftLocal(text, days, offsetAt)) as Json
    const withId = (item: Json, id: string | undefined): Json =>
      id === undefined
        ? item
        : { ...item, metadata: { ...(item.metadata as Json), summary_id: id } }
    const activityBase = BigInt(String((templates.activity.metadata as Json).summary_id))
    const sleepBase = String((templates.sleep.metadata as Json).summary_id)
    const activity = Array.from({ length: activityCount }, (_, k) =>
      withId(shifted(templates.activity, -2 * k), `${activityBase - BigInt(k * 1000)}${suffix}`),
    )
    const sleep = Array.from({ length: healthDays }, (_, k) =>
      withId(
        shifted(templates.sleep, -k),
        k === 0 ? `${sleepBase}${suffix}` : `${sleepBase}-${k}${suffix}`,
      ),
    )
    const daily = Array.from({ length: healthDays }, (_, k) => shifted(templates.daily, -k))
    const body = Array.from({ length: healthDays }, (_, k) => shifted(templates.body, -k))
    const ascending = (items: Json[]) => items.sort((left, right) => startMs(left) - startMs(right))
    return {
      activity: ascending(activity),
      sleep: ascending(sleep),
      daily: ascending(daily),
      body: ascending(body),
      nutrition: [],
      menstruation: [],
    }
  }

  const datasetOf = (userId: string): Record<DataType, Json[]> => {
    let dataset = datasets.get(userId)
    if (dataset === undefined) {
      const index = users.get(userId)?.index ?? 0
      dataset = generate(index === 0 ? '' : `-u${index}`)
      datasets.set(userId, dataset)
    }
    return dataset
  }

  const send = (payload: Json): Promise<TerraDeliveryResult> => {
    const type = String(payload.type)
    if (webhookUrl === undefined) {
      return Promise.resolve({ status: 0, body: 'no webhook url' })
    }
    const delivery = deliverTerraWebhook(webhookUrl, payload, {
      secret: signingSecret,
      timestampSeconds: Math.floor(now().getTime() / 1000),
    }).then(
      (result) => {
        deliveries.push({ type, status: result.status })
        return result
      },
      () => {
        deliveries.push({ type, status: 0 })
        return { status: 0, body: 'network error' }
      },
    )
    pending.add(delivery)
    void delivery.finally(() => pending.delete(delivery))
    return delivery
  }

  const terraError = (status: number, message: string, headers?: Record<string, string>) => ({
    status,
    body: { status: 'error', message },
    ...(headers === undefined ? {} : { headers }),
  })

  const authed =
    (handler: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>) =>
    (request: FakeRequest): FakeResponse | Promise<FakeResponse> =>
      request.headers['dev-id'] === devId && request.headers['x-api-key'] === apiKey
        ? handler(request)
        : terraError(401, 'Unauthorized: invalid dev-id or x-api-key')

  const jsonBody = (request: FakeRequest): Json => {
    try {
      const parsed = JSON.parse(request.body) as unknown
      return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {}
    } catch {
      return {}
    }
  }

  const knownUser = (request: FakeRequest) => {
    const id = request.query.get('user_id') ?? ''
    const entry = users.get(id)
    return entry === undefined || entry.revoked ? undefined : entry
  }

  const connect = async (
    reference: string | null,
    resource: string,
    extra: Json = {},
  ): Promise<FakeTerraUser> => {
    const user: FakeTerraUser = {
      user_id: nextId(),
      provider: resource,
      reference_id: reference,
      scopes: 'ACTIVITY_EXPORT,HEALTH_EXPORT',
      last_webhook_update: null,
      active: true,
    }
    addUser(user)
    await send({ type: 'auth', user, status: 'success', reference_id: reference, ...extra })
    return user
  }

  const redirectOrJson = (target: unknown, params: Record<string, string>): FakeResponse => {
    if (typeof target !== 'string' || target === '')
      return { body: { status: 'success', ...params } }
    const url = new URL(target)
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    return { status: 302, headers: { location: url.toString() } }
  }

  const data =
    (type: DataType) =>
    (request: FakeRequest): FakeResponse => {
      const entry = knownUser(request)
      if (entry === undefined) return terraError(404, 'User not found')
      const start = parseDateParam(request.query.get('start_date'))
      const endParam = request.query.get('end_date')
      const end = endParam === null ? undefined : parseDateParam(endParam)
      if (start === undefined || (endParam !== null && end === undefined)) {
        return terraError(
          400,
          'start_date (and end_date when given) must be YYYY-MM-DD or Unix seconds',
        )
      }
      const days = requestDays(request.query.get('start_date'), endParam)
      if (days > maxDaysPerRequest) {
        return terraError(400, `a request may span at most ${maxDaysPerRequest} days`)
      }
      const nowMs = now().getTime()
      const log = (spend.get(entry.user.user_id) ?? []).filter(
        (spent) => spent.atMs + hourMs > nowMs,
      )
      spend.set(entry.user.user_id, log)
      const used = log.reduce((sum, spent) => sum + spent.days, 0)
      if (used + days > daysPerHour) {
        const reset = Math.max(1, Math.ceil(((log[0]?.atMs ?? nowMs) + hourMs - nowMs) / 1000))
        return terraError(429, 'Rate limit exceeded: too many requested days in the last hour', {
          'x-terra-ratelimit-rule': 'cumulative_days',
          'x-terra-ratelimit-reset': String(reset),
        })
      }
      log.push({ atMs: nowMs, days })
      const selected = datasetOf(entry.user.user_id)[type].filter((item) => {
        if (start.ms !== undefined) {
          const endMs = end?.ms ?? nowMs
          return startMs(item) >= start.ms && startMs(item) < endMs
        }
        const from = start.date as string
        const until = end?.date ?? new Date(nowMs + dayMs).toISOString().slice(0, 10)
        const last =
          until <= from
            ? new Date(Date.parse(`${from}T00:00:00Z`) + dayMs).toISOString().slice(0, 10)
            : until
        const date = localDate(item)
        return date >= from && date < last
      })
      const items =
        request.query.get('with_samples') === 'true'
          ? selected
          : (withoutSamples(selected) as Json[])
      if (request.query.get('to_webhook') === 'true') {
        const reference = nextId()
        void send({ type, user: entry.user, data: items, reference })
        return {
          body: {
            status: 'success',
            type,
            user: entry.user,
            message: 'Data is being processed and will be delivered to the configured destination',
            reference,
          },
        }
      }
      return { body: { status: 'success', type, user: entry.user, data: items } }
    }

  const routes: FakeRoute[] = [
    {
      method: 'POST',
      path: `${api}/auth/generateWidgetSession`,
      respond: authed((request) => {
        const body = jsonBody(request)
        if (typeof body.reference_id !== 'string' || body.reference_id === '') {
          return terraError(400, 'reference_id is required')
        }
        const sessionId = nextId()
        sessions.set(sessionId, { body, createdMs: now().getTime() })
        return {
          body: {
            session_id: sessionId,
            status: 'success',
            url: `${fake.url}/widget/session/${sessionId}`,
            expires_in: sessionTtlSeconds,
          },
        }
      }),
    },
    {
      path: '/widget/session/:id',
      respond: async (request) => {
        const id = request.params.id ?? ''
        const session = sessions.get(id)
        if (session === undefined) return terraError(404, 'Unknown widget session')
        if (now().getTime() - session.createdMs > sessionTtlSeconds * 1000) {
          return session.body.auth_failure_redirect_url === undefined
            ? terraError(410, 'Widget session expired')
            : redirectOrJson(session.body.auth_failure_redirect_url, { reason: 'session_expired' })
        }
        const user = await fake.completeWidgetSession(id)
        return redirectOrJson(session.body.auth_success_redirect_url, {
          user_id: user,
          resource: users.get(user)?.user.provider ?? 'GARMIN',
          reference_id: String(session.body.reference_id),
        })
      },
    },
    {
      method: 'POST',
      path: `${api}/auth/authenticateUser`,
      respond: authed((request) => {
        const resource = request.query.get('resource') ?? ''
        if (!/^[A-Z0-9_]{1,40}$/.test(resource)) return terraError(400, 'resource is required')
        const body = jsonBody(request)
        const reference = typeof body.reference_id === 'string' ? body.reference_id : null
        const user: FakeTerraUser = {
          user_id: nextId(),
          provider: resource,
          reference_id: reference,
          scopes: 'ACTIVITY_EXPORT,HEALTH_EXPORT',
          last_webhook_update: null,
          active: false,
        }
        addUser(user)
        const entry = users.get(user.user_id)
        if (entry !== undefined) entry.revoked = true
        sessions.set(user.user_id, { body, createdMs: now().getTime() })
        return {
          body: {
            status: 'success',
            user_id: user.user_id,
            auth_url: `${fake.url}/connect/${user.user_id}`,
            reference_id: reference,
          },
        }
      }),
    },
    {
      path: '/connect/:id',
      respond: async (request) => {
        const entry = users.get(request.params.id ?? '')
        const session = sessions.get(request.params.id ?? '')
        if (entry === undefined || session === undefined) return terraError(404, 'Unknown user')
        const user = { ...entry.user, active: true }
        users.set(user.user_id, { ...entry, user, revoked: false })
        sessions.delete(user.user_id)
        await send({ type: 'auth', user, status: 'success', reference_id: user.reference_id })
        return redirectOrJson(session.body.auth_success_redirect_url, {
          user_id: user.user_id,
          resource: user.provider,
        })
      },
    },
    {
      method: 'DELETE',
      path: `${api}/auth/deauthenticateUser`,
      respond: authed(async (request) => {
        const id = request.query.get('user_id') ?? ''
        const entry = users.get(id)
        if (entry === undefined) return terraError(404, 'User not found')
        users.delete(id)
        await send({
          type: 'deauth',
          user: entry.user,
          status: 'success',
          message: 'User has requested deauthentication',
        })
        return { fixture: 'auth_deauthenticate_user.json' }
      }),
    },
    {
      path: `${api}/userInfo`,
      respond: authed((request) => {
        const entry = users.get(request.query.get('user_id') ?? '')
        if (entry === undefined) return terraError(404, 'User not found')
        return {
          body: { status: 'success', user: entry.user, is_authenticated: !entry.revoked },
        }
      }),
    },
    {
      path: `${api}/subscriptions`,
      respond: authed(() => ({
        body: {
          users: [...users.values()].filter((entry) => !entry.revoked).map((entry) => entry.user),
        },
      })),
    },
    ...dataTypes.map((type) => ({ path: `${api}/${type}`, respond: authed(data(type)) })),
  ]

  const upstream = await startFakeUpstream({ routes, fixturesDir: dir, now, requireAuth: false })

  const fake: FakeTerra = {
    url: upstream.url,
    apiBaseUrl: `${upstream.url}${api}`,
    devId,
    apiKey,
    signingSecret,
    terraUserId: fixtureUser.user_id,
    referenceId: String(fixtureUser.reference_id),
    upstream,
    users: () => [...users.values()].map((entry) => entry.user),
    setWebhookUrl(url) {
      webhookUrl = url
    },
    async deliver(payload, deliverOptions = {}) {
      if (webhookUrl === undefined) throw new Error('fake terra: no webhook url is set')
      const result = await deliverTerraWebhook(webhookUrl, payload, {
        secret: deliverOptions.secret ?? signingSecret,
        timestampSeconds: deliverOptions.timestampSeconds ?? Math.floor(now().getTime() / 1000),
      })
      const type =
        typeof payload === 'object' && payload !== null ? String((payload as Json).type) : 'raw'
      deliveries.push({ type, status: result.status })
      return result
    },
    async completeWidgetSession(sessionId, resource) {
      const session = sessions.get(sessionId)
      if (session === undefined) throw new Error(`fake terra: unknown widget session ${sessionId}`)
      sessions.delete(sessionId)
      const offered = typeof session.body.providers === 'string' ? session.body.providers : ''
      const chosen = resource ?? (offered.split(',')[0]?.trim() || 'GARMIN')
      const user = await connect(String(session.body.reference_id), chosen, {
        widget_session_id: sessionId,
      })
      return user.user_id
    },
    async revokeAccess(terraUserId) {
      const entry = users.get(terraUserId)
      if (entry === undefined) throw new Error(`fake terra: unknown user ${terraUserId}`)
      entry.revoked = true
      await send({ type: 'access_revoked', user: entry.user, status: 'warning' })
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending])
    },
    deliveries,
    usedDays(terraUserId) {
      const nowMs = now().getTime()
      return (spend.get(terraUserId) ?? [])
        .filter((spent) => spent.atMs + hourMs > nowMs)
        .reduce((sum, spent) => sum + spent.days, 0)
    },
    script: (route, responses) => upstream.script(route, responses),
    failNext(route, count, status = 502) {
      upstream.script(
        route,
        Array.from({ length: count }, () => ({
          status,
          body: { status: 'error', message: 'Bad Gateway' },
        })),
      )
    },
    requestsTo: (route) => upstream.requestsTo(route),
    close: async () => {
      await fake.idle()
      await upstream.close()
    },
  }
  return fake
}
