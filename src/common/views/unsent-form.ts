import type { Request, Response } from 'express';
import { setFlash } from './flash';

/** Never echoed back into a form, whatever its name. */
const SECRET_FIELD = /password|token|_csrf/i;

/**
 * A browser form that reached the server but could not be acted on, because
 * the login behind it had expired or its CSRF token was stale (a tab left
 * open across a log-in or log-out). Nothing was done, so nothing can be done
 * twice; the person is brought back to the form with a notice and what they
 * had typed, never the passwords (docs/architecture.md).
 */

/**
 * The page the form was on, from the Referer (which Referrer-Policy:
 * same-origin keeps for our own forms): a local path, or undefined when the
 * request came from elsewhere or said nothing.
 */
export function formPageOf(req: Request): string | undefined {
  const referer = req.get('referer');
  if (!referer || req.method !== 'POST') return undefined;
  try {
    const url = new URL(referer);
    if (url.host !== req.get('host') || url.pathname.startsWith('//')) return undefined;
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

/**
 * Expired login: keep the input for the form page and send the browser
 * through the refresh interstitial (which goes on to the log-in form when
 * there is no login left to renew), and from there back to the form.
 */
export function renewThenReturn(req: Request, res: Response, formPage: string): void {
  setFlash(res, formPage, { notice: 'formNotSent', values: typedValues(req.body) });
  res.redirect(303, `/auth/refresh?next=${encodeURIComponent(formPage)}`);
}

/** Stale CSRF token: keep the input for the form page, which the 403 page then opens with a fresh token. */
export function keepForReload(req: Request, res: Response, formPage: string): void {
  setFlash(res, formPage, { notice: 'formExpired', values: typedValues(req.body) });
}

/** What the person typed, minus secrets: to show the form again with it. */
export function typedValues(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => typeof value === 'string' && !SECRET_FIELD.test(key)));
}
