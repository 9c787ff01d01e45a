/**
 * Attack 11: look-alike usernames. Every way of typing one name (case,
 * full-width letters, stray spaces, ligatures) reaches one account and
 * cannot register a second; names outside ASCII after NFKC (accents in
 * either Unicode form, Cyrillic letters, invisible characters) are refused
 * the same way whatever their form.
 */
import { jwtClaims } from '../support/jwt';
import { countAccounts, jsonSignUp, userModel } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp, TestUser, uniqueUser } from '../support/users';
import { AuthErrors } from '../../src/auth/auth.errors';
import { UsersErrors } from '../../src/users/users.errors';

const USERNAME_RULE = 'Username must be 3 to 32 characters: letters, digits, dots, underscores or hyphens.';

/** Full-width forms (U+FF01…) of ASCII letters and digits. */
const fullWidth = (s: string) => s.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('look-alike usernames', () => {
  let t: TestApp;
  let alice: TestUser;
  let aliceId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const base = uniqueUser('alice');
    alice = await signUp(t.agent(), { ...base, username: `Alice${base.username.slice(5)}` });
    aliceId = jwtClaims((await apiLogin(t.agent(), alice)).access_token).sub as string;
  });
  afterAll(() => t.close());

  const lower = () => alice.username.toLowerCase();
  const SPELLINGS: Array<[string, () => string]> = [
    ['all lower case', () => lower()],
    ['all upper case', () => alice.username.toUpperCase()],
    ['a full-width first letter (ａlice)', () => `\uff41${lower().slice(1)}`],
    ['entirely full-width', () => fullWidth(alice.username)],
    ['a trailing space', () => `${lower()} `],
    ['a leading space', () => ` ${alice.username}`],
    ['a trailing no-break space', () => `${lower()}\u00a0`],
    ['an ideographic space around it', () => `\u3000${lower()}\u3000`],
  ];

  describe('one account', () => {
    it.each(SPELLINGS)('JSON login with the username in %s - 200 into the same account', async (_label, spell) => {
      const res = await t.agent().post('/auth/login').send({ username: spell(), password: alice.password });
      expect(res.status).toBe(200);
      expect(jwtClaims(res.body.access_token).sub).toBe(aliceId);
    });

    it.each(SPELLINGS)('sign-up with the username in %s - 409 username taken, still one account', async (_label, spell) => {
      const res = await jsonSignUp(t.agent(), { ...uniqueUser('second'), username: spell() });
      expect(res.status).toBe(409);
      expect(res.body.errors).toEqual({ username: UsersErrors.USERNAME_TAKEN.message });
      expect(await countAccounts(t, alice.username)).toBe(1);
    });

    it('JSON login with the email in full-width letters and ＠ - 200 into the same account', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: fullWidth(alice.email).replace('@', '\uff20'), password: alice.password });
      expect(res.status).toBe(200);
      expect(jwtClaims(res.body.access_token).sub).toBe(aliceId);
    });

    it('sign-up with the email in upper case and full-width letters - 409 email taken', async () => {
      const res = await jsonSignUp(t.agent(), { ...uniqueUser('second'), email: fullWidth(alice.email.toUpperCase()) });
      expect(res.status).toBe(409);
      expect(res.body.errors).toEqual({ email: UsersErrors.EMAIL_TAKEN.message });
    });

    it('sign-up as "ﬁona_…" (ﬁ ligature) - stored as "fiona_…", and "fiona_…" afterwards is taken', async () => {
      const plain = uniqueUser('fiona');
      const res = await jsonSignUp(t.agent(), { ...plain, username: `\ufb01${plain.username.slice(2)}` });
      expect(res.status).toBe(201);
      expect((await userModel(t).findOne({ usernameKey: plain.username }).lean().exec())?.username).toBe(plain.username);
      const again = await jsonSignUp(t.agent(), { ...uniqueUser('second'), username: plain.username });
      expect(again.status).toBe(409);
    });
  });

  describe('refused consistently', () => {
    const base = () => uniqueUser('cafe').username.slice(4);
    const REFUSED: Array<[string, (id: string) => string]> = [
      ['a composed é (U+00E9)', (id) => `caf\u00e9${id}`],
      ['a decomposed é (e + U+0301)', (id) => `cafe\u0301${id}`],
      ['a Cyrillic а (U+0430) for the Latin a', (id) => `c\u0430fe${id}`],
      ['a zero-width space', (id) => `cafe\u200b${id}`],
      ['a Greek ο (U+03BF) for the Latin o', (id) => `c\u03bfffee${id}`],
    ];

    it.each(REFUSED)('sign-up with %s - 422 with the username rule, and no account', async (_label, make) => {
      const name = make(base());
      const res = await jsonSignUp(t.agent(), { ...uniqueUser('refused'), username: name });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ username: USERNAME_RULE });
      expect(
        await userModel(t)
          .countDocuments({ username: name.normalize('NFKC') })
          .exec(),
      ).toBe(0);
    });

    it('sign-up with a composed and with a decomposed é in the same name - the same 422 body for both', async () => {
      const id = base();
      const composed = await jsonSignUp(t.agent(), { ...uniqueUser('a'), username: `caf\u00e9${id}` });
      const decomposed = await jsonSignUp(t.agent(), { ...uniqueUser('a'), username: `cafe\u0301${id}` });
      expect(composed.status).toBe(422);
      expect(decomposed.body).toEqual(composed.body);
    });

    it.each(REFUSED)('JSON login with %s - 401 like any unknown user, not a 500', async (_label, make) => {
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: make(base()), password: 'Wrong-password-1' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: AuthErrors.INVALID_CREDENTIALS.message });
    });

    it('JSON login as alice with a Cyrillic а and her password - 401, not her account', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: alice.username.replace(/a/i, '\u0430'), password: alice.password });
      expect(res.status).toBe(401);
    });
  });
});
