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
import { addDays, daysBetween, fromCorosDate, subtractMonths } from '../internal/time.js'

/** Options of {@link startFakeCoros}. */
export interface FakeCorosOptions {
  /**
   * How many workouts the user has; 24 by default. The two fixture workouts come first (newest),
   * the rest are copies of them shifted back a week at a time, with new `labelId`s.
   */
  readonly activityCount?: number
  /** How many days of daily data; 7 by default: the fixture day and copies on the days before. */
  readonly dailyCount?: number
  /** The fake's clock (token expiry, the 3-month window, rate limits); `() => new Date()` by default. */
  readonly now?: () => Date
  /** When set, the token, refresh and push calls check the client id and secret. */
  readonly clientId?: string
  readonly clientSecret?: string
  /** Access-token lifetime, seconds; 2 592 000 (30 days) by default. */
  readonly accessTokenTtlSeconds?: number
  /**
   * How `/oauth2/refresh` answers: `extend` (default, as the fixture: a bare success, the same
   * access token valid for another lifetime) or `new_pair` (new access and refresh tokens; the old
   * ones stop working).
   */
  readonly refreshAnswer?: 'extend' | 'new_pair'
  /** Data calls allowed per minute (COROS: 1 000 per application); more get a 429. */
  readonly requestsPerMinute?: number
  /** Waits this long before answering token requests, to widen refresh races. */
  readonly tokenDelayMs?: number
  /** Directory of the COROS fixtures; the copies shipped with this package by default. */
  readonly fixturesDir?: string | URL
}

/** A token pair issued by the fake. */
export interface FakeCorosTokens {
  readonly accessToken: string
  readonly refreshToken: string
  /** Epoch seconds. */
  readonly expiresAtSeconds: number
  /** The user the tokens belong to. */
  readonly openId: string
}

/** What a push endpoint answered. */
export interface FakeCorosPushResult {
  readonly status: number
  /** The parsed JSON answer, or its text when it is not JSON. */
  readonly body: unknown
}

/** A running fake COROS on 127.0.0.1. */
export interface FakeCoros {
  /** `http://127.0.0.1:<port>`: the `baseUrl` of the provider and of the OAuth client. */
  readonly url: string
  /** The fake user's `openId` (the fixtures'). */
  readonly openId: string
  /** The workouts as the API returns them, newest first. */
  readonly workouts: readonly Readonly<Record<string, unknown>>[]
  /** The daily records as the API returns them, newest first. */
  readonly dailies: readonly Readonly<Record<string, unknown>>[]
  /** The underlying fake upstream: requests and scripts. */
  readonly upstream: FakeUpstream
  /** Issues a token pair directly (no browser flow). */
  issueTokens(options?: { readonly expiresInSeconds?: number }): FakeCorosTokens
  /** Makes an access token expired: data calls with it get COROS's invalid-token answer. */
  expireToken(accessToken: string): void
  /** Withdraws consent: the refresh token and its access tokens stop working. */
  revokeGrant(refreshToken: string): void
  /** Whether an access token is currently accepted. */
  isTokenValid(accessToken: string): boolean
  /** Makes the next authorization request end with `error=access_denied`. */
  denyNextAuthorization(): void
  /** Queues responses for the next matching requests (`'GET /coros/open/sport/data'`). */
  script(route: string, responses: readonly FakeResponse[]): void
  /** Queues `count` plain-text 5xx answers (503 by default) for a path. */
  failNext(route: string, count: number, status?: number): void
  /** Requests to a path (`'/coros/open/sport/data'` or `'POST /oauth2/refresh'`). */
  requestsTo(route: string): readonly FakeRequest[]
  /** How many refresh grants `/oauth2/refresh` answered successfully. */
  readonly refreshCount: number
  /**
   * POSTs a sport-data push to a receiving endpoint as COROS does (`client` and `secret` headers,
   * JSON `{sportDataList}`); the fixture push by default.
   */
  push(
    url: string,
    options?: {
      readonly workouts?: readonly unknown[]
      readonly clientId?: string
      readonly clientSecret?: string
    },
  ): Promise<FakeCorosPushResult>
  close(): Promise<void>
}

type Raw = Readonly<Record<string, unknown>>

const week = 7 * 86_400
const day = 86_400
// COROS's result codes are not public; these are the fake's own, in COROS's form.
const failures = {
  badClient: { result: '1001', message: 'client id or client secret invalid' },
  badCode: { result: '1002', message: 'authorization code invalid or expired' },
  badRefresh: { result: '1003', message: 'refresh token invalid' },
  badGrantType: { result: '1004', message: 'grant_type not supported' },
  badOpenId: { result: '1005', message: 'openId does not match the access token' },
  badDates: { result: '1006', message: 'startDate and endDate must be yyyyMMdd, at most 30 days' },
} as const

