import { z } from 'zod'
import { ProviderError } from '../errors.js'
import type { Activity, SportType } from './activity.js'
import { sportTypeSchema } from './activity.js'
import { isoInstantSchema } from './common.js'

const epochSeconds = z.number().int().nonnegative()

/** Schema of {@link ActivityQuery} (`specs/providers.md` §3.10). */
export const activityQuerySchema = z
  .object({
    /** How many activities; default 30, at most 1000 per call. */
    limit: z.number().int().min(1).max(1000).optional(),
    /** How many of the newest matching activities to skip. */
    offset: z.number().int().nonnegative().optional(),
    /** Epoch seconds, inclusive: activities starting at or after. */
    after: epochSeconds.optional(),
    /** Epoch seconds, exclusive: activities starting strictly before. */
    before: epochSeconds.optional(),
    /** Kept client-side after fetching. */
    sport_types: z.array(sportTypeSchema).optional(),
  })
  .refine(
    (query) =>
      query.after === undefined || query.before === undefined || query.after < query.before,
    {
      message: 'after must be earlier than before',
      path: ['after'],
    },
  )

/** Which activities to list: newest first, filtered on start time and sport. */
export type ActivityQuery = z.infer<typeof activityQuerySchema>

/** Schema of {@link DateRange}. */
export const dateRangeSchema = z
  .object({
    /** ISO UTC, inclusive. */
    start: isoInstantSchema,
    /** ISO UTC, exclusive. */
    end: isoInstantSchema,
  })
  .refine((range) => Date.parse(range.start) < Date.parse(range.end), {
    message: 'start must be earlier than end',
    path: ['start'],
  })

/** A half-open time range `[start, end)` of ISO UTC instants. */
export type DateRange = z.infer<typeof dateRangeSchema>

/** Schema of {@link PageParams}. */
export const pageParamsSchema = z.object({
  limit: z.number().int().min(1).max(1000),
  cursor: z.string().min(1).optional(),
  direction: z.enum(['forward', 'backward']).optional(),
})

/** One page request of a cursor-paged list. */
export type PageParams = z.infer<typeof pageParamsSchema>

/** One page of a cursor-paged list; cursors are opaque strings. */
export interface CursorPage<TItem> {
  readonly items: readonly TItem[]
  readonly next_cursor: string | null
  readonly prev_cursor: string | null
  readonly has_more: boolean
  readonly count: number
}

/**
 * Validates an activity query at the edge.
 *
 * @throws ProviderError `invalid_argument` listing every issue in `details.issues`.
 */
export function parseActivityQuery(input: unknown): ActivityQuery {
  return parseWith(activityQuerySchema, input, 'activity query')
}

/**
 * Validates a date range at the edge.
 *
 * @throws ProviderError `invalid_argument` listing every issue in `details.issues`.
 */
export function parseDateRange(input: unknown): DateRange {
  return parseWith(dateRangeSchema, input, 'date range')
}

function parseWith<TOutput>(schema: z.ZodType<TOutput>, input: unknown, what: string): TOutput {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  throw new ProviderError(
    'invalid_argument',
    `invalid ${what}: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`,
    { details: { issues } },
  )
}

/**
 * Returns whether an activity matches the query's `after`, `before` and `sport_types` filters.
 * `after` is inclusive, `before` exclusive, both in epoch seconds of `start_date`.
 */
export function matchesActivityQuery(
  activity: Activity,
  query: Pick<ActivityQuery, 'after' | 'before' | 'sport_types'>,
): boolean {
  const startSeconds = Math.floor(Date.parse(activity.start_date) / 1000)
  if (query.after !== undefined && startSeconds < query.after) return false
  if (query.before !== undefined && startSeconds >= query.before) return false
  if (query.sport_types !== undefined && query.sport_types.length > 0) {
    return (query.sport_types as readonly SportType[]).includes(activity.sport_type)
  }
  return true
}

/**
 * Compares two activities newest first (descending `start_date`, ties by id descending), the order
 * every provider returns (`specs/providers.md` §3.10).
 */
export function compareActivitiesNewestFirst(left: Activity, right: Activity): number {
  const byStart = Date.parse(right.start_date) - Date.parse(left.start_date)
  if (byStart !== 0) return byStart
  return compareIdsDescending(left.id, right.id)
}

function compareIdsDescending(left: string, right: string): number {
  // Numeric ids compare as numbers (Strava ids exceed 2^53, so compare by length first).
  if (/^\d+$/.test(left) && /^\d+$/.test(right)) {
    if (left.length !== right.length) return right.length - left.length
  }
  return left < right ? 1 : left > right ? -1 : 0
}
