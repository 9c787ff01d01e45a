import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '../config/env.validation';
import { csrfCookieOptions, newCsrfSecret } from '../security/csrf-cookie';
import { TokenPair } from './token-response';

/** What the cookies carry; the access token's lifetime is inside the JWT itself. */
export type CookieSession = Omit<TokenPair, 'expiresIn'>;

/**
 * Every cookie name and option in one place (docs/http.md, "Cookies").
 *
 * The access cookie deliberately outlives the JWT inside it: an expired token
 * still in the jar tells the server that this browser was logged in, so a
 * protected page can send it to the refresh interstitial instead of the
 * login form. The refresh cookie itself is confined to /auth and is never
 * sent to other pages.
 */
@Injectable()
export class AuthCookies {
  readonly accessName: string;
  readonly refreshName: string;
  readonly csrfName: string;
  private readonly secure: boolean;

  constructor(config: ConfigService<AppConfig, true>) {
    this.secure = config.get('isProduction', { infer: true });
    // __Host- pins a cookie to this host, path / and Secure (RFC 6265bis §4.1.3);
    // the refresh cookie has Path=/auth, so it can only be __Secure-.
    this.accessName = this.secure ? '__Host-lk_access' : 'lk_access';
    this.refreshName = this.secure ? '__Secure-lk_refresh' : 'lk_refresh';
    this.csrfName = csrfCookieOptions(this.secure).key;
  }

  set(res: Response, session: CookieSession): void {
    const maxAge = session.persistent ? Math.max(0, session.refreshExpiresAt.getTime() - Date.now()) : undefined;
    res.cookie(this.accessName, session.accessToken, { ...this.accessOptions(), maxAge });
    res.cookie(this.refreshName, session.refreshToken, { ...this.refreshOptions(), maxAge });
  }

  /**
   * At a login, every cookie planted before it is replaced, the CSRF secret
   * included, so nothing an attacker fixed in advance survives (session
   * fixation, ASVS 7.2.4). Older forms in other tabs must be reloaded.
   */
  setForNewLogin(res: Response, session: CookieSession): void {
    this.set(res, session);
    const { key, ...options } = csrfCookieOptions(this.secure);
    res.cookie(key, newCsrfSecret(), options);
  }

  clear(res: Response): void {
    res.clearCookie(this.accessName, this.accessOptions());
    res.clearCookie(this.refreshName, this.refreshOptions());
  }

  accessToken(req: Request): string | undefined {
    return stringCookie(req, this.accessName);
  }

  refreshToken(req: Request): string | undefined {
    return stringCookie(req, this.refreshName);
  }

  private accessOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' };
  }

  private refreshOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/auth' };
  }
}

function stringCookie(req: Request, name: string): string | undefined {
  const value: unknown = req.cookies?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
