import { createHash, createPrivateKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import type { Model } from 'mongoose';
import { DataKeys } from '../mfa/data-keys';
import { SigningKey } from './signing-key.schema';

export const SIGNING_ALGORITHM = 'ES256';
/** Every instance rereads the keys this often: a rotation or retirement reaches them all within it. */
export const RELOAD_INTERVAL_MS = 60_000;

/** A public JWK as the JWKS publishes it (RFC 7517 §4, RFC 7518 §6.2). */
export interface PublishedJwk {
  kid: string;
  kty: string;
  crv: string;
  x: string;
  y: string;
  alg: typeof SIGNING_ALGORITHM;
  use: 'sig';
}

export class RetireRefused extends Error {}

/**
 * The signing keys in the database, shared by the app and the `keys:*`
 * commands (which have no Nest and no configuration beyond MONGODB_URI and
 * DATA_ENCRYPTION_KEY, so a rotation never depends on the app's other secrets).
 */
export class SigningKeyStore {
  constructor(
    private readonly keys: Model<SigningKey>,
    private readonly dataKeys: DataKeys,
  ) {}

  list(): Promise<SigningKey[]> {
    return this.keys.find().lean<SigningKey[]>().exec();
  }

  /**
   * A new key, which becomes the current one. Two instances that both create
   * one at once (a first start, an automatic rotation) both succeed; every
   * instance then agrees on the newer one (currentOf), and the other still
   * verifies whatever it signed meanwhile.
   */
  async create(now = new Date()): Promise<SigningKey> {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicJwk = publicKey.export({ format: 'jwk' });
    const kid = thumbprint(publicJwk);
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const key: SigningKey = {
      _id: kid,
      alg: SIGNING_ALGORITHM,
      publicJwk,
      sealedPrivateKey: this.dataKeys.encrypt(pem, kid, 'signing-key'),
      createdAt: now,
    };
    await this.keys.create(key);
    return key;
  }

  /**
   * Deletes a key that no longer signs. The current key is refused, and so is
   * one replaced so recently that an instance that has not reloaded yet may
   * still sign with it.
   */
  async retire(kid: string, stillSigningMs: number, now = Date.now()): Promise<void> {
    const keys = await this.list();
    const key = keys.find((k) => k._id === kid);
    if (!key) throw new RetireRefused(`no signing key has the id "${kid}"`);
    const replacedAt = replacedAtOf(keys, key);
    if (replacedAt === undefined) throw new RetireRefused(`"${kid}" is the current signing key: run keys:rotate first`);
    const wait = replacedAt.getTime() + stillSigningMs - now;
    if (wait > 0) throw new RetireRefused(`"${kid}" may still sign for ${Math.ceil(wait / 1000)} s, until every instance has reloaded`);
    await this.keys.deleteOne({ _id: kid }).exec();
  }

  /** Deletes without the checks of retire: for keys whose last token has expired. */
  async remove(kid: string): Promise<void> {
    await this.keys.deleteOne({ _id: kid }).exec();
  }

  /** null when the key was sealed under another DATA_ENCRYPTION_KEY (or tampered with). */
  unseal(key: SigningKey): KeyObject | null {
    const pem = this.dataKeys.decrypt(key.sealedPrivateKey, key._id, 'signing-key');
    return pem === null ? null : createPrivateKey(pem);
  }
}

/** The newest key signs; ties (two created in the same millisecond) go to the larger kid, so every instance picks the same. */
export function currentOf(keys: SigningKey[]): SigningKey | undefined {
  return keys.reduce<SigningKey | undefined>((best, key) => (!best || newer(key, best) ? key : best), undefined);
}

/** When the next newer key was created: from then on, this one stops signing. Undefined for the current key. */
export function replacedAtOf(keys: SigningKey[], key: SigningKey): Date | undefined {
  const successors = keys.filter((other) => newer(other, key)).map((other) => other.createdAt.getTime());
  return successors.length === 0 ? undefined : new Date(Math.min(...successors));
}

export function published(key: SigningKey): PublishedJwk {
  // Named one by one, so nothing but the public coordinates can ever be published.
  const { kty, crv, x, y } = key.publicJwk as Record<'kty' | 'crv' | 'x' | 'y', string>;
  return { kty, crv, x, y, kid: key._id, alg: key.alg, use: 'sig' };
}

function newer(a: SigningKey, b: SigningKey): boolean {
  const [ta, tb] = [a.createdAt.getTime(), b.createdAt.getTime()];
  return ta !== tb ? ta > tb : a._id > b._id;
}

/** RFC 7638: the key id is the hash of the public key, so it names this key and no other. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}
