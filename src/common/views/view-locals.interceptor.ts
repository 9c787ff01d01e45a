import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { exposeViewLocals } from './view-locals';

@Injectable()
export class ViewLocalsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    exposeViewLocals(http.getRequest<Request>(), http.getResponse<Response>());
    return next.handle();
  }
}
