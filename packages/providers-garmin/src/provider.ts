import type {
  AccessTokenSource,
  Activity,
  ActivityIterationQuery,
  ActivityOptions,
  ActivityStreams,
  CallOptions,
  DailySummary,
  DataKind,
  DataOwner,
  DataRecord,
  DateRange,
  FitnessProvider,
  HealthMetrics,
  HrvDaily,
  ProviderBundle,
  ProviderContext,
  ProviderDataStore,
  RecoveryMetrics,
  SleepSession,
  StoredConnection,
  StreamOptions,
  TokenStore,
} from '@pierre/providers-core'
import {
  compareActivitiesNewestFirst,
  createProvider,
  isProviderError,
  ProviderError,
  selectStreams,
} from '@pierre/providers-core'
import { z } from 'zod'
import { garminApiBaseUrl, garminDescriptor } from './descriptor.js'
import type { GarminHttpOptions } from './http.js'
import { createGarminHttpClient } from './http.js'

/** Summary types a backfill can ask for (data types, not lifecycle notifications). */
export const garminBackfillTypes = [
  'activities',
  'activityDetails',
  'manuallyUpdatedActivities',
  'moveiq',
  'dailies',
  'epochs',
  'sleeps',
  'bodyComps',
  'stressDetails',
  'userMetrics',
  'pulseox',
  'respiration',
  'hrv',
  'healthSnapshot',
  'skinTemp',
  'bloodPressures',
] as const

/** One summary type {@link GarminProvider.requestBackfill} accepts. */
export type GarminBackfillType = (typeof garminBackfillTypes)[number]

/** What {@link GarminProvider.requestBackfill} asks Garmin to send again. */
export interface GarminBackfillRequest {
  readonly summaryTypes: readonly GarminBackfillType[]
  /** ISO UTC, inclusive. */
  readonly start: string
  /** ISO UTC, exclusive; windows longer than 30 days are split. */
  readonly end: string
}

/** The answer to one backfill window of one summary type. */
export interface GarminBackfillResult {
  readonly summaryType: GarminBackfillType
  /** Epoch seconds of the window. */
  readonly startSeconds: number
  readonly endSeconds: number
  /** `accepted` (202: the data will be pushed) or `duplicate` (409: already asked). */
  readonly outcome: 'accepted' | 'duplicate'
}

/** Options of {@link createGarminProvider}. */
export interface GarminProviderOptions extends GarminHttpOptions {
  /** Where pushed data lands (the receiver writes it); reads answer from it. */
  readonly store: ProviderDataStore
  readonly tenantId: string
  readonly userId: string
  /** Access tokens of the connected user (`oauthClient.tokenSource(user)`); needed for API calls. */
  readonly tokenSource?: AccessTokenSource
  /** `https://apis.garmin.com` by default; tests pass `fakeGarmin.apiBaseUrl`. */
  readonly baseUrl?: string
  /** Ask Garmin for the last 30 days when an activity read finds the store empty; true by default. */
  readonly autoBackfill?: boolean
  /** Pause between backfill requests, ms; 500 by default (Garmin's limits are not public). */
  readonly backfillSpacingMs?: number
  /** Called when the automatic backfill fails; the read still answers from the store. */
  readonly onBackfillError?: (error: unknown) => void
}

/** A Garmin {@link FitnessProvider} (reads from the data store) plus Garmin's user API. */
export interface GarminProvider extends FitnessProvider {
  /** Returns the user's Garmin API id (`GET /wellness-api/rest/user/id`), the key of every push. */
  fetchUserId(options?: CallOptions): Promise<string>
  /** Returns the permissions the user granted (`ACTIVITY_EXPORT`, `HEALTH_EXPORT`, …). */
  fetchPermissions(options?: CallOptions): Promise<readonly string[]>
  /**
   * Removes the user's registration at Garmin (`DELETE /wellness-api/rest/user/registration`);
   * Garmin then sends a final deregistration notification and stops pushing.
   */
  deleteRegistration(options?: CallOptions): Promise<void>
  /**
   * Asks Garmin to push the summaries of a past window again (202, asynchronous). Windows longer
   * than 30 days are split; requests are spaced by `backfillSpacingMs`.
   *
   * @throws ProviderError `invalid_argument` for a bad window; `insufficient_scope` (403) when the
   *   user did not grant `HISTORICAL_DATA_EXPORT`.
   */
  requestBackfill(
    request: GarminBackfillRequest,
    options?: CallOptions,
  ): Promise<readonly GarminBackfillResult[]>
}

