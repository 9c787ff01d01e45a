import { randomBytes } from 'node:crypto';
import { databaseUri } from '../support/database';
import { AppProcess, spawnApp, waitForHttp } from '../support/processes';
import { runSoak } from './soak';

/**
 * The soak test, time-boxed for `npm test`: SOAK_SECONDS (default 10) and
 * SOAK_VUS (default 100). `npm run soak -- --duration 60` runs the full one.
 */
const seconds = Number(process.env.SOAK_SECONDS ?? 10);
const virtualUsers = Number(process.env.SOAK_VUS ?? 100);

describe('soak', () => {
  let app: AppProcess;
  const uri = databaseUri(process.env.MONGODB_URI ?? '', `latchkey_soak_${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    app = await spawnApp({ MONGODB_URI: uri });
    await waitForHttp(`${app.url}/readyz`);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it(`${virtualUsers} virtual users for ${seconds}s - no 5xx, no false reuse, database consistent`, async () => {
    const report = await runSoak({ url: app.url, databaseUri: uri, virtualUsers, durationMs: seconds * 1000 });
    console.log(`soak: ${report.iterations} iterations, ${report.requests} requests in ${seconds}s with ${virtualUsers} users`);
    const { iterations: _, requests: __, ...outcome } = report;
    expect({ ...outcome, serverLog: report.serverErrors ? app.output().split('\n').filter((l) => /ERROR/.test(l)).slice(0, 5) : [] }).toEqual({
      serverErrors: 0,
      falseReuse: 0,
      unexpected: {},
      inconsistencies: [],
      serverLog: [],
    });
    expect(report.iterations).toBeGreaterThan(0);
  }, (seconds + 120) * 1000);
});
