import { createHash } from 'node:crypto'
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
import { whoopDefaultScopes } from '../descriptor.js'

type Raw = Readonly<Record<string, unknown>>

/** Options of {@link startFakeWhoop}. */
export interface FakeWhoopOptions {
  /**
   * How many workouts the member has; 45 by default. The three fixture workouts come first (newest),
   * the rest are copies of them moved back a week at a time, with new ids.
   */
  readonly workoutCount?: number
  /**
   * How many physiological cycles the member has; 30 by default. The three fixture cycles, their
   * sleeps and recoveries come first, then copies moved back three days at a time, chained so
   * each cycle ends when the next one starts.
   */
  readonly cycleCount?: number
  /** The fake's clock (token expiry, rate-limit windows); `() => new Date()` by default. */
  readonly now?: () => Date
  /** When set, the token endpoint checks the client id (and secret). */
  readonly clientId?: string
  readonly clientSecret?: string
  /** App-wide limits `[per minute, per day]`; `[100, 10000]` as WHOOP's by default. */
  readonly rateLimit?: readonly [number, number]
  /** Access-token lifetime, seconds; 3600 as WHOOP's by default. */
  readonly accessTokenTtlSeconds?: number
  /** Waits this long before answering token requests, to widen refresh races. */
  readonly tokenDelayMs?: number
  /** Directory of the WHOOP fixtures; the copies shipped with this package by default. */
  readonly fixturesDir?: string | URL
}

/** A running fake WHOOP on 127.0.0.1. */
export interface FakeWhoop {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** `${url}/developer`, the `baseUrl` of a provider. */
  readonly apiBaseUrl: string
  /** `${url}/oauth/oauth2`, for `whoopOAuthEndpoints` or `createWhoopOAuthClient`. */
  readonly oauthBaseUrl: string
  /** The member's WHOOP user id (34871). */
  readonly userId: string
  /** The member's records as the API returns them, newest first. */
  readonly workouts: readonly Raw[]
  readonly sleeps: readonly Raw[]
  readonly cycles: readonly Raw[]
  readonly recoveries: readonly Raw[]
  /** The underlying fake upstream: requests, scripts, token registry. */
  readonly upstream: FakeUpstream
  /**
   * Issues a token pair directly (no browser flow); all of Pierre's scopes, `offline` included,
   * by default.
   */
  issueTokens(options?: {
    readonly scopes?: readonly string[]
    readonly expiresInSeconds?: number
  }): FakeTokenSet
  /** Queues responses for the next matching requests (`'GET /developer/v2/cycle'`). */
  script(route: string, responses: readonly FakeResponse[]): void
  /** Queues `count` 5xx answers (502 by default) for a route. */
  failNext(route: string, count: number, status?: number): void
  /** Sets the requests used in the current minute (and optionally day) window. */
  setUsage(minute: number, day?: number): void
  /** Requests used in the current windows, `[minute, day]`. */
  usage(): readonly [number, number]
  /** Requests to a route (`'/developer/v2/cycle'` or `'GET /developer/v2/cycle'`). */
  requestsTo(route: string): readonly FakeRequest[]
  /** How many refresh grants the token endpoint answered. */
  readonly refreshCount: number
  close(): Promise<void>
}

const userId = '34871'
const api = '/developer/v2'
const oauthBase = '/oauth/oauth2'
const builtIn = {
  authorize: `${oauthBase}/__fake_authorize`,
  token: `${oauthBase}/__fake_token`,
  revoke: `${oauthBase}/__fake_revoke`,
}
const dayMs = 86_400_000
const maxLimit = 25

