import type { Readable, Writable } from 'node:stream'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js'

/** Options of {@link LineStdioTransport}. */
export interface LineStdioTransportOptions {
  readonly input: Readable
  readonly output: Writable
  /** Longest accepted line in bytes; longer lines are discarded and answered −32700. */
  readonly maxLineBytes: number
}

const NEWLINE = 0x0a

/**
 * MCP over newline-delimited JSON on a pair of streams (`specs/protocols.md` §2.5). Unlike the SDK's
 * stdio transport it answers what it cannot use instead of dropping it silently: invalid JSON or
 * an over-long line → −32700, a batch or a non-message → −32600 (both with `id: null`), and the
 * loop goes on. stdout carries protocol messages only.
 */
export class LineStdioTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  readonly #input: Readable
  readonly #output: Writable
  readonly #maxLineBytes: number
  #chunks: Buffer[] = []
  #pending = 0
  #discarding = false
  #closed = false

  constructor(options: LineStdioTransportOptions) {
    this.#input = options.input
    this.#output = options.output
    this.#maxLineBytes = options.maxLineBytes
  }

  async start(): Promise<void> {
    this.#input.on('data', this.#onData)
    this.#input.on('error', this.#onError)
    this.#input.once('end', this.#onEnd)
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return
    const line = `${JSON.stringify(message)}\n`
    await new Promise<void>((resolve) => {
      if (this.#output.write(line)) resolve()
      else this.#output.once('drain', resolve)
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#input.off('data', this.#onData)
    this.#input.off('error', this.#onError)
    this.#input.off('end', this.#onEnd)
    this.#chunks = []
    this.onclose?.()
  }

  readonly #onEnd = (): void => {
    void this.close()
  }

  readonly #onError = (error: Error): void => {
    this.onerror?.(error)
  }

  readonly #onData = (chunk: Buffer): void => {
    let start = 0
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start)
      if (newline === -1) {
        this.#append(chunk.subarray(start))
        return
      }
      this.#append(chunk.subarray(start, newline))
      this.#finishLine()
      start = newline + 1
    }
  }

  #append(part: Buffer): void {
    if (this.#discarding || part.length === 0) return
    this.#pending += part.length
    if (this.#pending > this.#maxLineBytes) {
      this.#discarding = true
      this.#chunks = []
      this.#pending = 0
      return
    }
    this.#chunks.push(part)
  }

  #finishLine(): void {
    if (this.#discarding) {
      this.#discarding = false
      this.#reply(-32700, `Parse error: line longer than ${this.#maxLineBytes} bytes`)
      return
    }
    const text = Buffer.concat(this.#chunks).toString('utf8').replace(/\r$/, '')
    this.#chunks = []
    this.#pending = 0
    if (text.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      this.#reply(-32700, 'Parse error')
      return
    }
    if (Array.isArray(value)) {
      this.#reply(-32600, 'Invalid Request: batching is not supported')
      return
    }
    const parsed = JSONRPCMessageSchema.safeParse(value)
    if (!parsed.success) {
      this.#reply(-32600, 'Invalid Request')
      return
    }
    this.onmessage?.(parsed.data)
  }

  #reply(code: number, message: string): void {
    this.send({
      jsonrpc: '2.0',
      id: null,
      error: { code, message },
    } as unknown as JSONRPCMessage).catch((error: unknown) =>
      this.onerror?.(error instanceof Error ? error : new Error(String(error))),
    )
  }
}
