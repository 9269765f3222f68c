import { ProviderError } from '@pierre/providers-core'
import type {
  TerraConnection,
  TerraConnectionStore,
  TerraDeliveryLog,
} from '@pierre/providers-terra'
import type Database from 'better-sqlite3'
import { z } from 'zod'

const text = z.string().min(1)
const instant = z.iso.datetime({ offset: true })

const connectionSchema = z.object({
  terraUserId: text,
  tenantId: text,
  userId: text,
  resource: z.string().optional(),
  scopes: z.array(z.string()),
  status: z.enum(['connected', 'needs_reauth']),
  statusReason: z.string().optional(),
  connectedAt: instant,
  updatedAt: instant,
})

interface ConnectionRow {
  readonly terra_user_id: string
  readonly tenant_id: string
  readonly user_id: string
  readonly resource: string | null
  readonly scopes: string
  readonly status: TerraConnection['status']
  readonly status_reason: string | null
  readonly connected_at: string
  readonly updated_at: string
}

function parseConnection(input: TerraConnection): z.infer<typeof connectionSchema> {
  const result = connectionSchema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  throw new ProviderError(
    'invalid_argument',
    `invalid terra connection: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    { provider: 'terra', details: { issues } },
  )
}

function toConnection(row: ConnectionRow): TerraConnection {
  return {
    terraUserId: row.terra_user_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    resource: row.resource ?? undefined,
    scopes: JSON.parse(row.scopes) as string[],
    status: row.status,
    statusReason: row.status_reason ?? undefined,
    connectedAt: row.connected_at,
    updatedAt: row.updated_at,
  }
}

/**
 * A {@link TerraConnectionStore} in the server database (`terra_connections`): one row per Terra
 * user, owned by one user of one tenant. `get` and `delete` take Terra's user id alone, since a
 * webhook names nothing else; `listForUser` binds the tenant and the user and lists oldest first
 * by the instant of `connectedAt` (then by Terra user id). A connection that does not match the
 * port's types (empty ids, unknown status, a time without an offset) is refused with a
 * `ProviderError` `invalid_argument`.
 */
export function createSqliteTerraConnectionStore(db: Database.Database): TerraConnectionStore {
  const upsert = db.prepare(
    `INSERT INTO terra_connections
       (terra_user_id, tenant_id, user_id, resource, scopes, status, status_reason, connected_at, connected_at_ms, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (terra_user_id) DO UPDATE SET
       tenant_id = excluded.tenant_id, user_id = excluded.user_id, resource = excluded.resource,
       scopes = excluded.scopes, status = excluded.status, status_reason = excluded.status_reason,
       connected_at = excluded.connected_at, connected_at_ms = excluded.connected_at_ms,
       updated_at = excluded.updated_at`,
  )
  const columns =
    'terra_user_id, tenant_id, user_id, resource, scopes, status, status_reason, connected_at, updated_at'
  const selectOne = db.prepare(`SELECT ${columns} FROM terra_connections WHERE terra_user_id = ?`)
  const selectForUser = db.prepare(
    `SELECT ${columns} FROM terra_connections WHERE tenant_id = ? AND user_id = ?
     ORDER BY connected_at_ms ASC, terra_user_id ASC`,
  )
  const removeOne = db.prepare('DELETE FROM terra_connections WHERE terra_user_id = ?')

  return {
    async get(terraUserId) {
      const row = selectOne.get(terraUserId) as ConnectionRow | undefined
      return row === undefined ? undefined : toConnection(row)
    },
    async listForUser(user) {
      const rows = selectForUser.all(user.tenantId, user.userId) as ConnectionRow[]
      return rows.map(toConnection)
    },
    async put(connection) {
      const valid = parseConnection(connection)
      upsert.run(
        valid.terraUserId,
        valid.tenantId,
        valid.userId,
        valid.resource ?? null,
        JSON.stringify(valid.scopes),
        valid.status,
        valid.statusReason ?? null,
        valid.connectedAt,
        Date.parse(valid.connectedAt),
        valid.updatedAt,
      )
    },
    async delete(terraUserId) {
      return removeOne.run(terraUserId).changes > 0
    },
  }
}

/** Options of {@link createSqliteTerraDeliveryLog}. */
export interface SqliteTerraDeliveryLogOptions {
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** How often, at most, expired entries are deleted; 60 000 ms by default. */
  readonly pruneIntervalMs?: number
}

/**
 * A {@link TerraDeliveryLog} in the server database (`terra_deliveries`), shared by every server
 * process on the same file. A claim is one statement: it inserts the id, or takes over an entry
 * that has expired, and succeeds when it changed a row, so of concurrent claims exactly one wins.
 * Expired entries are deleted at most once per `pruneIntervalMs`, on a claim.
 */
export function createSqliteTerraDeliveryLog(
  db: Database.Database,
  options: SqliteTerraDeliveryLogOptions = {},
): TerraDeliveryLog {
  const now = options.now ?? (() => new Date())
  const pruneIntervalMs = options.pruneIntervalMs ?? 60_000
  const claimOne = db.prepare(
    `INSERT INTO terra_deliveries (delivery_id, expires_at_ms) VALUES (?, ?)
     ON CONFLICT (delivery_id) DO UPDATE SET expires_at_ms = excluded.expires_at_ms
     WHERE terra_deliveries.expires_at_ms <= ?`,
  )
  const releaseOne = db.prepare('DELETE FROM terra_deliveries WHERE delivery_id = ?')
  const prune = db.prepare('DELETE FROM terra_deliveries WHERE expires_at_ms <= ?')
  let nextPruneMs = Number.NEGATIVE_INFINITY

  return {
    async claim(deliveryId, expiresAt) {
      if (typeof deliveryId !== 'string' || deliveryId.length === 0) {
        throw new ProviderError('invalid_argument', 'delivery id must be a non-empty string', {
          provider: 'terra',
        })
      }
      const expiresAtMs = expiresAt.getTime()
      if (!Number.isFinite(expiresAtMs)) {
        throw new ProviderError('invalid_argument', 'expiresAt must be a valid date', {
          provider: 'terra',
        })
      }
      const nowMs = now().getTime()
      if (nowMs >= nextPruneMs) {
        prune.run(nowMs)
        nextPruneMs = nowMs + pruneIntervalMs
      }
      return claimOne.run(deliveryId, expiresAtMs, nowMs).changes > 0
    },
    async release(deliveryId) {
      releaseOne.run(deliveryId)
    },
  }
}
