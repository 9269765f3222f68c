import type {
  AccessTokenSource,
  Activity,
  ActivityIterationQuery,
  ActivityOptions,
  CallOptions,
  FitnessProvider,
  ProviderBundle,
  ProviderContext,
  ProviderHttpOptions,
  StreamOptions,
} from '@pierre/providers-core'
import {
  createHttpClient,
  createProvider,
  isProviderError,
  ProviderError,
  pickHttpOptions,
  streamKeys,
} from '@pierre/providers-core'
import { z } from 'zod'
import { stravaApiBaseUrl, stravaDescriptor } from './descriptor.js'
import type { StravaAthleteZones } from './mapping.js'
import {
  mapStravaActivity,
  mapStravaActivityZones,
  mapStravaAthlete,
  mapStravaAthleteZones,
  mapStravaStats,
  mapStravaStreams,
  stravaStreamTypes,
} from './mapping.js'
import { createStravaErrorClassifier, stravaRateLimitParser } from './rate-limit.js'

/**
 * HTTP settings of a Strava provider, passed to providers-core's `createHttpClient`. Limits are
 * per application: share one `rateLimitBudget` between its users; `rateLimitScope` is
 * `strava:app` by default, use `strava:app:<client id>` with several applications.
 */
export type StravaHttpOptions = ProviderHttpOptions

