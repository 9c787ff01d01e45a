import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfToken, setCookie, signUp, submitForm, TestUser, uniqueUser } from '../support/users';
import { PASSWORD_MESSAGES } from '../../src/users/dto/password.rules';
import { UsersErrors } from '../../src/users/users.errors';

/** What an HTML input shows for a value (Handlebars escapes = and quotes; these values have neither). */
const inputValue = (name: string, value: string) => new RegExp(`name="${name}" type="[a-z]+" value="${value.replace(/[.]/g, '\\.')}"`);

describe('sign-up', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const attempt = (fields: Partial<TestUser>) => submitForm(t.agent(), '/auth/signup', fields);
  const countAccounts = (username: string) => t.app.get<Connection>(getConnectionToken()).collection('users').countDocuments({ username });

  it('sign-up with valid fields - 303 to /profile with access and refresh cookies set', async () => {
    const user = uniqueUser();
    const res = await attempt(user);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    expect(setCookie(res, 'access')).toMatch(/=[^;]+/);
    expect(setCookie(res, 'refresh')).toMatch(/=[^;]+/);
  });

  it('sign-up then GET /profile in the same browser - shows the new account', async () => {
    const agent = t.agent();
    const user = await signUp(agent);
    const json = await agent.get('/profile').set('Accept', 'application/json');
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ username: user.username, email: user.email, roles: ['user'] });
    const html = await agent.get('/profile').set('Accept', 'text/html');
    expect(html.status).toBe(200);
    expect(html.text).toContain(`<dd data-testid="profile-username">${user.username}</dd>`);
  });

  it('sign-up with a mixed-case username - keeps the case for display', async () => {
    const base = uniqueUser('mixed');
    const user = { ...base, username: base.username.replace('mixed', 'MiXeD') };
    const agent = t.agent();
    await signUp(agent, user);
    const res = await agent.get('/profile');
    expect(res.body.username).toBe(user.username);
  });

  it('sign-up with an invalid email - 422, the form shows the error and keeps username and email but not the password', async () => {
    const user = { ...uniqueUser(), email: `not-an-email-${uniqueUser().username}` };
    const res = await attempt(user);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<form method="post" action="/auth/signup"');
    expect(res.text).toContain('Enter a valid email address');
    expect(res.text).toMatch(inputValue('username', user.username));
    expect(res.text).toMatch(inputValue('email', user.email));
    expect(res.text).toMatch(/name="password" type="password" value=""/);
    expect(res.text).not.toContain(user.password);
    expect(setCookie(res, 'access')).toBeUndefined();
  });

  it('sign-up with an invalid username - 422 with a username error, typed username kept', async () => {
    const user = { ...uniqueUser(), username: `bad name ${uniqueUser().username.slice(5)}` };
    const res = await attempt(user);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Username must be 3 to 32 characters');
    expect(res.text).toMatch(/id="username-error"/);
    expect(res.text).toMatch(inputValue('username', user.username));
    expect(res.text).not.toContain(user.password);
  });

  it('sign-up with a short password - 422 with a password error and no account created', async () => {
    const user = { ...uniqueUser(), password: 'short1!' };
    const res = await attempt(user);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Password must be at least 8 characters.');
    expect(res.text).toMatch(/id="password-error"/);
    expect(await countAccounts(user.username)).toBe(0);
  });

  it('sign-up with JSON and a validation error - 422 JSON with field errors', async () => {
    const agent = t.agent();
    const token = await csrfToken(agent, '/auth/signup');
    const user = { ...uniqueUser(), email: 'nope' };
    const res = await agent.post('/auth/signup').set('X-CSRF-Token', token).send(user);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, errors: { email: expect.stringContaining('valid email') } });
    expect(typeof res.body.message).toBe('string');
    expect(JSON.stringify(res.body)).not.toContain(user.password);
  });

  it('sign-up with a password over 72 UTF-8 bytes but few characters - 422 naming the byte limit', async () => {
    const user = { ...uniqueUser(), password: 'é'.repeat(37) }; // 37 characters, 74 bytes
    const res = await attempt(user);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Password must be at most 72 bytes');
    expect(await countAccounts(user.username)).toBe(0);
  });

  it('sign-up with a password of 19 emoji (76 bytes) - 422', async () => {
    const res = await attempt({ ...uniqueUser(), password: '😀'.repeat(19) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Password must be at most 72 bytes');
  });

  it('sign-up with a password of exactly 72 UTF-8 bytes - 303 accepted', async () => {
    const res = await attempt({ ...uniqueUser(), password: 'é'.repeat(36) });
    expect(res.status).toBe(303);
  });

  it('sign-up with the password equal to the username - 422 with a password error', async () => {
    const user = uniqueUser();
    const res = await attempt({ ...user, password: user.username });
    expect(res.status).toBe(422);
    expect(res.text).toContain(PASSWORD_MESSAGES.sameAsUsername);
    expect(await countAccounts(user.username)).toBe(0);
  });

  it('sign-up with the password equal to the username in other case - 422', async () => {
    const user = uniqueUser();
    const res = await attempt({ ...user, password: user.username.toUpperCase() });
    expect(res.status).toBe(422);
    expect(res.text).toContain(PASSWORD_MESSAGES.sameAsUsername);
  });

  it('sign-up with a taken username - 409, form re-rendered with a username error and typed values', async () => {
    const first = await signUp(t.agent());
    const second = { ...uniqueUser(), username: first.username };
    const res = await attempt(second);
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain(UsersErrors.USERNAME_TAKEN.message);
    expect(res.text).not.toContain(UsersErrors.EMAIL_TAKEN.message);
    expect(res.text).toMatch(inputValue('username', second.username));
    expect(res.text).toMatch(inputValue('email', second.email));
    expect(res.text).not.toContain(second.password);
    expect(setCookie(res, 'access')).toBeUndefined();
  });

  it('sign-up with a taken email - 409 with an email error', async () => {
    const first = await signUp(t.agent());
    const res = await attempt({ ...uniqueUser(), email: first.email });
    expect(res.status).toBe(409);
    expect(res.text).toContain(UsersErrors.EMAIL_TAKEN.message);
    expect(res.text).not.toContain(UsersErrors.USERNAME_TAKEN.message);
  });

  it('sign-up with a taken email in other case - 409 with an email error', async () => {
    const first = await signUp(t.agent());
    const res = await attempt({ ...uniqueUser(), email: first.email.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.text).toContain(UsersErrors.EMAIL_TAKEN.message);
  });

  it('sign-up with JSON and a taken username - 409 JSON with a username field error', async () => {
    const first = await signUp(t.agent());
    const agent = t.agent();
    const token = await csrfToken(agent, '/auth/signup');
    const res = await agent
      .post('/auth/signup')
      .set('X-CSRF-Token', token)
      .send({ ...uniqueUser(), username: first.username });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, errors: { username: UsersErrors.USERNAME_TAKEN.message } });
  });

  it('sign-up as "alice_…" after "Alice_…" exists - 409, usernames ignore case', async () => {
    const base = uniqueUser('alice');
    await signUp(t.agent(), { ...base, username: base.username.replace('alice', 'Alice') });
    const res = await attempt({ ...uniqueUser(), username: base.username });
    expect(res.status).toBe(409);
    expect(res.text).toContain(UsersErrors.USERNAME_TAKEN.message);
    expect(await countAccounts(base.username)).toBe(0);
  });

  it('sign-up as full-width "ａlice_…" after "alice_…" exists - 409, NFKC maps it to the same name', async () => {
    const base = uniqueUser('alice');
    await signUp(t.agent(), base);
    const res = await attempt({ ...uniqueUser(), username: base.username.replace('a', '\uFF41') });
    expect(res.status).toBe(409);
    expect(res.text).toContain(UsersErrors.USERNAME_TAKEN.message);
  });

  it('sign-up as full-width "ａlice_…" first - stores the NFKC form "alice_…"', async () => {
    const base = uniqueUser('alice');
    const agent = t.agent();
    await signUp(agent, { ...base, username: base.username.replace('a', '\uFF41') });
    const res = await agent.get('/profile');
    expect(res.body.username).toBe(base.username);
  });

  it('20 identical sign-ups in parallel - exactly one account, one 303 and nineteen 409', async () => {
    const user = uniqueUser('race');
    const agents = Array.from({ length: 20 }, () => t.agent());
    const tokens = await Promise.all(agents.map((agent) => csrfToken(agent, '/auth/signup')));
    const responses = await Promise.all(
      agents.map((agent, i) =>
        agent
          .post('/auth/signup')
          .set('Accept', 'text/html')
          .type('form')
          .send({ ...user, _csrf: tokens[i] }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([303, ...Array<number>(19).fill(409)]);
    expect(await countAccounts(user.username)).toBe(1);
  });
});
