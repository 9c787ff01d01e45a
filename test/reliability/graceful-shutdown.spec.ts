import { setTimeout as sleep } from 'node:timers/promises';
import { startTestDatabase } from '../support/database';
import { databaseUri } from '../support/database';
import { HttpClient } from '../support/http-client';
import { AppProcess, spawnApp, waitForHttp } from '../support/processes';
import { uniqueUser } from '../support/users';

/** SIGTERM finishes what is in flight, takes nothing new, and exits. */
describe('graceful shutdown', () => {
  let app: AppProcess;

  afterAll(async () => {
    await app?.stop('SIGKILL');
  });

  it('SIGTERM during a login - the login completes, new connections are refused, the process exits', async () => {
    const server = process.env.MONGODB_URI ?? (await startTestDatabase()).uri;
    // A real bcrypt cost, so the login is certainly still running when the signal lands.
    app = await spawnApp({ MONGODB_URI: databaseUri(server, 'latchkey_shutdown'), BCRYPT_COST: '13' });
    await waitForHttp(`${app.url}/healthz`);
    const user = uniqueUser('shutdown');
    const browser = new HttpClient(app.url);
    await browser.get('/auth/signup');
    expect((await browser.postForm('/auth/signup', { ...user })).status).toBe(303);

    const inFlight = fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    await sleep(150);
    app.child.kill('SIGTERM');

    const login = await inFlight;
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ token_type: 'Bearer' });
    expect(await app.exited).toBe('SIGTERM');
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });
});
