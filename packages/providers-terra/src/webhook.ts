import type {
  DataKind,
  DataOwner,
  HeaderSource,
  ProviderCache,
  ProviderDataStore,
  WebhookEvent,
} from '@pierre/providers-core'
import {
  cacheKeyPrefix,
  invalidateProviderCache,
  isProviderError,
  ProviderError,
  readHeader,
} from '@pierre/providers-core'
import type { TerraConnection, TerraConnectionStore } from './connections.js'
import type { TerraDeliveryLog } from './delivery-log.js'
import { createMemoryTerraDeliveryLog } from './delivery-log.js'
import type { TerraUserRef } from './descriptor.js'
import { parseTerraReferenceId } from './descriptor.js'
import type { Raw } from './internal/read.js'
import type { KindedRecord, MappedTerraType } from './records.js'
import { dataItemIssues, fromStoreId, toStoreRecords } from './records.js'
import type { TerraUserDto, TerraWebhookPayload } from './schemas.js'
import { terraWebhookSchema } from './schemas.js'
import type { TerraRawBody, TerraSignatureFailure } from './signature.js'
import { verifyTerraSignature } from './signature.js'

/** What the handler answers; send `status` with `body` as JSON. */
export interface TerraWebhookResponse {
  readonly status: 200 | 400 | 401 | 409 | 413
  readonly body: Readonly<Record<string, unknown>>
}

/**
 * Handles one Terra webhook delivery, whatever the HTTP framework: pass the exact raw body (never
 * a re-serialised JSON) and the request headers.
 */
export type TerraWebhookHandler = (
  rawBody: TerraRawBody,
  headers: HeaderSource,
) => Promise<TerraWebhookResponse>

/** What {@link TerraWebhookHandlerOptions.onEvent} receives after a delivery was applied. */
export interface TerraWebhookNotice {
  /** Terra's `type` (`activity`, `deauth`…). */
  readonly type: string
  /** The person it concerns. */
  readonly owner: DataOwner
  readonly event: WebhookEvent
}

/** Options of {@link createTerraWebhookHandler}. */
export interface TerraWebhookHandlerOptions {
  /** The destination's signing secret; several while rotating it. */
  readonly signingSecret: string | readonly string[]
  /** Where data deliveries are stored (idempotent upserts). */
  readonly dataStore: ProviderDataStore
  /** Which Terra user belongs to whom; `auth`, `deauth` and the like update it. */
  readonly connections: TerraConnectionStore
  /** Deliveries already accepted (replay refusal); an in-memory log by default. */
  readonly deliveries?: TerraDeliveryLog
  /** How far the signing time may be from now, seconds; 300 by default. */
  readonly toleranceSeconds?: number
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** A provider cache to invalidate after changes (`specs/providers.md` §5.4). */
  readonly cache?: ProviderCache
  /** Larger bodies are refused with 413; 32 MiB by default. */
  readonly maxBodyBytes?: number
  /**
   * Store data only for Terra users with a connection (recorded by the `auth` delivery). With the
   * default `false`, a delivery whose `reference_id` names a person is stored even without one
   * (data may arrive before `auth`); `true` keeps late deliveries from bringing data back after a
   * disconnection, and answers them `ignored`.
   */
  readonly requireConnection?: boolean
  /** Called after a delivery was applied, to start follow-up work (never blocks the answer). */
  readonly onEvent?: (notice: TerraWebhookNotice) => void
}

const provider = 'terra'
const dataTypes: ReadonlySet<string> = new Set(['activity', 'sleep', 'daily', 'body'])
const allKinds: readonly DataKind[] = [
  'activity',
  'streams',
  'sleep',
  'recovery',
  'health',
  'hrv',
  'daily',
]

const reject = (reason: TerraSignatureFailure): TerraWebhookResponse => ({
  status: 401,
  body: { error: 'invalid_signature', reason },
})

const ok = (body: Readonly<Record<string, unknown>>): TerraWebhookResponse => ({
  status: 200,
  body: { status: 'ok', ...body },
})

