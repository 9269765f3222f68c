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
import { googleHealthScopes } from '../descriptor.js'

/** Options of {@link startFakeGoogleHealth}. */
export interface FakeGoogleHealthOptions {
  /**
   * How many exercise sessions the user has; 30 by default. The five fixture sessions come first
   * (newest), the rest are copies shifted back a week at a time, with new ids.
   */
  readonly exerciseCount?: number
  /** The fake's clock (token expiry, quota windows); `() => new Date()` by default. */
  readonly now?: () => Date
  /** When set, the token endpoint checks the client id (and secret). */
  readonly clientId?: string
  readonly clientSecret?: string
  /** Requests per user per minute before a 429; 300 (the documented default) by default. */
  readonly requestsPerMinute?: number
  /** Access-token lifetime, seconds; 3599 (Google's one hour) by default. */
  readonly accessTokenTtlSeconds?: number
  /** Waits this long before answering token requests, to widen refresh races. */
  readonly tokenDelayMs?: number
  /** Directory of the Google Health fixtures; the copies shipped with this package by default. */
  readonly fixturesDir?: string | URL
}

/** A running fake Google Health API (and Google OAuth server) on 127.0.0.1. */
export interface FakeGoogleHealth {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** `${url}/v4`, the `baseUrl` of a provider. */
  readonly apiBaseUrl: string
  /** `${url}`, for `fitbitOAuthEndpoints` (`/o/oauth2/v2/auth`, `/token`, `/revoke`). */
  readonly oauthBaseUrl: string
  /** `${url}/1/user/-`, where the switched-off legacy Fitbit Web API answers 410 Gone. */
  readonly legacyBaseUrl: string
  /** The user's `healthUserId`. */
  readonly healthUserId: string
  /** The user's exercise data points as list returns them, newest first. */
  readonly exercises: readonly Readonly<Record<string, unknown>>[]
  /** The underlying fake upstream: requests, scripts, token registry. */
  readonly upstream: FakeUpstream
  /** Issues a token pair directly (no browser flow); all read scopes by default. */
  issueTokens(options?: {
    readonly scopes?: readonly string[]
    readonly expiresInSeconds?: number
  }): FakeTokenSet
  /** Queues responses for the next matching requests (`'GET /v4/users/me/identity'`). */
  script(route: string, responses: readonly FakeResponse[]): void
  /** Queues `count` Google-shaped 5xx answers (503 by default) for a route. */
  failNext(route: string, count: number, status?: number): void
  /** Sets how many requests the user has made in the current minute. */
  setUsage(requests: number): void
  /** Requests of the current minute. */
  usage(): number
  /** Requests to a path (`'/v4/users/me/identity'` or `'GET /v4/users/me/identity'`). */
  requestsTo(route: string): readonly FakeRequest[]
  /** How many refresh grants the token endpoint answered. */
  readonly refreshCount: number
  close(): Promise<void>
}

type Point = Readonly<Record<string, unknown>>
type Category = 'session' | 'sleep' | 'sample' | 'daily'

const healthUserId = '4k2Pq9Xw-Tm7Rb3Lc'
const userTimeZone = 'America/Toronto'
const week = 7 * 86_400_000
const api = '/v4/users/:user'
const internalTokenPath = '/__fake/token'
const allScopes = Object.values(googleHealthScopes)

/** Data types the fake serves: fixture file, category, camelCase union key and scope. */
const dataTypes: Readonly<
  Record<string, { file: string; category: Category; key: string; scope: string }>
