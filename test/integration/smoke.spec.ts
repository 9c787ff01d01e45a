import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp } from '../support/users';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('sign-up then JSON login then Bearer profile - returns the profile', async () => {
    const user = await signUp(t.agent());
    const tokens = await apiLogin(t.agent(), user);
    const res = await t.agent().get('/profile').set('Authorization', `Bearer ${tokens.access_token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: user.username, email: user.email, roles: ['user'] });
  });
});
