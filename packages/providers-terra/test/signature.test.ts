import { describe, expect, it } from 'vitest'
import { parseTerraSignatureHeader, signTerraPayload, verifyTerraSignature } from '../src/index.js'

// Vector computed outside this code: printf '%s' '1741953600.<body>' | openssl dgst -sha256 -hmac whsec-test
const body = '{"type":"healthcheck","status":"success"}'
const secret = 'whsec-test'
const signedAt = 1741953600 // 2025-03-14T12:00:00Z
const expected = 'bc6416ea232a815635c1e9a401b0a14f6d189a3e6eb1908f300269ddc6278e17'
const at = (seconds: number) => () => new Date(seconds * 1000)

describe('signTerraPayload', () => {
  it('computes HMAC-SHA256 over "<t>." + raw body, hex encoded (Terra docs)', () => {
    expect(signTerraPayload(body, secret, signedAt)).toBe(`t=${signedAt},v1=${expected}`)
    expect(signTerraPayload(new TextEncoder().encode(body), secret, signedAt)).toBe(
      `t=${signedAt},v1=${expected}`,
    )
  })
})

describe('parseTerraSignatureHeader', () => {
  it.for([
    { header: `t=${signedAt},v1=${expected}`, signatures: [expected] },
    { header: ` t = ${signedAt} , v1 = ${expected.toUpperCase()} `, signatures: [expected] },
    { header: `v1=${expected},t=${signedAt}`, signatures: [expected] },
    {
      header: `t=${signedAt},v0=abc,v1=${expected},v1=${'0'.repeat(64)}`,
      signatures: [expected, '0'.repeat(64)],
    },
  ])('reads $header', ({ header, signatures }) => {
    expect(parseTerraSignatureHeader(header)).toEqual({ timestamp: signedAt, signatures })
  })

  it.for([
    { name: 'empty', header: '' },
    { name: 'no v1', header: `t=${signedAt}` },
    { name: 'no t', header: `v1=${expected}` },
    { name: 'two t', header: `t=1,t=2,v1=${expected}` },
    { name: 'non-numeric t', header: `t=12a,v1=${expected}` },
    { name: 'leading zero t', header: `t=0${signedAt},v1=${expected}` },
    { name: 'short v1', header: `t=${signedAt},v1=abcd` },
    { name: 'non-hex v1', header: `t=${signedAt},v1=${'g'.repeat(64)}` },
    { name: 'element without =', header: `t=${signedAt},v1=${expected},junk` },
    { name: 'not a string', header: 42 },
    {
      name: 'too long',
      header: `t=${signedAt},${`v0=${'a'.repeat(64)},`.repeat(40)}v1=${expected}`,
    },
  ])('refuses $name', ({ header }) => {
    expect(parseTerraSignatureHeader(header)).toBeUndefined()
  })
})

describe('verifyTerraSignature', () => {
  const header = `t=${signedAt},v1=${expected}`

  it('accepts the exact body within the window and returns the matching signature', () => {
    expect(verifyTerraSignature(body, header, { secret, now: at(signedAt + 299) })).toEqual({
      ok: true,
      timestamp: signedAt,
      signature: expected,
    })
    expect(
      verifyTerraSignature(new TextEncoder().encode(body), header, {
        secret,
        now: at(signedAt - 300),
      }).ok,
    ).toBe(true)
  })

  it('refuses a body changed by one byte, even only in whitespace', () => {
    const reformatted = JSON.stringify(JSON.parse(body), null, 1)
    for (const tampered of [body.replace('success', 'Success'), `${body} `, reformatted]) {
      expect(verifyTerraSignature(tampered, header, { secret, now: at(signedAt) })).toEqual({
        ok: false,
        reason: 'signature_mismatch',
      })
    }
  })

  it('refuses another secret, a shifted timestamp and a forged signature', () => {
    const now = at(signedAt)
    expect(verifyTerraSignature(body, header, { secret: 'other', now })).toMatchObject({
      reason: 'signature_mismatch',
    })
    expect(
      verifyTerraSignature(body, `t=${signedAt + 1},v1=${expected}`, { secret, now }),
    ).toMatchObject({ reason: 'signature_mismatch' })
    const forged = `${expected.slice(0, 63)}${expected.endsWith('0') ? '1' : '0'}`
    expect(verifyTerraSignature(body, `t=${signedAt},v1=${forged}`, { secret, now })).toMatchObject(
      { reason: 'signature_mismatch' },
    )
  })

  it('refuses an authentic signature outside the window, on either side', () => {
    for (const seconds of [signedAt + 301, signedAt - 301, signedAt + 86_400]) {
      expect(verifyTerraSignature(body, header, { secret, now: at(seconds) })).toEqual({
        ok: false,
        reason: 'timestamp_out_of_window',
      })
    }
    expect(
      verifyTerraSignature(body, header, { secret, now: at(signedAt + 600), toleranceSeconds: 900 })
        .ok,
    ).toBe(true)
  })

  it('accepts any of several v1 values and any of several secrets (rotation)', () => {
    const now = at(signedAt)
    expect(
      verifyTerraSignature(body, `t=${signedAt},v1=${'0'.repeat(64)},v1=${expected}`, {
        secret,
        now,
      }),
    ).toMatchObject({ ok: true, signature: expected })
    expect(verifyTerraSignature(body, header, { secret: ['new-secret', secret], now }).ok).toBe(
      true,
    )
  })

  it('says whether the header is missing or malformed', () => {
    const now = at(signedAt)
    expect(verifyTerraSignature(body, undefined, { secret, now })).toEqual({
      ok: false,
      reason: 'missing_signature',
    })
    expect(verifyTerraSignature(body, `sha256=${expected}`, { secret, now })).toEqual({
      ok: false,
      reason: 'malformed_signature',
    })
  })

  it('never accepts anything with an empty secret', () => {
    expect(
      verifyTerraSignature(body, signTerraPayload(body, '', signedAt), {
        secret: '',
        now: at(signedAt),
      }).ok,
    ).toBe(false)
  })
})
