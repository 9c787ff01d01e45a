/**
 * `npm run soak -- --duration 60 --vus 100`: the full soak test against the
 * built app and a FerretDB of its own, on loopback only. Half-way through,
 * the database is killed and started again `--down` seconds later (default
 * 3; `--down 0` skips the outage). With MONGODB_URI set, that database is
 * used and never restarted.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { databaseUri } from '../test/support/database';
import { freePort, RestartableDatabase, spawnApp, waitForHttp } from '../test/support/processes';
import { DatabaseOutage, runSoak } from '../test/reliability/soak';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      vus: { type: 'string', default: '100' },
      down: { type: 'string', default: '3' },
    },
  });
  if (spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' }).status !== 0) return 1;
  const external = process.env.MONGODB_URI;
  const db = external ? undefined : new RestartableDatabase(await freePort());
  await db?.start();
  const uri = external ? databaseUri(external, `latchkey_soak_${Date.now()}`) : db!.uri(`latchkey_soak_${Date.now()}`);
  const downMs = Number(values.down) * 1000;
  const outage: DatabaseOutage | undefined = db && downMs > 0 ? { downMs, kill: () => db.kill(), start: () => db.start() } : undefined;
  if (external) console.log('soak: MONGODB_URI is set, so the database is not restarted');
  const app = await spawnApp({ MONGODB_URI: uri });
  try {
    await waitForHttp(`${app.url}/readyz`);
    const report = await runSoak({
      url: app.url,
      databaseUri: uri,
      virtualUsers: Number(values.vus),
      durationMs: Number(values.duration) * 1000,
      outage,
    });
    console.log(JSON.stringify(report, null, 2));
    const ok =
      report.serverErrors === 0 &&
      report.falseReuse === 0 &&
      report.loginsLost === 0 &&
      report.inconsistencies.length === 0 &&
      Object.keys(report.unexpected).length === 0 &&
      (!outage || report.outageWindow !== undefined);
    console.log(ok ? 'soak: passed' : 'soak: FAILED');
    return ok ? 0 : 1;
  } finally {
    await app.stop();
    await db?.destroy();
  }
}

void main().then((code) => process.exit(code));
