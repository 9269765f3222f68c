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
})
