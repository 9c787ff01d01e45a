import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Role } from '../../users/schemas/user.schema';
import { AuthUser } from '../auth-user';
import { ROLES_KEY } from '../decorators/roles.decorator';

/**
 * Enforces @Roles() from the roles in the access token. A role granted or
 * removed takes effect at the holder's next refresh, within ACCESS_TOKEN_TTL.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!required?.length) return true;
    const user = context.switchToHttp().getRequest<Request>().user as AuthUser | undefined;
    if (user?.roles.some((role) => required.includes(role))) return true;
    throw new ForbiddenException('You do not have permission to see this page.');
  }
}
