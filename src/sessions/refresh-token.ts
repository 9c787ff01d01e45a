import { createHash, randomBytes } from 'node:crypto';

/**
 * A refresh token is `<familyId>.<secret>`: the family id finds the session
 * with one indexed read, and the 256-bit secret is what proves possession.
 * Only a SHA-256 of the secret is stored; a fast hash is enough for a value
 * with 256 bits of entropy (unlike a password).
 */
const ID_BYTES = 16;
const SECRET_BYTES = 32;
const PART = /^[A-Za-z0-9_-]+$/;

export interface ParsedRefreshToken {
  familyId: string;
  secretHash: string;
}

export function newFamilyId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

export function newRefreshToken(familyId: string): { token: string; secretHash: string } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { token: `${familyId}.${secret}`, secretHash: hashSecret(secret) };
}

export function parseRefreshToken(token: unknown): ParsedRefreshToken | null {
  if (typeof token !== 'string' || token.length > 128) return null;
  const [familyId, secret, extra] = token.split('.');
  if (extra !== undefined || !familyId || !secret || !PART.test(familyId) || !PART.test(secret)) return null;
  return { familyId, secretHash: hashSecret(secret) };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
