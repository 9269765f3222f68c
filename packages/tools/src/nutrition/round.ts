/** Rounds half away from zero to `decimals` places (display rounding, `sports-science.md` §1.2). */
function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals
  const scaled = Math.round(Math.abs(value) * factor) / factor
  return value < 0 ? -scaled : scaled
}

/** Rounds to one decimal place, half away from zero. */
export function round1(value: number): number {
  return roundTo(value, 1)
}

/** Rounds to two decimal places, half away from zero. */
export function round2(value: number): number {
  return roundTo(value, 2)
}
