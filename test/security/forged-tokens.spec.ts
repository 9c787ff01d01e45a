/**
 * Attack 1: forged access tokens. Every forgery gets 401 (never a 500 or a
 * 200), whether it comes as a Bearer header or as the access cookie.
 */
import jwt from 'jsonwebtoken';
import { createHmac, randomBytes } from 'node:crypto';
import { AuthCookies } from '../../src/auth/auth-cookies';
import { jwtClaims } from '../support/jwt';
import { adminAccessToken } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { signUpWithTokens, uniqueUser } from '../support/users';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A token put together by hand: any header, any claims, any signature. */
function handmade(header: unknown, claims: unknown, signature = ''): string {
  return `${b64(header)}.${b64(claims)}.${signature}`;
}

/** HS256 over the exact segments given, so headers and claims can be anything an attacker likes. */
function hs256(header: unknown, claims: unknown, key: string): string {
  const unsigned = `${b64(header)}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** One character in the middle changed (all six bits of a middle base64url character are significant). */
function flipMiddle(segment: string): string {
  const i = Math.floor(segment.length / 2);
  return `${segment.slice(0, i)}${segment[i] === 'A' ? 'B' : 'A'}${segment.slice(i + 1)}`;
}

type Carrier = 'Bearer header' | 'access cookie';
const CARRIERS: Carrier[] = ['Bearer header', 'access cookie'];

describe('forged access tokens', () => {
  let t: TestApp;
  /** A real login whose token the forgeries start from. */
  let real: { accessToken: string; refreshToken: string; claims: Record<string, unknown>; username: string };
  let secret: string;

  beforeAll(async () => {
    t = await startTestApp();
    secret = t.config.jwtSecret;
    const session = await signUpWithTokens(t.agent(), uniqueUser('forge'));
    real = { ...session, claims: jwtClaims(session.accessToken), username: session.user.username };
  });
  afterAll(() => t.close());

  function getProfile(token: string, carrier: Carrier) {
    const req = t.agent().get('/profile').set('Accept', 'application/json');
    return carrier === 'Bearer header'
      ? req.set('Authorization', `Bearer ${token}`)
      : req.set('Cookie', `${t.app.get(AuthCookies).accessName}=${token}`);
  }

  async function expectRefused(token: string, carrier: Carrier) {
    const res = await getProfile(token, carrier);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toContain(real.username);
  }

  describe.each(CARRIERS)('as the %s', (carrier) => {
    it('GET /profile with the untouched real token - 200 (control: the forgeries below differ only in what is forged)', async () => {
      const res = await getProfile(real.accessToken, carrier);
      expect(res.status).toBe(200);
      expect(res.body.username).toBe(real.username);
    });

    it.each(['none', 'None', 'NONE', 'nOnE'])('GET /profile with alg "%s" and no signature - 401', async (alg) => {
      await expectRefused(handmade({ alg, typ: 'JWT' }, real.claims), carrier);
    });

    it('GET /profile with alg "none" but the original signature kept - 401', async () => {
      const signature = real.accessToken.split('.')[2];
      await expectRefused(handmade({ alg: 'none', typ: 'JWT' }, real.claims, signature), carrier);
    });

    it('GET /profile with alg "none" and only two segments - 401', async () => {
      await expectRefused(`${b64({ alg: 'none' })}.${b64(real.claims)}`, carrier);
    });

    it('GET /profile with HS256 signed by another key (jsonwebtoken) - 401', async () => {
      const { iat: _i, exp: _e, ...claims } = real.claims;
      const forged = jwt.sign(claims, 'an-attackers-key-that-is-long-enough-0123456789', { algorithm: 'HS256', expiresIn: 300 });
      await expectRefused(forged, carrier);
    });

    it('GET /profile with HS256 signed by an empty key - 401', async () => {
      await expectRefused(hs256({ alg: 'HS256', typ: 'JWT' }, real.claims, ''), carrier);
    });

    it.each(['HS384', 'HS512'] as const)(
      'GET /profile with %s signed by the real key - 401 (only HS256 is accepted)',
      async (algorithm) => {
        const { iat: _i, exp: _e, ...claims } = real.claims;
        await expectRefused(jwt.sign(claims, secret, { algorithm, expiresIn: 300 }), carrier);
      },
    );

    it('GET /profile with the payload changed to roles ["admin"] and the old signature kept - 401', async () => {
      const [header, , signature] = real.accessToken.split('.');
      await expectRefused(`${header}.${b64({ ...real.claims, roles: ['admin'] })}.${signature}`, carrier);
    });

    it('GET /profile with the payload changed to another user id and the old signature kept - 401', async () => {
      const [header, , signature] = real.accessToken.split('.');
      await expectRefused(`${header}.${b64({ ...real.claims, sub: '0123456789abcdef01234567' })}.${signature}`, carrier);
    });

    it('GET /profile with one character of the signature changed - 401', async () => {
      const [header, payload, signature] = real.accessToken.split('.');
      await expectRefused(`${header}.${payload}.${flipMiddle(signature)}`, carrier);
    });

    it('GET /profile with the signature removed - 401', async () => {
      const [header, payload] = real.accessToken.split('.');
      await expectRefused(`${header}.${payload}.`, carrier);
    });

    it('GET /profile with a correctly signed token that has no exp (jsonwebtoken) - 401', async () => {
      const { iat: _i, exp: _e, ...claims } = real.claims;
      await expectRefused(jwt.sign(claims, secret, { algorithm: 'HS256' }), carrier);
    });

    it('GET /profile with a correctly signed token whose exp is a string - 401', async () => {
      await expectRefused(hs256({ alg: 'HS256', typ: 'JWT' }, { ...real.claims, exp: String(now() + 300) }, secret), carrier);
    });

    it('GET /profile with a correctly signed token that expired a minute ago (jsonwebtoken) - 401', async () => {
      const { iat: _i, exp: _e, ...claims } = real.claims;
      await expectRefused(jwt.sign({ ...claims, iat: now() - 600, exp: now() - 60 }, secret, { algorithm: 'HS256' }), carrier);
    });

    it('GET /profile with a correctly signed token whose nbf is an hour ahead (jsonwebtoken) - 401', async () => {
      const { iat: _i, exp: _e, ...claims } = real.claims;
      await expectRefused(jwt.sign({ ...claims, nbf: now() + 3600 }, secret, { algorithm: 'HS256', expiresIn: 300 }), carrier);
    });

    it.each([
      ['"refresh"', 'refresh'],
      ['"id"', 'id'],
      ['"Access" (other case)', 'Access'],
      ['["access"] (an array)', ['access']],
      ['absent', undefined],
    ])('GET /profile with a correctly signed token whose typ is %s - 401', async (_label, typ) => {
      const { iat: _i, exp: _e, typ: _t, ...claims } = real.claims;
      const payload = typ === undefined ? claims : { ...claims, typ };
      await expectRefused(jwt.sign(payload, secret, { algorithm: 'HS256', expiresIn: 300 }), carrier);
    });

    it('GET /profile with a correctly signed token that names no login (no sid) - 401', async () => {
      const { iat: _i, exp: _e, sid: _s, ...claims } = real.claims;
      await expectRefused(jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: 300 }), carrier);
    });

    it('GET /profile with the refresh token presented as the access token - 401', async () => {
      await expectRefused(real.refreshToken, carrier);
    });

    it.each([
      ['48 random bytes', () => randomBytes(48).toString('base64url')],
      ['three random segments', () => [16, 64, 32].map((n) => randomBytes(n).toString('base64url')).join('.')],
      ['segments that are not base64url JSON', () => 'not.a.jwt'],
      ['a header that is JSON null', () => `${b64('null')}.${b64(real.claims)}.${real.accessToken.split('.')[2]}`],
      ['claims that are a JSON string', () => hs256({ alg: 'HS256', typ: 'JWT' }, 'just a string', secret)],
      [
        'a 6 KB token',
        () => `${b64({ alg: 'HS256' })}.${randomBytes(4500).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
      ],
    ])('GET /profile with %s as the token - 401, not 500', async (_label, make) => {
      await expectRefused(make(), carrier);
    });
  });

  it('GET /profile with a forged Bearer token beside a valid access cookie - 401 (the header is not skipped for the cookie)', async () => {
    const [header, , signature] = real.accessToken.split('.');
    const forged = `${header}.${b64({ ...real.claims, roles: ['admin'] })}.${signature}`;
    const res = await t
      .agent()
      .get('/profile')
      .set('Accept', 'application/json')
      .set('Authorization', `Bearer ${forged}`)
      .set('Cookie', `${t.app.get(AuthCookies).accessName}=${real.accessToken}`);
    expect(res.status).toBe(401);
  });

  it('GET /admin/users with a user token whose roles were edited to ["admin"] - 401, never the admin page', async () => {
    const [header, , signature] = real.accessToken.split('.');
    const forged = `${header}.${b64({ ...real.claims, roles: ['admin'] })}.${signature}`;
    const res = await t.agent().get('/admin/users').set('Accept', 'application/json').set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
  });

  it('GET /admin/users with a real admin token - 200 (control for the edited-roles test)', async () => {
    const res = await t
      .agent()
      .get('/admin/users')
      .set('Accept', 'application/json')
      .set('Authorization', `Bearer ${await adminAccessToken(t)}`);
    expect(res.status).toBe(200);
  });

  it.each(['access_token', 'token', 'jwt', 'bearer'])(
    'GET /profile?%s=<valid token> with no header or cookie - 401, the query string is never read',
    async (param) => {
      const res = await t
        .agent()
        .get(`/profile?${param}=${encodeURIComponent(real.accessToken)}`)
        .set('Accept', 'application/json');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
    },
  );

  it('GET /profile?access_token=<valid token> as a browser - 303 to the login form, never the profile page', async () => {
    const res = await t
      .agent()
      .get(`/profile?access_token=${encodeURIComponent(real.accessToken)}`)
      .set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/auth\/login\?next=/);
  });
});
