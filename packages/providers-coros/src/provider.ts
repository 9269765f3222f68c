import type {
  AccessTokenSource,
  Activity,
  ActivityIterationQuery,
  CallOptions,
  DailySummary,
  DateRange,
  FitnessProvider,
  HrvDaily,
  ProviderBundle,
  ProviderContext,
  ProviderHttpOptions,
  QueryValue,
  RecoveryMetrics,
  SleepSession,
} from '@pierre/providers-core'
import {
  compareActivitiesNewestFirst,
  createHttpClient,
  createProvider,
  isProviderError,
  ProviderError,
  pickHttpOptions,
} from '@pierre/providers-core'
import { z } from 'zod'
import { corosApiBaseUrl, corosDescriptor } from './descriptor.js'
import { classifyCorosError, createCorosApiFetch } from './errors.js'
import { addDays, checkTimeZone, localDate, subtractMonths, toCorosDate } from './internal/time.js'
import type { CorosDailyContext, CorosRunningTotals } from './mapping.js'
import {
  mapCorosAthlete,
  mapCorosDailySummary,
  mapCorosHrv,
  mapCorosRecovery,
  mapCorosRunningTotals,
  mapCorosSleep,
  mapCorosWorkout,
} from './mapping.js'

/**
 * HTTP settings of a COROS provider, passed to providers-core's `createHttpClient`. Limits are
 * per application: share one `rateLimitBudget` between its users; `rateLimitScope` is
 * `coros:app` by default, use `coros:app:<client id>` with several applications.
 */
export type CorosHttpOptions = ProviderHttpOptions

