import { createHash, timingSafeEqual } from 'node:crypto'
import type {
  Activity,
  DataOwner,
  DataRecord,
  HeaderSource,
  ProviderCache,
  ProviderDataStore,
  WebhookEvent,
} from '@pierre/providers-core'
import {
  invalidateProviderCache,
  isProviderError,
  ProviderError,
  readHeader,
} from '@pierre/providers-core'
import { z } from 'zod'
import { okResult } from './internal/envelope.js'
import { mapCorosWorkout } from './mapping.js'

/** The exact body COROS expects back; anything else makes it deliver again. */
const acknowledgement = Object.freeze({ result: okResult, message: 'OK' })

/** What the handler answers; send `status` with `body` as JSON. */
export interface CorosPushResponse {
  readonly status: 200 | 400 | 401 | 413
  readonly body: Readonly<Record<string, unknown>>
}

/**
 * Handles one sport-data push from COROS, whatever the HTTP framework: pass the raw body and the
 * request headers.
 */
export type CorosPushHandler = (
  rawBody: string | Uint8Array,
  headers: HeaderSource,
) => Promise<CorosPushResponse>

/** A COROS user, as the application knows them. */
export interface CorosUserRef {
  readonly tenantId: string
  readonly userId: string
}

/** What {@link CorosPushHandlerOptions.onEvent} receives after a push was stored. */
export interface CorosPushNotice {
  readonly owner: DataOwner
  readonly event: WebhookEvent
}

/** Options of {@link createCorosPushHandler}. */
export interface CorosPushHandlerOptions {
  /** The application's client id; COROS sends it in the `client` header. */
  readonly clientId: string
  /** The application's client secret; COROS sends it in the `secret` header. */
  readonly clientSecret: string
  /** Where pushed workouts are stored (idempotent upserts keyed by `labelId`). */
  readonly dataStore: ProviderDataStore
  /** Finds who a COROS `openId` belongs to; undefined for someone nobody connected. */
  readonly resolveUser: (openId: string) => Promise<CorosUserRef | undefined>
  /** A provider cache to invalidate for each stored workout (`specs/providers.md` §5.4). */
  readonly cache?: ProviderCache
  /** Larger bodies are refused with 413; 5 MiB by default. */
  readonly maxBodyBytes?: number
  /** Called once per user after their workouts were stored (never blocks the answer). */
  readonly onEvent?: (notice: CorosPushNotice) => void
}

const provider = 'coros'

const pushSchema = z.looseObject({
  openId: z.string().min(1).optional(),
  sportDataList: z.array(
    z.looseObject({
      openId: z.string().min(1).optional(),
      labelId: z.union([z.string().min(1), z.number()]),
      startTime: z.number(),
    }),
  ),
})

// Compares digests, so neither the content nor the length of the secret leaks through timing.
function sameSecret(received: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  const matches = timingSafeEqual(digest(received ?? ''), digest(expected))
  return received !== undefined && matches
}

/**
 * Creates the receiver of COROS's sport-data push (`specs/providers.md` §4.5, §6.5). For each
 * delivery it:
 *
 * 1. checks the `client` and `secret` headers against the application's client id and secret,
 *    in constant time; otherwise 401 and nothing is stored;
 * 2. parses `{"sportDataList": [workout…]}` (400 when it is not JSON or not that shape, or when a
 *    workout cannot be mapped; nothing is stored);
 * 3. maps each workout to an activity and upserts it for the user its `openId` belongs to, keyed
 *    by `labelId`, so a repeated delivery changes nothing; workouts of unknown users are skipped;
 * 4. answers 200 with exactly `{"result":"0000","message":"OK"}`, the acknowledgement COROS
 *    expects (anything else is delivered again).
 *
 * Everything is stored before the answer, so a failure (the promise rejects; answer 500) makes
 * COROS deliver again.
 *
 * @throws ProviderError `not_configured` when the client id or secret is empty.
 *
 * @example
 * ```ts
 * const handle = createCorosPushHandler({ clientId, clientSecret, dataStore, resolveUser })
 * const { status, body } = await handle(rawBody, request.headers)
 * ```
 */
export function createCorosPushHandler(options: CorosPushHandlerOptions): CorosPushHandler {
  if (options.clientId === '' || options.clientSecret === '') {
    throw new ProviderError('not_configured', 'the coros push needs the client id and secret', {
      provider,
    })
  }
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024
  const { dataStore, cache } = options

  return async (rawBody, headers) => {
    const size =
      typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.byteLength
    if (size > maxBodyBytes) return { status: 413, body: { error: 'payload_too_large' } }
    const clientOk = sameSecret(readHeader(headers, 'client'), options.clientId)
    const secretOk = sameSecret(readHeader(headers, 'secret'), options.clientSecret)
    if (!clientOk || !secretOk) return { status: 401, body: { error: 'invalid_credentials' } }

    let json: unknown
    try {
      json = JSON.parse(
        typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'),
      )
    } catch {
      return { status: 400, body: { error: 'invalid_json' } }
    }
    const parsed = pushSchema.safeParse(json)
    if (!parsed.success) {
      return {
        status: 400,
        body: {
          error: 'invalid_payload',
          issues: parsed.error.issues.slice(0, 10).map((issue) => ({
            path: issue.path.map(String).join('.'),
            message: issue.message,
          })),
        },
      }
    }

    // Map everything before writing anything: one bad workout refuses the delivery.
    const byOpenId = new Map<string, Activity[]>()
    for (const [index, workout] of parsed.data.sportDataList.entries()) {
      const openId = workout.openId ?? parsed.data.openId
      if (openId === undefined) {
        return {
          status: 400,
          body: {
            error: 'invalid_payload',
            issues: [{ path: `sportDataList.${index}.openId`, message: 'missing openId' }],
          },
        }
      }
      let activity: Activity
      try {
        activity = mapCorosWorkout(workout)
      } catch (error) {
        if (isProviderError(error) && error.code === 'invalid_data') {
          return {
            status: 400,
            body: { error: 'invalid_payload', message: `sportDataList.${index}: ${error.message}` },
          }
        }
        throw error
      }
      byOpenId.set(openId, [...(byOpenId.get(openId) ?? []), activity])
    }

    const notices: CorosPushNotice[] = []
    for (const [openId, activities] of byOpenId) {
      const user = await options.resolveUser(openId)
      if (user === undefined) continue
      const owner: DataOwner = { provider, tenantId: user.tenantId, userId: user.userId }
      const records: DataRecord[] = activities.map((activity) => ({
        id: activity.id,
        start: activity.start_date,
        payload: activity,
      }))
      for (const record of records) await dataStore.upsert('activity', owner, record)
      if (cache !== undefined) {
        for (const activity of activities) {
          await invalidateProviderCache(cache, { ...user, provider, activityId: activity.id })
        }
      }
      notices.push({
        owner,
        event: { kind: 'upsert', resource: 'activity', providerUserId: openId, records },
      })
    }
    for (const notice of notices) options.onEvent?.(notice)
    return { status: 200, body: acknowledgement }
  }
}
