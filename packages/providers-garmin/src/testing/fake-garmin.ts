import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type {
  FakeRequest,
  FakeResponse,
  FakeRoute,
  FakeTokenSet,
  FakeUpstream,
} from '@pierre/providers-core/testing'
import { startFakeUpstream } from '@pierre/providers-core/testing'

/** The summary types the fake holds data for. */
export type FakeGarminDataType =
  | 'activities'
  | 'activityDetails'
  | 'sleeps'
  | 'dailies'
  | 'hrv'
  | 'userMetrics'

/**
 * Where the fake delivers notifications: a URL it POSTs to, or anything with the `handle` of a
 * Garmin receiver (called in process, no HTTP server needed).
 */
export type GarminDeliveryTarget =
  | string
  | URL
  | {
      handle(request: {
        readonly body: string
        readonly headers: Readonly<Record<string, string>>
      }): Promise<{ readonly status: number; readonly body: unknown }>
    }

/** The answer of the receiver to one delivery. */
export interface FakeGarminDelivery {
  readonly status: number
  readonly body: unknown
}

/** Options of {@link startFakeGarmin}. */
export interface FakeGarminOptions {
  /** The fake's clock (token expiry, callback tokens); `() => new Date()` by default. */
  readonly now?: () => Date
  /** The client id sent in `garmin-client-id` and required at the token endpoint. */
  readonly clientId?: string
  /** When set, the token endpoint checks the client secret too. */
  readonly clientSecret?: string
  /** The Garmin user id of the fake's user; the fixtures' by default. */
  readonly userId?: string
  /** The permissions the user granted; `ACTIVITY_EXPORT`, `HEALTH_EXPORT`, `HISTORICAL_DATA_EXPORT` by default. */
  readonly permissions?: readonly string[]
  /** Activities of the user: the fixture run, then copies one day earlier each; 5 by default. */
  readonly activityCount?: number
  /** Days of sleep, dailies, HRV and user metrics ending on 2025-03-14; 7 by default. */
  readonly dayCount?: number
  /** Access-token lifetime, seconds; 86 400 by default. */
  readonly accessTokenTtlSeconds?: number
  /** Waits this long before answering token requests, to widen refresh races. */
  readonly tokenDelayMs?: number
  /** Where backfilled data and the deregistration notification go. */
  readonly receiver?: GarminDeliveryTarget
  /** How backfilled data is delivered: inline (`push`, default) or as pings. */
  readonly backfillDelivery?: 'push' | 'ping'
  /** Directory of the Garmin fixtures; the copies shipped with this package by default. */
  readonly fixturesDir?: string | URL
}

