import type { ConnectionKey, StoredConnection, TokenStore } from '../oauth/types.js'

/** A {@link TokenStore} in memory, with the calls it received, for tests. */
export interface MemoryTokenStore extends TokenStore {
  /** How many times each method was called. */
  readonly calls: { readonly get: number; readonly put: number; readonly delete: number }
  /** Every stored connection. */
  entries(): readonly StoredConnection[]
}

/**
 * Creates an in-memory {@link TokenStore}. Values are copied in and out, as a real store would
 * serialize them, so a caller mutating a result cannot change what is stored.
 */
export function createMemoryTokenStore(
  initial: readonly StoredConnection[] = [],
): MemoryTokenStore {
  const connections = new Map<string, StoredConnection>()
  const calls = { get: 0, put: 0, delete: 0 }
  const keyOf = (key: ConnectionKey): string =>
    JSON.stringify([key.tenantId, key.userId, key.provider])
  for (const connection of initial) connections.set(keyOf(connection), structuredClone(connection))
  return {
    calls,
    async get(key) {
      calls.get += 1
      const found = connections.get(keyOf(key))
      return found === undefined ? undefined : structuredClone(found)
    },
    async put(connection) {
      calls.put += 1
      connections.set(keyOf(connection), structuredClone(connection))
    },
    async delete(key) {
      calls.delete += 1
      return connections.delete(keyOf(key))
    },
    entries: () => [...connections.values()].map((connection) => structuredClone(connection)),
  }
}
