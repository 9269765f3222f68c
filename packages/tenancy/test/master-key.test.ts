import { randomBytes } from 'node:crypto'
import { chmod, lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { describe, expect, it, onTestFinished } from 'vitest'
import { isTenancyError, loadMasterKey, parseMasterKey } from '../src/index.js'

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenancy-mk-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (isTenancyError(error) ? error.code : error),
  )
}

describe('parseMasterKey', () => {
  it('accepts base64 and base64url of exactly 32 bytes', () => {
    const bytes = randomBytes(32)
    expect(() => parseMasterKey(bytes.toString('base64'))).not.toThrow()
    expect(() => parseMasterKey(`${bytes.toString('base64url')}\n`)).not.toThrow()
  })

  it('refuses other lengths without echoing the input', () => {
    const short = randomBytes(16).toString('base64')
    let caught: unknown
    try {
      parseMasterKey(short)
    } catch (error) {
      caught = error
    }
    expect(isTenancyError(caught) && caught.code).toBe('master_key_invalid')
    expect(String((caught as Error).message)).not.toContain(short)
  })

  it('never prints the key', () => {
    const text = randomBytes(32).toString('base64')
    const key = parseMasterKey(text)
    expect(JSON.stringify({ key })).toBe('{"key":"[redacted]"}')
    expect(inspect(key)).toBe('MasterKey [redacted]')
    expect(`${key}`).toBe('[redacted]')
  })
})

describe('loadMasterKey', () => {
  it('prefers the value over files', async () => {
    const loaded = await loadMasterKey({
      value: randomBytes(32).toString('base64'),
      dataDir: '/nonexistent',
      databaseHasKeys: true,
    })
    expect(loaded.source).toBe('value')
  })

  it('generates a 0600 key file on first run and reads it back later', async () => {
    const dir = await tempDir()
    const first = await loadMasterKey({ dataDir: join(dir, 'data'), databaseHasKeys: false })
    expect(first.source).toBe('generated')
    const path = join(dir, 'data', 'master.key')
    expect(first.path).toBe(path)
    expect((await lstat(path)).mode & 0o777).toBe(0o600)
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64')).toHaveLength(32)
    const second = await loadMasterKey({ dataDir: join(dir, 'data'), databaseHasKeys: true })
    expect(second.source).toBe('file')
  })

  it('refuses to generate a key for a database that already holds wrapped keys', async () => {
    const dir = await tempDir()
    expect(await codeOf(loadMasterKey({ dataDir: dir, databaseHasKeys: true }))).toBe(
      'master_key_missing',
    )
  })

  it('refuses a key file readable by group or others', async () => {
    const dir = await tempDir()
    const path = join(dir, 'master.key')
    await writeFile(path, randomBytes(32).toString('base64'), { mode: 0o644 })
    await chmod(path, 0o644)
    const error = await loadMasterKey({ file: path, databaseHasKeys: true }).catch(
      (e: unknown) => e,
    )
    expect(isTenancyError(error) && error.code).toBe('master_key_file_insecure')
    expect((error as Error).message).toBe(`master key file ${path} must have mode 0600`)
  })

  it('refuses a symlinked key file', async () => {
    const dir = await tempDir()
    const target = join(dir, 'real.key')
    await writeFile(target, randomBytes(32).toString('base64'), { mode: 0o600 })
    await symlink(target, join(dir, 'master.key'))
    expect(await codeOf(loadMasterKey({ dataDir: dir, databaseHasKeys: true }))).toBe(
      'master_key_file_insecure',
    )
  })

  it('skips the mode check on windows with a warning', async () => {
    const dir = await tempDir()
    const path = join(dir, 'master.key')
    await writeFile(path, randomBytes(32).toString('base64'), { mode: 0o644 })
    await chmod(path, 0o644)
    const loaded = await loadMasterKey({ file: path, databaseHasKeys: true, platform: 'win32' })
    expect(loaded.warnings).toEqual([`master key file ${path}: mode check skipped on windows`])
  })

  it('reports an explicit key file that does not exist', async () => {
    const dir = await tempDir()
    expect(
      await codeOf(loadMasterKey({ file: join(dir, 'missing.key'), databaseHasKeys: false })),
    ).toBe('master_key_missing')
  })

  it('refuses a key file with bad content', async () => {
    const dir = await tempDir()
    const path = join(dir, 'master.key')
    await writeFile(path, 'not a key\n', { mode: 0o600 })
    expect(await codeOf(loadMasterKey({ file: path, databaseHasKeys: true }))).toBe(
      'master_key_invalid',
    )
  })
})