/**
 * Creates the receiver of Terra's webhooks (`specs/providers.md` §4.5, §6.6). For each delivery it:
 *
 * 1. verifies `terra-signature` (`t=<unix>,v1=<hex>`): HMAC-SHA256 over `<t>.<raw body>` compared
 *    in constant time, and `t` within `toleranceSeconds` of now; otherwise 401, nothing stored;
 * 2. parses the JSON (400 when it is not JSON or not a Terra payload, nothing stored);
 * 3. refuses a delivery it has already accepted (same signature) with 409;
 * 4. applies it: data (`activity`, `sleep`, `daily`, `body`) is mapped and upserted idempotently,
 *    keyed by Terra user and record id, so a re-sent delivery changes nothing; `auth` records the
 *    connection, `deauth` removes it with that Terra user's data, `access_revoked` and
 *    `connection_error` mark it `needs_reauth`, `user_reauth` moves it to the new Terra user,
 *    `permission_change` updates its scopes. Other types are acknowledged and ignored.
 *
 * Everything is stored before the 200, so a failure (the promise rejects; answer 500) makes Terra
 * retry. A delivery for a Terra user nobody connected is acknowledged and ignored.
 *
 * @throws ProviderError `not_configured` when the signing secret is empty.
 *
 * @example
 * ```ts
 * const handle = createTerraWebhookHandler({ signingSecret, dataStore, connections })
 * const { status, body } = await handle(rawBody, request.headers)
 * ```
 */
