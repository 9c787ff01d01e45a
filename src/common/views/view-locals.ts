import type { NextFunction, Request, Response } from 'express';
import { AuthUser } from '../../auth/auth-user';

/**
 * What the layout needs on every page, as getters on res.locals: they are
 * read when a page renders (after the guards have set req.user), and never
 * cost anything on JSON responses. Registered once in configureApp, so
 * controllers and exception filters all render with the same locals.
 */
export function viewLocals(req: Request, res: Response, next: NextFunction): void {
  const user = () => req.user as AuthUser | undefined;
  Object.defineProperties(res.locals, {
    currentUser: { enumerable: true, configurable: true, get: user },
    isAdmin: { enumerable: true, configurable: true, get: () => user()?.roles.includes('admin') ?? false },
    csrfToken: { enumerable: true, configurable: true, get: () => (typeof req.csrfToken === 'function' ? req.csrfToken() : '') },
  });
  next();
}
