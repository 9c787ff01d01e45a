import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { sendError } from '../common/filters/app-exception.filter';
import { describeException } from '../common/http/describe-exception';
import { wantsHtml } from '../common/http/request-kind';
import { RefreshRejected } from '../sessions/sessions.service';
import { AuthCookies } from './auth-cookies';
import { AuthErrors } from './auth.errors';
import { safeNextPath } from './safe-next';

/**
 * How a refused refresh is answered. A browser's dead refresh cookie is
 * cleared and the browser sent to log in; an API client gets 401 JSON.
 * Contention ('busy') is not the client's fault: it keeps its cookies and
 * may simply retry.
 */
@Catch(RefreshRejected)
@Injectable()
export class RefreshRejectedFilter implements ExceptionFilter {
  constructor(private readonly cookies: AuthCookies) {}

  catch(rejection: RefreshRejected, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const busy = rejection.reason === 'busy';
    const body = req.body as { refresh_token?: unknown; next?: unknown } | undefined;
    if (!busy && body?.refresh_token === undefined) this.cookies.clear(res);
    if (!busy && wantsHtml(req)) {
      res.redirect(HttpStatus.SEE_OTHER, `/auth/login?next=${encodeURIComponent(safeNextPath(body?.next))}`);
      return;
    }
    const { unexpected: _, ...error } = describeException(new AppError(busy ? AuthErrors.REFRESH_BUSY : AuthErrors.REFRESH_REJECTED));
    sendError(req, res, error);
  }
}