> = {
  exercise: {
    file: 'exercise_list.json',
    category: 'session',
    key: 'exercise',
    scope: googleHealthScopes.activityAndFitness,
  },
  sleep: {
    file: 'sleep_list.json',
    category: 'sleep',
    key: 'sleep',
    scope: googleHealthScopes.sleep,
  },
  'heart-rate': {
    file: 'heart_rate_list.json',
    category: 'sample',
    key: 'heartRate',
    scope: googleHealthScopes.healthMetrics,
  },
  weight: {
    file: 'weight_list.json',
    category: 'sample',
    key: 'weight',
    scope: googleHealthScopes.healthMetrics,
  },
  height: {
    file: 'height_list.json',
    category: 'sample',
    key: 'height',
    scope: googleHealthScopes.healthMetrics,
  },
  'daily-resting-heart-rate': {
    file: 'daily_resting_heart_rate_list.json',
    category: 'daily',
    key: 'dailyRestingHeartRate',
    scope: googleHealthScopes.healthMetrics,
  },
  'daily-heart-rate-variability': {
    file: 'daily_heart_rate_variability_list.json',
    category: 'daily',
    key: 'dailyHeartRateVariability',
    scope: googleHealthScopes.healthMetrics,
  },
  'daily-respiratory-rate': {
    file: 'daily_respiratory_rate_list.json',
    category: 'daily',
    key: 'dailyRespiratoryRate',
    scope: googleHealthScopes.healthMetrics,
  },
  'daily-oxygen-saturation': {
    file: 'daily_oxygen_saturation_list.json',
    category: 'daily',
    key: 'dailyOxygenSaturation',
    scope: googleHealthScopes.healthMetrics,
  },
  'daily-sleep-temperature-derivations': {
    file: 'daily_sleep_temperature_derivations_list.json',
    category: 'daily',
    key: 'dailySleepTemperatureDerivations',
    scope: googleHealthScopes.healthMetrics,
  },
  'daily-heart-rate-zones': {
    file: 'daily_heart_rate_zones_list.json',
    category: 'daily',
    key: 'dailyHeartRateZones',
    scope: googleHealthScopes.healthMetrics,
  },
}

// Filter members the list reference documents, by category.
const filterMembers: Readonly<Record<Category, readonly string[]>> = {
  session: ['interval.civil_start_time'],
  sleep: ['interval.end_time', 'interval.civil_end_time'],
  sample: ['sample_time.physical_time', 'sample_time.civil_time'],
  daily: ['date'],
}

// Every path of the legacy versions, up to ten segments deep (routes have no wildcard).
const legacyPaths = ['/1', '/1.1', '/1.2'].flatMap((version) =>
  Array.from(
    { length: 10 },
    (_, depth) =>
      `${version}${Array.from({ length: depth + 1 }, (__, index) => `/:s${index}`).join('')}`,
  ),
)

/**
 * Starts a fake Google Health API v4 and Google OAuth 2.0 server on 127.0.0.1, built on
 * providers-core's fake upstream, answering from the recorded fixtures like the documented API:
 * `users/{me|healthUserId}/identity`, `/settings`, `/profile`, `dataTypes/{type}/dataPoints` (list)
 * with the documented `filter` members per data type, newest first, `pageSize` (25 at most for
 * exercise and sleep, 10 000 otherwise) and opaque `pageToken`/`nextPageToken` paging, and
 * `dataTypes/{type}/dataPoints/{id}` (get). Errors use Google's body
 * (`{"error": {"code", "message", "status", "details"}}`): 401 `UNAUTHENTICATED` for an expired or
 * unknown token, 403 `PERMISSION_DENIED` for a scope not granted, 400 `INVALID_ARGUMENT` for a bad
 * filter or page token, 404 `NOT_FOUND`, 429 `RESOURCE_EXHAUSTED` with `Retry-After` once the
 * per-user minute is used up. OAuth: `/o/oauth2/v2/auth`, `/token` (code and refresh; a refresh
 * answer carries no new refresh token; `invalid_grant` once consent is withdrawn) and `/revoke`.
 * The legacy Fitbit Web API paths answer 410 Gone.
 *
 * @example
 * ```ts
 * const google = await startFakeGoogleHealth({ exerciseCount: 12 })
 * const { accessToken } = google.issueTokens()
 * await google.close()
 * ```
 */
