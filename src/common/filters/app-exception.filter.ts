import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeException, ErrorBody } from '../http/describe-exception';
import { wantsHtml } from '../http/request-kind';
import { SIGN_IN_REDIRECT, SignInRedirect } from './sign-in-redirect';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Please log in',
  403: 'Forbidden',
  404: 'Page not found',
  413: 'Too large',
  422: 'Check your input',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
};

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
    title: TITLES[body.statusCode] ?? (body.statusCode >= 500 ? 'Something went wrong' : 'Request refused'),
    status: body.statusCode,
    message: body.message,
  });
}
