// Terra's JSON is read loosely: real payloads add, drop and null out members freely.

/** A JSON object as Terra sends it. */
export type Raw = Readonly<Record<string, unknown>>

export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

export const nonNegative = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || number < 0 ? undefined : number
}

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined

export const objectOf = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined

export const arrayOf = (value: unknown): readonly Raw[] =>
  Array.isArray(value)
    ? value.filter(
        (entry): entry is Raw =>
          typeof entry === 'object' && entry !== null && !Array.isArray(entry),
      )
    : []

/** Follows a path of object members; `undefined` as soon as one is missing. */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value
  for (const key of path) {
    const object = objectOf(current)
    if (object === undefined || !Object.hasOwn(object, key)) return undefined
    current = object[key]
  }
  return current
}

/** Rounds half up to an integer (STYLE: integer model fields are rounded, never truncated). */
export const roundInt = (value: number | undefined): number | undefined => {
  if (value === undefined) return undefined
  const rounded = Math.floor(value + 0.5)
  // Beyond 2^53 a value is a unit or sensor error, not a count.
  return Number.isSafeInteger(rounded) ? rounded : undefined
}

/** Rounds to `digits` decimals. */
export const roundTo = (value: number, digits: number): number => {
  const factor = 10 ** digits
  const scaled = value * factor
  // Near Number.MAX_VALUE the scaling overflows; such a value needs no rounding.
  return Number.isFinite(scaled) ? Math.round(scaled) / factor : value
}

/** A non-negative integer, rounded half up. */
export const nonNegativeInt = (value: unknown): number | undefined => roundInt(nonNegative(value))

/** A heart rate in bpm: rounded, and dropped outside 20–300 (a unit or sensor error). */
export const heartRate = (value: unknown): number | undefined => {
  const rounded = roundInt(num(value))
  return rounded === undefined || rounded < 20 || rounded > 300 ? undefined : rounded
}

/** A percentage 0–100, dropped outside the range. */
export const percent = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || number < 0 || number > 100 ? undefined : number
}
