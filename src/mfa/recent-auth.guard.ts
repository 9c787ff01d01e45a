import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { ApiErrors, errorBody } from '../openapi/api-errors.decorator';
import { ReauthRequiredResponse } from './dto/mfa.responses';
import { MfaErrors } from './mfa.errors';
import { ReauthRequired, ReauthRequiredFilter } from './reauth-required.filter';
import { ReauthService } from './reauth.service';

const RETURN_TO = 'mfa:reauthReturnTo';

/**
 * The route changes how the account is protected, so it needs a proof of
 * identity within REAUTH_WINDOW (ReauthService). `returnTo` is the page to
 * come back to after a POST; a GET comes back to itself. The API description
 * learns the 401 `reauth_required` from here, so it cannot drift from the guard.
 */
export const RequiresRecentAuth = (returnTo = '/account/security') =>
  applyDecorators(
    SetMetadata(RETURN_TO, returnTo),
    UseGuards(RecentAuthGuard),
    UseFilters(ReauthRequiredFilter),
    ApiErrors(
      MfaErrors.REAUTH_REQUIRED,
      errorBody(401, ReauthRequiredResponse, 'the proof of identity is older than REAUTH_WINDOW (JSON clients)'),
    ),
  );

@Injectable()
export class RecentAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly reauth: ReauthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const user = req.user as AuthUser | undefined;
    if (user && (await this.reauth.isRecent(user.sessionId, user.id))) return true;
    const returnTo = req.method === 'GET' ? req.originalUrl : this.reflector.get<string>(RETURN_TO, context.getHandler());
    throw new ReauthRequired(returnTo);
  }
}
