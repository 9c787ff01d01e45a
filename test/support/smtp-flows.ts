import { Outbox } from '../../src/mail/outbox';
import { startTestApp, TestApp } from './test-app';
import { TestMailbox, tokenIn } from './smtp';
import { csrfToken, TestUser } from './users';

type Agent = ReturnType<TestApp['agent']>;

/** The origin the suites give APP_URL: links must start with it, whatever Host the request had. */
export const MAIL_APP_URL = 'http://latchkey.test';

/** An app that sends its mail to a real SMTP server of the test's own. */
export async function startMailApp(env: Record<string, string> = {}): Promise<{ mailbox: TestMailbox; t: TestApp }> {
  const mailbox = await TestMailbox.start();
  return { mailbox, t: await startTestApp({ SMTP_URL: mailbox.smtpUrl, APP_URL: MAIL_APP_URL, ...env }) };
}

export async function stopMailApp({ mailbox, t }: { mailbox: TestMailbox; t: TestApp }): Promise<void> {
  await t.close();
  await mailbox.stop();
}

export const RESET_SUBJECT = /Reset your Latchkey password/;
export const VERIFY_SUBJECT = /Confirm your email address/;
export const CHANGE_SUBJECT = /Confirm your new email address/;
export const PASSWORD_CHANGED_SUBJECT = /password was changed/;
export const EMAIL_CHANGE_REQUESTED_SUBJECT = /asked to change the email address of your Latchkey account/;
export const EMAIL_CHANGED_SUBJECT = /email address of your Latchkey account was changed/;
export const DELETED_SUBJECT = /account was deleted/;

/** Waits until every mail and deferred forgot-password task of the app has finished. */
export function mailSettled(t: TestApp): Promise<void> {
  return t.app.get(Outbox).idle();
}

/** Asks for a reset link with the form, as a browser does. */
export async function askForReset(agent: Agent, email: string) {
  const _csrf = await csrfToken(agent, '/auth/forgot');
  return agent.post('/auth/forgot').set('Accept', 'text/html').type('form').send({ email, _csrf });
}

/** Asks for a reset link and returns the token of the mail it brought. */
export async function resetToken(t: TestApp, mailbox: TestMailbox, user: TestUser): Promise<string> {
  const before = mailbox.to(user.email).length;
  const res = await askForReset(t.agent(), user.email);
  if (res.status !== 200) throw new Error(`forgot answered ${res.status}`);
  await mailSettled(t);
  const mails = mailbox
    .to(user.email)
    .slice(before)
    .filter((m) => RESET_SUBJECT.test(m.subject));
  if (mails.length !== 1) throw new Error(`expected one new reset mail, got ${mails.length}`);
  return tokenIn(mails[0], '/auth/reset');
}

/** Submits the reset form that GET /auth/reset?token=… shows. */
export async function submitReset(agent: Agent, token: string, newPassword: string) {
  const _csrf = await csrfToken(agent, `/auth/reset?token=${encodeURIComponent(token)}`);
  return agent.post('/auth/reset').set('Accept', 'text/html').type('form').send({ token, newPassword, _csrf });
}

/** The verification token of the newest verification mail to this address. */
export async function verifyToken(t: TestApp, mailbox: TestMailbox, email: string, subject = VERIFY_SUBJECT): Promise<string> {
  await mailSettled(t);
  const mail = await mailbox.waitFor(email, subject);
  const newest =
    mailbox
      .to(email)
      .filter((m) => subject.test(m.subject))
      .pop() ?? mail;
  return tokenIn(newest, '/auth/verify-email');
}

/** Presses the confirm button of GET /auth/verify-email?token=…. */
export async function confirmLink(agent: Agent, token: string) {
  const _csrf = await csrfToken(agent, `/auth/verify-email?token=${encodeURIComponent(token)}`);
  return agent.post('/auth/verify-email').set('Accept', 'text/html').type('form').send({ token, _csrf });
}

/** Everything written to stdout and stderr while `during` runs (the app's log lines). */
export async function captureOutput(during: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }),
  );
  try {
    await during();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join('');
}
