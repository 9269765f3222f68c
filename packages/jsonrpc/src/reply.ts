import type { JsonRpcErrorObject, JsonRpcId, JsonRpcResponse } from './types.js'

/** One reply entry before it is turned into an object or text. */
export interface Reply {
  readonly id: JsonRpcId
  readonly isError: boolean
  readonly value: unknown
  /** The serialised `result` or `error` member. */
  readonly text: string
}

export type Outcome = Reply | undefined
export type Result = Outcome | Outcome[]

/** The reply of a dispatcher: a response, a batch of responses, or nothing to send. */
export type HandleResult = JsonRpcResponse | JsonRpcResponse[] | undefined

function idText(id: JsonRpcId): string {
  return typeof id === 'number' ? String(id) : JSON.stringify(id)
}

function replyText(reply: Reply): string {
  return reply.isError
    ? `{"jsonrpc":"2.0","id":${idText(reply.id)},"error":${reply.text}}`
    : `{"jsonrpc":"2.0","id":${idText(reply.id)},"result":${reply.text}}`
}

export function replyObject(reply: Reply): JsonRpcResponse {
  return reply.isError
    ? { jsonrpc: '2.0', id: reply.id, error: reply.value as JsonRpcErrorObject }
    : { jsonrpc: '2.0', id: reply.id, result: reply.value }
}

export function toObjects(result: Result): HandleResult {
  if (result === undefined) return undefined
  if (!Array.isArray(result)) return replyObject(result)
  const responses: JsonRpcResponse[] = []
  for (const reply of result) if (reply !== undefined) responses.push(replyObject(reply))
  return responses.length === 0 ? undefined : responses
}

export function toText(result: Result): string | undefined {
  if (result === undefined) return undefined
  if (!Array.isArray(result)) return replyText(result)
  let text = ''
  for (const reply of result) {
    if (reply === undefined) continue
    text += text === '' ? `[${replyText(reply)}` : `,${replyText(reply)}`
  }
  return text === '' ? undefined : `${text}]`
}
