import type { TerraUserRef } from './descriptor.js'

/**
 * The state of a Terra connection: `connected`, or `needs_reauth` when the wearable revoked Terra's
 * access or the connection broke (the person must connect again). A deauthenticated user has no
 * connection at all.
 */
export type TerraConnectionStatus = 'connected' | 'needs_reauth'

/** One wearable account connected through Terra, owned by one person of one tenant. */
export interface TerraConnection extends TerraUserRef {
  /** Terra's `user_id`. */
  readonly terraUserId: string
  /** The wearable (`GARMIN`, `OURA`…). */
  readonly resource: string | undefined
  readonly scopes: readonly string[]
  readonly status: TerraConnectionStatus
  /** Why the status is not `connected` (the webhook `type`, such as `access_revoked`). */
  readonly statusReason: string | undefined
  /** When it was first connected, ISO UTC. */
  readonly connectedAt: string
  /** When it last changed, ISO UTC. */
  readonly updatedAt: string
}

/**
 * The port through which Terra connections are kept: which Terra users belong to which person.
 * Webhooks look a connection up by Terra user id; providers list a person's connections.
 * Implementations must keep tenants apart and return what was last `put`.
 */
export interface TerraConnectionStore {
  /** Returns the connection of a Terra user, or `undefined`. */
  get(terraUserId: string): Promise<TerraConnection | undefined>
  /** Returns every connection of one person, oldest first. */
  listForUser(user: TerraUserRef): Promise<readonly TerraConnection[]>
  /** Creates or replaces the connection of `connection.terraUserId`. */
  put(connection: TerraConnection): Promise<void>
  /** Removes a connection; resolves to whether one existed. */
  delete(terraUserId: string): Promise<boolean>
}

/** Creates an in-memory {@link TerraConnectionStore}; connections are copied in and out. */
export function createMemoryTerraConnectionStore(
  initial: readonly TerraConnection[] = [],
): TerraConnectionStore {
  const byTerraUser = new Map<string, TerraConnection>()
  const copy = (connection: TerraConnection): TerraConnection => ({
    ...connection,
    scopes: [...connection.scopes],
  })
  for (const connection of initial) byTerraUser.set(connection.terraUserId, copy(connection))
  return {
    async get(terraUserId) {
      const found = byTerraUser.get(terraUserId)
      return found === undefined ? undefined : copy(found)
    },
    async listForUser(user) {
      return [...byTerraUser.values()]
        .filter(
          (connection) =>
            connection.tenantId === user.tenantId && connection.userId === user.userId,
        )
        .sort((left, right) =>
          left.connectedAt < right.connectedAt ? -1 : left.connectedAt > right.connectedAt ? 1 : 0,
        )
        .map(copy)
    },
    async put(connection) {
      byTerraUser.set(connection.terraUserId, copy(connection))
    },
    async delete(terraUserId) {
      return byTerraUser.delete(terraUserId)
    },
  }
}
