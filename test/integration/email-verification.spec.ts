import { RecoveryErrors } from '../../src/recovery/recovery.errors';
import { Agent, makeAdmin, signUpBrowser } from '../support/lifecycle';
import { linkIn, TestMailbox } from '../support/smtp';
import {
  CHANGE_SUBJECT,
  confirmLink,
  EMAIL_CHANGE_REQUESTED_SUBJECT,
  EMAIL_CHANGED_SUBJECT,
  MAIL_APP_URL,
  mailSettled,
  startMailApp,
  stopMailApp,
  VERIFY_SUBJECT,
  verifyToken,
} from '../support/smtp-flows';
import { TestApp } from '../support/test-app';
import { cookieValue, csrfToken, setCookie, signUp, submitForm, TestUser, uniqueUser } from '../support/users';

/** Verified addresses and address changes over real SMTP; the JSON sign-up that mails a link too. */
describe('email verification and address change', () => {
  let mailbox: TestMailbox;
  let t: TestApp;
  beforeAll(async () => ({ mailbox, t } = await startMailApp()));
  afterAll(() => stopMailApp({ mailbox, t }));

  const profileJson = (agent: Agent) => agent.get('/profile').set('Accept', 'application/json');
  const jsonLogin = (username: string, password: string) => t.agent().post('/auth/login').send({ username, password });
  const requestChange = async (agent: Agent, fields: { newEmail: string; currentPassword: string }) => {
    const _csrf = await csrfToken(agent, '/account/email');
    return agent
      .post('/account/email')
      .set('Accept', 'text/html')
      .type('form')
      .send({ ...fields, _csrf });
  };

  describe('JSON sign-up', () => {
    it('POST /auth/signup with JSON and no CSRF token - 201 with the JSON login body, no cookies, and a verification mail', async () => {
      const user = uniqueUser('api');
      const res = await t.agent().post('/auth/signup').send(user);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
        device_token: expect.any(String),
      });
      expect(res.headers['set-cookie']).toBeUndefined();
      const profile = await t.agent().get('/profile').set('Authorization', `Bearer ${res.body.access_token}`);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ username: user.username, emailVerified: false });
      expect(linkIn(await mailbox.waitFor(user.email, VERIFY_SUBJECT), '/auth/verify-email').origin).toBe(MAIL_APP_URL);
    });

    it('JSON sign-up with bad input - 422 JSON with field errors; with a taken username - 409 JSON', async () => {
      const bad = await t
        .agent()
        .post('/auth/signup')
        .send({ ...uniqueUser(), email: 'nope' });
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ statusCode: 422, errors: { email: expect.any(String) } });
      const first = await signUp(t.agent());
      const taken = await t
        .agent()
        .post('/auth/signup')
        .send({ ...uniqueUser(), username: first.username });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ statusCode: 409, errors: { username: expect.any(String) } });
    });
  });

  describe('verification', () => {
    it('form sign-up - a mail with a link APP_URL/auth/verify-email?token=… in both parts; the profile shows the address unverified with a resend button', async () => {
      const { agent, user } = await signUpBrowser(t);
      const mail = await mailbox.waitFor(user.email, VERIFY_SUBJECT);
      expect(linkIn(mail, '/auth/verify-email').origin).toBe(MAIL_APP_URL);
      expect(mail.html).toContain('/auth/verify-email?token');
      expect((await profileJson(agent)).body.emailVerified).toBe(false);
      const page = await agent.get('/profile').set('Accept', 'text/html');
      expect(page.text).toContain('data-testid="email-unverified"');
      expect(page.text).toMatch(/<form method="post" action="\/account\/verify-email\/resend">/);
    });

    it('GET /auth/verify-email - 200 page with one confirm button (token and _csrf), no-referrer, and verifies nothing', async () => {
      const { agent, user } = await signUpBrowser(t);
      const token = await verifyToken(t, mailbox, user.email);
      for (let i = 0; i < 2; i++) {
        const res = await t.agent().get(`/auth/verify-email?token=${token}`).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        const form = /<form method="post" action="\/auth\/verify-email"[^>]*>([\s\S]*?)<\/form>/.exec(res.text)?.[1];
        expect(form).toContain(`<input type="hidden" name="token" value="${token}">`);
        expect(form).toMatch(/name="_csrf"/);
        expect(form?.match(/<button/g)).toHaveLength(1);
      }
      const fresh = await jsonLogin(user.username, user.password);
      expect((await t.agent().get('/profile').set('Authorization', `Bearer ${fresh.body.access_token}`)).body.emailVerified).toBe(false);
      expect((await profileJson(agent)).body.emailVerified).toBe(false);
    });

    it('POST /auth/verify-email logged in - 303 to /profile, which shows the address verified at once; the admin list shows it too', async () => {
      const { agent, user } = await signUpBrowser(t);
      const token = await verifyToken(t, mailbox, user.email);
      const res = await confirmLink(agent, token);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/profile');
      expect(cookieValue(res, 'access')).toBeDefined();
      expect((await profileJson(agent)).body.emailVerified).toBe(true);
      expect((await agent.get('/profile').set('Accept', 'text/html')).text).toContain('data-testid="email-verified"');
      const admin = await makeAdmin(t, await signUp(t.agent()));
      const listed = await admin.agent.get(`/admin/users?q=${user.username}`).set('Accept', 'application/json');
      expect(listed.body.users[0]).toMatchObject({ username: user.username, emailVerified: true });
      const html = await admin.agent.get(`/admin/users?q=${user.username}`).set('Accept', 'text/html');
      expect(html.text).toMatch(/<th scope="col">Verified<\/th>/);
    });

    it('POST /auth/verify-email logged out - 303 to /auth/login; the link then works no more (400)', async () => {
      const user = await signUp(t.agent());
      const token = await verifyToken(t, mailbox, user.email);
      const res = await confirmLink(t.agent(), token);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/login');
      const login = await jsonLogin(user.username, user.password);
      expect((await t.agent().get('/profile').set('Authorization', `Bearer ${login.body.access_token}`)).body.emailVerified).toBe(true);
      const again = await confirmLink(t.agent(), token);
      expect(again.status).toBe(400);
      expect(again.text).toContain(RecoveryErrors.TOKEN_INVALID.message);
    });

    it('POST /auth/verify-email without a CSRF token - 403, nothing verified', async () => {
      const user = await signUp(t.agent());
      const token = await verifyToken(t, mailbox, user.email);
      const agent = t.agent();
      await agent.get('/').set('Accept', 'text/html');
      const res = await agent.post('/auth/verify-email').set('Accept', 'text/html').type('form').send({ token });
      expect(res.status).toBe(403);
      expect((await confirmLink(t.agent(), token)).status).toBe(303);
    });

    it('resend - a new link that verifies; nothing is sent for a verified address', async () => {
      const { agent, user } = await signUpBrowser(t);
      await mailSettled(t);
      const res = await submitForm(agent, '/account/verify-email/resend', {}, '/profile');
      expect(res.status).toBe(303);
      await mailSettled(t);
      expect(mailbox.to(user.email).filter((m) => VERIFY_SUBJECT.test(m.subject))).toHaveLength(2);
      expect((await confirmLink(agent, await verifyToken(t, mailbox, user.email))).status).toBe(303);
      expect((await submitForm(agent, '/account/verify-email/resend', {}, '/profile')).status).toBe(303);
      await mailSettled(t);
      expect(mailbox.to(user.email).filter((m) => VERIFY_SUBJECT.test(m.subject))).toHaveLength(2);
    });
  });

  describe('address change', () => {
    it('GET /account/email - a form with newEmail, currentPassword and _csrf', async () => {
      const { agent } = await signUpBrowser(t);
      const res = await agent.get('/account/email').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      const form = /<form method="post" action="\/account\/email"[^>]*>([\s\S]*?)<\/form>/.exec(res.text)?.[1];
      expect(form).toMatch(/name="newEmail"/);
      expect(form).toMatch(/name="currentPassword"[^>]*type="password"|type="password"[^>]*name="currentPassword"/);
      expect(form).toMatch(/name="_csrf"/);
    });

    it('wrong password 401, invalid address 422, the same address 422, a taken address 409 - each re-rendered, nothing mailed', async () => {
      const { agent, user } = await signUpBrowser(t);
      const other = await signUp(t.agent());
      const newEmail = uniqueUser('new').email;
      const wrong = await requestChange(agent, { newEmail, currentPassword: 'not-the-password' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toMatch(/id="currentPassword-error"/);
      expect(wrong.text).toContain(`value="${newEmail}"`);
      expect((await requestChange(agent, { newEmail: 'nope', currentPassword: user.password })).status).toBe(422);
      expect((await requestChange(agent, { newEmail: user.email.toUpperCase(), currentPassword: user.password })).status).toBe(422);
      const taken = await requestChange(agent, { newEmail: other.email, currentPassword: user.password });
      expect(taken.status).toBe(409);
      expect(taken.text).toContain(RecoveryErrors.EMAIL_TAKEN.message);
      await mailSettled(t);
      expect(mailbox.to(newEmail)).toHaveLength(0);
    });

    it('success - 303; a link to the new address, the old one told; the address changes only on confirmation, and the old address is told again', async () => {
      const { agent, user } = await signUpBrowser(t);
      const newEmail = uniqueUser('moved').email;
      const res = await requestChange(agent, { newEmail, currentPassword: user.password });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/email?sent=1');
      const token = await verifyToken(t, mailbox, newEmail, CHANGE_SUBJECT);
      expect((await mailbox.waitFor(user.email, EMAIL_CHANGE_REQUESTED_SUBJECT)).text).toContain('changes only if that address confirms');
      // Not yet: the profile, and a login by the new address, still know the old one.
      expect((await profileJson(agent)).body.email).toBe(user.email);
      expect((await jsonLogin(newEmail, user.password)).status).toBe(401);
      // The GET changes nothing either.
      expect((await t.agent().get(`/auth/verify-email?token=${token}`).set('Accept', 'text/html')).status).toBe(200);
      expect((await jsonLogin(newEmail, user.password)).status).toBe(401);

      const confirmed = await confirmLink(agent, token);
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.location).toBe('/profile');
      expect((await profileJson(agent)).body).toMatchObject({ email: newEmail, emailVerified: true });
      expect((await jsonLogin(newEmail, user.password)).status).toBe(200);
      expect((await jsonLogin(user.email, user.password)).status).toBe(401);
      await mailSettled(t);
      const notices = mailbox.to(user.email).filter((m) => EMAIL_CHANGED_SUBJECT.test(m.subject));
      expect(notices).toHaveLength(1);
      expect(notices[0].text).toContain(`was changed to ${newEmail}`);
    });

    it('two accounts race for one address - both may ask, the first to confirm wins, the other gets 409 at confirmation', async () => {
      const a = await signUpBrowser(t);
      const b = await signUpBrowser(t);
      const contested = uniqueUser('contested').email;
      expect((await requestChange(a.agent, { newEmail: contested, currentPassword: a.user.password })).status).toBe(303);
      expect((await requestChange(b.agent, { newEmail: contested, currentPassword: b.user.password })).status).toBe(303);
      await mailSettled(t);
      const [tokenA, tokenB] = mailbox
        .to(contested)
        .filter((m) => CHANGE_SUBJECT.test(m.subject))
        .map((m) => linkIn(m, '/auth/verify-email').searchParams.get('token')!);
      expect((await confirmLink(a.agent, tokenA)).status).toBe(303);
      const lost = await confirmLink(b.agent, tokenB);
      expect(lost.status).toBe(409);
      expect((await profileJson(b.agent)).body.email).toBe(b.user.email);
      expect((await profileJson(a.agent)).body.email).toBe(contested);
    });

    it('a second request - only the newest link confirms', async () => {
      const { agent, user } = await signUpBrowser(t);
      const first = uniqueUser('first').email;
      const second = uniqueUser('second').email;
      expect((await requestChange(agent, { newEmail: first, currentPassword: user.password })).status).toBe(303);
      const firstToken = await verifyToken(t, mailbox, first, CHANGE_SUBJECT);
      expect((await requestChange(agent, { newEmail: second, currentPassword: user.password })).status).toBe(303);
      expect((await confirmLink(agent, firstToken)).status).toBe(400);
      expect((await confirmLink(agent, await verifyToken(t, mailbox, second, CHANGE_SUBJECT))).status).toBe(303);
      expect((await profileJson(agent)).body.email).toBe(second);
    });

    it('as JSON with a Bearer token - 202 { message }', async () => {
      const user: TestUser = uniqueUser('bearer');
      const signup = await t.agent().post('/auth/signup').send(user);
      const newEmail = uniqueUser('bearer-new').email;
      const res = await t
        .agent()
        .post('/account/email')
        .set('Authorization', `Bearer ${signup.body.access_token}`)
        .send({ newEmail, currentPassword: user.password });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ message: expect.any(String) });
      expect(setCookie(res, 'access')).toBeUndefined();
      await mailbox.waitFor(newEmail, CHANGE_SUBJECT);
    });
  });
});
