import { Injectable } from '@nestjs/common';
import { Outbox } from '../mail/outbox';
import { SecondFactorService } from '../mfa/second-factor.service';
import { SecurityEvents } from '../security/security-events';
import { CurrentPasswordCheck } from '../security/throttling/current-password-check';
import { SessionsService } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import { LinkTokens } from './link-tokens';
import { AppError } from '../common/errors/app-error';
import { RecoveryErrors } from './recovery.errors';
import { LINK_TOKEN_KINDS } from './schemas/link-token.schema';

/**
 * Leaving: needs the current password, removes the user, their logins and
 * their links, and tells the address. The username and the address are then
 * free again: UsersService.deleteUser removes the user and then releases both
 * identity documents (docs/databases.md).
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly links: LinkTokens,
    private readonly outbox: Outbox,
    private readonly events: SecurityEvents,
    private readonly factors: SecondFactorService,
    private readonly currentPassword: CurrentPasswordCheck,
  ) {}

  async delete(userId: string, currentPassword: string, ip: string): Promise<void> {
    const user = await this.currentPassword.verify(userId, currentPassword);
    if (!user) throw new AppError(RecoveryErrors.WRONG_PASSWORD);
    // Somebody must be left to run the admin pages. Two last admins leaving
    // at the same instant could both pass; promoting is a command away.
    if (user.roles.includes('admin') && (await this.users.countAdmins()) <= 1) throw new AppError(RecoveryErrors.LAST_ADMIN);

    await this.users.deleteUser(user.id);
    const sessions = await this.sessions.deleteAllOfUser(user.id);
    await this.links.revokeAll(user.id, LINK_TOKEN_KINDS);
    await this.factors.forgetUser(user.id);
    this.events.record('account.deleted', { userId: user.id, ip, reason: `removed ${sessions} sessions` });
    this.outbox.send({ to: user.email, template: 'account-deleted', variables: { username: user.username } }, { userId: user.id });
  }
}
