import { isProviderError, type ProviderError, type ProviderErrorCode } from '@pierre/providers-core'
import { isSportsScienceError, type SportsScienceErrorCode } from '@pierre/sports-science'
import type { z } from 'zod'
import type { ToolAnnotations, ToolContext, ToolDefinition, ToolScope } from './definition.js'
import { isToolError, type ToolErrorCode } from './errors.js'
import { type JsonSchemaObject, toToolJsonSchema } from './schema.js'

const TOOL_NAME = /^[A-Za-z0-9._-]{1,128}$/

/** A tool as published to clients: names, schemas (JSON Schema 2020-12) and annotations. */
export interface ToolDescriptor {
  readonly name: string
  readonly title: string
  readonly description: string
  readonly inputSchema: JsonSchemaObject
  readonly outputSchema: JsonSchemaObject
  readonly annotations: ToolAnnotations & { readonly title: string }
}

/** The structured error of a failed tool call (`specs/tools.md` §1.3). */
export interface ToolErrorPayload {
  readonly code: ToolErrorCode
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
  readonly retryable?: boolean
}

/** Outcome of {@link ToolCatalog.call}. */
export type ToolCallOutcome =
  | {
      readonly kind: 'success'
      readonly structuredContent: Record<string, unknown>
      readonly text: string
    }
  | {
      readonly kind: 'error'
      readonly error: ToolErrorPayload
      readonly text: string
    }
  | { readonly kind: 'unknown_tool'; readonly name: string }

/** The tool catalogue: lists descriptors and runs calls with validation and error translation. */
export interface ToolCatalog {
  /** Descriptors in catalogue order; schemas are generated once, at creation. */
  list(): readonly ToolDescriptor[]
  /** Returns true when a tool of that name exists. */
  has(name: string): boolean
  /** The scope a tool requires (`fitness:read` unless it declares another); undefined if unknown. */
  requiredScope(name: string): ToolScope | undefined
  /**
   * Validates `args`, runs the handler and translates expected failures into an error outcome.
   * Unexpected throwables propagate: the caller maps them to an internal protocol error.
   */
  call(name: string, args: unknown, context: ToolContext): Promise<ToolCallOutcome>
}

interface Entry {
  readonly definition: ToolDefinition
  readonly descriptor: ToolDescriptor
}

/**
 * Builds a catalogue from tool definitions. Throws at start-up on an invalid or duplicate name, or
 * on a schema that cannot be expressed as JSON Schema.
 */
export function createToolCatalog(definitions: readonly ToolDefinition[]): ToolCatalog {
  const entries = new Map<string, Entry>()
  for (const definition of definitions) {
    if (!TOOL_NAME.test(definition.name)) {
      throw new TypeError(`invalid tool name ${JSON.stringify(definition.name)}`)
    }
    if (entries.has(definition.name)) {
      throw new TypeError(`duplicate tool name ${definition.name}`)
    }
    entries.set(definition.name, { definition, descriptor: describe(definition) })
  }
  const descriptors = [...entries.values()].map((entry) => entry.descriptor)

  return {
    list: () => descriptors,
    has: (name) => entries.has(name),
    requiredScope: (name) => {
      const entry = entries.get(name)
      return entry === undefined ? undefined : (entry.definition.requiredScope ?? 'fitness:read')
    },
    async call(name, args, context) {
      const entry = entries.get(name)
      if (entry === undefined) return { kind: 'unknown_tool', name }
      const parsed = entry.definition.input.safeParse(args ?? {}, { reportInput: true })
      if (!parsed.success) return errorOutcome(invalidArguments(parsed.error))
      try {
        const result = await entry.definition.handler(context, parsed.data)
        const structuredContent = entry.definition.output.parse(result) as Record<string, unknown>
        return { kind: 'success', structuredContent, text: JSON.stringify(structuredContent) }
      } catch (error) {
        const translated = translate(error)
        if (translated === undefined) throw error
        return errorOutcome(translated)
      }
    },
  }
}

function describe(definition: ToolDefinition): ToolDescriptor {
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    inputSchema: toToolJsonSchema(definition.input, 'input'),
    outputSchema: toToolJsonSchema(definition.output, 'output'),
    annotations: { title: definition.title, ...definition.annotations },
  }
}

function errorOutcome(error: ToolErrorPayload): ToolCallOutcome {
  return { kind: 'error', error, text: `Error: ${error.message}` }
}

/** Formats a zod path the way users write it: `meals[0].grams`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out === '' ? '(arguments)' : out
}

function invalidArguments(error: z.ZodError): ToolErrorPayload {
  const issues = error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: describeIssue(issue),
  }))
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
  return {
    code: 'invalid_argument',
    message: `invalid arguments: ${summary}`,
    details: { issues },
  }
}

/** Turns a zod issue into a lower-case rule statement that names what was expected. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`
    case 'too_small':
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}`
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`
    default:
      return issue.message.toLowerCase()
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer'
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
}

/**
 * Maps a library error to a tool error (STYLE.md B.5 rule 6). Returns undefined for anything that
 * is not an expected failure, which the caller treats as an internal error.
 */
function translate(error: unknown): ToolErrorPayload | undefined {
  if (isToolError(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
    }
  }
  if (isSportsScienceError(error)) {
    return { code: fromSportsScienceCode(error.code), message: error.message }
  }
  if (isProviderError(error)) return fromProviderError(error)
  return undefined
}

/** Maps a provider failure to the tool error a model can act on (`specs/tools.md` §1.3). */
function fromProviderError(error: ProviderError): ToolErrorPayload {
  const code = fromProviderCode(error.code)
  const details: Record<string, unknown> = { provider_error: error.code }
  if (error.provider !== undefined) details.provider = error.provider
  const supported = (error.details as { supported?: unknown } | undefined)?.supported
  if (Array.isArray(supported)) details.supported = supported
  if (code === 'provider_not_connected') details.hint = 'call connect_provider, then try again'
  if (error.retryAfterSeconds !== undefined) details.retry_after_seconds = error.retryAfterSeconds
  const retryable = code === 'upstream_unavailable' ? true : undefined
  return {
    code,
    message: error.message,
    details,
    ...(retryable === undefined ? {} : { retryable }),
  }
}

function fromProviderCode(code: ProviderErrorCode): ToolErrorCode {
  switch (code) {
    case 'unknown_provider':
      return 'unknown_provider'
    case 'not_connected':
    case 'reauth_required':
    case 'token_expired':
    case 'insufficient_scope':
    case 'access_denied':
      return 'provider_not_connected'
    case 'unsupported_feature':
      return 'provider_capability'
    case 'not_configured':
      return 'not_configured'
    case 'not_found':
      return 'not_found'
    case 'rate_limited':
    case 'quota_exceeded':
    case 'circuit_open':
    case 'upstream_unavailable':
    case 'upstream_error':
    case 'invalid_data':
      return 'upstream_unavailable'
    case 'invalid_state':
    case 'invalid_cursor':
    case 'invalid_argument':
      return 'invalid_argument'
    default: {
      const unmapped: never = code
      return unmapped
    }
  }
}

function fromSportsScienceCode(code: SportsScienceErrorCode): ToolErrorCode {
  switch (code) {
    case 'INVALID_INPUT':
      return 'invalid_argument'
    default: {
      const unmapped: never = code
      return unmapped
    }
  }
}
