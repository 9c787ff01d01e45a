import type { NextFunction, Request, Response } from 'express';
import { FlashView, takeFlash } from './flash';
import { navigation } from './navigation';

/** The part of the caller that the layout shows; whoever authenticates sets req.user. */
interface Viewer {
  username: string;
  roles: readonly string[];
}

/**
 * What the layout needs on every page, as getters on res.locals: they are
 * read when a page renders (after the guards have set req.user), and never
 * cost anything on JSON responses. Registered once in configureApp, so
 * controllers and exception filters all render with the same locals.
 */
export function viewLocals(req: Request, res: Response, next: NextFunction): void {
  const user = () => req.user as Viewer | undefined;
  const isAdmin = () => user()?.roles.includes('admin') ?? false;
  let flash: FlashView | undefined | null = null;
  const readFlash = () => (flash === null ? (flash = takeFlash(req, res)) : flash);
  Object.defineProperties(res.locals, {
    currentUser: { enumerable: true, configurable: true, get: user },
    csrfToken: { enumerable: true, configurable: true, get: () => (typeof req.csrfToken === 'function' ? req.csrfToken() : '') },
    /** The notice left by the previous POST (flash.ts), shown once by the layout. */
    notice: { enumerable: true, configurable: true, get: () => readFlash()?.notice },
    /** What the person had typed before a renewal or an expired form, for the page's form. */
    restored: { enumerable: true, configurable: true, get: () => readFlash()?.values ?? {} },
    navLinks: {
      enumerable: true,
      configurable: true,
      get: () => navigation(req.path, { signedIn: Boolean(user()), isAdmin: isAdmin() }),
    },
  });
  next();
}
