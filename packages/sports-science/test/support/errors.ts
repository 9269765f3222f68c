import { expect } from 'vitest'
import { isSportsScienceError, type SportsScienceError } from '../../src/index.js'

/**
 * Runs `call`, expects it to throw an `INVALID_INPUT` SportsScienceError about `field` in the message
 * style of STYLE B.5 (lower-case, no trailing period, names the field and what was received), and
 * returns the error for further checks.
 */
export function expectInvalidInput(call: () => unknown, field: string): SportsScienceError {
  let thrown: unknown
  try {
    call()
  } catch (error) {
    thrown = error
  }
  if (!isSportsScienceError(thrown)) {
    throw new Error(`expected a SportsScienceError about ${field}, got ${String(thrown)}`)
  }
  expect(thrown.code).toBe('INVALID_INPUT')
  expect(thrown.details).toEqual({ field })
  expect(thrown.message.startsWith(`${field} `)).toBe(true)
  expect(thrown.message).toContain('received')
  expect(thrown.message).not.toMatch(/\.$/)
  return thrown
}
