import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { SignInRequired } from '../../common/http/sign-in-required.exception';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';

/**
 * Global guard: every route needs a valid access token unless it is marked
 * @Public(). Public routes still learn who is calling, for the navigation bar.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.isPublic(context)) return (await super.canActivate(context)) as boolean;
    await (super.canActivate(context) as Promise<boolean>).catch(() => undefined);
    return true;
  }

  override handleRequest<TUser>(err: unknown, user: TUser, _info: unknown, context: ExecutionContext): TUser {
    if (this.isPublic(context)) return user || (undefined as TUser);
    if (err || !user) throw new SignInRequired();
    return user;
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]) ?? false;
  }
}