/** A running fake Garmin on 127.0.0.1. */
export interface FakeGarmin {
  /** `http://127.0.0.1:<port>`, also the API base URL (`/wellness-api/rest/…`). */
  readonly url: string
  /** The `baseUrl` of providers and the `apiBaseUrl` of receivers. */
  readonly apiBaseUrl: string
  /** The OAuth endpoints (`/connect/oauth2Confirm`, `/diauth/di-oauth2-service/oauth/token`). */
  readonly oauthEndpoints: {
    readonly authorizationEndpoint: string
    readonly tokenEndpoint: string
  }
  readonly clientId: string
  /** The Garmin user id of the fake's user. */
  readonly userId: string
  /** The user's summaries by type, as Garmin sends them, newest first. */
  readonly summaries: Readonly<
    Record<FakeGarminDataType, readonly Readonly<Record<string, unknown>>[]>
  >
  /** The permissions the user grants now. */
  readonly permissions: readonly string[]
  /** The underlying fake upstream: requests, scripts, token registry. */
  readonly upstream: FakeUpstream
  /** Issues a token pair directly (no browser flow). */
  issueTokens(options?: { readonly expiresInSeconds?: number }): FakeTokenSet
  /** Changes the user's permissions (what `/user/permissions` answers, whether backfill is allowed). */
  setPermissions(permissions: readonly string[]): void
  /** Sets where backfilled data and the deregistration notification go. */
  setReceiver(target: GarminDeliveryTarget | undefined): void
  /** Delivers a push of one summary type (all the user's items, or `items`). */
  push(
    target: GarminDeliveryTarget,
    summaryType: FakeGarminDataType,
    options?: { readonly items?: readonly unknown[] },
  ): Promise<FakeGarminDelivery>
  /** Delivers a ping of one summary type whose callback serves the user's items (or `items`). */
  ping(
    target: GarminDeliveryTarget,
    summaryType: FakeGarminDataType,
    options?: { readonly items?: readonly unknown[] },
  ): Promise<FakeGarminDelivery>
  /**
   * Returns a fresh callback URL serving `items` (the user's items of the type by default), valid
   * 24 h by the fake's clock, as a ping carries it.
   */
  callbackUrl(
    summaryType: FakeGarminDataType,
    options?: { readonly items?: readonly unknown[] },
  ): string
  /**
   * Delivers any body (an object is sent as JSON, a string as is) with the `garmin-client-id`
   * header (overridable through `headers`).
   */
  deliver(
    target: GarminDeliveryTarget,
    body: unknown,
    options?: { readonly headers?: Readonly<Record<string, string>> },
  ): Promise<FakeGarminDelivery>
  /** Waits until deliveries the fake started itself (after a backfill or deregistration) are done. */
  settled(): Promise<void>
  /** Queues responses for the next matching requests (`'GET /wellness-api/rest/user/id'`). */
  script(route: string, responses: readonly FakeResponse[]): void
  /** Queues `count` 5xx answers (503 by default) for a route. */
  failNext(route: string, count: number, status?: number): void
  /** Queues `count` 429 answers with `Retry-After: retryAfterSeconds` for a route. */
  rateLimitNext(route: string, count: number, retryAfterSeconds: number): void
  /** Requests to a route (`'/wellness-api/rest/user/id'` or `'GET /wellness-api/rest/sleeps'`). */
  requestsTo(route: string): readonly FakeRequest[]
  /** How many refresh grants the token endpoint answered. */
  readonly refreshCount: number
  close(): Promise<void>
}

const rest = '/wellness-api/rest'
const authorizePath = '/connect/oauth2Confirm'
const tokenPath = '/diauth/di-oauth2-service/oauth/token'
const dayS = 86_400
const dataTypes: readonly FakeGarminDataType[] = [
  'activities',
  'activityDetails',
  'sleeps',
  'dailies',
  'hrv',
  'userMetrics',
]
const fixtureFiles: Readonly<Record<FakeGarminDataType, string>> = {
  activities: 'push_activities.json',
  activityDetails: 'push_activity_details.json',
  sleeps: 'push_sleeps.json',
  dailies: 'push_dailies.json',
  hrv: 'push_hrv.json',
  userMetrics: 'push_user_metrics.json',
}

type Json = Record<string, unknown>

interface CallbackGrant {
  readonly summaryType: FakeGarminDataType
  readonly items: readonly unknown[]
  readonly expiresAtMs: number
}

/**
 * Starts a fake Garmin Health/Activity API on 127.0.0.1, built on providers-core's fake upstream
 * and answering from the recorded (approximate) fixtures: OAuth 2.0 with PKCE on two path prefixes
 * standing for Garmin's two hosts (`/connect/oauth2Confirm`, `/diauth/di-oauth2-service/oauth/token`,
 * rotating refresh tokens), `GET /wellness-api/rest/user/id` and `/user/permissions`,
 * `DELETE /user/registration` (204, then a deregistration notification to the receiver),
 * `GET /backfill/{type}` (202 then delivery to the receiver; 400 beyond 30 days, 409 for a repeated
 * window, 403 without `HISTORICAL_DATA_EXPORT`), and ping callbacks
 * `GET /wellness-api/rest/{type}?uploadStartTimeInSeconds=&uploadEndTimeInSeconds=&token=` (window
 * ≤ 24 h, token valid 24 h). Every API route needs a valid bearer token (401 when expired);
 * 5xx and 429 answers can be scripted. `push`, `ping` and `deliver` send notifications with the
 * `garmin-client-id` header to a receiver.
 *
 * @example
 * ```ts
 * const garmin = await startFakeGarmin()
 * await garmin.push(receiver, 'sleeps')
 * await garmin.close()
 * ```
 */
