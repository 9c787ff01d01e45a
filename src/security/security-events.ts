import { Injectable, Logger } from '@nestjs/common';

export type SecurityEventName =
  | 'login.succeeded'
  | 'login.failed'
  | 'refresh.reuse_detected'
  | 'session.revoked'
  | 'password.changed'
  | 'user.disabled'
  | 'user.enabled'
  | 'throttled'
  | 'mfa.required'
  | 'mfa.enabled'
  | 'mfa.disabled'
  | 'mfa.reset_by_admin'
  | 'mfa.failed'
  | 'mfa.recovery_code_used'
  | 'mfa.recovery_codes_regenerated'
  | 'passkey.added'
  | 'passkey.removed'
  | 'passkey.clone_detected'
  | 'reauth.succeeded'
  | 'reauth.failed'

  // Account recovery and verified email (docs/security.md).
  | 'password.reset_requested'
  | 'password.reset'
  | 'email.verified'
  | 'email.change_requested'
  | 'email.change_cancelled'
  | 'email.changed'
  | 'account.deleted'
  | 'mail.failed';

/** Identifiers only: never a password, token or hash (ASVS 16.2.5). */
export interface SecurityEventFields {
  userId?: string;
  sessionId?: string;
  username?: string;
  ip?: string;
  reason?: string;
}

/**
 * One JSON line per event under the "Security" context, so a log pipeline can
 * alert on them without parsing prose.
 */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('Security');

  record(event: SecurityEventName, fields: SecurityEventFields = {}): void {
    this.logger.log(JSON.stringify({ event, ...fields }));
  }
}
