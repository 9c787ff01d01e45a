import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, mergeMap, Observable, of } from 'rxjs';
import { wantsHtml } from './request-kind';
import { SeeOther } from './see-other';
import { VIEW_KEY, ViewSpec } from './view.decorator';

/**
 * Turns what a handler returns into a response, so controllers return data
 * and need not branch on the client (a few still do: the sign-up, the login
 * and the forgot-password handlers read @SentJson(), and each exception
 * filter chooses between a page and JSON itself):
 *  - a SeeOther is a 303 for browsers, or its JSON alternative for API clients;
 *  - a result of a @View handler is that page for browsers, JSON otherwise;
 *  - anything else is JSON, as Nest would send it.
 * Pages are rendered to a string here rather than with res.render(), which
 * would send on its own and race Nest's reply.
 */
@Injectable()
export class NegotiationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const view = this.reflector.get<ViewSpec | undefined>(VIEW_KEY, context.getHandler());
    return next.handle().pipe(
      mergeMap((result: unknown) => {
        if (result instanceof SeeOther) return of(this.seeOther(result, req, res));
        if (view && wantsHtml(req))
          return from(render(res, view.template, view.pageModel ? view.pageModel(result, req) : (result as object)));
        return of(result);
      }),
    );
  }

  private seeOther(result: SeeOther, req: Request, res: Response): unknown {
    if (result.json && !wantsHtml(req)) {
      if (result.json.status) res.status(result.json.status);
      return result.json.body;
    }
    res.status(HttpStatus.SEE_OTHER).location(result.location);
    return undefined;
  }
}

function render(res: Response, template: string, model: object): Promise<string> {
  return new Promise((resolve, reject) =>
    res.render(template, model, (error: Error | null, html: string) => {
      if (error) return reject(error);
      res.type('html');
      resolve(html);
    }),
  );
}
