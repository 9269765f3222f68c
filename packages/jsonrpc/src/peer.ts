import type { Correlator } from './correlator.js'
import type { Dispatcher } from './dispatcher.js'

/** A bidirectional message channel (stdio lines, a WebSocket, a worker port). */
export interface MessageTransport {
  /** Sends one message (a response, a notification or a request, or a batch of them). */
  send(message: unknown): unknown
  /** Registers the listener for incoming messages (raw text, bytes or parsed values). */
  onMessage(listener: (message: unknown) => void): void
  /** Registers the listener called once when the channel closes. */
  onClose(listener: (reason?: string) => void): void
  /** Closes the channel; called by `peer.close()`. */
  close?(): unknown
}

/** Options for {@link createPeer}. */
export interface PeerOptions<TCtx> {
  /** Serves the peer's requests and notifications. */
  readonly dispatcher: Dispatcher<TCtx>
  /** Tracks our requests to the peer; its `send` should write to the same transport. */
  readonly correlator: Correlator
  readonly transport: MessageTransport
  /** The context passed to every call from this peer. */
  readonly ctx?: TCtx
  /** Receives transport send failures; without it, a failed send closes the peer. */
  readonly onError?: (error: unknown) => void
}

/** Both directions of one JSON-RPC connection. */
export interface Peer {
  /** The correlator, for requests, notifications and batches to the other side. */
  readonly correlator: Correlator
  /** Aborts calls in flight from this peer, rejects our pending calls and closes the transport. */
  close(reason?: string): void
  /** Resolves when the peer has closed, from either side. */
  readonly closed: Promise<void>
}

/**
 * Joins a dispatcher and a correlator over one message transport: requests and notifications go to
 * the dispatcher (its replies back to the transport), responses to the correlator.
 *
 * Calls from this peer get their own in-flight id scope, so one dispatcher can serve many peers.
 */
export function createPeer<TCtx>(options: PeerOptions<TCtx>): Peer {
  const { dispatcher, correlator, transport, onError } = options
  const ctx = options.ctx as TCtx
  const lifetime = new AbortController()
  const connection = {}
  let markClosed: () => void = () => undefined
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve
  })

  function shutdown(reason: string, closeTransport: boolean): void {
    if (lifetime.signal.aborted) return
    lifetime.abort(reason)
    correlator.close(reason)
    if (closeTransport) {
      try {
        const result = transport.close?.()
        if (result instanceof Promise) result.then(undefined, sendFailed)
      } catch (error) {
        sendFailed(error)
      }
    }
    markClosed()
  }

  function sendFailed(error: unknown): void {
    if (onError !== undefined) onError(error)
    else shutdown('send failed', true)
  }

  function write(message: unknown): void {
    if (lifetime.signal.aborted) return
    try {
      const result = transport.send(message)
      if (result instanceof Promise) result.then(undefined, sendFailed)
    } catch (error) {
      sendFailed(error)
    }
  }

  const handleOptions = {
    signal: lifetime.signal,
    notify: write,
    connection,
    correlator,
  }

  transport.onMessage((message) => {
    if (lifetime.signal.aborted) return
    dispatcher.handle(message, ctx, handleOptions).then((reply) => {
      if (reply !== undefined) write(reply)
    }, sendFailed)
  })
  transport.onClose((reason) => shutdown(reason ?? 'connection closed', false))

  return {
    correlator,
    close(reason = 'peer closed') {
      shutdown(reason, true)
    },
    closed,
  }
}
