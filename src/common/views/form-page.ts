import { ArgumentsHost, Catch, HttpException, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../errors/app-error';
import { describeException, setRetryAfter } from '../http/describe-exception';
import { wantsHtml } from '../http/request-kind';
import { SignInRequired } from '../http/sign-in-required.exception';
import { COPY } from './copy';
import { formPageOf, renewThenReturn, typedValues } from './unsent-form';

/**
 * Marks a POST handler whose form is re-rendered on an HttpException or an
 * AppError, from validation, a guard (a failed login) or the service, with the error
 * status, the field errors and what the person typed (minus secrets).
 * API clients get the JSON body the global filter would give.
 */
export const FormPage = (view: string, title: string) => UseFilters(new FormPageFilter(view, title));

@Catch(HttpException, AppError)
export class FormPageFilter {
  constructor(
    private readonly view: string,
    private readonly title: string,
    /** More for the page that the typed values cannot carry, such as a link's token on the reset form. */
    private readonly extra: Record<string, unknown> = {},
  ) {}

  catch(exception: HttpException | AppError, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { unexpected: _, ...body } = describeException(exception);
    setRetryAfter(res, exception);
    if (!wantsHtml(req)) {
      res.status(body.statusCode).json(body);
      return;
    }
    // The login behind the form expired: renew it, then bring the form back.
    const formPage = exception instanceof SignInRequired ? formPageOf(req) : undefined;
    if (formPage) return renewThenReturn(req, res, formPage);
    const errors = body.errors ?? {};
    res.status(body.statusCode).render(this.view, {
      ...this.extra,
      // WCAG 2.4.2: the title says at once that the submission failed.
      title: `Error: ${this.title}`,
      values: typedValues(req.body),
      errors,
      errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
      // With field errors the summary lists them, each a link to its field (GOV.UK "Error summary").
      formError: body.errors ? COPY.form.problem : body.message,
    });
  }
}