export async function startFakeGoogleHealth(
  options: FakeGoogleHealthOptions = {},
): Promise<FakeGoogleHealth> {
  const now = options.now ?? (() => new Date())
  const fixturesDir = options.fixturesDir ?? new URL('../../test/fixtures/', import.meta.url)
  const dir = fixturesDir instanceof URL ? fileURLToPath(fixturesDir) : fixturesDir
  const read = (name: string): unknown => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'))
  const pointsOf = (name: string): Point[] =>
    ((read(name) as { dataPoints?: Point[] }).dataPoints ?? []).slice()
  const store = new Map<string, Point[]>()
  for (const [type, spec] of Object.entries(dataTypes)) {
    const points =
      type === 'exercise'
        ? generateExercises(pointsOf(spec.file), options.exerciseCount ?? 30)
        : pointsOf(spec.file)
    store.set(type, sortNewestFirst(points, spec))
  }
  const limit = options.requestsPerMinute ?? 300
  const scopesByToken = new Map<string, readonly string[]>()
  const quota = { minute: -1, used: 0 }

  const roll = (): void => {
    const minute = Math.floor(now().getTime() / 60_000)
    if (minute !== quota.minute) {
      quota.minute = minute
      quota.used = 0
    }
  }

  const fixture = (name: string, status: number, headers?: Record<string, string>) => ({
    status,
    fixture: name,
    ...(headers === undefined ? {} : { headers }),
  })

  const googleError = (status: number, code: string, message: string): FakeResponse => ({
    status,
    body: { error: { code: status, message, status: code } },
  })

  const isOwnUser = (request: FakeRequest) =>
    request.params.user === 'me' || request.params.user === healthUserId

  const scopeRefused = (scope: string): FakeResponse =>
    fixture('error_403_insufficient_scope.json', 403, {
      'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${scope}"`,
    })

  const granted = (request: FakeRequest, scope: string): boolean =>
    (scopesByToken.get(request.bearerToken ?? '') ?? allScopes).includes(scope)

  // Every data call counts against the user's minute, refused ones too.
  const counted =
    (handler: (request: FakeRequest) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      roll()
      quota.used += 1
      if (quota.used > limit) {
        const retryAfter = Math.max(1, 60 - Math.floor((now().getTime() % 60_000) / 1000))
        return fixture('error_429_resource_exhausted.json', 429, {
          'retry-after': String(retryAfter),
        })
      }
      if (!isOwnUser(request)) return fixture('error_404_not_found.json', 404)
      return handler(request)
    }

  const typeOf = (request: FakeRequest) => {
    const type = request.params.type ?? ''
    return Object.hasOwn(dataTypes, type)
      ? { type, spec: dataTypes[type] as (typeof dataTypes)[string] }
      : undefined
  }

  const invalidType = (type: string): FakeResponse => ({
    status: 400,
    body: {
      error: {
        code: 400,
        message: `Invalid data type ID referenced in the parent data type collection: ${type}.`,
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'INVALID_PARENT_DATA_TYPE_COLLECTION',
            domain: 'health.googleapis.com',
          },
        ],
      },
    },
  })

  const list = (request: FakeRequest): FakeResponse => {
    const found = typeOf(request)
    if (found === undefined) return invalidType(request.params.type ?? '')
    const { type, spec } = found
    if (!granted(request, spec.scope)) return scopeRefused(spec.scope)
    const filterText = request.query.get('filter') ?? ''
    const predicate = parseFilter(filterText, type, spec)
    if (predicate === undefined) return fixture('error_400_invalid_filter.json', 400)
    const small = spec.category === 'session' || spec.category === 'sleep'
    const requested = Number(request.query.get('pageSize') ?? '')
    const maxSize = small ? 25 : 10_000
    const pageSize =
      Number.isInteger(requested) && requested > 0
        ? Math.min(maxSize, requested)
        : small
          ? 25
          : 1440
    const token = request.query.get('pageToken')
    let offset = 0
    if (token !== null && token !== '') {
      const decoded = decodePageToken(token)
      if (decoded === undefined || decoded.filter !== filterText || decoded.type !== type) {
        return googleError(400, 'INVALID_ARGUMENT', 'Invalid page token.')
      }
      offset = decoded.offset
    }
    const rows = (store.get(type) ?? []).filter((point) => predicate(point))
    const page = rows.slice(offset, offset + pageSize)
    const more = offset + pageSize < rows.length
    return {
      body: {
        dataPoints: page,
        nextPageToken: more
          ? encodePageToken({ type, filter: filterText, offset: offset + pageSize })
          : '',
      },
    }
  }

  const get = (request: FakeRequest): FakeResponse => {
    const found = typeOf(request)
    if (found === undefined) return invalidType(request.params.type ?? '')
    if (!granted(request, found.spec.scope)) return scopeRefused(found.spec.scope)
    const point = (store.get(found.type) ?? []).find((candidate) =>
      String(candidate.name ?? '').endsWith(`/dataPoints/${request.params.id ?? ''}`),
    )
    return point === undefined ? fixture('error_404_not_found.json', 404) : { body: point }
  }

  const withScope =
    (scope: string, file: string) =>
    (request: FakeRequest): FakeResponse =>
      granted(request, scope) ? fixture(file, 200) : scopeRefused(scope)

  const routes: FakeRoute[] = [
    { path: `${api}/identity`, respond: counted(() => fixture('identity.json', 200)) },
    {
      path: `${api}/settings`,
      respond: counted(withScope(googleHealthScopes.settings, 'settings.json')),
    },
    {
      path: `${api}/profile`,
      respond: counted(withScope(googleHealthScopes.profile, 'profile.json')),
    },
    { path: `${api}/dataTypes/:type/dataPoints`, respond: counted(list) },
    { path: `${api}/dataTypes/:type/dataPoints/:id`, respond: counted(get) },
    {
      // Google answers a refresh without a new refresh token; the built-in server sits behind.
      method: 'POST',
      path: '/token',
      auth: false,
      respond: async (request, upstream) => {
        const response = await fetch(`${upstream.url}${internalTokenPath}`, {
          method: 'POST',
          headers: {
            'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded',
            ...(request.headers.authorization === undefined
              ? {}
              : { authorization: request.headers.authorization }),
          },
          body: request.body,
        })
        const body = (await response.json()) as Record<string, unknown>
        if (response.ok && request.form?.get('grant_type') === 'refresh_token') {
          delete body.refresh_token
        }
        return { status: response.status, body }
      },
    },
    ...legacyPaths.flatMap((path): FakeRoute[] =>
      ['GET', 'POST', 'DELETE'].map((method) => ({
        method,
        path,
        auth: false,
        respond: fixture('error_410_legacy_gone.json', 410),
      })),
    ),
    {
      method: 'POST',
      path: '/oauth2/token',
      auth: false,
      respond: fixture('error_410_legacy_gone.json', 410),
    },
  ]

  const upstream = await startFakeUpstream({
    routes,
    fixturesDir: dir,
    now,
    seed: 'fake-google-health',
    unauthorized: fixture('error_401_unauthenticated.json', 401, {
      'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
    }),
    oauth: {
      authorizePath: '/o/oauth2/v2/auth',
      tokenPath: internalTokenPath,
      revokePath: '/revoke',
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
      ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3599,
      rotateRefreshTokens: false,
      ...(options.tokenDelayMs === undefined ? {} : { tokenDelayMs: options.tokenDelayMs }),
      grantError: fixture('error_400_invalid_grant.json', 400),
    },
  })

  return {
    url: upstream.url,
    apiBaseUrl: `${upstream.url}/v4`,
    oauthBaseUrl: upstream.url,
    legacyBaseUrl: `${upstream.url}/1/user/-`,
    healthUserId,
    exercises: store.get('exercise') ?? [],
    upstream,
    issueTokens(issueOptions = {}) {
      const scopes = issueOptions.scopes ?? allScopes
      const set = upstream.tokens.issue({
        scopes,
        ...(issueOptions.expiresInSeconds === undefined
          ? {}
          : { expiresInSeconds: issueOptions.expiresInSeconds }),
      })
      scopesByToken.set(set.accessToken, scopes)
      return set
    },
    script: (route, responses) => upstream.script(route, responses),
    failNext(route, count, status = 503) {
      upstream.script(
        route,
        Array.from({ length: count }, () => fixture('error_503_unavailable.json', status)),
      )
    },
    setUsage(requests) {
      roll()
      quota.used = requests
    },
    usage() {
      roll()
      return quota.used
    },
    requestsTo: (route) => upstream.requestsTo(route),
    get refreshCount() {
      return upstream.tokens.refreshCount
    },
    close: () => upstream.close(),
  }
}

