import { createHash } from 'node:crypto';
import { AuthUser } from '../auth-user';

/** Enough for every live token of a busy instance over one access-token lifetime; the oldest go first past it. */
const MAX_ENTRIES = 10_000;

interface Verified {
  user: AuthUser;
  kid: string;
  expiresAtMs: number;
}

/**
 * Access tokens this instance has already verified, so a token sent again
 * (every request of a page, every call of an API client) costs a hash and a
 * map look-up rather than an ES256 verification, about 300–400 µs here
 * (docs/performance.md). The answer for the same bytes can change only
 * when the token expires or its key is retired, and both are checked on
 * every hit, so a hit answers exactly as a full verification would. The
 * key is the token's SHA-256, so the map holds no usable token.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Verified>();

  /** The user of a token verified before, if it is still unexpired and its key still verifies. */
  get(token: string, keyIsLive: (kid: string) => boolean): AuthUser | undefined {
    const id = digest(token);
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    if (hit.expiresAtMs > Date.now() && keyIsLive(hit.kid)) return hit.user;
    this.entries.delete(id);
    return undefined;
  }

  remember(token: string, kid: string, expSeconds: number, user: AuthUser): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(digest(token), { user, kid, expiresAtMs: expSeconds * 1000 });
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
