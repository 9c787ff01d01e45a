import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import ms from 'ms';
import { AppConfig } from '../config/env.validation';
import { Mailer } from '../mail/mailer';
import { Outbox } from '../mail/outbox';
import { SecurityEvents } from '../security/security-events';
import { CurrentPasswordCheck } from '../security/throttling/current-password-check';
import { emailKey } from '../users/identity';
import { PublicUser } from '../users/public-user';
import { UsersService } from '../users/users.service';
import { LinkTokens, ValidLink } from './link-tokens';
import { MailRateLimit } from './mail-rate-limit';
import { AppError } from '../common/errors/app-error';
import { RecoveryErrors } from './recovery.errors';
import { LINK_TOKEN_KINDS, LinkTokenKind } from './schemas/link-token.schema';

/** Where the link that stops a pending address change leads. */
export const CANCEL_PATH = '/auth/email-change/cancel';

/** Both kinds of link confirm an address: the account's own, or the new one of an address change. */
const CONFIRMS_ADDRESS: readonly LinkTokenKind[] = ['verify', 'email_change'];

export interface PendingConfirmation {
  kind: 'verify' | 'email_change';
  email: string;
}

export interface Confirmed {
  userId: string;
  kind: 'verify' | 'email_change';
}

/**
 * Verified addresses: a link mailed at sign-up (and again on request), and
 * address changes that happen only when the new address confirms. A GET of
 * a link only shows a button; the POST does the work (mail scanners open links).
 */
@Injectable()
export class EmailVerificationService {
  private readonly ttlSeconds: number;

  constructor(
    private readonly users: UsersService,
    private readonly links: LinkTokens,
    private readonly mailer: Mailer,
    private readonly outbox: Outbox,
    private readonly limit: MailRateLimit,
    private readonly events: SecurityEvents,
    private readonly currentPassword: CurrentPasswordCheck,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlSeconds = config.get('verifyTokenTtlSeconds', { infer: true });
  }

  /** After a sign-up: the token and the mail both happen after the response. */
  sendAfterSignup(user: PublicUser): void {
    this.outbox.defer('verify-email', () => this.mailLink(user), { userId: user.id });
  }

