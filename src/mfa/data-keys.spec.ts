import { DataKeys } from './data-keys';

const keys = new DataKeys('k'.repeat(32));

describe('DataKeys', () => {
  it('encrypt then decrypt with the same context - the plaintext, and never the plaintext in the sealed text', () => {
    const sealed = keys.encrypt('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.decrypt(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('the same plaintext twice - different ciphertexts (random nonce)', () => {
    expect(keys.encrypt('x', 'u')).not.toBe(keys.encrypt('x', 'u'));
  });

  it('a ciphertext moved to another user - does not open', () => {
    expect(keys.decrypt(keys.encrypt('secret', 'user-1'), 'user-2')).toBeNull();
  });

  it('one flipped character - does not open (GCM tag)', () => {
    const sealed = keys.encrypt('secret', 'u');
    const [v, iv, body, tag] = sealed.split('.');
    const flipped = body[0] === 'A' ? `B${body.slice(1)}` : `A${body.slice(1)}`;
    expect(keys.decrypt([v, iv, flipped, tag].join('.'), 'u')).toBeNull();
  });

  it('another DATA_ENCRYPTION_KEY - does not open', () => {
    expect(new DataKeys('z'.repeat(32)).decrypt(keys.encrypt('secret', 'u'), 'u')).toBeNull();
  });

  it('sealed for a signing key - does not open as a TOTP secret, and the other way round (own sub-keys)', () => {
    expect(keys.decrypt(keys.encrypt('secret', 'u', 'signing-key'), 'u')).toBeNull();
    expect(keys.decrypt(keys.encrypt('secret', 'u'), 'u', 'signing-key')).toBeNull();
    expect(keys.decrypt(keys.encrypt('secret', 'u', 'signing-key'), 'u', 'signing-key')).toBe('secret');
  });

  it('a MAC - checks for its own purpose only', () => {
    const mac = keys.mac('pending-login', 'body');
    expect(keys.macMatches('pending-login', 'body', mac)).toBe(true);
    expect(keys.macMatches('recovery-code', 'body', mac)).toBe(false);
    expect(keys.macMatches('pending-login', 'other', mac)).toBe(false);
  });
});
