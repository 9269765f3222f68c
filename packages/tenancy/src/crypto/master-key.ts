import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto'
import { constants, promises as fs, type Stats } from 'node:fs'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { TenancyError } from '../errors.js'

const keys = new WeakMap<MasterKey, KeyObject>()

/**
 * The 32-byte master encryption key (spec §2.1), held in a `KeyObject`. It never turns back into
 * text: JSON, `util.inspect` and string conversion all print `[redacted]`.
 */
export class MasterKey {
  /** Use {@link parseMasterKey}, {@link generateMasterKey} or {@link loadMasterKey}. */
  private constructor(key: KeyObject) {
    keys.set(this, key)
  }

  /** @internal */
  static fromBytes(bytes: Buffer): MasterKey {
    const key = new MasterKey(createSecretKey(bytes))
    bytes.fill(0)
    return key
  }

  /** Always `[redacted]`. */
  toJSON(): string {
    return '[redacted]'
  }

  /** Always `[redacted]`. */
  toString(): string {
    return '[redacted]'
  }

  /** Always `MasterKey [redacted]`. */
  [inspect.custom](): string {
    return 'MasterKey [redacted]'
  }
}

/** Returns the `KeyObject` of a master key. Internal to this package. */
export function masterKeyObject(key: MasterKey): KeyObject {
  const object = keys.get(key)
  if (!object) throw new TenancyError('master_key_invalid', 'not a master key')
  return object
}

/**
 * Parses a master key given as standard base64 or base64url of exactly 32 bytes (surrounding white
 * space is ignored).
 *
 * @throws `master_key_invalid` for any other input; the message never contains the input.
 */
export function parseMasterKey(text: string): MasterKey {
  const trimmed = text.trim()
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    throw new TenancyError('master_key_invalid', 'master key must be base64 of exactly 32 bytes')
  }
  const bytes = Buffer.from(
    trimmed.replace(/[+/]/g, (c) => (c === '+' ? '-' : '_')),
    'base64url',
  )
  if (bytes.length !== 32) {
    bytes.fill(0)
    throw new TenancyError('master_key_invalid', 'master key must be base64 of exactly 32 bytes')
  }
  return MasterKey.fromBytes(bytes)
}

/** Generates a fresh random master key (for tests and in-memory use; servers use {@link loadMasterKey}). */
export function generateMasterKey(): MasterKey {
  return MasterKey.fromBytes(randomBytes(32))
}

/** Options of {@link loadMasterKey}; the server passes its configuration here. */
export interface LoadMasterKeyOptions {
  /** The key itself, e.g. from `PIERRE_MASTER_ENCRYPTION_KEY` (base64 or base64url of 32 bytes). */
  readonly value?: string | undefined
  /** An explicit key file, e.g. from `PIERRE_MASTER_KEY_FILE`. It must exist. */
  readonly file?: string | undefined
  /** Data directory: `<dataDir>/master.key` is read, or generated on first run. */
  readonly dataDir?: string | undefined
  /**
   * Whether the database already holds wrapped keys (see `isKeyringInitialized`). When true, a
   * missing key is an error instead of a reason to generate one.
   */
  readonly databaseHasKeys: boolean
  /** Platform override for tests; on `win32` the file-mode check is skipped with a warning. */
  readonly platform?: NodeJS.Platform
}

/** Result of {@link loadMasterKey}. */
export interface LoadedMasterKey {
  /** The key. */
  readonly key: MasterKey
  /** Where it came from. */
  readonly source: 'value' | 'file' | 'generated'
  /** The file read or written, when a file was involved. */
  readonly path: string | undefined
  /** Non-fatal findings the server should log at `warn` (never containing key material). */
  readonly warnings: readonly string[]
}

/**
 * Finds the master key as spec §2.1 orders it: the value, else the explicit file, else
 * `<dataDir>/master.key`; on first run (no key anywhere and `databaseHasKeys` false) it generates
 * 32 random bytes into `<dataDir>/master.key` with mode 0600 (exclusive create, fsync, link).
 *
 * @throws `master_key_invalid` when the value or file content is not a 32-byte key;
 *   `master_key_file_insecure` when the file is a symlink, not a regular file, owned by someone
 *   else or readable by group/others; `master_key_missing` when no key exists for a database that
 *   already holds wrapped keys, or when the explicit file does not exist.
 */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<LoadedMasterKey> {
  const platform = options.platform ?? process.platform
  if (options.value !== undefined && options.value !== '') {
    return { key: parseMasterKey(options.value), source: 'value', path: undefined, warnings: [] }
  }
  if (options.file !== undefined && options.file !== '') {
    const loaded = await readKeyFile(options.file, platform)
    if (!loaded) {
      throw new TenancyError('master_key_missing', `master key file ${options.file} does not exist`)
    }
    return { ...loaded, source: 'file', path: options.file }
  }
  if (options.dataDir === undefined || options.dataDir === '') {
    throw new TenancyError(
      'master_key_missing',
      'no master key: set a key value, a key file or a data directory',
    )
  }
  const path = join(options.dataDir, 'master.key')
  const existing = await readKeyFile(path, platform)
  if (existing) return { ...existing, source: 'file', path }
  if (options.databaseHasKeys) {
    throw new TenancyError('master_key_missing', 'master key missing for an existing database')
  }
  await writeNewKeyFile(options.dataDir, path)
  const created = await readKeyFile(path, platform)
  if (!created) throw new TenancyError('internal', `master key file ${path} vanished after writing`)
  return { ...created, source: 'generated', path }
}

async function readKeyFile(
  path: string,
  platform: NodeJS.Platform,
): Promise<{ key: MasterKey; warnings: string[] } | undefined> {
  let stats: Stats
  try {
    stats = await fs.lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new TenancyError('master_key_missing', `master key file ${path} cannot be read`, {
      cause: error,
    })
  }
  const warnings: string[] = []
  if (stats.isSymbolicLink() || !stats.isFile()) {
    throw new TenancyError(
      'master_key_file_insecure',
      `master key file ${path} must be a regular file, not a symlink`,
    )
  }
  if (platform === 'win32') {
    warnings.push(`master key file ${path}: mode check skipped on windows`)
  } else {
    if ((stats.mode & 0o077) !== 0) {
      throw new TenancyError(
        'master_key_file_insecure',
        `master key file ${path} must have mode 0600`,
      )
    }
    if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) {
      throw new TenancyError(
        'master_key_file_insecure',
        `master key file ${path} must be owned by the current user`,
      )
    }
  }
  const content = await fs.readFile(path, 'utf8')
  try {
    return { key: parseMasterKey(content), warnings }
  } catch {
    throw new TenancyError(
      'master_key_invalid',
      `master key file ${path} must contain base64 of exactly 32 bytes`,
    )
  }
}

async function writeNewKeyFile(dataDir: string, path: string): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 })
  const temporary = join(dataDir, `.master.key.${randomBytes(6).toString('hex')}.tmp`)
  const bytes = randomBytes(32)
  const handle = await fs.open(
    temporary,
    constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
    0o600,
  )
  try {
    await handle.writeFile(`${bytes.toString('base64')}\n`)
    await handle.sync()
  } finally {
    bytes.fill(0)
    await handle.close()
  }
  try {
    // link() never replaces an existing file, unlike rename(): a concurrent first run keeps one key.
    await fs.link(temporary, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    await fs.unlink(temporary)
  }
  try {
    const directory = await fs.open(dataDir, 'r')
    await directory.sync().finally(() => directory.close())
  } catch {
    // Directory fsync is unsupported on some platforms; the file itself is already synced.
  }
}
