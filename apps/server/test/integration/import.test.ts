import { spawn } from 'node:child_process'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createPierre, LOCAL_OWNER_ID, loadConfig } from '../../src/index.js'
import { fastTenancy, memoryLogger, tempDir } from '../helpers.js'

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const fixtures = fileURLToPath(new URL('../fixtures/activities', import.meta.url))

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function run(args: readonly string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { HOME: tempDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd === undefined ? {} : { cwd }),
  })
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk)
  })
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk)
  })
  return new Promise((resolve) => {
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A folder with the five sample files (one in a sub-folder), a truncated FIT file and a text file. */
function sampleFolder(): string {
  const folder = join(tempDir(), 'exports')
  cpSync(fixtures, folder, { recursive: true })
  const fit = readFileSync(join(fixtures, '2025', 'lunch-run.fit'))
  writeFileSync(join(folder, 'broken.fit'), fit.subarray(0, 4000))
  writeFileSync(join(folder, 'notes.txt'), 'not an activity\n')
  return folder
}

interface RecordRow {
  tenant_id: string
  user_id: string
  provider: string
  kind: string
  id: string
  start_at: string
  format: string
  payload: string
}

function records(dataDir: string): RecordRow[] {
  const db = new Database(join(dataDir, 'pierre.db'), { readonly: true })
  try {
    return db.prepare('SELECT * FROM provider_records ORDER BY kind, start_at').all() as RecordRow[]
  } finally {
    db.close()
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('pierre-server import', () => {
  it('imports a folder recursively, reports corrupt and unsupported files by name, and is idempotent', async () => {
    const dataDir = tempDir()
    const folder = sampleFolder()
    const env = { PIERRE_DATA_DIR: dataDir }

    const first = await run(['import', folder], env)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('imported: 5 files (5 activities)')
    expect(first.stdout).toContain('duplicates: 0 files')
    expect(first.stdout).toContain('failed: 2 files')
    expect(first.stdout).toMatch(/broken\.fit: corrupt \(/)
    expect(first.stdout).toMatch(/notes\.txt: unsupported \(/)
    expect(first.stderr).toContain('for the local owner (tenant local)')
    // Not a terminal: plain progress lines, the last with the final counts.
    expect(first.stderr).toMatch(/import: 7\/7 files, 5 activities found, 2 errors\n/)
    expect(first.stderr).not.toContain('\x1b[')

    const rows = records(dataDir)
    const activities = rows.filter((row) => row.kind === 'activity')
    const streams = rows.filter((row) => row.kind === 'streams')
    expect(activities).toHaveLength(5)
    expect(streams.map((row) => row.id).sort()).toEqual(activities.map((row) => row.id).sort())
    for (const row of rows) {
      expect(row).toMatchObject({ user_id: LOCAL_OWNER_ID, provider: 'files' })
      expect(row.tenant_id).toBe(rows[0]?.tenant_id)
      expect(row.id).toMatch(/^[0-9a-f]{16}$/)
    }
    expect(activities.map((row) => row.format).sort()).toEqual(['fit', 'gpx', 'gpx', 'tcx', 'tcx'])
    const fit = activities.find((row) => row.format === 'fit') as RecordRow
    const fitActivity = JSON.parse(fit.payload) as Record<string, unknown>
    expect(fitActivity).toMatchObject({
      provider: 'files',
      sport_type: 'run',
      start_date: '2025-03-12T22:15:00Z',
      utc_offset_seconds: -14_400,
    })
    const fitStreams = JSON.parse(streams.find((row) => row.id === fit.id)?.payload ?? '{}') as {
      time: number[]
      heartrate: number[]
      latlng: [number, number][]
    }
    expect(fitStreams.time).toHaveLength(900)
    expect(fitStreams.heartrate).toHaveLength(900)
    expect(fitStreams.latlng[0]?.[0]).toBeCloseTo(45.5, 4)

    // The same folder again, and a renamed copy of one file: nothing is stored twice.
    cpSync(join(folder, 'morning-run.gpx'), join(folder, 'renamed.gpx'))
    const again = await run(['import', folder], env)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('imported: 0 files (0 activities)')
    expect(again.stdout).toContain('duplicates: 6 files')
    expect(again.stdout).toContain('failed: 2 files')
    expect(records(dataDir)).toEqual(rows.map((row) => expect.objectContaining({ id: row.id })))
    expect(records(dataDir)).toHaveLength(10)

    // Only duplicates: still a success.
    const duplicates = await run(['import', join(folder, '2025')], env)
    expect(duplicates.code).toBe(0)
    expect(duplicates.stdout).toContain('duplicates: 1 file (already imported)')
  }, 30_000)

  it('exits 1 when every file fails, 2 for a bad command line', async () => {
    const dataDir = tempDir()
    const env = { PIERRE_DATA_DIR: dataDir }
    const folder = tempDir()
    const fit = readFileSync(join(fixtures, '2025', 'lunch-run.fit'))
    writeFileSync(join(folder, 'broken.fit'), fit.subarray(0, 300))
    writeFileSync(join(folder, 'empty.gpx'), '<gpx><trk><trkseg></trkseg></trk></gpx>')

    const failed = await run(['import', folder, join(folder, 'missing.tcx')], env, folder)
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('imported: 0 files')
    expect(failed.stdout).toContain('failed: 3 files')
    expect(failed.stdout).toMatch(/^ {2}broken\.fit: corrupt \(/m)
    expect(failed.stdout).toMatch(/^ {2}empty\.gpx: no_data \(/m)
    expect(failed.stdout).toMatch(/^ {2}missing\.tcx: unreadable \(/m)

    const noPath = await run(['import'], env)
    expect(noPath.code).toBe(2)
    expect(noPath.stderr).toMatch(/missing required argument 'path'/)

    const tenantAlone = await run(['import', folder, '--tenant', 'local'], env)
    expect(tenantAlone.code).toBe(2)
    expect(tenantAlone.stderr).toBe('pierre-server: --tenant needs --user <email>\n')
  }, 30_000)

  it('needs --user once a user exists, and imports for that user', async () => {
    const dataDir = tempDir()
    const env = { PIERRE_DATA_DIR: dataDir, ANN_PASSWORD: 'correct horse battery staple' }
    const created = await run(
      ['admin', 'create-user', '--email', 'ann@acme.test', '--password-env', 'ANN_PASSWORD'],
      env,
    )
    expect(created.code).toBe(0)
    const userId = /\((.+)\)/.exec(created.stdout)?.[1]

    const withoutUser = await run(['import', fixtures], env)
    expect(withoutUser.code).toBe(2)
    expect(withoutUser.stderr).toBe(
      'pierre-server: name the owner of the activities with --user <email> (a user exists, so local single-user mode is over)\n',
    )
    const required = await run(['import', fixtures], {
      PIERRE_DATA_DIR: tempDir(),
      PIERRE_AUTH: 'required',
    })
    expect(required.code).toBe(2)
    expect(required.stderr).toMatch(/--user <email> \(PIERRE_AUTH=required\)/)

    const unknown = await run(['import', fixtures, '--user', 'bob@acme.test'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('pierre-server: no user bob@acme.test\n')

    const imported = await run(['import', fixtures, '--user', 'ann@acme.test'], env)
    expect(imported.code).toBe(0)
    expect(imported.stderr).toContain('for ann@acme.test (tenant local)')
    const rows = records(dataDir)
    expect(rows).toHaveLength(10)
    expect(new Set(rows.map((row) => row.user_id))).toEqual(new Set([userId]))
  }, 30_000)

  it('serves the imported activities through the registry as the files provider', async () => {
    const dataDir = tempDir()
    const imported = await run(['import', fixtures], { PIERRE_DATA_DIR: dataDir })
    expect(imported.code).toBe(0)

    // The samples were recorded 2025-03-08…14: put the clock two days after the newest.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse('2025-03-16T12:00:00Z'))
    const config = loadConfig({ PIERRE_DATA_DIR: dataDir }, { port: 0, host: '127.0.0.1' })
    const pierre = await createPierre(config, {
      logger: memoryLogger().logger,
      tenancy: fastTenancy,
    })
    onTestFinished(() => pierre.close(1000))
    const { url } = await pierre.listen()

    const listed = await fetch(`${url}/api/providers`)
    expect(listed.status).toBe(200)
    const statuses = (await listed.json()) as { provider: string; lastSyncAt: string | null }[]
    const files = statuses.find((status) => status.provider === 'files')
    expect(files).toMatchObject({
      connected: true,
      capabilities: ['local', 'activities', 'streams'],
    })
    expect(files?.lastSyncAt).toMatch(/^\d{4}-\d\d-\d\dT/)

    const client = new Client({ name: 'import-test', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)))
    onTestFinished(() => client.close())
    const result = await client.callTool({
      name: 'get_nutrient_timing',
      arguments: { weight_kg: 70, daily_protein_g: 140, activity_provider: 'files', days_back: 14 },
    })
    expect(result.isError).toBe(false)
    const output = result.structuredContent as {
      intensity_source: string
      inference: { provider: string; activities_considered: number }
    }
    expect(output.intensity_source).toBe('inferred')
    expect(output.inference.provider).toBe('files')
    expect(output.inference.activities_considered).toBe(5)
  }, 30_000)
})
