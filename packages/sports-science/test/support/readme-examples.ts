import { readFileSync } from 'node:fs'
import { formatWithOptions } from 'node:util'
import { describe, expect, it } from 'vitest'

/** One README example: its import line and a function holding its code between region markers. */
export interface ReadmeExample {
  readonly imports: string
  readonly run: () => void
}

/** A `console` stand-in for the examples: prints like Node's `console.log`, into a list. */
export function createPrinter(): {
  console: { log: (...values: unknown[]) => void }
  printed: string[]
} {
  const printed: string[] = []
  return {
    printed,
    console: {
      log: (...values: unknown[]) => printed.push(formatWithOptions({ colors: false }, ...values)),
    },
  }
}

/**
 * Checks each example against the README: the README shows exactly the code between
 * `// #region <name>` and `// #endregion <name>` in `testFile`, under `` ### `<name>` ``, after its
 * import line, and running it prints what its trailing comments say.
 */
export function describeReadmeExamples(
  testFile: URL,
  examples: Readonly<Record<string, ReadmeExample>>,
  printed: string[],
): void {
  const source = readFileSync(testFile, 'utf8').split('\n')
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

  const region = (name: string): string[] => {
    const start = source.findIndex((line) => line.trim() === `// #region ${name}`)
    const end = source.findIndex((line) => line.trim() === `// #endregion ${name}`)
    const lines = source.slice(start + 1, end)
    const indent = Math.min(...lines.map((line) => line.length - line.trimStart().length))
    return lines.map((line) => line.slice(indent))
  }

  const readmeExample = (name: string): string[] => {
    const section = readme.slice(readme.indexOf(`### \`${name}\``))
    const start = section.indexOf('```ts\n') + '```ts\n'.length
    return section.slice(start, section.indexOf('\n```', start)).split('\n')
  }

  describe.each(Object.keys(examples))('README example for %s', (name) => {
    const example = examples[name] as ReadmeExample

    it('prints what its comments say', () => {
      printed.length = 0
      example.run()
      const comments = region(name)
        .map((line) => /\/\/ (.*)$/.exec(line)?.[1])
        .filter((comment): comment is string => comment !== undefined)
      expect(printed).toEqual(comments)
    })

    it('is shown in the README after its import line', () => {
      const [importLine, blank, ...code] = readmeExample(name)
      expect(importLine).toBe(example.imports)
      expect(blank).toBe('')
      expect(code).toEqual(region(name))
    })
  })
}