/**
 * Starts a fake WHOOP Developer API v2 and OAuth server on 127.0.0.1, built on providers-core's
 * fake upstream. It answers from the recorded fixtures like the real API: only `/developer/v2/*`
 * (v1 paths are 404); the profile and body measurement; cycles (with `/recovery` and `/sleep`),
 * recoveries, sleeps and workouts as collections with `limit` (default 10, above 25 → 400),
 * `start` inclusive and `end` exclusive on the record start, newest first and opaque `next_token`
 * (an unknown `nextToken` → 400), and one by one (unknown id → 404); `score` only on scored
 * records and no `end` on the current cycle; 401 for expired or unknown tokens; app-wide
 * rate-limit headers with a 429 once the minute or day is used up; `DELETE /v2/user/access`
 * (204). OAuth: `/oauth/oauth2/auth` refuses a `state` under 8 characters with
 * `error=invalid_state`; `/oauth/oauth2/token` answers the code and refresh grants with a
 * lower-case `token_type`, issues a refresh token only when `offline` was granted (and, on refresh,
 * asked for again), rotates refresh tokens and answers a reused one with `invalid_grant`.
 *
 * @example
 * ```ts
 * const whoop = await startFakeWhoop({ workoutCount: 12 })
 * const { accessToken } = whoop.issueTokens()
 * await whoop.close()
 * ```
 */
