import { z } from 'zod'

/** An instant as ISO-8601 UTC with `Z` (`2025-03-14T11:02:13Z`; milliseconds allowed). */
export const isoInstantSchema = z.iso.datetime()

/** A local wall-clock time without zone (`2025-03-14T07:02:13`), paired with a UTC offset. */
export const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/, 'expected YYYY-MM-DDTHH:mm:ss')

/** A local calendar date `YYYY-MM-DD`. */
export const calendarDateSchema = z.iso.date()

/** A provider registry name: lower-case letters, digits and `_`. */
export const providerNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case name')

export const nonNegative = z.number().nonnegative()
export const nonNegativeInt = z.number().int().nonnegative()
export const percent = z.number().min(0).max(100)
export const latitude = z.number().min(-90).max(90)
export const longitude = z.number().min(-180).max(180)
/** Heart rate in bpm: a value outside 20–300 is a unit or sensor error. */
export const bpm = z.number().int().min(20).max(300)
