import { checkObject, describeValue } from '../internal/validate.js'

/** An athlete profile to check; every field is optional. */
export interface AthleteProfile {
  /** Maximum heart rate, beats/min. */
  readonly maxHr?: number | undefined
  /** Resting heart rate, beats/min. */
  readonly restingHr?: number | undefined
  /** Lactate-threshold heart rate, beats/min. */
  readonly lthr?: number | undefined
  /** Threshold heart rate, beats/min (another name for `lthr`; both are checked when given). */
  readonly thresholdHr?: number | undefined
  /** Maximal oxygen uptake, mL/kg/min. */
  readonly vo2max?: number | undefined
  /** Functional threshold power, W. */
  readonly ftp?: number | undefined
  /** Body mass, kg. */
  readonly weightKg?: number | undefined
  /** Height, cm. */
  readonly heightCm?: number | undefined
  /** Age, years. */
  readonly ageYears?: number | undefined
}

/** A field that the checks know about. */
export type ProfileField = keyof AthleteProfile

/** Kind of finding. */
export type ProfileIssueCode =
  | 'notANumber'
  | 'outOfRange'
  | 'unusual'
  | 'restingNotBelowMax'
  | 'restingNotBelowThreshold'
  | 'thresholdNotBelowMax'

/** One finding of `validation.validateProfile`. */
export interface ProfileIssue {
  /** Field concerned (for relationships, the later field of the pair). */
  readonly field: ProfileField
  readonly code: ProfileIssueCode
  /** Lower-case explanation naming the field, the bounds and the value. */
  readonly message: string
  /** The value found. */
  readonly value: unknown
}

/** Result of `validation.validateProfile`. */
export interface ProfileValidation {
  /** True when there is no error (warnings allowed). */
  readonly valid: boolean
  readonly errors: readonly ProfileIssue[]
  readonly warnings: readonly ProfileIssue[]
}

interface Bounds {
  readonly unit: string
  readonly hard: readonly [number, number]
  readonly usual?: readonly [number, number]
  readonly usualNote?: string
}

/** Hard (error) and usual (warning) ranges, spec §12. */
const profileBounds: Readonly<Record<ProfileField, Bounds>> = {
  maxHr: { unit: 'beats/min', hard: [100, 240], usual: [140, 220] },
  restingHr: { unit: 'beats/min', hard: [25, 120], usual: [30, 100] },
  lthr: { unit: 'beats/min', hard: [90, 230], usual: [100, 200] },
  thresholdHr: { unit: 'beats/min', hard: [90, 230], usual: [100, 200] },
  vo2max: { unit: 'mL/kg/min', hard: [10, 95], usual: [20, 90] },
  ftp: { unit: 'W', hard: [30, 700], usual: [50, 600] },
  weightKg: { unit: 'kg', hard: [20, 300] },
  heightCm: { unit: 'cm', hard: [100, 250] },
  ageYears: {
    unit: 'years',
    hard: [5, 120],
    usual: [18, 80],
    usualNote: 'adult prediction formulas were derived from 18–80-year-olds',
  },
}

const fields = Object.keys(profileBounds) as ProfileField[]

/**
 * Checks an athlete profile against physiological bounds (spec §12). Values outside the hard range
 * (implausible: a unit or typing mistake) are errors; values outside the usual range are warnings,
 * because real athletes reach them (resting HR 28 in endurance athletes, max HR 225 in the young):
 *
 * | field                 | error outside | warning outside |
 * | --------------------- | ------------- | --------------- |
 * | maxHr                 | 100–240       | 140–220         |
 * | restingHr             | 25–120        | 30–100          |
 * | lthr / thresholdHr    | 90–230        | 100–200         |
 * | vo2max (mL/kg/min)    | 10–95         | 20–90           |
 * | ftp (W)               | 30–700        | 50–600          |
 * | weightKg              | 20–300        |                 |
 * | heightCm              | 100–250       |                 |
 * | ageYears              | 5–120         | 18–80 (adult formulas) |
 *
 * Relationships (errors): restingHr < lthr < maxHr and restingHr < maxHr. Omitted (`undefined`)
 * fields are skipped; `null`, strings and non-finite numbers are errors. ⚠ The reference rejects
 * outright at the warning ranges. Context: age-predicted maximum HR (208 − 0.7·age) has an individual
 * scatter of about ±10 beats/min (Tanaka H., Monahan K.D. & Seals D.R. 2001 *J Am Coll Cardiol*
 * 37:153–156), so values beyond 220 occur in young athletes.
 *
 * @throws {@link SportsScienceError} `INVALID_INPUT` only when the profile is not an object.
 */
export function validateProfile(profile: AthleteProfile): ProfileValidation {
  checkObject(profile, 'profile')
  const errors: ProfileIssue[] = []
  const warnings: ProfileIssue[] = []
  const valid: Partial<Record<ProfileField, number>> = {}
  for (const field of fields) {
    const value: unknown = profile[field]
    if (value === undefined) continue
    const bounds = profileBounds[field]
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push({
        field,
        code: 'notANumber',
        message: `${field} must be a finite number, received ${describeValue(value)}`,
        value,
      })
      continue
    }
    const [low, high] = bounds.hard
    if (value < low || value > high) {
      errors.push({
        field,
        code: 'outOfRange',
        message: `${field} must be from ${low} to ${high} (${bounds.unit}), received ${value}`,
        value,
      })
      continue
    }
    valid[field] = value
    if (bounds.usual !== undefined) {
      const [usualLow, usualHigh] = bounds.usual
      if (value < usualLow || value > usualHigh) {
        const note = bounds.usualNote === undefined ? '' : `; ${bounds.usualNote}`
        warnings.push({
          field,
          code: 'unusual',
          message: `${field} ${value} (${bounds.unit}) is outside the usual ${usualLow}–${usualHigh}${note}`,
          value,
        })
      }
    }
  }
  const { restingHr, maxHr } = valid
  if (restingHr !== undefined && maxHr !== undefined && restingHr >= maxHr) {
    errors.push({
      field: 'maxHr',
      code: 'restingNotBelowMax',
      message: `maxHr must be greater than restingHr (${restingHr}), received ${maxHr}`,
      value: maxHr,
    })
  }
  for (const thresholdField of ['lthr', 'thresholdHr'] as const) {
    const threshold = valid[thresholdField]
    if (threshold === undefined) continue
    if (restingHr !== undefined && restingHr >= threshold) {
      errors.push({
        field: thresholdField,
        code: 'restingNotBelowThreshold',
        message: `${thresholdField} must be greater than restingHr (${restingHr}), received ${threshold}`,
        value: threshold,
      })
    }
    if (maxHr !== undefined && threshold >= maxHr) {
      errors.push({
        field: thresholdField,
        code: 'thresholdNotBelowMax',
        message: `${thresholdField} must be less than maxHr (${maxHr}), received ${threshold}`,
        value: threshold,
      })
    }
  }
  return { valid: errors.length === 0, errors, warnings }
}
