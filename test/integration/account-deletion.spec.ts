import { LinkToken } from '../../src/recovery/schemas/link-token.schema';
import { RecoveryErrors } from '../../src/recovery/recovery.errors';
import { getModelToken } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Agent, loginBrowser, makeAdmin, sessionsModel, signUpBrowser, userId } from '../support/lifecycle';
import { TestMailbox } from '../support/smtp';
import { DELETED_SUBJECT, mailSettled, resetToken, startMailApp, stopMailApp, submitReset } from '../support/smtp-flows';
import { TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, browserRefresh, clearsCookie, csrfToken, setCookie, signUp } from '../support/users';

/** Leaving: password, everything removed, cookies cleared, names free again, and an admin always left. */
describe('account deletion', () => {
  let mailbox: TestMailbox;
  let t: TestApp;
  beforeAll(async () => ({ mailbox, t } = await startMailApp()));
  afterAll(() => stopMailApp({ mailbox, t }));

  const deleteAccount = async (agent: Agent, currentPassword: string) => {
    const _csrf = await csrfToken(agent, '/account/delete');
    return agent.post('/account/delete').set('Accept', 'text/html').type('form').send({ currentPassword, _csrf });
  };

  it('the last admin cannot delete themselves (409); once another admin exists, they can', async () => {
    const first = await makeAdmin(t, (await signUpBrowser(t)).user);
    const refused = await deleteAccount(first.agent, first.user.password);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(RecoveryErrors.LAST_ADMIN.message);
    await makeAdmin(t, (await signUpBrowser(t)).user);
    expect((await deleteAccount(first.agent, first.user.password)).status).toBe(303);
  });

  it('GET /account/delete - a form with currentPassword and _csrf', async () => {
    const { agent } = await signUpBrowser(t);
    const res = await agent.get('/account/delete').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    const form = /<form method="post" action="\/account\/delete"[^>]*>([\s\S]*?)<\/form>/.exec(res.text)?.[1];
    expect(form).toMatch(/name="currentPassword"[^>]*type="password"|type="password"[^>]*name="currentPassword"/);
    expect(form).toMatch(/name="_csrf"/);
  });

  it('wrong password - 401, re-rendered, and the account is still there', async () => {
    const { agent, user } = await signUpBrowser(t);
    const res = await deleteAccount(agent, 'not-the-password');
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/id="currentPassword-error"/);
    expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
  });

  it('success - 303 to /, cookies cleared; the user, their sessions and their links are gone; no login or refresh; a mail says so', async () => {
    const me = await signUpBrowser(t);
    const other = await loginBrowser(t, me.user);
    const api = await apiLogin(t.agent(), me.user);
    const id = await userId(t, me.user.username);
    const reset = await resetToken(t, mailbox, me.user);

    const res = await deleteAccount(me.agent, me.user.password);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(clearsCookie(setCookie(res, 'access'))).toBe(true);
    expect(clearsCookie(setCookie(res, 'refresh'))).toBe(true);

    expect((await t.agent().post('/auth/login').send({ username: me.user.username, password: me.user.password })).status).toBe(401);
    expect((await browserRefresh(other.agent)).status).toBe(401);
    expect((await apiRefresh(t.agent(), api.refresh_token)).status).toBe(401);
    expect(await sessionsModel(t).countDocuments({ userId: new Types.ObjectId(id) })).toBe(0);
    const links = t.app.get<Model<LinkToken>>(getModelToken(LinkToken.name));
    expect(await links.countDocuments({ userId: new Types.ObjectId(id) })).toBe(0);
    expect((await submitReset(t.agent(), reset, 'a-Fresh-passphrase-42')).status).toBe(400);
    await mailSettled(t);
    await mailbox.waitFor(me.user.email, DELETED_SUBJECT);
  });

  it('after deletion the username and the address are free: the same sign-up succeeds', async () => {
    const { agent, user } = await signUpBrowser(t);
    expect((await deleteAccount(agent, user.password)).status).toBe(303);
    expect((await signUp(t.agent(), user)).username).toBe(user.username);
  });

  it('as JSON with a Bearer token - 204', async () => {
    const user = (await signUpBrowser(t)).user;
    const api = await apiLogin(t.agent(), user);
    const res = await t
      .agent()
      .post('/account/delete')
      .set('Authorization', `Bearer ${api.access_token}`)
      .send({ currentPassword: user.password });
    expect(res.status).toBe(204);
    expect((await apiRefresh(t.agent(), api.refresh_token)).status).toBe(401);
  });
});
