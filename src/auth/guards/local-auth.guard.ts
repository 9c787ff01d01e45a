import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { INVALID_CREDENTIALS } from '../strategies/local.strategy';

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  /** passport-local reports an absent field as a failure; that is bad input, not bad credentials. */
  override handleRequest<TUser>(err: unknown, user: TUser, info: { message?: string } | undefined): TUser {
    if (err) throw err as Error;
    if (user) return user;
    if (info?.message === 'Missing credentials') throw new BadRequestException('username and password are required');
    throw new UnauthorizedException(INVALID_CREDENTIALS);
  }
}
