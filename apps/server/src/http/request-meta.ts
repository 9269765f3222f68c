import { randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

/** Our own id of the request being answered (UUID v4), as sent in `X-Request-Id`. */
export function requestIdOf(res: Response): string {
  return String(res.locals.requestId)
}

/**
 * Gives every request a server-generated id (`X-Request-Id`) and sets the security headers of
 * `specs/security.md` §5.2 steps 2–3 (T-23): the caller's id is kept aside, never trusted.
 */
export function requestMeta(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID()
  res.locals.requestId = requestId
  const incoming = req.headers['x-request-id']
  if (typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming)) {
    res.locals.clientRequestId = incoming
  }
  res.setHeader('X-Request-Id', requestId)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  next()
}
