import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Everything the app keeps secret at rest is keyed from DATA_ENCRYPTION_KEY,
 * one sub-key per purpose (HKDF, RFC 5869), so a key used to sign pending
 * logins can never decrypt a TOTP secret, nor a TOTP key a signing key.
 */
export type SealPurpose = 'totp-secret' | 'signing-key';
export type MacPurpose = 'recovery-code' | 'pending-login';
export type KeyPurpose = SealPurpose | MacPurpose;

const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends
const TAG_BYTES = 16;
const VERSION = 'v1';

export class DataKeys {
  private readonly keys = new Map<KeyPurpose, Buffer>();

  constructor(masterKey: string) {
    for (const purpose of ['totp-secret', 'signing-key', 'recovery-code', 'pending-login'] as const) {
      this.keys.set(purpose, Buffer.from(hkdfSync('sha256', masterKey, 'latchkey', `latchkey ${purpose}`, 32)));
    }
  }

  /**
   * AES-256-GCM with a random nonce; `context` (the owner's id) is bound as
   * associated data, so a ciphertext copied onto another account fails to open.
   */
  encrypt(plaintext: string, context: string, purpose: SealPurpose = 'totp-secret'): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(purpose), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** null when the text was tampered with, belongs to another context, or was sealed under another key. */
  decrypt(sealed: string, context: string, purpose: SealPurpose = 'totp-secret'): string | null {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || body === undefined || !tag) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key(purpose), Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  mac(purpose: MacPurpose, data: string): string {
    return createHmac('sha256', this.key(purpose)).update(data).digest('base64url');
  }

  macMatches(purpose: MacPurpose, data: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(purpose, data));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private key(purpose: KeyPurpose): Buffer {
    return this.keys.get(purpose)!;
  }
}