  /** "Send the link again" on the profile; does nothing for a verified address. */
  async resend(userId: string, ip: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || user.emailVerified) return;
    await this.limit.hit(`verify:${user.id}`, ip);
    await this.mailLink(user);
  }

  /** For the GET page: what the link would confirm, or a 400. */
  async check(token: unknown): Promise<PendingConfirmation> {
    const link = await this.links.peek(CONFIRMS_ADDRESS, token);
    if (!link) throw new AppError(RecoveryErrors.TOKEN_INVALID);
    return { kind: link.kind as PendingConfirmation['kind'], email: link.email };
  }

  async confirm(token: unknown, ip: string): Promise<Confirmed> {
    const link = await this.links.consume(CONFIRMS_ADDRESS, token);
    if (!link) throw new AppError(RecoveryErrors.TOKEN_INVALID);
    if (link.kind === 'verify') {
      // False when the account has moved to another address since the link was sent.
      if (!(await this.users.markEmailVerified(link.userId, link.email))) throw new AppError(RecoveryErrors.TOKEN_INVALID);
      this.events.record('email.verified', { userId: link.userId, ip });
      return { userId: link.userId, kind: 'verify' };
    }
    await this.applyChange(link.userId, link.email, ip);
    return { userId: link.userId, kind: 'email_change' };
  }

  /**
   * Needs the current password, so a borrowed session cannot take the
   * account over by moving its mail elsewhere. Nothing changes yet: the new
   * address gets a link, and the old one is told, with a link that cancels.
   */
  async requestChange(userId: string, newEmail: string, currentPassword: string, ip: string): Promise<void> {
    const user = await this.currentPassword.verify(userId, currentPassword);
    if (!user) throw new AppError(RecoveryErrors.WRONG_PASSWORD);
    if (emailKey(newEmail) === emailKey(user.email)) throw new AppError(RecoveryErrors.SAME_EMAIL);
    if (await this.users.emailTaken(newEmail, user.id)) throw new AppError(RecoveryErrors.EMAIL_TAKEN);
    await this.limit.hit(`change:${user.id}`, ip);
    // Only the latest request can be confirmed.
    await this.links.revokeAll(user.id, ['email_change']);
    const token = await this.links.issue('email_change', user.id, newEmail, this.ttlSeconds);
    // The old address can stop it without a login: the owner of a stolen password has none left to use.
    const cancel = await this.links.issue('email_change_cancel', user.id, user.email, this.ttlSeconds);
    const expiresIn = ms(this.ttlSeconds * 1000, { long: true });
    this.events.record('email.change_requested', { userId: user.id, ip });
    this.outbox.send(
      {
        to: newEmail,
        template: 'confirm-email-change',
        variables: { username: user.username, email: newEmail, link: this.mailer.link('/auth/verify-email', { token }), expiresIn },
      },
      { userId: user.id },
    );
    this.outbox.send(
      {
        to: user.email,
        template: 'email-change-requested',
        variables: {
          username: user.username,
          newEmail,
          expiresIn,
          cancelLink: this.mailer.link(CANCEL_PATH, { token: cancel }),
          forgotLink: this.mailer.link('/auth/forgot'),
        },
      },
      { userId: user.id },
    );
  }

  /** For the GET page of the cancel link: throws when it would not work, changes nothing. */
  async checkCancel(token: unknown): Promise<void> {
    if (!(await this.cancellable(await this.links.peek(['email_change_cancel'], token)))) {
      throw new AppError(RecoveryErrors.TOKEN_INVALID);
    }
  }

  /** Every pending address change of the account ends; the address stays. */
  async cancelChange(token: unknown, ip: string): Promise<void> {
    const link = await this.links.consume(['email_change_cancel'], token);
    if (!(await this.cancellable(link))) throw new AppError(RecoveryErrors.TOKEN_INVALID);
    await this.links.revokeAll(link!.userId, ['email_change', 'email_change_cancel']);
    this.events.record('email.change_cancelled', { userId: link!.userId, ip });
  }

  /** Once the change happened, the old address no longer speaks for the account. */
  private async cancellable(link: ValidLink | null): Promise<boolean> {
    const user = link && (await this.users.findById(link.userId));
    return !!user && emailKey(user.email) === emailKey(link.email);
  }

  private async applyChange(userId: string, newEmail: string, ip: string): Promise<void> {
    const before = await this.users.findById(userId);
    if (!before) throw new AppError(RecoveryErrors.TOKEN_INVALID);
    // The unique index decides here, at confirmation, when two accounts raced for the address.
    const after = await this.users.changeEmail(userId, newEmail);
    if (after === 'taken') throw new AppError(RecoveryErrors.EMAIL_TAKEN);
    if (!after) throw new AppError(RecoveryErrors.TOKEN_INVALID);
    // Links mailed to the old address must not work any more.
    await this.links.revokeAll(userId, LINK_TOKEN_KINDS);
    this.events.record('email.changed', { userId, ip });
    this.outbox.send(
      {
        to: before.email,
        template: 'email-changed',
        variables: { username: before.username, newEmail, forgotLink: this.mailer.link('/auth/forgot') },
      },
      { userId },
    );
  }

  private async mailLink(user: PublicUser): Promise<void> {
    const token = await this.links.issue('verify', user.id, user.email, this.ttlSeconds);
    this.outbox.send(
      {
        to: user.email,
        template: 'verify-email',
        variables: {
          username: user.username,
          email: user.email,
          link: this.mailer.link('/auth/verify-email', { token }),
          expiresIn: ms(this.ttlSeconds * 1000, { long: true }),
        },
      },
      { userId: user.id },
    );
  }
}
