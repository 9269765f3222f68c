import { randomUUID } from 'node:crypto'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js'
import type { ProviderRegistry } from '@pierre/providers-core'
import type { ToolCatalog, ToolContext, ToolProviders } from '@pierre/tools'
import type { Logger } from '../logger.js'
import { createProgressReporter } from './progress.js'

/** The authenticated principal a session or stdio process acts for. */
export interface Principal {
  readonly tenantId: string
  readonly userId: string
  readonly clientId?: string
}

/** What an MCP server instance needs; one instance serves one session. */
export interface McpServerDependencies {
  readonly catalog: ToolCatalog
  readonly logger: Logger
  readonly version: string
  readonly principal: Principal
  readonly transport: 'http' | 'stdio'
  /** Adds the conformance fixture tool `test_reconnection` (off by default). */
  readonly conformanceFixtures?: boolean
  readonly now?: () => Date
  /** The fitness providers of this server; tools read them as the session's principal. */
  readonly providers?: ProviderRegistry
}

const INSTRUCTIONS =
  'Pierre computes sports science for a person: every number comes from a published formula, never a guess. The nutrition tools (calculate_daily_nutrition, get_nutrient_timing) need no provider or network; get_nutrient_timing can infer the workout intensity from a provider’s recent activities (activity_provider, e.g. synthetic). Units are in the field names (weight_kg, carbs_g, fluid_ml_min); dates are ISO 8601 in the athlete’s time zone. A tool error carries a code in structuredContent.error and a message naming each bad argument: fix the arguments and call again.'

const RECONNECTION_FIXTURE: Tool = {
  name: 'test_reconnection',
  title: 'Conformance fixture: SSE reconnection',
  description:
    'Test fixture enabled by PIERRE_MCP_CONFORMANCE_FIXTURES: closes the response stream mid-call and answers after the client resumes with Last-Event-ID (SEP-1699).',
  inputSchema: { type: 'object', additionalProperties: false },
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
}

/**
 * Creates a low-level MCP `Server` with Pierre's handlers. Tool listing and calls go through the
 * protocol-neutral catalogue; this layer only encodes results for MCP (`specs/protocols.md` §2.7).
 */
export function createMcpServer(deps: McpServerDependencies): Server {
  const server = new Server(
    { name: 'pierre-mcp-server', title: 'Pierre Fitness Intelligence', version: deps.version },
    { capabilities: { tools: { listChanged: true }, logging: {} }, instructions: INSTRUCTIONS },
  )
  const tools: Tool[] = deps.catalog.list().map((descriptor) => ({
    name: descriptor.name,
    title: descriptor.title,
    description: descriptor.description,
    inputSchema: descriptor.inputSchema as Tool['inputSchema'],
    outputSchema: descriptor.outputSchema as Tool['outputSchema'],
    annotations: descriptor.annotations,
  }))
  if (deps.conformanceFixtures === true) tools.push(RECONNECTION_FIXTURE)

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }))

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name
    if (deps.conformanceFixtures === true && name === RECONNECTION_FIXTURE.name) {
      extra.closeSSEStream?.()
      await delay(300, extra.signal)
      return { content: [{ type: 'text', text: 'resumed after reconnection' }] }
    }
    const requestId = randomUUID()
    const log = deps.logger.child({
      requestId,
      tenantId: deps.principal.tenantId,
      transport: deps.transport,
      method: 'tools/call',
      tool: name,
    })
    const now = deps.now ?? (() => new Date())
    const context: ToolContext = {
      tenantId: deps.principal.tenantId,
      userId: deps.principal.userId,
      signal: extra.signal,
      progress: createProgressReporter(request.params._meta?.progressToken, extra),
      now,
      logger: log,
      ...(deps.providers === undefined
        ? {}
        : { providers: providersFor(deps.providers, deps.principal, now) }),
    }
    let outcome: Awaited<ReturnType<ToolCatalog['call']>>
    try {
      outcome = await deps.catalog.call(name, request.params.arguments ?? {}, context)
    } catch (error) {
      log.error({ err: error }, 'tool call failed')
      throw new McpError(ErrorCode.InternalError, 'Internal error', { requestId })
    }
    switch (outcome.kind) {
      case 'unknown_tool':
        throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${outcome.name}`)
      case 'error':
        log.debug({ code: outcome.error.code }, 'tool returned an error')
        return {
          content: [{ type: 'text', text: outcome.text }],
          structuredContent: { error: outcome.error },
          isError: true,
        } satisfies CallToolResult
      case 'success':
        return {
          content: [{ type: 'text', text: outcome.text }],
          structuredContent: outcome.structuredContent,
          isError: false,
        } satisfies CallToolResult
      default: {
        const unreachable: never = outcome
        return unreachable
      }
    }
  })
  return server
}

/** The registry's providers bound to one principal: tools never choose the tenant or user. */
function providersFor(
  registry: ProviderRegistry,
  principal: Principal,
  now: () => Date,
): ToolProviders {
  return {
    names: () => registry.list(),
    get: (name) =>
      registry.create(name, { tenantId: principal.tenantId, userId: principal.userId, now }),
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}
