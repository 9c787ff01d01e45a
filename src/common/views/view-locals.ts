import type { Request, Response } from 'express';

/**
 * What the layout needs on every page. The CSRF token is a getter so it is
 * only computed when a page is actually rendered, never for JSON.
 */
export function exposeViewLocals(req: Request, res: Response): void {
  res.locals.currentUser = req.user;
  if (!Object.getOwnPropertyDescriptor(res.locals, 'csrfToken')) {
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      get: () => (typeof req.csrfToken === 'function' ? req.csrfToken() : ''),
    });
  }
}
