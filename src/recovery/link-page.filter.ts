import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { sendError } from '../common/filters/app-exception.filter';
import { describeException, setRetryAfter } from '../common/http/describe-exception';
import { wantsHtml } from '../common/http/request-kind';
import { FormPageFilter } from '../common/views/form-page';
import { RecoveryErrors } from './recovery.errors';

const INVALID = RecoveryErrors.TOKEN_INVALID;

/**
 * Pages reached from a link in a mail. A dead link gets a 400 page that
 * offers a new one (CONTRACT: "400 page with a link to ask again"); a
 * malformed token counts as a dead link. Any other error re-renders the
 * form, keeping the link's token, which the generic form filter drops as a
 * secret (the page that showed the form held it already).
 */
@Catch(AppError, HttpException)
export class LinkPageFilter implements ExceptionFilter {
  constructor(
    private readonly again: { url: string; label: string },
    private readonly form?: { view: string; title: string },
  ) {}

  catch(exception: AppError | HttpException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { unexpected: _, ...body } = describeException(exception);
    setRetryAfter(res, exception);
    const deadLink = (exception instanceof AppError && exception.code === INVALID.code) || body.errors?.token !== undefined;
    if (deadLink) {
      if (!wantsHtml(req)) return sendError(req, res, { statusCode: INVALID.status, message: INVALID.message });
      res.status(INVALID.status).render('auth/link-invalid', {
        title: 'Link not valid',
        message: INVALID.message,
        againUrl: this.again.url,
        againLabel: this.again.label,
      });
      return;
    }
    if (!this.form) return sendError(req, res, body);
    const token = (req.body as { token?: unknown } | undefined)?.token;
    new FormPageFilter(this.form.view, this.form.title, { token: typeof token === 'string' ? token : '' }).catch(exception, host);
  }
}

export const RESET_AGAIN = { url: '/auth/forgot', label: 'Ask for a new link' };
export const VERIFY_AGAIN = { url: '/profile', label: 'Go to your profile to get a new link' };
export const CANCEL_AGAIN = { url: '/auth/forgot', label: 'Reset your password instead' };

/** The token of a link page's URL, for the form that sends it back. */
export const tokenOf = (req: Request) => (typeof req.query.token === 'string' ? req.query.token : '');
