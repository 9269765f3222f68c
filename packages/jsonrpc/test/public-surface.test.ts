import { expect, it } from 'vitest'

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "JsonRpcConnectionClosedError",
      "JsonRpcError",
      "JsonRpcErrorCode",
      "JsonRpcTimeoutError",
      "createCorrelator",
      "createDispatcher",
      "createPeer",
      "defaultLimits",
      "defineErrorCodes",
      "defineMethod",
      "encodeMessage",
      "isJsonRpcError",
      "logging",
      "parseMessage",
      "requireScope",
      "timing",
    ]
  `)
})
