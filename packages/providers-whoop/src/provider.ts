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
  createHttpClient,
  createProvider,
  isProviderError,
  ProviderError,
  parseDateRange,
  pickHttpOptions,
} from '@pierre/providers-core'
import { z } from 'zod'
import { whoopApiBaseUrl, whoopDescriptor } from './descriptor.js'
import type { WhoopCycle } from './mapping.js'
import {
  mapWhoopAthlete,
  mapWhoopBodyMeasurement,
  mapWhoopCycle,
  mapWhoopDailySummary,
  mapWhoopRecovery,
  mapWhoopSleep,
  mapWhoopWorkout,
} from './mapping.js'
import { createWhoopErrorClassifier, whoopRateLimitParser } from './rate-limit.js'

/**
 * HTTP settings of a WHOOP provider, passed to providers-core's `createHttpClient`. Limits are
 * per application: share one `rateLimitBudget` between its users; `rateLimitScope` is
 * `whoop:app` by default, use `whoop:app:<client id>` with several applications.
 */
export type WhoopHttpOptions = ProviderHttpOptions

/** Options of {@link createWhoopProvider}. */
export interface WhoopProviderOptions extends WhoopHttpOptions {
  /** Access tokens of the connected member, usually `oauthClient.tokenSource(user)`. */
  readonly tokenSource: AccessTokenSource
  /** `https://api.prod.whoop.com/developer` by default; tests pass `fakeWhoop.apiBaseUrl`. */
  readonly baseUrl?: string
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/** A WHOOP {@link FitnessProvider} with WHOOP's cycles and access revocation as extras. */
export interface WhoopProvider extends FitnessProvider {
  /**
   * Returns the physiological cycles whose day (`calendar_date`, local midnight in UTC) falls in
   * the range, newest first, with the day strain (scope `read:cycles`).
   */
  getCycles(range: DateRange, options?: CallOptions): Promise<readonly WhoopCycle[]>
  /**
   * Revokes the app's access for this member at WHOOP (`DELETE /v2/user/access`; it also stops
   * webhooks). Then remove the stored connection with `oauthClient.disconnect(user)`.
   */
  revokeAccess(options?: CallOptions): Promise<void>
}

// WHOOP answers at most 25 records per page (specs/providers.md §6.3).
const maxPageSize = 25
const hourMs = 3_600_000

// The members the adapter relies on; the rest passes through loosely.
const idSchema = z.union([z.number(), z.string().min(1)])
const workoutShape = z.looseObject({ id: z.string().min(1), start: z.string() })
const sleepShape = z.looseObject({ id: z.string().min(1), start: z.string(), end: z.string() })
const cycleShape = z.looseObject({ id: idSchema, start: z.string() })
const recoveryShape = z.looseObject({ cycle_id: idSchema, sleep_id: z.string().min(1) })
const profileShape = z.looseObject({ user_id: idSchema })
const bodyShape = z.looseObject({})
const collectionOf = <TRecord extends z.ZodType>(record: TRecord) =>
  z.looseObject({ records: z.array(record), next_token: z.string().nullish() })

type Raw = Readonly<Record<string, unknown>>

// Failures that mean "this optional part is not available", not "the call failed".
const degradableCodes: ReadonlySet<string> = new Set([
  'insufficient_scope',
  'upstream_error',
  'not_found',
])

/**
 * Creates the WHOOP provider (API v2) for one connected member: profile and body measurement,
 * workouts (newest first, the full history through `start`, `end` and `nextToken`), sleep,
 * recovery, HRV, cycles and daily summaries, mapped to the normalized model in SI units.
 *
 * @throws ProviderError `not_configured` when `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * const fake = await startFakeWhoop({ workoutCount: 30 })
 * const { accessToken } = fake.issueTokens()
 * const provider = createWhoopProvider({
 *   tokenSource: { getAccessToken: async () => accessToken },
 *   baseUrl: fake.apiBaseUrl,
 * })
 * ```
 */
export function createWhoopProvider(options: WhoopProviderOptions): WhoopProvider {
  const now = options.now ?? (() => new Date())
  const http = createHttpClient({
    ...pickHttpOptions(options),
    provider: 'whoop',
    baseUrl: options.baseUrl ?? whoopApiBaseUrl,
    auth: options.tokenSource,
    rateLimitParser: whoopRateLimitParser,
    rateLimitScope: options.rateLimitScope ?? 'whoop:app',
    classifyResponse: createWhoopErrorClassifier(now),
    now,
  })

  const signalOf = (callOptions?: CallOptions) =>
    callOptions?.signal === undefined ? {} : { signal: callOptions.signal }

  const get = async <TResult>(
    path: string,
    request: {
      readonly schema: z.ZodType<TResult>
      readonly resource: string
      readonly resourceId?: string
      readonly query?: Readonly<Record<string, QueryValue>>
    },
    callOptions?: CallOptions,
  ): Promise<TResult> => {
    try {
      return await http.getJson(path, { ...request, ...signalOf(callOptions) })
    } catch (error) {
      throw withEndpoint(error, `GET ${path}`)
    }
  }

  const optional = async <TResult>(promise: Promise<TResult>): Promise<TResult | undefined> => {
    try {
      return await promise
    } catch (error) {
      if (isProviderError(error) && degradableCodes.has(error.code)) return undefined
      throw error
    }
  }

  // Every record of a collection, following next_token until WHOOP sends none.
  async function* pages(
    path: string,
    request: {
      readonly schema: z.ZodType<Raw>
      readonly resource: string
      readonly start?: string
      readonly end?: string
      readonly limit?: number
    },
    callOptions?: CallOptions,
  ): AsyncGenerator<Raw> {
    const seen = new Set<string>()
    let nextToken: string | undefined
    for (;;) {
      const body = await get(
        path,
        {
          schema: collectionOf(request.schema),
          resource: request.resource,
          query: {
            limit: request.limit ?? maxPageSize,
            start: request.start,
            end: request.end,
            nextToken,
          },
        },
        callOptions,
      )
      yield* body.records
      const token = body.next_token ?? undefined
      if (token === undefined || token === '') return
      if (seen.has(token)) {
        throw new ProviderError(
          'invalid_data',
          `whoop sent the same next_token twice for GET ${path}`,
          { provider: 'whoop', details: { endpoint: `GET ${path}` } },
        )
      }
      seen.add(token)
      nextToken = token
    }
  }

  const collectAll = async (
    path: string,
    request: { readonly schema: z.ZodType<Raw>; readonly resource: string; readonly range: Window },
    callOptions?: CallOptions,
  ): Promise<Raw[]> => {
    const records: Raw[] = []
    for await (const record of pages(
      path,
      { ...request, start: request.range.start, end: request.range.end },
      callOptions,
    )) {
      records.push(record)
    }
    return records
  }

  const getBody = (callOptions?: CallOptions) =>
    get(
      '/v2/user/measurement/body',
      { schema: bodyShape, resource: 'body measurement' },
      callOptions,
    )

  // The max heart rate bounds the workout zones; fetched once per provider. The shared request
  // takes no caller's signal, so one caller aborting cannot fail the others.
  let maxHeartRate: Promise<number | undefined> | undefined
  const maxHeartRateOf = async (callOptions?: CallOptions): Promise<number | undefined> => {
    if (maxHeartRate === undefined) {
      const pending = optional(getBody()).then((body) => {
        const value = body?.max_heart_rate
        return typeof value === 'number' && Number.isFinite(value) ? value : undefined
      })
      maxHeartRate = pending
      pending.catch(() => {
        if (maxHeartRate === pending) maxHeartRate = undefined
      })
    }
    const value = await maxHeartRate
    callOptions?.signal?.throwIfAborted()
    return value
  }

  const getAthlete = async (callOptions?: CallOptions) => {
    const [profile, body] = await Promise.all([
      get('/v2/user/profile/basic', { schema: profileShape, resource: 'profile' }, callOptions),
      optional(getBody(callOptions)),
    ])
    return mapWhoopAthlete(profile, body)
  }

  // Newest first; WHOOP filters on the workout start: `start` inclusive, `end` exclusive.
  const iterateActivities = (
    query: ActivityIterationQuery = {},
    callOptions?: CallOptions,
  ): AsyncIterable<Activity> => ({
    async *[Symbol.asyncIterator]() {
      const limit = Math.min(maxPageSize, Math.max(1, Math.round(query.pageSize ?? maxPageSize)))
      const zonesMax = await maxHeartRateOf(callOptions)
      const records = pages(
        '/v2/activity/workout',
        {
          schema: workoutShape,
          resource: 'workouts',
          limit,
          ...(query.after === undefined ? {} : { start: isoOfSeconds(query.after) }),
          ...(query.before === undefined ? {} : { end: isoOfSeconds(query.before) }),
        },
        callOptions,
      )
      for await (const raw of records) {
        yield mapWhoopWorkout(raw, zonesMax === undefined ? {} : { maxHeartRate: zonesMax })
      }
    },
  })

  const getActivity = async (id: string, callOptions?: CallOptions): Promise<Activity> => {
    const [raw, zonesMax] = await Promise.all([
      get(
        `/v2/activity/workout/${encodeURIComponent(id)}`,
        { schema: workoutShape, resource: 'activity', resourceId: id },
        callOptions,
      ),
      maxHeartRateOf(callOptions),
    ])
    return mapWhoopWorkout(raw, zonesMax === undefined ? {} : { maxHeartRate: zonesMax })
  }

  // A night belongs to the day it ends: sessions ending in [start, end) began at most a day earlier.
  const getSleepSessions = async (
    range: DateRange,
    callOptions?: CallOptions,
  ): Promise<readonly SleepSession[]> => {
    const window = widen(range, 24 * hourMs, 0)
    const [sleeps, recoveries] = await Promise.all([
      collectAll(
        '/v2/activity/sleep',
        { schema: sleepShape, resource: 'sleeps', range: window },
        callOptions,
      ),
      optional(
        collectAll(
          '/v2/recovery',
          { schema: recoveryShape, resource: 'recoveries', range: window },
          callOptions,
        ),
      ),
    ])
    const recoveryOfSleep = new Map(
      (recoveries ?? []).map((entry) => [String(entry.sleep_id), entry]),
    )
    const startMs = Date.parse(range.start)
    const endMs = Date.parse(range.end)
    return sleeps
      .map((sleep) => {
        const recovery = recoveryOfSleep.get(String(sleep.id))
        return mapWhoopSleep(sleep, recovery === undefined ? {} : { recovery })
      })
      .filter((session): session is SleepSession => {
        if (session === undefined) return false
        const ended = Date.parse(session.end_time)
        return ended >= startMs && ended < endMs
      })
      .sort((left, right) => Date.parse(right.start_time) - Date.parse(left.start_time))
  }

  // Recoveries dated by their sleep's wake day, with the cycle's strain.
  const getRecoveryMetrics = async (
    range: DateRange,
    callOptions?: CallOptions,
  ): Promise<readonly RecoveryMetrics[]> => {
    const window = widen(range, 48 * hourMs, 24 * hourMs)
    const [recoveries, sleeps, cycles] = await Promise.all([
      collectAll(
        '/v2/recovery',
        { schema: recoveryShape, resource: 'recoveries', range: window },
        callOptions,
      ),
      optional(
        collectAll(
          '/v2/activity/sleep',
          { schema: sleepShape, resource: 'sleeps', range: window },
          callOptions,
        ),
      ),
      optional(
        collectAll(
          '/v2/cycle',
          { schema: cycleShape, resource: 'cycles', range: window },
          callOptions,
        ),
      ),
    ])
    const sleepById = new Map((sleeps ?? []).map((sleep) => [String(sleep.id), sleep]))
    const cycleById = new Map((cycles ?? []).map((cycle) => [String(cycle.id), cycle]))
    const result: RecoveryMetrics[] = []
    for (const recovery of recoveries) {
      if (recovery.score_state !== 'SCORED') continue
      const cycleId = String(recovery.cycle_id)
      let sleep = sleepById.get(String(recovery.sleep_id))
      if (sleep === undefined && sleeps !== undefined) {
        sleep = await optional(
          get(
            `/v2/cycle/${encodeURIComponent(cycleId)}/sleep`,
            { schema: sleepShape, resource: 'cycle sleep', resourceId: cycleId },
            callOptions,
          ),
        )
      }
      const cycle = cycleById.get(cycleId)
      const metrics = mapWhoopRecovery(recovery, {
        ...(sleep === undefined ? {} : { sleep }),
        ...(cycle === undefined ? {} : { cycle }),
      })
      if (metrics !== undefined && within(metrics.date, range)) result.push(metrics)
    }
    return result.sort((left, right) => Date.parse(right.date) - Date.parse(left.date))
  }

  const getHrv = async (range: DateRange, callOptions?: CallOptions): Promise<HrvDaily[]> => {
    const recoveries = await getRecoveryMetrics(range, callOptions)
    return recoveries.flatMap((entry) =>
      entry.hrv_rmssd_ms === undefined || entry.hrv_rmssd_ms === null
        ? []
        : [
            {
              calendar_date: entry.calendar_date,
              provider: 'whoop',
              rmssd_ms: entry.hrv_rmssd_ms,
              window: 'sleep' as const,
            },
          ],
    )
  }

  // A cycle's day is the local date 12 h after its start, so it starts up to a day around it.
  const cyclesIn = async (range: DateRange, callOptions?: CallOptions) => {
    const records = await collectAll(
      '/v2/cycle',
      { schema: cycleShape, resource: 'cycles', range: widen(range, 24 * hourMs, 24 * hourMs) },
      callOptions,
    )
    return records.flatMap((raw) => {
      const cycle = mapWhoopCycle(raw)
      if (cycle === undefined) return []
      const midnight =
        Date.parse(`${cycle.calendar_date}T00:00:00Z`) - (cycle.utc_offset_seconds ?? 0) * 1000
      return within(new Date(midnight).toISOString(), range) ? [{ raw, cycle }] : []
    })
  }

  const getCycles = async (range: DateRange, callOptions?: CallOptions) =>
    (await cyclesIn(range, callOptions)).map((entry) => entry.cycle)

  const getDailySummaries = async (
    range: DateRange,
    callOptions?: CallOptions,
  ): Promise<readonly DailySummary[]> =>
    (await cyclesIn(range, callOptions)).flatMap((entry) => {
      const summary = mapWhoopDailySummary(entry.raw)
      return summary === undefined ? [] : [summary]
    })

  // WHOOP keeps only the current body measurement: one record, dated now, when now is in range.
  const getHealthMetrics = async (range: DateRange, callOptions?: CallOptions) => {
    const at = now()
    if (!within(at.toISOString(), range)) return []
    return [mapWhoopBodyMeasurement(await getBody(callOptions), at)]
  }

  const provider = createProvider(
    whoopDescriptor,
    {
      getAthlete,
      iterateActivities,
      getActivity,
      getSleepSessions,
      getRecoveryMetrics,
      getHrv,
      getHealthMetrics,
      getDailySummaries,
    },
    { now },
  )

  return Object.freeze({
    ...provider,
    async getCycles(range: DateRange, callOptions?: CallOptions) {
      callOptions?.signal?.throwIfAborted()
      return getCycles(parseDateRange(range), callOptions)
    },
    async revokeAccess(callOptions?: CallOptions) {
      await http.request({
        method: 'DELETE',
        path: '/v2/user/access',
        resource: 'user access',
        ...signalOf(callOptions),
      })
    },
  })
}

interface Window {
  readonly start: string
  readonly end: string
}

function widen(range: DateRange, beforeMs: number, afterMs: number): Window {
  return {
    start: new Date(Date.parse(range.start) - beforeMs).toISOString(),
    end: new Date(Date.parse(range.end) + afterMs).toISOString(),
  }
}

function within(instant: string, range: DateRange): boolean {
  const ms = Date.parse(instant)
  return ms >= Date.parse(range.start) && ms < Date.parse(range.end)
}

function isoOfSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

// An unreadable body becomes `invalid_data` that names the endpoint as well as the provider.
function withEndpoint(error: unknown, endpoint: string): unknown {
  if (!isProviderError(error) || error.code !== 'invalid_data') return error
  const path = endpoint.slice(endpoint.indexOf(' ') + 1)
  return new ProviderError(
    'invalid_data',
    error.message.includes(path) ? error.message : `${error.message} (${endpoint})`,
    {
      provider: 'whoop',
      ...(error.status === undefined ? {} : { status: error.status }),
      details: { ...error.details, endpoint },
      cause: error,
      upstreamBody: error.upstreamBody,
    },
  )
}

/** Options of {@link createWhoopBundle}. */
export interface WhoopBundleOptions extends WhoopHttpOptions {
  /** `https://api.prod.whoop.com/developer` by default. */
  readonly baseUrl?: string
}

/**
 * Creates the registry bundle of the `whoop` provider. The rate-limit budget (WHOOP limits are per
 * application) and the breaker in `options` are shared by every member the bundle creates
 * providers for; each context must carry `auth`.
 *
 * @throws ProviderError `not_connected` from `create` when the context has no `auth`.
 */
export function createWhoopBundle(options: WhoopBundleOptions = {}): ProviderBundle {
  return Object.freeze({
    descriptor: whoopDescriptor,
    create(context: ProviderContext): WhoopProvider {
      if (context.auth === undefined) {
        throw new ProviderError('not_connected', 'whoop needs an access token source', {
          provider: 'whoop',
        })
      }
      return createWhoopProvider({
        ...options,
        tokenSource: context.auth,
        ...(context.now === undefined ? {} : { now: context.now }),
      })
    },
  })
}
