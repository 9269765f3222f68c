import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "classifyCorosError",
      "corosAccessTokenLifetimeSeconds",
      "corosApiBaseUrl",
      "corosDescriptor",
      "corosOAuthEndpoints",
      "corosTestApiBaseUrl",
      "createCorosApiFetch",
      "createCorosBundle",
      "createCorosOAuthClient",
      "createCorosProvider",
      "createCorosPushHandler",
      "mapCorosAthlete",
      "mapCorosDailySummary",
      "mapCorosHrv",
      "mapCorosRecovery",
      "mapCorosRunningTotals",
      "mapCorosSleep",
      "mapCorosSport",
      "mapCorosWorkout",
    ]
  `)
})

it('exports exactly the documented names from ./testing', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "startFakeCoros",
    ]
  `)
})
