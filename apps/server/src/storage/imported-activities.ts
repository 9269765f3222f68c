import {
  type Activity,
  type ActivityStreams,
  compareActivitiesNewestFirst,
} from '@pierre/providers-core'
import type { ActivityStore, FileFormat, ParsedActivity } from '@pierre/providers-files'
import type Database from 'better-sqlite3'

/** Whose imported activities a store holds: one user of one tenant. */
export interface ImportOwner {
  readonly tenantId: string
  readonly userId: string
}

/** The `files` provider's persistent store, with what a connection status needs. */
export interface ImportedActivityStore extends ActivityStore {
  /** When an activity was last imported, ISO UTC; `undefined` before the first import. */
  lastImportedAt(): string | undefined
}

const PROVIDER = 'files'
const FORMATS: ReadonlySet<string> = new Set(['fit', 'gpx', 'tcx'])

/**
 * Imported activities in the server database (`provider_records`, provider `files`): the
 * summary as kind `activity`, the streams as kind `streams`, both keyed by tenant, user and the
 * activity id (the content hash of the file). Every statement binds the tenant and the user.
 * better-sqlite3 is synchronous, which is what providers-files' `ActivityStore` port expects.
 */
export function createImportedActivityStore(
  db: Database.Database,
  owner: ImportOwner,
  options: { readonly now?: () => Date } = {},
): ImportedActivityStore {
  const now = options.now ?? (() => new Date())
  const scope = [owner.tenantId, owner.userId, PROVIDER] as const
  const where = 'tenant_id = ? AND user_id = ? AND provider = ?'
  const exists = db.prepare(`SELECT 1 FROM provider_records WHERE ${where} AND kind = ? AND id = ?`)
  const selectOne = db.prepare(
    `SELECT payload, format FROM provider_records WHERE ${where} AND kind = ? AND id = ?`,
  )
  const selectAll = db.prepare(
    `SELECT payload FROM provider_records WHERE ${where} AND kind = 'activity' ORDER BY start_at DESC, id DESC`,
  )
  const count = db.prepare(
    `SELECT COUNT(*) AS n FROM provider_records WHERE ${where} AND kind = 'activity'`,
  )
  const latest = db.prepare(
    `SELECT MAX(updated_at) AS at FROM provider_records WHERE ${where} AND kind = 'activity'`,
  )
  const upsert = db.prepare(
    `INSERT INTO provider_records
       (tenant_id, user_id, provider, kind, id, start_at, local_date, format, payload, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, user_id, provider, kind, id) DO UPDATE SET
       start_at = excluded.start_at, local_date = excluded.local_date, format = excluded.format,
       payload = excluded.payload, updated_at = excluded.updated_at`,
  )
  const has = (id: string): boolean => exists.get(...scope, 'activity', id) !== undefined
  const put = db.transaction((parsed: ParsedActivity): boolean => {
    const { activity, streams, format } = parsed
    const isNew = !has(activity.id)
    const at = now().toISOString()
    const localDate = activity.start_date_local?.slice(0, 10) ?? null
    upsert.run(
      ...scope,
      'activity',
      activity.id,
      activity.start_date,
      localDate,
      format,
      JSON.stringify(activity),
      at,
      at,
    )
    upsert.run(
      ...scope,
      'streams',
      activity.id,
      activity.start_date,
      localDate,
      format,
      JSON.stringify(streams),
      at,
      at,
    )
    return isNew
  })

  return {
    has,
    get(id) {
      const summary = selectOne.get(...scope, 'activity', id) as
        | { payload: string; format: string | null }
        | undefined
      const series = selectOne.get(...scope, 'streams', id) as { payload: string } | undefined
      if (summary === undefined || series === undefined) return undefined
      const format = summary.format ?? ''
      return {
        activity: JSON.parse(summary.payload) as Activity,
        streams: JSON.parse(series.payload) as ActivityStreams,
        format: (FORMATS.has(format) ? format : 'fit') as FileFormat,
      }
    },
    put: (parsed) => put.immediate(parsed),
    list() {
      const rows = selectAll.all(...scope) as { payload: string }[]
      return rows
        .map((row) => JSON.parse(row.payload) as Activity)
        .sort(compareActivitiesNewestFirst)
    },
    get size() {
      return (count.get(...scope) as { n: number }).n
    },
    lastImportedAt() {
      return (latest.get(...scope) as { at: string | null }).at ?? undefined
    },
  }
}
