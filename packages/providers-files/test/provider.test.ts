import { collect, createProviderRegistry } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  createFilesBundle,
  createFilesProvider,
  createMemoryActivityStore,
  filesDescriptor,
  parseActivityFile,
} from '../src/index.js'
import { encodeFit } from './support.js'

const day = 86_400_000
const base = Date.UTC(2025, 2, 1, 7)

describe('files provider', () => {
  it('lists imported activities newest first and returns selected streams', async () => {
    const store = createMemoryActivityStore()
    for (const offset of [0, 2, 1]) {
      for (const parsed of parseActivityFile(
        encodeFit({ startMs: base + offset * day, seconds: 30, sport: 'running' }),
      )) {
        store.put(parsed)
      }
    }
    const provider = createFilesProvider({ store })
    const listed = await provider.getActivities({ limit: 10 })
    expect(listed.map((activity) => activity.start_date)).toEqual([
      '2025-03-03T07:00:00Z',
      '2025-03-02T07:00:00Z',
      '2025-03-01T07:00:00Z',
    ])
    const streams = await provider.getActivityStreams(listed[0]?.id ?? '', { keys: ['heartrate'] })
    expect(Object.keys(streams)).toContain('heartrate')
    expect(streams.watts).toBeUndefined()
    expect(streams.time).toHaveLength(30)
    await expect(provider.getAthlete()).rejects.toMatchObject({ code: 'unsupported_feature' })
  })

  it('registers as `files` and gives each user their own store', async () => {
    const registry = createProviderRegistry([createFilesBundle()])
    expect(registry.list()).toEqual(['files'])
    expect(registry.describe('Files')).toBe(filesDescriptor)
    const shared = createMemoryActivityStore()
    const bundle = createFilesBundle({ storeFor: () => shared })
    for (const parsed of parseActivityFile(
      encodeFit({ startMs: base, seconds: 10, sport: 'cycling' }),
    )) {
      shared.put(parsed)
    }
    const provider = bundle.create({ tenantId: 't1', userId: 'u1' })
    expect(await collect(provider.iterateActivities())).toHaveLength(1)
    const isolated = registry.create('files', { tenantId: 't1', userId: 'u2' })
    expect(await isolated.getActivities()).toEqual([])
  })

  it('refuses a missing store', () => {
    expect(() => createFilesProvider({} as never)).toThrow(/store/)
  })
})
