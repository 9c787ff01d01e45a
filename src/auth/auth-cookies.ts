import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CookieOptions, Request, Response } from 'express';
import { isIP } from 'node:net';
import { AppConfig } from '../config/env.validation';
import { csrfCookieOptions, newCsrfSecret } from '../security/csrf-cookie';
import { CredentialCookies } from '../security/duplicate-cookies';
import { newDeviceCookie } from '../security/throttling/login-throttle';
import { TokenPair } from './token-response';
import { hasAuthorization } from '../common/http/request-kind';

/** How long a browser that logged in stays exempt from lockouts that strangers trigger. */
const DEVICE_COOKIE_DAYS = 180;

/** What the cookies carry; the access token's lifetime is inside the JWT itself. */
export type CookieSession = Omit<TokenPair, 'expiresIn'>;

/**
 * The names and options of the login's cookies: access, refresh, the CSRF
 * secret (its options from security/csrf-cookie.ts) and the device cookie
 * (docs/http.md). Not every cookie: the notice cookie is made in
 * common/views/flash.ts and the pending second-factor login in
 * mfa/pending-login.cookie.ts.
 *
 * The access cookie deliberately outlives the JWT inside it: an expired token
 * still in the jar tells the server that this browser was logged in, so a
 * protected page can send it to the refresh interstitial instead of the
 * login form. The refresh cookie itself is confined to /auth and is never
 * sent to other pages.
 */
@Injectable()
export class AuthCookies implements CredentialCookies {
  readonly accessName: string;
  readonly refreshName: string;
  readonly csrfName: string;
  /** Earned by a successful login; see security/throttling/login-throttle.ts. */
  readonly deviceName: string;
  private readonly secure: boolean;

  constructor(config: ConfigService<AppConfig, true>) {
    this.secure = config.get('isProduction', { infer: true });
    // __Host- pins a cookie to this host, path / and Secure (RFC 6265bis §4.1.3);
    // the refresh cookie has Path=/auth, so it can only be __Secure-.
    this.accessName = this.secure ? '__Host-lk_access' : 'lk_access';
    this.refreshName = this.secure ? '__Secure-lk_refresh' : 'lk_refresh';
    this.csrfName = csrfCookieOptions(this.secure).key;
    this.deviceName = this.secure ? '__Host-lk_device' : 'lk_device';
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
    // The browser of a completed login, second factor included, is exempt from
    // the lockout strangers cause. API clients get no cookies at login.
    this.setDevice(res, newDeviceCookie(session.userId));
  }

  /** Outlives logins and logouts on purpose: it vouches for the browser, not for a session. */
  private setDevice(res: Response, value: string): void {
    res.cookie(this.deviceName, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure,
      path: '/',
      signed: true,
      maxAge: DEVICE_COOKIE_DAYS * 86_400_000,
    });
  }

  /** The device cookie's value when its signature holds. */
  device(req: Request): string | undefined {
    const value: unknown = hasAuthorization(req) ? undefined : req.signedCookies?.[this.deviceName];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** The cookies whose duplicates are refused (security/duplicate-cookies.ts). */
  get credentialNames(): string[] {
    return [this.accessName, this.refreshName, this.csrfName];
  }

  /**
   * Deletes every copy of the credential cookies this request could have
   * carried: a cookie is only deleted by a Set-Cookie with its own Path and
   * Domain, so one per path the request's path lies under, host-only and for
   * each parent domain. `__Host-` cookies have Path=/ and no Domain by
   * definition, so one deletion covers them.
   */
  clearEverywhere(req: Request, res: Response): void {
    const paths = pathPrefixes(req.path);
    const domains = [undefined, ...parentDomains(req.hostname ?? '')];
    for (const name of this.credentialNames) {
      const hostOnly = name.startsWith('__Host-');
      for (const path of hostOnly ? ['/'] : paths) {
        for (const domain of hostOnly ? [undefined] : domains) {
          res.clearCookie(name, { path, domain, secure: this.secure, httpOnly: true });
        }
      }
    }
  }

  clear(res: Response): void {
    res.clearCookie(this.accessName, this.accessOptions());
    res.clearCookie(this.refreshName, this.refreshOptions());
  }

  /**
   * A request that brings an Authorization header of any kind is
   * authenticated by that header or not at all: its cookies are never read.
   * That is what makes such a request safe to exempt from CSRF checks, even
   * when its header holds no usable token ("Bearer\u00a0").
   */
  accessToken(req: Request): string | undefined {
    return hasAuthorization(req) ? undefined : stringCookie(req, this.accessName);
  }

  refreshToken(req: Request): string | undefined {
    return hasAuthorization(req) ? undefined : stringCookie(req, this.refreshName);
  }

  private accessOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' };
  }

  private refreshOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/auth' };
  }
}

/** `/auth/refresh` → `/`, `/auth`, `/auth/refresh` (at most five, whatever the request). */
function pathPrefixes(path: string): string[] {
  const segments = path.split('/').filter(Boolean).slice(0, 4);
  return ['/', ...segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`)];
}

/** `a.b.example.com` → itself, `b.example.com`, `example.com`; nothing for an IP address or a one-label name. */
function parentDomains(host: string): string[] {
  if (isIP(host) || !host.includes('.')) return [];
  const labels = host.split('.').slice(-5);
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}

function stringCookie(req: Request, name: string): string | undefined {
  const value: unknown = req.cookies?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
