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

/** Options of {@link startFakeStrava}. */
export interface FakeStravaOptions {
  /**
   * How many activities the athlete has; 45 by default. The five fixture activities come first
   * (newest), the rest are copies of them shifted back a week at a time, with new ids.
   */
  readonly activityCount?: number
  /** The fake's clock (token expiry, rate-limit windows); `() => new Date()` by default. */
  readonly now?: () => Date
  /** When set, the token endpoint checks the client id (and secret). */
  readonly clientId?: string
  readonly clientSecret?: string
  /** Overall limits `[15 min, daily]`; `[200, 2000]` by default. */
  readonly rateLimit?: readonly [number, number]
  /** Read limits `[15 min, daily]`; `[100, 1000]` by default. */
  readonly readRateLimit?: readonly [number, number]
  /** Access-token lifetime, seconds; 21 600 (6 h) by default. */
  readonly accessTokenTtlSeconds?: number
  /** Waits this long before answering token requests, to widen refresh races. */
  readonly tokenDelayMs?: number
  /** Directory of the Strava fixtures; the copies shipped with this package by default. */
  readonly fixturesDir?: string | URL
}

/** A running fake Strava on 127.0.0.1. */
export interface FakeStrava {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** `${url}/api/v3`, the `baseUrl` of a provider. */
  readonly apiBaseUrl: string
  /** `${url}/oauth`, for `stravaOAuthEndpoints`. */
  readonly oauthBaseUrl: string
  /** The id of the fake's athlete (48213977). */
  readonly athleteId: string
  /** The athlete's activities as the API returns them, newest first. */
  readonly activities: readonly Readonly<Record<string, unknown>>[]
  /** The underlying fake upstream: requests, scripts, token registry. */
  readonly upstream: FakeUpstream
  /**
   * Issues a token pair directly (no browser flow). `scopes` restricts what the access token may
   * read; all scopes by default.
   */
  issueTokens(options?: {
    readonly scopes?: readonly string[]
    readonly expiresInSeconds?: number
  }): FakeTokenSet
  /** Queues responses for the next matching requests (`'GET /api/v3/athlete'`). */
  script(route: string, responses: readonly FakeResponse[]): void
  /** Queues `count` Strava-shaped 5xx answers (502 by default) for a path. */
  failNext(route: string, count: number, status?: number): void
  /** Sets the usage of the current 15-minute (and optionally daily) window. */
  setUsage(fifteenMinutes: number, daily?: number): void
  /** Usage of the current windows, `[15 min, daily]`. */
  usage(): readonly [number, number]
  /** Requests to a path (`'/api/v3/athlete/activities'` or `'GET /api/v3/athlete'`). */
  requestsTo(route: string): readonly FakeRequest[]
  /** How many refresh grants the token endpoint answered. */
  readonly refreshCount: number
  close(): Promise<void>
}

const athleteId = '48213977'
const allScopes = ['read', 'read_all', 'profile:read_all', 'activity:read', 'activity:read_all']
const week = 7 * 86_400
const api = '/api/v3'
const builtInRevokePath = '/oauth/__fake_revoke'

/**
 * Starts a fake Strava API v3 and OAuth server on 127.0.0.1, built on providers-core's fake
 * upstream. It answers from the recorded fixtures like the real API: `/athlete`, `/athlete/zones`,
 * `/athletes/{id}/stats` (own id only), `/athlete/activities` with strict `before`/`after`
 * (ascending when `after` is given), `page` and `per_page` (≤ 200) over a generated history,
 * `/activities/{id}` (+ `/laps`, `/zones`, `/streams` with `keys` and `key_by_type`), Strava error
 * bodies (401 expired or unknown token, 401 missing scope, 404), the four rate-limit headers on
 * every API response with usage counted per 15-minute and daily window, 429 when a window is used
 * up, and `/oauth/authorize`, `/oauth/token` (code and refresh; 40-hex tokens with `expires_at`)
 * and `/oauth/deauthorize`.
 *
 * @example
 * ```ts
 * const strava = await startFakeStrava({ activityCount: 12 })
 * const { accessToken } = strava.issueTokens()
 * await strava.close()
 * ```
 */