export async function startFakeGarmin(options: FakeGarminOptions = {}): Promise<FakeGarmin> {
  const now = options.now ?? (() => new Date())
  const fixturesDir = options.fixturesDir ?? new URL('../../test/fixtures/', import.meta.url)
  const dir = fixturesDir instanceof URL ? fileURLToPath(fixturesDir) : fixturesDir
  const read = (name: string): unknown => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'))
  const clientId = options.clientId ?? 'fake-garmin-client'
  const fixtureUser = (read('user_id.json') as { userId: string }).userId
  const userId = options.userId ?? fixtureUser
  let permissions: readonly string[] =
    options.permissions ?? (read('user_permissions.json') as string[])
  let receiver = options.receiver
  let deregistered = false
  const summaries = generateSummaries(read, {
    userId,
    activityCount: options.activityCount ?? 5,
    dayCount: options.dayCount ?? 7,
  })
  const callbackGrants = new Map<string, CallbackGrant>()
  const backfills = new Set<string>()
  const inFlight = new Set<Promise<unknown>>()

  const errorBody = (status: number, errorMessage: string): FakeResponse => ({
    status,
    body: { errorMessage },
  })

  const track = (work: Promise<unknown>): void => {
    const running = work.catch(() => undefined).finally(() => inFlight.delete(running))
    inFlight.add(running)
  }

  const deliver = async (
    target: GarminDeliveryTarget,
    body: unknown,
    deliverOptions: { readonly headers?: Readonly<Record<string, string>> } = {},
  ): Promise<FakeGarminDelivery> => {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    const headers = {
      'content-type': 'application/json',
      'garmin-client-id': clientId,
      ...deliverOptions.headers,
    }
    if (typeof target === 'string' || target instanceof URL) {
      const response = await fetch(target, { method: 'POST', headers, body: text })
      const answer = await response.text()
      let parsed: unknown = answer
      try {
        parsed = answer === '' ? undefined : JSON.parse(answer)
      } catch {
        // A receiver may answer plain text; keep it as is.
      }
      return { status: response.status, body: parsed }
    }
    const answer = await target.handle({ body: text, headers })
    return { status: answer.status, body: answer.body }
  }

  const callbackUrl = (
    summaryType: FakeGarminDataType,
    callbackOptions: { readonly items?: readonly unknown[] } = {},
  ): string => {
    const token = randomUUID().replace(/-/g, '')
    const nowMs = now().getTime()
    callbackGrants.set(token, {
      summaryType,
      items: callbackOptions.items ?? summaries[summaryType],
      expiresAtMs: nowMs + dayS * 1000,
    })
    const uploadEnd = Math.floor(nowMs / 1000)
    const query = new URLSearchParams({
      uploadStartTimeInSeconds: String(uploadEnd - 60),
      uploadEndTimeInSeconds: String(uploadEnd),
      token,
    })
    return `${upstream.url}${rest}/${summaryType}?${query.toString()}`
  }

  const pushBody = (summaryType: FakeGarminDataType, items: readonly unknown[]) => ({
    [summaryType]: items,
  })
  const pingBody = (summaryType: FakeGarminDataType, items?: readonly unknown[]) => ({
    [summaryType]: [
      { userId, callbackURL: callbackUrl(summaryType, items === undefined ? {} : { items }) },
    ],
  })

  const api =
    (handler: (request: FakeRequest) => FakeResponse) =>
    (request: FakeRequest): FakeResponse =>
      deregistered ? errorBody(401, 'user is not registered') : handler(request)

  const backfill = (request: FakeRequest): FakeResponse => {
    if (!permissions.includes('HISTORICAL_DATA_EXPORT')) {
      return errorBody(403, 'user did not grant HISTORICAL_DATA_EXPORT')
    }
    const start = integerOf(request.query.get('summaryStartTimeInSeconds'))
    const end = integerOf(request.query.get('summaryEndTimeInSeconds'))
    if (start === undefined || end === undefined || end <= start) {
      return errorBody(400, 'summaryStartTimeInSeconds and summaryEndTimeInSeconds are required')
    }
    if (end - start > 30 * dayS) return errorBody(400, 'the window may not exceed 30 days')
    const type = request.params.type ?? ''
    const key = `${type}:${start}:${end}`
    if (backfills.has(key)) return errorBody(409, 'duplicate backfill request')
    backfills.add(key)
    const target = receiver
    if (target !== undefined && (dataTypes as readonly string[]).includes(type)) {
      const summaryType = type as FakeGarminDataType
      const items = summaries[summaryType].filter((item) => {
        const at = startOf(item)
        return at !== undefined && at >= start && at < end
      })
      if (items.length > 0) {
        const body =
          options.backfillDelivery === 'ping'
            ? pingBody(summaryType, items)
            : pushBody(summaryType, items)
        // Garmin answers first and delivers later.
        track(new Promise((resolve) => setImmediate(resolve)).then(() => deliver(target, body)))
      }
    }
    return { status: 202 }
  }

  const callback = (request: FakeRequest): FakeResponse => {
    const token = request.query.get('token') ?? ''
    const grant = callbackGrants.get(token)
    if (grant === undefined || grant.expiresAtMs <= now().getTime()) {
      return errorBody(400, 'unknown or expired callback token')
    }
    if (grant.summaryType !== request.params.type) return errorBody(400, 'token of another type')
    const start = integerOf(request.query.get('uploadStartTimeInSeconds'))
    const end = integerOf(request.query.get('uploadEndTimeInSeconds'))
    if (start === undefined || end === undefined || end < start || end - start > dayS) {
      return errorBody(400, 'the upload window must be given and at most 24 hours')
    }
    return { body: grant.items }
  }

  const routes: FakeRoute[] = [
    { path: `${rest}/user/id`, respond: api(() => ({ body: { userId } })) },
    { path: `${rest}/user/permissions`, respond: api(() => ({ body: [...permissions] })) },
    {
      method: 'DELETE',
      path: `${rest}/user/registration`,
      respond: api(() => {
        deregistered = true
        const target = receiver
        if (target !== undefined) {
          track(deliver(target, { deregistrations: [{ userId }] }))
        }
        return { status: 204 }
      }),
    },
    { path: `${rest}/backfill/:type`, respond: api(backfill) },
    { path: `${rest}/:type`, respond: api(callback) },
  ]

  const upstream = await startFakeUpstream({
    routes,
    fixturesDir: dir,
    now,
    seed: 'fake-garmin',
    oauth: {
      authorizePath,
      tokenPath,
      revokePath: '/diauth/__fake_revoke',
      clientId,
      ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? dayS,
      rotateRefreshTokens: true,
      ...(options.tokenDelayMs === undefined ? {} : { tokenDelayMs: options.tokenDelayMs }),
      extraTokenFields: ({ grantType }) => {
        // A new consent registers the user again.
        if (grantType === 'authorization_code') deregistered = false
        return {
          token_type: 'bearer',
          scope: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE',
          jti: randomUUID(),
          refresh_token_expires_in: 7_775_999,
        }
      },
    },
  })

  return {
    url: upstream.url,
    apiBaseUrl: upstream.url,
    oauthEndpoints: {
      authorizationEndpoint: `${upstream.url}${authorizePath}`,
      tokenEndpoint: `${upstream.url}${tokenPath}`,
    },
    clientId,
    userId,
    summaries,
    get permissions() {
      return permissions
    },
    upstream,
    issueTokens: (issueOptions = {}) =>
      upstream.tokens.issue(
        issueOptions.expiresInSeconds === undefined
          ? {}
          : { expiresInSeconds: issueOptions.expiresInSeconds },
      ),
    setPermissions(next) {
      permissions = [...next]
    },
    setReceiver(target) {
      receiver = target
    },
    push: (target, summaryType, pushOptions = {}) =>
      deliver(target, pushBody(summaryType, pushOptions.items ?? summaries[summaryType])),
    ping: (target, summaryType, pingOptions = {}) =>
      deliver(target, pingBody(summaryType, pingOptions.items)),
    callbackUrl,
    deliver,
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight])
    },
    script: (route, responses) => upstream.script(route, responses),
    failNext(route, count, status = 503) {
      upstream.script(
        route,
        Array.from({ length: count }, () => errorBody(status, 'Service Unavailable')),
      )
    },
    rateLimitNext(route, count, retryAfterSeconds) {
      upstream.script(
        route,
        Array.from({ length: count }, () => ({
          ...errorBody(429, 'Rate limit exceeded'),
          headers: { 'retry-after': String(retryAfterSeconds) },
        })),
      )
    },
    requestsTo: (route) => upstream.requestsTo(route),
    get refreshCount() {
      return upstream.tokens.refreshCount
    },
    close: () => upstream.close(),
  }
}

