/** An authorization request waiting for its callback, found again by its `state`. */
export interface PendingAuthorization {
  /** The random `state` sent to the provider (32 bytes, base64url). */
  readonly state: string
  readonly tenantId: string
  readonly userId: string
  readonly provider: string
  /** The PKCE verifier; `undefined` when the provider does not use PKCE. */
  readonly codeVerifier: string | undefined
  readonly redirectUri: string
  /** Scopes asked for. */
  readonly scopes: readonly string[]
  /** ISO UTC. */
  readonly createdAt: string
  /** ISO UTC; the callback is refused after this. */
  readonly expiresAt: string
}

/**
 * The port where pending authorizations wait for their callback. Multi-instance deployments inject a
 * shared store; the default is in memory. `take` must remove what it returns, so a state is usable
 * once.
 */
export interface OAuthStateStore {
  put(pending: PendingAuthorization): Promise<void>
  /** Returns and removes the pending authorization of `state`, or `undefined`. */
  take(state: string): Promise<PendingAuthorization | undefined>
}

/** Options of {@link createMemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** Current time, to drop expired entries; `() => new Date()` by default. */
  readonly now?: () => Date
  /** Pending authorizations kept at most; the oldest go first. 10 000 by default. */
  readonly maxEntries?: number
}

/** Creates an in-memory {@link OAuthStateStore} that drops expired entries as it goes. */
export function createMemoryStateStore(options: MemoryStateStoreOptions = {}): OAuthStateStore {
  const now = options.now ?? (() => new Date())
  const maxEntries = Math.max(1, options.maxEntries ?? 10_000)
  const pending = new Map<string, PendingAuthorization>()
  const prune = (): void => {
    const nowMs = now().getTime()
    for (const [state, entry] of pending) {
      if (Date.parse(entry.expiresAt) <= nowMs) pending.delete(state)
    }
    while (pending.size > maxEntries) {
      const oldest = pending.keys().next().value
      if (oldest === undefined) break
      pending.delete(oldest)
    }
  }
  return {
    async put(entry) {
      pending.set(entry.state, entry)
      prune()
    },
    async take(state) {
      const entry = pending.get(state)
      pending.delete(state)
      return entry
    },
  }
}
