import { Injectable } from '@nestjs/common';
import { Mailer } from '../mail/mailer';
import { Outbox } from '../mail/outbox';
import { UsersService } from '../users/users.service';

/**
 * Tells the account's owner by mail of every change to their factors, so a
 * change they did not make is noticed (ASVS 6.3.7). Sent after the response
 * by the Outbox; a failure there is a `mail.failed` event, never an error.
 */
@Injectable()
export class FactorNotices {
  constructor(
    private readonly users: UsersService,
    private readonly mailer: Mailer,
    private readonly outbox: Outbox,
  ) {}

  /** `change` completes "A change was just made to how your account is protected: …". */
  async send(userId: string, change: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) return;
    this.outbox.send(
      {
        to: user.email,
        template: 'second-factor-changed',
        variables: { username: user.username, change, securityLink: this.mailer.link('/account/security') },
      },
      { userId },
    );
  }
}
