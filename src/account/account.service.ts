import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/errors/app-error';
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
   * out, and ends every other login, so whoever knew the old password is
   * logged out too (ASVS 6.2.3, 7.4.3). This login stays.
   */
  async changePassword(user: AuthUser, dto: ChangePasswordDto): Promise<number> {
    if (isUsernameAsPassword(dto.newPassword, user.username)) {
      throw new AppError(AccountErrors.PASSWORD_IS_USERNAME);
    }
    if (!(await this.currentPassword.change(user.id, dto.currentPassword, dto.newPassword))) {
      throw new AppError(AccountErrors.WRONG_CURRENT_PASSWORD);
    }
    const ended = await this.sessions.revokeAll(user.id, 'password_changed', user.sessionId);
    this.events.record('password.changed', { userId: user.id, sessionId: user.sessionId, reason: `ended ${ended} other sessions` });
    return ended;
  }
}
