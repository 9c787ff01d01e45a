import { Provider } from '@nestjs/common';
import type { Request } from 'express';
import { SIGN_IN_REDIRECT, SignInRedirect } from '../common/filters/sign-in-redirect';
import { AuthCookies } from './auth-cookies';

/**
 * A browser that still holds an (expired) access cookie was logged in and
 * may have a valid refresh token, which only /auth can see; the
 * interstitial there refreshes or, failing that, goes on to the login form.
 */
export const signInRedirectProvider: Provider = {
  provide: SIGN_IN_REDIRECT,
  inject: [AuthCookies],
  useFactory:
    (cookies: AuthCookies): SignInRedirect =>
    (req: Request) => {
      const next = encodeURIComponent(req.originalUrl);
      return cookies.accessToken(req) ? `/auth/refresh?next=${next}` : `/auth/login?next=${next}`;
    },
};
