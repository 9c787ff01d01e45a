/**
 * `npm run bench`: builds the app, starts FerretDB, Redis and the app on
 * 127.0.0.1, runs every scenario of docs/performance.md beside its ceiling, and writes
 * bench/results.md and bench/results.json. See docs/performance.md.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createBench } from './lib/context';
import { signup } from './lib/http';
import { GROUPS, parseOptions } from './lib/options';
import { buildApp, Cleanup, makeTempDir, redisAvailable, REPO_ROOT, startDatabase, startRedis, startWorker } from './lib/processes';
import { Check, machineInfo, Results, Row, updateReadme, writeDataScale, writeResults } from './lib/report';
import { dataScale, dataScaleMarkdown } from './scenarios/data-scale';
import { memoryMarkdown, memoryPhases } from './scenarios/memory';
import type { ProfileSummary } from './lib/profile';
import { loginScenario } from './scenarios/login';
import { profileHotPaths } from './scenarios/profiling';
import { readScenarios } from './scenarios/reads';
import { refreshScenario } from './scenarios/refresh';
import { scalingScenario } from './scenarios/scaling';

async function main(cleanup: Cleanup): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const loadAverageAtStart = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const notes: string[] = [];

  if (options.build) {
    console.log(`Building the app in ${options.appDir}…`);
    buildApp(options.appDir);
  }
  const tempDir = makeTempDir(cleanup);
  if (options.dataSize !== null) return dataScaleRun(options, cleanup, tempDir, startedAt);
  const db = await startDatabase(cleanup, tempDir);
  let redisUrl: string | undefined;
  if (redisAvailable()) redisUrl = await startRedis(cleanup, tempDir);
  else notes.push('redis-server is not installed (apt-get install -y redis-server): check 6c was skipped.');

  const bench = createBench({ options, cleanup, tempDir, mongodbUri: db.uri, databasePid: db.pid, redisUrl, worker: startWorker(cleanup) });
  if (options.memory) {
    const table = memoryMarkdown(await memoryPhases(bench));
    console.log(
      `\nServer memory by phase (\`${['npm run bench', '--', ...process.argv.slice(2)].join(' ')}\`, ${startedAt.toISOString()}):\n\n${table}`,
    );
    return 0;
  }
  bench.log(`FerretDB at ${db.serverUri}${redisUrl ? `, Redis at ${redisUrl}` : ''}; groups: ${options.groups.join(', ')}`);

  const rows: Row[] = [];
  const checks: Check[] = [];
  let profiles: ProfileSummary[] = [];
  const wants = (group: (typeof GROUPS)[number]) => options.groups.includes(group);

  const app = await bench.startApp('app');
  bench.account = await signup(app.baseUrl, 'bench');
  if (wants('reads')) rows.push(...(await readScenarios(bench, app)));
  if (wants('login')) rows.push(...(await loginScenario(bench, app)));
  if (wants('refresh')) rows.push(...(await refreshScenario(bench, app)));
  await app.stop();
  if (wants('scaling')) {
    const scaling = await scalingScenario(bench);
    rows.push(...scaling.rows);
    checks.push(...scaling.checks);
  }
  if (options.profile) profiles = await profileHotPaths(bench);

  const results: Results = {
    startedAt: startedAt.toISOString(),
    elapsedSec: (Date.now() - startedAt.getTime()) / 1000,
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: { ...machineInfo(options), loadAverageAtStart },
    settings: {
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      rounds: options.rounds,
      connections: options.connections,
      loginConcurrency: options.loginConcurrency,
      bcryptCost: options.bcryptCost,
      probeRate: options.probeRate,
      nodeEnv: 'production',
    },
    rows,
    checks,
    profiles,
    notes,
  };
  writeResults(options.outDir, results);
  if (options.outDir === join(REPO_ROOT, 'bench') && options.groups.length === GROUPS.length)
    updateReadme(join(REPO_ROOT, 'bench', 'README.md'), results);

  console.log(`\nWrote ${join(options.outDir, 'results.md')} and results.json in ${results.elapsedSec.toFixed(0)} s:\n`);
  for (const r of rows) {
    const met = r.met === null ? '' : r.met ? '  met' : '  NOT MET';
    console.log(
      `${r.id.padEnd(3)} ${r.scenario.padEnd(62)} ${r.rps === null ? '' : `${r.rps.toFixed(0).padStart(6)} req/s`}${r.ratio === null ? '' : `  ratio ${r.ratio.toFixed(2)}`}  ${r.target}${met}`,
    );
  }
  for (const c of checks) console.log(`${c.id}: ${c.passed === null ? 'SKIPPED' : c.passed ? 'PASS' : 'FAIL'}\n  ${c.detail.join('\n  ')}`);
  return checks.some((c) => c.passed === false) ? 1 : 0;
}

/** `--data N`: its own run and its own section of results.md (see docs/performance.md). */
async function dataScaleRun(options: ReturnType<typeof parseOptions>, cleanup: Cleanup, tempDir: string, startedAt: Date): Promise<number> {
  const started = Date.now();
  const log = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);
  const results = await dataScale(options, cleanup, tempDir, log);
  const command = ['npm run bench', '--', ...process.argv.slice(2)].join(' ');
  const section = dataScaleMarkdown(results, command, startedAt.toISOString());
  writeDataScale(options.outDir, section, {
    startedAt: startedAt.toISOString(),
    command,
    elapsedSec: (Date.now() - started) / 1000,
    machine: machineInfo(options),
    ...results,
  });
  console.log(
    `\n${section}\n\nWrote the data-scale section of ${join(options.outDir, 'results.md')} in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  return results.rows.some((r) => r.met === false) ? 1 : 0;
}

const cleanup = new Cleanup();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping everything the benchmark started…`);
    void cleanup.drain().finally(() => process.exit(130));
  });
}

void main(cleanup)
  .catch((error: Error) => {
    console.error(`The benchmark failed: ${error.stack ?? error.message}`);
    return 1;
  })
  .then(async (code) => {
    await cleanup.drain();
    process.exit(code);
  });
