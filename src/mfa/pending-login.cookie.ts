import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '../config/env.validation';
import { PENDING_LOGIN_TTL_MS } from './pending-logins';

/**
 * Carries a browser's pending login from the password form to /auth/2fa.
 * HttpOnly and confined to /auth like the refresh cookie; it is not a
 * session (no access or refresh cookie is set until the code is right), and
 * it names no token that any other route accepts.
 */
@Injectable()
export class PendingLoginCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(config: ConfigService<AppConfig, true>) {
    this.secure = config.get('isProduction', { infer: true });
    this.name = this.secure ? '__Secure-lk_mfa' : 'lk_mfa';
  }

  set(res: Response, token: string): void {
    res.cookie(this.name, token, { ...this.options(), maxAge: PENDING_LOGIN_TTL_MS });
  }

  clear(res: Response): void {
    res.clearCookie(this.name, this.options());
  }

  read(req: Request): string | undefined {
    const value: unknown = req.cookies?.[this.name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  private options(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/auth' };
  }
}
