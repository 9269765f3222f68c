import type { FitnessProvider } from '@pierre/providers-core'
import type { z } from 'zod'

/** MCP tool annotations: hints for clients, never a security control (`specs/protocols.md` §2.7). */
export interface ToolAnnotations {
  readonly readOnlyHint: boolean
  readonly destructiveHint: boolean
  readonly idempotentHint: boolean
  readonly openWorldHint: boolean
}

/** The categories of the tool catalogue (`specs/tools.md` §2). */
export type ToolCategory =
  | 'core'
  | 'goals'
  | 'analysis'
  | 'configuration'
  | 'fitness_config'
  | 'sleep_recovery'
  | 'nutrition'
  | 'recipes'

/** Structural logger (pino-compatible); libraries never create one. */
export interface ToolLogger {
  debug(fields: object, message: string): void
  info(fields: object, message: string): void
  warn(fields: object, message: string): void
  error(fields: object, message: string): void
}

/** The fitness providers a caller may read, already bound to the caller's tenant and user. */
export interface ToolProviders {
  /** Names of the providers this server has, lower case. */
  names(): readonly string[]
  /**
   * Returns the provider of that name for the caller.
   *
   * @throws ProviderError `unknown_provider` (with `details.supported`) for a name it does not know.
   */
  get(name: string): FitnessProvider
}

/**
 * What a handler knows about the call: the authenticated principal (never taken from tool input),
 * cancellation and progress reporting.
 */
export interface ToolContext {
  /** Tenant of the authenticated principal. */
  readonly tenantId: string
  /** User of the authenticated principal. */
  readonly userId: string
  /** Aborted when the caller cancels; pass it to every I/O call. */
  readonly signal: AbortSignal
  /** Reports progress of long work; a no-op when the caller asked for none. */
  readonly progress: (done: number, total?: number, message?: string) => void
  /** The clock, injected so tests are deterministic. */
  readonly now: () => Date
  /** Optional logger for diagnostics (no arguments or payloads above `debug`). */
  readonly logger?: ToolLogger
  /** The caller's fitness providers; absent when the server has none. */
  readonly providers?: ToolProviders
}

/** The scopes a tool can require. */
export type ToolScope = 'fitness:read' | 'fitness:write' | 'providers:manage'

/**
 * One tool of the catalogue: protocol-neutral, with zod schemas for its input and its successful
 * output. MCP and A2A both serve it.
 */
export interface ToolDefinition<
  TInput extends z.ZodObject = z.ZodObject,
  TOutput extends z.ZodObject = z.ZodObject,
> {
  /** Unique name matching `^[A-Za-z0-9._-]{1,128}$` (snake_case by convention). */
  readonly name: string
  /** Human title ("Calculate daily nutrition"). */
  readonly title: string
  /** What the tool does, written for the model. */
  readonly description: string
  readonly category: ToolCategory
  readonly input: TInput
  readonly output: TOutput
  readonly annotations: ToolAnnotations
  /**
   * The OAuth scope a caller needs (security spec §1.2): `fitness:read` (default) for reads and
   * calculations, `fitness:write` for tools that store goals, configurations or recipes,
   * `providers:manage` for connecting and disconnecting providers.
   */
  readonly requiredScope?: ToolScope
  /** Computes the result; throws `ToolError` for expected failures. */
  readonly handler: (
    context: ToolContext,
    input: z.output<TInput>,
  ) => z.input<TOutput> | Promise<z.input<TOutput>>
}

/** Declares a tool with full type inference of its input and output. */
export function defineTool<TInput extends z.ZodObject, TOutput extends z.ZodObject>(
  definition: ToolDefinition<TInput, TOutput>,
): ToolDefinition<TInput, TOutput> {
  return definition
}
