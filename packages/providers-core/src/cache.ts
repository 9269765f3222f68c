import type { Activity } from './model/activity.js'
import type { CursorPage, DateRange } from './model/query.js'
import type {
  ActivityIterationQuery,
  CachePolicy,
  CallOptions,
  FitnessProvider,
} from './provider.js'

/**
 * The port of a cache backend: the in-memory LRU of {@link createMemoryCache}, or a shared one the
 * app injects for multi-instance deployments. `get` resolves to `undefined` on a miss.
 */
export interface ProviderCache {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>
  delete(key: string): Promise<void>
  /** Removes every key starting with `prefix`. */
  deleteByPrefix(prefix: string): Promise<void>
}

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /** Entries kept at most; the least recently used goes first. 1000 by default. */
  readonly maxEntries?: number
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/** Creates an in-memory LRU {@link ProviderCache} with a TTL per entry. */
export function createMemoryCache(options: MemoryCacheOptions = {}): ProviderCache {
  const maxEntries = Math.max(1, options.maxEntries ?? 1000)
  const now = options.now ?? (() => new Date())
  const entries = new Map<string, { value: unknown; expiresAtMs: number }>()
  return {
    async get(key) {
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      if (entry.expiresAtMs <= now().getTime()) {
        entries.delete(key)
        return undefined
      }
      entries.delete(key)
      entries.set(key, entry)
      return entry.value
    },
    async set(key, value, ttlSeconds) {
      if (!(ttlSeconds > 0) || value === undefined) return
      entries.delete(key)
      entries.set(key, { value, expiresAtMs: now().getTime() + ttlSeconds * 1000 })
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value
        if (oldest === undefined) break
        entries.delete(oldest)
      }
    },
    async delete(key) {
      entries.delete(key)
    },
    async deleteByPrefix(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key)
    },
  }
}

/** The kinds of cached resources, each with its own TTL. */
export type CacheResource =
  | 'athlete'
  | 'activity_list'
  | 'activity_page'
  | 'activity'
  | 'detailed_activity'
  | 'streams'
  | 'stats'
  | 'personal_records'
  | 'sleep'
  | 'recovery'
  | 'health'
  | 'hrv'
  | 'daily'

/**
 * TTLs in seconds (`specs/providers.md` §5.4). Ranged resources (`sleep`, `recovery`, `health`,
 * `hrv`, `daily`) use `rangePast` when the range ends before today (UTC) and `rangeCurrent`
 * otherwise.
 */
export interface CacheTtlSeconds {
  readonly athlete: number
  readonly activity_list: number
  readonly activity_page: number
  readonly activity: number
  readonly detailed_activity: number
  readonly streams: number
  readonly stats: number
  readonly personal_records: number
  readonly rangePast: number
  readonly rangeCurrent: number
}

/** Default TTLs: athlete 24 h, lists 15 min, activities 1 h, streams 24 h, stats 6 h, ranges 30/5 min. */
export const defaultCacheTtlSeconds: CacheTtlSeconds = Object.freeze({
  athlete: 86_400,
  activity_list: 900,
  activity_page: 900,
  activity: 3600,
  detailed_activity: 3600,
  streams: 86_400,
  stats: 21_600,
  personal_records: 21_600,
  rangePast: 1800,
  rangeCurrent: 300,
})

/** What identifies one cached value. */
export interface CacheKeyParts {
  readonly tenantId: string
  readonly userId: string
  readonly provider: string
  readonly resource: CacheResource
  /** The resource id (activity id), when there is one. */
  readonly id?: string
  /** Every parameter of the call; all of them are part of the key. */
  readonly params?: Readonly<Record<string, unknown>>
}

/**
 * Returns the prefix of every key of one user at one provider, optionally of one resource (and
 * id): `tenant:{tenant}:user:{user}:provider:{provider}:[{resource}:[{id}:]]`.
 */
