import type { Capability } from './capabilities.js'
import { hasCapability } from './capabilities.js'
import { ProviderError } from './errors.js'
import { throwIfAborted } from './internal/abort.js'
import type { Activity, SportType } from './model/activity.js'
import type { Athlete, PersonalRecord, Stats } from './model/athlete.js'
import type {
  DailySummary,
  HealthMetrics,
  HrvDaily,
  RecoveryMetrics,
  SleepSession,
} from './model/health.js'
import type { ActivityQuery, CursorPage, DateRange, PageParams } from './model/query.js'
import {
  compareActivitiesNewestFirst,
  matchesActivityQuery,
  parseActivityQuery,
  parseDateRange,
} from './model/query.js'
import type { ActivityStreams, StreamKey } from './model/streams.js'
import type { TokenResponseReader } from './oauth/types.js'
import { collect, decodeCursor, encodeCursor, paginate } from './paging.js'

/** How a call uses a cache wrapped around the provider (`specs/providers.md` §5.4). */
export type CachePolicy = 'use' | 'bypass' | 'refresh'

/** Options every provider call accepts. */
export interface CallOptions {
  /** Aborts the call; it rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Cache policy when a cache wraps the provider; `use` by default. */
  readonly cache?: CachePolicy
}

/** Options of {@link FitnessProvider.getActivity}. */
export interface ActivityOptions extends CallOptions {
  /** Adds laps, splits, segment efforts and zones where the provider has them (more calls). */
  readonly details?: boolean
}

/** Options of {@link FitnessProvider.getActivityStreams}. */
export interface StreamOptions extends CallOptions {
  /** The series wanted; all the provider has when absent. `time` always comes. */
  readonly keys?: readonly StreamKey[]
}

/** The query of {@link FitnessProvider.iterateActivities}. */
export type ActivityIterationQuery = Omit<ActivityQuery, 'limit' | 'offset'> & {
  /** Upstream page size, clamped to 10…200; 50 by default. */
  readonly pageSize?: number
}

/** The query of {@link FitnessProvider.getActivitiesPage}. */
export type ActivityPageQuery = PageParams & Omit<ActivityQuery, 'limit' | 'offset'>

/** OAuth 2.0 settings of a provider; every URL can be overridden (tests use loopback). */
export interface OAuthDescriptor {
  readonly kind: 'oauth2'
  readonly authorizationEndpoint: string
  readonly tokenEndpoint: string
  /** RFC 7009 revocation (or the provider's look-alike); absent when the provider has none. */
  readonly revocation?: {
    readonly endpoint: string
    /** Body parameter carrying the token; `token` (RFC 7009) by default, Strava `access_token`. */
    readonly tokenParam?: string
    /** Which token to revoke; `refresh` by default when one is stored, else `access`. */
    readonly tokenKind?: 'access' | 'refresh'
  }
  readonly scopeSeparator: ' ' | ','
  readonly pkce: 'required' | 'supported' | 'unsupported'
  readonly clientAuth: 'client_secret_post' | 'client_secret_basic'
  /** Added to the authorization URL (Strava: `approval_prompt=auto`). */
  readonly extraAuthorizeParams?: Readonly<Record<string, string>>
  /**
   * `standard` token responses go through oauth4webapi's checks; `raw` ones (COROS camelCase) are
   * read only by {@link OAuthDescriptor.readTokenResponse}.
   */
  readonly tokenResponse?: 'standard' | 'raw'
  /** Reads provider-specific members of a token response (Strava `expires_at`, `athlete.id`). */
  readonly readTokenResponse?: TokenResponseReader
}

/** App-level API key authentication (Terra). */
export interface ApiKeyDescriptor {
  readonly kind: 'api_key'
  /** Header names the key material goes in. */
  readonly headers: readonly string[]
}

/** How a provider pushes change events. */
export interface WebhookDescriptor {
  readonly verification: 'verify_token' | 'hmac_sha256' | 'signature' | 'none'
  /** Event kinds the provider sends. */
  readonly events: readonly string[]
}

