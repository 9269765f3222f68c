import { isProviderError, ProviderError } from '@pierre/providers-core'
import express, { type Request, type RequestHandler, type Response, type Router } from 'express'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { Principal } from '../mcp/server.js'
import type { ConnectionState, Connector } from '../provider-connectors.js'
import type { Providers } from '../providers.js'
import { baseUrlOf, principalOf } from './auth.js'
import { requestIdOf } from './request-meta.js'

/** What the provider routes need. */
export interface ProviderRoutesDependencies {
  readonly config: Config
  readonly logger: Logger
  readonly providers: Providers
  /** Authentication of the user routes (the same as `/mcp`, local mode included). */
  readonly authenticate: RequestHandler
}

/** One entry of `GET /api/providers`: what the provider offers and where the caller stands. */
interface ProviderStatus {
  readonly provider: string
  readonly displayName: string
  readonly capabilities: readonly string[]
  /**
   * `oauth2` providers need the user's consent at the provider; `widget` ones an aggregator's page
   * (Terra); `none` are local (synthetic, files).
   */
  readonly auth: string
  /** Whether the caller's tenant can connect it (an app of its own or the server's). */
  readonly configured: boolean
  /** `tenant` (the tenant's own app), `server` (`PIERRE_<P>_*`), null when no app is needed or set. */
  readonly appSource: 'tenant' | 'server' | null
  readonly connected: boolean
  readonly status: ConnectionState
  /** Why the status is not `connected` (`refresh_rejected`, `access_revoked`…), when known. */
  readonly statusReason: string | null
  readonly needsReauth: boolean
  readonly connectedAt: string | null
  readonly expiresAt: string | null
  readonly scopes: readonly string[]
  /** Files: when activities were last imported. */
  readonly lastSyncAt: string | null
  /** Terra: the wearable accounts behind the connection. */
  readonly accounts?: readonly {
    readonly resource: string | null
    readonly status: string
    readonly connectedAt: string
  }[]
}

const STATUS_OF: Partial<Record<ProviderError['code'], number>> = {
  invalid_argument: 400,
  invalid_state: 400,
  access_denied: 403,
  insufficient_scope: 403,
  not_connected: 409,
  reauth_required: 409,
  not_configured: 503,
  upstream_error: 502,
  upstream_unavailable: 502,
  rate_limited: 503,
}

/**
 * Answers an error as `{ error: { code, message, details?, requestId } }` (protocols §6.5); the
 * `request_id` spelling of the rest of the server is kept alongside.
 */
function fail(
  res: Response,
  status: number,
  error: { code: string; message: string; details?: unknown },
): void {
  const requestId = requestIdOf(res)
  res.status(status).json({ error: { ...error, requestId, request_id: requestId } })
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  )
}

