import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { DataKeys } from './data-keys';
import { FactorClaims } from './factor-claims';
import { MfaErrors } from './mfa.errors';

/** Long enough to find the phone, short enough that a stolen one is soon worthless. */
export const PENDING_LOGIN_TTL_MS = 5 * 60_000;

export interface PendingLogin {
  id: string;
  userId: string;
  /** The login form's "keep me logged in", carried to the real login. */
  persistent: boolean;
  expiresAt: number;
}

/**
 * The state between a right password and a right second factor: a signed
 * token (HMAC-SHA-256 under a key of its own) naming the user, never a
 * session. It proves the password and nothing more: no refresh or access
 * token exists until the second factor is given, and it is spent (claimed)
 * by the login it completes.
 */
@Injectable()
export class PendingLogins {
  constructor(
    private readonly keys: DataKeys,
    private readonly claims: FactorClaims,
  ) {}

  issue(userId: string, persistent: boolean): string {
    const pending: PendingLogin = {
      id: randomBytes(16).toString('base64url'),
      userId,
      persistent,
      expiresAt: Date.now() + PENDING_LOGIN_TTL_MS,
    };
    const body = Buffer.from(JSON.stringify(pending)).toString('base64url');
    return `${body}.${this.keys.mac('pending-login', body)}`;
  }

  /** The pending login a token stands for, while it is unexpired and unspent. */
  async open(token: unknown): Promise<PendingLogin> {
    const pending = this.parse(token);
    if (!pending || pending.expiresAt <= Date.now() || (await this.claims.exists(this.claimId(pending)))) {
      throw new AppError(MfaErrors.PENDING_LOGIN_INVALID);
    }
    return pending;
  }

  /** Spends it; false when another request spent it first. */
  spend(pending: PendingLogin): Promise<boolean> {
    return this.claims.claim(this.claimId(pending), { ttlMs: Math.max(0, pending.expiresAt - Date.now()) + 60_000 });
  }

  remainingMs(pending: PendingLogin): number {
    return Math.max(1000, pending.expiresAt - Date.now());
  }

  private parse(token: unknown): PendingLogin | null {
    if (typeof token !== 'string' || token.length > 1024) return null;
    const [body, mac] = token.split('.');
    if (!body || !mac || !this.keys.macMatches('pending-login', body, mac)) return null;
    try {
      const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as PendingLogin;
      return typeof value.id === 'string' && typeof value.userId === 'string' && typeof value.expiresAt === 'number' ? value : null;
    } catch {
      return null;
    }
  }

  private claimId(pending: PendingLogin): string {
    return `pending:${pending.id}`;
  }
}
