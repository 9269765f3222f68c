/**
 * A copy of a mapped record without its `undefined` members, so a mapper can write
 * `{ calories: kcal(raw.calories) }` for every field and still produce a value that
 * `exactOptionalPropertyTypes` and the model's schemas accept. `null` members stay.
 */
export function withoutUndefined<TValue extends object>(value: TValue): TValue {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as TValue
}