/**
 * Starts a fake COROS Open API on 127.0.0.1, built on providers-core's fake upstream. It answers
 * like the API the public summaries describe: `GET /oauth2/authorize` (auto-approve, 302 with
 * `code` and `state`), `POST /oauth2/accesstoken` (camelCase tokens and `openId`), `POST
 * /oauth2/refresh` (a bare `{"result":"0000"}` that extends the token, or a new pair), `POST
 * /coros/open/unbind` (`token` header); `GET /coros/open/user/info`, `/coros/open/sport/data` and
 * `/coros/open/daily/data` with `token` and `openId` in the query, the `{result, message, data}`
 * envelope, `startDate`/`endDate` (yyyyMMdd, at most 30 days, data of the last 3 months only); the
 * invalid-token answer of the fixtures (HTTP 200, `result` ≠ `"0000"`) for an expired, revoked or
 * unknown token; a 429 with `Retry-After` past the per-minute limit; scripted 5xx.
 *
 * @example
 * ```ts
 * const coros = await startFakeCoros({ now: () => new Date('2025-03-14T21:30:00Z') })
 * const { accessToken, openId } = coros.issueTokens()
 * await coros.close()
 * ```
 */
export async function startFakeCoros(options: FakeCorosOptions = {}): Promise<FakeCoros> {
  const now = options.now ?? (() => new Date())
  const fixturesDir = options.fixturesDir ?? new URL('../../test/fixtures/', import.meta.url)
  const dir = fixturesDir instanceof URL ? fileURLToPath(fixturesDir) : fixturesDir
  const read = (name: string): unknown => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'))
  const templates = (read('sport_data.json') as { data: Raw[] }).data
  const dailyTemplate = (read('daily_data.json') as { data: Raw[] }).data[0] as Raw
  const openId = String((read('user_info.json') as { data: Raw }).data.openId)
  const workouts = generateWorkouts(templates, options.activityCount ?? 24)
  const dailies = generateDailies(dailyTemplate, options.dailyCount ?? 7)
  const ttlSeconds = options.accessTokenTtlSeconds ?? 2_592_000
  const perMinute = options.requestsPerMinute ?? 1000

  const accessTokens = new Map<string, { expiresAtMs: number; readonly refreshToken: string }>()
  const grants = new Map<string, { active: boolean }>()
  const codes = new Map<string, { readonly redirectUri: string; readonly expiresAtMs: number }>()
  let counter = 0
  let refreshCount = 0
  let denyNext = false
  const minute = { start: -1, count: 0 }

  const nextToken = (): string => {
    counter += 1
    return createHash('sha1').update(`fake-coros:${counter}`).digest('hex').slice(0, 32)
  }

  const issue = (expiresInSeconds = ttlSeconds): FakeCorosTokens => {
    const refreshToken = nextToken()
    const accessToken = nextToken()
    const expiresAtSeconds = Math.floor(now().getTime() / 1000) + expiresInSeconds
    grants.set(refreshToken, { active: true })
    accessTokens.set(accessToken, { expiresAtMs: expiresAtSeconds * 1000, refreshToken })
    return { accessToken, refreshToken, expiresAtSeconds, openId }
  }

  const revokeGrant = (refreshToken: string): void => {
    const grant = grants.get(refreshToken)
    if (grant !== undefined) grant.active = false
    for (const [token, state] of accessTokens) {
      if (state.refreshToken === refreshToken) accessTokens.delete(token)
    }
  }

  const isTokenValid = (accessToken: string): boolean => {
    const state = accessTokens.get(accessToken)
    return (
      state !== undefined &&
      state.expiresAtMs > now().getTime() &&
      grants.get(state.refreshToken)?.active === true
    )
  }

  const envelope = (data?: unknown): FakeResponse => ({
    body: { result: '0000', message: 'OK', ...(data === undefined ? {} : { data }) },
  })
  const refuse = (failure: { readonly result: string; readonly message: string }) => ({
    body: failure,
  })

  const clientOk = (id: string | null | undefined, secret: string | null | undefined) =>
    (options.clientId === undefined || id === options.clientId) &&
    (options.clientSecret === undefined || secret === options.clientSecret)

  const waitForTokenDelay = async () => {
    if (options.tokenDelayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs))
    }
  }

  const authorize = (request: FakeRequest): FakeResponse => {
    const redirect = request.query.get('redirect_uri')
    if (redirect === null || request.query.get('response_type') !== 'code') {
      return { status: 400, body: { result: '1000', message: 'invalid authorization request' } }
    }
    const target = new URL(redirect)
    const state = request.query.get('state')
    if (state !== null) target.searchParams.set('state', state)
    if (denyNext) {
      denyNext = false
      target.searchParams.set('error', 'access_denied')
    } else {
      const code = nextToken()
      // A code is valid for 30 minutes and once.
      codes.set(code, { redirectUri: redirect, expiresAtMs: now().getTime() + 1_800_000 })
      target.searchParams.set('code', code)
    }
    return { status: 302, headers: { location: target.toString() } }
  }

  const accessToken = async (request: FakeRequest): Promise<FakeResponse> => {
    await waitForTokenDelay()
    const form = request.form ?? new URLSearchParams()
    if (!clientOk(form.get('client_id'), form.get('client_secret'))) {
      return refuse(failures.badClient)
    }
    if (form.get('grant_type') !== 'authorization_code') return refuse(failures.badGrantType)
    const code = form.get('code') ?? ''
    const pending = codes.get(code)
    codes.delete(code)
    if (
      pending === undefined ||
      pending.expiresAtMs <= now().getTime() ||
      pending.redirectUri !== form.get('redirect_uri')
    ) {
      return refuse(failures.badCode)
    }
    const tokens = issue()
    return {
      body: {
        expiresIn: ttlSeconds,
        refreshToken: tokens.refreshToken,
        accessToken: tokens.accessToken,
        openId,
      },
    }
  }

  const refresh = async (request: FakeRequest): Promise<FakeResponse> => {
    await waitForTokenDelay()
    const form = request.form ?? new URLSearchParams()
    if (!clientOk(form.get('client_id'), form.get('client_secret'))) {
      return refuse(failures.badClient)
    }
    if (form.get('grant_type') !== 'refresh_token') return refuse(failures.badGrantType)
    const refreshToken = form.get('refresh_token') ?? ''
    if (grants.get(refreshToken)?.active !== true) return refuse(failures.badRefresh)
    refreshCount += 1
    if (options.refreshAnswer === 'new_pair') {
      revokeGrant(refreshToken)
      const tokens = issue()
      return {
        body: {
          expiresIn: ttlSeconds,
          refreshToken: tokens.refreshToken,
          accessToken: tokens.accessToken,
          openId,
        },
      }
    }
    const expiresAtMs = now().getTime() + ttlSeconds * 1000
    for (const state of accessTokens.values()) {
      if (state.refreshToken === refreshToken) state.expiresAtMs = expiresAtMs
    }
    return { fixture: 'oauth_refresh.json' }
  }

  const unbind = (request: FakeRequest): FakeResponse => {
    const token = request.headers.token ?? ''
    const state = accessTokens.get(token)
    if (state === undefined || !isTokenValid(token)) return { fixture: 'error_invalid_token.json' }
    revokeGrant(state.refreshToken)
    return envelope()
  }

  // Every data call counts, and needs a valid token and the matching openId.
  const data =
    (answer: (request: FakeRequest) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      const seconds = Math.floor(now().getTime() / 1000)
      const start = seconds - (seconds % 60)
      if (start !== minute.start) {
        minute.start = start
        minute.count = 0
      }
      minute.count += 1
      if (minute.count > perMinute) {
        return {
          status: 429,
          headers: { 'retry-after': String(start + 60 - seconds), 'content-type': 'text/plain' },
          body: 'Too Many Requests',
        }
      }
      if (!isTokenValid(request.query.get('token') ?? '')) {
        return { fixture: 'error_invalid_token.json' }
      }
      if (request.query.get('openId') !== openId) return refuse(failures.badOpenId)
      return answer(request)
    }

  // The requested dates, clipped to the 3 months COROS keeps; undefined when they are invalid.
  const datesOf = (request: FakeRequest): [string, string] | undefined => {
    const from = fromCorosDate(request.query.get('startDate'))
    const to = fromCorosDate(request.query.get('endDate'))
    if (from === undefined || to === undefined || to < from) return undefined
    if (daysBetween(from, to) + 1 > 30) return undefined
    const earliest = subtractMonths(now().toISOString().slice(0, 10), 3)
    // ISO dates compare as strings
    if (from < earliest) return [earliest, to]
    return [from, to]
  }

  const sportData = (request: FakeRequest): FakeResponse => {
    const dates = datesOf(request)
    if (dates === undefined) return refuse(failures.badDates)
    return envelope(
      workouts.filter((workout) => {
        const local = workoutLocalDate(workout)
        return local >= dates[0] && local <= dates[1]
      }),
    )
  }

  const dailyData = (request: FakeRequest): FakeResponse => {
    const dates = datesOf(request)
    if (dates === undefined) return refuse(failures.badDates)
    return envelope(
      dailies.filter((record) => {
        const date = fromCorosDate(record.date) ?? ''
        return date >= dates[0] && date <= dates[1]
      }),
    )
  }

  const routes: FakeRoute[] = [
    { path: '/oauth2/authorize', respond: authorize },
    { method: 'POST', path: '/oauth2/accesstoken', respond: accessToken },
    { method: 'POST', path: '/oauth2/refresh', respond: refresh },
    { method: 'POST', path: '/coros/open/unbind', respond: unbind },
    { path: '/coros/open/user/info', respond: data(() => ({ fixture: 'user_info.json' })) },
    { path: '/coros/open/sport/data', respond: data(sportData) },
    { path: '/coros/open/daily/data', respond: data(dailyData) },
  ]

  const upstream = await startFakeUpstream({
    routes,
    fixturesDir: dir,
    now,
    requireAuth: false,
    seed: 'fake-coros',
  })

  return {
    url: upstream.url,
    openId,
    workouts,
    dailies,
    upstream,
    issueTokens: (issueOptions = {}) => issue(issueOptions.expiresInSeconds),
    expireToken(token) {
      const state = accessTokens.get(token)
      if (state !== undefined) state.expiresAtMs = now().getTime() - 1000
    },
    revokeGrant,
    isTokenValid,
    denyNextAuthorization() {
      denyNext = true
    },
    script: (route, responses) => upstream.script(route, responses),
    failNext(route, count, status = 503) {
      upstream.script(
        route,
        Array.from({ length: count }, () => ({
          status,
          headers: { 'content-type': 'text/plain' },
          body: 'Service Unavailable',
        })),
      )
    },
    requestsTo: (route) => upstream.requestsTo(route),
    get refreshCount() {
      return refreshCount
    },
    async push(url, pushOptions = {}) {
      const payload =
        pushOptions.workouts === undefined
          ? read('webhook_sport_data_push.json')
          : { sportDataList: pushOptions.workouts }
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          client: pushOptions.clientId ?? options.clientId ?? '',
          secret: pushOptions.clientSecret ?? options.clientSecret ?? '',
        },
        body: JSON.stringify(payload),
      })
      const text = await response.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // Not JSON: the text is the answer.
      }
      return { status: response.status, body }
    },
    close: () => upstream.close(),
  }
}

