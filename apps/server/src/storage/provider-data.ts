import {
  type DataKind,
  type DataOwner,
  type DataQuery,
  type DataRecord,
  type ProviderDataStore,
  ProviderError,
} from '@pierre/providers-core'
import type Database from 'better-sqlite3'
import { z } from 'zod'

/** Options of {@link createSqliteDataStore}. */
export interface SqliteDataStoreOptions {
  /** Current time, for the rows' `created_at`/`updated_at`; `() => new Date()` by default. */
  readonly now?: () => Date
}

// Every kind of the port: `satisfies` fails to compile when providers-core adds one.
const dataKinds = {
  activity: true,
  streams: true,
  sleep: true,
  recovery: true,
  health: true,
  hrv: true,
  daily: true,
} as const satisfies Record<DataKind, true>
const knownKinds: ReadonlySet<string> = new Set(Object.keys(dataKinds))

// An instant with an explicit offset (`Z` or `±hh:mm`): text without one would be read in the
// server's time zone. Calendar dates are checked for real days (no 2025-02-30).
const instantSchema = z.iso.datetime({ offset: true })
const dateSchema = z.iso.date()
// A lone UTF-16 surrogate cannot be stored as SQLite text: it would come back as U+FFFD.
const loneSurrogate = /[\uD800-\uDFFF]/u

interface Row {
  readonly id: string
  readonly start_at: string | null
  readonly local_date: string | null
  readonly instant_ms: number | null
  readonly payload: string
}

const invalid = (message: string, details: Record<string, unknown>): ProviderError =>
  new ProviderError('invalid_argument', message, { details })

/** Whether a value can be stored at all; a value that cannot is never found. */
const storable = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && !loneSurrogate.test(value)

function checkText(value: unknown, what: string): string {
  if (!storable(value)) {
    throw invalid(`${what} must be a non-empty string of well-formed unicode`, { field: what })
  }
  return value
}

function checkScope(kind: DataKind, owner: DataOwner): void {
  if (!knownKinds.has(kind)) {
    throw invalid(`unknown data kind ${JSON.stringify(kind)}`, { kind, expected: [...knownKinds] })
  }
  checkText(owner.provider, 'provider')
  checkText(owner.tenantId, 'tenantId')
  checkText(owner.userId, 'userId')
}

function instantMs(value: unknown, what: string, example: string): number {
  const ms =
    typeof value === 'string' && instantSchema.safeParse(value).success
      ? Date.parse(value)
      : Number.NaN
  if (!Number.isFinite(ms)) {
    throw invalid(
      `${what} must be an ISO-8601 date-time with an offset, such as ${example}; received ${JSON.stringify(String(value).slice(0, 64))}`,
      { field: what },
    )
  }
  return ms
}

function dateMs(date: unknown): number {
  const ms =
    typeof date === 'string' && dateSchema.safeParse(date).success
      ? Date.parse(`${date}T00:00:00Z`)
      : Number.NaN
  if (!Number.isFinite(ms)) {
    throw invalid(
      `date must be a calendar date YYYY-MM-DD, such as 2025-03-14; received ${JSON.stringify(String(date).slice(0, 64))}`,
      { field: 'date' },
    )
  }
  return ms
}

/**
 * The instant of a record in ms: `start`, else `date` at 00:00 UTC; null without either. Both are
 * checked when both are given, though `start` alone orders the record.
 */
function instantOfRecord(record: DataRecord): number | null {
  const fromDate = record.date === undefined ? null : dateMs(record.date)
  if (record.start === undefined) return fromDate
  return instantMs(record.start, 'start', '2025-03-14T07:02:13+02:00')
}

function payloadText(payload: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(payload)
  } catch (error) {
    throw new ProviderError('invalid_argument', 'payload must be serializable as JSON', {
      details: { field: 'payload' },
      cause: error,
    })
  }
  if (text === undefined) throw invalid('payload must be a JSON value', { field: 'payload' })
  return text
}

function checkQuery(query: DataQuery): { from: number; to: number } | undefined {
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 0)) {
    throw invalid(`limit must be a non-negative integer; received ${String(query.limit)}`, {
      field: 'limit',
    })
  }
  if (query.range === undefined) return undefined
  return {
    from: instantMs(query.range.start, 'range.start', '2025-03-14T00:00:00Z'),
    to: instantMs(query.range.end, 'range.end', '2025-03-21T00:00:00Z'),
  }
}

function toRecord(row: Row): DataRecord {
  return {
    id: row.id,
    ...(row.start_at === null ? {} : { start: row.start_at }),
    ...(row.local_date === null ? {} : { date: row.local_date }),
    payload: JSON.parse(row.payload) as unknown,
  }
}

/**
 * Newest first, rows without an instant last, ties by id as JavaScript compares strings (UTF-16
 * code units). SQLite compares text as UTF-8 bytes, which differs for ids mixing characters above
 * U+FFFF with ones in U+E000–U+FFFF, so the final order is always settled here.
 */
function compareRows(left: Row, right: Row): number {
  if (left.instant_ms !== right.instant_ms) {
    if (left.instant_ms === null) return 1
    if (right.instant_ms === null) return -1
    return right.instant_ms - left.instant_ms
  }
  return left.id < right.id ? -1 : left.id > right.id ? 1 : 0
}

