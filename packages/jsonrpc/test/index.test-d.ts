import { expectTypeOf, test } from 'vitest'
import { z } from 'zod'
import {
  createDispatcher,
  defineMethod,
  type HandleResult,
  type JsonRpcParams,
  type MethodCall,
  type MethodDefinition,
} from '../src/index.js'

interface RequestContext {
  readonly tenantId: string
  readonly scopes: readonly string[]
}

test('handler params follow the schema, or stay raw without one', () => {
  defineMethod({
    method: 'get',
    params: z.object({ id: z.string(), limit: z.number().optional() }),
    handler: (params) => {
      expectTypeOf(params).toEqualTypeOf<{ id: string; limit?: number | undefined }>()
    },
  })
  defineMethod({
    method: 'pair',
    params: z.tuple([z.string(), z.number()]),
    handler: (params) => {
      expectTypeOf(params).toEqualTypeOf<[string, number]>()
    },
  })
  defineMethod({
    method: 'raw',
    handler: (params) => {
      expectTypeOf(params).toEqualTypeOf<JsonRpcParams | undefined>()
    },
  })
})

test('the context type comes from the call annotation and must match the dispatcher', () => {
  const whoami = defineMethod({
    method: 'whoami',
    handler: (_params, call: MethodCall<RequestContext>) => call.ctx.tenantId,
  })
  expectTypeOf(whoami).toEqualTypeOf<MethodDefinition<RequestContext>>()
  const dispatcher = createDispatcher<RequestContext>({ methods: [whoami] })
  expectTypeOf(dispatcher.handle).parameter(1).toEqualTypeOf<RequestContext>()
  expectTypeOf(dispatcher.handle).returns.toEqualTypeOf<Promise<HandleResult>>()
  // @ts-expect-error a method needing a context cannot join a dispatcher without one
  createDispatcher({ methods: [whoami] })
})

test('a dispatcher without a context takes none', () => {
  const dispatcher = createDispatcher()
  expectTypeOf(dispatcher.handleText('{}')).toEqualTypeOf<Promise<string | undefined>>()
})
