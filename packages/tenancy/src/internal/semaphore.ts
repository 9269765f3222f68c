/** A counting semaphore: at most `limit` callers run `use` at once; the rest wait in order. */
export interface Semaphore {
  use<TResult>(task: () => Promise<TResult>): Promise<TResult>
}

/** Creates a {@link Semaphore}. */
export function createSemaphore(limit: number): Semaphore {
  let active = 0
  const waiting: (() => void)[] = []
  const release = (): void => {
    const next = waiting.shift()
    if (next) next()
    else active -= 1
  }
  return {
    async use(task) {
      if (active < limit) active += 1
      else await new Promise<void>((resolve) => waiting.push(resolve))
      try {
        return await task()
      } finally {
        release()
      }
    },
  }
}
