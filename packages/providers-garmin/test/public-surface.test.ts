import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "completeGarminConnection",
      "createGarminBundle",
      "createGarminProvider",
      "createGarminReceiver",
      "garminApiBaseUrl",
      "garminAuthorizationEndpoint",
      "garminBackfillTypes",
      "garminDefaultBackfillTypes",
      "garminDefaultRequiredPermissions",
      "garminDescriptor",
      "garminSummaryTypes",
      "garminTokenEndpoint",
      "mapGarminActivity",
      "mapGarminActivityDetails",
      "mapGarminBodyComposition",
      "mapGarminDaily",
      "mapGarminDailyRecovery",
      "mapGarminHrv",
      "mapGarminSleep",
      "mapGarminSport",
      "mapGarminUserMetrics",
      "parseGarminNotification",
    ]
  `)
})

it('exports exactly the documented names from ./testing', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "startFakeGarmin",
    ]
  `)
})
