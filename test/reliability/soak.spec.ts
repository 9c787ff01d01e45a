import { AppProcess, freePort, RestartableDatabase, spawnApp, waitForHttp } from '../support/processes';
import { runSoak } from './soak';

/**
 * The soak test, time-boxed for `npm test`: SOAK_SECONDS (default 10) and
 * SOAK_VUS (default 100), against a database of its own that is killed
 * half-way through and started again 2 s later. `npm run soak -- --duration
 * 60` runs the full one.
 */
const seconds = Number(process.env.SOAK_SECONDS ?? 10);
const virtualUsers = Number(process.env.SOAK_VUS ?? 100);

describe('soak', () => {
  let db: RestartableDatabase;
  let app: AppProcess;
  let uri: string;

  beforeAll(async () => {
    db = new RestartableDatabase(await freePort());
    await db.start();
    uri = db.uri('latchkey_soak');
    app = await spawnApp({ MONGODB_URI: uri });
    await waitForHttp(`${app.url}/readyz`);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await db?.destroy();
  });

  it(
    `${virtualUsers} virtual users for ${seconds}s, the database restarted half-way - no 5xx outside the outage, no false reuse, no login lost, database consistent`,
    async () => {
      const report = await runSoak({
        url: app.url,
        databaseUri: uri,
        virtualUsers,
        durationMs: seconds * 1000,
        outage: { downMs: 2_000, kill: () => db.kill(), start: () => db.start() },
      });
      console.log(
        `soak: ${report.iterations} iterations, ${report.requests} requests in ${seconds}s with ${virtualUsers} users; ` +
          `database down ${JSON.stringify(report.outageWindow)} ms; 5xx answers meanwhile, by status: ${JSON.stringify(report.outageErrors)}; ` +
          `names held by sign-ups cut off by the outage: ${report.namesHeldByCutSignUps}`,
      );
      const { iterations: _, requests: __, outageErrors: ___, namesHeldByCutSignUps: ____, outageWindow, ...outcome } = report;
      const serverLog = report.serverErrors
        ? app
            .output()
            .split('\n')
            .filter((l) => /ERROR/.test(l))
            .slice(0, 5)
        : [];
      expect({ ...outcome, serverLog }).toEqual({
        serverErrors: 0,
        serverErrorLog: [],
        falseReuse: 0,
        loginsLost: 0,
        unexpected: {},
        inconsistencies: [],
        serverLog: [],
      });
      expect(outageWindow).toBeDefined();
      expect(report.iterations).toBeGreaterThan(0);
      expect(app.child.exitCode).toBeNull();
    },
    (seconds + 180) * 1000,
  );
});
