import { describeProviderContract } from '@pierre/providers-core/testing'
import { createFilesProvider, createMemoryActivityStore, parseActivityFile } from '../src/index.js'
import { encodeFit, encodeGpx } from './support.js'

const base = Date.UTC(2025, 1, 1, 7)

describeProviderContract(
  () => {
    const store = createMemoryActivityStore()
    for (let index = 0; index < 12; index += 1) {
      const track = {
        startMs: base + index * 86_400_000,
        seconds: 60,
        sport: index % 2 === 0 ? 'running' : 'cycling',
      } as const
      const content =
        index % 3 === 0 ? new TextEncoder().encode(encodeGpx(track)) : encodeFit(track)
      for (const parsed of parseActivityFile(content)) store.put(parsed)
    }
    return { provider: createFilesProvider({ store }) }
  },
  { title: 'files provider meets the provider contract', expectedActivityCount: 12 },
)
