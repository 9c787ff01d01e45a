import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/errors/app-error';
import { SecondFactorService } from '../mfa/second-factor.service';
import { SecurityEvents } from '../security/security-events';
import { SessionsService } from '../sessions/sessions.service';
import { PublicUser } from '../users/public-user';
import { UsersService } from '../users/users.service';
import { AdminErrors } from './admin.errors';

export const PAGE_SIZE = 20;

export interface UserPage {
  /** `twoFactor`: whether the user has two-factor authentication on. */
  users: (PublicUser & { twoFactor: boolean })[];
  total: number;
  page: number;
  pages: number;
}

@Injectable()
export class AdminService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEvents,
    private readonly factors: SecondFactorService,
  ) {}

  async listUsers(query: string, page: number): Promise<UserPage> {
    const { users, total } = await this.users.search(query, page, PAGE_SIZE);
    const withTwoFactor = await this.factors.enabledAmong(users.map((u) => u.id));
    return {
      users: users.map((u) => ({ ...u, twoFactor: withTwoFactor.has(u.id) })),
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    };
  }

  async getUser(userId: string): Promise<PublicUser> {
    const user = await this.users.findById(userId);
    if (!user) throw new AppError(AdminErrors.NO_SUCH_USER);
    return user;
  }

  /** Disabling also ends every login, so the user is out now, not at the next refresh. */
  async setDisabled(admin: AuthUser, userId: string, disabled: boolean): Promise<PublicUser> {
    if (disabled && userId === admin.id) throw new AppError(AdminErrors.CANNOT_DISABLE_SELF);
    const user = await this.users.setDisabled(userId, disabled);
    if (!user) throw new AppError(AdminErrors.NO_SUCH_USER);
    if (disabled) await this.sessions.revokeAll(userId, 'admin');
    this.events.record(disabled ? 'user.disabled' : 'user.enabled', { userId, reason: `by ${admin.id}` });
    return user;
  }

  async revokeSessions(admin: AuthUser, userId: string): Promise<PublicUser> {
    const user = await this.getUser(userId);
    const ended = await this.sessions.revokeAll(userId, 'admin');
    this.events.record('session.revoked', { userId, reason: `admin ${admin.id} ended ${ended}` });
    return user;
  }
}
