import { Injectable } from '@nestjs/common';
import { Mailer } from '../mail/mailer';
import { Outbox } from '../mail/outbox';
import { SecondFactorService } from '../mfa/second-factor.service';
import { SecurityEvents } from '../security/security-events';
import { SessionsService } from '../sessions/sessions.service';
import { PublicUser } from '../users/public-user';
import { LinkTokens } from './link-tokens';
import { LINK_TOKEN_KINDS } from './schemas/link-token.schema';

export interface NewPassword {
  /** `password.reset` (by a mailed link) or `password.changed` (by the current password). */
  event: 'password.reset' | 'password.changed';
  ip: string;
  /** The login that made the change stays; a reset keeps none. */
  keepSessionId?: string;
  /** The address had never been confirmed, so every factor on the account was removed too (PasswordResetService). */
  reclaimed?: boolean;
}

/**
 * What follows every new password, however it was set. Whoever knew the old
 * one may still hold what it opened: a login, a link they asked for (an
 * address change to their own mailbox above all), a second factor half set
 * up. All of it ends here (ASVS 7.4.3; OWASP Forgot Password Cheat Sheet),
 * and the owner is told by mail (ASVS 6.3.7).
 */
@Injectable()
export class PasswordChanges {
  constructor(
    private readonly sessions: SessionsService,
    private readonly links: LinkTokens,
    private readonly factors: SecondFactorService,
    private readonly mailer: Mailer,
    private readonly outbox: Outbox,
    private readonly events: SecurityEvents,
  ) {}

  /** Returns how many logins ended. */
  async completed(user: PublicUser, change: NewPassword): Promise<number> {
    const ended = await this.sessions.revokeAll(user.id, 'password_changed', change.keepSessionId);
    await this.links.revokeAll(user.id, LINK_TOKEN_KINDS);
    await this.factors.cancelPendingSetup(user.id);
    const kept = change.keepSessionId ? ' other' : '';
    this.events.record(change.event, {
      userId: user.id,
      sessionId: change.keepSessionId,
      ip: change.ip,
      reason: `ended ${ended}${kept} sessions${change.reclaimed ? ', removed every factor (address never verified)' : ''}`,
    });
    this.outbox.send(
      {
        to: user.email,
        template: 'password-changed',
        variables: {
          username: user.username,
          loggedOut: change.keepSessionId
            ? 'every other device that was logged in has been logged out'
            : 'every device that was logged in has been logged out',
          reclaimed: change.reclaimed ? 'yes' : '',
          forgotLink: this.mailer.link('/auth/forgot'),
        },
      },
      { userId: user.id },
    );
    return ended;
  }
}
