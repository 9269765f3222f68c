import { describeProviderContract } from '@pierre/providers-core/testing'
import { createSyntheticProvider } from '../src/index.js'
import { anchor, fixedNow } from './support.js'

describeProviderContract(
  () => ({ provider: createSyntheticProvider({ seed: 42, now: fixedNow, historyDays: 30 }) }),
  {
    title: 'synthetic provider meets the provider contract',
    range: { start: '2025-03-01T00:00:00Z', end: anchor },
  },
)