function encodePageToken(state: { type: string; filter: string; offset: number }): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url')
}

function decodePageToken(
  token: string,
): { type: string; filter: string; offset: number } | undefined {
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >
    if (
      typeof state.type !== 'string' ||
      typeof state.filter !== 'string' ||
      typeof state.offset !== 'number' ||
      !Number.isInteger(state.offset) ||
      state.offset < 0
    ) {
      return undefined
    }
    return { type: state.type, filter: state.filter, offset: state.offset }
  } catch {
    return undefined
  }
}

const offsetSeconds = (value: unknown): number =>
  typeof value === 'string' && /^-?\d+s$/.test(value) ? Number(value.slice(0, -1)) : 0

const civilOf = (instant: unknown, offset: unknown): string =>
  new Date(Date.parse(String(instant)) + offsetSeconds(offset) * 1000).toISOString().slice(0, 19)

const dateOf = (value: unknown): string => {
  const date = (value ?? {}) as { year?: number; month?: number; day?: number }
  return `${String(date.year ?? 0).padStart(4, '0')}-${String(date.month ?? 0).padStart(2, '0')}-${String(date.day ?? 0).padStart(2, '0')}`
}

// The time values a filter member compares, per category: physical ms or civil text.
function memberValue(
  point: Point,
  spec: { category: Category; key: string },
  member: string,
): number | string | undefined {
  const value = (point[spec.key] ?? {}) as Record<string, unknown>
  const interval = (value.interval ?? {}) as Record<string, unknown>
  const sampleTime = (value.sampleTime ?? {}) as Record<string, unknown>
  switch (member) {
    case 'interval.civil_start_time':
      return civilOf(interval.startTime, interval.startUtcOffset)
    case 'interval.end_time':
      return Date.parse(String(interval.endTime))
    case 'interval.civil_end_time':
      return civilOf(interval.endTime, interval.endUtcOffset)
    case 'sample_time.physical_time':
      return Date.parse(String(sampleTime.physicalTime))
    case 'sample_time.civil_time':
      return civilOf(sampleTime.physicalTime, sampleTime.utcOffset)
    case 'date':
      return dateOf(value.date)
    default:
      return undefined
  }
}