const dayMs = 86_400_000
const maxWindowSeconds = 30 * 86_400
/** What a new connection or an empty store backfills (spec §6.4). */
export const garminDefaultBackfillTypes: readonly GarminBackfillType[] = [
  'activities',
  'activityDetails',
  'sleeps',
  'dailies',
  'hrv',
  'userMetrics',
]

const backfillRequestSchema = z
  .object({
    summaryTypes: z.array(z.enum(garminBackfillTypes)).min(1),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
  })
  .refine((request) => Date.parse(request.start) < Date.parse(request.end), {
    message: 'start must be earlier than end',
    path: ['start'],
  })
const userIdSchema = z.looseObject({ userId: z.union([z.string().min(1), z.number()]) })
const permissionsSchema = z.union([
  z.array(z.string()),
  z.looseObject({ permissions: z.array(z.string()) }),
])

/**
 * Creates the Garmin provider of one connected user. Garmin has no history API (PUSH_ONLY): every
 * read answers from the {@link ProviderDataStore} that the receiver fills from pushes and pings,
 * newest first. An activity read that finds the store empty asks Garmin for a 30-day backfill and
 * returns what exists (nothing yet). `fetchUserId`, `fetchPermissions`, `deleteRegistration` and
 * `requestBackfill` call Garmin with the user's token.
 *
 * @throws ProviderError `not_configured` when `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * const provider = createGarminProvider({ store, tenantId: 'acme', userId: 'camille',
 *   tokenSource: oauth.tokenSource(user), baseUrl: fake.apiBaseUrl })
 * const sleeps = await provider.getSleepSessions({ start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' })
 * ```
 */
