import { getModelToken } from '@nestjs/mongoose';
import jwt from 'jsonwebtoken';
import type { Model } from 'mongoose';
import { createPublicKey, JsonWebKey, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SigningKey } from '../../src/keys/signing-key.schema';
import { RELOAD_INTERVAL_MS, SigningKeyStore } from '../../src/keys/signing-key-store';
import { ON_DEMAND_RELOAD_GAP_MS, SigningKeysService } from '../../src/keys/signing-keys.service';
import { jwtHeader, signWithAppKey } from '../support/jwt';
import { runEntryPoint } from '../support/processes';
import { productionEnv, startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, signUp, signUpWithTokens } from '../support/users';

/**
 * Signing keys (docs/architecture.md, docs/http.md): ES256 access tokens
 * with a kid, the JWKS, rotation and retirement without restarts or
 * sign-outs, and several instances on one database.
 */

const dataKey = () => randomBytes(48).toString('base64url');
const keysOf = (t: TestApp) => t.app.get(SigningKeysService);
const modelOf = (t: TestApp) => t.app.get<Model<SigningKey>>(getModelToken(SigningKey.name));

async function profileStatus(t: TestApp, token: string): Promise<number> {
  return (await t.agent().get('/profile').set('Accept', 'application/json').set('Authorization', `Bearer ${token}`)).status;
}

async function jwks(t: TestApp): Promise<Array<Record<string, unknown>>> {
  return ((await t.agent().get('/.well-known/jwks.json')).body as { keys: Array<Record<string, unknown>> }).keys;
}

/** Moves a key's creation into the past, as if it had been made that long ago. */
async function backdate(t: TestApp, kid: string, msAgo: number): Promise<void> {
  await modelOf(t).updateOne({ _id: kid }, { $set: { createdAt: new Date(Date.now() - msAgo) } });
}

/** `npm run keys:…` as an operator runs it in production: those two variables and nothing else. */
function keysCommand(t: TestApp, key: string, ...args: string[]) {
  return runEntryPoint(
    { NODE_ENV: 'production', MONGODB_URI: t.config.mongodbUri!, DATA_ENCRYPTION_KEY: key },
    'src/cli/signing-keys.ts',
    args,
  );
}

