import type { CookieOptions, Request, Response } from 'express';
import { wantsHtml } from '../http/request-kind';
import { COPY } from './copy';

export type NoticeKey = keyof typeof COPY.notices;

/** A one-time message for the next page, and optionally what the person had typed. */
export interface Flash {
  notice: NoticeKey;
  /** Fills `{name}` in the notice. */
  params?: Record<string, string>;
  /** Non-secret form input to show again (see typedValues in unsent-form.ts). */
  values?: Record<string, string>;
}

const COOKIE = 'lk_flash';
/** Long enough for a redirect, a renewal or a log-in and the page after it; short enough never to surprise anyone later. */
const MAX_AGE_MS = 5 * 60_000;
/** A cookie holds about 4 kB; kept input beyond this is dropped rather than the notice. */
const MAX_VALUES_BYTES = 2_000;

/**
 * The cookie is addressed to the page that shows it (its Path), so a page on
 * the way there, such as the refresh interstitial, neither sees nor uses it.
 */
const options = (req: Request, path: string): CookieOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure: req.secure,
  signed: true,
  path,
});

/**
 * Post/Redirect/Get with a message (GOV.UK's "flash"): a POST handler calls
 * this, answers 303 to `page`, and that page shows the notice once. A signed
 * cookie rather than a query parameter, so nobody can make the site say
 * something in a link, and the notice survives any redirect chain. Only
 * browsers get it; API clients have their status and body.
 */
export function setFlash(res: Response, page: string, flash: Flash): void {
  const req = res.req;
  if (!wantsHtml(req)) return;
  const path = new URL(page, 'http://latchkey.invalid').pathname;
  const values = flash.values && Buffer.byteLength(JSON.stringify(flash.values)) <= MAX_VALUES_BYTES ? flash.values : undefined;
  res.cookie(COOKIE, JSON.stringify({ ...flash, values, path }), { ...options(req, path), maxAge: MAX_AGE_MS });
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
  try {
    const flash = JSON.parse(raw) as Flash & { path?: string };
    if (!res.headersSent && typeof flash.path === 'string') res.clearCookie(COOKIE, options(req, flash.path));
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
