import { describe, expect, it } from 'vitest'
import { isSportsScienceError, nutrition, SportsScienceError } from '../src/index.js'
import { expectInvalidInput } from './support/errors.js'

describe('SportsScienceError', () => {
  it('carries a code, details and a cause, and is an Error named after its class', () => {
    const cause = new Error('underlying')
    const error = new SportsScienceError(
      'INVALID_INPUT',
      'ftp must be a positive number, received 0',
      {
        details: { field: 'ftp' },
        cause,
      },
    )
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('SportsScienceError')
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.details).toEqual({ field: 'ftp' })
    expect(error.cause).toBe(cause)
    expect(error.message).toBe('ftp must be a positive number, received 0')
  })

  it('keeps its brand out of enumeration and JSON', () => {
    const error = new SportsScienceError('INVALID_INPUT', 'x must be y, received z')
    expect(Object.getOwnPropertySymbols(error).map(String)).toEqual([
      'Symbol(@pierre/sports-science.error)',
    ])
    expect(Object.keys(error)).not.toContain('Symbol(@pierre/sports-science.error)')
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'SportsScienceError',
      code: 'INVALID_INPUT',
    })
  })
})

describe('isSportsScienceError', () => {
  it.for([
    { name: 'our error', value: new SportsScienceError('INVALID_INPUT', 'm'), expected: true },
    {
      name: 'an error branded by another copy of the package',
      value: Object.assign(new Error('m'), { [Symbol.for('@pierre/sports-science.error')]: true }),
      expected: true,
    },
    { name: 'a plain Error', value: new Error('m'), expected: false },
    { name: 'a look-alike without the brand', value: { code: 'INVALID_INPUT' }, expected: false },
    { name: 'null', value: null, expected: false },
    { name: 'a string', value: 'INVALID_INPUT', expected: false },
  ])('$name → $expected', ({ value, expected }) => {
    expect(isSportsScienceError(value)).toBe(expected)
  })
})

describe('error messages (STYLE B.5)', () => {
  it.for([
    {
      name: 'a number outside its range',
      call: () => nutrition.tdee(-5, 'sedentary'),
      field: 'bmr',
      message: 'bmr must be a number greater than 0 (kcal/day), received -5',
    },
    {
      name: 'a non-finite number',
      call: () => nutrition.tdee(Number.NaN, 'sedentary'),
      field: 'bmr',
      message: 'bmr must be a number greater than 0 (kcal/day), received NaN',
    },
    {
      name: 'an unknown option',
      call: () => nutrition.mealTemplate('brunch' as never),
      field: 'timing',
      message:
        "timing must be one of 'preTraining', 'postTraining', 'restDay', 'general', received 'brunch'",
    },
    {
      name: 'a wrong type',
      call: () => nutrition.hydration({ weightKg: 70, hot: 'yes' as never }),
      field: 'hot',
      message: "hot must be a boolean, received 'yes'",
    },
    {
      name: 'a missing object',
      call: () => nutrition.hydration(undefined as never),
      field: 'args',
      message: 'args must be an object, received undefined',
    },
    {
      name: 'an array instead of an object',
      call: () => nutrition.hydration([] as never),
      field: 'args',
      message: 'args must be an object, received an array of length 0',
    },
  ])('$name', ({ call, field, message }) => {
    expect(expectInvalidInput(call, field).message).toBe(message)
  })

  it('truncates what was received to 200 characters', () => {
    const error = expectInvalidInput(
      () => nutrition.mealTemplate('x'.repeat(1000) as never),
      'timing',
    )
    const received = error.message.slice(error.message.indexOf('received ') + 'received '.length)
    expect(received).toHaveLength(200)
    expect(received.endsWith('…')).toBe(true)
  })
})