describe('signing keys', () => {
  jest.setTimeout(90_000);

  describe('one instance', () => {
    let t: TestApp;
    const key = dataKey();
    beforeAll(async () => {
      t = await startTestApp({ DATA_ENCRYPTION_KEY: key });
    });
    afterAll(() => t.close());

    it('GET /.well-known/jwks.json without logging in - 200, public cacheable for at most 5 minutes, no cookie, public parts only', async () => {
      const res = await t.agent().get('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const maxAge = /^public, max-age=(\d+)$/.exec(res.headers['cache-control']);
      expect(maxAge && Number(maxAge[1])).toBeGreaterThan(0);
      expect(Number(maxAge![1])).toBeLessThanOrEqual(300);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.body.keys).toHaveLength(1);
      const [jwk] = res.body.keys as Array<Record<string, unknown>>;
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: keysOf(t).signer().kid });
      expect(JSON.stringify(res.body)).not.toMatch(/"(d|p|q|dp|dq|qi|k)":/);
    });

    it('a real access token - verified with nothing but the JWKS (no secret), its claims iss, sub, sid, iat, exp', async () => {
      const { accessToken, user } = await signUpWithTokens(t.agent());
      const header = jwtHeader(accessToken);
      const jwk = (await jwks(t)).find((k) => k.kid === header.kid);
      expect(header).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
      const claims = jwt.verify(accessToken, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), {
        algorithms: ['ES256'],
        issuer: t.config.appUrl,
      }) as jwt.JwtPayload;
      expect(claims).toMatchObject({
        iss: t.config.appUrl,
        sub: expect.any(String),
        sid: expect.any(String),
        typ: 'access',
        username: user.username,
      });
      expect(claims.exp! - claims.iat!).toBe(t.config.accessTokenTtlSeconds);
    });

    it('the stored key - its private part sealed (no PEM, no JWK "d" in the database)', async () => {
      const [doc] = await modelOf(t).find().lean();
      expect(JSON.stringify(doc)).not.toMatch(/PRIVATE KEY|"d":/);
      expect(doc.sealedPrivateKey).toMatch(/^v1\./);
    });

    it('50 tokens with made-up kids at once - all 401, and at most one reread of the keys', async () => {
      await sleep(ON_DEMAND_RELOAD_GAP_MS);
      const { accessToken } = await signUpWithTokens(t.agent());
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as object;
      const list = jest.spyOn(t.app.get(SigningKeyStore), 'list');
      try {
        const statuses = await Promise.all(
          Array.from({ length: 50 }, (_, i) => profileStatus(t, signWithAppKey(t.app, claims, { kid: `forged-${i}` }))),
        );
        expect(new Set(statuses)).toEqual(new Set([401]));
        expect(list.mock.calls.length).toBeLessThanOrEqual(1);
      } finally {
        list.mockRestore();
      }
    });

    it('keys:rotate, then keys:retire of the old key - old tokens valid until retired, new tokens signed by the new key', async () => {
      const user = await signUp(t.agent());
      const oldKid = keysOf(t).signer().kid;
      const oldToken = (await apiLogin(t.agent(), user)).access_token;

      const rotated = await keysCommand(t, key, 'rotate');
      expect(rotated).toMatchObject({ code: 0 });
      const newKid = rotated.stdout.trim();
      expect(newKid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Published at once, before any instance signs with it.
      await sleep(ON_DEMAND_RELOAD_GAP_MS);
      expect((await jwks(t)).map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());

      await keysOf(t).reload(); // what the minute's background reload does
      const newToken = (await apiLogin(t.agent(), user)).access_token;
      expect(jwtHeader(newToken).kid).toBe(newKid);
      expect(await profileStatus(t, newToken)).toBe(200);
      expect(await profileStatus(t, oldToken)).toBe(200);

      // The current key, and a key replaced less than a reload ago, may still sign somewhere.
      const refusedCurrent = await keysCommand(t, key, 'retire', newKid);
      expect(refusedCurrent.code).toBe(1);
      expect(refusedCurrent.stderr).toMatch(/current signing key/);
      const refusedRecent = await keysCommand(t, key, 'retire', oldKid);
      expect(refusedRecent.code).toBe(1);
      expect(refusedRecent.stderr).toMatch(/may still sign/);

      await backdate(t, oldKid, 10 * RELOAD_INTERVAL_MS);
      await backdate(t, newKid, 2 * RELOAD_INTERVAL_MS);
      expect(await keysCommand(t, key, 'retire', oldKid)).toMatchObject({ code: 0 });
      await keysOf(t).reload();
      expect(await profileStatus(t, oldToken)).toBe(401);
      expect(await profileStatus(t, newToken)).toBe(200);
      expect((await jwks(t)).map((k) => k.kid)).toEqual([newKid]);
    });

    it('keys:rotate with another DATA_ENCRYPTION_KEY, or with a variable missing - refused, no key made', async () => {
      const before = await modelOf(t).countDocuments();
      const wrong = await keysCommand(t, dataKey(), 'rotate');
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/DATA_ENCRYPTION_KEY is not the one/);
      const missing = await runEntryPoint({ NODE_ENV: 'production', MONGODB_URI: t.config.mongodbUri! }, 'src/cli/signing-keys.ts', [
        'rotate',
      ]);
      expect(missing.code).toBe(2);
      expect(await modelOf(t).countDocuments()).toBe(before);
    });
  });

  describe('two instances on one database, the second with other JWT_SECRET and COOKIE_SECRET', () => {
    let a: TestApp;
    let b: TestApp;
    const key = dataKey();
    beforeAll(async () => {
      a = await startTestApp({ DATA_ENCRYPTION_KEY: key, JWT_SECRET: dataKey(), COOKIE_SECRET: dataKey() });
      b = await startTestApp({
        MONGODB_URI: a.config.mongodbUri!,
        DATA_ENCRYPTION_KEY: key,
        JWT_SECRET: dataKey(),
        COOKIE_SECRET: dataKey(),
      });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('B at start - loads the key A created, and signs with it', () => {
      expect(b.app.get(SigningKeysService).describe()).toMatch(/loaded from the database/);
      expect(a.app.get(SigningKeysService).describe()).toMatch(/created in the database \(first start\)/);
      expect(keysOf(b).signer().kid).toBe(keysOf(a).signer().kid);
    });

    it("A's access token on B, and A's refresh token refreshed on B - 200: changing the secrets signs nobody out", async () => {
      const { accessToken, refreshToken } = await signUpWithTokens(a.agent());
      expect(await profileStatus(b, accessToken)).toBe(200);
      const refreshed = await apiRefresh(b.agent(), refreshToken);
      expect(refreshed.status).toBe(200);
      expect(await profileStatus(a, refreshed.body.access_token as string)).toBe(200);
    });

    it('a key A just made - its tokens accepted by B at once (reload on the unknown kid), and B signs with it after its reload', async () => {
      const user = await signUp(a.agent());
      await a.app.get(SigningKeyStore).create();
      await keysOf(a).reload();
      const token = (await apiLogin(a.agent(), user)).access_token;
      await sleep(ON_DEMAND_RELOAD_GAP_MS); // B reread the keys at its start; the gap rate-limits the next reread
      expect(await profileStatus(b, token)).toBe(200);
      expect(keysOf(b).signer().kid).toBe(jwtHeader(token).kid);
    });

    it('an instance with another DATA_ENCRYPTION_KEY - in production refuses to start; otherwise makes its own key and still accepts the others', async () => {
      const shared = { MONGODB_URI: a.config.mongodbUri!, DATA_ENCRYPTION_KEY: dataKey() };
      await expect(startTestApp({ ...productionEnv(), ...shared })).rejects.toThrow(/sealed with another DATA_ENCRYPTION_KEY/);
      const c = await startTestApp(shared);
      try {
        expect(keysOf(c).describe()).toMatch(/sealed with another DATA_ENCRYPTION_KEY/);
        const { accessToken } = await signUpWithTokens(a.agent());
        expect(await profileStatus(c, accessToken)).toBe(200);
      } finally {
        await c.close();
      }
    });
  });

  describe('SIGNING_KEY_ROTATION', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SIGNING_KEY_ROTATION: '1h', ACCESS_TOKEN_TTL: '5m' });
    });
    afterAll(() => t.close());

    it('a key older than the interval - replaced at the next reload; the old one published until its last token expired, then removed', async () => {
      const { accessToken } = await signUpWithTokens(t.agent());
      const oldKid = keysOf(t).signer().kid;
      await keysOf(t).reload();
      expect(keysOf(t).signer().kid).toBe(oldKid);

      await backdate(t, oldKid, 3_600_000 + 1_000);
      await keysOf(t).reload();
      const newKid = keysOf(t).signer().kid;
      expect(newKid).not.toBe(oldKid);
      await keysOf(t).reload(); // one rotation per interval, not one per reload
      expect(await modelOf(t).countDocuments()).toBe(2);
      expect(await profileStatus(t, accessToken)).toBe(200);

      // Replaced longer ago than a reload plus ACCESS_TOKEN_TTL (and the on-demand gap): no token of it can be live.
      await backdate(t, oldKid, 2 * 3_600_000);
      await backdate(t, newKid, RELOAD_INTERVAL_MS + 300_000 + ON_DEMAND_RELOAD_GAP_MS + 1_000);
      await keysOf(t).reload();
      expect((await jwks(t)).map((k) => k.kid)).toEqual([newKid]);
      expect(await profileStatus(t, accessToken)).toBe(401);
    });
  });
});
