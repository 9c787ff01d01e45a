import { ForbiddenException } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import csurf from 'csurf';
import { csrfCookieOptions } from './csrf-cookie';
import { hasAuthorization } from '../common/http/request-kind';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** JSON POSTs that neither use nor set a cookie; see isCsrfExempt. */
const JSON_WITHOUT_COOKIES = new Set(['/auth/login', '/auth/signup', '/auth/forgot', '/auth/reset', '/auth/email-change/cancel']);
/**
 * Forms on pages opened from a mailed link, served with Referrer-Policy:
 * no-referrer so the token in their URL goes nowhere. Browsers then send
 * `Origin: null` on the form's POST (Fetch, "serializing a request origin"),
 * which here means "not said", not "another site": the CSRF token decides.
 */
const NO_REFERRER_FORMS = new Set(['/auth/reset', '/auth/verify-email', '/auth/email-change/cancel']);

/**
 * csurf with its secret in a signed HttpOnly cookie; the token goes in each
 * page's <meta name="csrf-token"> and every form's hidden `_csrf` field, or in
 * an X-CSRF-Token header from page scripts. An Origin/Referer check runs
 * first as a second, independent layer (OWASP CSRF Cheat Sheet).
 *
 * CSRF abuses credentials that the browser attaches by itself: cookies. So a
 * request is exempt only when it carries no such credential, only ones it
 * states itself, which a cross-site page can neither read nor forge:
 *  - an `Authorization` header of any kind: no cookie of such a request is
 *    ever read (AuthCookies), and a cross-site page cannot set that header
 *    without a CORS preflight, which this app never grants;
 *  - the JSON login, which sets no cookies and returns tokens only to the
 *    caller, so a forged one cannot log a victim in (no login CSRF);
 *  - the API refresh, which carries its refresh token in the JSON body;
 *  - the JSON sign-up, which like the JSON login sets no cookies and returns
 *    its tokens only to the caller;
 *  - the JSON forgot-password, reset and address-change cancel: they set no
 *    cookies and act on no cookie; a reset or a cancel is proved by the link
 *    token in the body, which a cross-site page cannot know (and a forged
 *    forgot only mails the owner).
 */
export function csrfProtection(secureCookies: boolean): RequestHandler {
  const verify = csurf({ cookie: csrfCookieOptions(secureCookies), value: submittedToken });
  return (req: Request, res: Response, next: NextFunction) => {
    if (isCsrfExempt(req)) return next();
    if (!SAFE_METHODS.has(req.method) && isCrossOrigin(req)) {
      return next(new ForbiddenException('Cross-site request refused.'));
    }
    verify(req, res, (error?: unknown) => {
      // Verified and done with; removing it keeps DTOs free of a _csrf field.
      if (!error && req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
      next(error);
    });
  };
}

/**
 * Only where this app puts it: the form's `_csrf` field or the
 * X-CSRF-Token header of page scripts. csurf would also read the query
 * string, and a token in a URL ends up in logs, history and Referer headers
 * (OWASP CSRF Cheat Sheet, "Synchronizer Token Pattern").
 */
function submittedToken(req: Request): string {
  const field: unknown = (req.body as { _csrf?: unknown } | undefined)?._csrf;
  if (typeof field === 'string') return field;
  return req.get('x-csrf-token') ?? '';
}

const FORMLESS_GETS = new Set(['/healthz', '/readyz', '/.well-known/jwks.json']);

export function isCsrfExempt(req: Request): boolean {
  // AuthCookies never reads a cookie of such a request.
  if (hasAuthorization(req)) return true;
  // Probes and the JWKS render no form; without this each would be handed a new
  // CSRF secret cookie, and a cache that stores the public JWKS would hand it on.
  if (req.method === 'GET' && FORMLESS_GETS.has(req.path)) return true;
  if (req.method !== 'POST' || req.is('application/json') !== 'application/json') return false;
  if (JSON_WITHOUT_COOKIES.has(req.path)) return true;
  // The API's second login step carries its pending login in the body, like the API refresh.
  if (req.path === '/auth/2fa') return typeof (req.body as { mfa_token?: unknown })?.mfa_token === 'string';
  return req.path === '/auth/refresh' && typeof (req.body as { refresh_token?: unknown })?.refresh_token === 'string';
}

/**
 * Browsers send Origin on every cross-site POST (and Referer, which our
 * Referrer-Policy keeps for same-origin requests). Clients that send
 * neither, such as curl, still need a valid token.
 */
function isCrossOrigin(req: Request): boolean {
  const source = req.get('origin') ?? req.get('referer');
  if (!source) return false;
  if (source === 'null' && NO_REFERRER_FORMS.has(req.path)) return false;
  try {
    return new URL(source).origin !== `${req.protocol}://${req.get('host')}`;
  } catch {
    return true;
  }
}
