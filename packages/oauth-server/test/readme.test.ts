import { runReadmeUsage } from '@pierre/test-utils'
import { expect, it } from 'vitest'

it('runs the README example: mounted in express with the memory store in at most 20 lines', async () => {
  const run = await runReadmeUsage(new URL('../README.md', import.meta.url), {
    '@pierre/oauth-server': new URL('../src/index.ts', import.meta.url),
    express: new URL('../node_modules/express/index.js', import.meta.url),
  })
  expect(run.lineCount).toBeLessThanOrEqual(20)
  expect(run.expected).toHaveLength(3)
  expect(run.printed).toEqual(run.expected)
})
