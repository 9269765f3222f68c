import { describe, expect, it, vi } from 'vitest'
import { collect, decodeCursor, encodeCursor, isProviderError, paginate } from '../src/index.js'

const letters = 'abcdefghij'.split('')

describe('paginate', () => {
  it('turns page-number paging into one stream and stops on a short page', async () => {
    const fetchPage = vi.fn(async ({ page, pageSize }: { page: number; pageSize: number }) =>
      letters.slice((page - 1) * pageSize, page * pageSize),
    )
    expect(await collect(paginate({ kind: 'page', pageSize: 4, fetchPage }))).toEqual(letters)
    expect(fetchPage.mock.calls.map(([request]) => request.page)).toEqual([1, 2, 3])
  })

  it('asks for one more page after an exactly full last page and stops on the empty one', async () => {
    const fetchPage = vi.fn(async ({ page }: { page: number }) =>
      letters.slice((page - 1) * 5, page * 5),
    )
    expect(await collect(paginate({ kind: 'page', pageSize: 5, fetchPage }))).toHaveLength(10)
    expect(fetchPage).toHaveBeenCalledTimes(3)
  })

  it('turns offset paging into one stream', async () => {
    const offsets: number[] = []
    const stream = paginate({
      kind: 'offset',
      pageSize: 3,
      fetchRange: async ({ offset, limit }) => {
        offsets.push(offset)
        return letters.slice(offset, offset + limit)
      },
    })
    expect((await collect(stream)).join('')).toBe('abcdefghij')
    expect(offsets).toEqual([0, 3, 6, 9])
  })

  it('turns cursor paging into one stream and ends on a missing cursor', async () => {
    const pages: Record<string, { items: string[]; nextCursor: string | null }> = {
      start: { items: ['a', 'b'], nextCursor: 'c2' },
      c2: { items: ['c'], nextCursor: 'c3' },
      c3: { items: [], nextCursor: null },
    }
    const stream = paginate({
      kind: 'cursor',
      fetchCursor: async ({ cursor }) => pages[cursor ?? 'start'] as (typeof pages)[string],
    })
    expect(await collect(stream)).toEqual(['a', 'b', 'c'])
  })

  it('refuses an upstream that repeats a cursor instead of looping forever', async () => {
    const stream = paginate({
      kind: 'cursor',
      fetchCursor: async () => ({ items: ['x'], nextCursor: 'same' }),
    })
    await expect(collect(stream)).rejects.toMatchObject({ code: 'invalid_data' })
  })

  it('fetches lazily: taking 3 items of 4-item pages costs one request', async () => {
    const fetchPage = vi.fn(async () => ['a', 'b', 'c', 'd'])
    expect(await collect(paginate({ kind: 'page', pageSize: 4, fetchPage }), { limit: 3 })).toEqual(
      ['a', 'b', 'c'],
    )
    expect(fetchPage).toHaveBeenCalledTimes(1)
  })

  it('stops with the signal reason when aborted between pages', async () => {
    const controller = new AbortController()
    const stream = paginate(
      {
        kind: 'page',
        pageSize: 2,
        fetchPage: async ({ page }) => {
          if (page === 2) controller.abort(new Error('user went away'))
          return ['x', 'y']
        },
      },
      { signal: controller.signal },
    )
    await expect(collect(stream)).rejects.toThrow('user went away')
  })

  it('honours maxPages', async () => {
    const stream = paginate(
      { kind: 'page', pageSize: 1, fetchPage: async () => ['x'] },
      { maxPages: 4 },
    )
    expect(await collect(stream)).toHaveLength(4)
  })

  it('collects exactly offset and limit', async () => {
    const stream = paginate({
      kind: 'page',
      pageSize: 3,
      fetchPage: async ({ page }) => letters.slice((page - 1) * 3, page * 3),
    })
    expect(await collect(stream, { offset: 4, limit: 3 })).toEqual(['e', 'f', 'g'])
  })
})

describe('cursor codec (spec §3.10)', () => {
  it('round-trips a key for the same provider', () => {
    const cursor = encodeCursor('strava', { before: 1_741_950_134, seen: ['13876543210'] })
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeCursor('strava', cursor)).toEqual({ before: 1_741_950_134, seen: ['13876543210'] })
  })

  it.for([
    { name: 'another provider', cursor: encodeCursor('fitbit', { o: 1 }) },
    { name: 'garbage', cursor: 'not!a!cursor' },
    {
      name: 'another version',
      cursor: Buffer.from('{"v":2,"p":"strava","k":1}').toString('base64url'),
    },
    { name: 'JSON that is not an object', cursor: Buffer.from('42').toString('base64url') },
  ])('refuses $name with invalid_cursor', ({ cursor }) => {
    try {
      decodeCursor('strava', cursor)
      expect.unreachable()
    } catch (error) {
      expect(isProviderError(error) && error.code).toBe('invalid_cursor')
    }
  })
})
