import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeException, ErrorBody, setRetryAfter } from '../http/describe-exception';
import { wantsHtml } from '../http/request-kind';
import { SignInRequired } from '../http/sign-in-required.exception';
import { COPY } from '../views/copy';
import { formPageOf, keepForReload, renewThenReturn } from '../views/unsent-form';
import { SIGN_IN_REDIRECT, SignInRedirect } from './sign-in-redirect';

/**
 * The last word on every error: an HTML page for browsers, `{ statusCode,
 * message }` for API clients, and never a stack trace for either.
 */
@Catch()
@Injectable()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(@Inject(SIGN_IN_REDIRECT) private readonly signInPath: SignInRedirect) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { unexpected, ...body } = describeException(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (res.headersSent) return;
    setRetryAfter(res, exception);

    if (body.statusCode === (HttpStatus.UNAUTHORIZED as number) && req.method === 'GET' && wantsHtml(req)) {
      res.redirect(HttpStatus.SEE_OTHER, this.signInPath(req));
      return;
    }
    // A browser's form that could not be acted on comes back to the person
    // with what they typed, instead of a dead-end error page.
    const formPage = wantsHtml(req) ? formPageOf(req) : undefined;
    if (formPage && exception instanceof SignInRequired) return renewThenReturn(req, res, formPage);
    if (formPage && (exception as { code?: unknown }).code === 'EBADCSRFTOKEN') {
      // Still the 403 that docs/http.md promises, but it opens the form again at once.
      keepForReload(req, res, formPage);
      return sendError(req, res, body, formPage);
    }
    sendError(req, res, body);
  }
}

/** An error page for browsers, `{ statusCode, message }` for API clients; for feature filters too. */
export function sendError(req: Request, res: Response, body: ErrorBody, reloadTo?: string): void {
  if (!wantsHtml(req)) {
    res.status(body.statusCode).json(body);
    return;
  }
  const status: number = body.statusCode;
  res.status(status).render('errors/error', {
    title: COPY.errors.titles[body.statusCode] ?? (body.statusCode >= 500 ? COPY.errors.titles[500] : COPY.errors.fallbackTitle),
    status: body.statusCode,
    // Express's router says "Cannot GET /path", which is for developers.
    message: status === (HttpStatus.NOT_FOUND as number) && /^Cannot [A-Z]+ /.test(body.message) ? COPY.errors.notFound : body.message,
    action: reloadTo
      ? { href: reloadTo, label: COPY.errors.backToForm }
      : status === (HttpStatus.UNAUTHORIZED as number)
        ? { href: '/auth/login', label: COPY.nav.logIn }
        : undefined,
    // A redirect without delay (WCAG technique G110), which needs no JavaScript.
    refreshTo: reloadTo,
  });
}
