import { dictionary } from '@zxcvbn-ts/language-common';

/** NIST SP 800-63B §3.1.1.2: at least 8 characters, and room for passphrases. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 64;
/** bcrypt reads only the first 72 bytes and silently ignores the rest (ASVS 6.2.8). */
export const PASSWORD_MAX_BYTES = 72;

/**
 * A longer password is refused rather than truncated: at sign-up by
 * validation, and at login at the cost of a full bcrypt comparison.
 */
export function fitsBcrypt(password: string): boolean {
  return Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES;
}

/** The first thing a guesser tries; compared without case, as people type it. */
export function isUsernameAsPassword(password: string, username: string): boolean {
  return password.toLowerCase() === username.toLowerCase();
}

/**
 * The ~49,000 most common passwords that zxcvbn-ts ships (MIT), kept in
 * memory: no network call, as ASVS 6.2.4 and 6.2.12 ask. Built on first use
 * so processes that never check a password never pay for it.
 */
let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}
