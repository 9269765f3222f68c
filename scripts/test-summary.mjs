// Adds up every .reports/vitest.json (and the conformance report, when present) and prints the
// plain closing line CI reads: "<passed> passed, <failed> failed[, <skipped> skipped]".
// Exits 1 when something failed or when no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
let passed = 0
let failed = 0
let skipped = 0
const missing = []

for (const group of ['packages', 'apps', 'tooling']) {
  const base = join(root, group)
  if (!existsSync(base)) continue
  for (const entry of readdirSync(base)) {
    const dir = join(base, entry)
    if (!existsSync(join(dir, 'package.json'))) continue
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    if (pkg.scripts?.test === undefined) continue
    const report = join(dir, '.reports', 'vitest.json')
    if (!existsSync(report)) {
      missing.push(pkg.name)
      continue
    }
    const data = JSON.parse(readFileSync(report, 'utf8'))
    passed += data.numPassedTests ?? 0
    failed += data.numFailedTests ?? 0
    skipped += (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0)
    // A suite that failed to load counts as a failure even when no test inside it ran.
    for (const suite of data.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed++
    }
  }
}

const conformance = join(root, '.reports', 'conformance.json')
if (process.argv.includes('--with-conformance')) {
  if (existsSync(conformance)) {
    const data = JSON.parse(readFileSync(conformance, 'utf8'))
    passed += data.passed
    failed += data.failed
  } else {
    missing.push('conformance')
  }
}

for (const name of missing)
  console.log(`test-summary: no report from ${name} (counted as a failure)`)
failed += missing.length
const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`
console.log(line)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
