import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/errors/app-error';
import { PasswordChanges } from '../recovery/password-changes';
import { SecurityEvents } from '../security/security-events';
import { CurrentPasswordCheck } from '../security/throttling/current-password-check';
import { ActiveSession, SessionsService } from '../sessions/sessions.service';
import { isUsernameAsPassword } from '../users/password-policy';
import { AccountErrors } from './account.errors';
import { ChangePasswordDto } from './dto/change-password.dto';

@Injectable()
export class AccountService {
  constructor(
    private readonly currentPassword: CurrentPasswordCheck,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEvents,
    private readonly passwordChanges: PasswordChanges,
  ) {}

  listSessions(user: AuthUser): Promise<ActiveSession[]> {
    return this.sessions.listActive(user.id);
  }

  async revokeSession(user: AuthUser, sessionId: string): Promise<void> {
    if (await this.sessions.revoke(sessionId, 'revoked', user.id)) {
      this.events.record('session.revoked', { userId: user.id, sessionId, reason: 'revoked' });
    }
  }

  async revokeOtherSessions(user: AuthUser): Promise<number> {
    const ended = await this.sessions.revokeAll(user.id, 'revoked_others', user.sessionId);
    this.events.record('session.revoked', { userId: user.id, reason: `revoked_others (${ended})` });
    return ended;
  }

  /**
   * Needs the current password, so a borrowed session cannot lock the owner
   * out; then everything the old password opened ends, except this login
   * (ASVS 6.2.3, 7.4.3), and the owner is told by mail (PasswordChanges).
   */
  async changePassword(user: AuthUser, dto: ChangePasswordDto, ip: string): Promise<number> {
    if (isUsernameAsPassword(dto.newPassword, user.username)) {
      throw new AppError(AccountErrors.PASSWORD_IS_USERNAME);
    }
    const account = await this.currentPassword.change(user.id, dto.currentPassword, dto.newPassword);
    if (!account) throw new AppError(AccountErrors.WRONG_CURRENT_PASSWORD);
    return this.passwordChanges.completed(account, { event: 'password.changed', ip, keepSessionId: user.sessionId });
  }
}
