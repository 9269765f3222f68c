import type {
  AccessTokenSource,
  Activity,
  ActivityIterationQuery,
  ActivityOptions,
  CallOptions,
  DateRange,
  FitnessProvider,
  ProviderBundle,
  ProviderContext,
  ProviderHttpOptions,
  RateLimitBudget,
  SleepSession,
  StreamOptions,
} from '@pierre/providers-core'
import {
  createHttpClient,
  createProvider,
  createRateLimitBudget,
  isProviderError,
  ProviderError,
  pickHttpOptions,
} from '@pierre/providers-core'
import { z } from 'zod'
import { fitbitDescriptor, googleHealthApiBaseUrl } from './descriptor.js'
import { classifyFitbitResponse, createFitbitQuotaParser } from './errors.js'
import type { GoogleHealthNightlyVitals, GoogleHealthZoneBounds } from './mapping.js'
import {
  mapGoogleHealthAthlete,
  mapGoogleHealthDailyValues,
  mapGoogleHealthExercise,
  mapGoogleHealthHeartRateSamples,
  mapGoogleHealthHeartRateZones,
  mapGoogleHealthHrv,
  mapGoogleHealthRecovery,
  mapGoogleHealthSleep,
  withNightlyVitals,
} from './mapping.js'
import { addDays, civilDateTime, localDateOf, localMidnight, resolveTimeZone } from './time.js'

/** HTTP settings of a Fitbit provider, passed to providers-core's `createHttpClient`. */
export interface FitbitHttpOptions extends ProviderHttpOptions {
  /** The budget of the per-user quota window; a private one by default. */
  readonly rateLimitBudget?: RateLimitBudget
  /** `fitbit:user` by default; the bundle uses `fitbit:user:<tenant>:<user>`. */
  readonly rateLimitScope?: string
  /** Google's per-user quota, requests per minute; 300 by default. */
  readonly requestsPerMinute?: number
}

/** Options of {@link createFitbitProvider}. */
export interface FitbitProviderOptions extends FitbitHttpOptions {
  /** Access tokens of the connected user, usually `oauthClient.tokenSource(user)`. */
  readonly tokenSource: AccessTokenSource
  /** `https://health.googleapis.com/v4` by default; tests pass `fake.apiBaseUrl`. */
  readonly baseUrl?: string
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /**
   * IANA time zone used to turn date ranges into local dates when the user's settings cannot be
   * read (no `settings.readonly` grant); `UTC` by default.
   */
  readonly fallbackTimeZone?: string
}

const exercisePageSize = 25
const samplePageSize = 10_000
const maxPages = 1000
const dayMs = 86_400_000
// Civil bounds are widened by the largest UTC offsets, then the exact filter runs client-side.
const civilMarginMs = 14 * 3_600_000

const pointSchema = z.looseObject({})
const pageSchema = z.looseObject({
  dataPoints: z.array(pointSchema).optional(),
  nextPageToken: z.string().optional(),
})
const exerciseSchema = z.looseObject({
  name: z.string().min(1),
  exercise: z.looseObject({
    interval: z.looseObject({ startTime: z.string(), endTime: z.string() }),
  }),
})
const identitySchema = z.looseObject({ healthUserId: z.string().min(1) })

type Point = z.infer<typeof pointSchema>

const dailyTypes = {
  restingHeartRate: 'daily-resting-heart-rate',
  hrv: 'daily-heart-rate-variability',
  respiratoryRate: 'daily-respiratory-rate',
  oxygenSaturation: 'daily-oxygen-saturation',
  temperature: 'daily-sleep-temperature-derivations',
  heartRateZones: 'daily-heart-rate-zones',
} as const

const snake = (dataType: string): string => dataType.replace(/-/g, '_')

