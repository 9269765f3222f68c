import { describe, expect, it } from 'vitest'
import { type AthleteProfile, validation } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

/** Passes a value the types forbid, as a JavaScript caller could. */
function untyped<TValue>(value: unknown): TValue {
  return value as TValue
}

describe('validation.validateProfile (spec §12)', () => {
  it('accepts a typical profile without findings', () => {
    expect(
      validation.validateProfile({
        maxHr: 188,
        restingHr: 52,
        lthr: 168,
        vo2max: 55,
        ftp: 260,
        weightKg: 72,
        heightCm: 178,
        ageYears: 34,
      }),
    ).toEqual({ valid: true, errors: [], warnings: [] })
    expect(validation.validateProfile({})).toEqual({ valid: true, errors: [], warnings: [] })
  })

  it.for([
    { field: 'maxHr', value: 225 },
    { field: 'maxHr', value: 135 },
    { field: 'restingHr', value: 28 },
    { field: 'restingHr', value: 105 },
    { field: 'lthr', value: 205 },
    { field: 'thresholdHr', value: 95 },
    { field: 'vo2max', value: 92 },
    { field: 'vo2max', value: 15 },
    { field: 'ftp', value: 650 },
    { field: 'ftp', value: 40 },
    { field: 'ageYears', value: 15 },
    { field: 'ageYears', value: 85 },
  ] as const)('warns, without rejecting, at $field $value', ({ field, value }) => {
    const result = validation.validateProfile({ [field]: value })
    expect(result.valid).toBe(true)
    expect(result.errors).toEqual([])
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toMatchObject({ field, code: 'unusual', value })
    expect(result.warnings[0]?.message.startsWith(`${field} ${value}`)).toBe(true)
  })

  it.for([
    { field: 'maxHr', value: 241 },
    { field: 'maxHr', value: 99 },
    { field: 'restingHr', value: 24 },
    { field: 'restingHr', value: 121 },
    { field: 'lthr', value: 231 },
    { field: 'thresholdHr', value: 89 },
    { field: 'vo2max', value: 96 },
    { field: 'ftp', value: 29 },
    { field: 'ftp', value: 701 },
    { field: 'weightKg', value: 19 },
    { field: 'weightKg', value: 301 },
    { field: 'heightCm', value: 99 },
    { field: 'heightCm', value: 251 },
    { field: 'ageYears', value: 4 },
    { field: 'ageYears', value: 121 },
  ] as const)('rejects $field $value as out of range', ({ field, value }) => {
    const result = validation.validateProfile({ [field]: value })
    expect(result.valid).toBe(false)
    expect(result.errors).toEqual([
      {
        field,
        code: 'outOfRange',
        message: expect.stringMatching(
          new RegExp(`^${field} must be from \\d+ to \\d+ \\(.+\\), received ${value}$`),
        ),
        value,
      },
    ])
    expect(result.warnings).toEqual([])
  })

  it.for([
    { name: 'NaN', value: Number.NaN },
    { name: 'a string', value: '180' },
    { name: 'null', value: null },
    { name: 'Infinity', value: Number.POSITIVE_INFINITY },
  ])('rejects $name as not a number', ({ value }) => {
    const result = validation.validateProfile(untyped<AthleteProfile>({ maxHr: value }))
    expect(result.valid).toBe(false)
    expect(result.errors[0]).toMatchObject({ field: 'maxHr', code: 'notANumber' })
    expect(result.errors[0]?.message).toMatch(/^maxHr must be a finite number, received /)
  })

  it.for([
    {
      name: 'resting at max',
      profile: { restingHr: 110, maxHr: 110 },
      field: 'maxHr',
      code: 'restingNotBelowMax',
    },
    {
      name: 'threshold below resting',
      profile: { restingHr: 100, lthr: 95 },
      field: 'lthr',
      code: 'restingNotBelowThreshold',
    },
    {
      name: 'threshold at max',
      profile: { lthr: 180, maxHr: 180 },
      field: 'lthr',
      code: 'thresholdNotBelowMax',
    },
    {
      name: 'thresholdHr above max',
      profile: { thresholdHr: 190, maxHr: 180 },
      field: 'thresholdHr',
      code: 'thresholdNotBelowMax',
    },
  ] as const)('rejects $name', ({ profile, field, code }) => {
    const result = validation.validateProfile(profile)
    expect(result.valid).toBe(false)
    expect(result.errors).toContainEqual(expect.objectContaining({ field, code }))
  })

  it('skips relationships with a field that is already in error', () => {
    const result = validation.validateProfile({ restingHr: 300, maxHr: 180 })
    expect(result.errors.map((issue) => issue.code)).toEqual(['outOfRange'])
  })

  it('throws INVALID_INPUT only for a profile that is not an object', () => {
    expectInvalidInput(() => validation.validateProfile(untyped<AthleteProfile>(null)), 'profile')
    expectInvalidInput(() => validation.validateProfile(untyped<AthleteProfile>([180])), 'profile')
  })
})
