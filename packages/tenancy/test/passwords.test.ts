import { describe, expect, it } from 'vitest'
import { checkPasswordPolicy, createPasswordHasher, defaultScryptParameters } from '../src/index.js'

const cheap = { ln: 10, r: 8, p: 1 }

describe('password hashing (spec §3.3)', () => {
  it('uses scrypt N=2^16, r=8, p=2 by default in a self-describing PHC-style string', async () => {
    expect(defaultScryptParameters).toEqual({ ln: 16, r: 8, p: 2 })
    const hasher = createPasswordHasher()
    const stored = await hasher.hash('correct horse battery staple')
    expect(stored).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(await hasher.verify('correct horse battery staple', stored)).toEqual({
      valid: true,
      needsRehash: false,
    })
  })

  it('salts every hash and rejects wrong passwords', async () => {
    const hasher = createPasswordHasher({ parameters: cheap })
    const one = await hasher.hash('correct horse battery staple')
    const two = await hasher.hash('correct horse battery staple')
    expect(one).not.toBe(two)
    expect((await hasher.verify('correct horse battery stapler', one)).valid).toBe(false)
  })

  it('normalises to NFC, so composed and decomposed forms match', async () => {
    const hasher = createPasswordHasher({ parameters: cheap })
    const stored = await hasher.hash('caf\u00e9 au lait s\u00fbr')
    expect((await hasher.verify('cafe\u0301 au lait su\u0302r', stored)).valid).toBe(true)
  })

  it('verifies against a dummy hash when there is no stored hash, and never accepts', async () => {
    const hasher = createPasswordHasher({ parameters: cheap })
    expect(await hasher.verify('anything at all here', undefined)).toEqual({
      valid: false,
      needsRehash: false,
    })
    expect((await hasher.verify('anything', '$scrypt$ln=99,r=8,p=1$AAAA$BBBB')).valid).toBe(false)
    expect((await hasher.verify('anything', 'plain-text')).valid).toBe(false)
  })

  it('asks for a rehash when the stored parameters are weaker than configured', async () => {
    const weak = await createPasswordHasher({ parameters: cheap }).hash(
      'correct horse battery staple',
    )
    const stronger = createPasswordHasher({ parameters: { ln: 11, r: 8, p: 1 } })
    expect(await stronger.verify('correct horse battery staple', weak)).toEqual({
      valid: true,
      needsRehash: true,
    })
  })
})

describe('password policy (spec §3.3)', () => {
  it('accepts a long passphrase', () => {
    expect(
      checkPasswordPolicy('correct horse battery staple', { email: 'ann@example.test' }),
    ).toEqual([])
  })

  it('lists every rule broken at once', () => {
    expect(checkPasswordPolicy('short')).toEqual(['password must be at least 12 characters'])
    expect(checkPasswordPolicy('x'.repeat(257))).toEqual([
      'password must be at most 256 characters',
    ])
    expect(checkPasswordPolicy('Password1234')).toEqual(['password is too common'])
    expect(checkPasswordPolicy('annabelle.lee', { email: 'Annabelle.Lee@example.test' })).toEqual([
      'password must not be the email address or its local part',
    ])
  })

  it('counts code points, not UTF-16 units', () => {
    expect(checkPasswordPolicy('🔒'.repeat(11))).toEqual([
      'password must be at least 12 characters',
    ])
    expect(checkPasswordPolicy('🔒'.repeat(12))).toEqual([])
  })

  it('takes a custom common-password list', () => {
    const common = new Set(['correct horse battery staple'])
    expect(
      checkPasswordPolicy('Correct Horse Battery Staple', { commonPasswords: common }),
    ).toEqual(['password is too common'])
  })
})
