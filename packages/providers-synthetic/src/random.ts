/** A deterministic source of pseudo-random numbers (never `Math.random`). */
export interface SeededRandom {
  /** Returns a uniform number in [0, 1), from 32 bits of state output. */
  next(): number
  /** Returns a uniform number in [min, max). */
  uniform(min: number, max: number): number
  /** Returns an integer in [min, max], both inclusive. */
  integer(min: number, max: number): number
  /** Returns a normal variate (Box–Muller) with the given mean and standard deviation. */
  normal(mean: number, standardDeviation: number): number
  /** Returns `true` with the given probability (0–1). */
  chance(probabilityFraction: number): boolean
  /** Returns one element of a non-empty list. */
  pick<TItem>(items: readonly TItem[]): TItem
}

/**
 * Returns the 32-bit FNV-1a hash of a string (offset basis 2166136261, prime 16777619), as an
 * unsigned integer.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * Creates a seeded generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128 bits
 * of state, from PractRand), seeded from FNV-1a hashes of `key` with four salts and warmed up for
 * 15 rounds. The same key always gives the same sequence, on every platform.
 *
 * @param key - any string; the synthetic provider builds it from the seed and the entity it draws
 *   for (`42|activity|2025-03-14|1`), so one entity never depends on the order of generation.
 * @example
 * ```ts
 * const random = createSeededRandom('42|demo')
 * random.uniform(0, 10) // the same value on every run
 * ```
 */
export function createSeededRandom(key: string): SeededRandom {
  let a = hashString(`${key}#a`)
  let b = hashString(`${key}#b`)
  let c = hashString(`${key}#c`)
  let d = hashString(`${key}#d`) | 1
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let round = 0; round < 15; round += 1) nextUint32()
  let spare: number | undefined
  const next = (): number => nextUint32() / 4294967296
  const random: SeededRandom = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: (mean, standardDeviation) => {
      if (spare !== undefined) {
        const value = spare
        spare = undefined
        return mean + standardDeviation * value
      }
      const radius = Math.sqrt(-2 * Math.log(1 - next()))
      const angle = 2 * Math.PI * next()
      spare = radius * Math.sin(angle)
      return mean + standardDeviation * radius * Math.cos(angle)
    },
    chance: (probabilityFraction) => next() < probabilityFraction,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  }
  return random
}