/**
 * Creates the Fitbit provider for one connected user, reading the Google Health API: exercise
 * sessions (newest first, full history through `pageToken`), one exercise with its laps and splits
 * (`details` adds the day's heart-rate zones), the heart-rate samples of an exercise as streams,
 * sleep sessions with stages and nightly vitals, daily HRV, recovery vitals, and the athlete
 * (identity, settings, latest weight, height and resting heart rate), in SI units.
 *
 * @throws ProviderError `not_configured` when `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * const fake = await startFakeGoogleHealth({ exerciseCount: 12 })
 * const { accessToken } = fake.issueTokens()
 * const provider = createFitbitProvider({
 *   tokenSource: { getAccessToken: async () => accessToken },
 *   baseUrl: fake.apiBaseUrl,
 * })
 * ```
 */
export function createFitbitProvider(options: FitbitProviderOptions): FitnessProvider {
  const now = options.now ?? (() => new Date())
  const budget = options.rateLimitBudget ?? createRateLimitBudget({ now })
  const scope = options.rateLimitScope ?? 'fitbit:user'
  const http = createHttpClient({
    ...pickHttpOptions(options),
    provider: 'fitbit',
    baseUrl: options.baseUrl ?? googleHealthApiBaseUrl,
    auth: options.tokenSource,
    rateLimitBudget: budget,
    rateLimitScope: scope,
    rateLimitParser: createFitbitQuotaParser({
      budget,
      scope,
      ...(options.requestsPerMinute === undefined
        ? {}
        : { requestsPerMinute: options.requestsPerMinute }),
    }),
    classifyResponse: classifyFitbitResponse,
    now,
  })

  const signalOf = (callOptions?: CallOptions) =>
    callOptions?.signal === undefined ? {} : { signal: callOptions.signal }

  // Every unreadable answer names the endpoint, so a log line says which call broke.
  const getJson = async <TResult>(
    path: string,
    request: {
      readonly schema: z.ZodType<TResult>
      readonly query?: Readonly<Record<string, string | number | undefined>>
      readonly resource: string
      readonly resourceId?: string
    },
    callOptions?: CallOptions,
  ): Promise<TResult> => {
    try {
      return await http.getJson(path, {
        ...signalOf(callOptions),
        schema: request.schema,
        ...(request.query === undefined ? {} : { query: request.query }),
        resource: request.resource,
        ...(request.resourceId === undefined ? {} : { resourceId: request.resourceId }),
      })
    } catch (error) {
      if (isProviderError(error) && error.code === 'invalid_data') {
        const endpoint = `GET ${path}`
        throw new ProviderError(
          'invalid_data',
          `fitbit sent an unreadable response to ${endpoint}: ${error.message}`,
          {
            provider: 'fitbit',
            ...(error.status === undefined ? {} : { status: error.status }),
            details: { ...error.details, endpoint },
            cause: error,
            upstreamBody: error.upstreamBody,
          },
        )
      }
      throw error
    }
  }

  const dataPointsPath = (dataType: string) => `/users/me/dataTypes/${dataType}/dataPoints`

  // The documented paging of list: pass nextPageToken back until it is empty or absent.
  async function* pagesOf(
    dataType: string,
    query: { readonly filter?: string; readonly pageSize: number },
    callOptions?: CallOptions,
  ): AsyncGenerator<readonly Point[]> {
    const seen = new Set<string>()
    let pageToken: string | undefined
    for (let page = 0; page < maxPages; page += 1) {
      const body = await getJson(
        dataPointsPath(dataType),
        {
          schema: pageSchema,
          query: { filter: query.filter, pageSize: query.pageSize, pageToken },
          resource: dataType,
        },
        callOptions,
      )
      yield body.dataPoints ?? []
      const next = body.nextPageToken
      if (next === undefined || next === '') return
      if (seen.has(next)) {
        throw new ProviderError(
          'invalid_data',
          `fitbit sent the same page token twice for GET ${dataPointsPath(dataType)}`,
          { provider: 'fitbit', details: { endpoint: `GET ${dataPointsPath(dataType)}` } },
        )
      }
      seen.add(next)
      pageToken = next
    }
  }

  const listAll = async (
    dataType: string,
    query: { readonly filter?: string; readonly pageSize: number },
    callOptions?: CallOptions,
  ): Promise<Point[]> => {
    const points: Point[] = []
    for await (const page of pagesOf(dataType, query, callOptions)) points.push(...page)
    return points
  }

  // A missing grant for optional data (settings, body, enrichment) leaves that data out.
  const unlessScopeMissing = async <TResult>(
    load: () => Promise<TResult>,
  ): Promise<TResult | undefined> => {
    try {
      return await load()
    } catch (error) {
      if (isProviderError(error) && error.code === 'insufficient_scope') return undefined
      throw error
    }
  }

  let settingsPromise: Promise<Point | undefined> | undefined
  const loadSettings = (callOptions?: CallOptions): Promise<Point | undefined> => {
    settingsPromise ??= unlessScopeMissing(() =>
      getJson('/users/me/settings', { schema: pointSchema, resource: 'settings' }, callOptions),
    ).catch((error: unknown) => {
      settingsPromise = undefined
      throw error
    })
    return settingsPromise
  }

  const timeZoneOf = async (callOptions?: CallOptions): Promise<string> => {
    const settings = await loadSettings(callOptions)
    return resolveTimeZone(settings?.timeZone, options.fallbackTimeZone ?? 'UTC')
  }

  const latestOf = async (dataType: string, callOptions?: CallOptions) =>
    unlessScopeMissing(async () => {
      const body = await getJson(
        dataPointsPath(dataType),
        { schema: pageSchema, query: { pageSize: 1 }, resource: dataType },
        callOptions,
      )
      return body.dataPoints?.[0]
    })

  const getAthlete = async (callOptions?: CallOptions) => {
    const [identity, settings, latestWeight, latestHeight, latestRestingHeartRate] =
      await Promise.all([
        getJson(
          '/users/me/identity',
          { schema: identitySchema, resource: 'identity' },
          callOptions,
        ),
        loadSettings(callOptions),
        latestOf('weight', callOptions),
        latestOf('height', callOptions),
        latestOf(dailyTypes.restingHeartRate, callOptions),
      ])
    return mapGoogleHealthAthlete({
      identity,
      settings,
      latestWeight,
      latestHeight,
      latestRestingHeartRate,
    })
  }

  // Newest first, as list documents; civil bounds widened by ±14 h, exact bounds applied by core.
  const iterateActivities = (
    query: ActivityIterationQuery = {},
    callOptions?: CallOptions,
  ): AsyncIterable<Activity> => ({
    async *[Symbol.asyncIterator]() {
      const clauses: string[] = []
      if (query.after !== undefined) {
        clauses.push(
          `exercise.interval.civil_start_time >= "${civilDateTime(query.after * 1000 - civilMarginMs)}"`,
        )
      }
      if (query.before !== undefined) {
        clauses.push(
          `exercise.interval.civil_start_time < "${civilDateTime(query.before * 1000 + civilMarginMs)}"`,
        )
      }
      const pageSize = Math.min(exercisePageSize, Math.max(1, query.pageSize ?? exercisePageSize))
      const filter = clauses.length === 0 ? undefined : clauses.join(' AND ')
      for await (const page of pagesOf(
        'exercise',
        { ...(filter === undefined ? {} : { filter }), pageSize },
        callOptions,
      )) {
        for (const point of page) {
          const activity = mapGoogleHealthExercise(point)
          if (activity.id === '') continue
          if (query.after !== undefined && Date.parse(activity.start_date) / 1000 < query.after) {
            return
          }
          yield activity
        }
      }
    },
  })

  const dailyFilter = (dataType: string, firstDate: string, lastDate: string): string =>
    `${snake(dataType)}.date >= "${firstDate}" AND ${snake(dataType)}.date < "${addDays(lastDate, 1)}"`

  const zonesOn = async (date: string, callOptions?: CallOptions) =>
    unlessScopeMissing(async () => {
      const points = await listAll(
        dailyTypes.heartRateZones,
        { filter: dailyFilter(dailyTypes.heartRateZones, date, date), pageSize: 10 },
        callOptions,
      )
      return points.length === 0 ? undefined : mapGoogleHealthHeartRateZones(points[0] as Point)
    })

  const getActivity = async (id: string, callOptions?: ActivityOptions): Promise<Activity> => {
    const point = await getJson(
      `${dataPointsPath('exercise')}/${encodeURIComponent(id)}`,
      { schema: exerciseSchema, resource: 'activity', resourceId: id },
      callOptions,
    )
    const summary = mapGoogleHealthExercise(point)
    if (callOptions?.details !== true || summary.start_date_local === undefined) return summary
    const zones: readonly GoogleHealthZoneBounds[] | undefined = await zonesOn(
      (summary.start_date_local ?? '').slice(0, 10),
      callOptions,
    )
    return zones === undefined ? summary : mapGoogleHealthExercise(point, zones)
  }

  const getActivityStreams = async (id: string, callOptions?: StreamOptions) => {
    const activity = await getActivity(id, signalOf(callOptions))
    if (callOptions?.keys !== undefined && !callOptions.keys.includes('heartrate')) {
      return mapGoogleHealthHeartRateSamples([], activity)
    }
    const start = Date.parse(activity.start_date)
    const end = start + (activity.duration_seconds + 1) * 1000
    const field = 'heart_rate.sample_time.physical_time'
    const samples = await listAll(
      'heart-rate',
      {
        filter: `${field} >= "${rfc3339(start)}" AND ${field} < "${rfc3339(end)}"`,
        pageSize: samplePageSize,
      },
      callOptions,
    )
    return mapGoogleHealthHeartRateSamples(samples, activity)
  }

  const datesOf = async (range: DateRange, callOptions?: CallOptions) => {
    const timeZone = await timeZoneOf(callOptions)
    const startMs = Date.parse(range.start)
    const endMs = Date.parse(range.end)
    return {
      timeZone,
      first: localDateOf(startMs, timeZone),
      last: localDateOf(Math.max(startMs, endMs - 1), timeZone),
    }
  }

  const dailyPoints = (
    dataType: string,
    dates: { readonly first: string; readonly last: string },
    callOptions?: CallOptions,
  ): Promise<Point[]> =>
    listAll(
      dataType,
      { filter: dailyFilter(dataType, dates.first, dates.last), pageSize: samplePageSize },
      callOptions,
    )

  const nightlyVitals = async (
    first: string,
    last: string,
    callOptions?: CallOptions,
  ): Promise<ReadonlyMap<string, GoogleHealthNightlyVitals>> => {
    const types = [
      dailyTypes.hrv,
      dailyTypes.respiratoryRate,
      dailyTypes.temperature,
      dailyTypes.oxygenSaturation,
    ]
    const points = await Promise.all(
      types.map((type) =>
        unlessScopeMissing(() => dailyPoints(type, { first, last }, callOptions)),
      ),
    )
    return mapGoogleHealthDailyValues(points.flatMap((entry) => entry ?? []))
  }

  const sleepPoints = async (range: DateRange, callOptions?: CallOptions): Promise<Point[]> => {
    const field = 'sleep.interval.end_time'
    const startMs = Date.parse(range.start)
    const endMs = Date.parse(range.end)
    try {
      return await listAll(
        'sleep',
        {
          filter: `${field} >= "${rfc3339(startMs)}" AND ${field} < "${rfc3339(endMs)}"`,
          pageSize: exercisePageSize,
        },
        callOptions,
      )
    } catch (error) {
      const reason = isProviderError(error) ? error.details?.reason : undefined
      if (typeof reason !== 'string' || !reason.startsWith('INVALID_DATA_POINT_FILTER')) throw error
    }
    // The documented end-time filter was refused: read newest first until a day before the range.
    const points: Point[] = []
    for await (const page of pagesOf('sleep', { pageSize: exercisePageSize }, callOptions)) {
      for (const point of page) {
        const session = mapGoogleHealthSleep(point)
        if (Date.parse(session.start_time) < startMs - dayMs) return points
        points.push(point)
      }
    }
    return points
  }

  const getSleepSessions = async (
    range: DateRange,
    callOptions?: CallOptions,
  ): Promise<readonly SleepSession[]> => {
    const startMs = Date.parse(range.start)
    const endMs = Date.parse(range.end)
    const sessions = (await sleepPoints(range, callOptions))
      .map((point) => mapGoogleHealthSleep(point))
      .filter((session) => {
        const end = Date.parse(session.end_time)
        return end >= startMs && end < endMs
      })
      .sort((left, right) => Date.parse(right.end_time) - Date.parse(left.end_time))
    const mainDates = sessions.filter((session) => !session.is_nap).map((s) => s.date_of_sleep)
    if (mainDates.length === 0) return sessions
    const sorted = [...mainDates].sort()
    const vitals = await nightlyVitals(
      sorted[0] as string,
      sorted[sorted.length - 1] as string,
      callOptions,
    )
    return sessions.map((session) => withNightlyVitals(session, vitals.get(session.date_of_sleep)))
  }

  const getHrv = async (range: DateRange, callOptions?: CallOptions) => {
    const { first, last } = await datesOf(range, callOptions)
    const points = await dailyPoints(dailyTypes.hrv, { first, last }, callOptions)
    return points
      .map((point) => mapGoogleHealthHrv(point))
      .filter((entry) => entry !== undefined)
      .filter((entry) => entry.calendar_date >= first && entry.calendar_date <= last)
      .sort((left, right) => (left.calendar_date < right.calendar_date ? -1 : 1))
  }

  const getRecoveryMetrics = async (range: DateRange, callOptions?: CallOptions) => {
    const { timeZone, first, last } = await datesOf(range, callOptions)
    const types = [
      dailyTypes.restingHeartRate,
      dailyTypes.hrv,
      dailyTypes.respiratoryRate,
      dailyTypes.oxygenSaturation,
      dailyTypes.temperature,
    ]
    const points = await Promise.all(
      types.map((type) => dailyPoints(type, { first, last }, callOptions)),
    )
    const vitals = mapGoogleHealthDailyValues(points.flat())
    const inRange = new Map([...vitals].filter(([date]) => date >= first && date <= last))
    return mapGoogleHealthRecovery(inRange, (date) => localMidnight(date, timeZone))
  }

  return createProvider(
    fitbitDescriptor,
    {
      getAthlete,
      iterateActivities,
      getActivity,
      getActivityStreams,
      getSleepSessions,
      getHrv,
      getRecoveryMetrics,
    },
    { now },
  )
}

