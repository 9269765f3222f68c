import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto'
import { TenancyError } from '../errors.js'
import { silentLogger, systemNow } from '../internal/defaults.js'
import { fromBase64Url, toBase64Url } from '../internal/encoding.js'
import type { KeyStore, TenantKeyRecord } from '../stores/types.js'
import type { Logger, Now } from '../types.js'
import { type MasterKey, masterKeyObject } from './master-key.js'

/** Tenant id of the platform data key (signing keys, platform provider secrets; spec §2.2). */
export const platformTenantId = '__platform__'

const keyCheckPlaintext = 'pierre-mek-check-v1'
const keyCheckAad = 'pierre/kcv/v1'
const pepperAad = 'pierre/pepper/v1'
const kekInfo = 'pierre/kek/v1'
const nonceBytes = 12
const tagBytes = 16

/**
 * What a ciphertext is bound to (spec §2.2). Decrypting with any other part fails authentication.
 * Parts must not contain `|` or control characters.
 */
export interface AadParts {
  /** Table and column, e.g. `provider_tokens.refresh_token`. */
  readonly purpose: string
  /** Owning tenant ({@link platformTenantId} for platform secrets). */
  readonly tenantId: string
  /** Owning user, when the secret is a user's. */
  readonly userId?: string | null | undefined
  /** Provider, when the secret belongs to one. */
  readonly provider?: string | null | undefined
  /** Row identity for secrets keyed by neither user nor provider (e.g. a signing key's `kid`). */
  readonly subject?: string | null | undefined
}

/** Envelope encryption under per-tenant data keys wrapped by the master key (spec §2.2). */
export interface Keyring {
  /**
   * Encrypts with the tenant's active data key (created on first use), AES-256-GCM with a fresh
   * 96-bit nonce. Returns `pe1.<keyVersion>.<nonce>.<ciphertext‖tag>` (base64url parts).
   */
  encrypt(aad: AadParts, plaintext: string | Uint8Array): Promise<string>
  /**
   * Decrypts a value written by {@link Keyring.encrypt} with the same AAD parts. The caller should
   * `fill(0)` the buffer after use.
   * @throws `decryption_failed` (tampering, swapped rows, destroyed or wrong key); the message
   *   names the purpose, never the ciphertext.
   */
  decrypt(aad: AadParts, ciphertext: string): Promise<Buffer>
  /** {@link Keyring.decrypt} as UTF-8 text. */
  decryptText(aad: AadParts, ciphertext: string): Promise<string>
  /** Makes sure a tenant has an active data key; returns its version. */
  ensureTenantKey(tenantId: string): Promise<number>
  /** Creates a new data-key version for a tenant; older versions become decrypt-only. */
  rotateTenantKey(tenantId: string): Promise<number>
  /** Crypto-shreds a tenant: every data key is destroyed, so all its ciphertext is unreadable. */
  destroyTenantKeys(tenantId: string): Promise<void>
  /** Hex HMAC-SHA-256 of a high-entropy secret under the installation pepper (API keys). */
  hmac(value: string): string
  /**
   * Re-wraps every data key and the pepper under a new master key and replaces the key-check value,
   * in one transaction. Data ciphertexts are untouched.
   */
  rotateMasterKey(next: MasterKey): Promise<void>
}

/** Options of {@link loadKeyring}. */
export interface KeyringOptions {
  /** The master key (see `loadMasterKey`). */
  readonly masterKey: MasterKey
  /** Where wrapped keys and installation secrets live. */
  readonly store: KeyStore
  /** Clock. */
  readonly now?: Now
  /** Receives `error` on authentication failures and `info` on key creation. */
  readonly logger?: Logger
}

/** Returns true when the store already holds key material (the master key must then exist). */
export async function isKeyringInitialized(store: KeyStore): Promise<boolean> {
  return (await store.getSecret('key_check')) !== undefined
}

/**
 * Opens the keyring: derives the KEK, checks the master key against the stored key-check value
 * (creating it, the installation id and the pepper on first run) and returns the {@link Keyring}.
 *
 * @throws `master_key_mismatch` when the master key does not match this database; nothing is
 *   written in that case.
 */
