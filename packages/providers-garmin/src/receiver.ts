import { createHash, timingSafeEqual } from 'node:crypto'
import type {
  Activity,
  CacheResource,
  DataKind,
  DataOwner,
  DataRecord,
  OAuthClient,
  ProviderCache,
  ProviderDataStore,
  TokenStore,
  UserRef,
} from '@pierre/providers-core'
import {
  cacheKeyPrefix,
  createCircuitBreaker,
  createRateLimitBudget,
  invalidateProviderCache,
  isProviderError,
  ProviderError,
  readHeader,
} from '@pierre/providers-core'
import { garminApiBaseUrl } from './descriptor.js'
import type { GarminHttpOptions } from './http.js'
import { createGarminHttpClient } from './http.js'
import type { GarminSkippedItem, GarminWebhookEvent } from './notification.js'
import { checkItem, parseGarminNotification, recordsOfItem } from './notification.js'
import { garminDefaultRequiredPermissions, permissionStatus } from './provider.js'

/** A delivery as the HTTP framework hands it over: the raw body and the request headers. */
export interface GarminWebhookRequest {
  /** The raw body, exactly as received. */
  readonly body: string | Uint8Array
  /** A `Headers` object or a plain record (Node's `IncomingHttpHeaders`); names any case. */
  readonly headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>
}

/** What to answer Garmin. */
export interface GarminWebhookResponse {
  readonly status: number
  readonly body: Readonly<Record<string, unknown>>
}

/** One event that could not be ingested. */
export interface GarminIngestFailure {
  readonly summaryType: string
  readonly providerUserId: string
  readonly error: ProviderError
}

/** What {@link GarminReceiver.ingest} did. */
export interface GarminIngestReport {
  /** Records written (a duplicate delivery writes the same records again, harmlessly). */
  readonly stored: number
  /** Records deleted (deregistration with `deregistration: 'remove'`). */
  readonly deleted: number
  /** Connections marked `needs_reauth`, removed, or whose permission status was updated. */
  readonly connectionsChanged: number
  /** Garmin user ids that map to no connection here; their events are dropped. */
  readonly unknownUsers: readonly string[]
  /** Items of callback responses that were not used (other user, invalid). */
  readonly skipped: number
  readonly failures: readonly GarminIngestFailure[]
}

/** What {@link GarminReceiverHooks.onPermissionsChange} receives. */
export interface GarminPermissionsChangeEvent {
  readonly user: UserRef
  readonly providerUserId: string
  readonly permissions: readonly string[]
  /** Required permissions the user no longer grants. */
  readonly missing: readonly string[]
}

/** Observers of a receiver (libraries never log), plus those of the HTTP client. */
export interface GarminReceiverHooks {
  /** Called after each background ingestion with its report. */
  readonly onIngested?: (report: GarminIngestReport) => void
  /** Called when a background ingestion fails as a whole (the store is down). */
  readonly onIngestError?: (error: unknown) => void
  readonly onPermissionsChange?: (event: GarminPermissionsChangeEvent) => void
}

/** Options of {@link createGarminReceiver}. */
export interface GarminReceiverOptions extends GarminHttpOptions {
  /** Our Garmin client id: deliveries must carry it in `garmin-client-id`. */
  readonly clientId: string
  /** Where normalized records are written. */
  readonly store: ProviderDataStore
  /** Maps a Garmin user id (`providerUserId` of a connection) to our tenant and user. */
  readonly resolveUser: (garminUserId: string) => UserRef | undefined | Promise<UserRef | undefined>
  /**
   * The Garmin OAuth client: tokens for ping callbacks, `markReauthRequired` and `disconnect` for
   * deregistrations.
   */
  readonly oauth: Pick<OAuthClient, 'tokenSource' | 'markReauthRequired' | 'disconnect'>
  /** Where connections live, to record permission changes; without it they only reach the hook. */
  readonly tokenStore?: TokenStore
  /** The only origin ping callbacks may point at; `https://apis.garmin.com` by default. */
  readonly apiBaseUrl?: string
  /**
   * What a deregistration does: `mark_reauth` (default) keeps tokens and data and marks the
   * connection `needs_reauth`; `remove` deletes the connection and the user's stored Garmin data.
   */
  readonly deregistration?: 'mark_reauth' | 'remove'
  /** Permissions without which a connection is `insufficient_scope`; `ACTIVITY_EXPORT`, `HEALTH_EXPORT` by default. */
  readonly requiredPermissions?: readonly string[]
  /** A cache wrapped around Garmin providers; entries the events change are invalidated. */
  readonly cache?: ProviderCache
  /**
   * Runs an ingestion after `handle` has answered. By default it runs in the background of this
   * process (`drain()` waits for it); pass a job queue in production.
   */
  readonly schedule?: (job: () => Promise<void>) => void
  /** Larger bodies are refused with 413; 10 MiB by default. */
  readonly maxBodyBytes?: number
  readonly receiverHooks?: GarminReceiverHooks
}

