import { applyDecorators, Get, Header, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Request } from 'express';
import { View } from '../common/http/view.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { LinkPageFilter } from './link-page.filter';
import { RecoveryErrors } from './recovery.errors';

/**
 * The GET of a page opened from a mailed link: it shows a form and changes
 * nothing (mail scanners open links), sends no Referer (its URL holds the
 * token), and answers a dead link with a 400 page that offers `again`.
 */
export function LinkPage<T>(
  path: string,
  again: { url: string; label: string },
  view: { template: string; pageModel: (result: T, req: Request) => object; okType: object },
): MethodDecorator {
  return applyDecorators(
    Get(path),
    Header('Referrer-Policy', 'no-referrer'),
    UseFilters(new LinkPageFilter(again)),
    View(view.template, view.pageModel),
    ApiQuery({ name: 'token', type: String, description: 'The token of the link in the mail.' }),
    ApiOkResponse({ type: view.okType as never, description: 'The link works; nothing was changed.' }),
    ApiErrors(RecoveryErrors.TOKEN_INVALID, 503),
  );
}
