import { AppProcess, freePort, RestartableDatabase, spawnApp, waitFor, waitForHttp } from '../support/processes';
import { HttpClient } from '../support/http-client';
import { uniqueUser } from '../support/users';

/**
 * the app against a database that is missing at
 * start, then killed and restarted while it serves.
 */
describe('database outage', () => {
  let db: RestartableDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    db = new RestartableDatabase(await freePort());
  });

  afterAll(async () => {
    await app?.stop();
    await db.destroy();
  });

  it('start with the database down - waits, logs that it retries, serves once the database appears', async () => {
    app = await spawnApp({ MONGODB_URI: db.uri('latchkey_outage') });
    await waitFor(() => /Cannot reach the database.*retrying/i.test(app.output()), 20_000, app.output);
    expect(
      await fetch(`${app.url}/healthz`).then(
        () => 'up',
        () => 'down',
      ),
    ).toBe('down');

    await db.start();
    await waitForHttp(`${app.url}/readyz`, 30_000);
    expect(app.child.exitCode).toBeNull();
  });

  it('database killed while serving - 503 page and JSON, no stack trace, tokens still verify, recovers by itself', async () => {
    const browser = new HttpClient(app.url);
    const user = uniqueUser('outage');
    await browser.get('/auth/signup');
    expect((await browser.postForm('/auth/signup', { ...user })).status).toBe(303);
    const login = await fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    const { access_token: accessToken } = (await login.json()) as { access_token: string };

    await db.kill();

    // Authentication fails closed: no database, no login.
    const jsonLogin = await fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    expect(jsonLogin.status).toBe(503);
    const body = (await jsonLogin.json()) as Record<string, unknown>;
    expect(body).toEqual({ statusCode: 503, message: expect.stringMatching(/unavailable/i) });
    expect(JSON.stringify(body)).not.toMatch(/Mongo|at .*\.js/);

    await browser.get('/auth/login');
    const page = await browser.postForm('/auth/login', { username: user.username, password: user.password });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('Temporarily unavailable');
    expect(html).not.toMatch(/Mongo|at .*\.js:\d+/);
    expect(browser.cookie('access')).toBeDefined(); // the earlier session's cookie, untouched

    // What needs no database keeps working: a valid access token, the liveness probe.
    const profile = await fetch(`${app.url}/profile`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({ username: user.username });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(503);

    await db.start();
    await waitForHttp(`${app.url}/readyz`, 30_000);
    await waitFor(
      async () =>
        (
          await fetch(`${app.url}/auth/login`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ username: user.username, password: user.password }),
          })
        ).status === 200,
      30_000,
      () => 'login did not recover',
    );
    expect(app.child.exitCode).toBeNull();
  });
});