export async function startFakeWhoop(options: FakeWhoopOptions = {}): Promise<FakeWhoop> {
  const now = options.now ?? (() => new Date())
  const fixturesDir = options.fixturesDir ?? new URL('../../test/fixtures/', import.meta.url)
  const dir = fixturesDir instanceof URL ? fileURLToPath(fixturesDir) : fixturesDir
  const read = (name: string): unknown => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'))
  const recordsOf = (name: string) => (read(name) as { records: Raw[] }).records
  const history = generateHistory({
    workouts: recordsOf('workout_collection.json'),
    cycles: recordsOf('cycle_collection.json'),
    sleeps: recordsOf('sleep_collection.json'),
    recoveries: recordsOf('recovery_collection.json'),
    workoutCount: options.workoutCount ?? 45,
    cycleCount: options.cycleCount ?? 30,
  })
  const invalidState = read('oauth_error_invalid_state.json') as Record<string, string>
  const [minuteLimit, dayLimit] = options.rateLimit ?? [100, 10_000]
  const windows = { minuteStart: -1, dayStart: -1, minute: 0, day: 0 }

  const roll = (): number => {
    const seconds = Math.floor(now().getTime() / 1000)
    const minuteStart = seconds - (seconds % 60)
    const dayStart = seconds - (seconds % 86_400)
    if (minuteStart !== windows.minuteStart) {
      windows.minuteStart = minuteStart
      windows.minute = 0
    }
    if (dayStart !== windows.dayStart) {
      windows.dayStart = dayStart
      windows.day = 0
    }
    return seconds
  }

  // WHOOP reports the limit closest to exhaustion first, then every policy.
  const rateHeaders = (seconds: number): Record<string, string> => {
    const minute = {
      limit: minuteLimit,
      remaining: Math.max(0, minuteLimit - windows.minute),
      reset: windows.minuteStart + 60 - seconds,
    }
    const day = {
      limit: dayLimit,
      remaining: Math.max(0, dayLimit - windows.day),
      reset: windows.dayStart + 86_400 - seconds,
    }
    const closest = day.remaining < minute.remaining ? day : minute
    return {
      'x-ratelimit-limit': `${closest.limit}, ${minuteLimit};window=60, ${dayLimit};window=86400`,
      'x-ratelimit-remaining': String(closest.remaining),
      'x-ratelimit-reset': String(closest.reset),
    }
  }

  const counted =
    (handler: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>) =>
    async (request: FakeRequest): Promise<FakeResponse> => {
      const seconds = roll()
      windows.minute += 1
      windows.day += 1
      const limited = windows.minute > minuteLimit || windows.day > dayLimit
      // WHOOP's 429 body is undocumented; the fake sends none.
      const reply = limited ? { status: 429 } : await handler(request)
      return { ...reply, headers: { ...rateHeaders(seconds), ...reply.headers } }
    }

  const badRequest = (message: string): FakeResponse => ({ status: 400, body: { message } })
  const notFound: FakeResponse = { status: 404, body: { message: 'Not Found' } }

  const startOfCycle = new Map(history.cycles.map((cycle) => [String(cycle.id), cycle.start]))
  const collection =
    (records: readonly Raw[], keyOf: (record: Raw) => string, startOf: (record: Raw) => unknown) =>
    (request: FakeRequest): FakeResponse => {
      const limitText = request.query.get('limit')
      const limit = limitText === null ? 10 : Number(limitText)
      if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
        return badRequest(`limit must be an integer between 1 and ${maxLimit}`)
      }
      const start = instantParam(request.query.get('start'))
      const end = instantParam(request.query.get('end'))
      if (start === null || end === null) return badRequest('start and end must be date-times')
      const startMs = (record: Raw) => Date.parse(String(startOf(record)))
      const tokenOf = (record: Raw) =>
        Buffer.from(`${keyOf(record)}:${Math.floor(startMs(record) / 1000)}`).toString('base64')
      const matching = records.filter(
        (record) =>
          (start === undefined || startMs(record) >= start) &&
          (end === undefined || startMs(record) < end),
      )
      let from = 0
      const token = request.query.get('nextToken')
      if (token !== null) {
        const index = matching.findIndex((record) => tokenOf(record) === token)
        if (index < 0) return badRequest('nextToken is not valid')
        from = index + 1
      }
      const page = matching.slice(from, from + limit)
      const last = page[page.length - 1]
      const more = from + limit < matching.length && last !== undefined
      return { body: { records: page, ...(more ? { next_token: tokenOf(last) } : {}) } }
    }

  const byId =
    (find: (id: string) => Raw | undefined) =>
    (request: FakeRequest): FakeResponse => {
      const record = find(request.params.id ?? '')
      return record === undefined ? notFound : { body: record }
    }

  const v1OrId = (record: Raw) => String(record.v1_id ?? record.id)
  const mainSleepOf = (cycleId: string) =>
    history.sleeps.find((sleep) => String(sleep.cycle_id) === cycleId && sleep.nap !== true)

  let upstreamUrl = ''
  const forward = (path: string, init: RequestInit) => fetch(`${upstreamUrl}${path}`, init)

  const routes: FakeRoute[] = [
    {
      path: `${api}/user/profile/basic`,
      respond: counted(() => ({ body: read('user_profile_basic.json') })),
    },
    {
      path: `${api}/user/measurement/body`,
      respond: counted(() => ({ body: read('user_measurement_body.json') })),
    },
    {
      path: `${api}/cycle`,
      respond: counted(
        collection(
          history.cycles,
          (cycle) => String(cycle.id),
          (cycle) => cycle.start,
        ),
      ),
    },
    {
      path: `${api}/cycle/:id`,
      respond: counted(byId((id) => history.cycles.find((cycle) => String(cycle.id) === id))),
    },
    {
      path: `${api}/cycle/:id/recovery`,
      respond: counted(
        byId((id) => history.recoveries.find((recovery) => String(recovery.cycle_id) === id)),
      ),
    },
    { path: `${api}/cycle/:id/sleep`, respond: counted(byId(mainSleepOf)) },
    {
      path: `${api}/recovery`,
      respond: counted(
        collection(
          history.recoveries,
          (recovery) => String(recovery.cycle_id),
          (recovery) => startOfCycle.get(String(recovery.cycle_id)),
        ),
      ),
    },
    {
      path: `${api}/activity/sleep`,
      respond: counted(collection(history.sleeps, v1OrId, (sleep) => sleep.start)),
    },
    {
      path: `${api}/activity/sleep/:id`,
      respond: counted(byId((id) => history.sleeps.find((sleep) => sleep.id === id))),
    },
    {
      path: `${api}/activity/workout`,
      respond: counted(collection(history.workouts, v1OrId, (workout) => workout.start)),
    },
    {
      path: `${api}/activity/workout/:id`,
      respond: counted(byId((id) => history.workouts.find((workout) => workout.id === id))),
    },
    {
      method: 'DELETE',
      path: `${api}/user/access`,
      respond: counted(async (request) => {
        await forward(builtIn.revoke, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: request.bearerToken ?? '' }),
        })
        return { status: 204 }
      }),
    },
    {
      // WHOOP sends the browser back with error=invalid_state when state is under 8 characters.
      path: `${oauthBase}/auth`,
      auth: false,
      respond: async (request) => {
        const redirect = request.query.get('redirect_uri')
        if (redirect === null || !URL.canParse(redirect)) {
          return { status: 400, body: { error: 'invalid_request' } }
        }
        const state = request.query.get('state') ?? ''
        if (state.length < 8) {
          const target = new URL(redirect)
          target.searchParams.set('error', invalidState.error ?? 'invalid_state')
          target.searchParams.set('error_description', invalidState.error_description ?? '')
          if (state !== '') target.searchParams.set('state', state)
          return { status: 302, headers: { location: target.toString() } }
        }
        const answer = await forward(`${builtIn.authorize}?${request.query.toString()}`, {
          redirect: 'manual',
        })
        return {
          status: answer.status,
          headers: { location: answer.headers.get('location') ?? '' },
        }
      },
    },
    {
      method: 'POST',
      path: `${oauthBase}/token`,
      auth: false,
      respond: async (request) => {
        const answer = await forward(builtIn.token, {
          method: 'POST',
          headers: {
            'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded',
            ...(request.headers.authorization === undefined
              ? {}
              : { authorization: request.headers.authorization }),
          },
          body: request.body,
        })
        const body = (await answer.json()) as Record<string, unknown>
        if (answer.status === 200 && !grantsRefreshToken(request.form, body)) {
          delete body.refresh_token
        }
        return { status: answer.status, body }
      },
    },
  ]

  const upstream = await startFakeUpstream({
    routes,
    fixturesDir: dir,
    now,
    seed: 'fake-whoop',
    // WHOOP's 401 body is undocumented; the fake sends none.
    unauthorized: { status: 401 },
    oauth: {
      authorizePath: builtIn.authorize,
      tokenPath: builtIn.token,
      revokePath: builtIn.revoke,
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
      ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      rotateRefreshTokens: true,
      ...(options.tokenDelayMs === undefined ? {} : { tokenDelayMs: options.tokenDelayMs }),
      grantError: { status: 400, fixture: 'oauth_error_invalid_grant.json' },
      extraTokenFields: () => ({ token_type: 'bearer' }),
    },
  })
  upstreamUrl = upstream.url

  return {
    url: upstream.url,
    apiBaseUrl: `${upstream.url}/developer`,
    oauthBaseUrl: `${upstream.url}${oauthBase}`,
    userId,
    workouts: history.workouts,
    sleeps: history.sleeps,
    cycles: history.cycles,
    recoveries: history.recoveries,
    upstream,
    issueTokens(issueOptions = {}) {
      return upstream.tokens.issue({
        scopes: issueOptions.scopes ?? whoopDefaultScopes,
        ...(issueOptions.expiresInSeconds === undefined
          ? {}
          : { expiresInSeconds: issueOptions.expiresInSeconds }),
      })
    },
    script: (route, responses) => upstream.script(route, responses),
    failNext(route, count, status = 502) {
      upstream.script(
        route,
        Array.from({ length: count }, () => ({ status, body: 'upstream failure' })),
      )
    },
    setUsage(minute, day) {
      roll()
      windows.minute = minute
      windows.day = day ?? Math.max(windows.day, minute)
    },
    usage: () => {
      roll()
      return [windows.minute, windows.day] as const
    },
    requestsTo: (route) => upstream.requestsTo(route),
    get refreshCount() {
      return upstream.tokens.refreshCount
    },
    close: () => upstream.close(),
  }
}

