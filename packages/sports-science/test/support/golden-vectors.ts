// Golden-vector harness for the format of spec §13.2: stream encodings, per-element calls and
// partial matching with a numeric tolerance.

export interface Tolerance {
  readonly abs?: number
  readonly rel?: number
}

interface GoldenVector {
  readonly id: string
  readonly function: string
  readonly inputs: Readonly<Record<string, unknown>>
  readonly expected: unknown
  readonly tolerance: Tolerance
  readonly source: string
  readonly notes?: string
}

export interface GoldenVectorFile {
  readonly name: string
  readonly specVersion: string
  readonly vectors: readonly GoldenVector[]
}

type RleRuns = readonly (readonly [number | null, number])[]

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function expandRle(runs: RleRuns): (number | null)[] {
  const out: (number | null)[] = []
  for (const [value, count] of runs) {
    for (let index = 0; index < count; index++) out.push(value)
  }
  return out
}

/**
 * Expands the compact stream encodings (`$rle`, `$repeat`, `$concat`) anywhere inside `value`;
 * everything else is copied as is.
 */
export function expandStreams(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandStreams)
  if (!isRecord(value)) return value
  const keys = Object.keys(value)
  if (keys.length === 1) {
    if ('$rle' in value) return expandRle(value.$rle as RleRuns)
    if ('$repeat' in value) {
      const { times, rle } = value.$repeat as { times: number; rle: RleRuns }
      const once = expandRle(rle)
      const out: (number | null)[] = []
      for (let index = 0; index < times; index++) out.push(...once)
      return out
    }
    if ('$concat' in value) {
      return (value.$concat as unknown[]).flatMap((part) => expandStreams(part) as unknown[])
    }
  }
  return Object.fromEntries(keys.map((key) => [key, expandStreams(value[key])]))
}

const eachKeys = ['eachValue', 'eachCase', 'eachMethod'] as const

/**
 * Turns a vector's `inputs` into argument lists, one per call: the keys in file order are the
 * parameters of the signature; an `eachValue`, `eachCase` or `eachMethod` key makes one call per
 * element (`eachMethod` passes `{ method }`). Returns whether the calls are per element.
 */
export function argumentLists(inputs: Readonly<Record<string, unknown>>): {
  readonly perElement: boolean
  readonly calls: readonly unknown[][]
} {
  const expanded = expandStreams(inputs) as Readonly<Record<string, unknown>>
  const keys = Object.keys(expanded)
  const eachKey = keys.find((key) => (eachKeys as readonly string[]).includes(key))
  if (eachKey === undefined) {
    return { perElement: false, calls: [keys.map((key) => expanded[key])] }
  }
  const elements = expanded[eachKey]
  if (!Array.isArray(elements)) throw new Error(`${eachKey} must be an array`)
  const calls = elements.map((element: unknown) =>
    keys.map((key) => {
      if (key !== eachKey) return expanded[key]
      return eachKey === 'eachMethod' ? { method: element } : element
    }),
  )
  return { perElement: true, calls }
}

/**
 * Compares `actual` with `expected` per spec §13.2 and returns the mismatches (empty when it
 * matches): objects partially (only the expected keys), arrays element-wise with equal lengths,
 * numbers within the tolerance, strings, booleans and null exactly.
 */
export function mismatches(actual: unknown, expected: unknown, tolerance: Tolerance): string[] {
  return compare(actual, expected, { tolerance, path: '$' })
}

interface Place {
  readonly tolerance: Tolerance
  readonly path: string
}

function compare(actual: unknown, expected: unknown, place: Place): string[] {
  const { tolerance, path } = place
  const at = (suffix: string): Place => ({ tolerance, path: `${path}${suffix}` })
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !Number.isFinite(actual)) {
      return [`${path}: expected ${expected}, received ${String(actual)}`]
    }
    const allowed = Math.max(tolerance.abs ?? 0, (tolerance.rel ?? 0) * Math.abs(expected))
    const difference = Math.abs(actual - expected)
    return difference <= allowed
      ? []
      : [`${path}: expected ${expected} ± ${allowed}, received ${actual} (off by ${difference})`]
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, received ${typeof actual}`]
    if (actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} elements, received ${actual.length}`]
    }
    return expected.flatMap((item, index) => compare(actual[index], item, at(`[${index}]`)))
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [`${path}: expected an object, received ${String(actual)}`]
    return Object.keys(expected).flatMap((key) =>
      key in actual
        ? compare(actual[key], expected[key], at(`.${key}`))
        : [`${path}.${key}: missing`],
    )
  }
  return Object.is(actual, expected)
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, received ${JSON.stringify(actual)}`]
}

/** Finds `namespace.fn` (or deeper, `performance.vo2max.cooper`) among the package's exports. */
export function lookUp(
  exports: unknown,
  dottedName: string,
): ((...args: unknown[]) => unknown) | undefined {
  let current: unknown = exports
  for (const part of dottedName.split('.')) {
    if ((typeof current !== 'object' && typeof current !== 'function') || current === null) {
      return undefined
    }
    current = (current as Readonly<Record<string, unknown>>)[part]
  }
  return typeof current === 'function' ? (current as (...args: unknown[]) => unknown) : undefined
}