/** Receives Garmin's push and ping deliveries and writes them to the data store. */
export interface GarminReceiver {
  /** Returns whether the `garmin-client-id` header equals our client id (constant-time). */
  verify(headers: GarminWebhookRequest['headers']): boolean
  /**
   * Parses a delivery body into events (see `parseGarminNotification`).
   *
   * @throws ProviderError `invalid_argument` for a body that is not a JSON object of arrays.
   */
  parse(body: string | Uint8Array): {
    readonly events: readonly GarminWebhookEvent[]
    readonly skipped: readonly GarminSkippedItem[]
  }
  /**
   * Writes events to the store: inline records directly, ping callbacks after fetching them with
   * the user's token (retries, rate limits and the breaker of providers-core's HTTP client),
   * deregistrations and permission changes to the connection. Idempotent per summary id. A
   * `ProviderError` of one event (a callback that failed) is reported in `failures` and the other
   * events go on; any other error (the store failing) rejects.
   */
  ingest(events: readonly GarminWebhookEvent[]): Promise<GarminIngestReport>
  /**
   * Answers one delivery, framework-agnostic: 401 for a wrong `garmin-client-id`, 413 for a body
   * over `maxBodyBytes`, 400 for a malformed body (nothing is stored), else 200 at once with the
   * ingestion scheduled.
   */
  handle(request: GarminWebhookRequest): Promise<GarminWebhookResponse>
  /** Waits until background ingestions started by `handle` have finished. */
  drain(): Promise<void>
}

const cacheResources: Readonly<Record<DataKind, CacheResource | undefined>> = {
  activity: undefined,
  streams: undefined,
  sleep: 'sleep',
  recovery: 'recovery',
  health: 'health',
  hrv: 'hrv',
  daily: 'daily',
}

/**
 * Creates the receiver of Garmin's Health and Activity API deliveries. There is no signature to
 * check: Garmin sends our client id in `garmin-client-id`, so also keep the endpoint path
 * unguessable. Mount `handle` on the summary endpoints configured in Garmin's portal; it answers
 * at once and ingests in the background, as Garmin expects an answer within seconds.
 *
 * @throws ProviderError `not_configured` when `clientId` is empty or `apiBaseUrl` is not a URL.
 *
 * @example
 * ```ts
 * const receiver = createGarminReceiver({ clientId, store, oauth, resolveUser })
 * const { status, body } = await receiver.handle({ body: rawBody, headers: request.headers })
 * ```
 */