// The local date of a workout's start, from its own quarter-hour offset.
function workoutLocalDate(workout: Raw): string {
  const start = Number(workout.startTime)
  const offset = Number(workout.startTimezone ?? 0) * 900
  return new Date((start + offset) * 1000).toISOString().slice(0, 10)
}

// The fixture workouts, then copies shifted back one week per round, with fresh labelIds.
function generateWorkouts(templates: readonly Raw[], count: number): Raw[] {
  const result: Raw[] = []
  for (let index = 0; index < count; index += 1) {
    const template = templates[index % templates.length]
    if (template === undefined) break
    const round = Math.floor(index / templates.length)
    if (round === 0) {
      result.push(template)
      continue
    }
    result.push({
      ...template,
      labelId: (BigInt(String(template.labelId)) - BigInt(round * 1_000_003)).toString(),
      startTime: Number(template.startTime) - round * week,
      endTime: Number(template.endTime) - round * week,
      fitUrl: String(template.fitUrl).replace(
        String(template.labelId),
        (BigInt(String(template.labelId)) - BigInt(round * 1_000_003)).toString(),
      ),
    })
  }
  return result.sort((left, right) => Number(right.startTime) - Number(left.startTime))
}

// The fixture day, then copies on each day before it.
function generateDailies(template: Raw, count: number): Raw[] {
  const date = fromCorosDate(template.date) ?? '2025-03-14'
  const list = Array.isArray(template.hrvList) ? (template.hrvList as Raw[]) : []
  return Array.from({ length: count }, (_, index) => {
    if (index === 0) return template
    const shift = index * day
    return {
      ...template,
      date: addDays(date, -index).replaceAll('-', ''),
      sleepStartTime: Number(template.sleepStartTime) - shift,
      sleepEndTime: Number(template.sleepEndTime) - shift,
      hrvList: list.map((sample) => ({ ...sample, timestamp: Number(sample.timestamp) - shift })),
    }
  })
}
