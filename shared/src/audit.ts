/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'auth.login_ok',
  'auth.login_failed',
  'auth.logout',
  'auth.totp_enrolled',
  'auth.totp_disabled',
  'auth.totp_reset',
  'auth.recovery_codes_regenerated',
  'auth.recovery_code_used',
  'session.revoked',
  'user.created',
  'user.changed',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.password_changed',
  'user.password_reset',
  'account.linked',
  'account.changed',
  'account.secret_rotated',
  'account.deleted',
  'account.members_changed',
  'team.created',
  'team.changed',
  'team.deleted',
  'team.members_changed',
  'label.created',
  'label.changed',
  'label.deleted',
  'canned_response.created',
  'canned_response.changed',
  'canned_response.deleted',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.unassigned',
  'settings.security_changed',
  'secrets.rotated',
  'data.exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One row of the append-only audit log. `details` never holds a secret. */
export interface AuditEntry {
  id: string;
  at: string;
  /** Who did it; null for the system (CLI) or an unknown login email. */
  actorId: string | null;
  actorEmail: string | null;
  action: AuditAction;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** `GET /api/audit` filters; newest first, keyset-paginated by `cursor`. */
export interface AuditQuery {
  actor?: string;
  action?: AuditAction;
  targetType?: string;
  targetId?: string;
  /** ISO timestamps, inclusive `from`, exclusive `to`. */
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}
