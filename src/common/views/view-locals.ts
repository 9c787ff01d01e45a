import type { Request, Response } from 'express';
import { AuthUser } from '../../auth/auth-user';

/**
 * What the layout needs on every page. The CSRF token is a getter so it is
 * only computed when a page is actually rendered, never for JSON.
 */
export function exposeViewLocals(req: Request, res: Response): void {
  const user = req.user as AuthUser | undefined;
  res.locals.currentUser = user;
  res.locals.isAdmin = user?.roles.includes('admin') ?? false;
  if (!Object.getOwnPropertyDescriptor(res.locals, 'csrfToken')) {
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      get: () => (typeof req.csrfToken === 'function' ? req.csrfToken() : ''),
    });
  }
}
