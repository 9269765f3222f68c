import type { NextFunction, Request, RequestHandler, Response } from 'express'

const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/

/** Returns true when a browser `Origin` may call this server (`specs/protocols.md` §2.3). */
function isAllowedOrigin(origin: string, allowList: readonly string[]): boolean {
  return LOOPBACK_ORIGIN.test(origin) || allowList.includes(origin)
}

const ALLOWED_HEADERS =
  'Authorization, Content-Type, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID'
const EXPOSED_HEADERS = 'Mcp-Session-Id, WWW-Authenticate'

/**
 * DNS-rebinding defence and CORS: a request without `Origin` passes (non-browser clients); one with
 * an `Origin` that is neither loopback nor allow-listed gets 403 with a JSON-RPC error body and no
 * id. Allowed browser origins get CORS headers; preflights are answered here.
 */
export function originGuard(allowList: readonly string[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin
    if (origin === undefined) {
      next()
      return
    }
    if (!isAllowedOrigin(origin, allowList)) {
      res.status(403).json({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Forbidden: origin not allowed' },
      })
      return
    }
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Vary', 'Origin')
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS)
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS)
      res.setHeader('Access-Control-Max-Age', '600')
      res.status(204).end()
      return
    }
    next()
  }
}
