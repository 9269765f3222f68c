import type { DataKind, DataRecord, WebhookEvent } from '@pierre/providers-core'
import { ProviderError, parseJsonPreservingBigIntegers } from '@pierre/providers-core'
import { z } from 'zod'
import type { GarminSummaryType } from './descriptor.js'
import { garminSummaryTypes } from './descriptor.js'
import {
  localMidnightOf,
  mapGarminActivity,
  mapGarminActivityDetails,
  mapGarminBodyComposition,
  mapGarminDaily,
  mapGarminDailyRecovery,
  mapGarminHrv,
  mapGarminSleep,
  mapGarminUserMetrics,
  offsetOf,
} from './mapping.js'

/**
 * A Garmin notification as a {@link WebhookEvent}, with what only Garmin has: the summary type it
 * came under, the `callbackURL` of a ping (fetch it to get the records) and the new permission set
 * of a `userPermissionsChange`.
 */
export interface GarminWebhookEvent extends WebhookEvent {
  readonly summaryType: GarminSummaryType
  /** Ping mode: where the summaries wait (it carries a short-lived token; never log it). */
  readonly callbackUrl?: string
  /** `permissions_changed`: the permissions the user grants now. */
  readonly permissions?: readonly string[]
}

/** Why an item of a notification produced no event. */
export type GarminSkipReason =
  | 'unknown_summary_type'
  | 'unsupported_summary_type'
  | 'activity_files_not_supported'
  | 'invalid_item'

/** One item of a notification that produced no event. */
export interface GarminSkippedItem {
  readonly summaryType: string
  /** Position of the item in its array. */
  readonly index: number
  readonly reason: GarminSkipReason
  /** For `invalid_item`: what was wrong (path and message of each problem). */
  readonly issues?: readonly { readonly path: string; readonly message: string }[]
}

/** What {@link parseGarminNotification} found in one delivery. */
export interface GarminNotification {
  readonly events: readonly GarminWebhookEvent[]
  readonly skipped: readonly GarminSkippedItem[]
}

const calendarDate = z.iso.date()
// Epoch seconds between 1970 and 3000.
const epochSeconds = z.number().min(0).max(32_503_680_000)
const idSchema = z.union([z.string().min(1), z.number().int().nonnegative()])
const userId = z.string().min(1)
const withOneId = (value: { summaryId?: unknown; activityId?: unknown }) =>
  (value.summaryId !== undefined && value.summaryId !== null) ||
  (value.activityId !== undefined && value.activityId !== null)
const activityShape = z
  .looseObject({
    userId,
    summaryId: idSchema.nullish(),
    activityId: idSchema.nullish(),
    startTimeInSeconds: epochSeconds,
  })
  .refine(withOneId, { message: 'summaryId or activityId is required', path: ['summaryId'] })

// The members the mappers rely on; the rest of each item passes through loosely (spec §1).
const itemSchemas: Partial<Record<GarminSummaryType, z.ZodType>> = {
  activities: activityShape,
  manuallyUpdatedActivities: activityShape,
  activityDetails: z
    .looseObject({
      userId,
      activityId: idSchema.nullish(),
      summary: z
        .looseObject({
          summaryId: idSchema.nullish(),
          activityId: idSchema.nullish(),
          startTimeInSeconds: epochSeconds,
        })
        .refine(withOneId, { message: 'summaryId or activityId is required' }),
      samples: z.array(z.looseObject({})).nullish(),
      laps: z.array(z.looseObject({})).nullish(),
    })
    .refine((value) => withOneId(value.summary) || withOneId(value), {
      message: 'an activity id is required',
    }),
  sleeps: z.looseObject({
    userId,
    summaryId: idSchema,
    startTimeInSeconds: epochSeconds,
    calendarDate: calendarDate.nullish(),
  }),
  dailies: z.looseObject({ userId, summaryId: idSchema, calendarDate }),
  hrv: z.looseObject({
    userId,
    summaryId: idSchema,
    calendarDate,
    lastNightAvg: z.number().nonnegative(),
  }),
  userMetrics: z.looseObject({ userId, summaryId: idSchema, calendarDate }),
  bodyComps: z.looseObject({ userId, summaryId: idSchema, measurementTimeInSeconds: epochSeconds }),
  deregistrations: z.looseObject({ userId }),
  userPermissionsChange: z.looseObject({ userId, permissions: z.array(z.string()) }),
}

const pingSchema = z.looseObject({ userId, callbackURL: z.url({ protocol: /^https?$/ }) })
const envelopeSchema = z.record(z.string(), z.array(z.unknown()))

type Item = Readonly<Record<string, unknown>>

