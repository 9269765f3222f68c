import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

// STYLE B.10: the root entry never loads better-sqlite3 (an optional peer). Checked in a fresh
// Node process, so other test files' imports cannot hide or fake a load.

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL('..', import.meta.url))
const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url))

async function loadedModules(entries: readonly string[]): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module'
    for (const entry of ${JSON.stringify(entries)}) await import(entry)
    const cache = createRequire(process.cwd() + '/').cache
    process.stdout.write(JSON.stringify(Object.keys(cache)))
  `
  const { stdout } = await run(
    process.execPath,
    ['--import', tsx, '--conditions=@pierre/source', '--input-type=module', '-e', script],
    { cwd: packageDir },
  )
  return JSON.parse(stdout) as string[]
}

const touchesSqlite = (paths: readonly string[]) =>
  paths.some((path) => path.includes('better-sqlite3'))

describe('entry isolation', () => {
  it('importing the root entry does not load better-sqlite3', async () => {
    expect(touchesSqlite(await loadedModules(['./src/index.ts']))).toBe(false)
  })

  it('the ./sqlite entry does not load it either (it only receives a database)', async () => {
    expect(touchesSqlite(await loadedModules(['./src/sqlite/index.ts']))).toBe(false)
  })

  it('the check itself detects a load (control)', async () => {
    expect(touchesSqlite(await loadedModules(['better-sqlite3']))).toBe(true)
  })
})
