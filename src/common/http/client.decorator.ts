import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { clientInfo, sentJson } from './request-kind';

/** The caller's user agent and IP (see clientInfo), so handlers need no @Req(). */
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext) => clientInfo(ctx.switchToHttp().getRequest<Request>()));

/** True for an API client that sent a JSON body: it gets tokens in the body, never cookies. */
export const SentJson = createParamDecorator((_: unknown, ctx: ExecutionContext) => sentJson(ctx.switchToHttp().getRequest<Request>()));