export function createTerraWebhookHandler(
  options: TerraWebhookHandlerOptions,
): TerraWebhookHandler {
  const secrets =
    typeof options.signingSecret === 'string' ? [options.signingSecret] : options.signingSecret
  if (
    secrets.length === 0 ||
    secrets.some((secret) => typeof secret !== 'string' || secret === '')
  ) {
    throw new ProviderError('not_configured', 'the terra webhook needs a signing secret', {
      provider,
    })
  }
  const now = options.now ?? (() => new Date())
  const toleranceSeconds = options.toleranceSeconds ?? 300
  const deliveries = options.deliveries ?? createMemoryTerraDeliveryLog({ now })
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024
  const { dataStore, connections, cache } = options

  const ownerOf = (user: TerraUserRef): DataOwner => ({
    provider,
    tenantId: user.tenantId,
    userId: user.userId,
  })

  // The connection decides; the reference id (ours, echoed by Terra) is the fallback.
  const resolveOwner = async (
    user: TerraUserDto | null | undefined,
    referenceId: string | null | undefined,
  ): Promise<{ owner: DataOwner; connection: TerraConnection | undefined } | undefined> => {
    if (user === null || user === undefined) return undefined
    const connection = await connections.get(user.user_id)
    if (connection !== undefined) return { owner: ownerOf(connection), connection }
    const reference = parseTerraReferenceId(user.reference_id ?? referenceId)
    return reference === undefined
      ? undefined
      : { owner: ownerOf(reference), connection: undefined }
  }

  const invalidate = async (
    owner: DataOwner,
    activityIds: readonly string[],
    kinds: ReadonlySet<DataKind>,
  ) => {
    if (cache === undefined) return
    const user = { tenantId: owner.tenantId, userId: owner.userId, provider }
    for (const activityId of activityIds)
      await invalidateProviderCache(cache, { ...user, activityId })
    for (const kind of kinds) {
      if (
        kind === 'sleep' ||
        kind === 'recovery' ||
        kind === 'health' ||
        kind === 'hrv' ||
        kind === 'daily'
      ) {
        await cache.deleteByPrefix(cacheKeyPrefix({ ...user, resource: kind }))
      }
    }
  }

  const connectionFrom = (
    user: TerraUserDto,
    owner: DataOwner,
    previous: TerraConnection | undefined,
  ): TerraConnection => {
    const at = now().toISOString()
    return {
      terraUserId: user.user_id,
      tenantId: owner.tenantId,
      userId: owner.userId,
      resource: user.provider ?? previous?.resource,
      scopes: (user.scopes ?? '')
        .split(',')
        .map((scope) => scope.trim())
        .filter((scope) => scope !== ''),
      status: 'connected',
      statusReason: undefined,
      connectedAt: previous?.connectedAt ?? at,
      updatedAt: at,
    }
  }

  // Removes one Terra user's records of one person; the person's other wearables keep theirs.
  const removeTerraUserData = async (owner: DataOwner, terraUserId: string): Promise<number> => {
    let removed = 0
    for (const kind of allKinds) {
      for (const record of await dataStore.query(kind, owner)) {
        if (fromStoreId(record.id)?.terraUserId !== terraUserId) continue
        if (await dataStore.delete(kind, owner, record.id)) removed += 1
      }
    }
    return removed
  }

  type Applied = {
    readonly body: Readonly<Record<string, unknown>>
    readonly notice?: TerraWebhookNotice
  }

  const applyData = async (
    type: MappedTerraType,
    payload: TerraWebhookPayload,
    records: readonly KindedRecord[],
  ): Promise<Applied> => {
    const resolved = await resolveOwner(payload.user, payload.reference_id)
    if (
      resolved === undefined ||
      (options.requireConnection === true && resolved.connection === undefined) ||
      payload.user === null ||
      payload.user === undefined
    ) {
      return { body: { status: 'ignored', type, reason: 'unknown_user' } }
    }
    for (const { kind, record } of records) await dataStore.upsert(kind, resolved.owner, record)
    const activityIds = records
      .filter((entry) => entry.kind === 'activity')
      .map((entry) => fromStoreId(entry.record.id)?.recordId ?? entry.record.id)
    await invalidate(resolved.owner, activityIds, new Set(records.map((entry) => entry.kind)))
    const resource = records[0]?.kind ?? (type === 'body' ? 'health' : type)
    return {
      body: { type, stored: records.length },
      notice: {
        type,
        owner: resolved.owner,
        event: {
          kind: 'upsert',
          resource,
          providerUserId: payload.user.user_id,
          records: records.map((entry) => entry.record),
        },
      },
    }
  }

  const applyLifecycle = async (type: string, payload: TerraWebhookPayload): Promise<Applied> => {
    if (type === 'user_reauth') {
      const oldUser = payload.old_user
      const newUser = payload.new_user ?? payload.user
      const resolved = await resolveOwner(oldUser ?? newUser, payload.reference_id)
      if (resolved === undefined || newUser === null || newUser === undefined) {
        return { body: { status: 'ignored', type, reason: 'unknown_user' } }
      }
      if (oldUser !== null && oldUser !== undefined && oldUser.user_id !== newUser.user_id) {
        await connections.delete(oldUser.user_id)
      }
      await connections.put(connectionFrom(newUser, resolved.owner, resolved.connection))
      return {
        body: { type, connected: newUser.user_id },
        notice: {
          type,
          owner: resolved.owner,
          event: { kind: 'permissions_changed', resource: 'user', providerUserId: newUser.user_id },
        },
      }
    }
    const user = payload.user
    const resolved = await resolveOwner(user, payload.reference_id)
    if (resolved === undefined || user === null || user === undefined) {
      return { body: { status: 'ignored', type, reason: 'unknown_user' } }
    }
    const { owner, connection } = resolved
    switch (type) {
      case 'auth': {
        if (
          payload.status !== undefined &&
          payload.status !== null &&
          payload.status !== 'success'
        ) {
          return { body: { status: 'ignored', type, reason: 'authentication_failed' } }
        }
        await connections.put(connectionFrom(user, owner, connection))
        return {
          body: { type, connected: user.user_id },
          notice: {
            type,
            owner,
            event: { kind: 'permissions_changed', resource: 'user', providerUserId: user.user_id },
          },
        }
      }
      case 'deauth': {
        const existed = await connections.delete(user.user_id)
        const removed = await removeTerraUserData(owner, user.user_id)
        if (cache !== undefined) {
          await invalidateProviderCache(cache, {
            tenantId: owner.tenantId,
            userId: owner.userId,
            provider,
          })
        }
        return {
          body: { type, disconnected: existed, removed },
          notice: {
            type,
            owner,
            event: { kind: 'deauthorized', resource: 'user', providerUserId: user.user_id },
          },
        }
      }
      case 'access_revoked':
      case 'connection_error': {
        if (connection === undefined) {
          return { body: { status: 'ignored', type, reason: 'unknown_connection' } }
        }
        await connections.put({
          ...connection,
          status: 'needs_reauth',
          statusReason: type,
          updatedAt: now().toISOString(),
        })
        return {
          body: { type, needs_reauth: user.user_id },
          notice: {
            type,
            owner,
            event: { kind: 'deauthorized', resource: 'user', providerUserId: user.user_id },
          },
        }
      }
      case 'permission_change': {
        if (connection === undefined) {
          return { body: { status: 'ignored', type, reason: 'unknown_connection' } }
        }
        const updated = connectionFrom(user, owner, connection)
        await connections.put({
          ...updated,
          status: connection.status,
          statusReason: connection.statusReason,
        })
        return {
          body: { type, scopes: updated.scopes },
          notice: {
            type,
            owner,
            event: { kind: 'permissions_changed', resource: 'user', providerUserId: user.user_id },
          },
        }
      }
      default:
        return { body: { status: 'ignored', type, reason: 'unhandled_type' } }
    }
  }

  return async (rawBody, headers) => {
    const size =
      typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.byteLength
    if (size > maxBodyBytes) return { status: 413, body: { error: 'payload_too_large' } }
    const check = verifyTerraSignature(rawBody, readHeader(headers, 'terra-signature'), {
      secret: secrets,
      toleranceSeconds,
      now,
    })
    if (!check.ok) return reject(check.reason)

    let json: unknown
    try {
      json = JSON.parse(
        typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'),
      )
    } catch {
      return { status: 400, body: { error: 'invalid_json' } }
    }
    const parsed = terraWebhookSchema.safeParse(json)
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
    const payload = parsed.data
    const type = payload.type

    // Map every data object before anything is written: one bad object refuses the delivery.
    let records: KindedRecord[] = []
    if (dataTypes.has(type)) {
      const mappedType = type as MappedTerraType
      const items = (payload.data ?? []) as readonly Raw[]
      for (const [index, item] of items.entries()) {
        const issues = dataItemIssues(mappedType, item)
        if (issues.length > 0) {
          return {
            status: 400,
            body: {
              error: 'invalid_payload',
              issues: issues.map((issue) => ({ ...issue, path: `data.${index}.${issue.path}` })),
            },
          }
        }
      }
      const terraUserId = payload.user?.user_id
      if (terraUserId !== undefined) {
        try {
          records = items.flatMap((item) => toStoreRecords(mappedType, item, terraUserId))
        } catch (error) {
          if (isProviderError(error) && error.code === 'invalid_data') {
            return { status: 400, body: { error: 'invalid_payload', message: error.message } }
          }
          throw error
        }
      }
    }

    const deliveryId = check.signature
    const expiresAt = new Date((check.timestamp + toleranceSeconds + 1) * 1000)
    if (!(await deliveries.claim(deliveryId, expiresAt))) {
      return { status: 409, body: { error: 'replayed_delivery' } }
    }
    let applied: Applied
    try {
      applied = dataTypes.has(type)
        ? await applyData(type as MappedTerraType, payload, records)
        : await applyLifecycle(type, payload)
    } catch (error) {
      // Let Terra's retry of this delivery through: nothing was acknowledged.
      await deliveries.release(deliveryId)
      throw error
    }
    if (applied.notice !== undefined) options.onEvent?.(applied.notice)
    return ok(applied.body)
  }
}
