import { SportsScienceError } from '@pierre/sports-science'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  builtinTools,
  createToolCatalog,
  defineTool,
  type ToolContext,
  ToolError,
} from '../src/index.js'

const context: ToolContext = {
  tenantId: 'tenant-a',
  userId: 'user-a',
  signal: new AbortController().signal,
  progress: () => {},
  now: () => new Date('2026-11-24T08:00:00Z'),
}

const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
}

function tool(name: string, handler: (input: { n: number }) => unknown) {
  return defineTool({
    name,
    title: 'Test tool',
    description: 'a tool for tests',
    category: 'nutrition',
    input: z.object({ n: z.number().min(0).describe('a number') }),
    output: z.object({ doubled: z.number() }),
    annotations,
    handler: (_context, input) => handler(input) as { doubled: number },
  })
}

describe('tool catalogue', () => {
  it('gives every built-in tool a valid unique name (MCP 2025-11-25 rule)', () => {
    const names = builtinTools.map((definition) => definition.name)
    for (const name of names) expect(name).toMatch(/^[a-z0-9_]{1,128}$/)
    expect(new Set(names).size).toBe(names.length)
  })

  it('publishes object JSON Schemas with a description on every input property', () => {
    for (const descriptor of createToolCatalog(builtinTools).list()) {
      expect(descriptor.inputSchema.type).toBe('object')
      expect(descriptor.outputSchema.type).toBe('object')
      expect('$schema' in descriptor.inputSchema).toBe(false)
      const properties = descriptor.inputSchema.properties as Record<
        string,
        { description?: string }
      >
      for (const [key, property] of Object.entries(properties)) {
        expect(property.description, `${descriptor.name}.${key}`).toBeTruthy()
      }
      expect(descriptor.annotations.title).toBe(descriptor.title)
    }
  })

  it('rejects invalid and duplicate names at creation', () => {
    expect(() => createToolCatalog([tool('bad name', () => ({ doubled: 0 }))])).toThrow(
      /invalid tool name/,
    )
    const ok = tool('twice', () => ({ doubled: 0 }))
    expect(() => createToolCatalog([ok, ok])).toThrow(/duplicate tool name twice/)
  })

  it('reports the scope each tool requires, fitness:read unless declared', () => {
    const writer = {
      ...tool('store_it', () => ({ doubled: 0 })),
      requiredScope: 'fitness:write' as const,
    }
    const catalog = createToolCatalog([tool('read_it', () => ({ doubled: 0 })), writer])
    expect(catalog.requiredScope('read_it')).toBe('fitness:read')
    expect(catalog.requiredScope('store_it')).toBe('fitness:write')
    expect(catalog.requiredScope('missing')).toBeUndefined()
    const builtin = createToolCatalog(builtinTools)
    for (const descriptor of builtin.list()) {
      expect(builtin.requiredScope(descriptor.name)).toBe('fitness:read')
    }
  })

  it('runs a valid call and returns structured content with a compact JSON text', async () => {
    const catalog = createToolCatalog([tool('double', ({ n }) => ({ doubled: n * 2 }))])
    expect(await catalog.call('double', { n: 4 }, context)).toEqual({
      kind: 'success',
      structuredContent: { doubled: 8 },
      text: '{"doubled":8}',
    })
  })

  it('reports an unknown tool without calling anything', async () => {
    const catalog = createToolCatalog([])
    expect(await catalog.call('nope', {}, context)).toEqual({ kind: 'unknown_tool', name: 'nope' })
  })

  it.for([
    { name: 'missing field', args: {}, issue: { path: 'n', message: 'is required' } },
    { name: 'wrong type', args: { n: 'x' }, issue: { path: 'n', message: 'must be a number' } },
    { name: 'below minimum', args: { n: -1 }, issue: { path: 'n', message: 'must be at least 0' } },
    {
      name: 'arguments not an object',
      args: 7,
      issue: { path: '(arguments)', message: 'must be an object' },
    },
  ])('turns a $name into invalid_argument naming the field and rule', async ({ args, issue }) => {
    const catalog = createToolCatalog([tool('double', ({ n }) => ({ doubled: n * 2 }))])
    const outcome = await catalog.call('double', args, context)
    expect(outcome).toEqual({
      kind: 'error',
      error: {
        code: 'invalid_argument',
        message: `invalid arguments: ${issue.path}: ${issue.message}`,
        details: { issues: [issue] },
      },
      text: `Error: invalid arguments: ${issue.path}: ${issue.message}`,
    })
  })

  it('passes a ToolError through with its code, details and retryable flag', async () => {
    const catalog = createToolCatalog([
      tool('fails', () => {
        throw new ToolError('upstream_unavailable', 'strava did not answer', {
          details: { provider: 'strava' },
          retryable: true,
        })
      }),
    ])
    expect(await catalog.call('fails', { n: 1 }, context)).toMatchObject({
      kind: 'error',
      error: {
        code: 'upstream_unavailable',
        message: 'strava did not answer',
        details: { provider: 'strava' },
        retryable: true,
      },
    })
  })

  it('maps a sports-science INVALID_INPUT to invalid_argument', async () => {
    const catalog = createToolCatalog([
      tool('science', () => {
        throw new SportsScienceError(
          'INVALID_INPUT',
          'ftp must be a positive number of watts, received 0',
        )
      }),
    ])
    expect(await catalog.call('science', { n: 1 }, context)).toMatchObject({
      kind: 'error',
      error: {
        code: 'invalid_argument',
        message: 'ftp must be a positive number of watts, received 0',
      },
    })
  })

  it('lets unexpected failures and output mismatches propagate (internal errors)', async () => {
    const catalog = createToolCatalog([
      tool('crash', () => {
        throw new Error('db down')
      }),
      tool('wrong', () => ({ doubled: 'not a number' })),
    ])
    await expect(catalog.call('crash', { n: 1 }, context)).rejects.toThrow('db down')
    await expect(catalog.call('wrong', { n: 1 }, context)).rejects.toThrow()
  })
})
