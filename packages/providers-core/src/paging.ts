import { ProviderError } from './errors.js'
import { throwIfAborted } from './internal/abort.js'

/** A fetch of one page by 1-based (or `firstPage`-based) page number. */
export interface PageNumberSource<TItem> {
  readonly kind: 'page'
  /** Items per page; a shorter page ends the stream. */
  readonly pageSize: number
  /** Number of the first page; 1 unless the API counts from 0. */
  readonly firstPage?: number
  /** Returns the items of page `page`. */
  fetchPage(request: {
    readonly page: number
    readonly pageSize: number
    readonly signal: AbortSignal | undefined
  }): Promise<readonly TItem[]>
}

/** A fetch of one page by offset and limit. */
export interface OffsetSource<TItem> {
  readonly kind: 'offset'
  /** Items per request; a shorter page ends the stream. */
  readonly pageSize: number
  /** Offset of the first request; 0 by default. */
  readonly startOffset?: number
  /** Returns up to `limit` items starting at `offset`. */
  fetchRange(request: {
    readonly offset: number
    readonly limit: number
    readonly signal: AbortSignal | undefined
  }): Promise<readonly TItem[]>
}

/** A fetch of one page by an opaque cursor or next-page token. */
export interface CursorSource<TItem> {
  readonly kind: 'cursor'
  /** The cursor of the first page; `undefined` asks for the first page. */
  readonly firstCursor?: string
  /** Returns one page and the cursor of the next one (`null`/`undefined` at the end). */
  fetchCursor(request: {
    readonly cursor: string | undefined
    readonly signal: AbortSignal | undefined
  }): Promise<{ readonly items: readonly TItem[]; readonly nextCursor: string | null | undefined }>
}

/** Any of the three paging styles {@link paginate} turns into one stream. */
export type PageSource<TItem> = PageNumberSource<TItem> | OffsetSource<TItem> | CursorSource<TItem>

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Stops the stream; the iterator rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Stops after this many page requests (a guard against endless upstream paging). */
  readonly maxPages?: number
}

/**
 * Returns one lazy stream of items over a paged upstream list, whatever its paging style: page
 * numbers, offset and limit, or cursors. A page is fetched only when the previous one is consumed.
 * A page-number or offset source ends on a page shorter than `pageSize`; a cursor source ends on a
 * missing next cursor.
 *
 * @throws ProviderError `invalid_data` when a cursor source returns the same cursor twice.
 * @example
 * ```ts
 * const items = paginate({ kind: 'page', pageSize: 2, fetchPage: async ({ page }) => pages[page - 1] ?? [] })
 * for await (const item of items) seen.push(item)
 * ```
 */
export function paginate<TItem>(
  source: PageSource<TItem>,
  options: PaginateOptions = {},
): AsyncIterable<TItem> {
  const { signal } = options
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY
  return {
    async *[Symbol.asyncIterator]() {
      let pages = 0
      if (source.kind === 'cursor') {
        let cursor = source.firstCursor
        const seen = new Set<string>()
        while (pages < maxPages) {
          throwIfAborted(signal)
          const page = await source.fetchCursor({ cursor, signal })
          pages += 1
          yield* page.items
          const next = page.nextCursor
          if (next === null || next === undefined || next === '') return
          if (seen.has(next)) {
            throw new ProviderError('invalid_data', 'upstream returned the same page cursor twice')
          }
          seen.add(next)
          cursor = next
        }
        return
      }
      const pageSize = positiveInteger(source.pageSize, 'pageSize')
      if (source.kind === 'page') {
        let page = source.firstPage ?? 1
        while (pages < maxPages) {
          throwIfAborted(signal)
          const items = await source.fetchPage({ page, pageSize, signal })
          pages += 1
          yield* items
          if (items.length < pageSize) return
          page += 1
        }
        return
      }
      let offset = source.startOffset ?? 0
      while (pages < maxPages) {
        throwIfAborted(signal)
        const items = await source.fetchRange({ offset, limit: pageSize, signal })
        pages += 1
        yield* items
        if (items.length < pageSize) return
        offset += items.length
      }
    },
  }
}

/** Options of {@link collect}. */
export interface CollectOptions {
  /** Items to skip first. */
  readonly offset?: number
  /** Items to keep at most; all when absent. */
  readonly limit?: number
  /** Stops collecting; rejects with the signal's reason. */
  readonly signal?: AbortSignal
}

/**
 * Collects an async iterable into an array, skipping `offset` items and keeping at most `limit`.
 * Stops pulling (and so stops fetching pages) as soon as `limit` is reached.
 */
export async function collect<TItem>(
  items: AsyncIterable<TItem>,
  options: CollectOptions = {},
): Promise<TItem[]> {
  const offset = options.offset ?? 0
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const result: TItem[] = []
  if (limit <= 0) return result
  let index = 0
  for await (const item of items) {
    throwIfAborted(options.signal)
    if (index >= offset) {
      result.push(item)
      if (result.length >= limit) break
    }
    index += 1
  }
  return result
}

interface CursorEnvelope {
  readonly v: 1
  readonly p: string
  readonly k: unknown
}

/**
 * Encodes a provider's paging position as an opaque cursor:
 * `base64url(JSON.stringify({v: 1, p: provider, k: key}))` (`specs/providers.md` §3.10).
 */
export function encodeCursor(provider: string, key: unknown): string {
  const envelope: CursorEnvelope = { v: 1, p: provider, k: key }
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url')
}

/**
 * Decodes a cursor made by {@link encodeCursor} for `provider` and returns its key.
 *
 * @throws ProviderError `invalid_cursor` when the cursor is malformed, of another version, or of
 *   another provider.
 */
export function decodeCursor(provider: string, cursor: string): unknown {
  let envelope: unknown
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new TypeError('not base64url')
    envelope = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch (error) {
    throw new ProviderError('invalid_cursor', 'page cursor is malformed', {
      provider,
      cause: error,
    })
  }
  if (typeof envelope !== 'object' || envelope === null || (envelope as { v?: unknown }).v !== 1) {
    throw new ProviderError('invalid_cursor', 'page cursor has an unknown version', { provider })
  }
  if ((envelope as { p?: unknown }).p !== provider) {
    throw new ProviderError(
      'invalid_cursor',
      `page cursor does not belong to provider ${provider}`,
      {
        provider,
      },
    )
  }
  return (envelope as { k?: unknown }).k
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ProviderError(
      'invalid_argument',
      `${name} must be a positive integer, received ${String(value)}`,
    )
  }
  return value
}