/**
 * Parses the documented subset of AIP-160 the list method takes: clauses `{type}.{member} >= "…"`
 * or `< "…"` joined by `AND`, members allowed by the data type's category, physical and civil
 * bounds never mixed. Returns `undefined` for a filter Google refuses with 400.
 */
function parseFilter(
  text: string,
  type: string,
  spec: { category: Category; key: string },
): ((point: Point) => boolean) | undefined {
  if (text.trim() === '') return () => true
  const prefix = type.replace(/-/g, '_')
  const tests: ((point: Point) => boolean)[] = []
  let physical = false
  let civil = false
  for (const clause of text.split(/\s+AND\s+/)) {
    const match = /^\s*([a-z_]+)\.([a-z_.]+)\s*(>=|<)\s*"([^"]*)"\s*$/.exec(clause)
    if (match === null) return undefined
    const [, owner, member, operator, literal] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
    ]
    if (owner !== prefix || !filterMembers[spec.category].includes(member)) return undefined
    let bound: number | string
    if (member.endsWith('physical_time') || member === 'interval.end_time') {
      bound = Date.parse(literal)
      if (Number.isNaN(bound) || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(literal)) {
        return undefined
      }
      physical = true
    } else if (member === 'date') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(literal)) return undefined
      bound = literal
    } else {
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/.test(literal)) return undefined
      bound = literal.length === 10 ? `${literal}T00:00:00` : literal
      civil = true
    }
    tests.push((point) => {
      const value = memberValue(point, spec, member)
      if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) return false
      return operator === '>=' ? value >= bound : value < bound
    })
  }
  if (physical && civil) return undefined
  return (point) => tests.every((test) => test(point))
}

