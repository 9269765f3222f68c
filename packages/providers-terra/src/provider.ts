import type {
  Activity,
  ActivityIterationQuery,
  ActivityOptions,
  ActivityStreams,
  CallOptions,
  DataKind,
  DataOwner,
  DataRecord,
  DateRange,
  FitnessProvider,
  ProviderBundle,
  ProviderContext,
  ProviderDataStore,
  StreamOptions,
} from '@pierre/providers-core'
import {
  compareActivitiesNewestFirst,
  createProvider,
  ProviderError,
  selectStreams,
} from '@pierre/providers-core'
import type { TerraClient, TerraDataType } from './client.js'
import type { TerraConnectionStore } from './connections.js'
import type { TerraUserRef } from './descriptor.js'
import { terraDescriptor } from './descriptor.js'
import type { Raw } from './internal/read.js'
import { toSortableInstant, utcDate } from './internal/time.js'
import { mapTerraActivity, mapTerraActivityStreams } from './mapping.js'
import type { KindedRecord, MappedTerraType } from './records.js'
import {
  dataItemIssues,
  fromStoreId,
  recordInWindow,
  toStoreId,
  toStoreRecords,
} from './records.js'

/** Options of {@link createTerraProvider}. */
export interface TerraProviderOptions {
  /** The Terra REST client of the app credential (`createTerraClient`). */
  readonly client: TerraClient
  /** The person whose data this provider reads. */
  readonly user: TerraUserRef
  /** The person's Terra users; read from `connections` (connected ones) when absent. */
  readonly terraUserIds?: readonly string[]
  /** Where webhooks recorded the person's Terra users. */
  readonly connections?: TerraConnectionStore
  /**
   * Where webhook deliveries were stored. Each window of a read is answered from it when it holds
   * records there; otherwise Terra is asked and the answer is written back.
   */
  readonly dataStore?: ProviderDataStore
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** How far back a listing without `after` goes, days; 365 by default. */
  readonly historyDays?: number
  /** Days per Terra request (each costs its days of the hourly budget); 28 by default. */
  readonly windowDays?: number
}

const provider = 'terra'
const dayMs = 86_400_000
const maxLocatorEntries = 10_000

interface Window {
  readonly startMs: number
  readonly endMs: number
}

interface Located {
  readonly terraUserId: string
  readonly startMs: number
}

function clampDays(
  value: number | undefined,
  bounds: { readonly fallback: number; readonly max: number },
): number {
  if (value === undefined || !Number.isFinite(value)) return bounds.fallback
  return Math.min(bounds.max, Math.max(1, Math.round(value)))
}

/** Splits `[startMs, endMs)` into windows of at most `sizeMs`, newest first. */
function windowsNewestFirst(startMs: number, endMs: number, sizeMs: number): Window[] {
  const windows: Window[] = []
  for (let end = endMs; end > startMs; end -= sizeMs) {
    windows.push({ startMs: Math.max(startMs, end - sizeMs), endMs: end })
  }
  return windows
}

const iso = (ms: number) => new Date(ms).toISOString()

// Newest first, by the instant or date that places each kind in time.
const sortKeyOf = (kind: DataKind, payload: unknown): string => {
  const value = payload as Record<string, unknown>
  const key =
    kind === 'sleep'
      ? value.end_time
      : kind === 'activity'
        ? value.start_date
        : (value.calendar_date ?? value.date)
  return typeof key === 'string' ? key : ''
}

/**
 * Creates the Terra provider for one person: activities (newest first, over `historyDays` in
 * windows of `windowDays`), activity streams from Terra's samples, sleep, HRV, recovery, body
 * metrics and daily summaries, mapped to the normalized model. With a `dataStore`, each window is
 * answered from what webhooks stored when it holds records, and from Terra (then stored) when not.
 * Terra has no endpoint for one activity: `getActivity` uses the store, the activities this
 * provider has already listed, then a scan of the history.
 *
 * @throws ProviderError (from the methods) `not_connected` when the person has no connected Terra
 *   user, plus the client's errors.
 *
 * @example
 * ```ts
 * const provider = createTerraProvider({ client, user: { tenantId: 'acme', userId: 'camille' },
 *   terraUserIds: [fake.terraUserId] })
 * const nights = await provider.getSleepSessions({ start: '2025-03-14T00:00:00Z', end: '2025-03-15T00:00:00Z' })
 * ```
 */
