import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const src = fileURLToPath(new URL('../src', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
}

it('keeps vitest and Node modules out of the root entry (only ./testing may use them)', () => {
  const offending = sourceFiles(src)
    .filter((file) => !relative(src, file).startsWith('testing'))
    .filter((file) => /from '(vitest|node:[^']+)'/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(src, file))
  expect(offending).toEqual([])
})