function sortKey(point: Point, spec: { category: Category; key: string }): number {
  const value = (point[spec.key] ?? {}) as Record<string, unknown>
  if (spec.category === 'daily') return Date.parse(`${dateOf(value.date)}T00:00:00Z`)
  if (spec.category === 'sample') {
    return Date.parse(String(((value.sampleTime ?? {}) as Record<string, unknown>).physicalTime))
  }
  return Date.parse(String(((value.interval ?? {}) as Record<string, unknown>).startTime))
}

// The list reference: "ordered by the interval start time in descending order".
function sortNewestFirst(points: Point[], spec: { category: Category; key: string }): Point[] {
  return points.sort((left, right) => sortKey(right, spec) - sortKey(left, spec))
}

const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: userTimeZone,
  timeZoneName: 'longOffset',
})

function zoneOffset(ms: number): string {
  const name =
    offsetFormat.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ??
    'GMT'
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name)
  if (match === null) return '0s'
  const seconds = (Number(match[2]) * 60 + Number(match[3])) * 60
  return `${match[1] === '-' ? -seconds : seconds}s`
}

const offsetKeys: Readonly<Record<string, string>> = {
  startUtcOffset: 'startTime',
  endUtcOffset: 'endTime',
  eventUtcOffset: 'eventTime',
  utcOffset: 'physicalTime',
}

// Moves every instant of a data point by `shiftMs`; offsets follow the user's zone (DST).
function shiftPoint(value: unknown, shiftMs: number): unknown {
  if (Array.isArray(value)) return value.map((entry) => shiftPoint(entry, shiftMs))
  if (typeof value !== 'object' || value === null) return value
  const source = value as Record<string, unknown>
  const result: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(source)) {
    if (typeof entry === 'string' && /Time$/.test(key) && /^\d{4}-\d{2}-\d{2}T/.test(entry)) {
      result[key] = new Date(Date.parse(entry) + shiftMs).toISOString().replace('.000Z', 'Z')
    } else {
      result[key] = shiftPoint(entry, shiftMs)
    }
  }
  for (const [offsetKey, timeKey] of Object.entries(offsetKeys)) {
    if (offsetKey in result && typeof result[timeKey] === 'string') {
      result[offsetKey] = zoneOffset(Date.parse(result[timeKey] as string))
    }
  }
  return result
}

// The fixture sessions, then copies shifted back one week per round, with fresh ids.
function generateExercises(templates: readonly Point[], count: number): Point[] {
  const result: Point[] = []
  for (let index = 0; index < count; index += 1) {
    const template = templates[index % templates.length]
    if (template === undefined) break
    const round = Math.floor(index / templates.length)
    if (round === 0) {
      result.push(template)
      continue
    }
    const name = String(template.name)
    const id = BigInt(name.slice(name.lastIndexOf('/') + 1)) - BigInt(round * 1_000_003)
    result.push({
      ...(shiftPoint(template, -round * week) as Point),
      name: `${name.slice(0, name.lastIndexOf('/') + 1)}${id}`,
    })
  }
  return result
}
