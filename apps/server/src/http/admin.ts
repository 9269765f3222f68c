import {
  assertCan,
  createTenantSchema,
  createUserSchema,
  getHttpStatus,
  isTenancyError,
  provisionApiKeySchema,
  type RequestContext,
} from '@pierre/tenancy'
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express'
import { z } from 'zod'
import {
  AdminError,
  listProviderApps,
  type ProviderAppAdminDependencies,
  removeProviderApp,
  resolveTenant,
  resolveUser,
  setProviderApp,
} from '../admin.js'
import type { Logger } from '../logger.js'
import { contextOf } from './auth.js'
import { requestIdOf } from './request-meta.js'

/** What the `/admin` router needs. */
export interface AdminRouterDependencies extends ProviderAppAdminDependencies {
  readonly logger: Logger
  /** Authentication without local mode: every `/admin` request needs a credential. */
  readonly authenticate: RequestHandler
}

const idParam = z.string().min(1).max(200)

/** API key provisioning body: the owner's tenant (optional) plus the library's strict schema. */
const apiKeyBodySchema = provisionApiKeySchema.extend({
  tenantId: z.string().min(1).max(200).optional(),
})

/** `PUT /admin/tenants/:tenant/provider-apps/:provider` body; the checks are `setProviderApp`'s. */
const providerAppBodySchema = z.strictObject({
  clientId: z.string(),
  clientSecret: z.string(),
  redirectUri: z.string().optional(),
})

function sendError(res: Response, status: number, error: { code: string; message: string }): void {
  res.status(status).json({
    error: { code: error.code, message: error.message, request_id: requestIdOf(res) },
  })
}

type Handler = (ctx: RequestContext, req: Request, res: Response) => Promise<void>

function route(logger: Logger, handler: Handler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const ctx = contextOf(res)
    if (ctx === undefined) {
      next(new Error('admin route reached without a context'))
      return
    }
    handler(ctx, req, res).catch((error: unknown) => {
      if (error instanceof AdminError) {
        sendError(res, error.code === 'not_found' ? 404 : 400, error)
        return
      }
      if (isTenancyError(error)) {
        const status = getHttpStatus(error.code)
        if (status >= 500) logger.error({ err: error, requestId: requestIdOf(res) }, 'admin failed')
        const issues = (error.details as { issues?: unknown } | undefined)?.issues
        res.status(status).json({
          error: {
            code: error.code,
            message: status >= 500 ? 'internal error' : error.message,
            request_id: requestIdOf(res),
            ...(status < 500 && Array.isArray(issues) ? { details: { issues } } : {}),
          },
        })
        return
      }
      next(error)
    })
  }
}

/** Refuses a body that is not JSON (415) before any work. */
function requireJson(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')
  if (hasBody && req.is('application/json') !== 'application/json') {
    sendError(res, 415, {
      code: 'unsupported_media_type',
      message: 'expected Content-Type: application/json',
    })
    return
  }
  next()
}

/** Parses a strict body; unknown fields (`role`, `tenant_id`, …) are refused by name (T-33). */
function body<T extends z.ZodType>(schema: T, req: Request): z.output<T> {
  const parsed = schema.safeParse(req.body ?? {})
  if (parsed.success) return parsed.data
  const unknown = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys : [],
  )
  const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'body')
  throw new AdminError(
    'invalid_argument',
    unknown.length > 0
      ? `unknown field(s) ${unknown.join(', ')}`
      : `invalid field(s) ${[...new Set(fields)].join(', ')}`,
  )
}

function param(req: Request, name: string): string {
  const parsed = idParam.safeParse(req.params[name])
  if (!parsed.success) throw new AdminError('invalid_argument', `invalid ${name}`)
  return parsed.data
}

/**
 * The REST admin endpoints (JSON, 1 MiB): tenants, users, approval, API keys and signing-key
 * rotation. Each checks the caller's permission with `assertCan` and validates its body with the
 * library's strict schemas; errors are `{ error: { code, message, request_id } }`.
 */
export function createAdminRouter(deps: AdminRouterDependencies): Router {
  const router = Router()
  const { tenancy, logger } = deps
  router.use(deps.authenticate)
  router.use(requireJson)
  router.use(express.json({ limit: '1mb', type: 'application/json' }))

  router.post(
    '/tenants',
    route(logger, async (ctx, req, res) => {
      assertCan(ctx, 'manage_tenants')
      const input = body(createTenantSchema, req)
      res.status(201).json({ tenant: await tenancy.identity.createTenant(ctx, input) })
    }),
  )

  router.post(
    '/users',
    route(logger, async (ctx, req, res) => {
      assertCan(ctx, 'manage_all_users')
      const input = body(createUserSchema, req)
      if (input.tenantId !== undefined) await resolveTenant(deps, input.tenantId)
      res.status(201).json({ user: await tenancy.identity.createUser(ctx, input) })
    }),
  )

  router.post(
    '/users/:user/approve',
    route(logger, async (ctx, req, res) => {
      assertCan(ctx, 'approve_tenant_users')
      const user = await resolveUser(deps, param(req, 'user'))
      res.json({ user: await tenancy.identity.approveUser(ctx, user.id) })
    }),
  )

  router.post(
    '/users/:user/api-keys',
    route(logger, async (ctx, req, res) => {
      assertCan(ctx, 'manage_all_users')
      const { tenantId, ...input } = body(apiKeyBodySchema, req)
      const user = await resolveUser(deps, param(req, 'user'))
      const tenant = await resolveTenant(deps, tenantId ?? deps.defaultTenant.id)
      const created = await tenancy.apiKeys.provision(
        ctx,
        { tenantId: tenant.id, userId: user.id },
        input,
      )
      res.setHeader('Cache-Control', 'no-store')
      res.status(201).json({ key: created.key, api_key: created.record })
    }),
  )

  router.post(
    '/keys/rotate',
    route(logger, async (ctx, _req, res) => {
      assertCan(ctx, 'manage_platform')
      const transitions = await tenancy.signingKeys.rotate()
      res.json({ transitions })
    }),
  )

  router.get(
    '/tenants/:tenant/provider-apps',
    route(logger, async (ctx, req, res) => {
      const apps = await listProviderApps(deps, ctx, param(req, 'tenant'))
      res.json({ providerApps: apps })
    }),
  )

  router.put(
    '/tenants/:tenant/provider-apps/:provider',
    route(logger, async (ctx, req, res) => {
      const input = body(providerAppBodySchema, req)
      const app = await setProviderApp(deps, ctx, {
        ...input,
        provider: param(req, 'provider'),
        tenant: param(req, 'tenant'),
      })
      logger.info(
        { tenantId: app.tenantId, provider: app.provider, requestId: requestIdOf(res) },
        'tenant provider app set',
      )
      res.setHeader('Cache-Control', 'no-store')
      res.json({ providerApp: app })
    }),
  )

  router.delete(
    '/tenants/:tenant/provider-apps/:provider',
    route(logger, async (ctx, req, res) => {
      const app = await removeProviderApp(deps, ctx, {
        provider: param(req, 'provider'),
        tenant: param(req, 'tenant'),
      })
      logger.info(
        { tenantId: app.tenantId, provider: app.provider, requestId: requestIdOf(res) },
        'tenant provider app removed',
      )
      res.status(204).end()
    }),
  )

  router.use((_req, res) => {
    sendError(res, 404, { code: 'not_found', message: 'no such route' })
  })
  return router
}
