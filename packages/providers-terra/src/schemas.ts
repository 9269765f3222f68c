import { z } from 'zod'
import { parseTerraTime } from './internal/time.js'

// Terra's payloads are read permissively: only what the adapter relies on is checked, every other
// member passes through untouched (specs/providers.md §1).

const terraTime = z.string().refine((value) => parseTerraTime(value) !== undefined, {
  message: 'expected an ISO-8601 timestamp',
})

/** A Terra user as it appears in responses and webhooks. */
const terraUserSchema = z.looseObject({
  user_id: z.string().min(1),
  provider: z.string().nullish(),
  reference_id: z.string().nullish(),
  scopes: z.string().nullish(),
  active: z.boolean().nullish(),
  last_webhook_update: z.string().nullish(),
})

/** One data object (`activity`, `sleep`, `daily`, `body`…): its metadata must carry a start. */
export const terraDataItemSchema = z.looseObject({
  metadata: z.looseObject({
    start_time: terraTime,
    end_time: terraTime.nullish(),
    summary_id: z.union([z.string(), z.number()]).nullish(),
  }),
})

/** Activities and sleep sessions also need their end. */
export const terraTimedItemSchema = z.looseObject({
  metadata: z.looseObject({
    start_time: terraTime,
    end_time: terraTime,
    summary_id: z.union([z.string(), z.number()]).nullish(),
  }),
})

/** `GET /v2/{type}`: the data, or a `reference` when Terra delivers it to the webhook. */
export const terraDataResponseSchema = z.looseObject({
  status: z.string().nullish(),
  type: z.string().nullish(),
  user: terraUserSchema.nullish(),
  data: z.array(z.looseObject({})).nullish(),
  reference: z.string().nullish(),
  message: z.string().nullish(),
})

/** `POST /v2/auth/generateWidgetSession`. */
export const terraWidgetSessionSchema = z.looseObject({
  session_id: z.string().min(1),
  url: z.string().min(1),
  status: z.string().nullish(),
  expires_in: z.number().nullish(),
})

/** `POST /v2/auth/authenticateUser`. */
export const terraAuthenticateUserSchema = z.looseObject({
  user_id: z.string().min(1),
  auth_url: z.string().min(1),
  reference_id: z.string().nullish(),
  status: z.string().nullish(),
})

/** `GET /v2/userInfo`. */
export const terraUserInfoSchema = z.looseObject({
  status: z.string().nullish(),
  user: terraUserSchema,
  is_authenticated: z.boolean().nullish(),
})

/** `GET /v2/subscriptions`. */
export const terraSubscriptionsSchema = z.looseObject({
  users: z.array(terraUserSchema),
})

/** `DELETE /v2/auth/deauthenticateUser`. */
export const terraDeauthenticateSchema = z.looseObject({
  status: z.string().nullish(),
  message: z.string().nullish(),
})

/** A webhook delivery: a `type`, usually a `user`, and `data` for data events. */
export const terraWebhookSchema = z.looseObject({
  type: z.string().min(1),
  status: z.string().nullish(),
  user: terraUserSchema.nullish(),
  old_user: terraUserSchema.nullish(),
  new_user: terraUserSchema.nullish(),
  reference_id: z.string().nullish(),
  data: z.array(z.looseObject({})).nullish(),
  message: z.string().nullish(),
  reason: z.string().nullish(),
})

/** A parsed Terra user. */
export type TerraUserDto = z.infer<typeof terraUserSchema>

/** A parsed webhook delivery. */
export type TerraWebhookPayload = z.infer<typeof terraWebhookSchema>
