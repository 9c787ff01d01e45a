import { createSecretKey, KeyObject } from 'node:crypto';

/**
 * JWT_SECRET as a KeyObject. Given a string, jsonwebtoken first tries to
 * parse it as a PEM public or private key, which throws, on every sign and
 * every verify: 40% of the CPU of GET /profile in the benchmark profile
 * (docs/performance.md). A KeyObject skips all of that.
 */
export function accessTokenKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}
