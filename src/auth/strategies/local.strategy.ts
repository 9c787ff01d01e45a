import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { clientInfo } from '../../common/http/request-kind';
import { DEVICE_TOKEN_HEADER, LoginThrottle } from '../../security/throttling/login-throttle';
import { PublicUser } from '../../users/public-user';
import { AuthCookies } from '../auth-cookies';
import { AuthService } from '../auth.service';
import { AuthErrors } from '../auth.errors';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
    private readonly cookies: AuthCookies,
  ) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  /**
   * Runs after LocalAuthGuard has checked the body's shape (both fields
   * strings, nothing unknown), and before anything else looks at it: the per-account count first, so a throttled
   * attempt costs no bcrypt work, then the password.
   */
  async validate(req: Request, username: string, password: string): Promise<PublicUser> {
    const client = clientInfo(req);
    const devices = [this.cookies.device(req), this.throttle.deviceFromToken(req.get(DEVICE_TOKEN_HEADER))];
    const { user, admitted: attempt } = await this.auth.validateUser(username, password, client, (accountId) =>
      this.throttle.admit(accountId, username, devices, client.ip),
    );
    if (!user) {
      await this.throttle.failed(attempt);
      throw new UnauthorizedException(AuthErrors.INVALID_CREDENTIALS.message);
    }
    return user;
  }
}
