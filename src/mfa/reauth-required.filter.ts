import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { wantsHtml } from '../common/http/request-kind';
import { MfaErrors } from './mfa.errors';

/** A sensitive change without a recent proof of identity; see RecentAuthGuard. */
export class ReauthRequired extends Error {
  /** Where to come back to after re-authenticating: the page, never the POST itself. */
  constructor(readonly returnTo: string) {
    super('re-authentication required');
  }
}

/** The JSON answer when the proof of identity is too old (ReauthRequiredResponse describes it). */
export interface ReauthRequiredBody {
  statusCode: number;
  error: 'reauth_required';
  message: string;
}

/**
 * Pages go to /auth/reauth and come back; JSON clients (page scripts
 * included) get 401 `reauth_required` (docs/http.md).
 */
@Catch(ReauthRequired)
@Injectable()
export class ReauthRequiredFilter implements ExceptionFilter {
  catch(required: ReauthRequired, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (wantsHtml(req)) {
      res.redirect(HttpStatus.SEE_OTHER, `/auth/reauth?next=${encodeURIComponent(required.returnTo)}`);
      return;
    }
    const { status, message } = MfaErrors.REAUTH_REQUIRED;
    const body: ReauthRequiredBody = { statusCode: status, error: 'reauth_required', message };
    res.status(status).json(body);
  }
}
