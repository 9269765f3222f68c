/** Audit actions this package reports (spec §5.5); the server stores them. */
export type AuditAction =
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.locked_out'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'tenant.created'
  | 'tenant.ownership_transferred'
  | 'user.created'
  | 'user.registered'
  | 'user.approved'
  | 'user.suspended'
  | 'user.reactivated'
  | 'user.role_changed'
  | 'user.password_changed'
  | 'user.profile_changed'
  | 'membership.added'
  | 'membership.role_changed'
  | 'membership.removed'

/** One audit record; `details` never holds secrets. */
export interface AuditEvent {
  readonly action: AuditAction
  /** ISO 8601 instant. */
  readonly at: string
  readonly tenantId: string | null
  /** Acting user, or null for the server itself or an anonymous login attempt. */
  readonly actorUserId: string | null
  readonly targetType: 'user' | 'tenant' | 'api_key' | 'membership' | 'login'
  readonly targetId: string
  readonly details?: Readonly<Record<string, string | number | boolean | null>>
}

/** Receives audit events (synchronously; the server queues or writes them). */
export type AuditSink = (event: AuditEvent) => void
