import { ConfigService } from '@nestjs/config';
import { loadConfig } from '../../src/config/env.validation';
import { MAIL_SUBJECTS, MailTemplate } from '../../src/mail/mail-templates';
import { Mailer } from '../../src/mail/mailer';
import { databaseUri } from '../support/database';
import { AppProcess, spawnApp, waitFor } from '../support/processes';
import { HttpClient } from '../support/http-client';
import { uniqueUser } from '../support/users';

/**
 * The development mail path with no setup: `node dist/main.js` without
 * SMTP_URL starts the catcher, says where to read mail, links it from the
 * footer, and the mail the app sends shows up on that page.
 */
describe('development mail catcher', () => {
  jest.setTimeout(60_000);
  let app: AppProcess;
  let pageUrl: string;

  beforeAll(async () => {
    const server = process.env.MONGODB_URI;
    if (!server) throw new Error('MONGODB_URI is not set: run the suites through `npm test`');
    app = await spawnApp({ NODE_ENV: 'development', MONGODB_URI: databaseUri(server, `latchkey_catcher_${process.pid}`) });
    await waitFor(
      () => /read sent mail at (http:\/\/127\.0\.0\.1:\d+\/)/.test(app.output()) && /Listening on/.test(app.output()),
      30_000,
      app.output,
    );
    pageUrl = /read sent mail at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(app.output())![1];
  });
  afterAll(() => app.stop());

  it('start-up prints where to read mail, and the footer of every page links there', async () => {
    expect(app.output()).toContain('SMTP_URL is not set: started the development mail catcher');
    const home = await fetch(`${app.url}/`, { headers: { Accept: 'text/html' } });
    expect(await home.text()).toContain(`<a href="${pageUrl}">Sent mail (development)</a>`);
  });

  it("a sign-up's verification mail appears on the page, with its link clickable and the HTML part sandboxed", async () => {
    const user = uniqueUser('catcher');
    const browser = new HttpClient(app.url);
    await browser.get('/auth/signup');
    expect((await browser.postForm('/auth/signup', { ...user })).status).toBe(303);
    let inbox = '';
    await waitFor(
      async () => (inbox = await (await fetch(pageUrl)).text()).includes(user.email),
      10_000,
      () => inbox,
    );
    const messagePath = /<a href="(\/mail\/\d+)">Confirm your email address for Latchkey<\/a>/.exec(
      inbox.slice(inbox.indexOf(user.email)),
    )?.[1];
    expect(messagePath).toBeDefined();
    const message = await fetch(new URL(messagePath!, pageUrl));
    expect(message.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await message.text();
    expect(html).toMatch(/<a href="http:\/\/localhost:\d+\/auth\/verify-email\?token=[\w-]{43}">/);
    expect(html).toContain('<iframe sandbox');
  });

  it('the page is read-only: a POST gets 405', async () => {
    expect((await fetch(pageUrl, { method: 'POST' })).status).toBe(405);
  });
});

describe('mail rendering', () => {
  const mailer = (env: Record<string, string> = {}) =>
    new Mailer(new ConfigService(loadConfig({ NODE_ENV: 'test', APP_URL: 'https://auth.example.com', ...env })) as never);

  it('links start with APP_URL, with the query encoded', () => {
    expect(mailer().link('/auth/reset', { token: 'a b&c' })).toBe('https://auth.example.com/auth/reset?token=a+b%26c');
  });

  it.each(Object.keys(MAIL_SUBJECTS) as MailTemplate[])(
    '%s - renders its subject, a text part and an HTML part in the layout',
    (template) => {
      const variables = {
        username: 'ann',
        link: 'https://auth.example.com/x?token=t',
        expiresIn: '30 minutes',
        email: 'a@example.com',
        newEmail: 'b@example.com',
        forgotLink: 'https://auth.example.com/auth/forgot',
        change: 'Two-factor authentication was turned on',
        securityLink: 'https://auth.example.com/account/security',
        cancelLink: 'https://auth.example.com/auth/email-change/cancel?token=t',
        loggedOut: 'every device that was logged in has been logged out',
      };
      const rendered = mailer().render({ to: 'a@example.com', template, variables });
      expect(rendered.subject).toBe(MAIL_SUBJECTS[template]);
      expect(rendered.text).toContain('ann');
      expect(rendered.html).toMatch(/^<!doctype html>[\s\S]*ann[\s\S]*Sent by Latchkey at <a href="https:\/\/auth.example.com"/);
    },
  );

  it('values are escaped in HTML and verbatim in text', () => {
    const name = '<script>alert(1)</script>';
    const rendered = mailer().render({
      to: 'x@example.com',
      template: 'reset-password',
      variables: { username: name, link: 'https://auth.example.com/auth/reset?token=t', expiresIn: '30 minutes' },
    });
    expect(rendered.subject).toBe('Reset your Latchkey password');
    expect(rendered.text).toContain(name);
    expect(rendered.html).not.toContain(name);
    expect(rendered.html).toContain('&lt;script&gt;');
    expect(rendered.html).toContain('https://auth.example.com');
  });
});
