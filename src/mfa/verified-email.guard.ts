import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/errors/app-error';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UsersService } from '../users/users.service';
import { MfaErrors } from './mfa.errors';

/**
 * The route adds a second factor, which an account whose address is not
 * verified may not do: whoever signed up first with someone else's address
 * could otherwise plant a passkey or TOTP that outlives the owner's reset
 * (account pre-hijacking). The API description learns the 403 from here.
 */
export const RequiresVerifiedEmail = () => applyDecorators(UseGuards(VerifiedEmailGuard), ApiErrors(MfaErrors.EMAIL_UNVERIFIED));

/** Reads the address's state from the database, not the token, so a verification made in another browser counts at once. */
@Injectable()
export class VerifiedEmailGuard implements CanActivate {
  constructor(private readonly users: UsersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<Request>().user as AuthUser | undefined;
    if (user && (await this.users.findById(user.id))?.emailVerified) return true;
    throw new AppError(MfaErrors.EMAIL_UNVERIFIED);
  }
}
