import { ProviderError } from '@pierre/providers-core'
import type Database from 'better-sqlite3'
import { z } from 'zod'

/** One user of one tenant. */
interface AccountOwner {
  readonly tenantId: string
  readonly userId: string
}

/** A user's account at one provider. */
interface ProviderAccountRef extends AccountOwner {
  readonly provider: string
}

/** A provider's user id and who it belongs to. */
interface ProviderAccountLink extends ProviderAccountRef {
  readonly providerUserId: string
}

/**
 * Which user of which tenant a provider's user id belongs to, for push deliveries that name only
 * the provider's user (Garmin's `userId`, COROS's `openId`). Synchronous: better-sqlite3 is.
 */
export interface ProviderAccounts {
  /**
   * Records that `providerUserId` at `provider` is this user's account. The last link wins on both
   * sides: a provider user linked again moves to the new user, and a user who links another
   * account at the same provider no longer owns the previous one (one connection per provider).
   */
  link(link: ProviderAccountLink): void
  /** The owner of a provider's user id, or `undefined` when nobody linked it. */
  resolve(provider: string, providerUserId: string): AccountOwner | undefined
  /** Removes a user's account at a provider; returns how many links were removed (0 or 1). */
  unlinkUser(account: ProviderAccountRef): number
  /** The provider's user id of a user's account, or `undefined`. */
  providerUserIdOf(account: ProviderAccountRef): string | undefined
}

const text = z.string().min(1)
const linkSchema = z.object({
  provider: text,
  providerUserId: text,
  tenantId: text,
  userId: text,
})

/**
 * {@link ProviderAccounts} in the server database (`provider_accounts`, keyed by provider and
 * provider user id, unique per tenant, user and provider). `link` runs as one transaction.
 * `resolve` is the only look-up without a tenant: it is how a push delivery finds one.
 */
export function createProviderAccounts(
  db: Database.Database,
  options: { readonly now?: () => Date } = {},
): ProviderAccounts {
  const now = options.now ?? (() => new Date())
  const removeUser = db.prepare(
    'DELETE FROM provider_accounts WHERE tenant_id = ? AND user_id = ? AND provider = ?',
  )
  const upsert = db.prepare(
    `INSERT INTO provider_accounts (provider, provider_user_id, tenant_id, user_id, linked_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (provider, provider_user_id) DO UPDATE SET
       tenant_id = excluded.tenant_id, user_id = excluded.user_id, linked_at = excluded.linked_at`,
  )
  const selectOwner = db.prepare(
    'SELECT tenant_id, user_id FROM provider_accounts WHERE provider = ? AND provider_user_id = ?',
  )
  const selectAccount = db.prepare(
    'SELECT provider_user_id FROM provider_accounts WHERE tenant_id = ? AND user_id = ? AND provider = ?',
  )
  const link = db.transaction((valid: z.infer<typeof linkSchema>) => {
    removeUser.run(valid.tenantId, valid.userId, valid.provider)
    upsert.run(
      valid.provider,
      valid.providerUserId,
      valid.tenantId,
      valid.userId,
      now().toISOString(),
    )
  })

  return {
    link(input) {
      const result = linkSchema.safeParse(input)
      if (!result.success) {
        const fields = result.error.issues.map((issue) => issue.path.map(String).join('.'))
        throw new ProviderError(
          'invalid_argument',
          `a provider account link needs non-empty ${fields.join(', ')}`,
          { details: { fields } },
        )
      }
      link.immediate(result.data)
    },
    resolve(provider, providerUserId) {
      const row = selectOwner.get(provider, providerUserId) as
        | { tenant_id: string; user_id: string }
        | undefined
      return row === undefined ? undefined : { tenantId: row.tenant_id, userId: row.user_id }
    },
    unlinkUser(account) {
      return removeUser.run(account.tenantId, account.userId, account.provider).changes
    },
    providerUserIdOf(account) {
      const row = selectAccount.get(account.tenantId, account.userId, account.provider) as
        | { provider_user_id: string }
        | undefined
      return row?.provider_user_id
    },
  }
}
