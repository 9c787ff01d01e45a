/**
 * Canonical forms for the names people log in with.
 *
 * NFKC folds compatibility look-alikes (full-width "ａlice", ligatures) and
 * composes decomposed accents, so the stored *key* is the same for every way
 * of typing one name. Usernames are then restricted to ASCII, which also rules
 * out cross-script confusables (Cyrillic "а" for Latin "a") that NFKC keeps
 * apart; see docs/security.md.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;

export function canonicalUsername(input: string): string {
  return input.normalize('NFKC').trim();
}

export function usernameKey(input: string): string {
  return canonicalUsername(input).toLowerCase();
}

export function canonicalEmail(input: string): string {
  return input.normalize('NFKC').trim();
}

/** Control characters (CR, LF, NUL…), invisible formatting (bidi overrides, zero-width) and line separators. */
const INVISIBLE_CONTROLS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

export function hasInvisibleControls(input: string): boolean {
  return INVISIBLE_CONTROLS.test(input);
}

/**
 * The whole address is compared without case. RFC 5321 lets the local part be
 * case-sensitive, but no mainstream provider does that, and two accounts for
 * "Bob@x" and "bob@x" would be a support nightmare.
 */
export function emailKey(input: string): string {
  return canonicalEmail(input).toLowerCase();
}

/** A login identifier is an email when it has an @ (after NFKC, so "＠" counts), a username otherwise. */
export function loginLookup(identifier: string): { emailKey: string } | { usernameKey: string } {
  return identifier.normalize('NFKC').includes('@') ? { emailKey: emailKey(identifier) } : { usernameKey: usernameKey(identifier) };
}

/**
 * The `_id` of the identity document that reserves a name (see
 * schemas/identity.schema.ts): one namespace per kind, so a username can never
 * collide with an email.
 */
export function identityId(kind: 'username' | 'email', key: string): string {
  return `${kind}:${key}`;
}