export function createGarminReceiver(options: GarminReceiverOptions): GarminReceiver {
  if (options.clientId === '') {
    throw new ProviderError('not_configured', 'garmin receiver needs the client id', {
      provider: 'garmin',
    })
  }
  const apiBaseUrl = options.apiBaseUrl ?? garminApiBaseUrl
  try {
    new URL(apiBaseUrl)
  } catch (error) {
    throw new ProviderError('not_configured', 'garmin api base URL is not a URL', {
      provider: 'garmin',
      cause: error,
    })
  }
  const store = options.store
  const hooks = options.receiverHooks ?? {}
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024
  const required = options.requiredPermissions ?? garminDefaultRequiredPermissions
  // One breaker and one budget for every callback fetch: they track Garmin, not one user.
  const http = {
    ...options,
    rateLimitBudget:
      options.rateLimitBudget ??
      createRateLimitBudget(options.now === undefined ? {} : { now: options.now }),
    breaker:
      options.breaker ??
      createCircuitBreaker({
        provider: 'garmin',
        ...(options.now === undefined ? {} : { now: options.now }),
      }),
  }
  const expectedDigest = digest(options.clientId)
  const pending = new Set<Promise<void>>()

  const verify = (headers: GarminWebhookRequest['headers']): boolean => {
    const value = readHeader(headers, 'garmin-client-id')
    return value !== undefined && timingSafeEqual(digest(value), expectedDigest)
  }

  const invalidate = async (owner: DataOwner, kind: DataKind, id: string): Promise<void> => {
    const cache = options.cache
    if (cache === undefined) return
    const resource = cacheResources[kind]
    if (resource === undefined) {
      await invalidateProviderCache(cache, { ...owner, activityId: id })
      return
    }
    await cache.deleteByPrefix(cacheKeyPrefix({ ...owner, resource }))
  }

  const storeRecord = async (owner: DataOwner, kind: DataKind, record: DataRecord) => {
    let written = record
    if (kind === 'activity') {
      // A summary push must not drop what an earlier details push added (laps, streams).
      const existing = await store.get('activity', owner, record.id)
      written = { ...record, payload: keepDetails(existing?.payload, record.payload as Activity) }
    }
    await store.upsert(kind, owner, written)
    await invalidate(owner, kind, record.id)
  }

  const fetchCallback = async (
    event: GarminWebhookEvent & { readonly callbackUrl: string },
    user: UserRef,
  ): Promise<{ records: { kind: DataKind; record: DataRecord }[]; skipped: number }> => {
    let endpoint = '(invalid url)'
    try {
      endpoint = new URL(event.callbackUrl).pathname
    } catch {
      // The parser only lets URLs through; keep the placeholder for the message.
    }
    const client = createGarminHttpClient(http, {
      baseUrl: apiBaseUrl,
      auth: options.oauth.tokenSource(user),
      defaultTimeoutMs: 60_000,
    })
    let body: unknown
    try {
      body = (await client.request({ path: event.callbackUrl, resource: 'ping callback' })).body
    } catch (error) {
      throw callbackError(error, { endpoint, summaryType: event.summaryType })
    }
    const nested =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>)[event.summaryType]
        : undefined
    const items = Array.isArray(body) ? body : Array.isArray(nested) ? nested : undefined
    if (items === undefined) {
      throw new ProviderError(
        'invalid_data',
        `garmin ping callback ${endpoint} answered with neither an array nor an object of ${event.summaryType}`,
        {
          provider: 'garmin',
          details: { endpoint, summary_type: event.summaryType },
          upstreamBody: body,
        },
      )
    }
    const records: { kind: DataKind; record: DataRecord }[] = []
    let skipped = 0
    for (const item of items) {
      const checked = checkItem(event.summaryType, item)
      // Never file one user's data under another: the callback must answer for its own user.
      if (!checked.ok || String(checked.item.userId) !== event.providerUserId) {
        skipped += 1
        continue
      }
      records.push(...recordsOfItem(event.summaryType, checked.item))
    }
    return { records, skipped }
  }

  const deauthorize = async (owner: DataOwner, user: UserRef): Promise<number> => {
    let deleted = 0
    if (options.deregistration === 'remove') {
      await options.oauth.disconnect(user)
      deleted = await store.clear(owner)
    } else {
      await options.oauth.markReauthRequired(user, 'deregistered')
    }
    if (options.cache !== undefined) await invalidateProviderCache(options.cache, owner)
    return deleted
  }

  const changePermissions = async (event: GarminWebhookEvent, user: UserRef): Promise<boolean> => {
    const permissions = event.permissions ?? []
    const missing = required.filter((permission) => !permissions.includes(permission))
    hooks.onPermissionsChange?.({
      user,
      providerUserId: event.providerUserId,
      permissions,
      missing,
    })
    const tokenStore = options.tokenStore
    if (tokenStore === undefined) return false
    const key = { ...user, provider: 'garmin' }
    const connection = await tokenStore.get(key)
    if (connection === undefined) return false
    const next = permissionStatus(connection, missing)
    if (next.status === connection.status && next.statusReason === connection.statusReason) {
      return false
    }
    await tokenStore.put({
      ...connection,
      ...next,
      updatedAt: (options.now?.() ?? new Date()).toISOString(),
    })
    return true
  }

  const ingest = async (events: readonly GarminWebhookEvent[]): Promise<GarminIngestReport> => {
    let stored = 0
    let deleted = 0
    let connectionsChanged = 0
    let skipped = 0
    const unknownUsers = new Set<string>()
    const failures: GarminIngestFailure[] = []
    for (const event of events) {
      const user = await options.resolveUser(event.providerUserId)
      if (user === undefined) {
        unknownUsers.add(event.providerUserId)
        continue
      }
      const owner: DataOwner = { provider: 'garmin', tenantId: user.tenantId, userId: user.userId }
      try {
        switch (event.kind) {
          case 'upsert': {
            let records: { kind: DataKind; record: DataRecord }[]
            if (event.callbackUrl !== undefined) {
              const fetched = await fetchCallback(
                { ...event, callbackUrl: event.callbackUrl },
                user,
              )
              records = fetched.records
              skipped += fetched.skipped
            } else {
              records = (event.records ?? []).map((record) => ({
                kind: event.resource as DataKind,
                record,
              }))
            }
            for (const { kind, record } of records) {
              await storeRecord(owner, kind, record)
              stored += 1
            }
            break
          }
          case 'delete': {
            const resource = event.resource
            if (resource === 'user') break
            for (const id of event.ids ?? []) {
              if (await store.delete(resource, owner, id)) deleted += 1
              await invalidate(owner, resource, id)
            }
            break
          }
          case 'deauthorized':
            deleted += await deauthorize(owner, user)
            connectionsChanged += 1
            break
          case 'permissions_changed':
            if (await changePermissions(event, user)) connectionsChanged += 1
            break
        }
      } catch (error) {
        // A provider answer concerns this event only; anything else (the store is down) stops all.
        if (!isProviderError(error)) throw error
        failures.push({
          summaryType: event.summaryType,
          providerUserId: event.providerUserId,
          error,
        })
      }
    }
    return {
      stored,
      deleted,
      connectionsChanged,
      unknownUsers: [...unknownUsers],
      skipped,
      failures,
    }
  }

  const schedule =
    options.schedule ??
    ((job: () => Promise<void>) => {
      const running: Promise<void> = job().finally(() => pending.delete(running))
      pending.add(running)
    })

  return {
    verify,
    parse: parseGarminNotification,
    ingest,
    async handle(request) {
      const size =
        typeof request.body === 'string'
          ? Buffer.byteLength(request.body, 'utf8')
          : request.body.byteLength
      if (size > maxBodyBytes) {
        return { status: 413, body: { error: 'payload_too_large' } }
      }
      if (!verify(request.headers)) return { status: 401, body: { error: 'unauthorized' } }
      let parsed: ReturnType<typeof parseGarminNotification>
      try {
        parsed = parseGarminNotification(request.body)
      } catch (error) {
        if (isProviderError(error) && error.code === 'invalid_argument') {
          return { status: 400, body: { error: 'invalid_request', message: error.message } }
        }
        throw error
      }
      const { events, skipped } = parsed
      if (events.length > 0) {
        schedule(async () => {
          try {
            // Not inside `onIngested?.(…)`: optional chaining would skip the ingestion itself.
            const report = await ingest(events)
            hooks.onIngested?.(report)
          } catch (error) {
            hooks.onIngestError?.(error)
          }
        })
      }
      return { status: 200, body: { accepted: events.length, skipped: skipped.length } }
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

function keepDetails(existing: unknown, next: Activity): Activity {
  if (typeof existing !== 'object' || existing === null) return next
  const previous = existing as Activity
  if (next.streams_available === true || previous.streams_available !== true) return next
  return {
    ...next,
    streams_available: true,
    ...(previous.laps === undefined ? {} : { laps: previous.laps }),
    ...(previous.temperature === undefined ? {} : { temperature: previous.temperature }),
    ...(next.moving_time_seconds === undefined && previous.moving_time_seconds !== undefined
      ? { moving_time_seconds: previous.moving_time_seconds }
      : {}),
  }
}

function callbackError(
  error: unknown,
  context: { readonly endpoint: string; readonly summaryType: string },
): unknown {
  if (!isProviderError(error)) return error
  return new ProviderError(
    error.code,
    `garmin ping callback ${context.endpoint} failed: ${error.message}`,
    {
      provider: 'garmin',
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: error.retryAfterSeconds }),
      details: { ...error.details, endpoint: context.endpoint, summary_type: context.summaryType },
      retryable: error.retryable,
      cause: error,
      upstreamBody: error.upstreamBody,
    },
  )
}
