import { matchingStep, newTotpSecret, stepAt, totpCode, totpUri } from './totp';

/** RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890", as base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totp', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('RFC 6238 test vector at T=%i - %s (last six digits)', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code);
  });

  it('the current code - matches its own step', () => {
    const secret = newTotpSecret();
    const now = Date.now();
    expect(matchingStep(secret, totpCode(secret, now), now)).toBe(stepAt(now));
  });

  it('a code one step old or one step ahead - accepted, with that step', () => {
    const secret = newTotpSecret();
    const now = Date.now();
    expect(matchingStep(secret, totpCode(secret, now - 30_000), now)).toBe(stepAt(now) - 1);
    expect(matchingStep(secret, totpCode(secret, now + 30_000), now)).toBe(stepAt(now) + 1);
  });

  it('a code two steps away - refused', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000; // mid-step, so ±60 s is exactly two steps
    expect(matchingStep(secret, totpCode(secret, now - 60_000), now)).toBeNull();
    expect(matchingStep(secret, totpCode(secret, now + 60_000), now)).toBeNull();
  });

  it('not six digits - refused without computing', () => {
    expect(matchingStep(RFC_SECRET, '28708', 59_000)).toBeNull();
    expect(matchingStep(RFC_SECRET, '2870821', 59_000)).toBeNull();
  });

  it('a new secret - 160 bits of base32, different every time', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('the otpauth URI - SHA1, 6 digits, 30 s, the secret and the issuer', () => {
    const uri = new URL(totpUri(RFC_SECRET, 'alice'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('issuer')).toBe('Latchkey');
  });
});
