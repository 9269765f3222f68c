import { describe, expect, it, vi } from 'vitest'
import {
  createIdentityService,
  createMemoryStores,
  createPasswordHasher,
  createSystemActor,
  type IdentityService,
  isTenancyError,
  type TenancyError,
} from '../../src/index.js'
import { createClock, type TestClock, testPassword } from '../support.js'

// Threat catalogue T-19 (brute force and lock-out) and T-20 (user enumeration on login).

interface Setup {
  readonly identity: IdentityService
  readonly verify: ReturnType<typeof vi.fn>
  readonly clock: TestClock
}

async function setup(): Promise<Setup> {
  const clock = createClock()
  const hasher = createPasswordHasher({ parameters: { ln: 10, r: 8, p: 1 } })
  const verify = vi.fn(hasher.verify)
  const identity = createIdentityService({
    stores: createMemoryStores(),
    passwords: { hash: hasher.hash, verify },
    now: clock.now,
  })
  await identity.createUser(createSystemActor('test'), {
    email: 'ann@example.test',
    password: testPassword,
  })
  verify.mockClear()
  return { identity, verify, clock }
}

async function attempt(
  identity: IdentityService,
  email: string,
  password: string,
): Promise<TenancyError | 'ok'> {
  try {
    await identity.login({ email, password })
    return 'ok'
  } catch (error) {
    if (isTenancyError(error)) return error
    throw error
  }
}

describe('login', () => {
  it('T-19 five failures lock the email for 15 minutes; the 6th and the right password get 429 without hashing', async () => {
    const { identity, verify, clock } = await setup()
    for (let i = 0; i < 5; i += 1) {
      const result = await attempt(identity, 'ann@example.test', `wrong password ${i}`)
      expect(result !== 'ok' && result.code).toBe('invalid_credentials')
    }
    expect(verify).toHaveBeenCalledTimes(5)
    verify.mockClear()
    const sixth = await attempt(identity, 'ann@example.test', 'wrong password 6')
    const right = await attempt(identity, 'ann@example.test', testPassword)
    for (const result of [sixth, right]) {
      expect(result !== 'ok' && result.code).toBe('locked_out')
      expect(result !== 'ok' && result.details).toEqual({ retryAfterSeconds: 900 })
    }
    expect(verify).not.toHaveBeenCalled()
    clock.advance(15 * 60)
    expect(await attempt(identity, 'ann@example.test', testPassword)).toBe('ok')
  })

  it('T-19 failures spread beyond the 15-minute window do not lock', async () => {
    const { identity, clock } = await setup()
    for (let i = 0; i < 4; i += 1) await attempt(identity, 'ann@example.test', 'wrong password!')
    clock.advance(15 * 60)
    for (let i = 0; i < 4; i += 1) await attempt(identity, 'ann@example.test', 'wrong password!')
    expect(await attempt(identity, 'ann@example.test', testPassword)).toBe('ok')
  })

  it('T-19 a non-existent email locks exactly the same way', async () => {
    const { identity, verify } = await setup()
    for (let i = 0; i < 5; i += 1) await attempt(identity, 'ghost@example.test', 'some password!!')
    const locked = await attempt(identity, 'ghost@example.test', 'some password!!')
    expect(locked !== 'ok' && locked.code).toBe('locked_out')
    expect(verify).toHaveBeenCalledTimes(5)
  })

  it('T-20 unknown email and wrong password give the same error and one hash verification each', async () => {
    const { identity, verify } = await setup()
    const unknown = await attempt(identity, 'nobody@example.test', 'wrong password!')
    expect(verify).toHaveBeenCalledTimes(1)
    expect(verify.mock.calls[0]?.[1]).toBeUndefined()
    verify.mockClear()
    const wrong = await attempt(identity, 'ann@example.test', 'wrong password!')
    expect(verify).toHaveBeenCalledTimes(1)
    expect(verify.mock.calls[0]?.[1]).toMatch(/^\$scrypt\$/)
    if (unknown === 'ok' || wrong === 'ok') throw new Error('login should fail')
    expect([unknown.code, unknown.message, unknown.details]).toEqual([
      wrong.code,
      wrong.message,
      wrong.details,
    ])
    expect(unknown.message).toBe('invalid email or password')
  })

  it('T-20 pending status is revealed only after the password verified', async () => {
    const { identity } = await setup()
    const tenant = await identity.createTenant(createSystemActor('test'), {
      slug: 'acme',
      name: 'Acme',
    })
    await identity.registerUser(
      { email: 'pending@example.test', password: testPassword },
      { tenantId: tenant.id },
    )
    const wrong = await attempt(identity, 'pending@example.test', 'wrong password!')
    const right = await attempt(identity, 'pending@example.test', testPassword)
    expect(wrong !== 'ok' && wrong.code).toBe('invalid_credentials')
    expect(right !== 'ok' && right.code).toBe('account_pending')
  })
})
