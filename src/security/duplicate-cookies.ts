import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hasAuthorization } from '../common/http/request-kind';

/** The cookies that carry a login, and how to remove every copy a browser may hold. */
export interface CredentialCookies {
  readonly credentialNames: readonly string[];
  clearEverywhere(req: Request, res: Response): void;
}

export const DUPLICATE_COOKIES_MESSAGE =
  'Your browser sent two login cookies with the same name, which happens when another site plants one. ' +
  'They have been cleared: please log in again.';

/**
 * Cookie tossing: a sibling subdomain can plant a cookie with the name of
 * ours (a `__Secure-` cookie may carry a Domain attribute) on a longer Path,
 * which browsers send first; cookie-parser keeps the first, so the server
 * would act on the attacker's token, logging the victim into the
 * attacker's account. Two copies of a credential cookie cannot be told
 * apart, so a request that carries two is refused, before anything reads
 * either, and every copy the server can name is cleared. A request with an
 * Authorization header reads no cookie (AuthCookies) and is left alone.
 */
export function refuseDuplicateCookies(cookies: CredentialCookies): RequestHandler {
  const watched = new Set(cookies.credentialNames);
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.cookie;
    if (!header || hasAuthorization(req)) return next();
    const seen = new Set<string>();
    for (const pair of header.split(';')) {
      const name = pair.slice(0, pair.includes('=') ? pair.indexOf('=') : undefined).trim();
      if (!watched.has(name)) continue;
      if (seen.has(name)) {
        cookies.clearEverywhere(req, res);
        return next(new BadRequestException(DUPLICATE_COOKIES_MESSAGE));
      }
      seen.add(name);
    }
    next();
  };
}
