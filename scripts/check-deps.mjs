// Enforces the dependency direction of ARCHITECTURE.md and STYLE.md B.2, and bans vi.mock() of our
// own modules (B.10). Reads every workspace package.json and every test file; exits 1 on a finding.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname

/** Which workspace packages each package may depend on at runtime (dependencies/peer). */
const allowed = {
  '@pierre/sports-science': { internal: [], external: [] },
  '@pierre/jsonrpc': { internal: [], external: ['zod'] },
  '@pierre/providers-core': { internal: [], external: ['zod', 'oauth4webapi'] },
  '@pierre/tenancy': { internal: [], external: ['zod', 'jose', 'better-sqlite3'] },
  '@pierre/oauth-server': { internal: [], external: ['zod', 'jose', 'express', 'better-sqlite3'] },
  '@pierre/tools': {
    internal: ['@pierre/sports-science', '@pierre/providers-core'],
    external: ['zod'],
  },
  '@pierre/a2a': { internal: ['@pierre/jsonrpc'], external: ['zod'] },
  // FIT decoding needs Garmin's SDK and GPX/TCX an XML parser; nothing on the platform does either.
  '@pierre/providers-files': {
    internal: ['@pierre/providers-core'],
    external: ['zod', '@garmin/fitsdk', 'fast-xml-parser'],
  },
  'pierre-server': { internal: '*', external: '*' },
  'pierre-mcp-client': { internal: '*', external: '*' },
}
const providerRule = { internal: ['@pierre/providers-core'], external: ['zod'] }

function workspaceDirs() {
  const dirs = []
  for (const group of ['packages', 'apps', 'tooling']) {
    const base = join(root, group)
    let entries = []
    try {
      entries = readdirSync(base)
    } catch {
      continue
    }
    for (const entry of entries) {
      const dir = join(base, entry)
      try {
        statSync(join(dir, 'package.json'))
        dirs.push(dir)
      } catch {
        // not a package
      }
    }
  }
  return dirs
}

const problems = []
const packages = workspaceDirs().map((dir) => ({
  dir,
  pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
}))
const names = new Set(packages.map(({ pkg }) => pkg.name))
const tooling = new Set(
  packages.filter(({ dir }) => dir.includes('/tooling/')).map(({ pkg }) => pkg.name),
)

for (const { dir, pkg } of packages) {
  if (pkg.private && dir.includes('/tooling/')) continue
  const rule =
    allowed[pkg.name] ?? (pkg.name.startsWith('@pierre/providers-') ? providerRule : undefined)
  if (rule === undefined) {
    problems.push(`${pkg.name}: not in the dependency table of scripts/check-deps.mjs`)
    continue
  }
  // Test runners may be optional peers of a package's ./testing subpath (contract suites).
  const testingPeers = new Set(
    Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([name, meta]) => meta?.optional === true && name === 'vitest')
      .map(([name]) => name),
  )
  const runtime = { ...pkg.dependencies, ...pkg.peerDependencies }
  for (const name of testingPeers) delete runtime[name]
  for (const dep of Object.keys(runtime)) {
    if (tooling.has(dep)) {
      problems.push(`${pkg.name}: depends on tooling package ${dep} at runtime`)
      continue
    }
    if (names.has(dep)) {
      if (rule.internal !== '*' && !rule.internal.includes(dep)) {
        problems.push(
          `${pkg.name}: may not depend on ${dep} (ARCHITECTURE.md dependency direction)`,
        )
      }
    } else if (rule.external !== '*' && !rule.external.includes(dep)) {
      problems.push(`${pkg.name}: runtime dependency ${dep} is not allowed for this layer`)
    }
  }
}

// Cycles among workspace packages.
const graph = new Map(
  packages.map(({ pkg }) => [
    pkg.name,
    Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) => names.has(d)),
  ]),
)
const state = new Map()
function visit(name, trail) {
  if (state.get(name) === 'done') return
  if (state.get(name) === 'active') {
    problems.push(`dependency cycle: ${[...trail, name].join(' -> ')}`)
    return
  }
  state.set(name, 'active')
  for (const next of graph.get(name) ?? []) visit(next, [...trail, name])
  state.set(name, 'done')
}
for (const name of graph.keys()) visit(name, [])

// vi.mock() of a relative or @pierre/* module.
const ownMock = /vi\.(?:mock|doMock)\(\s*['"](\.{1,2}\/|@pierre\/)/
function scan(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) scan(path)
    else if (/\.(test|test-d)\.ts$/.test(entry) && ownMock.test(readFileSync(path, 'utf8'))) {
      problems.push(`${relative(root, path)}: vi.mock() of our own module; use the real part`)
    }
  }
}
for (const { dir } of packages) scan(dir)

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-deps: ${problem}`)
  process.exit(1)
}
console.log(`check-deps: ${packages.length} packages follow the dependency rules`)
