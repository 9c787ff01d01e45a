/**
 * Logging in again in the same browser replaces its cookies; the login they
 * belonged to must end on the server too, not stay usable by whoever kept a
 * copy of its refresh token.
 */
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, browserRefresh, cookieValue, signUpWithTokens, submitForm, uniqueUser } from '../support/users';

describe('logging in again in the same browser', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('a second form login - the replaced login is ended: its refresh token answers 401, the new one works', async () => {
    const browser = t.agent();
    const first = await signUpWithTokens(browser, uniqueUser('again'));
    const res = await submitForm(browser, '/auth/login', { username: first.user.username, password: first.user.password });
    expect(res.status).toBe(303);
    const second = cookieValue(res, 'refresh')!;
    expect(second.split('.')[0]).not.toBe(first.refreshToken.split('.')[0]);

    expect((await apiRefresh(t.agent(), first.refreshToken)).status).toBe(401);
    expect((await browserRefresh(browser)).status).toBe(200);
  });

  it('a sign-up to another account while logged in - the replaced login is ended', async () => {
    const browser = t.agent();
    const first = await signUpWithTokens(browser, uniqueUser('first'));
    await signUpWithTokens(browser, uniqueUser('second'));
    expect((await apiRefresh(t.agent(), first.refreshToken)).status).toBe(401);
  });

  it('a wrong password in the same browser - the login it holds stays', async () => {
    const browser = t.agent();
    const first = await signUpWithTokens(browser, uniqueUser('typo'));
    const res = await submitForm(browser, '/auth/login', { username: first.user.username, password: 'Wrong-password-1' });
    expect(res.status).toBe(401);
    expect((await apiRefresh(t.agent(), first.refreshToken)).status).toBe(200);
  });

  it('a JSON login from the same browser (it sets no cookies) - the browser keeps its login', async () => {
    const browser = t.agent();
    const first = await signUpWithTokens(browser, uniqueUser('json'));
    const res = await browser.post('/auth/login').send({ username: first.user.username, password: first.user.password });
    expect(res.status).toBe(200);
    expect((await browserRefresh(browser)).status).toBe(200);
  });

  it('an API login, then a form login in a browser - the API login is not touched (another client)', async () => {
    const user = (await signUpWithTokens(t.agent(), uniqueUser('api'))).user;
    const api = await apiLogin(t.agent(), user);
    const res = await submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password });
    expect(res.status).toBe(303);
    expect((await apiRefresh(t.agent(), api.refresh_token)).status).toBe(200);
  });
});