function page(res: Response, status: number, text: string): void {
  res
    .status(status)
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Content-Security-Policy', "default-src 'none'")
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(text)}</title></head><body><p>${escapeHtml(text)}.</p></body></html>`,
    )
}

function userOf(principal: Principal) {
  return { tenantId: principal.tenantId, userId: principal.userId }
}

/**
 * The provider routes. Under `/api/providers` (authenticated like `/mcp`): `GET /` lists every
 * provider with the caller's connection state, `POST /:provider/connect` starts OAuth,
 * `DELETE /:provider` disconnects (revoking at the provider when it can) and
 * `GET /:provider/callback` is kept as an alias of the callback. Under `/api/oauth`:
 * `GET /callback/:provider` (public, the REF path providers' app registrations name) and
 * `GET /status` (alias of the list).
 */
export function createProviderRouters(deps: ProviderRoutesDependencies): {
  readonly providers: Router
  readonly oauth: Router
} {
  const { registry, connectors } = deps.providers

  function nameOf(req: Request): string {
    return String(req.params.provider ?? '').toLowerCase()
  }

  /** The connector of an OAuth provider, or an error answered (undefined then). */
  function connectorOf(name: string, res: Response): Connector | undefined {
    const connector = connectors.get(name)
    if (connector !== undefined) return connector
    if (registry.isSupported(name)) {
      fail(res, 400, { code: 'invalid_argument', message: `${name} needs no connection` })
    } else {
      fail(res, 404, {
        code: 'unknown_provider',
        message: `unknown provider ${name.slice(0, 64)}`,
        details: { supported: registry.list() },
      })
    }
    return undefined
  }

  function redirectUriOf(req: Request, name: string): string {
    return `${baseUrlOf(deps.config, req)}/api/oauth/callback/${name}`
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

  async function statusOf(name: string, principal: Principal): Promise<ProviderStatus> {
    const descriptor = registry.describe(name)
    const base = {
      provider: name,
      displayName: descriptor.displayName,
      capabilities: [...descriptor.capabilities],
      auth: descriptor.auth.kind,
    }
    const connector = connectors.get(name)
    if (connector === undefined) {
      const lastSyncAt =
        name === 'files'
          ? (deps.providers.importedActivities(userOf(principal)).lastImportedAt() ?? null)
          : null
      return {
        ...base,
        configured: true,
        appSource: null,
        connected: true,
        status: 'connected',
        statusReason: null,
        needsReauth: false,
        connectedAt: null,
        expiresAt: null,
        scopes: [],
        lastSyncAt,
      }
    }
    const appSource = connector.appSource(principal.tenantId) ?? null
    const view = await connector.status(userOf(principal))
    const status: ConnectionState = view?.status ?? 'disconnected'
    return {
      ...base,
      auth: connector.kind,
      configured: appSource !== null,
      appSource,
      connected: status === 'connected',
      status,
      statusReason: view?.statusReason ?? null,
      needsReauth: status === 'needs_reauth',
      connectedAt: view?.connectedAt ?? null,
      expiresAt: view?.expiresAt ?? null,
      scopes: view?.scopes ?? [],
      lastSyncAt: null,
      ...(view?.accounts === undefined ? {} : { accounts: view.accounts }),
    }
  }

  const list: RequestHandler = (_req, res) => {
    const principal = principalOf(res)
    Promise.all(registry.list().map((name) => statusOf(name, principal)))
      .then((statuses) => {
        res.setHeader('Cache-Control', 'no-store')
        res.json(statuses)
      })
      .catch((error: unknown) => answerError(res, error, 'provider list failed'))
  }

  const callback: RequestHandler = (req, res) => {
    const name = nameOf(req)
    const connector = connectorOf(name, res)
    if (connector === undefined) return
    const html = req.accepts(['json', 'html']) === 'html'
    const displayName = registry.find(name)?.descriptor.displayName ?? name
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '')
    const state = query.get('state')
    const owner = state === null || state === '' ? undefined : deps.providers.stateStore.peek(state)
    const complete = connector.complete?.bind(connector)
    const refuse = (error: unknown) => {
      if (!html) {
        answerError(res, error, 'provider callback failed')
        return
      }
      const known = isProviderError(error)
      if (!known) deps.logger.error({ err: error, requestId: requestIdOf(res) }, 'callback failed')
      page(
        res,
        known ? (STATUS_OF[error.code] ?? 502) : 500,
        known ? `${displayName} was not connected: ${error.message}` : 'Internal error',
      )
    }
    if (owner === undefined || owner.provider !== name || complete === undefined) {
      refuse(
        new ProviderError('invalid_state', 'authorization state is unknown, used or expired', {
          provider: name,
        }),
      )
      return
    }
    complete(owner.tenantId, redirectUriOf(req, name), query)
      .then((connection) => {
        deps.logger.info(
          { provider: name, tenantId: connection.tenantId, userId: connection.userId },
          'provider connected',
        )
        page(res, 200, `${displayName} connected, you can close this tab`)
      })
      .catch(refuse)
  }

  const providers = express.Router()

  providers.get('/', deps.authenticate, list)

  providers.post('/:provider/connect', deps.authenticate, (req, res) => {
    const name = nameOf(req)
    const connector = connectorOf(name, res)
    if (connector === undefined) return
    const principal = principalOf(res)
    connector
      .start(userOf(principal), redirectUriOf(req, name))
      .then((request) => {
        res.setHeader('Cache-Control', 'no-store')
        res.json({ authorizationUrl: request.url, expiresAt: request.expiresAt })
      })
      .catch((error: unknown) => answerError(res, error, 'provider connect failed'))
  })

  providers.delete('/:provider', deps.authenticate, (req, res) => {
    const name = nameOf(req)
    const connector = connectorOf(name, res)
    if (connector === undefined) return
    const principal = principalOf(res)
    const run = async () => {
      const outcome = await connector.disconnect(userOf(principal), redirectUriOf(req, name))
      if (outcome === undefined) {
        fail(res, 404, {
          code: 'provider_not_connected',
          message: `${name} is not connected`,
          details: { provider: name },
        })
        return
      }
      deps.logger.info(
        { provider: name, ...userOf(principal), ...outcome },
        'provider disconnected',
      )
      res.json({ provider: name, disconnected: true, ...outcome })
    }
    run().catch((error: unknown) => answerError(res, error, 'provider disconnect failed'))
  })

  providers.get('/:provider/callback', callback)

  const oauth = express.Router()
  oauth.get('/callback/:provider', callback)
  oauth.get('/status', deps.authenticate, list)

  return { providers, oauth }
}
