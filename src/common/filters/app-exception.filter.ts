import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthCookies } from '../../auth/auth-cookies';
import { describeException } from '../http/describe-exception';
import { wantsHtml } from '../http/request-kind';
import { COPY } from '../views/copy';


/**
 * The last word on every error: an HTML page for browsers, `{ statusCode,
 * message }` for API clients, and never a stack trace for either.
 */
@Catch()
@Injectable()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly cookies: AuthCookies) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { unexpected, ...body } = describeException(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (res.headersSent) return;

    if (!wantsHtml(req)) {
      res.status(body.statusCode).json(body);
      return;
    }
    if (body.statusCode === HttpStatus.UNAUTHORIZED && req.method === 'GET') {
      res.redirect(HttpStatus.SEE_OTHER, this.signInPath(req));
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

  /**
   * A browser that still holds an (expired) access cookie was logged in and
   * may have a valid refresh token, which only /auth can see; the
   * interstitial there refreshes or, failing that, goes on to the login form.
   */
  private signInPath(req: Request): string {
    const next = encodeURIComponent(req.originalUrl);
    return this.cookies.accessToken(req) ? `/auth/refresh?next=${next}` : `/auth/login?next=${next}`;
  }
}
