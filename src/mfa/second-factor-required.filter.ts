import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { safeNextPath } from '../auth/safe-next';
import { sentJson } from '../common/http/request-kind';
import { PendingLoginCookie } from './pending-login.cookie';
import { SecondFactorRequired } from './second-factor-login';

/** The JSON answer to a right password when a second factor is owed (MfaRequiredResponse describes it). */
export interface MfaRequiredBody {
  statusCode: number;
  error: 'mfa_required';
  message: string;
  mfa_token: string;
}

/**
 * The answer to a right password on an account with a second factor: no
 * session yet. A form login gets the pending login in an HttpOnly cookie and
 * a 303 to /auth/2fa (keeping `next`); a JSON login gets 401 `mfa_required`
 * with the token to send back with the code (docs/http.md).
 */
@Catch(SecondFactorRequired)
@Injectable()
export class SecondFactorRequiredFilter implements ExceptionFilter {
  constructor(private readonly cookie: PendingLoginCookie) {}

  catch(required: SecondFactorRequired, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (sentJson(req)) {
      const body: MfaRequiredBody = {
        statusCode: HttpStatus.UNAUTHORIZED,
        error: 'mfa_required',
        message: 'Two-factor authentication is on: send the code with this mfa_token to POST /auth/2fa.',
        mfa_token: required.mfaToken,
      };
      res.status(HttpStatus.UNAUTHORIZED).json(body);
      return;
    }
    this.cookie.set(res, required.mfaToken);
    const next = safeNextPath((req.body as { next?: unknown } | undefined)?.next);
    res.redirect(HttpStatus.SEE_OTHER, `/auth/2fa?next=${encodeURIComponent(next)}`);
  }
}
