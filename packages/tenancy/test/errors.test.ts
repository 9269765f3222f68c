import { describe, expect, it } from 'vitest'
import { getHttpStatus, isTenancyError, TenancyError, type TenancyErrorCode } from '../src/index.js'

describe('TenancyError', () => {
  it('carries code, details and retryable, and is recognised by its brand', () => {
    const error = new TenancyError('locked_out', 'too many failed logins', {
      details: { retryAfterSeconds: 60 },
      retryable: true,
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('TenancyError')
    expect(error.code).toBe('locked_out')
    expect(error.details).toEqual({ retryAfterSeconds: 60 })
    expect(isTenancyError(error)).toBe(true)
    expect(isTenancyError(new Error('x'))).toBe(false)
    expect(isTenancyError({ code: 'locked_out' })).toBe(false)
  })

  it('recognises an error from another copy of the package (Symbol.for brand)', () => {
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('@pierre/tenancy.error'), {
      value: true,
    })
    expect(isTenancyError(foreign)).toBe(true)
  })

  it('keeps the cause out of enumerable output', () => {
    const error = new TenancyError('internal', 'database operation failed', {
      cause: new Error('SQLITE secret row content'),
    })
    expect(error.cause).toBeInstanceOf(Error)
    expect(JSON.stringify(error)).not.toContain('secret')
    expect(Object.keys(error)).not.toContain('cause')
  })

  it.for<[TenancyErrorCode, number]>([
    ['invalid_argument', 400],
    ['invalid_request', 400],
    ['missing_credential', 401],
    ['invalid_token', 401],
    ['invalid_api_key', 401],
    ['invalid_credentials', 401],
    ['forbidden', 403],
    ['account_suspended', 403],
    ['tenant_suspended', 403],
    ['account_pending', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['locked_out', 429],
    ['rate_limited', 429],
    ['master_key_mismatch', 500],
    ['decryption_failed', 500],
  ])('maps %s to HTTP %i', ([code, status]) => {
    expect(getHttpStatus(code)).toBe(status)
  })
})
