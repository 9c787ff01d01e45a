import { randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
/**
 * 10 characters from Crockford's base32 alphabet: 50 bits each, above the 40
 * bits that NIST SP 800-63B §5.1.2 asks of a look-up secret. It has no i, l,
 * o or u, so codes copied by hand are read back right.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 10;

/** Shown as `abcde-fghjk`; stored only as a keyed hash of its normal form. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What a person typed, in the form that was hashed: lower case, no spaces or dashes. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}
