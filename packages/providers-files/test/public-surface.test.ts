import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "createFilesBundle",
      "createFilesProvider",
      "createMemoryActivityStore",
      "detectFormat",
      "filesDescriptor",
      "importFiles",
      "parseActivityFile",
      "parseFit",
      "parseGpx",
      "parseTcx",
    ]
  `)
})
