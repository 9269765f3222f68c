import { isProviderError, type ProviderError } from '@pierre/providers-core'
import express, { type Request, type RequestHandler, type Response, type Router } from 'express'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { Providers } from '../providers.js'
import { baseUrlOf, principalOf } from './auth.js'
import { requestIdOf } from './request-meta.js'

/** Providers this server can connect through OAuth once their credentials are configured. */
const OAUTH_PROVIDERS: Readonly<Record<string, string>> = { strava: 'PIERRE_STRAVA_CLIENT_ID' }

/** What the provider-connection routes need. */
export interface ProviderRoutesDependencies {
  readonly config: Config
  readonly logger: Logger
  readonly providers: Providers
  /** Authentication of `connect` (the same as `/mcp`, local mode included). */
  readonly authenticate: RequestHandler
}

const STATUS_OF: Partial<Record<ProviderError['code'], number>> = {
  invalid_state: 400,
  access_denied: 403,
  insufficient_scope: 403,
  not_connected: 409,
  not_configured: 503,
  upstream_error: 502,
  upstream_unavailable: 502,
  rate_limited: 503,
}

function fail(
  res: Response,
  status: number,
  error: { code: string; message: string; details?: unknown },
): void {
  res.status(status).json({ error: { ...error, request_id: requestIdOf(res) } })
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  )
}

/**
 * `POST /api/providers/:provider/connect` (authenticated) answers `{ authorization_url }` for the
 * caller's tenant and user; `GET /api/providers/:provider/callback` is where the provider sends the
 * browser back: the code is exchanged and the tokens stored encrypted (the `state` says whose they
 * are). Errors are JSON `{ error: { code, message, request_id } }`, never a stack trace.
 */
export function createProviderRouter(deps: ProviderRoutesDependencies): Router {
  const router = express.Router()

  /** The connector of a provider, or an error answered; undefined when answered. */
  function connectorOf(req: Request, res: Response) {
    const name = String(req.params.provider ?? '').toLowerCase()
    const connector = deps.providers.connectors.get(name)
    if (connector !== undefined) return { name, connector }
    const variable = OAUTH_PROVIDERS[name]
    if (variable !== undefined) {
      fail(res, 503, {
        code: 'not_configured',
        message: `${name} is not configured on this server: set ${variable} and ${variable.replace(/_ID$/, '_SECRET')}`,
      })
    } else if (deps.providers.registry.isSupported(name)) {
      fail(res, 400, {
        code: 'no_connection_needed',
        message: `${name} needs no connection`,
      })
    } else {
      fail(res, 404, {
        code: 'unknown_provider',
        message: `unknown provider ${name}`,
        details: { supported: Object.keys(OAUTH_PROVIDERS) },
      })
    }
    return undefined
  }

  function redirectUriOf(req: Request, name: string): string {
    return `${baseUrlOf(deps.config, req)}/api/providers/${name}/callback`
  }

  function answerError(res: Response, error: unknown, what: string): void {
    if (isProviderError(error)) {
      const status = STATUS_OF[error.code] ?? 502
      if (status >= 500) deps.logger.warn({ err: error, requestId: requestIdOf(res) }, what)
      fail(res, status, { code: error.code, message: error.message })
      return
    }
    deps.logger.error({ err: error, requestId: requestIdOf(res) }, what)
    fail(res, 500, { code: 'internal', message: 'internal error' })
  }

  router.post('/:provider/connect', deps.authenticate, (req, res) => {
    const found = connectorOf(req, res)
    if (found === undefined) return
    const principal = principalOf(res)
    found.connector
      .clientFor(redirectUriOf(req, found.name))
      .createAuthorizationUrl({ tenantId: principal.tenantId, userId: principal.userId })
      .then((request) => {
        res.setHeader('Cache-Control', 'no-store')
        res.json({ authorization_url: request.url, expires_at: request.expiresAt })
      })
      .catch((error: unknown) => answerError(res, error, 'provider connect failed'))
  })

  router.get('/:provider/callback', (req, res) => {
    const found = connectorOf(req, res)
    if (found === undefined) return
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '')
    const displayName =
      deps.providers.registry.find(found.name)?.descriptor.displayName ?? found.name
    found.connector
      .clientFor(redirectUriOf(req, found.name))
      .handleCallback(query)
      .then((connection) => {
        deps.logger.info(
          { provider: found.name, tenantId: connection.tenantId, userId: connection.userId },
          'provider connected',
        )
        const text = `${displayName} connected, you can close this tab`
        res
          .status(200)
          .setHeader('Cache-Control', 'no-store')
          .setHeader('Content-Security-Policy', "default-src 'none'")
          .type('html')
          .send(
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(text)}</title></head><body><p>${escapeHtml(text)}.</p></body></html>`,
          )
      })
      .catch((error: unknown) => answerError(res, error, 'provider callback failed'))
  })

  return router
}