function integerOf(value: string | null): number | undefined {
  if (value === null || !/^-?\d+$/.test(value.trim())) return undefined
  return Number(value)
}

// The instant a summary is about, in epoch seconds (for backfill windows).
function startOf(item: Readonly<Record<string, unknown>>): number | undefined {
  const summary = item.summary as Json | undefined
  const start = item.startTimeInSeconds ?? summary?.startTimeInSeconds
  if (typeof start === 'number') return start
  const date = item.calendarDate
  return typeof date === 'string' ? Date.parse(`${date}T00:00:00Z`) / 1000 : undefined
}

/** The user's summaries: the fixtures, then copies shifted back one day at a time, newest first. */
function generateSummaries(
  read: (name: string) => unknown,
  settings: { readonly userId: string; readonly activityCount: number; readonly dayCount: number },
): Record<FakeGarminDataType, Json[]> {
  const result = {} as Record<FakeGarminDataType, Json[]>
  for (const type of dataTypes) {
    const fixture = (read(fixtureFiles[type]) as Record<string, Json[]>)[type] ?? []
    const template = fixture[0]
    const count =
      type === 'activityDetails'
        ? 1
        : type === 'activities'
          ? settings.activityCount
          : settings.dayCount
    const items: Json[] = []
    for (let day = 0; template !== undefined && day < count; day += 1) {
      items.push({ ...shifted(template, day * dayS), userId: settings.userId })
    }
    result[type] = items
  }
  return result
}

