import express, { type RequestHandler, type Router } from 'express'
import type { Logger } from '../logger.js'
import type { WebhookReceivers } from '../providers.js'
import { requestIdOf } from './request-meta.js'

/** What the webhook routes need. */
export interface WebhookRoutesDependencies {
  readonly logger: Logger
  readonly webhooks: WebhookReceivers
  /** Larger bodies are refused with 413 before any receiver sees them. */
  readonly maxBodyBytes: number
}

/**
 * The routes providers deliver pushed data to (`specs/providers.md` §9): `POST /webhooks/:provider`
 * for the server's app, `POST /webhooks/:provider/:tenant` for a tenant's own app (Garmin and COROS
 * register one URL per app). Each receiver authenticates the delivery itself (Garmin's client id
 * header, COROS's client and secret headers, Terra's HMAC signature) from the raw body, answers at
 * once and stores idempotently; a refused delivery stores nothing.
 */
export function createWebhookRouter(deps: WebhookRoutesDependencies): Router {
  const router = express.Router()
  const raw = express.raw({ type: () => true, limit: deps.maxBodyBytes })

  const receive: RequestHandler = (req, res) => {
    const provider = String(req.params.provider ?? '').toLowerCase()
    const tenant = req.params.tenant === undefined ? undefined : String(req.params.tenant)
    res.setHeader('Cache-Control', 'no-store')
    const unknown = () =>
      res.status(404).json({ error: { code: 'not_found', message: 'no such webhook' } })
    if (!deps.webhooks.providers.includes(provider)) {
      unknown()
      return
    }
    const body: Uint8Array = Buffer.isBuffer(req.body) ? req.body : new Uint8Array()
    deps.webhooks
      .receiver(provider, tenant)
      .then(async (handler) => {
        if (handler === undefined) {
          unknown()
          return
        }
        const answer = await handler(body, req.headers)
        if (answer.status >= 400) {
          // Never the body or the headers: they carry the sender's credentials.
          deps.logger.warn(
            { provider, status: answer.status, requestId: requestIdOf(res) },
            'webhook delivery refused',
          )
        }
        res.status(answer.status).json(answer.body)
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error, provider, requestId: requestIdOf(res) }, 'webhook failed')
        res.status(500).json({ error: { code: 'internal', message: 'internal error' } })
      })
  }

  router.post('/:provider', raw, receive)
  router.post('/:provider/:tenant', raw, receive)
  return router
}
