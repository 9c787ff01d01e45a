/**
 * `npm run soak -- --duration 60 --vus 100`: the full soak test against the
 * built app and its own FerretDB (or MONGODB_URI), on loopback only.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { databaseUri, startTestDatabase } from '../test/support/database';
import { spawnApp, waitForHttp } from '../test/support/processes';
import { runSoak } from '../test/reliability/soak';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, vus: { type: 'string', default: '100' } } });
  if (spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' }).status !== 0) return 1;
  const db = await startTestDatabase();
  const uri = databaseUri(db.uri, `latchkey_soak_${Date.now()}`);
  const app = await spawnApp({ MONGODB_URI: uri });
  try {
    await waitForHttp(`${app.url}/readyz`);
    const report = await runSoak({ url: app.url, databaseUri: uri, virtualUsers: Number(values.vus), durationMs: Number(values.duration) * 1000 });
    console.log(JSON.stringify(report, null, 2));
    const ok = report.serverErrors === 0 && report.falseReuse === 0 && report.inconsistencies.length === 0 && Object.keys(report.unexpected).length === 0;
    console.log(ok ? 'soak: passed' : 'soak: FAILED');
    return ok ? 0 : 1;
  } finally {
    await app.stop();
    await db.stop();
  }
}

void main().then((code) => process.exit(code));