/** The stored records of one summary item, by kind. */
interface KindRecord {
  readonly kind: DataKind
  readonly record: DataRecord
}

const isoOf = (instant: string): string => new Date(instant).toISOString()

/**
 * Returns the normalized records of one validated summary item, keyed by its summary id: an
 * activity (and its streams for `activityDetails`), a sleep, a day (summary and recovery), an
 * HRV night or a health measurement. Day records carry the calendar date and the local midnight.
 */
export function recordsOfItem(summaryType: GarminSummaryType, item: Item): readonly KindRecord[] {
  switch (summaryType) {
    case 'activities':
    case 'manuallyUpdatedActivities': {
      const activity = mapGarminActivity(item)
      return [
        {
          kind: 'activity',
          record: { id: activity.id, start: isoOf(activity.start_date), payload: activity },
        },
      ]
    }
    case 'activityDetails': {
      const { activity, streams } = mapGarminActivityDetails(item)
      const start = isoOf(activity.start_date)
      return [
        { kind: 'activity', record: { id: activity.id, start, payload: activity } },
        ...(streams === undefined
          ? []
          : [{ kind: 'streams' as const, record: { id: activity.id, start, payload: streams } }]),
      ]
    }
    case 'sleeps': {
      const sleep = mapGarminSleep(item)
      return [
        { kind: 'sleep', record: { id: sleep.id, start: isoOf(sleep.start_time), payload: sleep } },
      ]
    }
    case 'dailies': {
      const daily = mapGarminDaily(item)
      const recovery = mapGarminDailyRecovery(item)
      const id = String(item.summaryId)
      const day = { date: daily.calendar_date, start: isoOf(recovery.date) }
      return [
        { kind: 'daily', record: { id, ...day, payload: daily } },
        { kind: 'recovery', record: { id, ...day, payload: recovery } },
      ]
    }
    case 'hrv': {
      const hrv = mapGarminHrv(item)
      const offset = offsetOf(item.startTimeOffsetInSeconds)
      return [
        {
          kind: 'hrv',
          record: {
            id: String(item.summaryId),
            date: hrv.calendar_date,
            start: isoOf(localMidnightOf(hrv.calendar_date, offset)),
            payload: hrv,
          },
        },
      ]
    }
    case 'userMetrics':
    case 'bodyComps': {
      const health =
        summaryType === 'userMetrics' ? mapGarminUserMetrics(item) : mapGarminBodyComposition(item)
      return [
        {
          kind: 'health',
          // Both types share the health table; their summary ids are only unique per type.
          record: {
            id: `${summaryType}:${String(item.summaryId)}`,
            ...(health.calendar_date === null || health.calendar_date === undefined
              ? {}
              : { date: health.calendar_date }),
            start: isoOf(health.date),
            payload: health,
          },
        },
      ]
    }
    default:
      return []
  }
}

/** Returns whether Pierre stores this summary type (the others are skipped, not failed). */
function isStoredSummaryType(summaryType: GarminSummaryType): boolean {
  return (
    itemSchemas[summaryType] !== undefined &&
    summaryType !== 'deregistrations' &&
    summaryType !== 'userPermissionsChange'
  )
}

/**
 * Validates one summary item; returns the issues when it does not fit what the mappers need.
 */
export function checkItem(
  summaryType: GarminSummaryType,
  item: unknown,
): { readonly ok: true; readonly item: Item } | { readonly ok: false; readonly issues: Issue[] } {
  const schema = itemSchemas[summaryType]
  if (schema === undefined) return { ok: false, issues: [{ path: '', message: 'not stored' }] }
  const result = schema.safeParse(item)
  return result.success
    ? { ok: true, item: result.data as Item }
    : { ok: false, issues: issuesOf(result.error) }
}

interface Issue {
  readonly path: string
  readonly message: string
}

function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}

const knownTypes: ReadonlySet<string> = new Set(garminSummaryTypes)

/**
 * Parses the body of a Garmin push or ping delivery (`{"<summaryType>": [items…]}`, several types
 * possibly batched) into events: inline summaries become `upsert` events carrying normalized
 * records (grouped by kind and user), ping items (`{userId, callbackURL}`) become `upsert` events
 * with a `callbackUrl` to fetch, `deregistrations` become `deauthorized` and
 * `userPermissionsChange` `permissions_changed` events. Items that cannot be used are listed in
 * `skipped` with the reason; `activityFiles` (FIT downloads) are not supported yet.
 *
 * @throws ProviderError `invalid_argument` when the body is not UTF-8 JSON or not an object whose
 *   members are arrays; nothing of such a body is used.
 *
 * @example
 * ```ts
 * const { events } = parseGarminNotification('{"deregistrations":[{"userId":"d3315b10"}]}')
 * // [{ kind: 'deauthorized', resource: 'user', providerUserId: 'd3315b10', summaryType: … }]
 * ```
 */