/** What a provider is and can do (`specs/providers.md` §4.1). */
export interface ProviderDescriptor {
  /** Lower-case registry name: `strava`, `fitbit`, `synthetic`. */
  readonly name: string
  /** Name for people: `Strava`, `Garmin Connect`. */
  readonly displayName: string
  readonly capabilities: readonly Capability[]
  readonly auth: OAuthDescriptor | ApiKeyDescriptor | { readonly kind: 'none' }
  /** Base URL of the data API; absent for local providers. */
  readonly apiBaseUrl?: string
  readonly defaultScopes: readonly string[]
  readonly webhooks?: WebhookDescriptor
}

/**
 * One person's data at one provider, normalized (`specs/providers.md` §4.3). Lists come newest
 * first. A method whose capability is absent rejects with `unsupported_feature` and makes no
 * request.
 */
export interface FitnessProvider {
  readonly descriptor: ProviderDescriptor
  /** Returns the athlete's profile (capability `athlete`). */
  getAthlete(options?: CallOptions): Promise<Athlete>
  /** Returns exactly `limit` (default 30) activities after skipping `offset`, newest first. */
  getActivities(query?: ActivityQuery, options?: CallOptions): Promise<readonly Activity[]>
  /** Returns one page and opaque cursors. */
  getActivitiesPage(query: ActivityPageQuery, options?: CallOptions): Promise<CursorPage<Activity>>
  /** Streams the whole matching history lazily, newest first, one upstream page at a time. */
  iterateActivities(query?: ActivityIterationQuery, options?: CallOptions): AsyncIterable<Activity>
  /** Returns one activity; `details` adds laps, splits, efforts and zones. */
  getActivity(id: string, options?: ActivityOptions): Promise<Activity>
  /** Returns the sample series of one activity (capability `streams`). */
  getActivityStreams(id: string, options?: StreamOptions): Promise<ActivityStreams>
  /** Returns all-time totals (capability `stats`). */
  getStats(options?: CallOptions): Promise<Stats>
  /** Returns best performances, derived from recent activities unless the provider knows them. */
  getPersonalRecords(options?: CallOptions): Promise<readonly PersonalRecord[]>
  /** Returns sleep sessions whose `end_time` falls in the range (capability `sleep`). */
  getSleepSessions(range: DateRange, options?: CallOptions): Promise<readonly SleepSession[]>
  /** Returns the newest session that ended in the last 7 days, else rejects with `not_found`. */
  getLatestSleepSession(options?: CallOptions): Promise<SleepSession>
  /** Returns one entry per local date in the range (capability `recovery`). */
  getRecoveryMetrics(range: DateRange, options?: CallOptions): Promise<readonly RecoveryMetrics[]>
  /** Returns body measurements in the range (capability `health`). */
  getHealthMetrics(range: DateRange, options?: CallOptions): Promise<readonly HealthMetrics[]>
  /** Returns daily HRV in the range (capability `hrv`). */
  getHrv(range: DateRange, options?: CallOptions): Promise<readonly HrvDaily[]>
  /** Returns daily summaries in the range (capability `daily`). */
  getDailySummaries(range: DateRange, options?: CallOptions): Promise<readonly DailySummary[]>
}

/**
 * What an adapter writes: any subset of the {@link FitnessProvider} methods. For activities, one of
 * `getActivitiesPage`, `iterateActivities` or `getActivities` is enough; {@link createProvider}
 * derives the others.
 */
export type ProviderImplementation = Partial<Omit<FitnessProvider, 'descriptor'>>

/** Options of {@link createProvider}. */
export interface CreateProviderOptions {
  /** Current time, for the 7-day window of `getLatestSleepSession`. */
  readonly now?: () => Date
  /** How many recent activities the derived `getPersonalRecords` scans; 200 by default. */
  readonly recordsScanLimit?: number
}

