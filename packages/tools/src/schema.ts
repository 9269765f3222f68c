import { z } from 'zod'

/**
 * A string enum matched case-insensitively: the published JSON Schema lists the canonical lower-case
 * values, and the parsed value is always one of them.
 */
export function caseInsensitiveEnum<const TValues extends readonly [string, ...string[]]>(
  values: TValues,
) {
  return z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(values))
    .meta({ enum: [...values] })
}

/** The JSON Schema (draft 2020-12) that a tool publishes for its input or output. */
export type JsonSchemaObject = { readonly type: 'object' } & Readonly<Record<string, unknown>>

/** Converts a zod object schema into the JSON Schema a tool publishes, without the `$schema` key. */
export function toToolJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchemaObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
  }) as Record<string, unknown>
  if (rest.type !== 'object') {
    throw new TypeError('a tool schema must describe a JSON object')
  }
  return rest as JsonSchemaObject
}
