import type { NextFunction, Request, Response } from 'express';

/**
 * What the layout needs on every page, as getters on res.locals: they are
 * read when a page renders (after the guards have set req.user), and never
 * cost anything on JSON responses. Registered once in configureApp, so
 * controllers and exception filters all render with the same locals.
 */
/** The part of the caller that the layout shows; whoever authenticates sets req.user. */
interface Viewer {
  username: string;
  roles: readonly string[];
}

export function viewLocals(req: Request, res: Response, next: NextFunction): void {
  const user = () => req.user as Viewer | undefined;
  Object.defineProperties(res.locals, {
    currentUser: { enumerable: true, configurable: true, get: user },
    isAdmin: { enumerable: true, configurable: true, get: () => user()?.roles.includes('admin') ?? false },
    csrfToken: { enumerable: true, configurable: true, get: () => (typeof req.csrfToken === 'function' ? req.csrfToken() : '') },
  });
  next();
}