export function createGarminProvider(options: GarminProviderOptions): GarminProvider {
  const now = options.now ?? (() => new Date())
  const store = options.store
  const owner: DataOwner = {
    provider: 'garmin',
    tenantId: options.tenantId,
    userId: options.userId,
  }
  const http = createGarminHttpClient(options, {
    baseUrl: options.baseUrl ?? garminApiBaseUrl,
    auth: options.tokenSource,
    defaultTimeoutMs: 30_000,
  })
  const wait = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)))
  const spacingMs = options.backfillSpacingMs ?? 500

  const requireToken = (): void => {
    if (options.tokenSource === undefined) {
      throw new ProviderError(
        'not_connected',
        'garmin needs an access token source for API calls',
        {
          provider: 'garmin',
          details: { provider: 'garmin' },
        },
      )
    }
  }
  const signalOf = (callOptions?: CallOptions) =>
    callOptions?.signal === undefined ? {} : { signal: callOptions.signal }

  const requestBackfill = async (
    request: GarminBackfillRequest,
    callOptions?: CallOptions,
  ): Promise<readonly GarminBackfillResult[]> => {
    const parsed = backfillRequestSchema.safeParse(request)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }))
      throw new ProviderError(
        'invalid_argument',
        `invalid garmin backfill request: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`,
        { provider: 'garmin', details: { issues } },
      )
    }
    requireToken()
    const startSeconds = Math.floor(Date.parse(parsed.data.start) / 1000)
    const endSeconds = Math.ceil(Date.parse(parsed.data.end) / 1000)
    const windows: [number, number][] = []
    for (let from = startSeconds; from < endSeconds; from += maxWindowSeconds) {
      windows.push([from, Math.min(endSeconds, from + maxWindowSeconds)])
    }
    const results: GarminBackfillResult[] = []
    let first = true
    for (const summaryType of parsed.data.summaryTypes) {
      for (const [from, to] of windows) {
        if (!first && spacingMs > 0) await wait(spacingMs, callOptions?.signal)
        first = false
        results.push(await backfillWindow(summaryType, [from, to], callOptions))
      }
    }
    return results
  }

  const backfillWindow = async (
    summaryType: GarminBackfillType,
    [from, to]: readonly [number, number],
    callOptions?: CallOptions,
  ): Promise<GarminBackfillResult> => {
    const result = { summaryType, startSeconds: from, endSeconds: to }
    try {
      await http.request({
        path: `/wellness-api/rest/backfill/${summaryType}`,
        query: { summaryStartTimeInSeconds: from, summaryEndTimeInSeconds: to },
        resource: 'backfill',
        ...signalOf(callOptions),
      })
      return { ...result, outcome: 'accepted' }
    } catch (error) {
      if (isProviderError(error) && error.status === 409) return { ...result, outcome: 'duplicate' }
      if (isProviderError(error) && error.status === 403) {
        throw new ProviderError(
          'insufficient_scope',
          'garmin refused the backfill: the user did not grant HISTORICAL_DATA_EXPORT',
          {
            provider: 'garmin',
            status: 403,
            details: { missing: ['HISTORICAL_DATA_EXPORT'] },
            cause: error,
          },
        )
      }
      throw error
    }
  }

  const autoBackfill = async (callOptions?: CallOptions): Promise<void> => {
    if (options.autoBackfill === false || options.tokenSource === undefined) return
    const any = await store.query('activity', owner, { limit: 1 })
    if (any.length > 0) return
    const end = now()
    try {
      await requestBackfill(
        {
          summaryTypes: ['activities', 'activityDetails'],
          start: new Date(end.getTime() - 30 * dayMs).toISOString(),
          end: end.toISOString(),
        },
        callOptions,
      )
    } catch (error) {
      options.onBackfillError?.(error)
    }
  }

  // An open-ended range still needs an end every store accepts: the last instant of a four-digit year.
  const openEnd = '9999-12-31T23:59:59.999Z'

  const iterateActivities = (
    query: ActivityIterationQuery = {},
    callOptions?: CallOptions,
  ): AsyncIterable<Activity> => ({
    async *[Symbol.asyncIterator]() {
      callOptions?.signal?.throwIfAborted()
      const filtered = query.after !== undefined || query.before !== undefined
      const rows = await store.query('activity', owner, {
        ...(filtered
          ? {
              range: {
                start: new Date((query.after ?? 0) * 1000).toISOString(),
                end:
                  query.before === undefined
                    ? openEnd
                    : new Date(query.before * 1000).toISOString(),
              },
            }
          : {}),
      })
      if (rows.length === 0 && !filtered) await autoBackfill(callOptions)
      const activities = rows
        .map((row) => row.payload as Activity)
        .sort(compareActivitiesNewestFirst)
      for (const activity of activities) {
        callOptions?.signal?.throwIfAborted()
        yield activity
      }
    },
  })

  const getActivity = async (id: string, callOptions?: ActivityOptions): Promise<Activity> => {
    callOptions?.signal?.throwIfAborted()
    const record = await store.get('activity', owner, id)
    if (record === undefined) throw notFound('activity', id)
    const activity = record.payload as Activity
    if (callOptions?.details === true) return activity
    const { laps: _laps, ...summary } = activity
    return summary
  }

  const getActivityStreams = async (
    id: string,
    callOptions?: StreamOptions,
  ): Promise<ActivityStreams> => {
    callOptions?.signal?.throwIfAborted()
    const record = await store.get('streams', owner, id)
    if (record === undefined) throw notFound('activity streams', id)
    return selectStreams(record.payload as ActivityStreams, callOptions?.keys)
  }

  const daysIn = async <TPayload>(
    kind: DataKind,
    range: DateRange,
    spanOf: (record: DataRecord) => number,
  ): Promise<TPayload[]> => {
    const rows = await store.query(kind, owner, {
      range: { start: new Date(Date.parse(range.start) - 2 * dayMs).toISOString(), end: range.end },
    })
    const from = Date.parse(range.start)
    const to = Date.parse(range.end)
    return rows
      .filter((row) => {
        const start = Date.parse(row.start ?? `${row.date}T00:00:00Z`)
        const span = spanOf(row)
        return span === 0 ? start >= from && start < to : start < to && start + span > from
      })
      .map((row) => row.payload as TPayload)
  }
  const wholeDay = () => dayMs

  const getHrv = (range: DateRange) => daysIn<HrvDaily>('hrv', range, wholeDay)

  const getSleepSessions = async (range: DateRange): Promise<SleepSession[]> => {
    const from = Date.parse(range.start)
    const to = Date.parse(range.end)
    const rows = await store.query('sleep', owner, {
      range: { start: new Date(from - 2 * dayMs).toISOString(), end: range.end },
    })
    const sessions = rows
      .map((row) => row.payload as SleepSession)
      .filter((session) => {
        const end = Date.parse(session.end_time)
        return end >= from && end < to
      })
    if (sessions.length === 0) return sessions
    // The night's HRV comes as its own summary; join it on the wake-up date.
    const hrvByDate = new Map(
      (await getHrv({ start: new Date(from - dayMs).toISOString(), end: range.end })).map((hrv) => [
        hrv.calendar_date,
        hrv.rmssd_ms,
      ]),
    )
    return sessions.map((session) =>
      session.hrv_during_sleep !== undefined && session.hrv_during_sleep !== null
        ? session
        : withDefined(session, { hrv_during_sleep: hrvByDate.get(session.date_of_sleep) }),
    )
  }

  const getRecoveryMetrics = async (range: DateRange): Promise<RecoveryMetrics[]> => {
    const days = await daysIn<RecoveryMetrics>('recovery', range, wholeDay)
    if (days.length === 0) return days
    const hrvByDate = new Map((await getHrv(range)).map((hrv) => [hrv.calendar_date, hrv.rmssd_ms]))
    const sleeps = await store.query('sleep', owner, {
      range: {
        start: new Date(Date.parse(range.start) - 2 * dayMs).toISOString(),
        end: new Date(Date.parse(range.end) + dayMs).toISOString(),
      },
    })
    const scoreByDate = new Map(
      sleeps
        .map((row) => row.payload as SleepSession)
        .map((session) => [session.date_of_sleep, session.sleep_score ?? undefined] as const),
    )
    return days.map((day) =>
      withDefined(day, {
        hrv_rmssd_ms: day.hrv_rmssd_ms ?? hrvByDate.get(day.calendar_date),
        sleep_score: day.sleep_score ?? scoreByDate.get(day.calendar_date),
      }),
    )
  }

  const provider = createProvider(
    garminDescriptor,
    {
      iterateActivities,
      getActivity,
      getActivityStreams,
      getSleepSessions,
      getRecoveryMetrics,
      getHealthMetrics: (range) =>
        daysIn<HealthMetrics>('health', range, (record) =>
          record.id.startsWith('userMetrics:') ? dayMs : 0,
        ),
      getHrv,
      getDailySummaries: (range) => daysIn<DailySummary>('daily', range, wholeDay),
    },
    { now },
  )

  return Object.freeze({
    ...provider,
    async fetchUserId(callOptions?: CallOptions) {
      requireToken()
      const body = await http.getJson('/wellness-api/rest/user/id', {
        ...signalOf(callOptions),
        schema: userIdSchema,
        resource: 'user id',
      })
      return String(body.userId)
    },
    async fetchPermissions(callOptions?: CallOptions) {
      requireToken()
      const body = await http.getJson('/wellness-api/rest/user/permissions', {
        ...signalOf(callOptions),
        schema: permissionsSchema,
        resource: 'user permissions',
      })
      return Object.freeze(Array.isArray(body) ? [...body] : [...body.permissions])
    },
    async deleteRegistration(callOptions?: CallOptions) {
      requireToken()
      await http.request({
        method: 'DELETE',
        path: '/wellness-api/rest/user/registration',
        resource: 'user registration',
        ...signalOf(callOptions),
      })
    },
    requestBackfill,
  })
}

