/**
 * `npm run bench -- --memory`: where the server's memory goes, phase by
 * phase. The app runs with bench/lib/memory-probe.js preloaded, which logs
 * process.memoryUsage() every 200 ms; each phase reports its peak of each
 * figure. See docs/performance.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bench } from '../lib/context';
import { login, signup } from '../lib/http';
import { runLoad } from '../lib/load';
import { loginAccounts, loginSpec } from './login';

interface Usage {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryPhase {
  phase: string;
  peaks: Omit<Usage, 't'>;
}

const FIELDS = ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const;

export async function memoryPhases(bench: Bench): Promise<MemoryPhase[]> {
  const app = await bench.startApp('memory', { nodeArgs: ['-r', join(__dirname, '..', 'lib', 'memory-probe.js')] });
  const marks: Array<{ phase: string; from: number; to: number }> = [];
  const phase = async (name: string, run: () => Promise<unknown>) => {
    const from = Date.now();
    await run();
    marks.push({ phase: name, from, to: Date.now() });
  };
  const seconds = bench.options.durationSec;
  await phase('started, idle', () => sleep(2_000));
  const account = await signup(app.baseUrl, 'memory');
  const { accessToken } = await login(app.baseUrl, account);
  const accounts = await loginAccounts(bench, app, account);
  const base = { baseUrl: app.baseUrl, durationSec: seconds };
  await phase(`GET /profile (Bearer), ${bench.options.connections} connections`, () =>
    runLoad({ ...base, path: '/profile', headers: { Authorization: `Bearer ${accessToken}` }, connections: bench.options.connections }),
  );
  await phase(`GET /profile (HTML), ${bench.options.connections} connections`, () =>
    runLoad({
      ...base,
      path: '/profile',
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'text/html' },
      connections: bench.options.connections,
    }),
  );
  await phase(`POST /auth/login (JSON), ${bench.options.loginConcurrency} in flight`, () =>
    runLoad({ ...base, ...loginSpec(bench, app, [], accounts) }),
  );
  await phase('idle again', () => sleep(2_000));
  await sleep(300);
  await app.stop();
  const samples = readFileSync(join(bench.tempDir, 'memory.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Usage);
  return marks.map(({ phase: name, from, to }) => {
    const inside = samples.filter((s) => s.t >= from && s.t <= to + 200);
    const peaks = Object.fromEntries(FIELDS.map((f) => [f, Math.max(0, ...inside.map((s) => s[f]))])) as MemoryPhase['peaks'];
    return { phase: name, peaks };
  });
}

export function memoryMarkdown(phases: MemoryPhase[]): string {
  const mb = (n: number) => (n / 2 ** 20).toFixed(0);
  const lines = [
    '| phase | peak RSS MB | heap total MB | heap used MB | external MB | array buffers MB |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const { phase, peaks } of phases) {
    lines.push(
      `| ${phase} | ${mb(peaks.rss)} | ${mb(peaks.heapTotal)} | ${mb(peaks.heapUsed)} | ${mb(peaks.external)} | ${mb(peaks.arrayBuffers)} |`,
    );
  }
  return lines.join('\n');
}
