import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "createMemoryTerraConnectionStore",
      "createMemoryTerraDeliveryLog",
      "createTerraBundle",
      "createTerraClient",
      "createTerraProvider",
      "createTerraWebhookHandler",
      "mapTerraActivity",
      "mapTerraActivityStreams",
      "mapTerraBody",
      "mapTerraDaily",
      "mapTerraDailyRecovery",
      "mapTerraSleep",
      "mapTerraSleepHrv",
      "mapTerraSport",
      "parseTerraReferenceId",
      "parseTerraSignatureHeader",
      "signTerraPayload",
      "terraApiBaseUrl",
      "terraDescriptor",
      "toTerraReferenceId",
      "verifyTerraSignature",
    ]
  `)
})

it('exports exactly the documented names from ./testing', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "createSignedTerraDelivery",
      "deliverTerraWebhook",
      "describeTerraConnectionStoreContract",
      "describeTerraDeliveryLogContract",
      "startFakeTerra",
    ]
  `)
})
