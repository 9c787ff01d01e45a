import CsrfTokens from 'csrf';
import type { CookieOptions } from 'express';

/**
 * The cookie that holds csurf's secret: signed and HttpOnly, and `__Host-`
 * in production so no sibling subdomain can plant one (RFC 6265bis §4.1.3).
 */
export function csrfCookieOptions(secure: boolean): CookieOptions & { key: string } {
  return { key: secure ? '__Host-lk_csrf' : 'lk_csrf', httpOnly: true, sameSite: 'lax', secure, signed: true, path: '/' };
}

/** A fresh secret, for replacing the cookie at login (session fixation). */
export function newCsrfSecret(): string {
  return new CsrfTokens().secretSync();
}