/** Options of {@link createCorosProvider}. */
export interface CorosProviderOptions extends CorosHttpOptions {
  /** Access tokens of the connected user, usually `oauthClient.tokenSource(user)`. */
  readonly tokenSource: AccessTokenSource
  /**
   * The user's COROS `openId` (the stored connection's `providerUserId`), sent with every call; or
   * a function that looks it up.
   */
  readonly openId: string | (() => Promise<string | undefined>)
  /** `https://open.coros.com` by default; the test host, or `fakeCoros.url` in tests. */
  readonly baseUrl?: string
  /**
   * The athlete's IANA zone, for the dates COROS queries take and for daily records, which carry
   * no offset; UTC by default. Workouts carry their own offset and do not need it.
   */
  readonly timeZone?: string
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/** A COROS {@link FitnessProvider} with the profile's running totals as an extra. */
export interface CorosProvider extends FitnessProvider {
  /** Returns the lifetime running totals of the profile (m, s, kcal). */
  getRunningTotals(options?: CallOptions): Promise<CorosRunningTotals>
}

// specs/providers.md §6.5: at most 30 days per call, and only the last 3 months.
const maxDaysPerCall = 30
const historyMonths = 3

type Raw = Readonly<Record<string, unknown>>

// The members the adapter relies on; the rest passes through loosely.
const idSchema = z.union([z.string().min(1), z.number()])
const workoutShape = z.looseObject({ labelId: idSchema, startTime: z.number() })
const envelopeOf = <TData extends z.ZodType>(data: TData) =>
  z.looseObject({ result: z.union([z.string(), z.number()]).optional(), data })
const sportDataSchema = envelopeOf(z.array(workoutShape).nullish())
const dailyDataSchema = envelopeOf(z.array(z.looseObject({})).nullish())
const userInfoSchema = envelopeOf(z.looseObject({ openId: idSchema }))

/**
 * Creates the COROS provider for one connected user: profile and running totals, workouts (newest
 * first over the 3 months COROS keeps, 30 days per call), and from the daily data the sleep window,
 * resting heart rate, overnight HRV, steps and calories, mapped to the normalized model in SI
 * units. Every call sends `token` and `openId` as query parameters, as COROS wants; the token is
 * redacted from error messages and events.
 *
 * @throws ProviderError `not_configured` when `baseUrl` is not an http(s) URL; `invalid_argument`
 *   when `timeZone` is not an IANA zone.
 *
 * @example
 * ```ts
 * const fake = await startFakeCoros()
 * const { accessToken, openId } = fake.issueTokens()
 * const provider = createCorosProvider({
 *   tokenSource: { getAccessToken: async () => accessToken },
 *   openId,
 *   baseUrl: fake.url,
 * })
 * ```
 */
export function createCorosProvider(options: CorosProviderOptions): CorosProvider {
  const now = options.now ?? (() => new Date())
  const timeZone = options.timeZone
  if (timeZone !== undefined) checkTimeZone(timeZone)
  const dailyContext: CorosDailyContext = timeZone === undefined ? {} : { timeZone }
  const fetchImpl = options.fetch
  const http = createHttpClient({
    ...pickHttpOptions(options),
    provider: 'coros',
    baseUrl: options.baseUrl ?? corosApiBaseUrl,
    auth: options.tokenSource,
    applyToken: (token, request) => {
      request.url.searchParams.set('token', token)
    },
    fetch: createCorosApiFetch((input, init) => (fetchImpl ?? globalThis.fetch)(input, init)),
    rateLimitScope: options.rateLimitScope ?? 'coros:app',
    classifyResponse: classifyCorosError,
    now,
  })

  const signalOf = (callOptions?: CallOptions) =>
    callOptions?.signal === undefined ? {} : { signal: callOptions.signal }

  const openIdOf = async (): Promise<string> => {
    const openId = typeof options.openId === 'string' ? options.openId : await options.openId()
    if (openId === undefined || openId === '') {
      throw new ProviderError('not_connected', 'coros needs the openId of the connected user', {
        provider: 'coros',
        details: { provider: 'coros' },
      })
    }
    return openId
  }

  const get = async <TResult>(
    path: string,
    request: {
      readonly schema: z.ZodType<TResult>
      readonly resource: string
      readonly query?: Readonly<Record<string, QueryValue>>
    },
    callOptions?: CallOptions,
  ): Promise<TResult> => {
    const openId = await openIdOf()
    try {
      return await http.getJson(path, {
        schema: request.schema,
        resource: request.resource,
        query: { ...request.query, openId },
        ...signalOf(callOptions),
      })
    } catch (error) {
      throw withEndpoint(error, `GET ${path}`)
    }
  }

  const today = () => localDate(now().getTime(), timeZone)
  const horizon = () => subtractMonths(today(), historyMonths)

  // Inclusive date windows of at most 30 days covering [from, to], newest first.
  const windowsOf = (from: string, to: string): [string, string][] => {
    const windows: [string, string][] = []
    for (let end = to; end >= from; ) {
      const candidate = addDays(end, -(maxDaysPerCall - 1))
      const start = candidate < from ? from : candidate
      windows.push([start, end])
      end = addDays(start, -1)
    }
    return windows
  }

  // The dates COROS can answer for: from 3 months ago to tomorrow (zones ahead of ours).
  const clampDates = (from: string, to: string): [string, string] | undefined => {
    const earliest = horizon()
    const latest = addDays(today(), 1)
    const start = from < earliest ? earliest : from
    const end = to > latest ? latest : to
    return end < start ? undefined : [start, end]
  }

  const fetchWorkouts = async (window: [string, string], callOptions?: CallOptions) => {
    const body = await get(
      '/coros/open/sport/data',
      {
        schema: sportDataSchema,
        resource: 'sport data',
        query: { startDate: toCorosDate(window[0]), endDate: toCorosDate(window[1]) },
      },
      callOptions,
    )
    return (body.data ?? []) as readonly Raw[]
  }

  const fetchDaily = async (from: string, to: string, callOptions?: CallOptions) => {
    const dates = clampDates(from, to)
    if (dates === undefined) return []
    const records: Raw[] = []
    for (const window of windowsOf(dates[0], dates[1])) {
      const body = await get(
        '/coros/open/daily/data',
        {
          schema: dailyDataSchema,
          resource: 'daily data',
          query: { startDate: toCorosDate(window[0]), endDate: toCorosDate(window[1]) },
        },
        callOptions,
      )
      records.push(...((body.data ?? []) as readonly Raw[]))
    }
    return records
  }

  // Newest first, one 30-day window per call; COROS filters on the workout's local date, so the
  // outer windows reach one day further and the exact instants are filtered afterwards.
  const iterateActivities = (
    query: ActivityIterationQuery = {},
    callOptions?: CallOptions,
  ): AsyncIterable<Activity> => ({
    async *[Symbol.asyncIterator]() {
      const to =
        query.before === undefined
          ? addDays(today(), 1)
          : addDays(localDate(query.before * 1000 - 1, timeZone), 1)
      const from =
        query.after === undefined ? horizon() : addDays(localDate(query.after * 1000, timeZone), -1)
      const dates = clampDates(from, to)
      if (dates === undefined) return
      const seen = new Set<string>()
      for (const window of windowsOf(dates[0], dates[1])) {
        const activities = (await fetchWorkouts(window, callOptions))
          .map((raw) => mapCorosWorkout(raw))
          .sort(compareActivitiesNewestFirst)
        for (const activity of activities) {
          if (seen.has(activity.id)) continue
          seen.add(activity.id)
          yield activity
        }
      }
    },
  })

  // COROS has no single-workout call: the id is looked for in the history it keeps.
  const getActivity = async (id: string, callOptions?: CallOptions): Promise<Activity> => {
    for await (const activity of iterateActivities({}, callOptions)) {
      if (activity.id === id) return activity
    }
    throw new ProviderError('not_found', `coros has no activity ${id} in the last 3 months`, {
      provider: 'coros',
      details: { resource_type: 'activity', resource_id: id },
    })
  }

  const getUserInfo = async (callOptions?: CallOptions) =>
    (await get('/coros/open/user/info', { schema: userInfoSchema, resource: 'user' }, callOptions))
      .data

  // The local dates covered by [start, end).
  const datesOf = (range: DateRange): [string, string] => [
    localDate(Date.parse(range.start), timeZone),
    localDate(Date.parse(range.end) - 1, timeZone),
  ]

  const perDay = async <TResult extends { readonly calendar_date: string }>(
    range: DateRange,
    map: (raw: Raw, context: CorosDailyContext) => TResult | undefined,
    callOptions?: CallOptions,
  ): Promise<TResult[]> => {
    const [first, last] = datesOf(range)
    const byDate = new Map<string, TResult>()
    for (const raw of await fetchDaily(first, last, callOptions)) {
      const entry = map(raw, dailyContext)
      if (entry === undefined || entry.calendar_date < first || entry.calendar_date > last) continue
      byDate.set(entry.calendar_date, entry)
    }
    return [...byDate.values()].sort((left, right) =>
      left.calendar_date < right.calendar_date ? 1 : -1,
    )
  }

  // A night belongs to the day it ends: windows ending in [start, end), looked up a day around.
  const getSleepSessions = async (
    range: DateRange,
    callOptions?: CallOptions,
  ): Promise<SleepSession[]> => {
    const [first, last] = datesOf(range)
    const startMs = Date.parse(range.start)
    const endMs = Date.parse(range.end)
    const byId = new Map<string, SleepSession>()
    for (const raw of await fetchDaily(addDays(first, -1), addDays(last, 1), callOptions)) {
      const session = mapCorosSleep(raw, dailyContext)
      if (session === undefined) continue
      const ended = Date.parse(session.end_time)
      if (ended >= startMs && ended < endMs) byId.set(session.id, session)
    }
    return [...byId.values()].sort(
      (left, right) => Date.parse(right.start_time) - Date.parse(left.start_time),
    )
  }

  const provider = createProvider(
    corosDescriptor,
    {
      getAthlete: async (callOptions?: CallOptions) =>
        mapCorosAthlete(await getUserInfo(callOptions)),
      iterateActivities,
      getActivity,
      getSleepSessions,
      getRecoveryMetrics: (range: DateRange, callOptions?: CallOptions) =>
        perDay<RecoveryMetrics>(range, mapCorosRecovery, callOptions),
      getHrv: (range: DateRange, callOptions?: CallOptions) =>
        perDay<HrvDaily>(range, mapCorosHrv, callOptions),
      getDailySummaries: (range: DateRange, callOptions?: CallOptions) =>
        perDay<DailySummary>(range, mapCorosDailySummary, callOptions),
    },
    { now },
  )

  return Object.freeze({
    ...provider,
    async getRunningTotals(callOptions?: CallOptions) {
      callOptions?.signal?.throwIfAborted()
      return mapCorosRunningTotals(await getUserInfo(callOptions))
    },
  })
}

// An unreadable body becomes `invalid_data` that names the endpoint as well as the provider.
function withEndpoint(error: unknown, endpoint: string): unknown {
  if (!isProviderError(error) || error.code !== 'invalid_data') return error
  const path = endpoint.slice(endpoint.indexOf(' ') + 1)
  return new ProviderError(
    'invalid_data',
    error.message.includes(path) ? error.message : `${error.message} (${endpoint})`,
    {
      provider: 'coros',
      ...(error.status === undefined ? {} : { status: error.status }),
      details: { ...error.details, endpoint },
      cause: error,
      upstreamBody: error.upstreamBody,
    },
  )
}

/** Options of {@link createCorosBundle}. */
export interface CorosBundleOptions extends CorosHttpOptions {
  /**
   * Looks up a user's COROS `openId`, usually
   * `(user) => oauth.getConnection(user).then((c) => c?.providerUserId)`.
   */
  readonly openIdOf: (user: {
    readonly tenantId: string
    readonly userId: string
  }) => Promise<string | undefined>
  /** `https://open.coros.com` by default. */
  readonly baseUrl?: string
  /** The zone daily dates are computed in, for every user of the bundle; UTC by default. */
  readonly timeZone?: string
}

/**
 * Creates the registry bundle of the `coros` provider. The rate-limit budget (COROS limits are per
 * application) and the breaker in `options` are shared by every user the bundle creates providers
 * for; each context must carry `auth`.
 *
 * @throws ProviderError `not_connected` from `create` when the context has no `auth`.
 */
export function createCorosBundle(options: CorosBundleOptions): ProviderBundle {
  const { openIdOf, ...rest } = options
  return Object.freeze({
    descriptor: corosDescriptor,
    create(context: ProviderContext): CorosProvider {
      if (context.auth === undefined) {
        throw new ProviderError('not_connected', 'coros needs an access token source', {
          provider: 'coros',
        })
      }
      const user = { tenantId: context.tenantId, userId: context.userId }
      return createCorosProvider({
        ...rest,
        tokenSource: context.auth,
        openId: () => openIdOf(user),
        ...(context.now === undefined ? {} : { now: context.now }),
      })
    },
  })
}
