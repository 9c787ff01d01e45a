import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { clientInfo } from '../../common/http/request-kind';
import { UserView } from '../../users/user.view';
import { AuthService } from '../auth.service';

/** One message for every failure, so it never tells which half was wrong. */
export const INVALID_CREDENTIALS = 'Invalid username or password.';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: Request, username: unknown, password: unknown): Promise<UserView> {
    // This runs before any DTO validation, so operator objects such as
    // {"$ne": null} are stopped here, before they reach a query.
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new BadRequestException('username and password must be strings');
    }
    const user = await this.auth.validateUser(username, password, clientInfo(req));
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    return user;
  }
}