function notFound(what: string, id: string): ProviderError {
  return new ProviderError('not_found', `garmin has sent no ${what} ${id.slice(0, 100)}`, {
    provider: 'garmin',
    details: { resource_type: what.replace(' ', '_'), resource_id: id },
  })
}

function withDefined<TValue extends object>(value: TValue, changes: Partial<TValue>): TValue {
  const defined = Object.fromEntries(
    Object.entries(changes).filter(([, entry]) => entry !== undefined),
  )
  return { ...value, ...defined }
}

/** Options of {@link completeGarminConnection}. */
export interface CompleteGarminConnectionOptions {
  /** A provider for the user, with a token source. */
  readonly provider: GarminProvider
  /** The store the OAuth client wrote the new connection to. */
  readonly tokenStore: TokenStore
  readonly user: { readonly tenantId: string; readonly userId: string }
  /**
   * Permissions without which the connection is `insufficient_scope`;
   * `ACTIVITY_EXPORT` and `HEALTH_EXPORT` by default.
   */
  readonly requiredPermissions?: readonly string[]
  /** Days of history to backfill (when `HISTORICAL_DATA_EXPORT` is granted); 30 by default, 0 for none. */
  readonly backfillDays?: number
  readonly now?: () => Date
}

/** What {@link completeGarminConnection} did. */
export interface GarminConnectionResult {
  readonly connection: StoredConnection
  readonly providerUserId: string
  readonly permissions: readonly string[]
  /** The backfill windows requested, when a backfill ran. */
  readonly backfill?: readonly GarminBackfillResult[]
  /** Why the backfill failed; the connection itself is complete. */
  readonly backfillError?: ProviderError
}

