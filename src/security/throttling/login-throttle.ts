import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig, RateLimit } from '../../config/env.validation';
import { loginLookup } from '../../users/identity';
import { SecurityEventFields, SecurityEvents } from '../security-events';
import { LoginBackoff } from './login-backoff';
import { TooManyAttempts } from './too-many-attempts';

/** The request header in which an API client sends back the `device_token` its last login earned. */
export const DEVICE_TOKEN_HEADER = 'Device-Token';

/** Which count a login attempt went to: its device's, or its account's. */
export interface LoginAttempt {
  bucket: string;
}

const OBJECT_ID = /^[a-f0-9]{24}$/;
const DEVICE_NONCE = /^[A-Za-z0-9_-]{22}$/;

/**
 * The per-account login limit (RATE_LIMIT_PER_ACCOUNT), with OWASP's device
 * cookies so that strangers cannot lock an account's owner out
 * (OWASP "Slow Down Online Guessing Attacks with Device Cookies"; ASVS 5.0
 * 6.3.1 warns against lockouts anyone can trigger).
 *
 * - A browser earns a device cookie by logging in successfully: the account
 *   id and a random nonce, signed with COOKIE_SECRET (a cookie-parser signed
 *   cookie; the name and options are in AuthCookies).
 * - A login attempt that brings a valid device cookie for the account it
 *   names counts against that device only. Strangers exhausting the
 *   account's count do not affect it.
 * - Every other attempt counts against the account, as before: whoever
 *   does not know the password gets RATE_LIMIT_PER_ACCOUNT guesses per
 *   window, however many IPs they use, and a device cookie earned on their
 *   own account buys nothing on another.
 * - An API client has no cookie jar: its completed login answers with a
 *   `device_token` instead, the same account id and nonce with an HMAC
 *   (COOKIE_SECRET), which it sends back in the Device-Token header. It
 *   earns the same exemption, in a count of its own, on the same terms.
 *
 * The account is the one the identifier resolves to, so its username and
 * its email share one count. An identifier that names no account counts
 * under its normalised form, with the same limit, the same answers and the
 * same single look-up, so the count does not reveal whether an account
 * exists. Nothing about these counts is sent back in headers: they include
 * other people's attempts.
 */
@Injectable()
export class LoginThrottle {
  private readonly limit: RateLimit;
  private readonly tokenKey: Buffer;

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly backoff: LoginBackoff,
    private readonly events: SecurityEvents,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limit = config.get('rateLimitPerAccount', { infer: true });
    // A key of its own, so a device token's MAC can never pass for a cookie signature or the reverse.
    this.tokenKey = createHmac('sha256', config.get('cookieSecret', { infer: true }))
      .update('latchkey device token')
      .digest();
  }

  /** A device token for a client that has just completed a login to this account. */
  newDeviceToken(accountId: string): string {
    const device = newDeviceCookie(accountId);
    return `${device}.${this.mac(device)}`;
  }

  /** The device a Device-Token header names, in the device cookie's form, when its MAC holds. */
  deviceFromToken(token: string | undefined): string | undefined {
    const cut = token?.lastIndexOf('.') ?? -1;
    if (!token || cut < 0) return undefined;
    const device = token.slice(0, cut);
    const mac = Buffer.from(token.slice(cut + 1));
    const expected = Buffer.from(this.mac(device));
    return mac.length === expected.length && timingSafeEqual(mac, expected) ? device : undefined;
  }

  /**
   * Counts an attempt before any password work; throws TooManyAttempts (429)
   * past the limit. `accountId`: the account `identifier` names, or null;
   * `devices`: what the request's device cookie and device token name
   * (either may be missing), of which only one for this account counts.
   */
  async admit(accountId: string | null, identifier: string, devices: (string | undefined)[], ip: string): Promise<LoginAttempt> {
    const device = devices.map(parseDevice).find((named) => accountId && named?.accountId === accountId);
    const bucket =
      accountId && device
        ? `device:${device.nonce}`
        : accountId
          ? accountBucket(accountId)
          : `typed:${JSON.stringify(loginLookup(identifier))}`;
    await this.count(bucket, { ip, reason: `POST /auth/login per ${bucket.split(':')[0]}` });
    return { bucket };
  }

  /**
   * Counts a current password that a logged-in action is about to check
   * (CurrentPasswordCheck) against the account, never a device: whoever
   * guesses behind a stolen login gets no more tries than a stranger at the
   * login form, and shares them with every stranger there.
   */
  async admitCurrentPassword(accountId: string): Promise<LoginAttempt> {
    const bucket = accountBucket(accountId);
    await this.count(bucket, { userId: accountId, reason: 'current password per account' });
    return { bucket };
  }

  /** A wrong password: slows the next answers for the same count (LoginBackoff). */
  failed(attempt: LoginAttempt): Promise<void> {
    return this.backoff.failed(hashed(attempt.bucket));
  }

  private mac(device: string): string {
    return createHmac('sha256', this.tokenKey).update(device).digest('base64url');
  }

  /** One atomic increment of the storage (a Lua script in Redis), so parallel attempts cannot all slip under the limit. */
  private async count(bucket: string, event: SecurityEventFields): Promise<void> {
    const { windowMs, limit } = this.limit;
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(hashed(bucket), windowMs, limit, windowMs, 'login');
    if (isBlocked) {
      this.events.record('throttled', event);
      throw new TooManyAttempts(timeToBlockExpire);
    }
  }
}

/** A new device cookie value, for a browser that has just logged in to this account. */
export function newDeviceCookie(accountId: string): string {
  return `${accountId}.${randomBytes(16).toString('base64url')}`;
}

function accountBucket(accountId: string): string {
  return `account:${accountId}`;
}

function parseDevice(value: string | undefined): { accountId: string; nonce: string } | undefined {
  const [accountId, nonce, ...rest] = (value ?? '').split('.');
  if (rest.length > 0 || !OBJECT_ID.test(accountId) || !DEVICE_NONCE.test(nonce ?? '')) return undefined;
  return { accountId, nonce };
}

/** Counts are kept under a hash, so Redis never holds a typed email address or username. */
function hashed(bucket: string): string {
  return createHash('sha256').update(bucket).digest('base64url');
}