const methodCapability: Readonly<Record<keyof ProviderImplementation, Capability>> = {
  getAthlete: 'athlete',
  getActivities: 'activities',
  getActivitiesPage: 'activities',
  iterateActivities: 'activities',
  getActivity: 'activities',
  getActivityStreams: 'streams',
  getStats: 'stats',
  getPersonalRecords: 'activities',
  getSleepSessions: 'sleep',
  getLatestSleepSession: 'sleep',
  getRecoveryMetrics: 'recovery',
  getHealthMetrics: 'health',
  getHrv: 'hrv',
  getDailySummaries: 'daily',
}

const defaultActivityLimit = 30
const defaultPageSize = 50

/**
 * Builds a complete {@link FitnessProvider} from a descriptor and the methods an adapter has.
 *
 * It validates queries and ranges before any I/O (`invalid_argument`), refuses methods whose
 * capability is absent or that the adapter lacks (`unsupported_feature`), applies the `after`,
 * `before` and `sport_types` filters, and derives `getActivities` (exact offset/limit),
 * `getActivitiesPage`, `iterateActivities`, `getLatestSleepSession` and `getPersonalRecords` from
 * the methods present.
 */
export function createProvider(
  descriptor: ProviderDescriptor,
  implementation: ProviderImplementation,
  options: CreateProviderOptions = {},
): FitnessProvider {
  const now = options.now ?? (() => new Date())
  const recordsScanLimit = options.recordsScanLimit ?? 200
  const provider = descriptor.name

  const unsupported = (method: keyof ProviderImplementation): ProviderError =>
    new ProviderError(
      'unsupported_feature',
      `provider ${provider} does not support ${methodCapability[method]} (${method})`,
      { provider, details: { feature: methodCapability[method], method } },
    )

  const guard = (method: keyof ProviderImplementation, callOptions?: CallOptions): void => {
    if (!hasCapability(descriptor, methodCapability[method])) throw unsupported(method)
    throwIfAborted(callOptions?.signal)
  }

  const requireId = (id: unknown): string => {
    if (typeof id !== 'string' || id.length === 0) {
      throw new ProviderError('invalid_argument', 'id must be a non-empty string', { provider })
    }
    return id
  }

  const hasActivitySource =
    implementation.getActivitiesPage !== undefined ||
    implementation.iterateActivities !== undefined ||
    implementation.getActivities !== undefined

  const iterateRaw = (
    query: ActivityIterationQuery,
    callOptions: CallOptions | undefined,
  ): AsyncIterable<Activity> => {
    const pageSize = clamp(query.pageSize ?? defaultPageSize, 10, 200)
    const { pageSize: _ignored, ...filters } = query
    if (implementation.iterateActivities !== undefined) {
      return implementation.iterateActivities({ ...filters, pageSize }, callOptions)
    }
    const signal = callOptions?.signal
    const page = implementation.getActivitiesPage
    if (page !== undefined) {
      return paginate<Activity>(
        {
          kind: 'cursor',
          fetchCursor: async ({ cursor }) => {
            const result = await page(
              { ...filters, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) },
              callOptions,
            )
            return { items: result.items, nextCursor: result.has_more ? result.next_cursor : null }
          },
        },
        signal === undefined ? {} : { signal },
      )
    }
    const list = implementation.getActivities
    if (list === undefined) throw unsupported('iterateActivities')
    const { sport_types: _sports, ...upstreamFilters } = filters
    return paginate<Activity>(
      {
        kind: 'offset',
        pageSize,
        fetchRange: ({ offset, limit }) => list({ ...upstreamFilters, offset, limit }, callOptions),
      },
      signal === undefined ? {} : { signal },
    )
  }

  const iterateActivities = (
    query: ActivityIterationQuery = {},
    callOptions?: CallOptions,
  ): AsyncIterable<Activity> => ({
    async *[Symbol.asyncIterator]() {
      guard('iterateActivities', callOptions)
      if (!hasActivitySource) throw unsupported('iterateActivities')
      const { pageSize, ...filters } = query
      const validated = parseActivityQuery(filters)
      const iterationQuery =
        pageSize === undefined ? validated : { ...validated, pageSize: pageSize }
      for await (const activity of iterateRaw(iterationQuery, callOptions)) {
        if (matchesActivityQuery(activity, validated)) yield activity
      }
    },
  })

  const getActivities = async (
    query: ActivityQuery = {},
    callOptions?: CallOptions,
  ): Promise<readonly Activity[]> => {
    guard('getActivities', callOptions)
    const validated = parseActivityQuery(query)
    const limit = validated.limit ?? defaultActivityLimit
    const offset = validated.offset ?? 0
    const clientSideSports = validated.sport_types !== undefined && validated.sport_types.length > 0
    if (implementation.getActivities !== undefined && !clientSideSports) {
      return implementation.getActivities({ ...validated, limit, offset }, callOptions)
    }
    if (!hasActivitySource) throw unsupported('getActivities')
    const { limit: _limit, offset: _offset, ...filters } = validated
    return collect(
      iterateActivities({ ...filters, pageSize: clamp(offset + limit, 10, 200) }, callOptions),
      { offset, limit },
    )
  }

  const getActivitiesPage = async (
    query: ActivityPageQuery,
    callOptions?: CallOptions,
  ): Promise<CursorPage<Activity>> => {
    guard('getActivitiesPage', callOptions)
    if (implementation.getActivitiesPage !== undefined) {
      return implementation.getActivitiesPage(query, callOptions)
    }
    if (!hasActivitySource) throw unsupported('getActivitiesPage')
    const { limit, cursor, direction: _direction, ...filters } = query
    const offset = cursor === undefined ? 0 : decodeOffsetCursor(provider, cursor)
    const rows = await getActivities(
      { ...filters, offset, limit: Math.min(limit + 1, 1000) },
      callOptions,
    )
    const items = rows.slice(0, limit)
    const hasMore = rows.length > limit
    return {
      items,
      next_cursor: hasMore ? encodeCursor(provider, { o: offset + limit }) : null,
      prev_cursor: offset > 0 ? encodeCursor(provider, { o: Math.max(0, offset - limit) }) : null,
      has_more: hasMore,
      count: items.length,
    }
  }

  const getLatestSleepSession = async (callOptions?: CallOptions): Promise<SleepSession> => {
    guard('getLatestSleepSession', callOptions)
    if (implementation.getLatestSleepSession !== undefined) {
      return implementation.getLatestSleepSession(callOptions)
    }
    const sessions = implementation.getSleepSessions
    if (sessions === undefined) throw unsupported('getLatestSleepSession')
    const end = now()
    const start = new Date(end.getTime() - 7 * 86_400_000)
    const found = await sessions(
      { start: start.toISOString(), end: new Date(end.getTime() + 1).toISOString() },
      callOptions,
    )
    const newest = [...found].sort(
      (left, right) => Date.parse(right.end_time) - Date.parse(left.end_time),
    )[0]
    if (newest === undefined) {
      throw new ProviderError('not_found', 'no sleep session ended in the last 7 days', {
        provider,
        details: { resource_type: 'sleep_session' },
      })
    }
    return newest
  }

  const getPersonalRecords = async (
    callOptions?: CallOptions,
  ): Promise<readonly PersonalRecord[]> => {
    guard('getPersonalRecords', callOptions)
    if (implementation.getPersonalRecords !== undefined) {
      return implementation.getPersonalRecords(callOptions)
    }
    if (!hasActivitySource) throw unsupported('getPersonalRecords')
    const recent = await collect(iterateActivities({ pageSize: 200 }, callOptions), {
      limit: recordsScanLimit,
    })
    return derivePersonalRecords(recent)
  }

  const simple = <TMethod extends keyof ProviderImplementation>(method: TMethod) => {
    return (async (...args: unknown[]) => {
      const callOptions = args[args.length - 1] as CallOptions | undefined
      guard(method, typeof callOptions === 'object' ? callOptions : undefined)
      const implemented = implementation[method] as
        | ((...inner: unknown[]) => Promise<unknown>)
        | undefined
      if (implemented === undefined) throw unsupported(method)
      return implemented(...args)
    }) as NonNullable<ProviderImplementation[TMethod]>
  }

  const ranged = <
    TMethod extends
      | 'getSleepSessions'
      | 'getRecoveryMetrics'
      | 'getHealthMetrics'
      | 'getHrv'
      | 'getDailySummaries',
  >(
    method: TMethod,
  ) => {
    return (async (range: DateRange, callOptions?: CallOptions) => {
      guard(method, callOptions)
      const validated = parseDateRange(range)
      const implemented = implementation[method] as
        | ((range: DateRange, callOptions?: CallOptions) => Promise<unknown>)
        | undefined
      if (implemented === undefined) throw unsupported(method)
      return implemented(validated, callOptions)
    }) as NonNullable<ProviderImplementation[TMethod]>
  }

  const getAthlete = simple('getAthlete')
  const getStats = simple('getStats')
  const getActivityImpl = simple('getActivity')
  const getStreamsImpl = simple('getActivityStreams')

  return Object.freeze({
    descriptor,
    getAthlete: (callOptions?: CallOptions) => getAthlete(callOptions),
    getActivities,
    getActivitiesPage,
    iterateActivities,
    getActivity: async (id: string, callOptions?: ActivityOptions) =>
      getActivityImpl(requireId(id), callOptions),
    getActivityStreams: async (id: string, callOptions?: StreamOptions) =>
      getStreamsImpl(requireId(id), callOptions),
    getStats: (callOptions?: CallOptions) => getStats(callOptions),
    getPersonalRecords,
    getSleepSessions: ranged('getSleepSessions'),
    getLatestSleepSession,
    getRecoveryMetrics: ranged('getRecoveryMetrics'),
    getHealthMetrics: ranged('getHealthMetrics'),
    getHrv: ranged('getHrv'),
    getDailySummaries: ranged('getDailySummaries'),
  })
}

