import { createHash } from 'node:crypto'
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type JWTPayload,
  SignJWT,
} from 'jose'
import { type Keyring, platformTenantId } from '../crypto/keyring.js'
import { TenancyError } from '../errors.js'
import { iso, silentLogger, systemNow } from '../internal/defaults.js'
import type { SigningKeyRecord, SigningKeyState, SigningKeyStore } from '../stores/types.js'
import type { Logger, Now } from '../types.js'

const day = 86_400_000

/** A public JWK as published in the JWKS (spec §2.4): public members only. */
export interface PublicJwk {
  readonly kty: 'RSA'
  readonly use: 'sig'
  readonly alg: 'RS256'
  readonly kid: string
  readonly n: string
  readonly e: string
}

/** The JWKS document and its strong ETag. */
export interface JwksResult {
  /** `{ keys: [...] }` for `next`, `active` and `retiring` keys. */
  readonly document: { readonly keys: readonly PublicJwk[] }
  /** Strong ETag (quoted) of the serialised document, for `If-None-Match`. */
  readonly etag: string
}

/** A key's public facts (never the private half). */
export interface SigningKeyInfo {
  readonly kid: string
  readonly state: SigningKeyState
  readonly createdAt: string
  readonly activateAt: string | null
  readonly activatedAt: string | null
  readonly retireAt: string | null
  readonly retiredAt: string | null
}

/** One state change made by rotation or maintenance, for the server to log. */
export interface KeyTransition {
  readonly kid: string
  readonly from: SigningKeyState | 'new' | 'deleted'
  readonly to: SigningKeyState | 'deleted'
}

/** Options of {@link createSigningKeys}. */
export interface SigningKeysOptions {
  /** Where keys live (shared by instances). */
  readonly store: SigningKeyStore
  /** Encrypts private halves under the platform data key. */
  readonly keyring: Keyring
  /** Clock. */
  readonly now?: Now
  /** Receives `info` on every transition. */
  readonly logger?: Logger
  /** RSA modulus; default 4096 (spec §2.4). Use 2048 only in tests. */
  readonly modulusLength?: 2048 | 3072 | 4096
  /** Scheduled rotation period in days; default 90. */
  readonly rotationDays?: number
  /** How long a `next` key is published before it signs; default 7200 s (> JWKS max-age). */
  readonly activationDelaySeconds?: number
  /** Longest token lifetime signed with these keys; default 3600 s. */
  readonly maxTokenLifetimeSeconds?: number
  /** Extra time a retiring key keeps verifying after its last token expired; default 60 s. */
  readonly retirementGraceSeconds?: number
  /** How long retired keys are kept for forensics; default 30 days. */
  readonly retiredRetentionDays?: number
  /** How often the key set version is polled; default 60 s. */
  readonly reloadIntervalSeconds?: number
}

/** RS256 signing keys with `kid`s, JWKS and rotation with overlap (spec §2.4). */
export interface SigningKeys {
  /** Creates and activates the first key when none is active; returns the active `kid`. */
  ensureActiveKey(): Promise<string>
  /**
   * Scheduled rotation publishes a new key as `next` (it signs after the activation delay, during
   * {@link SigningKeys.runMaintenance}). With `compromised: true` a new key signs at once and every
   * other key stops verifying immediately.
   */
  rotate(options?: { readonly compromised?: boolean }): Promise<readonly KeyTransition[]>
  /**
   * Applies due transitions: `next` → `active` (previous active → `retiring` until its tokens
   * expired plus the grace), `retiring` → `retired`, deletes old retired keys, and publishes a
   * `next` key when the active one is older than the rotation period. Call it periodically.
   */
  runMaintenance(): Promise<readonly KeyTransition[]>
  /** The JWKS document (public members only) and its ETag. */
  getJwks(): Promise<JwksResult>
  /** The verification key for a `kid` in state `next`, `active` or `retiring`; else undefined. */
  getVerificationKey(kid: string): Promise<CryptoKey | undefined>
  /**
   * Signs a JWT with the active key: header `{ alg: 'RS256', kid, typ }`. The token service uses
   * it; tests use it to forge tokens with the real key.
   */
  sign(payload: JWTPayload, options?: { readonly typ?: string }): Promise<string>
  /** Lists every key's public facts, oldest first. */
  list(): Promise<readonly SigningKeyInfo[]>
  /** Reloads the key set from the store now. */
  reload(): Promise<void>
}

interface LoadedKey {
  readonly record: SigningKeyRecord
  readonly publicKey: CryptoKey
}

/**
 * Creates the signing-key manager. Keys are loaded lazily from the store, and reloaded when the
 * store's version changes (polled at most every `reloadIntervalSeconds`).
 */