function shifted(value: Json, seconds: number): Json {
  if (seconds === 0) return structuredClone(value)
  const walk = (node: unknown, key: string): unknown => {
    if (Array.isArray(node)) return node.map((entry) => walk(entry, ''))
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([name, entry]) => [name, walk(entry, name)]),
      )
    }
    if (typeof node === 'number' && /TimeInSeconds$/.test(key)) return node - seconds
    if (typeof node === 'string' && key === 'calendarDate') {
      return new Date(Date.parse(`${node}T00:00:00Z`) - seconds * 1000).toISOString().slice(0, 10)
    }
    return node
  }
  const copy = walk(value, '') as Json
  const days = seconds / dayS
  if (typeof copy.activityId === 'number') {
    copy.activityId = copy.activityId - days * 1_000_003
    copy.summaryId = String(copy.activityId)
  } else if (typeof copy.summaryId === 'string') {
    // Garmin's wellness summary ids end in the hex start time; keep them unique per day.
    const match = /^(x[0-9a-f]+-)([0-9a-f]+)(.*)$/.exec(copy.summaryId)
    copy.summaryId =
      match === null
        ? `${copy.summaryId}-${days}`
        : `${match[1]}${(Number.parseInt(match[2] as string, 16) - seconds).toString(16)}${match[3]}`
  }
  return copy
}