// A refresh token only with `offline` granted, and on refresh only when `scope=offline` is asked.
function grantsRefreshToken(
  form: URLSearchParams | undefined,
  body: Readonly<Record<string, unknown>>,
): boolean {
  const words = (text: unknown) => (typeof text === 'string' ? text.split(/\s+/) : [])
  if (!words(body.scope).includes('offline')) return false
  if (form?.get('grant_type') !== 'refresh_token') return true
  return words(form.get('scope')).includes('offline')
}

/** `undefined` when absent, `null` when not a date-time, else epoch ms. */
function instantParam(value: string | null): number | undefined | null {
  if (value === null || value === '') return undefined
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

function shifted(value: unknown, ms: number): unknown {
  if (typeof value !== 'string') return value
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? value : new Date(parsed - ms).toISOString()
}

// A stable UUID (version 4 layout) for a generated copy of a record.
function uuidFor(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex')
  const variant = '89ab'[Number.parseInt(hex.charAt(16), 16) & 3]
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

const byStartDescending = (left: Raw, right: Raw) =>
  Date.parse(String(right.start)) - Date.parse(String(left.start))

const timeFields = ['created_at', 'updated_at', 'start', 'end'] as const

function moved(record: Raw, ms: number): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record }
  for (const field of timeFields) if (field in copy) copy[field] = shifted(copy[field], ms)
  return copy
}

