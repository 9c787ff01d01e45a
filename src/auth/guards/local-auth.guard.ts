import { ExecutionContext, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { FieldErrors, FieldErrorsException } from '../../common/http/field-errors.exception';
import { INVALID_CREDENTIALS } from '../strategies/local.strategy';

export const MISSING_LOGIN_FIELDS = {
  username: 'Enter your username or email address.',
  password: 'Enter your password.',
};

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  /**
   * passport-local reports an absent field as a failure; that is bad input,
   * not bad credentials: 400, with a message on each empty field, so the form
   * can link to it (GOV.UK "Error summary").
   */
  override handleRequest<TUser>(err: unknown, user: TUser, info: { message?: string } | undefined, context: ExecutionContext): TUser {
    if (err) throw err as Error;
    if (user) return user;
    if (info?.message === 'Missing credentials') {
      const body = (context.switchToHttp().getRequest<Request>().body ?? {}) as Record<string, unknown>;
      const errors: FieldErrors = {};
      for (const field of ['username', 'password'] as const) {
        if (typeof body[field] !== 'string' || body[field] === '') errors[field] = MISSING_LOGIN_FIELDS[field];
      }
      throw new FieldErrorsException(HttpStatus.BAD_REQUEST, errors);
    }
    throw new UnauthorizedException(INVALID_CREDENTIALS);
  }
}
