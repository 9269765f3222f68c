import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { format } from 'node:util'
import { expect, it, onTestFinished } from 'vitest'

const srcIndex = fileURLToPath(new URL('../src/index.ts', import.meta.url))

it('runs the README usage example and prints what its comments say', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const usage = readme.slice(readme.indexOf('## Usage'))
  const code = /```ts\n([\s\S]*?)```/.exec(usage)?.[1] ?? ''
  expect(code.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(20)
  const expected = [...code.matchAll(/console\.log\(.*\) \/\/ (.*)$/gm)].map((match) => match[1])
  expect(expected.length).toBeGreaterThan(0)

  const printed: string[] = []
  const key = `__readme_${process.pid}`
  ;(globalThis as Record<string, unknown>)[key] = (...args: unknown[]) =>
    printed.push(format(...args))
  const runnable = code
    .replaceAll("'@pierre/providers-files'", JSON.stringify(srcIndex))
    .replaceAll('console.log(', `;(globalThis as any).${key}(`)
  const file = join(tmpdir(), `providers-files-readme-${process.pid}-${Date.now()}.ts`)
  writeFileSync(file, `${runnable}\nexport {}\n`)
  onTestFinished(() => {
    rmSync(file, { force: true })
    delete (globalThis as Record<string, unknown>)[key]
  })
  await import(/* @vite-ignore */ file)
  expect(printed).toEqual(expected)
})
