import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either way absorbs clock drift (RFC 6238 §5.2) without widening guessing much. */
const DRIFT_STEPS = 1;
/** 160 bits, the HMAC-SHA-1 output size that RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;
const ISSUER = 'Latchkey';

export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

function totp(secretBase32: string, account = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: account,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The `otpauth://totp/…` URI an authenticator app scans (Key Uri Format). */
export function totpUri(secretBase32: string, account: string): string {
  return totp(secretBase32, account).toString();
}

export function stepAt(timeMs: number): number {
  return Math.floor(timeMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for a time; for tests and for nothing else in the app. */
export function totpCode(secretBase32: string, timeMs: number): string {
  return totp(secretBase32).generate({ timestamp: timeMs });
}

/**
 * The time step a code belongs to, within one step of `now`, or null. The
 * step, not the code, is what is spent: see SecondFactorService.spendTotp.
 */
export function matchingStep(secretBase32: string, code: string, nowMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: nowMs, window: DRIFT_STEPS });
  return delta === null ? null : stepAt(nowMs) + delta;
}

/** Six digits, ignoring the spaces and dashes people type or paste. */
export function looksLikeTotp(input: string): boolean {
  return /^\d{6}$/.test(input.replace(/[\s-]/g, ''));
}