/** Options of {@link createFitbitBundle}. */
export interface FitbitBundleOptions extends FitbitHttpOptions {
  /** `https://health.googleapis.com/v4` by default. */
  readonly baseUrl?: string
  readonly fallbackTimeZone?: string
}

/**
 * Creates the registry bundle of the `fitbit` provider. The breaker and the quota budget in
 * `options` are shared by every user the bundle creates providers for; each user gets its own
 * quota window (`fitbit:user:<tenant>:<user>`: Google's quota is per user). Each context must
 * carry `auth`.
 *
 * @throws ProviderError `not_connected` from `create` when the context has no `auth`.
 */
export function createFitbitBundle(options: FitbitBundleOptions = {}): ProviderBundle {
  const budget = options.rateLimitBudget ?? createRateLimitBudget()
  return Object.freeze({
    descriptor: fitbitDescriptor,
    create(context: ProviderContext): FitnessProvider {
      if (context.auth === undefined) {
        throw new ProviderError('not_connected', 'fitbit needs an access token source', {
          provider: 'fitbit',
        })
      }
      return createFitbitProvider({
        ...options,
        rateLimitBudget: budget,
        rateLimitScope: `${options.rateLimitScope ?? 'fitbit:user'}:${context.tenantId}:${context.userId}`,
        tokenSource: context.auth,
        ...(context.now === undefined ? {} : { now: context.now }),
      })
    },
  })
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}
