import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { SecurityEvents } from '../security/security-events';
import { PublicUser } from '../users/public-user';
import { UsersService } from '../users/users.service';
import { CodeAttempts } from './code-attempts';
import { MfaErrors } from './mfa.errors';
import { PendingLogins } from './pending-logins';
import { SecondFactorService } from './second-factor.service';

/**
 * Thrown by the login path when the password was right and a second factor
 * is still owed. Not an AppError: SecondFactorRequiredFilter answers it
 * (a 303 to /auth/2fa for forms, `mfa_required` for JSON), not a form page.
 */
export class SecondFactorRequired extends Error {
  constructor(readonly mfaToken: string) {
    super('second factor required');
  }
}

export interface CompletedLogin {
  user: PublicUser;
  persistent: boolean;
}

/**
 * The second half of every password login. No path reaches a session
 * without it: the password half yields only a pending login, which no other
 * route accepts (docs/security.md).
 */
@Injectable()
export class SecondFactorLogin {
  constructor(
    private readonly factors: SecondFactorService,
    private readonly pending: PendingLogins,
    private readonly attempts: CodeAttempts,
    private readonly users: UsersService,
    private readonly events: SecurityEvents,
  ) {}

  /** Passes for an account without a second factor; otherwise throws SecondFactorRequired. */
  async requireIfEnabled(user: PublicUser, persistent: boolean, ip: string): Promise<void> {
    if (!(await this.factors.isEnabled(user.id))) return;
    // Worth a line of its own: whoever sent it knows the password.
    this.events.record('mfa.required', { userId: user.id, ip });
    throw new SecondFactorRequired(this.pending.issue(user.id, persistent));
  }

  /** Checks the code for a pending login and spends both; then the caller starts the session. */
  async complete(mfaToken: unknown, code: string, ip: string): Promise<CompletedLogin> {
    const pending = await this.pending.open(mfaToken);
    await this.attempts.take(pending.userId, pending.id, this.pending.remainingMs(pending));
    if (!(await this.factors.verify(pending.userId, code))) {
      this.events.record('mfa.failed', { userId: pending.userId, ip });
      throw new AppError(MfaErrors.CODE_INVALID);
    }
    // A second request with the same pending login, even with another good code, gets nothing.
    if (!(await this.pending.spend(pending))) throw new AppError(MfaErrors.PENDING_LOGIN_INVALID);
    const user = await this.users.findById(pending.userId);
    if (!user || user.disabled) throw new AppError(MfaErrors.PENDING_LOGIN_INVALID);
    return { user, persistent: pending.persistent };
  }

  /** For flows that already know the user (password reset, turning it off): a code when one is owed. */
  async assertCode(userId: string, code: string | undefined): Promise<void> {
    if (!(await this.factors.isEnabled(userId))) return;
    await this.attempts.take(userId);
    if (!code || !(await this.factors.verify(userId, code))) {
      this.events.record('mfa.failed', { userId });
      throw new AppError(MfaErrors.CODE_INVALID);
    }
  }
}
