import { randomBytes, scrypt } from 'node:crypto'
import { TenancyError } from './errors.js'
import { digestsEqual } from './internal/compare.js'
import { createSemaphore } from './internal/semaphore.js'

/** scrypt cost parameters: `N = 2^ln`, block size `r`, parallelism `p`. */
export interface ScryptParameters {
  readonly ln: number
  readonly r: number
  readonly p: number
}

/** The spec's parameters (§3.3): `N = 2^16, r = 8, p = 2` (about 64 MiB per hash). */
export const defaultScryptParameters: ScryptParameters = Object.freeze({ ln: 16, r: 8, p: 2 })

const saltBytes = 16
const hashBytes = 32

/** Result of {@link PasswordHasher.verify}. */
export interface PasswordCheck {
  /** The password matches. */
  readonly valid: boolean
  /** The stored hash uses weaker parameters than configured; store `hash(password)` now. */
  readonly needsRehash: boolean
}

/** Hashes and verifies passwords with scrypt. */
export interface PasswordHasher {
  /** Hashes a password (NFC-normalised) to `$scrypt$ln=16,r=8,p=2$<salt>$<hash>` (base64). */
  hash(password: string): Promise<string>
  /**
   * Verifies a password against a stored hash in constant time. With no stored hash (unknown
   * user) it verifies against a fixed dummy hash, so both paths cost one scrypt run (T-20).
   */
  verify(password: string, stored: string | null | undefined): Promise<PasswordCheck>
}

/** Options of {@link createPasswordHasher}. */
export interface PasswordHasherOptions {
  /** Cost of new hashes; default {@link defaultScryptParameters}. Lower only in tests. */
  readonly parameters?: ScryptParameters
  /** Hashes running at once; default 4, so a login flood cannot exhaust memory. */
  readonly maxConcurrent?: number
}

/** Creates a {@link PasswordHasher}. */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const parameters = options.parameters ?? defaultScryptParameters
  checkParameters(parameters)
  const semaphore = createSemaphore(options.maxConcurrent ?? 4)
  let dummy: Promise<string> | undefined

  const derive = (password: string, salt: Buffer, cost: ScryptParameters): Promise<Buffer> =>
    semaphore.use(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const N = 2 ** cost.ln
          const maxmem = 256 * N * cost.r + 1024 * 1024
          scrypt(
            password.normalize('NFC'),
            salt,
            hashBytes,
            { N, r: cost.r, p: cost.p, maxmem },
            (error, key) =>
              error
                ? reject(new TenancyError('internal', 'password hashing failed', { cause: error }))
                : resolve(key),
          )
        }),
    )

  const hash = async (password: string): Promise<string> => {
    const salt = randomBytes(saltBytes)
    const key = await derive(password, salt, parameters)
    return format(parameters, salt, key)
  }

  return {
    hash,
    async verify(password, stored) {
      // Both paths wait for the dummy, so even the first call costs the same for known and unknown.
      dummy ??= hash(randomBytes(16).toString('hex'))
      const dummyHash = parse(await dummy) as ParsedHash
      const parsed = stored ? parse(stored) : undefined
      const target = parsed ?? dummyHash
      const derived = await derive(password, target.salt, target.parameters)
      const equal = digestsEqual(derived, target.hash)
      const valid = parsed !== undefined && equal
      const weaker =
        target.parameters.ln < parameters.ln ||
        target.parameters.r < parameters.r ||
        target.parameters.p < parameters.p
      return { valid, needsRehash: valid && weaker }
    },
  }
}

interface ParsedHash {
  readonly parameters: ScryptParameters
  readonly salt: Buffer
  readonly hash: Buffer
}

function format(parameters: ScryptParameters, salt: Buffer, key: Buffer): string {
  const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '')
  return `$scrypt$ln=${parameters.ln},r=${parameters.r},p=${parameters.p}$${b64(salt)}$${b64(key)}`
}

const storedPattern =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{16,88})$/

function parse(stored: string): ParsedHash | undefined {
  const match = storedPattern.exec(stored)
  if (!match) return undefined
  const parameters = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) }
  if (!withinBounds(parameters)) return undefined
  return {
    parameters,
    salt: Buffer.from(match[4] ?? '', 'base64'),
    hash: Buffer.from(match[5] ?? '', 'base64'),
  }
}

// A stored hash is data: bound its cost so a tampered row cannot make verification hang.
function withinBounds(parameters: ScryptParameters): boolean {
  return (
    parameters.ln >= 1 &&
    parameters.ln <= 20 &&
    parameters.r >= 1 &&
    parameters.r <= 32 &&
    parameters.p >= 1 &&
    parameters.p <= 16
  )
}

function checkParameters(parameters: ScryptParameters): void {
  if (!withinBounds(parameters) || !Object.values(parameters).every(Number.isInteger)) {
    throw new TenancyError('invalid_argument', 'scrypt parameters out of range')
  }
}

/** Options of {@link checkPasswordPolicy}. */
export interface PasswordPolicyOptions {
  /** The account's email; the password may not equal it or its local part. */
  readonly email?: string
  /** Passwords to refuse (compared lower-cased); default a small built-in list. */
  readonly commonPasswords?: ReadonlySet<string>
}

const builtInCommonPasswords: ReadonlySet<string> = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789abc',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'aaaaaaaaaaaa',
  'abc123456789',
  'abcdefghijkl',
  'iloveyou1234',
  'letmein12345',
  'password1234',
  'password12345',
  'password123!',
  'passwordpassword',
  'qwerty123456',
  'qwertyuiop12',
  'qwertyuiopasdf',
  'welcome12345',
  'changeme1234',
  'administrator',
  'adminadmin123',
  'trustno1trustno1',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'dragon123456',
  'monkey123456',
  'master123456',
])

/**
 * Returns every rule a new password breaks (spec §3.3, NIST SP 800-63B style): 12 to 256
 * characters (Unicode code points after NFC), not a common password, not the email or its local
 * part. An empty array means the password is acceptable.
 */
export function checkPasswordPolicy(
  password: string,
  options: PasswordPolicyOptions = {},
): string[] {
  const normalised = password.normalize('NFC')
  const length = [...normalised].length
  const problems: string[] = []
  if (length < 12) problems.push('password must be at least 12 characters')
  if (length > 256) problems.push('password must be at most 256 characters')
  const lower = normalised.toLowerCase()
  if ((options.commonPasswords ?? builtInCommonPasswords).has(lower)) {
    problems.push('password is too common')
  }
  if (options.email !== undefined) {
    const email = options.email.trim().toLowerCase()
    const local = email.split('@')[0] ?? ''
    if (lower === email || (local !== '' && lower === local)) {
      problems.push('password must not be the email address or its local part')
    }
  }
  return problems
}
