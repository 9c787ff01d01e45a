import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeException, ErrorBody } from '../http/describe-exception';
import { wantsHtml } from '../http/request-kind';
import { COPY } from '../views/copy';
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

    if (body.statusCode === (HttpStatus.UNAUTHORIZED as number) && req.method === 'GET' && wantsHtml(req)) {
      res.redirect(HttpStatus.SEE_OTHER, this.signInPath(req));
      return;
    }
    sendError(req, res, body);
  }
}

/** An error page for browsers, `{ statusCode, message }` for API clients; for feature filters too. */
export function sendError(req: Request, res: Response, body: ErrorBody): void {
  if (!wantsHtml(req)) {
    res.status(body.statusCode).json(body);
    return;
  }
  res.status(body.statusCode).render('errors/error', {
    title: COPY.errors.titles[body.statusCode] ?? (body.statusCode >= 500 ? COPY.errors.titles[500] : COPY.errors.fallbackTitle),
    status: body.statusCode,
    // Express's router says "Cannot GET /path", which is for developers.
    message: body.statusCode === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(body.message) ? COPY.errors.notFound : body.message,
    action: body.statusCode === HttpStatus.UNAUTHORIZED ? { href: '/auth/login', label: COPY.nav.logIn } : undefined,
  });
}
