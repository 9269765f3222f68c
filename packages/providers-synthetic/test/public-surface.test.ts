import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "createSeededRandom",
      "createSyntheticBundle",
      "createSyntheticProvider",
      "hashString",
      "syntheticDescriptor",
    ]
  `)
})
