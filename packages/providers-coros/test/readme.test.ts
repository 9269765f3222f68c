import { runReadmeUsage } from '@pierre/test-utils'
import { expect, it } from 'vitest'

it('runs the README usage example against the fake and prints what its comments say', async () => {
  const run = await runReadmeUsage(new URL('../README.md', import.meta.url), {
    '@pierre/providers-core/testing': new URL(
      '../node_modules/@pierre/providers-core/src/testing/index.ts',
      import.meta.url,
    ),
    '@pierre/providers-core': new URL(
      '../node_modules/@pierre/providers-core/src/index.ts',
      import.meta.url,
    ),
    '@pierre/providers-coros/testing': new URL('../src/testing/index.ts', import.meta.url),
    '@pierre/providers-coros': new URL('../src/index.ts', import.meta.url),
  })
  expect(run.lineCount).toBeLessThanOrEqual(21)
  expect(run.expected.length).toBeGreaterThan(0)
  expect(run.printed).toEqual(run.expected)
})
