import type { CookieOptions, Request, Response } from 'express';
import { COPY } from './copy';

export type NoticeKey = keyof typeof COPY.notices;

/** A one-time message for the next page, and optionally what the person had typed. */
export interface Flash {
  notice: NoticeKey;
  /** Fills `{name}` in the notice. */
  params?: Record<string, string>;
  /** Non-secret form input to show again (see typedValues in form-page.ts). */
  values?: Record<string, string>;
}

const COOKIE = 'lk_flash';
/** Long enough for a redirect and the page after it, short enough never to surprise anyone later. */
const MAX_AGE_MS = 60_000;
/** A cookie holds about 4 kB; kept input beyond this is dropped rather than the notice. */
const MAX_VALUES_BYTES = 2_000;

const options = (req: Request): CookieOptions => ({ httpOnly: true, sameSite: 'lax', secure: req.secure, signed: true, path: '/' });

/**
 * Post/Redirect/Get with a message: the POST handler calls this, answers
 * 303, and the page it redirects to shows the notice once (GOV.UK "flash"
 * pattern). A signed cookie rather than a query parameter, so that nobody can
 * make the site say something in a link, and so that the notice and the
 * typed input survive any redirect chain (the refresh interstitial included).
 */
export function setFlash(req: Request, res: Response, flash: Flash): void {
  const values = flash.values && Buffer.byteLength(JSON.stringify(flash.values)) <= MAX_VALUES_BYTES ? flash.values : undefined;
  res.cookie(COOKIE, JSON.stringify({ ...flash, values }), { ...options(req), maxAge: MAX_AGE_MS });
}

export interface FlashView {
  notice: string;
  values: Record<string, string>;
}

/**
 * Reads and clears the flash; called while a page renders (view-locals), so
 * a JSON response or a redirect never uses it up.
 */
export function takeFlash(req: Request, res: Response): FlashView | undefined {
  const raw: unknown = req.signedCookies?.[COOKIE];
  if (typeof raw !== 'string') return undefined;
  if (!res.headersSent) res.clearCookie(COOKIE, options(req));
  try {
    const flash = JSON.parse(raw) as Flash;
    const template: string | undefined = COPY.notices[flash.notice];
    if (!template) return undefined;
    const params = flash.params ?? {};
    return {
      notice: template.replace(/\{(\w+)\}/g, (whole, key: string) => (typeof params[key] === 'string' ? params[key] : whole)),
      values: isStringRecord(flash.values) ? flash.values : {},
    };
  } catch {
    return undefined;
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