export async function loadKeyring(options: KeyringOptions): Promise<Keyring> {
  const { store } = options
  const now = options.now ?? systemNow
  const logger = options.logger ?? silentLogger
  const installationId = await store.putSecretIfAbsent('installation_id', randomUUID())
  let kek = deriveKek(options.masterKey, installationId)

  const storedCheck = await store.getSecret('key_check')
  const check =
    storedCheck ??
    (await store.putSecretIfAbsent(
      'key_check',
      seal(kek, Buffer.from(keyCheckPlaintext), keyCheckAad),
    ))
  const opened = open(kek, check, keyCheckAad)
  if (!opened || opened.toString('utf8') !== keyCheckPlaintext) {
    throw new TenancyError('master_key_mismatch', 'master key does not match this database')
  }

  const storedPepper = await store.getSecret('hmac_pepper')
  const wrappedPepper =
    storedPepper ??
    (await store.putSecretIfAbsent('hmac_pepper', seal(kek, randomBytes(32), pepperAad)))
  const pepperBytes = open(kek, wrappedPepper, pepperAad)
  if (!pepperBytes) {
    throw new TenancyError('master_key_mismatch', 'master key does not match this database')
  }
  const pepper = createSecretKey(pepperBytes)
  pepperBytes.fill(0)

  const cache = new Map<string, { active: number; keys: Map<number, KeyObject> }>()

  async function loadTenant(
    tenantId: string,
  ): Promise<{ active: number; keys: Map<number, KeyObject> }> {
    const records = await store.listTenantKeys(tenantId)
    const keys = new Map<number, KeyObject>()
    let active = 0
    for (const record of records) {
      if (record.status === 'destroyed') continue
      const raw = open(kek, record.wrappedKey, dekAad(tenantId, record.version))
      if (!raw) {
        logger.error({ tenantId, version: record.version }, 'data key unwrap failed')
        throw new TenancyError('decryption_failed', 'data key does not unwrap for this tenant', {
          details: { tenantId, version: record.version },
        })
      }
      keys.set(record.version, createSecretKey(raw))
      raw.fill(0)
      if (record.status === 'active') active = Math.max(active, record.version)
    }
    const entry = { active, keys }
    cache.set(tenantId, entry)
    return entry
  }

  async function addVersion(tenantId: string): Promise<number> {
    const records = await store.listTenantKeys(tenantId)
    const version = records.reduce((max, record) => Math.max(max, record.version), 0) + 1
    const raw = randomBytes(32)
    const record: TenantKeyRecord = {
      tenantId,
      version,
      wrappedKey: seal(kek, raw, dekAad(tenantId, version)),
      status: 'active',
      createdAt: now().toISOString(),
    }
    raw.fill(0)
    try {
      await store.addTenantKey(record)
      logger.info({ tenantId, version }, 'tenant data key created')
    } catch (error) {
      // Another instance won the race for this version; its key is as good as ours.
      if (!(error instanceof TenancyError && error.code === 'conflict')) throw error
    }
    cache.delete(tenantId)
    const entry = await loadTenant(tenantId)
    return entry.active
  }

  async function ensureTenantKey(tenantId: string): Promise<number> {
    validatePart('tenantId', tenantId)
    const entry = cache.get(tenantId) ?? (await loadTenant(tenantId))
    if (entry.active > 0) return entry.active
    return addVersion(tenantId)
  }

  function fail(aad: AadParts, reason: string): TenancyError {
    logger.error(
      { purpose: aad.purpose, tenantId: aad.tenantId, reason },
      'ciphertext authentication failed',
    )
    return new TenancyError('decryption_failed', `decryption failed for ${aad.purpose}`, {
      details: { purpose: aad.purpose, reason },
    })
  }

  const keyring: Keyring = {
    async encrypt(aad, plaintext) {
      const text = buildAad(aad)
      const version = await ensureTenantKey(aad.tenantId)
      const key = cache.get(aad.tenantId)?.keys.get(version)
      if (!key) throw new TenancyError('internal', 'active data key missing from cache')
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
      const nonce = randomBytes(nonceBytes)
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes })
      cipher.setAAD(Buffer.from(text, 'utf8'))
      const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()])
      return `pe1.${version}.${toBase64Url(nonce)}.${toBase64Url(body)}`
    },

    async decrypt(aad, ciphertext) {
      const text = buildAad(aad)
      const parts = ciphertext.split('.')
      const version = Number(parts[1])
      const nonce = fromBase64Url(parts[2] ?? '')
      const body = fromBase64Url(parts[3] ?? '')
      if (
        parts.length !== 4 ||
        parts[0] !== 'pe1' ||
        !Number.isSafeInteger(version) ||
        version < 1 ||
        !nonce ||
        nonce.length !== nonceBytes ||
        !body ||
        body.length < tagBytes
      ) {
        throw fail(aad, 'malformed')
      }
      let entry = cache.get(aad.tenantId)
      if (!entry?.keys.has(version)) entry = await loadTenant(aad.tenantId)
      const key = entry.keys.get(version)
      if (!key) throw fail(aad, 'key_unavailable')
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes })
        decipher.setAAD(Buffer.from(text, 'utf8'))
        decipher.setAuthTag(body.subarray(body.length - tagBytes))
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - tagBytes)),
          decipher.final(),
        ])
      } catch {
        throw fail(aad, 'authentication')
      }
    },

    async decryptText(aad, ciphertext) {
      const bytes = await keyring.decrypt(aad, ciphertext)
      const text = bytes.toString('utf8')
      bytes.fill(0)
      return text
    },

    ensureTenantKey,

    async rotateTenantKey(tenantId) {
      validatePart('tenantId', tenantId)
      return addVersion(tenantId)
    },

    async destroyTenantKeys(tenantId) {
      validatePart('tenantId', tenantId)
      await store.destroyTenantKeys(tenantId)
      cache.delete(tenantId)
      logger.info({ tenantId }, 'tenant data keys destroyed')
    },

    hmac(value) {
      return createHmac('sha256', pepper).update(value, 'utf8').digest('hex')
    },

    async rotateMasterKey(next) {
      const nextKek = deriveKek(next, installationId)
      const tenantKeys = []
      for (const record of await store.listAllTenantKeys()) {
        if (record.status === 'destroyed') continue
        const aad = dekAad(record.tenantId, record.version)
        const raw = open(kek, record.wrappedKey, aad)
        if (!raw) {
          throw new TenancyError(
            'decryption_failed',
            'data key does not unwrap; rotation aborted',
            {
              details: { tenantId: record.tenantId, version: record.version },
            },
          )
        }
        tenantKeys.push({
          tenantId: record.tenantId,
          version: record.version,
          wrappedKey: seal(nextKek, raw, aad),
        })
        raw.fill(0)
      }
      const pepperRaw = open(kek, (await store.getSecret('hmac_pepper')) ?? '', pepperAad)
      if (!pepperRaw) {
        throw new TenancyError('decryption_failed', 'pepper does not unwrap; rotation aborted')
      }
      const secrets = [
        { name: 'hmac_pepper', value: seal(nextKek, pepperRaw, pepperAad) },
        { name: 'key_check', value: seal(nextKek, Buffer.from(keyCheckPlaintext), keyCheckAad) },
      ]
      pepperRaw.fill(0)
      await store.rewrap({ tenantKeys, secrets })
      kek = nextKek
      cache.clear()
      logger.info({ tenantKeys: tenantKeys.length }, 'master key rotated')
    },
  }
  return keyring
}