/** Options of {@link createStravaProvider}. */
export interface StravaProviderOptions extends StravaHttpOptions {
  /** Access tokens of the connected athlete, usually `oauthClient.tokenSource(user)`. */
  readonly tokenSource: AccessTokenSource
  /** `https://www.strava.com/api/v3` by default; tests pass `fakeStrava.apiBaseUrl`. */
  readonly baseUrl?: string
  /** The athlete's Strava id when known (saves one `/athlete` call before stats). */
  readonly athleteId?: string
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/** A Strava {@link FitnessProvider} with Strava's athlete zones as an extra. */
export interface StravaProvider extends FitnessProvider {
  /** Returns the athlete's heart-rate and power zones (scope `profile:read_all`). */
  getAthleteZones(options?: CallOptions): Promise<StravaAthleteZones>
}

const maxPageSize = 200

// The members the adapter relies on; the rest of Strava's objects pass through loosely.
const idSchema = z.union([z.number(), z.string().min(1)])
const activityShape = z.looseObject({ id: idSchema, start_date: z.string() })
const activityListSchema = z.array(activityShape)
const objectShape = z.looseObject({})

/**
 * Creates the Strava provider for one connected athlete: athlete, activities (newest first, full
 * history through `before`/`page`/`per_page`), activity detail with laps, splits, efforts and zones,
 * streams, stats and athlete zones, mapped to the normalized model in SI units.
 *
 * @throws ProviderError `not_configured` when `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * const fake = await startFakeStrava({ activityCount: 37 })
 * const { accessToken } = fake.issueTokens()
 * const provider = createStravaProvider({
 *   tokenSource: { getAccessToken: async () => accessToken },
 *   baseUrl: fake.apiBaseUrl,
 * })
 * ```
 */
export function createStravaProvider(options: StravaProviderOptions): StravaProvider {
  const now = options.now ?? (() => new Date())
  const http = createHttpClient({
    ...pickHttpOptions(options),
    provider: 'strava',
    baseUrl: options.baseUrl ?? stravaApiBaseUrl,
    auth: options.tokenSource,
    rateLimitParser: stravaRateLimitParser,
    rateLimitScope: options.rateLimitScope ?? 'strava:app',
    classifyResponse: createStravaErrorClassifier(now),
    now,
  })
  let athleteId = options.athleteId

  const signalOf = (callOptions?: CallOptions) =>
    callOptions?.signal === undefined ? {} : { signal: callOptions.signal }

  const getRawAthlete = async (callOptions?: CallOptions) => {
    const raw = await http.getJson('/athlete', {
      ...signalOf(callOptions),
      schema: z.looseObject({ id: idSchema }),
      resource: 'athlete',
    })
    const athlete = mapStravaAthlete(raw)
    if (athlete.id !== '') athleteId = athlete.id
    return athlete
  }

  const listPage = async (
    query: { before?: number; after?: number; page: number; perPage: number },
    callOptions?: CallOptions,
  ): Promise<Activity[]> => {
    const body = await http.getJson('/athlete/activities', {
      ...signalOf(callOptions),
      schema: activityListSchema,
      query: {
        before: query.before,
        after: query.after,
        page: query.page,
        per_page: query.perPage,
      },
      resource: 'activities',
    })
    return body.map((entry) => mapStravaActivity(entry))
  }

  // Newest first: page through `before` (strict, as the query's) and stop below `after`.
  const iterateActivities = (
    query: ActivityIterationQuery = {},
    callOptions?: CallOptions,
  ): AsyncIterable<Activity> => ({
    async *[Symbol.asyncIterator]() {
      const perPage = Math.min(maxPageSize, Math.max(1, query.pageSize ?? 50))
      for (let page = 1; ; page += 1) {
        const items = await listPage(
          { ...(query.before === undefined ? {} : { before: query.before }), page, perPage },
          callOptions,
        )
        for (const activity of items) {
          if (query.after !== undefined && Date.parse(activity.start_date) / 1000 < query.after) {
            return
          }
          yield activity
        }
        if (items.length < perPage) return
      }
    },
  })

  const getActivity = async (id: string, callOptions?: ActivityOptions): Promise<Activity> => {
    const raw = await http.getJson(`/activities/${encodeURIComponent(id)}`, {
      ...signalOf(callOptions),
      schema: activityShape,
      query: { include_all_efforts: false },
      resource: 'activity',
      resourceId: id,
    })
    const activity = mapStravaActivity(raw)
    if (callOptions?.details !== true) return activity
    try {
      const zones = await http.getJson<unknown>(`/activities/${encodeURIComponent(id)}/zones`, {
        ...signalOf(callOptions),
        resource: 'activity zones',
        resourceId: id,
      })
      return { ...activity, ...mapStravaActivityZones(zones) }
    } catch (error) {
      // Zones may need a subscription: any 4xx means "no zones", not a failure.
      if (isProviderError(error) && error.status !== undefined && error.status < 500) {
        if (error.code !== 'rate_limited' && error.code !== 'token_expired') return activity
      }
      throw error
    }
  }

  const getActivityStreams = async (id: string, callOptions?: StreamOptions) => {
    const keys = callOptions?.keys ?? streamKeys
    const types = ['time', ...keys.map((key) => stravaStreamTypes[key])]
    const [raw, activity] = await Promise.all([
      http.getJson<unknown>(`/activities/${encodeURIComponent(id)}/streams`, {
        ...signalOf(callOptions),
        query: { keys: [...new Set(types)], key_by_type: true },
        resource: 'activity streams',
        resourceId: id,
      }),
      getActivity(id, callOptions?.signal === undefined ? {} : { signal: callOptions.signal }),
    ])
    return mapStravaStreams(raw, activity)
  }

  const getStats = async (callOptions?: CallOptions) => {
    const id = athleteId ?? (await getRawAthlete(callOptions)).id
    const raw = await http.getJson(`/athletes/${encodeURIComponent(id)}/stats`, {
      ...signalOf(callOptions),
      schema: objectShape,
      resource: 'athlete stats',
      resourceId: id,
    })
    return mapStravaStats(raw)
  }

  const provider = createProvider(
    stravaDescriptor,
    {
      getAthlete: getRawAthlete,
      iterateActivities,
      getActivity,
      getActivityStreams,
      getStats,
    },
    { now },
  )

  return Object.freeze({
    ...provider,
    async getAthleteZones(callOptions?: CallOptions) {
      const raw = await http.getJson<unknown>('/athlete/zones', {
        ...signalOf(callOptions),
        resource: 'athlete zones',
      })
      return mapStravaAthleteZones(raw)
    },
  })
}

/** Options of {@link createStravaBundle}. */
export interface StravaBundleOptions extends StravaHttpOptions {
  /** `https://www.strava.com/api/v3` by default. */
  readonly baseUrl?: string
}

/**
 * Creates the registry bundle of the `strava` provider. The rate-limit budget (Strava limits are per
 * application) and the breaker in `options` are shared by every user the bundle creates providers
 * for; each context must carry `auth`.
 *
 * @throws ProviderError `not_connected` from `create` when the context has no `auth`.
 */
export function createStravaBundle(options: StravaBundleOptions = {}): ProviderBundle {
  return Object.freeze({
    descriptor: stravaDescriptor,
    create(context: ProviderContext): StravaProvider {
      if (context.auth === undefined) {
        throw new ProviderError('not_connected', 'strava needs an access token source', {
          provider: 'strava',
        })
      }
      return createStravaProvider({
        ...options,
        tokenSource: context.auth,
        ...(context.now === undefined ? {} : { now: context.now }),
      })
    },
  })
}