export function createTerraProvider(options: TerraProviderOptions): FitnessProvider {
  const { client, dataStore } = options
  const now = options.now ?? (() => new Date())
  const historyMs = clampDays(options.historyDays, { fallback: 365, max: 3650 }) * dayMs
  const windowMs = clampDays(options.windowDays, { fallback: 28, max: 365 }) * dayMs
  const owner: DataOwner = {
    provider,
    tenantId: options.user.tenantId,
    userId: options.user.userId,
  }
  const located = new Map<string, Located>()

  const remember = (id: string, where: Located): void => {
    located.delete(id)
    located.set(id, where)
    if (located.size > maxLocatorEntries) {
      const oldest = located.keys().next().value
      if (oldest !== undefined) located.delete(oldest)
    }
  }

  const terraUsers = async (): Promise<readonly string[]> => {
    let ids: readonly string[] = options.terraUserIds ?? []
    if (options.terraUserIds === undefined && options.connections !== undefined) {
      const connections = await options.connections.listForUser(options.user)
      ids = connections
        .filter((connection) => connection.status === 'connected')
        .map((connection) => connection.terraUserId)
    }
    if (ids.length === 0) {
      throw new ProviderError('not_connected', 'this person has no connected terra user', {
        provider,
      })
    }
    return ids
  }

  const signalOf = (callOptions?: CallOptions) =>
    callOptions?.signal === undefined ? {} : { signal: callOptions.signal }

  // Asks Terra for one window (dates padded: Terra selects by local date, and a night starts the
  // day before one wakes); the caller keeps what falls in the window.
  const fetchWindow = async (
    type: MappedTerraType,
    request: {
      readonly window: Window
      readonly terraUserIds: readonly string[]
      readonly withSamples: boolean
    },
    callOptions?: CallOptions,
  ): Promise<{ readonly terraUserId: string; readonly item: Raw }[]> => {
    const found: { terraUserId: string; item: Raw }[] = []
    for (const terraUserId of request.terraUserIds) {
      callOptions?.signal?.throwIfAborted()
      const response = await client.fetchData(
        type as TerraDataType,
        {
          terraUserId,
          startDate: utcDate(request.window.startMs, -2),
          endDate: utcDate(request.window.endMs, 1),
          withSamples: request.withSamples,
        },
        signalOf(callOptions),
      )
      if (response.data === undefined) {
        throw new ProviderError(
          'upstream_unavailable',
          `terra deferred the ${type} request to the webhook`,
          {
            provider,
            retryable: true,
            details: { endpoint: `/${type}`, reference: response.reference ?? null },
          },
        )
      }
      for (const item of response.data) {
        const issues = dataItemIssues(type, item)
        if (issues.length > 0) {
          throw new ProviderError(
            'invalid_data',
            `terra ${type} data for GET /${type} has an unusable object: ${issues
              .map((issue) => `${issue.path} ${issue.message}`)
              .join('; ')}`,
            { provider, details: { endpoint: `/${type}`, issues } },
          )
        }
        found.push({ terraUserId, item })
      }
    }
    return found
  }

  const storeAll = async (records: readonly KindedRecord[]): Promise<void> => {
    if (dataStore === undefined) return
    for (const { kind, record } of records) await dataStore.upsert(kind, owner, record)
  }

  const fromStore = async (
    kind: DataKind,
    window: Window,
    widenMs: number,
  ): Promise<DataRecord[]> => {
    if (dataStore === undefined) return []
    const stored = await dataStore.query(kind, owner, {
      range: { start: iso(window.startMs - widenMs), end: iso(window.endMs) },
    })
    return stored.filter((record) => recordInWindow({ kind, record }, window))
  }

  const activitiesInWindow = async (
    window: Window,
    terraUserIds: readonly string[],
    callOptions?: CallOptions,
  ): Promise<Activity[]> => {
    const stored = await fromStore('activity', window, 0)
    let activities: Activity[]
    if (stored.length > 0) {
      activities = stored.map((record) => {
        const activity = record.payload as Activity
        const parsed = fromStoreId(record.id)
        if (parsed !== undefined) {
          remember(activity.id, {
            terraUserId: parsed.terraUserId,
            startMs: Date.parse(activity.start_date),
          })
        }
        return activity
      })
    } else {
      const fetched = await fetchWindow(
        'activity',
        { window, terraUserIds, withSamples: false },
        callOptions,
      )
      const kept: KindedRecord[] = []
      activities = []
      for (const { terraUserId, item } of fetched) {
        const activity = mapTerraActivity(item)
        const startMs = Date.parse(activity.start_date)
        if (startMs < window.startMs || startMs >= window.endMs) continue
        remember(activity.id, { terraUserId, startMs })
        activities.push(activity)
        kept.push({
          kind: 'activity',
          record: {
            id: toStoreId(terraUserId, activity.id),
            start: toSortableInstant(startMs),
            payload: activity,
          },
        })
      }
      await storeAll(kept)
    }
    return activities.sort(compareActivitiesNewestFirst)
  }

  const iterateActivities = (
    query: ActivityIterationQuery = {},
    callOptions?: CallOptions,
  ): AsyncIterable<Activity> => ({
    async *[Symbol.asyncIterator]() {
      const terraUserIds = await terraUsers()
      const endMs = query.before === undefined ? now().getTime() + dayMs : query.before * 1000
      const startMs = query.after === undefined ? endMs - historyMs : query.after * 1000
      for (const window of windowsNewestFirst(startMs, endMs, windowMs)) {
        callOptions?.signal?.throwIfAborted()
        yield* await activitiesInWindow(window, terraUserIds, callOptions)
      }
    },
  })

  const notFound = (id: string): ProviderError =>
    new ProviderError('not_found', `terra has no activity ${id.slice(0, 100)}`, {
      provider,
      details: { resource_type: 'activity', resource_id: id },
    })

  const storedById = async (kind: DataKind, id: string, terraUserIds: readonly string[]) => {
    if (dataStore === undefined) return undefined
    for (const terraUserId of terraUserIds) {
      const record = await dataStore.get(kind, owner, toStoreId(terraUserId, id))
      if (record !== undefined) return { terraUserId, record }
    }
    return undefined
  }

  const dayAround = (startMs: number): Window => {
    const dayStart = Math.floor(startMs / dayMs) * dayMs
    return { startMs: dayStart, endMs: dayStart + dayMs }
  }

  const getActivity = async (id: string, callOptions?: ActivityOptions): Promise<Activity> => {
    const terraUserIds = await terraUsers()
    const stored = await storedById('activity', id, terraUserIds)
    if (stored !== undefined) {
      const activity = stored.record.payload as Activity
      remember(id, { terraUserId: stored.terraUserId, startMs: Date.parse(activity.start_date) })
      return activity
    }
    const known = located.get(id)
    if (known !== undefined && terraUserIds.includes(known.terraUserId)) {
      const found = (
        await activitiesInWindow(dayAround(known.startMs), [known.terraUserId], callOptions)
      ).find((activity) => activity.id === id)
      if (found !== undefined) return found
    }
    for await (const activity of iterateActivities({}, callOptions)) {
      if (activity.id === id) return activity
    }
    throw notFound(id)
  }

  const getActivityStreams = async (
    id: string,
    callOptions?: StreamOptions,
  ): Promise<ActivityStreams> => {
    const terraUserIds = await terraUsers()
    const stored = await storedById('streams', id, terraUserIds)
    if (stored !== undefined) {
      return selectStreams(stored.record.payload as ActivityStreams, callOptions?.keys)
    }
    if (!located.has(id)) await getActivity(id, signalOf(callOptions))
    const where = located.get(id)
    if (where === undefined) throw notFound(id)
    const fetched = await fetchWindow(
      'activity',
      { window: dayAround(where.startMs), terraUserIds: [where.terraUserId], withSamples: true },
      callOptions,
    )
    const match = fetched.find(({ item }) => mapTerraActivity(item).id === id)
    if (match === undefined) throw notFound(id)
    const streams = mapTerraActivityStreams(match.item)
    if (streams.time.length > 0) {
      await storeAll([
        {
          kind: 'streams',
          record: {
            id: toStoreId(where.terraUserId, id),
            start: toSortableInstant(Date.parse(streams.start_date)),
            payload: streams,
          },
        },
      ])
    }
    return selectStreams(streams, callOptions?.keys)
  }

  // A ranged read: per window, the store when it holds records there, else Terra (then stored).
  const readRange = async <TResult>(
    spec: {
      readonly kind: DataKind
      readonly type: MappedTerraType
      readonly withSamples: boolean
    },
    range: DateRange,
    callOptions?: CallOptions,
  ): Promise<TResult[]> => {
    const terraUserIds = await terraUsers()
    const results: { key: string; payload: unknown }[] = []
    // A night stored by its start may have begun up to two days before the window it ends in.
    const widenMs = spec.kind === 'sleep' ? 2 * dayMs : 0
    for (const window of windowsNewestFirst(
      Date.parse(range.start),
      Date.parse(range.end),
      windowMs,
    )) {
      const stored = await fromStore(spec.kind, window, widenMs)
      if (stored.length > 0) {
        for (const record of stored) {
          results.push({ key: sortKeyOf(spec.kind, record.payload), payload: record.payload })
        }
        continue
      }
      const fetched = await fetchWindow(
        spec.type,
        { window, terraUserIds, withSamples: spec.withSamples },
        callOptions,
      )
      const kept = fetched
        .flatMap(({ terraUserId, item }) => toStoreRecords(spec.type, item, terraUserId))
        .filter((entry) => recordInWindow(entry, window))
      await storeAll(kept)
      for (const entry of kept) {
        if (entry.kind !== spec.kind) continue
        results.push({
          key: sortKeyOf(spec.kind, entry.record.payload),
          payload: entry.record.payload,
        })
      }
    }
    return results
      .sort((left, right) => (left.key < right.key ? 1 : left.key > right.key ? -1 : 0))
      .map((entry) => entry.payload as TResult)
  }

  return createProvider(
    terraDescriptor,
    {
      iterateActivities,
      getActivity,
      getActivityStreams,
      getSleepSessions: (range, callOptions) =>
        readRange({ kind: 'sleep', type: 'sleep', withSamples: true }, range, callOptions),
      getHrv: (range, callOptions) =>
        readRange({ kind: 'hrv', type: 'sleep', withSamples: true }, range, callOptions),
      getDailySummaries: (range, callOptions) =>
        readRange({ kind: 'daily', type: 'daily', withSamples: false }, range, callOptions),
      getRecoveryMetrics: (range, callOptions) =>
        readRange({ kind: 'recovery', type: 'daily', withSamples: false }, range, callOptions),
      getHealthMetrics: (range, callOptions) =>
        readRange({ kind: 'health', type: 'body', withSamples: false }, range, callOptions),
    },
    { now },
  )
}

