// Student-t probabilities for the regression p-value and intervals (spec §8.1, §8.2). Not exported
// from the package: the numbers they produce are, through `linearRegression` and `regressionInterval`.

const lanczosG = 7
const lanczosCoefficients = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
] as const

/**
 * ln Γ(z) for z ≥ 0.5 by the Lanczos approximation (g = 7, nine coefficients; Lanczos C. 1964
 * *SIAM J Numer Anal* 1:86–96), relative error about 1e-15.
 */
function lnGamma(z: number): number {
  const shifted = z - 1
  let series = lanczosCoefficients[0]
  for (let index = 1; index < lanczosCoefficients.length; index++) {
    series += (lanczosCoefficients[index] as number) / (shifted + index)
  }
  const base = shifted + lanczosG + 0.5
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(base) - base + Math.log(series)
}

const tiny = 1e-300
const relativeTolerance = 1e-15
const maxTerms = 10_000

/**
 * Continued fraction of the incomplete beta function, evaluated by the modified Lentz method
 * (Lentz W.J. 1976 *Appl Opt* 15:668–671; Press W.H. et al. 2007 *Numerical Recipes* §6.4).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let fraction = d
  for (let m = 1; m <= maxTerms; m++) {
    const twoM = 2 * m
    // Even step: m(b − m)x / ((a + 2m − 1)(a + 2m)).
    let coefficient = (m * (b - m) * x) / ((a + twoM - 1) * (a + twoM))
    d = 1 + coefficient * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + coefficient / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    fraction *= d * c
    // Odd step: −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
    coefficient = (-(a + m) * (a + b + m) * x) / ((a + twoM) * (a + twoM + 1))
    d = 1 + coefficient * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + coefficient / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const step = d * c
    fraction *= step
    if (Math.abs(step - 1) < relativeTolerance) break
  }
  return fraction
}

/** Regularised incomplete beta function I_x(a, b) for 0 ≤ x ≤ 1 and a, b ≥ 0.5. */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const lnFront = a * Math.log(x) + b * Math.log1p(-x) - (lnGamma(a) + lnGamma(b) - lnGamma(a + b))
  // The continued fraction converges fast below (a + 1)/(a + b + 2); above it use the symmetry
  // I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x < (a + 1) / (a + b + 2)) {
    return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a
  }
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b
}

/** Two-sided tail probability P(|T| ≥ |t|) of Student's t with `df` degrees of freedom. */
export function studentTTwoSided(t: number, df: number): number {
  const squared = t * t
  if (!Number.isFinite(squared)) return 0
  return Math.min(1, Math.max(0, regularizedBeta(df / (df + squared), df / 2, 0.5)))
}

/** Density of Student's t with `df` degrees of freedom at t. */
function studentTDensity(t: number, df: number): number {
  const lnNormaliser = lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI)
  return Math.exp(lnNormaliser - ((df + 1) / 2) * Math.log1p((t * t) / df))
}

/**
 * The t > 0 whose two-sided tail probability is `tailProbability` (0 < p < 1), i.e. the quantile
 * t_{1 − p/2, df}; safeguarded Newton iteration inside a bracket that always shrinks.
 */
export function studentTCritical(tailProbability: number, df: number): number {
  let low = 0
  let high = 1
  while (studentTTwoSided(high, df) > tailProbability && Number.isFinite(high)) high *= 2
  if (!Number.isFinite(high)) return high
  let t = high / 2
  for (let iteration = 0; iteration < 200; iteration++) {
    const excess = studentTTwoSided(t, df) - tailProbability
    if (excess === 0) return t
    if (excess > 0) low = t
    else high = t
    const slope = -2 * studentTDensity(t, df)
    let next = slope === 0 ? Number.NaN : t - excess / slope
    if (!(next > low && next < high)) next = (low + high) / 2
    if (
      Math.abs(next - t) <= 4 * Number.EPSILON * next ||
      high - low <= 4 * Number.EPSILON * high
    ) {
      return next
    }
    t = next
  }
  return t
}
