import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SigningKey } from '../../src/keys/signing-key.schema';
import { RELOAD_INTERVAL_MS, SigningKeyStore } from '../../src/keys/signing-key-store';
import { SigningKeysService } from '../../src/keys/signing-keys.service';
import { forgeJwt, jwtClaims, jwtHeader, signWithAppKey } from '../support/jwt';
import { freePort } from '../support/processes';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp, TestUser } from '../support/users';

/**
 * examples/resource-server: a second service that trusts Latchkey's access
 * tokens through the JWKS URL alone, run as its README says, beside a
 * Latchkey that listens on a real port.
 */

const EXAMPLE = resolve(__dirname, '../../examples/resource-server');
/** The example refetches the JWKS at most once a second. */
const REFETCH_GAP_MS = 1_100;

describe('examples/resource-server beside Latchkey', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let server: ChildProcess;
  let hello: (token?: string) => Promise<{ status: number; body: unknown }>;

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestApp({ APP_URL: `http://127.0.0.1:${port}` });
    await t.app.listen(port, '127.0.0.1');
    // Only what its README names: no secret, and nothing of Latchkey's but its URL.
    server = spawn(process.execPath, [join(EXAMPLE, 'server.js')], {
      cwd: EXAMPLE,
      env: { PATH: process.env.PATH, LATCHKEY_URL: t.config.appUrl, PORT: '0', JWKS_CACHE_SECONDS: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(server.stdout!, 'data')) as [Buffer];
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(String(line))![0];
    hello = async (token) => {
      const res = await fetch(`${url}/hello`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      return { status: res.status, body: await res.json() };
    };
  });
  afterAll(async () => {
    server?.kill();
    await t.close();
  });

  async function login(user: TestUser): Promise<string> {
    return (await apiLogin(t.agent(), user)).access_token;
  }

  it('a valid token - 200 with its subject; no token, a forged none or HS256-with-the-public-key token - 401', async () => {
    const user = await signUp(t.agent());
    const token = await login(user);
    expect(await hello(token)).toEqual({ status: 200, body: { hello: jwtClaims(token).sub } });
    expect((await hello()).status).toBe(401);
    expect((await hello(forgeJwt(jwtClaims(token), '', 'none', { kid: jwtHeader(token).kid }))).status).toBe(401);
    const jwk = JSON.stringify((await t.agent().get('/.well-known/jwks.json')).body.keys[0]);
    expect((await hello(forgeJwt(jwtClaims(token), jwk, 'HS256', { kid: jwtHeader(token).kid }))).status).toBe(401);
  });

  it('an expired token, correctly signed - 401', async () => {
    const claims = jwtClaims(await login(await signUp(t.agent())));
    const now = Math.floor(Date.now() / 1000);
    expect((await hello(signWithAppKey(t.app, { ...claims, iat: now - 600, exp: now - 60 }))).status).toBe(401);
    expect((await hello(signWithAppKey(t.app, { ...claims, exp: now + 60 }))).status).toBe(200);
  });

  it("after a rotation - the old key's token still 200, the new key's 200; after the old key's retirement - its token 401", async () => {
    const user = await signUp(t.agent());
    const oldToken = await login(user);
    const oldKid = jwtHeader(oldToken).kid as string;
    expect((await hello(oldToken)).status).toBe(200);

    const newKey = await t.app.get(SigningKeyStore).create();
    await t.app.get(SigningKeysService).reload();
    const newToken = await login(user);
    expect(jwtHeader(newToken).kid).toBe(newKey._id);
    await sleep(REFETCH_GAP_MS);
    expect(await hello(newToken)).toEqual({ status: 200, body: { hello: jwtClaims(newToken).sub } });
    expect((await hello(oldToken)).status).toBe(200);

    // As if the rotation were older than a reload, so the old key may be retired.
    const keys = t.app.get<Model<SigningKey>>(getModelToken(SigningKey.name));
    await keys.updateOne({ _id: oldKid }, { $set: { createdAt: new Date(Date.now() - 10 * RELOAD_INTERVAL_MS) } });
    await keys.updateOne({ _id: newKey._id }, { $set: { createdAt: new Date(Date.now() - 2 * RELOAD_INTERVAL_MS) } });
    await t.app.get(SigningKeyStore).retire(oldKid, RELOAD_INTERVAL_MS);
    await sleep(REFETCH_GAP_MS + 5_000); // the example's cache, and Latchkey's on-demand reload gap
    expect((await hello(oldToken)).status).toBe(401);
    expect((await hello(newToken)).status).toBe(200);
  });
});