/** The permissions Pierre reads with by default. */
export const garminDefaultRequiredPermissions: readonly string[] = Object.freeze([
  'ACTIVITY_EXPORT',
  'HEALTH_EXPORT',
])

/**
 * Finishes a Garmin connection after `oauthClient.handleCallback`: reads the user's Garmin id (the
 * key pushes carry) and permissions, stores the id as `providerUserId` and the status
 * (`insufficient_scope` with `statusReason: "missing_permissions:…"` when a required permission is
 * missing), then asks for a backfill of the last 30 days of activities, activity details, sleep,
 * dailies, HRV and user metrics when `HISTORICAL_DATA_EXPORT` is granted.
 *
 * @throws ProviderError `not_connected` when the token store has no connection for the user, and
 *   the errors of the two API calls.
 */
export async function completeGarminConnection(
  options: CompleteGarminConnectionOptions,
): Promise<GarminConnectionResult> {
  const now = options.now ?? (() => new Date())
  const { provider, tokenStore } = options
  const key = { tenantId: options.user.tenantId, userId: options.user.userId, provider: 'garmin' }
  const providerUserId = await provider.fetchUserId()
  const permissions = await provider.fetchPermissions()
  const stored = await tokenStore.get(key)
  if (stored === undefined) {
    throw new ProviderError('not_connected', 'no garmin connection for this user', {
      provider: 'garmin',
      details: { provider: 'garmin' },
    })
  }
  const required = options.requiredPermissions ?? garminDefaultRequiredPermissions
  const missing = required.filter((permission) => !permissions.includes(permission))
  const connection: StoredConnection = {
    ...stored,
    providerUserId,
    ...permissionStatus(stored, missing),
    updatedAt: now().toISOString(),
  }
  await tokenStore.put(connection)
  const days = options.backfillDays ?? 30
  if (days <= 0 || !permissions.includes('HISTORICAL_DATA_EXPORT')) {
    return { connection, providerUserId, permissions }
  }
  const end = now()
  try {
    const backfill = await provider.requestBackfill({
      summaryTypes: garminDefaultBackfillTypes,
      start: new Date(end.getTime() - days * dayMs).toISOString(),
      end: end.toISOString(),
    })
    return { connection, providerUserId, permissions, backfill }
  } catch (error) {
    if (!isProviderError(error)) throw error
    return { connection, providerUserId, permissions, backfillError: error }
  }
}

/**
 * The status a connection gets from its missing permissions: `insufficient_scope` while some are
 * missing, back to `connected` once none are; `needs_reauth` is never changed here.
 */
export function permissionStatus(
  connection: Pick<StoredConnection, 'status' | 'statusReason'>,
  missing: readonly string[],
): Pick<StoredConnection, 'status' | 'statusReason'> {
  if (connection.status === 'needs_reauth') {
    return { status: connection.status, statusReason: connection.statusReason }
  }
  if (missing.length > 0) {
    return {
      status: 'insufficient_scope',
      statusReason: `missing_permissions:${missing.join(',')}`,
    }
  }
  return { status: 'connected', statusReason: undefined }
}

/** Options of {@link createGarminBundle}. */
export interface GarminBundleOptions extends GarminHttpOptions {
  /** The store the receiver writes to; every provider created reads from it. */
  readonly store: ProviderDataStore
  /** `https://apis.garmin.com` by default. */
  readonly baseUrl?: string
  readonly autoBackfill?: boolean
  readonly onBackfillError?: (error: unknown) => void
}

/**
 * Creates the registry bundle of the `garmin` provider. Every provider it creates reads from
 * `options.store` for the context's tenant and user; the context's `auth` is used for Garmin API
 * calls (backfill, user id, permissions) and may be absent for store-only reads.
 */
export function createGarminBundle(options: GarminBundleOptions): ProviderBundle {
  return Object.freeze({
    descriptor: garminDescriptor,
    create(context: ProviderContext): GarminProvider {
      return createGarminProvider({
        ...options,
        tenantId: context.tenantId,
        userId: context.userId,
        ...(context.auth === undefined ? {} : { tokenSource: context.auth }),
        ...(context.now === undefined ? {} : { now: context.now }),
      })
    },
  })
}
