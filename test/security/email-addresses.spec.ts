/**
 * Issue 17, finding 8: an address with CR/LF or another control character
 * was stored, and mail went to whatever the mail library rewrote it into.
 * Every form that takes an address refuses them with a field error.
 */
import { signUpBrowser } from '../support/lifecycle';
import { jsonSignUp, userModel } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { submitForm, uniqueUser } from '../support/users';

const CONTROLS_MESSAGE = 'Email address must not contain line breaks or other invisible control characters.';

const HOSTILE: Array<[string, string]> = [
  ['CR LF in a quoted local part', '"victim\r\nBcc: thief@evil.test"@example.com'],
  ['a bare LF in a quoted local part', '"a\nb"@example.com'],
  ['a NUL', '"a\u0000b"@example.com'],
  ['a right-to-left override', '"moc.live\u202e"@example.com'],
  ['a zero-width space', '"ali\u200bce"@example.com'],
];

describe('addresses with control characters', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it.each(HOSTILE)('JSON sign-up with %s - 422 naming the email field, and no account', async (_label, email) => {
    const user = uniqueUser('ctl');
    const res = await jsonSignUp(t.agent(), { ...user, email });
    expect(res.status).toBe(422);
    expect(res.body.errors.email).toBe(CONTROLS_MESSAGE);
    expect(await userModel(t).countDocuments({ username: user.username }).exec()).toBe(0);
  });

  it('form sign-up with CR LF - 422, the field error is shown and the username typed is kept', async () => {
    const user = { ...uniqueUser('ctlform'), email: HOSTILE[0][1] };
    const res = await submitForm(t.agent(), '/auth/signup', user);
    expect(res.status).toBe(422);
    expect(res.text).toContain(CONTROLS_MESSAGE);
    expect(res.text).toContain(`value="${user.username}"`);
    expect(res.text).not.toContain(user.password);
  });

  it.each(HOSTILE)('forgot password with %s - 422, not a mail to a rewritten address', async (_label, email) => {
    const res = await t.agent().post('/auth/forgot').send({ email });
    expect(res.status).toBe(422);
    expect(res.body.errors.email).toBe(CONTROLS_MESSAGE);
  });

  it('an address change to one with CR LF - 422 on newEmail', async () => {
    const login = await signUpBrowser(t);
    const res = await t
      .agent()
      .post('/account/email')
      .set('Authorization', `Bearer ${login.accessToken}`)
      .send({ newEmail: HOSTILE[0][1], currentPassword: login.user.password });
    expect(res.status).toBe(422);
    expect(res.body.errors.newEmail).toBe(CONTROLS_MESSAGE);
  });

  it('a quoted local part of printable characters - still accepted (RFC 5321), control', async () => {
    const user = { ...uniqueUser('quoted'), email: `"john smith+${Date.now()}"@example.com` };
    expect((await jsonSignUp(t.agent(), user)).status).toBe(201);
  });
});
