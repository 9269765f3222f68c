/**
 * The port that remembers webhook deliveries already accepted, so a replayed one is refused. An
 * entry only needs to outlive the signature's timestamp window: after that the timestamp check
 * refuses the replay anyway. Several server instances must share one implementation.
 */
export interface TerraDeliveryLog {
  /**
   * Records a delivery id until `expiresAt`; resolves to false when it is already recorded (a
   * replay). Must be atomic: of two concurrent claims of one id, only one succeeds.
   */
  claim(deliveryId: string, expiresAt: Date): Promise<boolean>
  /** Forgets a claim, so that the sender's retry of a delivery that failed here goes through. */
  release(deliveryId: string): Promise<void>
}

/** Options of {@link createMemoryTerraDeliveryLog}. */
export interface MemoryTerraDeliveryLogOptions {
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** Entries kept at most; the oldest claim goes first. 100 000 by default. */
  readonly maxEntries?: number
}

/** Creates an in-memory {@link TerraDeliveryLog} for one process; expired entries are pruned. */
export function createMemoryTerraDeliveryLog(
  options: MemoryTerraDeliveryLogOptions = {},
): TerraDeliveryLog {
  const now = options.now ?? (() => new Date())
  const maxEntries = Math.max(1, options.maxEntries ?? 100_000)
  const entries = new Map<string, number>()
  let nextPruneMs = 0

  const prune = (nowMs: number): void => {
    if (nowMs < nextPruneMs && entries.size < maxEntries) return
    for (const [id, expiresAtMs] of entries) if (expiresAtMs <= nowMs) entries.delete(id)
    nextPruneMs = nowMs + 10_000
  }

  return {
    async claim(deliveryId, expiresAt) {
      const nowMs = now().getTime()
      prune(nowMs)
      const known = entries.get(deliveryId)
      if (known !== undefined && known > nowMs) return false
      entries.delete(deliveryId)
      entries.set(deliveryId, expiresAt.getTime())
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value
        if (oldest === undefined) break
        entries.delete(oldest)
      }
      return true
    },
    async release(deliveryId) {
      entries.delete(deliveryId)
    },
  }
}
