import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { tempDir } from '../helpers.js'

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string
}

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { HOME: tempDir(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  return child
}

function collect(child: ChildProcess): {
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
} {
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk) => {
    out += String(chunk)
  })
  child.stderr?.on('data', (chunk) => {
    err += String(chunk)
  })
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { stdout: () => out, stderr: () => err, exit }
}

async function waitFor(check: () => string | undefined, timeoutMs = 10_000): Promise<string> {
  const started = Date.now()
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for the server')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('pierre-server CLI', () => {
  it('prints its version', async () => {
    const child = collect(run(['--version']))
    expect(await child.exit).toBe(0)
    expect(child.stdout().trim()).toBe(pkg.version)
  })

  it('stops on a bad value with exit 1 and one line naming it', async () => {
    const child = collect(run([], { PIERRE_PORT: 'eighty' }))
    expect(await child.exit).toBe(1)
    expect(child.stderr()).toBe(
      'pierre-server: PIERRE_PORT: expected an integer between 0 and 65535\n',
    )
    expect(child.stdout()).toBe('')
  })

  it('refuses an unknown flag', async () => {
    const child = collect(run(['--prot', '1']))
    expect(await child.exit).not.toBe(0)
    expect(child.stderr()).toMatch(/unknown option '--prot'/)
  })

  it('serves /health, creates its data directory and shuts down cleanly on SIGTERM', async () => {
    const dataDir = `${tempDir()}/data`
    const process_ = run(['--port', '0', '--data-dir', dataDir])
    const child = collect(process_)
    const url = await waitFor(() => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(child.stderr())?.[1])
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', database: { ok: true } })
    process_.kill('SIGTERM')
    expect(await child.exit).toBe(0)
    expect(child.stderr()).toMatch(/"msg":"pierre server stopped"/)
    expect(child.stdout()).toBe('')
  })

  it('exits when stdin closes in stdio mode', async () => {
    const process_ = run(['--stdio', '--data-dir', tempDir()])
    const child = collect(process_)
    await waitFor(() => (child.stderr().includes('pierre server on stdio') ? 'up' : undefined))
    process_.stdin?.end()
    expect(await child.exit).toBe(0)
    expect(child.stdout()).toBe('')
  })

  it('stops with exit 1 and one line when the master key does not match the database', async () => {
    const dataDir = tempDir()
    const first = collect(run(['admin', 'create-tenant', 'acme', '--data-dir', dataDir]))
    expect(await first.exit).toBe(0)
    expect(first.stdout()).toMatch(/^created tenant acme \(/)
    const wrongKey = Buffer.alloc(32, 7).toString('base64')
    const child = collect(
      run(['--port', '0', '--data-dir', dataDir], { PIERRE_MASTER_ENCRYPTION_KEY: wrongKey }),
    )
    expect(await child.exit).toBe(1)
    expect(child.stderr()).toBe('pierre-server: master key does not match this database\n')
    expect(child.stdout()).toBe('')
  }, 30_000)

  it('runs the admin commands from a fresh data directory; errors are one line with exit 1', async () => {
    const dataDir = tempDir()
    const env = { ADMIN_PASSWORD: 'correct horse battery staple' }
    const user = collect(
      run(
        ['admin', 'create-user', '--email', 'root@acme.test', '--password-env', 'ADMIN_PASSWORD'],
        { ...env, PIERRE_DATA_DIR: dataDir },
      ),
    )
    expect(await user.exit).toBe(0)
    expect(user.stdout()).toMatch(/^created user root@acme\.test \(.+\) with role user\n$/)

    const stdinUser = run(['admin', 'create-user', '--email', 'b@acme.test', '--password-stdin'], {
      PIERRE_DATA_DIR: dataDir,
    })
    const stdinResult = collect(stdinUser)
    stdinUser.stdin?.end('another long passphrase\n')
    expect(await stdinResult.exit).toBe(0)

    const key = collect(
      run(['admin', 'create-api-key', '--user', 'root@acme.test'], { PIERRE_DATA_DIR: dataDir }),
    )
    expect(await key.exit).toBe(0)
    expect(key.stdout()).toMatch(/^pk_live_[A-Za-z0-9]{32}\n$/)
    expect(key.stderr()).toMatch(/shown once/)

    for (const args of [
      ['admin', 'create-user', '--email', 'c@acme.test'],
      ['admin', 'create-user', '--email', 'c@acme.test', '--password-env', 'UNSET_VARIABLE'],
      ['admin', 'approve-user', 'ghost@acme.test'],
      ['admin', 'create-tenant', 'Not A Slug'],
      ['admin', 'create-api-key', '--user', 'root@acme.test', '--tier', 'gold'],
    ]) {
      const child = collect(run(args, { PIERRE_DATA_DIR: dataDir }))
      expect(await child.exit, args.join(' ')).toBe(1)
      expect(child.stderr(), args.join(' ')).toMatch(/^pierre-server: [^\n]+\n$/)
    }
  }, 30_000)
})
