import { createHash } from 'node:crypto'
import type { OAuthStateStore, PendingAuthorization } from '@pierre/providers-core'
import type { Keyring } from '@pierre/tenancy'
import type Database from 'better-sqlite3'

/** Who a pending authorization belongs to, readable before it is taken. */
interface PendingOwner {
  readonly tenantId: string
  readonly userId: string
  readonly provider: string
}

/** The OAuth state port plus a look-up that does not consume the state. */
export interface PersistentStateStore extends OAuthStateStore {
  /**
   * The tenant, user and provider of a pending, unexpired state, without taking it (the callback
   * needs the tenant to choose that tenant's app before the client takes the state).
   */
  peek(state: string): PendingOwner | undefined
}

interface Row {
  tenant_id: string
  user_id: string
  provider: string
  code_verifier_enc: string | null
  redirect_uri: string
  scopes: string
  created_at: string
  expires_at: string
}

const hashOf = (state: string): string => createHash('sha256').update(state).digest('hex')

const aad = (pending: { tenantId: string; userId: string; provider: string }) => ({
  purpose: 'provider_oauth_states.code_verifier',
  tenantId: pending.tenantId,
  userId: pending.userId,
  provider: pending.provider,
})

/**
 * Pending provider authorizations in the server database (`provider_oauth_states`), so a connection
 * started before a restart can still finish. The `state` itself is never stored, only its SHA-256;
 * the PKCE verifier is encrypted under the tenant's data key and bound to tenant, user and provider.
 * `take` deletes the row in the statement that reads it (single use); expired rows are ignored and
 * purged on each `put`.
 */
export function createPersistentStateStore(
  db: Database.Database,
  keyring: Keyring,
  options: { readonly now?: () => Date } = {},
): PersistentStateStore {
  const now = options.now ?? (() => new Date())
  const insert = db.prepare(
    `INSERT OR REPLACE INTO provider_oauth_states
       (state_hash, tenant_id, user_id, provider, code_verifier_enc, redirect_uri, scopes, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const purge = db.prepare('DELETE FROM provider_oauth_states WHERE expires_at <= ?')
  const takeOne = db.prepare('DELETE FROM provider_oauth_states WHERE state_hash = ? RETURNING *')
  const peekOne = db.prepare(
    'SELECT tenant_id, user_id, provider FROM provider_oauth_states WHERE state_hash = ? AND expires_at > ?',
  )

  return {
    async put(pending: PendingAuthorization) {
      const verifier =
        pending.codeVerifier === undefined
          ? null
          : await keyring.encrypt(aad(pending), pending.codeVerifier)
      purge.run(now().toISOString())
      insert.run(
        hashOf(pending.state),
        pending.tenantId,
        pending.userId,
        pending.provider,
        verifier,
        pending.redirectUri,
        JSON.stringify(pending.scopes),
        pending.createdAt,
        pending.expiresAt,
      )
    },

    async take(state) {
      const row = takeOne.get(hashOf(state)) as Row | undefined
      if (row === undefined) return undefined
      const owner = { tenantId: row.tenant_id, userId: row.user_id, provider: row.provider }
      return {
        state,
        ...owner,
        codeVerifier:
          row.code_verifier_enc === null
            ? undefined
            : await keyring.decryptText(aad(owner), row.code_verifier_enc),
        redirectUri: row.redirect_uri,
        scopes: JSON.parse(row.scopes) as string[],
        createdAt: row.created_at,
        // The OAuth client refuses an expired state with its own message.
        expiresAt: row.expires_at,
      }
    },

    peek(state) {
      const row = peekOne.get(hashOf(state), now().toISOString()) as
        | { tenant_id: string; user_id: string; provider: string }
        | undefined
      return row === undefined
        ? undefined
        : { tenantId: row.tenant_id, userId: row.user_id, provider: row.provider }
    },
  }
}