/**
 * A {@link ProviderDataStore} in the server database: the `provider_records` table, one row per
 * (tenant, user, provider, kind, id), the payload as JSON text and the record's instant in
 * `instant_ms` (epoch ms of `start`, else of `date` at 00:00 UTC) for ordering and ranges. Every
 * statement binds the tenant and the user.
 *
 * Inputs are checked rather than stored in a wrong order: a `start` that is not an ISO-8601
 * date-time with an offset (`Z` or `±hh:mm`), a `date` that is not `YYYY-MM-DD`, a range bound of
 * the same kind, a negative or fractional limit, an empty id or owner field, or a payload that is
 * not JSON are refused with a `ProviderError` `invalid_argument`. Payloads go through JSON: members
 * that are `undefined` are dropped, as JSON drops them.
 */
export function createSqliteDataStore(
  db: Database.Database,
  options: SqliteDataStoreOptions = {},
): ProviderDataStore {
  const now = options.now ?? (() => new Date())
  const scope = 'tenant_id = ? AND user_id = ? AND provider = ?'
  const columns = 'id, start_at, local_date, instant_ms, payload'
  const upsert = db.prepare(
    `INSERT INTO provider_records
       (tenant_id, user_id, provider, kind, id, start_at, local_date, instant_ms, format, payload, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
     ON CONFLICT (tenant_id, user_id, provider, kind, id) DO UPDATE SET
       start_at = excluded.start_at, local_date = excluded.local_date,
       instant_ms = excluded.instant_ms, format = excluded.format, payload = excluded.payload,
       updated_at = excluded.updated_at`,
  )
  const removeOne = db.prepare(
    `DELETE FROM provider_records WHERE ${scope} AND kind = ? AND id = ?`,
  )
  const selectOne = db.prepare(
    `SELECT ${columns} FROM provider_records WHERE ${scope} AND kind = ? AND id = ?`,
  )
  const order = 'ORDER BY instant_ms DESC NULLS LAST, id ASC'
  const selectAll = db.prepare(
    `SELECT ${columns} FROM provider_records WHERE ${scope} AND kind = ? ${order}`,
  )
  const selectAllLimited = db.prepare(
    `SELECT ${columns} FROM provider_records WHERE ${scope} AND kind = ? ${order} LIMIT ?`,
  )
  const inRange = 'instant_ms >= ? AND instant_ms < ?'
  const selectRange = db.prepare(
    `SELECT ${columns} FROM provider_records WHERE ${scope} AND kind = ? AND ${inRange} ${order}`,
  )
  const selectRangeLimited = db.prepare(
    `SELECT ${columns} FROM provider_records WHERE ${scope} AND kind = ? AND ${inRange} ${order} LIMIT ?`,
  )
  const selectAt = db.prepare(
    `SELECT ${columns} FROM provider_records WHERE ${scope} AND kind = ? AND instant_ms IS ?`,
  )
  const removeOwner = db.prepare(`DELETE FROM provider_records WHERE ${scope}`)

  const ownerOf = (owner: DataOwner) => [owner.tenantId, owner.userId, owner.provider] as const

  const select = (
    kind: DataKind,
    owner: DataOwner,
    query: { bounds: { from: number; to: number } | undefined; limit: number | undefined },
  ): Row[] => {
    const { bounds, limit } = query
    const key = [...ownerOf(owner), kind] as const
    if (bounds === undefined) {
      return (
        limit === undefined ? selectAll.all(...key) : selectAllLimited.all(...key, limit)
      ) as Row[]
    }
    return (
      limit === undefined
        ? selectRange.all(...key, bounds.from, bounds.to)
        : selectRangeLimited.all(...key, bounds.from, bounds.to, limit)
    ) as Row[]
  }

  const query = db.transaction(
    (kind: DataKind, owner: DataOwner, request: DataQuery): readonly DataRecord[] => {
      const bounds = checkQuery(request)
      const limit = request.limit
      if (limit === 0) return []
      let rows = select(kind, owner, { bounds, limit })
      const last = rows.at(-1)
      if (limit !== undefined && last !== undefined && rows.length === limit) {
        // SQLite cut the page inside the group of rows sharing the last instant by its own
        // (UTF-8) id order: take that whole group and cut it again in JavaScript's order.
        const tied = selectAt.all(...ownerOf(owner), kind, last.instant_ms) as Row[]
        rows = [...rows.filter((row) => row.instant_ms !== last.instant_ms), ...tied]
      }
      rows.sort(compareRows)
      return (limit === undefined ? rows : rows.slice(0, limit)).map(toRecord)
    },
  )

  return {
    async upsert(kind, owner, record) {
      checkScope(kind, owner)
      const id = checkText(record.id, 'id')
      const instant = instantOfRecord(record)
      const payload = payloadText(record.payload)
      const at = now().toISOString()
      upsert.run(
        ...ownerOf(owner),
        kind,
        id,
        record.start ?? null,
        record.date ?? null,
        instant,
        payload,
        at,
        at,
      )
    },
    async delete(kind, owner, id) {
      checkScope(kind, owner)
      if (!storable(id)) return false
      return removeOne.run(...ownerOf(owner), kind, id).changes > 0
    },
    async get(kind, owner, id) {
      checkScope(kind, owner)
      if (!storable(id)) return undefined
      const row = selectOne.get(...ownerOf(owner), kind, id) as Row | undefined
      return row === undefined ? undefined : toRecord(row)
    },
    async query(kind, owner, request = {}) {
      checkScope(kind, owner)
      return query(kind, owner, request)
    },
    async clear(owner) {
      checkText(owner.provider, 'provider')
      checkText(owner.tenantId, 'tenantId')
      checkText(owner.userId, 'userId')
      return removeOwner.run(...ownerOf(owner)).changes
    },
  }
}
