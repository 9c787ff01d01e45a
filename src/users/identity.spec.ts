import { canonicalEmail, canonicalUsername, emailKey, loginLookup, USERNAME_PATTERN, usernameKey } from './identity';

describe('identity', () => {
  describe('canonicalUsername and usernameKey', () => {
    it('canonicalUsername - keeps case, trims, and NFKC-folds full-width letters', () => {
      expect(canonicalUsername('  \uFF21lice_1 ')).toBe('Alice_1');
    });

    it('usernameKey of "Alice", "alice", "ALICE" and full-width "ａlice" - all "alice"', () => {
      expect(new Set(['Alice', 'alice', 'ALICE', '\uFF41lice', ' alice '].map(usernameKey))).toEqual(new Set(['alice']));
    });

    it('usernameKey of a ligature - NFKC expands it ("ﬁ" -> "fi")', () => {
      expect(usernameKey('\uFB01sh')).toBe('fish');
    });

    it('usernameKey of a Cyrillic look-alike - stays different from the Latin name', () => {
      expect(usernameKey('\u0430lice')).not.toBe(usernameKey('alice'));
    });
  });

  describe('USERNAME_PATTERN', () => {
    it.each(['abc', 'a.b_c-d', 'Alice_01', 'x'.repeat(32)])('accepts %s', (name) => {
      expect(USERNAME_PATTERN.test(name)).toBe(true);
    });

    it.each(['ab', 'x'.repeat(33), 'ali ce', 'alice!', '\u0430lice', 'al@ce', ''])('refuses %j', (name) => {
      expect(USERNAME_PATTERN.test(name)).toBe(false);
    });
  });

  describe('canonicalEmail and emailKey', () => {
    it('canonicalEmail - keeps case, trims and NFKC-folds', () => {
      expect(canonicalEmail(' Bob\uFF20Example.com ')).toBe('Bob@Example.com');
    });

    it('emailKey - ignores case in the whole address', () => {
      expect(emailKey('Bob@Example.COM')).toBe('bob@example.com');
      expect(emailKey('BOB@example.com')).toBe(emailKey('bob@EXAMPLE.com'));
    });

    it('emailKey of full-width letters - same key as ASCII', () => {
      expect(emailKey('\uFF22\uFF2F\uFF22@example.com')).toBe('bob@example.com');
    });
  });

  describe('loginLookup', () => {
    it('an identifier with @ - looks up by emailKey', () => {
      expect(loginLookup('Bob@Example.com')).toEqual({ emailKey: 'bob@example.com' });
    });

    it('an identifier without @ - looks up by usernameKey', () => {
      expect(loginLookup(' Alice ')).toEqual({ usernameKey: 'alice' });
    });

    it('an email typed with a full-width ＠ (as sign-up accepts it) - looks up by emailKey', () => {
      expect(loginLookup('bob\uFF20example.com')).toEqual({ emailKey: 'bob@example.com' });
    });
  });
});
