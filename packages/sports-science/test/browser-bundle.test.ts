import { fileURLToPath } from 'node:url'
import { runInNewContext } from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))
const nodeBuiltins = /\b(?:require\s*\(|process\.|Buffer\b|__dirname|__filename|global\.)|["']node:/

async function bundle(format: 'esm' | 'iife') {
  const result = await build({
    absWorkingDir: packageRoot,
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format,
    ...(format === 'iife' ? { globalName: 'sportsScience' } : {}),
    target: 'es2023',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  return { inputs: Object.keys(result.metafile.inputs), outputFiles: result.outputFiles }
}

describe('browser bundle', () => {
  it('bundles src/index.ts for the browser from this package alone, with no Node built-in', async () => {
    const result = await bundle('esm')
    const inputs = result.inputs
    expect(inputs.length).toBeGreaterThan(0)
    for (const input of inputs) expect(input).toMatch(/^src\//)
    const [output] = result.outputFiles
    expect(output?.text).not.toMatch(nodeBuiltins)
    expect(output?.text).not.toMatch(/^\s*import\s/m)
  })

  it('evaluates in a bare JavaScript context with no Node globals', async () => {
    const [output] = (await bundle('iife')).outputFiles
    const context: { sportsScience?: unknown } = {}
    runInNewContext(output?.text ?? '', context)
    const lib = context.sportsScience as typeof import('../src/index.js')
    expect(lib.nutrition.bmr({ weightKg: 75, heightCm: 180, ageYears: 30, sex: 'male' })).toBe(1730)
    let thrown: unknown
    try {
      lib.nutrition.tdee(0, 'sedentary')
    } catch (error) {
      thrown = error
    }
    expect(lib.isSportsScienceError(thrown)).toBe(true)
  })
})
