import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { format } from 'node:util'
import { onTestFinished } from 'vitest'

/** What {@link runReadmeUsage} found and what the example printed. */
export interface ReadmeUsageRun {
  /** Non-blank lines of the example. */
  readonly lineCount: number
  /** The `// …` comments after each `console.log(…)` of the example, in order. */
  readonly expected: readonly string[]
  /** What the example printed, formatted like `console.log`. */
  readonly printed: readonly string[]
}

/**
 * Runs the first TypeScript block under `## Usage` in a README, with its package imports pointed at
 * the sources (`imports` maps each specifier to a file URL), and collects what it prints so a test
 * can compare it with the comments the README shows. The temporary module is removed afterwards.
 */
export async function runReadmeUsage(
  readmeUrl: URL,
  imports: Readonly<Record<string, URL>>,
): Promise<ReadmeUsageRun> {
  const readme = readFileSync(readmeUrl, 'utf8')
  const usage = readme.slice(readme.indexOf('## Usage'))
  const code = /```ts\n([\s\S]*?)```/.exec(usage)?.[1] ?? ''
  const expected = [...code.matchAll(/console\.log\(.*\) \/\/ (.*)$/gm)].map(
    (match) => match[1] ?? '',
  )

  const printed: string[] = []
  const key = `__readme_${process.pid}_${Date.now()}`
  ;(globalThis as Record<string, unknown>)[key] = (...args: unknown[]) =>
    printed.push(format(...args))
  // Longest specifiers first, so '@pierre/x/testing' is replaced before '@pierre/x'.
  let runnable = code
  for (const specifier of Object.keys(imports).sort((a, b) => b.length - a.length)) {
    const target = imports[specifier] as URL
    runnable = runnable.replaceAll(`'${specifier}'`, JSON.stringify(fileURLToPath(target)))
  }
  runnable = runnable.replaceAll('console.log(', `;(globalThis as any).${key}(`)
  const file = join(tmpdir(), `pierre-readme-${process.pid}-${Date.now()}.ts`)
  writeFileSync(file, `${runnable}\nexport {}\n`)
  onTestFinished(() => {
    rmSync(file, { force: true })
    delete (globalThis as Record<string, unknown>)[key]
  })
  await import(/* @vite-ignore */ file)
  return {
    lineCount: code.split('\n').filter((line) => line.trim() !== '').length,
    expected,
    printed,
  }
}
