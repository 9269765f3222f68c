import type {
  FitnessProvider,
  ProviderBundle,
  ProviderContext,
  ProviderDescriptor,
} from '@pierre/providers-core'
import { createProvider, ProviderError, selectStreams } from '@pierre/providers-core'
import { providerName } from './internal/build.js'
import type { ActivityStore } from './store.js'
import { createMemoryActivityStore } from './store.js'

/** The descriptor of the `files` provider: local, no authentication, activities with streams. */
export const filesDescriptor: ProviderDescriptor = Object.freeze({
  name: providerName,
  displayName: 'Activity files',
  capabilities: Object.freeze(['local', 'activities', 'streams'] as const),
  auth: Object.freeze({ kind: 'none' as const }),
  defaultScopes: Object.freeze([]),
})

/** Options of {@link createFilesProvider}. */
export interface FilesProviderOptions {
  /** The imported activities, filled by {@link importFiles}. */
  readonly store: ActivityStore
}

/**
 * Creates the `files` provider over a store of imported activities: listing newest first with
 * paging, date and sport filters, one activity, and its streams. It reads the store at each call,
 * so activities imported later show up.
 *
 * @throws ProviderError `invalid_argument` when `store` is missing.
 * @example
 * ```ts
 * const store = createMemoryActivityStore()
 * await importFiles(['./exports'], { store })
 * const provider = createFilesProvider({ store })
 * const [latest] = await provider.getActivities({ limit: 1 })
 * ```
 */
export function createFilesProvider(options: FilesProviderOptions): FitnessProvider {
  const store = options?.store
  if (typeof store?.list !== 'function' || typeof store.get !== 'function') {
    throw new ProviderError('invalid_argument', 'store must be an ActivityStore', {
      provider: providerName,
    })
  }
  const find = (id: string) => {
    const found = store.get(id)
    if (found === undefined) {
      throw new ProviderError(
        'not_found',
        `activity ${JSON.stringify(id).slice(0, 100)} not found`,
        {
          provider: providerName,
          details: { resource_type: 'activity', resource_id: id.slice(0, 100) },
        },
      )
    }
    return found
  }
  return createProvider(filesDescriptor, {
    iterateActivities: (_query, callOptions) => ({
      async *[Symbol.asyncIterator]() {
        for (const activity of store.list()) {
          callOptions?.signal?.throwIfAborted()
          yield activity
        }
      },
    }),
    getActivity: async (id) => find(id).activity,
    getActivityStreams: async (id, streamOptions) =>
      selectStreams(find(id).streams, streamOptions?.keys),
  })
}

/** Options of {@link createFilesBundle}. */
export interface FilesBundleOptions {
  /** Returns the store of one tenant's user; one in-memory store per user by default. */
  readonly storeFor?: (context: ProviderContext) => ActivityStore
}

/** Creates the registry bundle of the `files` provider. */
export function createFilesBundle(options: FilesBundleOptions = {}): ProviderBundle {
  const stores = new Map<string, ActivityStore>()
  const defaultStoreFor = (context: ProviderContext): ActivityStore => {
    const key = JSON.stringify([context.tenantId, context.userId])
    let store = stores.get(key)
    if (store === undefined) {
      store = createMemoryActivityStore()
      stores.set(key, store)
    }
    return store
  }
  const storeFor = options.storeFor ?? defaultStoreFor
  return Object.freeze({
    descriptor: filesDescriptor,
    create: (context: ProviderContext) => createFilesProvider({ store: storeFor(context) }),
  })
}
