import { FORGOT_MESSAGE, RESET_MESSAGE } from '../../src/recovery/password-reset.controller';
import { RecoveryErrors } from '../../src/recovery/recovery.errors';
import { loginBrowser, signUpBrowser, usersModel } from '../support/lifecycle';
import { htmlLinks, linkIn, TestMailbox } from '../support/smtp';
import {
  askForReset,
  confirmLink,
  MAIL_APP_URL,
  mailSettled,
  PASSWORD_CHANGED_SUBJECT,
  RESET_SUBJECT,
  resetToken,
  startMailApp,
  stopMailApp,
  submitReset,
  verifyToken,
} from '../support/smtp-flows';
import { TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, browserRefresh, csrfToken, setCookie, signUp, uniqueUser } from '../support/users';

const NEW_PASSWORD = 'a-Fresh-passphrase-42';

/** Forgot and reset password over real SMTP (CONTRACT: "Mail, account recovery and verified email"). */
describe('forgot and reset password', () => {
  let mailbox: TestMailbox;
  let t: TestApp;
  beforeAll(async () => ({ mailbox, t } = await startMailApp()));
  afterAll(() => stopMailApp({ mailbox, t }));

  const jsonLogin = (username: string, password: string) => t.agent().post('/auth/login').send({ username, password });

  it('GET /auth/forgot - a form with email and _csrf posting to /auth/forgot; the login page links to it', async () => {
    const res = await t.agent().get('/auth/forgot').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    const form = /<form method="post" action="\/auth\/forgot"[^>]*>([\s\S]*?)<\/form>/.exec(res.text)?.[1];
    expect(form).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(form).toMatch(/name="email"/);
    const login = await t.agent().get('/auth/login').set('Accept', 'text/html');
    expect(login.text).toContain('href="/auth/forgot"');
  });

  it('forgot for an account - 200 page, and a mail with text and HTML parts whose link is APP_URL/auth/reset?token=… (never the Host header)', async () => {
    const user = await signUp(t.agent());
    const res = await askForReset(t.agent(), user.email);
    expect(res.status).toBe(200);
    expect(res.text).toContain('If an account has that address');
    const mail = await mailbox.waitFor(user.email, RESET_SUBJECT);
    const link = linkIn(mail, '/auth/reset');
    expect(link.origin).toBe(MAIL_APP_URL);
    expect(link.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(htmlLinks(mail)).toContain(link.toString());
    expect(mail.text).toContain(user.username);
  });

  it('forgot - the same page (form) and the same 202 JSON whether or not an account has the address; mail only for the account', async () => {
    const user = await signUp(t.agent());
    const nobody = uniqueUser('nobody').email;
    const strip = (html: string) => html.replace(/content="[^"]+"|value="[^"]*"/g, '');
    const [known, unknown] = [await askForReset(t.agent(), user.email), await askForReset(t.agent(), nobody)];
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(strip(known.text)).toBe(strip(unknown.text));
    const [knownJson, unknownJson] = [
      await t.agent().post('/auth/forgot').send({ email: user.email }),
      await t.agent().post('/auth/forgot').send({ email: nobody }),
    ];
    expect([knownJson.status, unknownJson.status]).toEqual([202, 202]);
    expect(knownJson.body).toEqual({ message: FORGOT_MESSAGE });
    expect(unknownJson.body).toEqual(knownJson.body);
    expect(setCookie(knownJson, 'access')).toBeUndefined();
    await mailSettled(t);
    expect(mailbox.to(user.email).filter((m) => RESET_SUBJECT.test(m.subject))).toHaveLength(2);
    expect(mailbox.to(nobody)).toHaveLength(0);
  });

  it('forgot with an invalid address - 422 form with a field error and the address kept; JSON 422', async () => {
    const res = await askForReset(t.agent(), 'not-an-address');
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="email-error"/);
    expect(res.text).toContain('value="not-an-address"');
    const json = await t.agent().post('/auth/forgot').send({ email: 'nope' });
    expect(json.status).toBe(422);
    expect(json.body).toMatchObject({ statusCode: 422, errors: { email: expect.any(String) } });
  });

  it('GET /auth/reset with a valid token - 200 form (hidden token, newPassword, _csrf), Referrer-Policy no-referrer, and changes nothing', async () => {
    const user = await signUp(t.agent());
    const token = await resetToken(t, mailbox, user);
    for (let i = 0; i < 3; i++) {
      const res = await t.agent().get(`/auth/reset?token=${token}`).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      const form = /<form method="post" action="\/auth\/reset"[^>]*>([\s\S]*?)<\/form>/.exec(res.text)?.[1];
      expect(form).toContain(`<input type="hidden" name="token" value="${token}">`);
      expect(form).toMatch(/name="newPassword"[^>]*type="password"|type="password"[^>]*name="newPassword"/);
      expect(form).toMatch(/name="_csrf"/);
    }
    // Opened three times (as a mail scanner would): the old password still works, the link too.
    expect((await jsonLogin(user.username, user.password)).status).toBe(200);
    expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(303);
  });

  it('GET /auth/reset with an unknown, malformed or missing token - 400 page linking to /auth/forgot, no-referrer', async () => {
    for (const query of ['?token=' + 'A'.repeat(43), '?token=short', '', '?token=a&token=b']) {
      const res = await t.agent().get(`/auth/reset${query}`).set('Accept', 'text/html');
      expect(res.status).toBe(400);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.text).toContain(RecoveryErrors.TOKEN_INVALID.message);
      expect(res.text).toContain('href="/auth/forgot"');
    }
  });

  it('reset - 303 to /auth/login without logging in; the new password works, the old one does not', async () => {
    const user = await signUp(t.agent());
    const token = await resetToken(t, mailbox, user);
    const agent = t.agent();
    const res = await submitReset(agent, token, NEW_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login');
    expect(setCookie(res, 'access')).toBeUndefined();
    expect(setCookie(res, 'refresh')).toBeUndefined();
    expect((await agent.get('/profile').set('Accept', 'application/json')).status).toBe(401);
    expect((await jsonLogin(user.username, NEW_PASSWORD)).status).toBe(200);
    expect((await jsonLogin(user.username, user.password)).status).toBe(401);
  });

  it('reset - every session of the account ends: browser and API refresh tokens get 401, sensitive pages refuse the access token', async () => {
    const first = await signUpBrowser(t);
    const second = await loginBrowser(t, first.user);
    const api = await apiLogin(t.agent(), first.user);
    const token = await resetToken(t, mailbox, first.user);
    expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(303);
    expect((await browserRefresh(first.agent)).status).toBe(401);
    expect((await browserRefresh(second.agent)).status).toBe(401);
    expect((await apiRefresh(t.agent(), api.refresh_token)).status).toBe(401);
    const sessions = await t.agent().get('/account/sessions').set('Authorization', `Bearer ${api.access_token}`);
    expect(sessions.status).toBe(401);
  });

  it('reset - every other outstanding reset link dies, the address counts as verified, and a "password changed" mail is sent', async () => {
    const user = await signUp(t.agent());
    const older = await resetToken(t, mailbox, user);
    const newer = await resetToken(t, mailbox, user);
    expect((await submitReset(t.agent(), newer, NEW_PASSWORD)).status).toBe(303);
    const again = await submitReset(t.agent(), older, 'another-Passphrase-77');
    expect(again.status).toBe(400);
    const login = await jsonLogin(user.username, NEW_PASSWORD);
    const profile = await t.agent().get('/profile').set('Authorization', `Bearer ${login.body.access_token}`);
    expect(profile.body.emailVerified).toBe(true);
    await mailSettled(t);
    const notice = await mailbox.waitFor(user.email, PASSWORD_CHANGED_SUBJECT);
    expect(linkIn(notice, '/auth/forgot').origin).toBe(MAIL_APP_URL);
  });

  it('reset link used twice - the second use gets 400 and changes nothing', async () => {
    const user = await signUp(t.agent());
    const token = await resetToken(t, mailbox, user);
    expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(303);
    const second = await submitReset(t.agent(), token, 'another-Passphrase-77');
    expect(second.status).toBe(400);
    expect(second.text).toContain('href="/auth/forgot"');
    expect((await t.agent().get(`/auth/reset?token=${token}`).set('Accept', 'text/html')).status).toBe(400);
    expect((await jsonLogin(user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it('one reset link used eight times at once - exactly one succeeds', async () => {
    const user = await signUp(t.agent());
    const token = await resetToken(t, mailbox, user);
    const passwords = Array.from({ length: 8 }, (_, i) => `parallel-Passphrase-${i}x`);
    const responses = await Promise.all(passwords.map((newPassword) => t.agent().post('/auth/reset').send({ token, newPassword })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
    const winner = passwords[responses.findIndex((r) => r.status === 200)];
    expect((await jsonLogin(user.username, winner)).status).toBe(200);
  });

  it('reset with a weak password - 422, the form re-rendered with its token, and the link still works', async () => {
    const user = await signUp(t.agent());
    const token = await resetToken(t, mailbox, user);
    const weak = await submitReset(t.agent(), token, 'short');
    expect(weak.status).toBe(422);
    expect(weak.text).toMatch(/id="newPassword-error"/);
    expect(weak.text).toContain(`name="token" value="${token}"`);
    const asUsername = await submitReset(t.agent(), token, user.username);
    expect(asUsername.status).toBe(422);
    expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(303);
  });

  it('reset as JSON - no CSRF token, 200 { message }, no cookies; a bad token 400 JSON', async () => {
    const user = await signUp(t.agent());
    const token = await resetToken(t, mailbox, user);
    const res = await t.agent().post('/auth/reset').send({ token, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: RESET_MESSAGE });
    expect(setCookie(res, 'access')).toBeUndefined();
    const bad = await t.agent().post('/auth/reset').send({ token, newPassword: NEW_PASSWORD });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ statusCode: 400, message: RecoveryErrors.TOKEN_INVALID.message });
  });

  it('a verification link never works as a reset link, nor a reset link as a verification link', async () => {
    const user = await signUp(t.agent());
    const verify = await verifyToken(t, mailbox, user.email);
    expect((await t.agent().get(`/auth/reset?token=${verify}`).set('Accept', 'text/html')).status).toBe(400);
    expect((await t.agent().post('/auth/reset').send({ token: verify, newPassword: NEW_PASSWORD })).status).toBe(400);
    const reset = await resetToken(t, mailbox, user);
    expect((await t.agent().get(`/auth/verify-email?token=${reset}`).set('Accept', 'text/html')).status).toBe(400);
    expect((await confirmLink(t.agent(), reset)).status).toBe(400);
    // Both still work for what they are.
    expect((await confirmLink(t.agent(), verify)).status).toBe(303);
    expect((await submitReset(t.agent(), reset, NEW_PASSWORD)).status).toBe(303);
  });

  it('a reset link mailed to the old address dies when the address changes', async () => {
    const { agent, user } = await signUpBrowser(t);
    const token = await resetToken(t, mailbox, user);
    const newEmail = uniqueUser('moved').email;
    const _csrf = await csrfToken(agent, '/account/email');
    const change = await agent
      .post('/account/email')
      .set('Accept', 'text/html')
      .type('form')
      .send({ newEmail, currentPassword: user.password, _csrf });
    expect(change.status).toBe(303);
    const confirm = await verifyToken(t, mailbox, newEmail, /Confirm your new email address/);
    expect((await confirmLink(agent, confirm)).status).toBe(303);
    expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(400);
  });

  it('forgot for a disabled account - the same answer, and no mail', async () => {
    const user = await signUp(t.agent());
    await usersModel(t).updateOne({ username: user.username }, { $set: { disabled: true } });
    const res = await askForReset(t.agent(), user.email);
    expect(res.status).toBe(200);
    await mailSettled(t);
    expect(mailbox.to(user.email).filter((m) => RESET_SUBJECT.test(m.subject))).toHaveLength(0);
  });
});

/** The reset and confirm pages are no-referrer, so browsers post their forms with `Origin: null`. */
describe('link pages and the CSRF Origin check', () => {
  let mailbox: TestMailbox;
  let t: TestApp;
  beforeAll(async () => ({ mailbox, t } = await startMailApp()));
  afterAll(() => stopMailApp({ mailbox, t }));

  const post = async (origin: string, token: string, withCsrf = true) => {
    const agent = t.agent();
    const _csrf = await csrfToken(agent, `/auth/reset?token=${token}`);
    return agent
      .post('/auth/reset')
      .set('Accept', 'text/html')
      .set('Origin', origin)
      .type('form')
      .send({ token, newPassword: NEW_PASSWORD, ...(withCsrf ? { _csrf } : {}) });
  };

  it('reset form POST with Origin: null and a valid CSRF token - accepted (303)', async () => {
    const user = await signUp(t.agent());
    expect((await post('null', await resetToken(t, mailbox, user))).status).toBe(303);
  });

  it("reset form POST with Origin: null and no CSRF token - 403; with another site's Origin - 403; the link still works", async () => {
    const user = await signUp(t.agent());
    const token = await resetToken(t, mailbox, user);
    expect((await post('null', token, false)).status).toBe(403);
    expect((await post('https://evil.example', token)).status).toBe(403);
    expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(303);
  });
});