function decodeOffsetCursor(provider: string, cursor: string): number {
  const key = decodeCursor(provider, cursor)
  const offset = (key as { o?: unknown } | null)?.o
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new ProviderError('invalid_cursor', 'page cursor has no valid offset', { provider })
  }
  return offset
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min
  return Math.min(max, Math.max(min, Math.round(value)))
}

const paceSports: ReadonlySet<SportType> = new Set(['run', 'trail_running', 'virtual_run'])

/**
 * Derives personal records from activities: longest distance, highest elevation gain and, for runs
 * of at least 1 km, the fastest average pace (s/m, from moving time when known).
 */
export function derivePersonalRecords(activities: readonly Activity[]): PersonalRecord[] {
  const records: PersonalRecord[] = []
  const best = (
    metric: PersonalRecord['metric'],
    value: (activity: Activity) => number | undefined,
    lowerIsBetter: boolean,
  ): void => {
    let winner: { activity: Activity; value: number } | undefined
    for (const activity of [...activities].sort(compareActivitiesNewestFirst).reverse()) {
      const candidate = value(activity)
      if (candidate === undefined || !Number.isFinite(candidate)) continue
      if (
        winner === undefined ||
        (lowerIsBetter ? candidate < winner.value : candidate > winner.value)
      ) {
        winner = { activity, value: candidate }
      }
    }
    if (winner !== undefined) {
      records.push({
        activity_id: winner.activity.id,
        metric,
        value: winner.value,
        date: winner.activity.start_date,
      })
    }
  }
  best('longest_distance', (activity) => activity.distance_meters ?? undefined, false)
  best('highest_elevation', (activity) => activity.elevation_gain ?? undefined, false)
  best(
    'fastest_pace',
    (activity) => {
      const distance = activity.distance_meters
      if (!paceSports.has(activity.sport_type) || distance === null || distance === undefined) {
        return undefined
      }
      if (distance < 1000) return undefined
      return (activity.moving_time_seconds ?? activity.duration_seconds) / distance
    },
    true,
  )
  return records
}