export function cacheKeyPrefix(
  parts: Pick<CacheKeyParts, 'tenantId' | 'userId' | 'provider'> &
    Partial<Pick<CacheKeyParts, 'resource' | 'id'>>,
): string {
  let prefix = `tenant:${encodeURIComponent(parts.tenantId)}:user:${encodeURIComponent(parts.userId)}:provider:${encodeURIComponent(parts.provider)}:`
  if (parts.resource !== undefined) {
    prefix += `${parts.resource}:`
    if (parts.id !== undefined) prefix += `${encodeURIComponent(parts.id)}:`
  }
  return prefix
}

/**
 * Returns the cache key of one call: the {@link cacheKeyPrefix} of the resource and id, then every
 * parameter in canonical JSON (keys sorted, `undefined` left out), so two calls share an entry only
 * when all their parameters are equal.
 */
export function buildCacheKey(parts: CacheKeyParts): string {
  return `${cacheKeyPrefix({ ...parts, id: parts.id ?? '-' })}${canonicalJson(parts.params ?? {})}`
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((entry) => canonicalJson(entry ?? null)).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Options of {@link createCachingProvider}. */
export interface CachingProviderOptions {
  readonly cache: ProviderCache
  readonly tenantId: string
  readonly userId: string
  /** Overrides of {@link defaultCacheTtlSeconds}. */
  readonly ttlSeconds?: Partial<CacheTtlSeconds>
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** Called when the cache backend fails; the call then goes to the provider (never fails). */
  readonly onCacheError?: (event: { readonly key: string; readonly error: unknown }) => void
  /** Called on every lookup, for hit-rate metrics. */
  readonly onCacheLookup?: (event: { readonly key: string; readonly hit: boolean }) => void
}

/**
 * Wraps a provider with a cache-aside layer (`specs/providers.md` §5.4). Each call's `cache` option
 * chooses `use` (default: read, then store on a miss), `bypass` (neither) or `refresh` (fetch and
 * store). `iterateActivities` is never cached. Cache failures never fail a call.
 */
export function createCachingProvider(
  provider: FitnessProvider,
  options: CachingProviderOptions,
): FitnessProvider {
  const ttl: CacheTtlSeconds = { ...defaultCacheTtlSeconds, ...options.ttlSeconds }
  const now = options.now ?? (() => new Date())
  const { cache } = options
  const name = provider.descriptor.name

  const cached = async <TResult>(
    entry: {
      readonly parts: Omit<CacheKeyParts, 'tenantId' | 'userId' | 'provider'>
      readonly ttlSeconds: number
      readonly callOptions: CallOptions | undefined
    },
    load: () => Promise<TResult>,
  ): Promise<TResult> => {
    const { parts, ttlSeconds } = entry
    const policy: CachePolicy | undefined = entry.callOptions?.cache
    if (policy === 'bypass') return load()
    const key = buildCacheKey({
      ...parts,
      tenantId: options.tenantId,
      userId: options.userId,
      provider: name,
    })
    if (policy !== 'refresh') {
      try {
        const hit = await cache.get(key)
        options.onCacheLookup?.({ key, hit: hit !== undefined })
        if (hit !== undefined) return hit as TResult
      } catch (error) {
        options.onCacheError?.({ key, error })
      }
    }
    const value = await load()
    try {
      await cache.set(key, value, ttlSeconds)
    } catch (error) {
      options.onCacheError?.({ key, error })
    }
    return value
  }

  const rangeTtl = (range: DateRange): number => {
    const today = now()
    const startOfToday = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
    return Date.parse(range.end) <= startOfToday ? ttl.rangePast : ttl.rangeCurrent
  }

  const ranged =
    <TResult>(
      resource: 'sleep' | 'recovery' | 'health' | 'hrv' | 'daily',
      load: (range: DateRange, callOptions?: CallOptions) => Promise<TResult>,
    ) =>
    (range: DateRange, callOptions?: CallOptions): Promise<TResult> =>
      cached(
        { parts: { resource, params: { ...range } }, ttlSeconds: rangeTtl(range), callOptions },
        () => load(range, callOptions),
      )

  return Object.freeze({
    descriptor: provider.descriptor,
    getAthlete: (callOptions?: CallOptions) =>
      cached({ parts: { resource: 'athlete' }, ttlSeconds: ttl.athlete, callOptions }, () =>
        provider.getAthlete(callOptions),
      ),
    getActivities: (query = {}, callOptions?: CallOptions) =>
      cached(
        {
          parts: { resource: 'activity_list', params: { ...query } },
          ttlSeconds: ttl.activity_list,
          callOptions,
        },
        () => provider.getActivities(query, callOptions),
      ),
    getActivitiesPage: (query, callOptions?: CallOptions): Promise<CursorPage<Activity>> =>
      cached(
        {
          parts: { resource: 'activity_page', params: { ...query } },
          ttlSeconds: ttl.activity_page,
          callOptions,
        },
        () => provider.getActivitiesPage(query, callOptions),
      ),
    iterateActivities: (query?: ActivityIterationQuery, callOptions?: CallOptions) =>
      provider.iterateActivities(query, callOptions),
    getActivity: (id, callOptions) => {
      const details = callOptions?.details === true
      return cached(
        {
          parts: { resource: details ? 'detailed_activity' : 'activity', id },
          ttlSeconds: details ? ttl.detailed_activity : ttl.activity,
          callOptions,
        },
        () => provider.getActivity(id, callOptions),
      )
    },
    getActivityStreams: (id, callOptions) =>
      cached(
        {
          parts: {
            resource: 'streams',
            id,
            params: { keys: callOptions?.keys === undefined ? null : [...callOptions.keys].sort() },
          },
          ttlSeconds: ttl.streams,
          callOptions,
        },
        () => provider.getActivityStreams(id, callOptions),
      ),
    getStats: (callOptions?: CallOptions) =>
      cached({ parts: { resource: 'stats' }, ttlSeconds: ttl.stats, callOptions }, () =>
        provider.getStats(callOptions),
      ),
    getPersonalRecords: (callOptions?: CallOptions) =>
      cached(
        { parts: { resource: 'personal_records' }, ttlSeconds: ttl.personal_records, callOptions },
        () => provider.getPersonalRecords(callOptions),
      ),
    getSleepSessions: ranged('sleep', (range, callOptions) =>
      provider.getSleepSessions(range, callOptions),
    ),
    getLatestSleepSession: (callOptions?: CallOptions) =>
      cached(
        { parts: { resource: 'sleep', id: 'latest' }, ttlSeconds: ttl.rangeCurrent, callOptions },
        () => provider.getLatestSleepSession(callOptions),
      ),
    getRecoveryMetrics: ranged('recovery', (range, callOptions) =>
      provider.getRecoveryMetrics(range, callOptions),
    ),
    getHealthMetrics: ranged('health', (range, callOptions) =>
      provider.getHealthMetrics(range, callOptions),
    ),
    getHrv: ranged('hrv', (range, callOptions) => provider.getHrv(range, callOptions)),
    getDailySummaries: ranged('daily', (range, callOptions) =>
      provider.getDailySummaries(range, callOptions),
    ),
  } satisfies FitnessProvider)
}

/**
 * Drops cached values after a change event: with `activityId`, that activity (summary, detail,
 * streams) and every activity list of the user; without, everything of the user at the provider
 * (deauthorization).
 */
export async function invalidateProviderCache(
  cache: ProviderCache,
  target: {
    readonly tenantId: string
    readonly userId: string
    readonly provider: string
    readonly activityId?: string
  },
): Promise<void> {
  const { activityId, ...user } = target
  if (activityId === undefined) {
    await cache.deleteByPrefix(cacheKeyPrefix(user))
    return
  }
  for (const resource of ['activity', 'detailed_activity', 'streams'] as const) {
    await cache.deleteByPrefix(cacheKeyPrefix({ ...user, resource, id: activityId }))
  }
  for (const resource of ['activity_list', 'activity_page', 'personal_records', 'stats'] as const) {
    await cache.deleteByPrefix(cacheKeyPrefix({ ...user, resource }))
  }
}
