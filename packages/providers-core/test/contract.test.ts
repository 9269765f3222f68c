import {
  createMemoryTokenStore,
  describeProviderContract,
  describeTokenStoreContract,
} from '../src/testing/index.js'
import { createDemoProvider, demoRuns, startDemoUpstream } from './support/demo.js'

describeProviderContract(
  async () => {
    const fake = await startDemoUpstream()
    const { accessToken } = fake.tokens.issue()
    const provider = createDemoProvider({
      baseUrl: fake.url,
      auth: { getAccessToken: async () => accessToken },
    })
    return { provider, cleanup: () => fake.close() }
  },
  { title: 'demo provider meets the provider contract', expectedActivityCount: demoRuns.length },
)

describeTokenStoreContract(() => createMemoryTokenStore())
