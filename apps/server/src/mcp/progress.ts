import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js'
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js'

const MIN_INTERVAL_MS = 250

/**
 * Returns the `ctx.progress` callback for one request: it sends `notifications/progress` only when
 * the client supplied a progress token, keeps `progress` strictly increasing and coalesces to at
 * most 4 notifications a second (`specs/protocols.md` §2.10).
 */
export function createProgressReporter(
  token: string | number | undefined,
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
): (done: number, total?: number, message?: string) => void {
  if (token === undefined) return () => {}
  let last = Number.NEGATIVE_INFINITY
  let lastSentAt = 0
  return (done, total, message) => {
    if (!Number.isFinite(done) || done <= last || extra.signal.aborted) return
    const now = Date.now()
    const final = total !== undefined && done >= total
    if (!final && now - lastSentAt < MIN_INTERVAL_MS) return
    last = done
    lastSentAt = now
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: done,
          ...(total === undefined ? {} : { total }),
          ...(message === undefined ? {} : { message }),
        },
      })
      .catch(() => {
        // The client may have gone away; progress is best effort.
      })
  }
}
