import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SignInRequired } from '../../common/http/sign-in-required.exception';
import { SessionsService } from '../../sessions/sessions.service';
import { AuthUser } from '../auth-user';
import { IS_SENSITIVE_KEY } from '../decorators/sensitive.decorator';

/** Enforces @Sensitive(); runs after JwtAuthGuard has identified the caller. */
@Injectable()
export class ActiveSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const sensitive = this.reflector.getAllAndOverride<boolean>(IS_SENSITIVE_KEY, [context.getHandler(), context.getClass()]);
    if (!sensitive) return true;
    const user = context.switchToHttp().getRequest<Request>().user as AuthUser | undefined;
    if (user && (await this.sessions.isActive(user.sessionId))) return true;
    throw new SignInRequired('This login has ended. Log in again.');
  }
}
