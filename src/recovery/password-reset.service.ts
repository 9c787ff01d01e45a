import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import ms from 'ms';
import { AppConfig } from '../config/env.validation';
import { Mailer } from '../mail/mailer';
import { Outbox } from '../mail/outbox';
import { SecondFactorLogin } from '../mfa/second-factor-login';
import { SecondFactorService } from '../mfa/second-factor.service';
import { SecurityEvents } from '../security/security-events';
import { emailKey } from '../users/identity';
import { UsersService } from '../users/users.service';
import { LinkTokens } from './link-tokens';
import { MailRateLimit } from './mail-rate-limit';
import { PasswordChanges } from './password-changes';
import { AppError } from '../common/errors/app-error';
import { RecoveryErrors } from './recovery.errors';

/**
 * Forgot and reset password, after the OWASP Forgot Password Cheat Sheet:
 * the same answer in the same time whether or not an account has the
 * address, a single-use link of 256 random bits stored as a hash, a GET
 * that changes nothing, and on success the address counts as verified and
 * everything the old password opened ends (PasswordChanges).
 */
@Injectable()
export class PasswordResetService {
  private readonly ttlSeconds: number;

  constructor(
    private readonly users: UsersService,
    private readonly links: LinkTokens,
    private readonly mailer: Mailer,
    private readonly outbox: Outbox,
    private readonly limit: MailRateLimit,
    private readonly events: SecurityEvents,
    private readonly secondFactor: SecondFactorLogin,
    private readonly factors: SecondFactorService,
    private readonly passwordChanges: PasswordChanges,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlSeconds = config.get('resetTokenTtlSeconds', { infer: true });
  }

  /**
   * Everything that depends on whether the account exists (the look-up, the
   * token, the mail) runs after the response, in the Outbox: the answer
   * costs the same throttle check and nothing else either way.
   */
  async forgot(email: string, ip: string): Promise<void> {
    await this.limit.hit(`forgot:${emailKey(email)}`, ip);
    this.events.record('password.reset_requested', { ip });
    this.outbox.defer('reset-password', async () => {
      const user = await this.users.findByEmail(email);
      // A disabled account gets no link: it could not log in with the new password anyway.
      if (!user || user.disabled) return;
      const token = await this.links.issue('reset', user.id, user.email, this.ttlSeconds);
      this.outbox.send(
        {
          to: user.email,
          template: 'reset-password',
          variables: {
            username: user.username,
            link: this.mailer.link('/auth/reset', { token }),
            expiresIn: ms(this.ttlSeconds * 1000, { long: true }),
          },
        },
        { userId: user.id },
      );
    });
  }

  /** For GET /auth/reset: throws when the link would not work, changes nothing. */
  async check(token: unknown): Promise<void> {
    if (!(await this.links.peek(['reset'], token))) throw new AppError(RecoveryErrors.TOKEN_INVALID);
  }

  async reset(token: unknown, newPassword: string, ip: string, code?: string): Promise<void> {
    const link = await this.links.peek(['reset'], token);
    const user = link && (await this.users.findById(link.userId));
    // The link was mailed to an address; once the account has moved to
    // another one, or been disabled, it must not work any more.
    if (!link || !user || user.disabled || emailKey(user.email) !== emailKey(link.email)) {
      throw new AppError(RecoveryErrors.TOKEN_INVALID);
    }
    // Checked before the link is used, so a rejected password does not burn it.
    if (newPassword.toLowerCase() === user.username.toLowerCase()) throw new AppError(RecoveryErrors.PASSWORD_IS_USERNAME);
    // An address never confirmed says nothing about who added a second
    // factor: a squatter who signed up first with it may have. The link does
    // prove the mailbox, so its reader takes the account back, with no code
    // owed and every factor removed.
    const reclaimed = !user.emailVerified;
    // Second factor (ASVS 6.4.3): an account with two-factor authentication
    // must prove it here, before the link is used, so a wrong code can be retried.
    if (!reclaimed) await this.secondFactor.assertCode(user.id, code);
    if (!(await this.links.consume(['reset'], token))) throw new AppError(RecoveryErrors.TOKEN_INVALID);

    await this.users.setPasswordById(user.id, newPassword);
    if (reclaimed) await this.factors.forgetUser(user.id);
    // Only someone who reads mail at this address could use the link.
    await this.users.markEmailVerified(user.id, user.email);
    await this.passwordChanges.completed(user, { event: 'password.reset', ip, reclaimed });
  }
}
