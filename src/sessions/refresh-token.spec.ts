import { createHash } from 'node:crypto';
import { newFamilyId, newRefreshToken, parseRefreshToken } from './refresh-token';

describe('refresh tokens', () => {
  it('newFamilyId - 128 random bits as 22 base64url characters, different every time', () => {
    const ids = Array.from({ length: 50 }, newFamilyId);
    ids.forEach((id) => expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/));
    expect(new Set(ids).size).toBe(50);
  });

  it('newRefreshToken - "<familyId>.<secret>" with a 256-bit base64url secret', () => {
    const { token } = newRefreshToken('fam');
    const [family, secret, extra] = token.split('.');
    expect(family).toBe('fam');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(extra).toBeUndefined();
  });

  it('newRefreshToken - the stored hash is the SHA-256 of the secret, never the secret itself', () => {
    const { token, secretHash } = newRefreshToken('fam');
    const secret = token.split('.')[1];
    expect(secretHash).toBe(createHash('sha256').update(secret).digest('base64url'));
    expect(secretHash).not.toContain(secret);
  });

  it('newRefreshToken twice for one family - different tokens and hashes', () => {
    const a = newRefreshToken('fam');
    const b = newRefreshToken('fam');
    expect(a.token).not.toBe(b.token);
    expect(a.secretHash).not.toBe(b.secretHash);
  });

  it('parseRefreshToken of an issued token - its family id and the same hash', () => {
    const familyId = newFamilyId();
    const { token, secretHash } = newRefreshToken(familyId);
    expect(parseRefreshToken(token)).toEqual({ familyId, secretHash });
  });

  it('parseRefreshToken of a token with another secret - same family, different hash', () => {
    const { token, secretHash } = newRefreshToken('fam');
    const parsed = parseRefreshToken(`fam.${'A'.repeat(43)}`);
    expect(parsed?.familyId).toBe('fam');
    expect(parsed?.secretHash).not.toBe(secretHash);
    expect(token).not.toBe(`fam.${'A'.repeat(43)}`);
  });

  it.each([
    ['a number', 42],
    ['undefined', undefined],
    ['an object', { familyId: 'a' }],
    ['an empty string', ''],
    ['no dot', 'abcdef'],
    ['an empty family', '.secret'],
    ['an empty secret', 'family.'],
    ['three parts', 'a.b.c'],
    ['a + character', 'fam.se+cret'],
    ['a / character', 'fam/x.secret'],
    ['padding', 'fam.secret='],
    ['a space', 'fam.sec ret'],
    ['over 128 characters', `fam.${'a'.repeat(125)}`],
  ])('parseRefreshToken of %s - null', (_, token) => {
    expect(parseRefreshToken(token)).toBeNull();
  });

  it('parseRefreshToken of exactly 128 characters - accepted', () => {
    expect(parseRefreshToken(`fam.${'a'.repeat(124)}`)).not.toBeNull();
  });
});
