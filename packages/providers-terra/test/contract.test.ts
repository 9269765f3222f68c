import { createMemoryDataStore } from '@pierre/providers-core'
import { describeProviderContract } from '@pierre/providers-core/testing'
import {
  createMemoryTerraConnectionStore,
  createMemoryTerraDeliveryLog,
  createTerraClient,
  createTerraProvider,
} from '../src/index.js'
import {
  describeTerraConnectionStoreContract,
  describeTerraDeliveryLogContract,
  startFakeTerra,
} from '../src/testing/index.js'

const now = () => new Date('2025-03-15T12:00:00Z')
const range = { start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' }

async function makeProvider(options: { readonly withStore: boolean }) {
  const fake = await startFakeTerra({ now, activityCount: 30 })
  const provider = createTerraProvider({
    client: createTerraClient({
      devId: fake.devId,
      apiKey: fake.apiKey,
      baseUrl: fake.apiBaseUrl,
      now,
    }),
    user: { tenantId: 'tenant-0f6c2a', userId: 'user-7a41e9' },
    terraUserIds: [fake.terraUserId],
    now,
    ...(options.withStore ? { dataStore: createMemoryDataStore() } : {}),
  })
  return { provider, cleanup: () => fake.close() }
}

describeProviderContract(() => makeProvider({ withStore: false }), {
  title: 'terra provider contract (REST)',
  range,
  missingActivityId: '1',
  expectedActivityCount: 30,
})

describeProviderContract(() => makeProvider({ withStore: true }), {
  title: 'terra provider contract (store-backed)',
  range,
  missingActivityId: '1',
  expectedActivityCount: 30,
})

describeTerraConnectionStoreContract(() => createMemoryTerraConnectionStore())

describeTerraDeliveryLogContract((clock) => createMemoryTerraDeliveryLog({ now: clock }))
