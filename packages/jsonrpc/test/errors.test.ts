import { describe, expect, it } from 'vitest'
import {
  defineErrorCodes,
  isJsonRpcError,
  JsonRpcConnectionClosedError,
  JsonRpcError,
  JsonRpcErrorCode,
  JsonRpcTimeoutError,
} from '../src/index.js'

describe('JsonRpcError (§1.8)', () => {
  it.for([
    { name: 'parseError', make: JsonRpcError.parseError, code: -32700, message: 'Parse error' },
    {
      name: 'invalidRequest',
      make: JsonRpcError.invalidRequest,
      code: -32600,
      message: 'Invalid Request',
    },
    {
      name: 'methodNotFound',
      make: JsonRpcError.methodNotFound,
      code: -32601,
      message: 'Method not found',
    },
    {
      name: 'invalidParams',
      make: JsonRpcError.invalidParams,
      code: -32602,
      message: 'Invalid params',
    },
    {
      name: 'internalError',
      make: JsonRpcError.internalError,
      code: -32603,
      message: 'Internal error',
    },
  ])('JsonRpcError.$name() builds code $code', ({ make, code, message }) => {
    const error = make({ hint: 1 })
    expect(error).toMatchObject({ code, message, data: { hint: 1 }, remote: false })
    expect(error.toJSON()).toEqual({ code, message, data: { hint: 1 } })
  })

  it('serialises to the wire form only, never the stack or cause', () => {
    const error = new JsonRpcError(-32001, 'task not found')
    expect(JSON.stringify(error)).toBe('{"code":-32001,"message":"task not found"}')
    expect(error.name).toBe('JsonRpcError')
    expect(error).toBeInstanceOf(Error)
  })

  it('refuses a non-integer code', () => {
    expect(() => new JsonRpcError(1.5, 'x')).toThrow(TypeError)
  })

  it('marks errors built from a peer response as remote', () => {
    const error = JsonRpcError.fromObject({ code: -32000, message: 'm' }, { remote: true })
    expect(error.remote).toBe(true)
    expect(JsonRpcError.fromObject({ code: 1, message: 'm' }).remote).toBe(false)
  })

  it('recognises errors by brand, also from another copy of the package', () => {
    expect(isJsonRpcError(new JsonRpcError(1, 'x'))).toBe(true)
    expect(isJsonRpcError(new Error('x'))).toBe(false)
    expect(isJsonRpcError({ code: 1, message: 'x' })).toBe(false)
    expect(isJsonRpcError(null)).toBe(false)
    const foreign = { [Symbol.for('@pierre/jsonrpc.error')]: true, code: 1, message: 'x' }
    expect(isJsonRpcError(foreign)).toBe(true)
  })

  it('exposes the library codes', () => {
    expect(JsonRpcErrorCode).toEqual({
      parseError: -32700,
      invalidRequest: -32600,
      methodNotFound: -32601,
      invalidParams: -32602,
      internalError: -32603,
      serverError: -32000,
    })
  })

  it('keeps local errors separate from wire errors', () => {
    const timeout = new JsonRpcTimeoutError({ method: 'm', id: 1, timeoutMs: 5 })
    expect(timeout).toMatchObject({ name: 'JsonRpcTimeoutError', method: 'm', timeoutMs: 5 })
    expect(isJsonRpcError(timeout)).toBe(false)
    expect(new JsonRpcConnectionClosedError().message).toBe('connection closed')
  })
})

describe('defineErrorCodes', () => {
  const a2a = defineErrorCodes({
    taskNotFound: { code: -32001, message: 'Task not found' },
    notCancelable: { code: -32002, message: 'Task cannot be canceled' },
    appSpecific: { code: 1001, message: 'Application error' },
  })

  it('returns one constructor per code, with the default or an overriding message', () => {
    const error = a2a.taskNotFound({ taskId: 't1' })
    expect(error).toBeInstanceOf(JsonRpcError)
    expect(error.toJSON()).toEqual({
      code: -32001,
      message: 'Task not found',
      data: { taskId: 't1' },
    })
    expect(a2a.notCancelable(undefined, 'task t1 is completed').message).toBe(
      'task t1 is completed',
    )
    expect(a2a.appSpecific.code).toBe(1001)
    expect(a2a.taskNotFound.is(error)).toBe(true)
    expect(a2a.notCancelable.is(error)).toBe(false)
  })

  it.for([
    { name: 'a standard code', code: -32601 },
    { name: 'the library -32000', code: -32000 },
    { name: 'a reserved code outside the server range', code: -32500 },
    { name: 'a fraction', code: -32001.5 },
  ])('refuses $name', ({ code }) => {
    expect(() => defineErrorCodes({ bad: { code, message: 'x' } })).toThrow(TypeError)
  })

  it('refuses a code defined twice and an empty message', () => {
    expect(() =>
      defineErrorCodes({ a: { code: -32010, message: 'a' }, b: { code: -32010, message: 'b' } }),
    ).toThrow(/twice/)
    expect(() => defineErrorCodes({ a: { code: -32010, message: '' } })).toThrow(/message/)
  })

  it('keeps a key named __proto__ as a plain key', () => {
    const codes = defineErrorCodes(
      JSON.parse('{"__proto__": {"code": -32011, "message": "odd"}}') as Record<
        string,
        { code: number; message: string }
      >,
    )
    expect(Object.getPrototypeOf(codes)).toBe(Object.prototype)
    expect(Object.keys(codes)).toEqual(['__proto__'])
  })
})