/** Options of {@link createTerraBundle}. */
export interface TerraBundleOptions {
  /** The Terra REST client of the app credential, shared by every person. */
  readonly client: TerraClient
  /** Where webhooks record which Terra users belong to whom. */
  readonly connections: TerraConnectionStore
  /** Where webhook deliveries are stored. */
  readonly dataStore?: ProviderDataStore
  readonly historyDays?: number
  readonly windowDays?: number
}

/**
 * Creates the registry bundle of the `terra` provider. The client (with its budget and breaker),
 * the connection store and the data store are shared by every person the bundle creates providers
 * for; each provider reads the Terra users of its context's tenant and user.
 */
export function createTerraBundle(options: TerraBundleOptions): ProviderBundle {
  return Object.freeze({
    descriptor: terraDescriptor,
    create(context: ProviderContext): FitnessProvider {
      return createTerraProvider({
        client: options.client,
        user: { tenantId: context.tenantId, userId: context.userId },
        connections: options.connections,
        ...(options.dataStore === undefined ? {} : { dataStore: options.dataStore }),
        ...(options.historyDays === undefined ? {} : { historyDays: options.historyDays }),
        ...(options.windowDays === undefined ? {} : { windowDays: options.windowDays }),
        ...(context.now === undefined ? {} : { now: context.now }),
      })
    },
  })
}
