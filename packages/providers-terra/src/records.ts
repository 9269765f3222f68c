import type {
  Activity,
  DailySummary,
  DataKind,
  DataRecord,
  HealthMetrics,
  HrvDaily,
  RecoveryMetrics,
  SleepSession,
} from '@pierre/providers-core'
import { ProviderError } from '@pierre/providers-core'
import type { Raw } from './internal/read.js'
import { dateStartMs, toSortableInstant } from './internal/time.js'
import {
  mapTerraActivity,
  mapTerraActivityStreams,
  mapTerraBody,
  mapTerraDaily,
  mapTerraDailyRecovery,
  mapTerraSleep,
  mapTerraSleepHrv,
} from './mapping.js'
import { terraDataItemSchema, terraTimedItemSchema } from './schemas.js'

/** The Terra data types that map to the normalized model. */
export type MappedTerraType = 'activity' | 'sleep' | 'daily' | 'body'

/** One normalized record ready for the data store. */
export interface KindedRecord {
  readonly kind: DataKind
  readonly record: DataRecord
}

/**
 * The store id of a record: the Terra user, then the record's own id. Keeping the Terra user in
 * the id lets a deauthorization remove one wearable's data while the person's others stay.
 */
export function toStoreId(terraUserId: string, recordId: string): string {
  return `${encodeURIComponent(terraUserId)}:${recordId}`
}

/** The Terra user and record id of a store id made by {@link toStoreId}. */
export function fromStoreId(
  storeId: string,
): { readonly terraUserId: string; readonly recordId: string } | undefined {
  const separator = storeId.indexOf(':')
  if (separator <= 0) return undefined
  try {
    return {
      terraUserId: decodeURIComponent(storeId.slice(0, separator)),
      recordId: storeId.slice(separator + 1),
    }
  } catch {
    // Not one of ours: an id written by something else.
    return undefined
  }
}

/**
 * Checks that a data object is usable (a start, and an end for activities and sleep); returns the
 * problems, empty when it is.
 */
export function dataItemIssues(
  type: MappedTerraType,
  item: unknown,
): readonly { readonly path: string; readonly message: string }[] {
  const schema =
    type === 'activity' || type === 'sleep' ? terraTimedItemSchema : terraDataItemSchema
  const result = schema.safeParse(item)
  if (result.success) return []
  return result.error.issues.slice(0, 10).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}

const dated = (date: string, id: string, payload: unknown): DataRecord => ({ id, date, payload })

/**
 * Maps one Terra data object to the records it feeds: an activity (and its streams when it
 * carries samples), a sleep session (and that night's HRV), a daily summary (and that day's
 * recovery metrics), or body metrics.
 *
 * @throws ProviderError `invalid_data` when the object lacks a usable start or end.
 */
export function toStoreRecords(
  type: MappedTerraType,
  item: Raw,
  terraUserId: string,
): KindedRecord[] {
  switch (type) {
    case 'activity': {
      const activity: Activity = mapTerraActivity(item)
      const start = toSortableInstant(Date.parse(activity.start_date))
      const records: KindedRecord[] = [
        {
          kind: 'activity',
          record: { id: toStoreId(terraUserId, activity.id), start, payload: activity },
        },
      ]
      if (activity.streams_available === true) {
        const streams = mapTerraActivityStreams(item)
        if (streams.time.length > 0) {
          records.push({
            kind: 'streams',
            record: { id: toStoreId(terraUserId, activity.id), start, payload: streams },
          })
        }
      }
      return records
    }
    case 'sleep': {
      const session: SleepSession = mapTerraSleep(item)
      const hrv: HrvDaily | undefined = mapTerraSleepHrv(item)
      const id = toStoreId(terraUserId, session.id)
      const records: KindedRecord[] = [
        {
          kind: 'sleep',
          record: {
            id,
            start: toSortableInstant(Date.parse(session.start_time)),
            payload: session,
          },
        },
      ]
      if (hrv !== undefined)
        records.push({ kind: 'hrv', record: dated(hrv.calendar_date, id, hrv) })
      return records
    }
    case 'daily': {
      const summary: DailySummary = mapTerraDaily(item)
      const recovery: RecoveryMetrics = mapTerraDailyRecovery(item)
      const id = toStoreId(terraUserId, summary.calendar_date)
      return [
        { kind: 'daily', record: dated(summary.calendar_date, id, summary) },
        { kind: 'recovery', record: dated(recovery.calendar_date, id, recovery) },
      ]
    }
    case 'body': {
      const metrics: HealthMetrics = mapTerraBody(item)
      const date = metrics.calendar_date as string
      return [{ kind: 'health', record: dated(date, toStoreId(terraUserId, date), metrics) }]
    }
    default: {
      const unknown: never = type
      throw new ProviderError('invalid_argument', `unknown terra data type ${String(unknown)}`, {
        provider: 'terra',
      })
    }
  }
}

/**
 * Whether a record belongs to the window `[startMs, endMs)`: activities by start, sleep by end
 * (a night belongs to the day one wakes up), dated kinds by their calendar date at 00:00 UTC.
 */
export function recordInWindow(
  entry: KindedRecord,
  window: { readonly startMs: number; readonly endMs: number },
): boolean {
  const { kind, record } = entry
  let at: number
  if (kind === 'sleep') at = Date.parse((record.payload as SleepSession).end_time)
  else if (record.date !== undefined) at = dateStartMs(record.date)
  else if (record.start !== undefined) at = Date.parse(record.start)
  else return false
  return at >= window.startMs && at < window.endMs
}
