import type { Request } from 'express';

/** Browsers ask for text/html; curl and fetch() without an Accept header do not (docs/http.md: GET /profile). */
export function wantsHtml(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/** An API client that sends JSON gets JSON back, whatever it accepts. */
export function sentJson(req: Request): boolean {
  return req.is('application/json') === 'application/json';
}

/**
 * A request with an Authorization header is authenticated by it alone: no
 * credential cookie of it is read, so CSRF and cookie checks do not apply.
 * One rule, kept by AuthCookies, the CSRF middleware and the duplicate-cookie check.
 */
export function hasAuthorization(req: Request): boolean {
  return req.headers.authorization !== undefined;
}

export interface ClientInfo {
  userAgent: string;
  ip: string;
}

/**
 * `req.ip` honours TRUST_PROXY, so behind a proxy this is the real client.
 * IPv4 clients of a dual-stack socket appear as `::ffff:1.2.3.4`; people
 * recognise the plain form.
 */
export function clientInfo(req: Request): ClientInfo {
  return { userAgent: req.get('user-agent') ?? '', ip: (req.ip ?? '').replace(/^::ffff:(?=\d+\.)/, '') };
}
