import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

// Follows the relative imports of a source file; returns every module it reaches.
function reachable(entry: URL): Map<string, string[]> {
  const seen = new Map<string, string[]>()
  const visit = (file: URL): void => {
    if (seen.has(file.href)) return
    const source = readFileSync(new URL(file.href.replace(/\.js$/, '.ts')), 'utf8')
    const specifiers = [...source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(
      (match) => match[1] as string,
    )
    seen.set(file.href, specifiers)
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(new URL(specifier, file))
    }
  }
  visit(entry)
  return seen
}

it('keeps the root entry free of the test tooling and of node:http', () => {
  const modules = reachable(new URL('../src/index.ts', import.meta.url))
  const external = new Set([...modules.values()].flat().filter((spec) => !spec.startsWith('.')))
  expect([...external].sort()).toEqual(['@pierre/providers-core', 'node:crypto', 'zod'])
  expect([...modules.keys()].some((file) => file.includes('/testing/'))).toBe(false)
})
