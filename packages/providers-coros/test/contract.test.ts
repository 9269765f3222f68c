import { describeProviderContract } from '@pierre/providers-core/testing'
import { createCorosProvider } from '../src/index.js'
import { startFakeCoros } from '../src/testing/index.js'
import { fixtureNow } from './support.js'

describeProviderContract(
  async () => {
    const fake = await startFakeCoros({ activityCount: 23, now: fixtureNow })
    const { accessToken, openId } = fake.issueTokens()
    const provider = createCorosProvider({
      tokenSource: { getAccessToken: async () => accessToken },
      openId,
      baseUrl: fake.url,
      timeZone: 'America/Toronto',
      now: fixtureNow,
    })
    return { provider, cleanup: () => fake.close() }
  },
  {
    title: 'coros provider contract',
    range: { start: '2025-03-08T05:00:00Z', end: '2025-03-15T04:00:00Z' },
    missingActivityId: '426887715123987000',
    expectedActivityCount: 23,
  },
)
