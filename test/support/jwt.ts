import type { INestApplication } from '@nestjs/common';
import { createHmac, KeyObject, sign } from 'node:crypto';
import { SigningKeysService } from '../../src/keys/signing-keys.service';

/** base64url of JSON, or of a string's own text, so a test can put anything in a segment. */
export const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Builds an HS256 (or unsigned) JWT by hand, so tests can forge what an
 * attacker could: any key (their own, an old JWT_SECRET, the public key),
 * any header, any claims.
 */
export function forgeJwt(
  claims: unknown,
  key: string | Buffer,
  alg: 'HS256' | 'HS384' | 'HS512' | 'none' = 'HS256',
  header: Record<string, unknown> = {},
): string {
  const unsigned = `${b64({ alg, typ: 'JWT', ...header })}.${b64(claims)}`;
  if (alg === 'none') return `${unsigned}.`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  return `${unsigned}.${createHmac(hash, key).update(unsigned).digest('base64url')}`;
}

/** ES256 over exactly the segments given, with any P-256 private key. */
export function es256(header: Record<string, unknown>, claims: unknown, privateKey: KeyObject): string {
  const unsigned = `${b64({ alg: 'ES256', typ: 'JWT', ...header })}.${b64(claims)}`;
  // JOSE signatures are r || s (RFC 7518 §3.4), not DER.
  const signature = sign('sha256', Buffer.from(unsigned), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${unsigned}.${signature.toString('base64url')}`;
}

/** Signed with the app's current key and kid, claims exactly as given: a correctly signed token whose content a test chooses. */
export function signWithAppKey(app: INestApplication, claims: unknown, header: Record<string, unknown> = {}): string {
  const { kid, privateKey } = app.get(SigningKeysService).signer();
  return es256({ kid, ...header }, claims, privateKey);
}

/** The claims of a JWT, read without checking it. */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The header of a JWT, read without checking it. */
export function jwtHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
}
