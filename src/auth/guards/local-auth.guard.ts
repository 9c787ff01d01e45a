import { BadRequestException, ExecutionContext, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { FieldErrors, FieldErrorsException } from '../../common/http/field-errors.exception';
import { createValidationPipe } from '../../common/validation/validation.pipe';
import { LoginDto } from '../dto/login.dto';
import { AuthErrors } from '../auth.errors';

/**
 * Checks the login body the way the route's own validation would, before
 * passport-local gets it: guards run before pipes, so without this a body
 * with unknown fields would be refused only after the password work
 * (docs/security.md: hostile bodies fail before any bcrypt work).
 * Credentials are read from the body only, never from the query string,
 * where passport-local would also look.
 */
export const MISSING_LOGIN_FIELDS = {
  username: 'Enter your username or email address.',
  password: 'Enter your password.',
};

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly shape = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest<Request>().body;
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    // An empty field is bad input, not bad credentials: 400, with a message on
    // each empty field so the form can link to it (GOV.UK "Error summary").
    const missing: FieldErrors = {};
    for (const field of ['username', 'password'] as const) if (!present(fields[field])) missing[field] = MISSING_LOGIN_FIELDS[field];
    if (Object.keys(missing).length) throw new FieldErrorsException(HttpStatus.BAD_REQUEST, missing);
    // Operator objects such as {"$ne": null}, or numbers, are bad input, not bad credentials.
    if (typeof fields.username !== 'string' || typeof fields.password !== 'string') {
      throw new BadRequestException('username and password must be strings');
    }
    await this.shape.transform(fields, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    if (err) throw err as Error;
    if (user) return user;
    throw new UnauthorizedException(AuthErrors.INVALID_CREDENTIALS.message);
  }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