const minus = (value: unknown, amount: number): unknown =>
  typeof value === 'number' ? value - amount : value

// The fixture records first, then copies moved back one period per round, with new ids.
function generateHistory(input: {
  readonly workouts: readonly Raw[]
  readonly cycles: readonly Raw[]
  readonly sleeps: readonly Raw[]
  readonly recoveries: readonly Raw[]
  readonly workoutCount: number
  readonly cycleCount: number
}): { workouts: Raw[]; cycles: Raw[]; sleeps: Raw[]; recoveries: Raw[] } {
  const workouts: Raw[] = []
  for (let index = 0; index < Math.max(0, input.workoutCount); index += 1) {
    const template = input.workouts[index % input.workouts.length]
    if (template === undefined) break
    const round = Math.floor(index / input.workouts.length)
    workouts.push(
      round === 0
        ? template
        : {
            ...moved(template, round * 7 * dayMs),
            id: uuidFor(`${String(template.id)}:${round}`),
            v1_id: minus(template.v1_id, round * 1000),
          },
    )
  }
  workouts.sort(byStartDescending)

  const perRound = Math.max(1, input.cycles.length)
  const rounds = Math.ceil(Math.max(0, input.cycleCount) / perRound)
  const cycleShiftMs = perRound * dayMs
  const cycleIdOf = (value: unknown, round: number) => minus(value, round * 100)
  const generated: Record<string, unknown>[] = []
  for (let round = 0; round < rounds; round += 1) {
    for (const template of input.cycles) {
      generated.push({
        ...moved(template, round * cycleShiftMs),
        id: cycleIdOf(template.id, round),
      })
    }
  }
  generated.sort(byStartDescending)
  const cycles = generated.slice(0, Math.max(0, input.cycleCount))
  // Each cycle ends when the next one starts; the newest is still running.
  cycles.forEach((cycle, index) => {
    const newer = cycles[index - 1]
    if (newer === undefined) delete cycle.end
    else cycle.end = newer.start
  })
  const cycleIds = new Set(cycles.map((cycle) => String(cycle.id)))

  const sleeps: Raw[] = []
  const recoveries: Raw[] = []
  for (let round = 0; round < rounds; round += 1) {
    const idOf = (id: unknown) => (round === 0 ? id : uuidFor(`${String(id)}:${round}`))
    for (const template of input.sleeps) {
      const cycleId = cycleIdOf(template.cycle_id, round)
      if (!cycleIds.has(String(cycleId))) continue
      sleeps.push({
        ...moved(template, round * cycleShiftMs),
        id: idOf(template.id),
        cycle_id: cycleId,
        v1_id: minus(template.v1_id, round * 1000),
      })
    }
    for (const template of input.recoveries) {
      const cycleId = cycleIdOf(template.cycle_id, round)
      if (!cycleIds.has(String(cycleId))) continue
      recoveries.push({
        ...moved(template, round * cycleShiftMs),
        cycle_id: cycleId,
        sleep_id: idOf(template.sleep_id),
      })
    }
  }
  sleeps.sort(byStartDescending)
  const cycleStart = new Map(cycles.map((cycle) => [String(cycle.id), String(cycle.start)]))
  recoveries.sort(
    (left, right) =>
      Date.parse(cycleStart.get(String(right.cycle_id)) ?? '') -
      Date.parse(cycleStart.get(String(left.cycle_id)) ?? ''),
  )
  return { workouts, cycles, sleeps, recoveries }
}
