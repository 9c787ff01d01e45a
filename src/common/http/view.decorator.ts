import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const VIEW_KEY = 'latchkey:view';

export interface ViewSpec {
  template: string;
  /** Turns the handler's result into what the template shows; the result itself by default. */
  pageModel?: (result: any, req: Request) => object;
}

/**
 * HTML clients get `template` rendered with the page model; everyone else
 * gets the handler's return value as JSON (see NegotiationInterceptor).
 */
export const View = <T>(template: string, pageModel?: (result: T, req: Request) => object) =>
  SetMetadata(VIEW_KEY, { template, pageModel } satisfies ViewSpec);
