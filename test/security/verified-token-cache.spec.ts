/**
 * The strategy remembers tokens it has verified (VerifiedTokens), so a hit
 * must answer exactly as a full verification would: an expired token, and a
 * token altered by one character after its original was remembered, are
 * refused all the same.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp } from '../support/users';

describe('verified access tokens remembered by the strategy', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ ACCESS_TOKEN_TTL: '2s' })));
  afterAll(() => t.close());

  const profile = (token: string) => t.agent().get('/profile').set('Authorization', `Bearer ${token}`);

  it('a token used, then past its exp - 401, although it answered 200 from memory a moment before', async () => {
    const token = (await apiLogin(t.agent(), await signUp(t.agent()))).access_token;
    expect((await profile(token)).status).toBe(200);
    expect((await profile(token)).status).toBe(200);
    await sleep(2_100);
    expect((await profile(token)).status).toBe(401);
  });

  it('a remembered token with its signature or its claims altered - 401, the original still 200', async () => {
    const token = (await apiLogin(t.agent(), await signUp(t.agent()))).access_token;
    expect((await profile(token)).status).toBe(200);
    const [header, claims, signature] = token.split('.');
    // A character in the middle: the last one of a 64-byte signature carries padding bits that decode alike.
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect((await profile(`${header}.${claims}.${flipped}`)).status).toBe(401);
    const admin = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), roles: ['admin'] })).toString(
      'base64url',
    );
    expect((await profile(`${header}.${admin}.${signature}`)).status).toBe(401);
    expect((await profile(token)).status).toBe(200);
  });
});
