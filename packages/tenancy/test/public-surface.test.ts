import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "TenancyError",
      "addMemberSchema",
      "allScopes",
      "assertCan",
      "assertRequestContext",
      "can",
      "checkPasswordPolicy",
      "createApiKeySchema",
      "createApiKeyService",
      "createAuthenticator",
      "createIdentityService",
      "createMemoryStores",
      "createPasswordHasher",
      "createProviderTokenVault",
      "createRateLimiter",
      "createSigningKeys",
      "createSystemActor",
      "createTenancy",
      "createTenantSchema",
      "createTokenService",
      "createUserSchema",
      "defaultScryptParameters",
      "generateMasterKey",
      "getClientAddress",
      "getHttpStatus",
      "isApiKeyFormat",
      "isKeyringInitialized",
      "isRequestContext",
      "isSystemActor",
      "isTenancyError",
      "loadKeyring",
      "loadMasterKey",
      "maxActiveApiKeysPerUser",
      "normalizeEmail",
      "parseMasterKey",
      "parseTrustProxy",
      "passwordChangeSchema",
      "planQuotas",
      "platformTenantId",
      "profileUpdateSchema",
      "provisionApiKeySchema",
      "registrationSchema",
      "tierLimits",
      "trialKeyLifetimeDays",
    ]
  `)
})

it('exports exactly the documented names from ./sqlite', async () => {
  expect(Object.keys(await import('../src/sqlite/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "applyTenancyMigrations",
      "createSqliteStores",
      "tenancyMigrations",
    ]
  `)
})

it('exports exactly the documented names from ./testing', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "createTestContext",
      "describeApiKeyStoreContract",
      "describeKeyStoreContract",
      "describeLoginThrottleStoreContract",
      "describeMembershipStoreContract",
      "describeProviderTokenStoreContract",
      "describeRateLimitStoreContract",
      "describeSigningKeyStoreContract",
      "describeTenancyStoresContract",
      "describeTenantStoreContract",
      "describeUsageEventStoreContract",
      "describeUserStoreContract",
      "membershipRow",
      "seedTenant",
      "tenantRow",
      "userRow",
    ]
  `)
})
