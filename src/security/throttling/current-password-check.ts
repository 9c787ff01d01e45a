import { Injectable } from '@nestjs/common';
import { PublicUser } from '../../users/public-user';
import { UsersService } from '../../users/users.service';
import { LoginThrottle } from './login-throttle';

/**
 * The current password asked for by a logged-in action: changing the
 * address, the password, deleting the account, turning the second factor
 * off, re-authenticating. A login is no proof of the password (a stolen
 * token or cookie is enough), so each check is a login attempt against the
 * account: counted before the bcrypt work, under the same per-account
 * limit and growing delay as the login form (LoginThrottle), whatever the
 * route, and 429 past it, the right password included. Every such route
 * goes through here rather than UsersService, so the rule is written once.
 */
@Injectable()
export class CurrentPasswordCheck {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** UsersService.verifyPassword, counted: the user when the password is theirs, else null. */
  verify(userId: string, password: string): Promise<PublicUser | null> {
    return this.counted(userId, () => this.users.verifyPassword(userId, password));
  }

  /** UsersService.changePassword, counted: the user, or null when the current password is wrong. */
  change(userId: string, currentPassword: string, newPassword: string): Promise<PublicUser | null> {
    return this.counted(userId, () => this.users.changePassword(userId, currentPassword, newPassword));
  }

  private async counted<T>(userId: string, compare: () => Promise<T>): Promise<T> {
    const attempt = await this.throttle.admitCurrentPassword(userId);
    const result = await compare();
    if (!result) await this.throttle.failed(attempt);
    return result;
  }
}