export function parseGarminNotification(body: string | Uint8Array): GarminNotification {
  const envelope = parseEnvelope(body)
  const ordered: (GarminWebhookEvent | { readonly group: string })[] = []
  const skipped: GarminSkippedItem[] = []
  const groups = new Map<string, Group>()
  for (const [type, items] of Object.entries(envelope)) {
    items.forEach((item, index) => {
      if (!knownTypes.has(type)) {
        skipped.push({ summaryType: type, index, reason: 'unknown_summary_type' })
        return
      }
      const summaryType = type as GarminSummaryType
      if (summaryType === 'activityFiles') {
        skipped.push({ summaryType, index, reason: 'activity_files_not_supported' })
        return
      }
      if (itemSchemas[summaryType] === undefined) {
        skipped.push({ summaryType, index, reason: 'unsupported_summary_type' })
        return
      }
      const isPing =
        typeof item === 'object' &&
        item !== null &&
        'callbackURL' in item &&
        isStoredSummaryType(summaryType)
      if (isPing) {
        const ping = pingSchema.safeParse(item)
        if (!ping.success) {
          skipped.push({ summaryType, index, reason: 'invalid_item', issues: issuesOf(ping.error) })
          return
        }
        ordered.push({
          kind: 'upsert',
          resource: resourceOf(summaryType),
          providerUserId: ping.data.userId,
          summaryType,
          callbackUrl: ping.data.callbackURL,
        })
        return
      }
      const checked = checkItem(summaryType, item)
      if (!checked.ok) {
        skipped.push({ summaryType, index, reason: 'invalid_item', issues: checked.issues })
        return
      }
      const user = String(checked.item.userId)
      if (summaryType === 'deregistrations') {
        ordered.push({ kind: 'deauthorized', resource: 'user', providerUserId: user, summaryType })
        return
      }
      if (summaryType === 'userPermissionsChange') {
        ordered.push({
          kind: 'permissions_changed',
          resource: 'user',
          providerUserId: user,
          summaryType,
          permissions: checked.item.permissions as string[],
        })
        return
      }
      for (const { kind, record } of recordsOfItem(summaryType, checked.item)) {
        const group = JSON.stringify([summaryType, kind, user])
        let entry = groups.get(group)
        if (entry === undefined) {
          entry = { kind, user, summaryType, records: [] }
          groups.set(group, entry)
          ordered.push({ group })
        }
        entry.records.push(record)
      }
    })
  }
  const events = ordered.map((entry): GarminWebhookEvent => {
    if (!('group' in entry)) return entry
    const { kind, user, summaryType, records } = groups.get(entry.group) as Group
    return {
      kind: 'upsert',
      resource: kind,
      providerUserId: user,
      summaryType,
      ids: records.map((record) => record.id),
      records,
    }
  })
  return { events, skipped }
}

// Inline records of one summary type, kind and user, collected into one event.
interface Group {
  readonly kind: DataKind
  readonly user: string
  readonly summaryType: GarminSummaryType
  readonly records: DataRecord[]
}

/** The kind a ping of this summary type fills first (`activityDetails` fill streams too). */
function resourceOf(summaryType: GarminSummaryType): DataKind {
  switch (summaryType) {
    case 'sleeps':
      return 'sleep'
    case 'dailies':
      return 'daily'
    case 'hrv':
      return 'hrv'
    case 'userMetrics':
    case 'bodyComps':
      return 'health'
    default:
      return 'activity'
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function parseEnvelope(body: string | Uint8Array): Record<string, unknown[]> {
  let text: string
  let value: unknown
  try {
    text = typeof body === 'string' ? body : decoder.decode(body)
    value = parseJsonPreservingBigIntegers(text)
  } catch (error) {
    throw new ProviderError('invalid_argument', 'garmin notification is not valid JSON', {
      provider: 'garmin',
      cause: error,
    })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProviderError(
      'invalid_argument',
      'garmin notification must be a JSON object of summary arrays, received a non-object',
      { provider: 'garmin', details: { issues: [{ path: '', message: 'expected an object' }] } },
    )
  }
  const result = envelopeSchema.safeParse(value)
  if (!result.success) {
    const issues = issuesOf(result.error)
    throw new ProviderError(
      'invalid_argument',
      `garmin notification must map each summary type to an array: ${issues
        .map((issue) => `${issue.path || '(root)'} ${issue.message}`)
        .join('; ')}`.slice(0, 300),
      { provider: 'garmin', details: { issues } },
    )
  }
  return result.data
}
