import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAILS_PER_WINDOW } from '../../src/recovery/mail-rate-limit';
import { RecoveryErrors } from '../../src/recovery/recovery.errors';
import { freePort } from '../support/processes';
import { TestMailbox, tokenIn } from '../support/smtp';
import {
  askForReset,
  captureOutput,
  confirmLink,
  MAIL_APP_URL,
  mailSettled,
  RESET_SUBJECT,
  resetToken,
  submitReset,
  verifyToken,
} from '../support/smtp-flows';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfToken, signUp, uniqueUser } from '../support/users';

const NEW_PASSWORD = 'a-Fresh-passphrase-42';

/**
 * The rules around the links rather than the happy path: what is logged,
 * a mail server that is down, timing, throttling and expiry.
 */
describe('recovery: logs, failures, timing, throttling, expiry', () => {
  let mailbox: TestMailbox;
  beforeAll(async () => (mailbox = await TestMailbox.start()));
  afterAll(() => mailbox.stop());

  describe('with every log level on (NODE_ENV=development)', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ NODE_ENV: 'development', SMTP_URL: mailbox.smtpUrl, APP_URL: MAIL_APP_URL })));
    afterAll(() => t.close());

    it('forgot, open the link, reset - the token never reaches a log line, while the security events do', async () => {
      const user = await signUp(t.agent());
      let token = '';
      const output = await captureOutput(async () => {
        token = await resetToken(t, mailbox, user);
        expect((await t.agent().get(`/auth/reset?token=${token}`).set('Accept', 'text/html')).status).toBe(200);
        expect((await submitReset(t.agent(), token, 'short')).status).toBe(422);
        expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(303);
        expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(400);
        await mailSettled(t);
      });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(output).toContain('"event":"password.reset_requested"');
      expect(output).toContain('"event":"password.reset"');
      expect(output).not.toContain(token);
      expect(output).not.toContain(user.email);
    });
  });

  describe('with the mail server down', () => {
    let t: TestApp;
    beforeAll(async () => {
      // A port nothing listens on: every connection is refused.
      t = await startTestApp({ NODE_ENV: 'development', SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, APP_URL: MAIL_APP_URL });
    });
    afterAll(() => t.close());

    it('forgot - still answers 200 with the usual page, then logs mail.failed (ids only, never the address)', async () => {
      const user = await signUp(t.agent());
      const output = await captureOutput(async () => {
        const res = await askForReset(t.agent(), user.email);
        expect(res.status).toBe(200);
        expect(res.text).toContain('If an account has that address');
        const json = await t.agent().post('/auth/forgot').send({ email: user.email });
        expect(json.status).toBe(202);
        await mailSettled(t);
      });
      const failures = output.split('\n').filter((line) => line.includes('"event":"mail.failed"') && line.includes('reset-password'));
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatch(/"userId":"[0-9a-f]{24}"/);
      // nodemailer's code for a refused connection; the message, which may quote addresses, is not logged.
      expect(failures[0]).toContain('reset-password: ESOCKET');
      expect(output).not.toContain(user.email);
    });
  });

  describe('timing', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ SMTP_URL: mailbox.smtpUrl, APP_URL: MAIL_APP_URL })));
    afterAll(() => t.close());

    /**
     * Statistical, with generous bounds: interleaved requests for addresses
     * with and without an account, each timed in a quiet app (the previous
     * request's mail has left). The AUC is the share of (known, unknown)
     * pairs where the known one was slower: 0.5 when the time does not
     * depend on the account, near 1 when it does (a look-up, a token insert
     * or the SMTP conversation before answering). Bounds 0.2 to 0.8 are about
     * four standard deviations of chance at 40 pairs.
     */
    it('forgot takes the same time whether or not the address has an account (AUC within 0.2 to 0.8)', async () => {
      const PAIRS = 40;
      const users = [];
      for (let i = 0; i < PAIRS; i++) users.push(await signUp(t.agent()));
      await mailSettled(t);
      const known: number[] = [];
      const unknown: number[] = [];
      const timed = async (email: string) => {
        const agent = t.agent();
        const started = performance.now();
        const res = await agent.post('/auth/forgot').send({ email });
        const elapsed = performance.now() - started;
        expect(res.status).toBe(202);
        await mailSettled(t);
        return elapsed;
      };
      for (let i = 0; i < PAIRS; i++) {
        // Alternate which goes first, so neither side always follows the other.
        if (i % 2 === 0) {
          known.push(await timed(users[i].email));
          unknown.push(await timed(uniqueUser('ghost').email));
        } else {
          unknown.push(await timed(uniqueUser('ghost').email));
          known.push(await timed(users[i].email));
        }
      }
      let slower = 0;
      for (const k of known) for (const u of unknown) slower += k > u ? 1 : k === u ? 0.5 : 0;
      const auc = slower / (known.length * unknown.length);
      expect(auc).toBeGreaterThan(0.2);
      expect(auc).toBeLessThan(0.8);
      // And the mail really went for the accounts only.
      expect(mailbox.to(users[0].email).some((m) => RESET_SUBJECT.test(m.subject))).toBe(true);
    }, 180_000);
  });

  describe('throttling', () => {
    let t: TestApp;
    beforeAll(
      async () =>
        (t = await startTestApp({ SMTP_URL: mailbox.smtpUrl, APP_URL: MAIL_APP_URL, RATE_LIMIT_PER_IP: '12/1m', TRUST_PROXY: 'true' })),
    );
    afterAll(() => t.close());

    it(`forgot per address - ${MAILS_PER_WINDOW} mails, then 429 alike with and without an account; never a lockout`, async () => {
      const user = await signUp(t.agent());
      const ghost = uniqueUser('ghost').email;
      const forgot = (email: string) => t.agent().post('/auth/forgot').send({ email });
      for (let i = 0; i < MAILS_PER_WINDOW; i++) {
        expect((await forgot(user.email)).status).toBe(202);
        expect((await forgot(ghost)).status).toBe(202);
      }
      const [known, unknown] = [await forgot(user.email), await forgot(ghost)];
      expect([known.status, unknown.status]).toEqual([429, 429]);
      expect(known.body).toEqual(unknown.body);
      expect(known.body.message).toBe(RecoveryErrors.TOO_MANY_MAILS.message);
      await mailSettled(t);
      expect(mailbox.to(user.email).filter((m) => RESET_SUBJECT.test(m.subject))).toHaveLength(MAILS_PER_WINDOW);
      // Not a lockout: the owner still logs in, and a link already sent still works.
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
      const token = tokenIn(mailbox.to(user.email).filter((m) => RESET_SUBJECT.test(m.subject))[0], '/auth/reset');
      expect((await submitReset(t.agent(), token, NEW_PASSWORD)).status).toBe(303);
    });

    it('forgot per IP - 429 with Retry-After once RATE_LIMIT_PER_IP is used up, whatever the addresses', async () => {
      const responses = [];
      for (let i = 0; i < 14; i++) {
        responses.push(
          await t
            .agent()
            .post('/auth/forgot')
            .set('X-Forwarded-For', '203.0.113.9')
            .send({ email: uniqueUser('spray').email }),
        );
      }
      const statuses = responses.map((r) => r.status);
      expect(statuses).toContain(429);
      expect(statuses.slice(statuses.indexOf(429)).every((s) => s === 429)).toBe(true);
      expect(responses[responses.length - 1].headers['retry-after']).toMatch(/^\d+$/);
    });
  });

  describe('resend throttling', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ SMTP_URL: mailbox.smtpUrl, APP_URL: MAIL_APP_URL })));
    afterAll(() => t.close());

    it(`POST /account/verify-email/resend - 303 to /profile and a new link ${MAILS_PER_WINDOW} times, then 429`, async () => {
      const agent = t.agent();
      const user = await signUp(agent);
      const resend = async () => {
        const _csrf = await csrfToken(agent, '/profile');
        return agent.post('/account/verify-email/resend').set('Accept', 'text/html').type('form').send({ _csrf });
      };
      for (let i = 0; i < MAILS_PER_WINDOW; i++) {
        const res = await resend();
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/profile');
      }
      expect((await resend()).status).toBe(429);
      await mailSettled(t);
      // The sign-up's link and three more.
      expect(mailbox.to(user.email).filter((m) => /Confirm your email address/.test(m.subject))).toHaveLength(1 + MAILS_PER_WINDOW);
    });
  });

  describe('expiry', () => {
    let t: TestApp;
    beforeAll(
      async () =>
        (t = await startTestApp({ SMTP_URL: mailbox.smtpUrl, APP_URL: MAIL_APP_URL, RESET_TOKEN_TTL: '1s', VERIFY_TOKEN_TTL: '1s' })),
    );
    afterAll(() => t.close());

    it('a reset link past RESET_TOKEN_TTL - 400 on GET and POST, and the password is unchanged', async () => {
      const user = await signUp(t.agent());
      const token = await resetToken(t, mailbox, user);
      await sleep(1_100);
      expect((await t.agent().get(`/auth/reset?token=${token}`).set('Accept', 'text/html')).status).toBe(400);
      expect((await t.agent().post('/auth/reset').send({ token, newPassword: NEW_PASSWORD })).status).toBe(400);
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
    });

    it('a verification link past VERIFY_TOKEN_TTL - 400 on GET and POST, and the address stays unverified', async () => {
      const agent = t.agent();
      const user = await signUp(agent);
      const token = await verifyToken(t, mailbox, user.email);
      await sleep(1_100);
      expect((await t.agent().get(`/auth/verify-email?token=${token}`).set('Accept', 'text/html')).status).toBe(400);
      expect((await confirmLink(t.agent(), token)).status).toBe(400);
      const login = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
      const profile = await t.agent().get('/profile').set('Authorization', `Bearer ${login.body.access_token}`);
      expect(profile.body.emailVerified).toBe(false);
    });
  });
});