export function createSigningKeys(options: SigningKeysOptions): SigningKeys {
  const { store, keyring } = options
  const now = options.now ?? systemNow
  const logger = options.logger ?? silentLogger
  const modulusLength = options.modulusLength ?? 4096
  const rotationMs = (options.rotationDays ?? 90) * day
  const activationDelayMs = (options.activationDelaySeconds ?? 7200) * 1000
  const overlapMs =
    ((options.maxTokenLifetimeSeconds ?? 3600) + (options.retirementGraceSeconds ?? 60)) * 1000
  const retentionMs = (options.retiredRetentionDays ?? 30) * day
  const reloadMs = (options.reloadIntervalSeconds ?? 60) * 1000

  let loaded: Map<string, LoadedKey> | undefined
  let loadedVersion = -1
  let checkedAtMs = Number.NEGATIVE_INFINITY
  const privateKeys = new Map<string, CryptoKey>()

  async function reload(): Promise<Map<string, LoadedKey>> {
    const version = await store.getVersion()
    const records = await store.list()
    const next = new Map<string, LoadedKey>()
    for (const record of records) {
      const previous = loaded?.get(record.kid)
      const publicKey =
        previous?.publicKey ?? ((await importJWK({ ...record.publicJwk }, 'RS256')) as CryptoKey)
      next.set(record.kid, { record, publicKey })
    }
    loaded = next
    loadedVersion = version
    checkedAtMs = now().getTime()
    return next
  }

  async function current(): Promise<Map<string, LoadedKey>> {
    const nowMs = now().getTime()
    if (loaded && nowMs - checkedAtMs < reloadMs) return loaded
    if (loaded && (await store.getVersion()) === loadedVersion) {
      checkedAtMs = nowMs
      return loaded
    }
    return reload()
  }

  async function generate(
    state: SigningKeyState,
    activateAtMs: number | null,
  ): Promise<SigningKeyRecord> {
    const pair = await generateKeyPair('RS256', { modulusLength, extractable: true })
    const jwk = await exportJWK(pair.publicKey)
    if (jwk.n === undefined || jwk.e === undefined) {
      throw new TenancyError('internal', 'generated key has no RSA public members')
    }
    const publicJwk = { kty: 'RSA', n: jwk.n, e: jwk.e }
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256')
    const pkcs8 = await exportPKCS8(pair.privateKey)
    const privateKey = await keyring.encrypt(privateKeyAad(kid), pkcs8)
    const nowIso = now().toISOString()
    return {
      kid,
      state,
      publicJwk,
      privateKey,
      createdAt: nowIso,
      activateAt: activateAtMs === null ? null : iso(activateAtMs),
      activatedAt: state === 'active' ? nowIso : null,
      retireAt: null,
      retiredAt: null,
    }
  }

  async function commit(
    change: { insert?: SigningKeyRecord[]; update?: SigningKeyRecord[]; delete?: string[] },
    transitions: KeyTransition[],
  ): Promise<readonly KeyTransition[]> {
    if (transitions.length === 0) return transitions
    await store.commit(change)
    for (const transition of transitions) {
      logger.info({ ...transition }, 'signing key transition')
      if (transition.to !== 'active') privateKeys.delete(transition.kid)
    }
    await reload()
    return transitions
  }

  function byState(keys: Map<string, LoadedKey>, state: SigningKeyState): SigningKeyRecord[] {
    return [...keys.values()].map((key) => key.record).filter((record) => record.state === state)
  }

  async function activeRecord(): Promise<SigningKeyRecord> {
    const active = byState(await current(), 'active')
    const newest = active.at(-1)
    if (!newest) {
      throw new TenancyError(
        'internal',
        'no active signing key: call ensureActiveKey() at start-up',
      )
    }
    return newest
  }

  async function rotateScheduled(): Promise<readonly KeyTransition[]> {
    const keys = await reload()
    if (byState(keys, 'next').length > 0) return []
    if (byState(keys, 'active').length === 0) {
      const record = await generate('active', null)
      return commit({ insert: [record] }, [{ kid: record.kid, from: 'new', to: 'active' }])
    }
    const record = await generate('next', now().getTime() + activationDelayMs)
    return commit({ insert: [record] }, [{ kid: record.kid, from: 'new', to: 'next' }])
  }

  async function rotateCompromised(): Promise<readonly KeyTransition[]> {
    const keys = await reload()
    const fresh = await generate('active', null)
    const nowIso = now().toISOString()
    const update: SigningKeyRecord[] = []
    const transitions: KeyTransition[] = [{ kid: fresh.kid, from: 'new', to: 'active' }]
    for (const { record } of keys.values()) {
      if (record.state === 'retired') continue
      update.push({ ...record, state: 'retired', retiredAt: nowIso, retireAt: nowIso })
      transitions.push({ kid: record.kid, from: record.state, to: 'retired' })
    }
    return commit({ insert: [fresh], update }, transitions)
  }

  return {
    async ensureActiveKey() {
      const keys = await reload()
      const active = byState(keys, 'active').at(-1)
      if (active) return active.kid
      await rotateScheduled()
      return (await activeRecord()).kid
    },

    rotate(rotateOptions) {
      return rotateOptions?.compromised === true ? rotateCompromised() : rotateScheduled()
    },

    async runMaintenance() {
      const keys = await reload()
      const nowMs = now().getTime()
      const nowIso = iso(nowMs)
      const update: SigningKeyRecord[] = []
      const remove: string[] = []
      const transitions: KeyTransition[] = []
      const due = byState(keys, 'next').filter(
        (record) => record.activateAt !== null && Date.parse(record.activateAt) <= nowMs,
      )
      const promoted = due.at(-1)
      if (promoted) {
        for (const record of byState(keys, 'active')) {
          update.push({ ...record, state: 'retiring', retireAt: iso(nowMs + overlapMs) })
          transitions.push({ kid: record.kid, from: 'active', to: 'retiring' })
        }
        update.push({ ...promoted, state: 'active', activatedAt: nowIso })
        transitions.push({ kid: promoted.kid, from: 'next', to: 'active' })
      }
      for (const record of byState(keys, 'retiring')) {
        if (record.retireAt !== null && Date.parse(record.retireAt) <= nowMs) {
          update.push({ ...record, state: 'retired', retiredAt: nowIso })
          transitions.push({ kid: record.kid, from: 'retiring', to: 'retired' })
        }
      }
      for (const record of byState(keys, 'retired')) {
        if (record.retiredAt !== null && Date.parse(record.retiredAt) + retentionMs <= nowMs) {
          remove.push(record.kid)
          transitions.push({ kid: record.kid, from: 'retired', to: 'deleted' })
        }
      }
      const result = [...(await commit({ update, delete: remove }, transitions))]
      const active = byState(loaded ?? keys, 'active').at(-1)
      const hasNext = byState(loaded ?? keys, 'next').length > 0
      if (active?.activatedAt && !hasNext && Date.parse(active.activatedAt) + rotationMs <= nowMs) {
        result.push(...(await rotateScheduled()))
      }
      return result
    },

    async getJwks() {
      const keys = await current()
      const published = [...keys.values()]
        .map((key) => key.record)
        .filter((record) => record.state !== 'retired' && !pastRetirement(record, now().getTime()))
        .map(
          (record): PublicJwk => ({
            kty: 'RSA',
            use: 'sig',
            alg: 'RS256',
            kid: record.kid,
            n: record.publicJwk.n ?? '',
            e: record.publicJwk.e ?? '',
          }),
        )
      const document = { keys: published }
      const digest = createHash('sha256').update(JSON.stringify(document)).digest('base64url')
      return { document, etag: `"${digest.slice(0, 27)}"` }
    },

    async getVerificationKey(kid) {
      const key = (await current()).get(kid)
      if (!key || key.record.state === 'retired') return undefined
      return pastRetirement(key.record, now().getTime()) ? undefined : key.publicKey
    },

    async sign(payload, signOptions) {
      const record = await activeRecord()
      let privateKey = privateKeys.get(record.kid)
      if (!privateKey) {
        const pem = await keyring.decryptText(privateKeyAad(record.kid), record.privateKey)
        privateKey = (await importPKCS8(pem, 'RS256')) as CryptoKey
        privateKeys.set(record.kid, privateKey)
      }
      const header =
        signOptions?.typ === undefined
          ? { alg: 'RS256', kid: record.kid }
          : { alg: 'RS256', kid: record.kid, typ: signOptions.typ }
      return new SignJWT(payload).setProtectedHeader(header).sign(privateKey)
    },

    async list() {
      return [...(await reload()).values()].map(({ record }) => ({
        kid: record.kid,
        state: record.state,
        createdAt: record.createdAt,
        activateAt: record.activateAt,
        activatedAt: record.activatedAt,
        retireAt: record.retireAt,
        retiredAt: record.retiredAt,
      }))
    },

    async reload() {
      await reload()
    },
  }
}

/** A retiring key stops verifying (and leaves the JWKS) at `retireAt`, even before maintenance. */
function pastRetirement(record: SigningKeyRecord, nowMs: number): boolean {
  return (
    record.state === 'retiring' && record.retireAt !== null && Date.parse(record.retireAt) <= nowMs
  )
}

function privateKeyAad(kid: string): {
  purpose: string
  tenantId: string
  subject: string
} {
  return { purpose: 'signing_keys.private_key', tenantId: platformTenantId, subject: kid }
}