export async function startFakeStrava(options: FakeStravaOptions = {}): Promise<FakeStrava> {
  const now = options.now ?? (() => new Date())
  const fixturesDir = options.fixturesDir ?? new URL('../../test/fixtures/', import.meta.url)
  const dir = fixturesDir instanceof URL ? fileURLToPath(fixturesDir) : fixturesDir
  const read = (name: string): unknown => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'))
  const templates = read('athlete_activities.json') as Record<string, unknown>[]
  const activities = generateActivities(templates, options.activityCount ?? 45)
  const byId = new Map(activities.map((activity) => [String(activity.id), activity]))
  const detailId = String(templates[0]?.id ?? '')
  const [shortLimit, dailyLimit] = options.rateLimit ?? [200, 2000]
  const [readShortLimit, readDailyLimit] = options.readRateLimit ?? [100, 1000]
  const scopesByToken = new Map<string, readonly string[]>()
  const windows = { shortStart: -1, dayStart: -1, short: 0, daily: 0 }

  const roll = (): void => {
    const seconds = Math.floor(now().getTime() / 1000)
    const shortStart = seconds - (seconds % 900)
    const dayStart = seconds - (seconds % 86_400)
    if (shortStart !== windows.shortStart) {
      windows.shortStart = shortStart
      windows.short = 0
    }
    if (dayStart !== windows.dayStart) {
      windows.dayStart = dayStart
      windows.daily = 0
    }
  }

  const rateHeaders = (): Record<string, string> => ({
    'x-ratelimit-limit': `${shortLimit},${dailyLimit}`,
    'x-ratelimit-usage': `${windows.short},${windows.daily}`,
    'x-readratelimit-limit': `${readShortLimit},${readDailyLimit}`,
    'x-readratelimit-usage': `${windows.short},${windows.daily}`,
  })

  const fixture = (name: string, status = 200): FakeResponse => ({ status, fixture: name })

  const hasScope = (request: FakeRequest, ...wanted: string[]): boolean => {
    const granted = scopesByToken.get(request.bearerToken ?? '') ?? allScopes
    return wanted.some((scope) => granted.includes(scope))
  }

  const missingScope = (field: string): FakeResponse => ({
    status: 401,
    body: {
      message: 'Authorization Error',
      errors: [{ resource: 'AccessToken', field, code: 'missing' }],
    },
  })

  const notFound = (resource: string): FakeResponse => ({
    status: 404,
    body: { message: 'Record Not Found', errors: [{ resource, field: 'id', code: 'invalid' }] },
  })

  // Every API call counts (rejected ones too) and carries the four headers.
  const counted =
    (handler: (request: FakeRequest) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      roll()
      windows.short += 1
      windows.daily += 1
      const limited =
        windows.short > Math.min(shortLimit, readShortLimit) ||
        windows.daily > Math.min(dailyLimit, readDailyLimit)
      const reply = limited ? fixture('error_429_rate_limit.json', 429) : handler(request)
      return { ...reply, headers: { ...rateHeaders(), ...reply.headers } }
    }

  const listActivities = (request: FakeRequest): FakeResponse => {
    if (!hasScope(request, 'activity:read', 'activity:read_all')) {
      return missingScope('activity:read_permission')
    }
    const before = optionalNumber(request.query.get('before'))
    const after = optionalNumber(request.query.get('after'))
    const page = Math.max(1, optionalNumber(request.query.get('page')) ?? 1)
    const perPage = Math.min(200, Math.max(1, optionalNumber(request.query.get('per_page')) ?? 30))
    let rows = activities.filter((activity) => {
      const start = Date.parse(String(activity.start_date)) / 1000
      return (before === undefined || start < before) && (after === undefined || start > after)
    })
    if (after !== undefined) rows = [...rows].reverse()
    return { body: rows.slice((page - 1) * perPage, page * perPage) }
  }

  const getActivity = (request: FakeRequest): FakeResponse => {
    if (!hasScope(request, 'activity:read', 'activity:read_all')) {
      return missingScope('activity:read_permission')
    }
    const id = request.params.id ?? ''
    if (id === detailId) return fixture('activity_detail.json')
    const summary = byId.get(id)
    return summary === undefined
      ? notFound('Activity')
      : { body: { ...summary, resource_state: 3 } }
  }

  const perActivity =
    (answer: (id: string, request: FakeRequest) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      if (!hasScope(request, 'activity:read', 'activity:read_all')) {
        return missingScope('activity:read_permission')
      }
      const id = request.params.id ?? ''
      return byId.has(id) || id === detailId ? answer(id, request) : notFound('Activity')
    }

  const streams = (id: string, request: FakeRequest): FakeResponse => {
    const recorded = (id === detailId ? read('activity_streams.json') : {}) as Record<
      string,
      Record<string, unknown>
    >
    const wanted = (request.query.get('keys') ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== '')
    const selected = Object.entries(recorded).filter(
      ([type]) => wanted.length === 0 || wanted.includes(type) || type === 'time',
    )
    if (request.query.get('key_by_type') === 'true') {
      return { body: Object.fromEntries(selected) }
    }
    return { body: selected.map(([type, stream]) => ({ type, ...stream })) }
  }

  const routes: FakeRoute[] = [
    { path: `${api}/athlete`, respond: counted(() => fixture('athlete.json')) },
    {
      path: `${api}/athlete/zones`,
      respond: counted((request) =>
        hasScope(request, 'profile:read_all')
          ? fixture('athlete_zones.json')
          : missingScope('profile:read_all_permission'),
      ),
    },
    {
      path: `${api}/athletes/:id/stats`,
      respond: counted((request) =>
        request.params.id === athleteId
          ? fixture('athlete_stats.json')
          : {
              status: 403,
              body: {
                message: 'Authorization Error',
                errors: [{ resource: 'Athlete', field: 'id', code: 'invalid' }],
              },
            },
      ),
    },
    { path: `${api}/athlete/activities`, respond: counted(listActivities) },
    { path: `${api}/activities/:id`, respond: counted(getActivity) },
    {
      path: `${api}/activities/:id/laps`,
      respond: counted(
        perActivity((id) => (id === detailId ? fixture('activity_laps.json') : { body: [] })),
      ),
    },
    {
      path: `${api}/activities/:id/zones`,
      respond: counted(
        perActivity((id) => (id === detailId ? fixture('activity_zones.json') : { body: [] })),
      ),
    },
    { path: `${api}/activities/:id/streams`, respond: counted(perActivity(streams)) },
    {
      // Strava echoes the revoked token; the built-in revocation does the revoking.
      method: 'POST',
      path: '/oauth/deauthorize',
      auth: false,
      respond: async (request, upstream) => {
        const token = request.form?.get('access_token') ?? request.bearerToken ?? ''
        await fetch(`${upstream.url}${builtInRevokePath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ access_token: token }),
        })
        return { body: { access_token: token } }
      },
    },
  ]

  const upstream = await startFakeUpstream({
    routes,
    fixturesDir: dir,
    now,
    seed: 'fake-strava',
    unauthorized: { status: 401, fixture: 'error_401_invalid_token.json' },
    oauth: {
      authorizePath: '/oauth/authorize',
      tokenPath: '/oauth/token',
      revokePath: builtInRevokePath,
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
      ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 21_600,
      rotateRefreshTokens: false,
      ...(options.tokenDelayMs === undefined ? {} : { tokenDelayMs: options.tokenDelayMs }),
      grantError: { status: 400, fixture: 'error_400_invalid_refresh_token.json' },
      extraTokenFields: ({ grantType, expiresAtSeconds }) => ({
        expires_at: expiresAtSeconds,
        ...(grantType === 'authorization_code'
          ? {
              athlete: (read('oauth_token_authorization_code.json') as { athlete: unknown })
                .athlete,
            }
          : {}),
      }),
    },
  })

  return {
    url: upstream.url,
    apiBaseUrl: `${upstream.url}${api}`,
    oauthBaseUrl: `${upstream.url}/oauth`,
    athleteId,
    activities,
    upstream,
    issueTokens(issueOptions = {}) {
      const set = upstream.tokens.issue({
        scopes: issueOptions.scopes ?? allScopes,
        ...(issueOptions.expiresInSeconds === undefined
          ? {}
          : { expiresInSeconds: issueOptions.expiresInSeconds }),
      })
      if (issueOptions.scopes !== undefined) scopesByToken.set(set.accessToken, issueOptions.scopes)
      return set
    },
    script: (route, responses) => upstream.script(route, responses),
    failNext(route, count, status = 502) {
      upstream.script(
        route,
        Array.from({ length: count }, () => ({
          status,
          body: { message: 'Bad Gateway', errors: [] },
        })),
      )
    },
    setUsage(fifteenMinutes, daily) {
      roll()
      windows.short = fifteenMinutes
      windows.daily = daily ?? Math.max(windows.daily, fifteenMinutes)
    },
    usage: () => {
      roll()
      return [windows.short, windows.daily] as const
    },
    requestsTo: (route) => upstream.requestsTo(route),
    get refreshCount() {
      return upstream.tokens.refreshCount
    },
    close: () => upstream.close(),
  }
}

function optionalNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const number = Number(value)
  return Number.isFinite(number) ? number : undefined
}

// The five fixture activities, then copies shifted back one week per round, with fresh ids.
function generateActivities(
  templates: readonly Record<string, unknown>[],
  count: number,
): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = []
  for (let index = 0; index < count; index += 1) {
    const template = templates[index % templates.length]
    if (template === undefined) break
    const round = Math.floor(index / templates.length)
    if (round === 0) {
      result.push(template)
      continue
    }
    const shift = (value: unknown): string => {
      const ms = Date.parse(String(value).replace(/Z?$/, 'Z')) - round * week * 1000
      const text = new Date(ms).toISOString().replace('.000Z', 'Z')
      return String(value).endsWith('Z') ? text : text.replace(/Z$/, '')
    }
    const startUtc = new Date(Date.parse(String(template.start_date)) - round * week * 1000)
    result.push({
      ...template,
      id: Number(template.id) - round * 1_000_003,
      start_date: startUtc.toISOString().replace('.000Z', 'Z'),
      start_date_local: shift(template.start_date_local),
      name: `${String(template.name)} (week −${round})`,
    })
  }
  return result.sort(
    (left, right) => Date.parse(String(right.start_date)) - Date.parse(String(left.start_date)),
  )
}