function deriveKek(masterKey: MasterKey, installationId: string): KeyObject {
  const bytes = Buffer.from(
    hkdfSync('sha256', masterKeyObject(masterKey), installationId, kekInfo, 32),
  )
  const kek = createSecretKey(bytes)
  bytes.fill(0)
  return kek
}

function dekAad(tenantId: string, version: number): string {
  return `pierre/dek/v1|${tenantId}|${version}`
}

/** Builds the AAD string of spec §2.2 from structured parts; the only place that does. */
function buildAad(parts: AadParts): string {
  validatePart('purpose', parts.purpose)
  validatePart('tenantId', parts.tenantId)
  const optional = (name: string, value: string | null | undefined): string => {
    if (value === null || value === undefined) return '-'
    validatePart(name, value)
    return value
  }
  const base = `pierre/v1|${parts.purpose}|${parts.tenantId}|${optional('userId', parts.userId)}|${optional('provider', parts.provider)}`
  return parts.subject === null || parts.subject === undefined
    ? base
    : `${base}|${optional('subject', parts.subject)}`
}

function validatePart(name: string, value: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (value === '' || value === '-' || /[|\u0000-\u001f\u007f]/.test(value)) {
    throw new TenancyError('invalid_argument', `aad part ${name} must be non-empty without "|"`)
  }
}

function seal(key: KeyObject, plaintext: Uint8Array, aad: string): string {
  const nonce = randomBytes(nonceBytes)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes })
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
  return `w1.${toBase64Url(nonce)}.${toBase64Url(body)}`
}

function open(key: KeyObject, sealed: string, aad: string): Buffer | undefined {
  const parts = sealed.split('.')
  const nonce = fromBase64Url(parts[1] ?? '')
  const body = fromBase64Url(parts[2] ?? '')
  if (parts.length !== 3 || parts[0] !== 'w1' || !nonce || !body || body.length < tagBytes) {
    return undefined
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes })
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(body.subarray(body.length - tagBytes))
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - tagBytes)),
      decipher.final(),
    ])
  } catch {
    return undefined
  }
}
