import { z } from 'zod'
import { invalidArgument } from './errors.js'

const scopeSchema = z.enum(['fitness:read', 'fitness:write', 'providers:manage'])
const tierSchema = z.enum(['trial', 'starter', 'professional', 'enterprise'])
const displayName = z.string().trim().min(1).max(100)

// User-facing bodies are strict objects: unknown keys such as `platform_role`, `status`,
// `tenant_id` or `approved_by` are refused by name, never silently applied (T-33).

/** Self-service registration: email, password and an optional display name; nothing else. */
export const registrationSchema = z.strictObject({
  email: z.string().trim().max(254),
  password: z.string().max(1024),
  displayName: displayName.optional(),
})

/** Admin/CLI user creation; the platform role has its own endpoint and is not accepted here. */
export const createUserSchema = z.strictObject({
  email: z.string().trim().max(254),
  password: z.string().max(1024),
  displayName: displayName.optional(),
  tenantId: z.string().min(1).max(100).optional(),
  tenantRole: z.enum(['owner', 'admin', 'billing', 'member']).optional(),
  tier: tierSchema.optional(),
})

/** Profile update by the user. */
export const profileUpdateSchema = z.strictObject({
  displayName: displayName.nullable(),
})

/** Password change by the user. */
export const passwordChangeSchema = z.strictObject({
  currentPassword: z.string().max(1024),
  newPassword: z.string().max(1024),
})

/** Tenant creation. */
export const createTenantSchema = z.strictObject({
  slug: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'slug must be lower-case letters, digits and -',
    ),
  name: z.string().trim().min(1).max(200),
  plan: z.enum(['starter', 'professional', 'enterprise']).optional(),
  ownerUserId: z.string().min(1).max(100).optional(),
  autoApproval: z.boolean().optional(),
})

/** API key creation by its owner: no tier, no tenant, no user (those come from the context). */
export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).optional(),
  kind: z.enum(['api', 'mcp']).optional(),
  scopes: z.array(scopeSchema).min(1).max(3).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
})

/** API key provisioning by a platform admin for a user: adds the tier. */
export const provisionApiKeySchema = createApiKeySchema.extend({ tier: tierSchema })

/** Adding a member to the caller's tenant. */
export const addMemberSchema = z.strictObject({
  userId: z.string().min(1).max(100),
  role: z.enum(['owner', 'admin', 'billing', 'member']),
})

/** Parses input against a schema, turning every issue into one `invalid_argument`. */
export function parseInput<TSchema extends z.ZodType>(
  schema: TSchema,
  input: unknown,
  what: string,
): z.output<TSchema> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const unknownKeys = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys : [],
  )
  const message =
    unknownKeys.length > 0
      ? `invalid ${what}: unknown field(s) ${unknownKeys.join(', ')}`
      : `invalid ${what}`
  throw invalidArgument(message, result.error.issues)
}
