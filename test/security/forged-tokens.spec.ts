/**
 * Attack 1: forged access tokens. Every forgery gets 401 (never a 500 or a
 * 200), whether it comes as a Bearer header or as the access cookie.
 */
import jwt from 'jsonwebtoken';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { AuthCookies } from '../../src/auth/auth-cookies';
import { SigningKeysService } from '../../src/keys/signing-keys.service';
import { b64, es256, forgeJwt, jwtClaims, jwtHeader, signWithAppKey } from '../support/jwt';
import { adminAccessToken } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { signUpWithTokens, uniqueUser } from '../support/users';

const now = () => Math.floor(Date.now() / 1000);

/** A token put together by hand: any header, any claims, any signature. */
function handmade(header: unknown, claims: unknown, signature = ''): string {
  return `${b64(header)}.${b64(claims)}.${signature}`;
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
  /** What signed access tokens before the signing keys; still set, as on a deployment that upgraded. */
  const oldJwtSecret = randomBytes(48).toString('base64url');
  let kid: string;
  /** The public key, as the JWKS publishes it and as PEM: a symmetric key anyone can read. */
  let publicPem: string;
  let publicJwk: string;
  /** The signature of the app's own key over whatever a test chooses. */
  let signed: (claims: unknown, header?: Record<string, unknown>) => string;

  beforeAll(async () => {
    t = await startTestApp({ JWT_SECRET: oldJwtSecret });
    signed = (claims, header) => signWithAppKey(t.app, claims, header);
    kid = t.app.get(SigningKeysService).signer().kid;
    const jwks = (await t.agent().get('/.well-known/jwks.json')).body as { keys: Array<{ kid: string }> };
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    publicJwk = JSON.stringify(jwk);
    publicPem = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
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

    it('the real token - ES256 with the current kid in its header (control: what the forgeries below imitate)', () => {
      expect(jwtHeader(real.accessToken)).toEqual({ alg: 'ES256', typ: 'JWT', kid });
    });

    it('GET /profile with HS256 signed by another key and the real kid (jsonwebtoken) - 401', async () => {
      const { iat: _i, exp: _e, ...claims } = real.claims;
      const forged = jwt.sign(claims, 'an-attackers-key-that-is-long-enough-0123456789', {
        algorithm: 'HS256',
        expiresIn: 300,
        keyid: kid,
      });
      await expectRefused(forged, carrier);
    });

    it('GET /profile with HS256 signed by an empty key - 401', async () => {
      await expectRefused(forgeJwt(real.claims, '', 'HS256', { kid }), carrier);
    });

    it('GET /profile with HS256 signed by the old JWT_SECRET, with and without the kid - 401 (it signs nothing any more)', async () => {
      await expectRefused(forgeJwt(real.claims, oldJwtSecret), carrier);
      await expectRefused(forgeJwt(real.claims, oldJwtSecret, 'HS256', { kid }), carrier);
    });

    it.each(['HS256', 'HS384', 'HS512'] as const)(
      'GET /profile with %s keyed with the public key (PEM or JWK text) and the real kid - 401 (the algorithm confusion)',
      async (alg) => {
        await expectRefused(forgeJwt(real.claims, publicPem, alg, { kid }), carrier);
        await expectRefused(forgeJwt(real.claims, publicJwk, alg, { kid }), carrier);
      },
    );

    it('GET /profile with ES256 signed by another P-256 key under the real kid - 401', async () => {
      await expectRefused(es256({ kid }, real.claims, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), carrier);
    });

    it.each([
      ['an unknown kid', () => ({ kid: 'not-a-key-of-ours' })],
      ['no kid', () => ({ kid: undefined })],
      ['a kid that is a number', () => ({ kid: 1 })],
      ['a kid that is an array holding the real one', () => ({ kid: [kid] })],
      ['alg ES384 with the real kid', () => ({ alg: 'ES384' })],
      ['alg RS256 with the real kid', () => ({ alg: 'RS256' })],
    ])("GET /profile with the real key's signature but %s - 401", async (_label, header) => {
      await expectRefused(signed(real.claims, header()), carrier);
    });

    it('GET /profile with a correctly signed token from another issuer - 401', async () => {
      await expectRefused(signed({ ...real.claims, iss: 'https://evil.example' }), carrier);
      const { iss: _, ...withoutIssuer } = real.claims;
      await expectRefused(signed(withoutIssuer), carrier);
    });

    it('GET /profile with a correctly re-signed copy of the real token - 200 (control for the signed forgeries)', async () => {
      expect((await getProfile(signed(real.claims), carrier)).status).toBe(200);
    });

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

    it('GET /profile with a correctly signed token that has no exp - 401', async () => {
      const { exp: _e, ...claims } = real.claims;
      await expectRefused(signed(claims), carrier);
    });

    it('GET /profile with a correctly signed token whose exp is a string - 401', async () => {
      await expectRefused(signed({ ...real.claims, exp: String(now() + 300) }), carrier);
    });

    it('GET /profile with a correctly signed token that expired a minute ago - 401', async () => {
      await expectRefused(signed({ ...real.claims, iat: now() - 600, exp: now() - 60 }), carrier);
    });

    it('GET /profile with a correctly signed token whose nbf is an hour ahead - 401', async () => {
      await expectRefused(signed({ ...real.claims, nbf: now() + 3600 }), carrier);
    });

    it.each([
      ['"refresh"', 'refresh'],
      ['"id"', 'id'],
      ['"Access" (other case)', 'Access'],
      ['["access"] (an array)', ['access']],
      ['absent', undefined],
    ])('GET /profile with a correctly signed token whose typ is %s - 401', async (_label, typ) => {
      const { typ: _t, ...claims } = real.claims;
      await expectRefused(signed(typ === undefined ? claims : { ...claims, typ }), carrier);
    });

    it('GET /profile with a correctly signed token that names no login (no sid) - 401', async () => {
      const { sid: _s, ...claims } = real.claims;
      await expectRefused(signed(claims), carrier);
    });

    it('GET /profile with the refresh token presented as the access token - 401', async () => {
      await expectRefused(real.refreshToken, carrier);
    });

    it.each([
      ['48 random bytes', () => randomBytes(48).toString('base64url')],
      ['three random segments', () => [16, 64, 32].map((n) => randomBytes(n).toString('base64url')).join('.')],
      ['segments that are not base64url JSON', () => 'not.a.jwt'],
      ['a header that is JSON null', () => `${b64('null')}.${b64(real.claims)}.${real.accessToken.split('.')[2]}`],
      ['claims that are a JSON string', () => signed('just a string')],
      ['claims that are JSON null', () => signed('null')],
      [
        'a 6 KB token',
        () => `${b64({ alg: 'ES256', kid })}.${randomBytes(4500).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
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
