/**
 * Scenario 5: POST /auth/refresh (API form, rotation) against the same number
 * of raw driver findOneAndUpdate calls, at the same concurrency, against the
 * same database: what one atomic read-modify-write of a session costs.
 */
import type { Bench } from '../lib/context';
import { login } from '../lib/http';
import type { LoadSpec, Sample } from '../lib/load';
import { AppInstance, cpuMeter, sampleRss, waitIdle } from '../lib/processes';
import { cpus } from 'node:os';
import type { Row } from '../lib/report';
import { failureNote, meanCores, measure, pairedRatio, rounds, summarise, warmUp } from './shared';

interface DriverRun {
  ops: number;
  durationSec: number;
  rate: number;
  p50: number;
  p99: number;
  sessionDocuments?: number;
}

/**
 * A refresh chain per connection: each request takes a family's latest token
 * from the pool and puts the new one back, so a family is never refreshed
 * twice at once (that is scenario 6's check, not a load). Tokens in flight
 * when a run stops are lost, so the pool is topped up before every run.
 */
export function refreshSpec(bench: Bench, app: AppInstance): Omit<LoadSpec, 'durationSec'> & { prepare(): Promise<void> } {
  const pool = bench.families;
  const connections = bench.options.connections;
  return {
    baseUrl: app.baseUrl,
    path: '/auth/refresh',
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    connections,
    requests: [
      {
        setupRequest: (request, context) => {
          context.token = pool.shift();
          return { ...request, body: JSON.stringify({ refresh_token: context.token }) };
        },
        onResponse: (status, body, context) => {
          if (status === 200) pool.push(JSON.parse(body).refresh_token);
          // 503 "busy" rotated nothing: the token is still the family's latest.
          else if (status === 503) pool.push(context.token as string);
        },
      },
    ],
    async prepare() {
      const wanted = 3 * connections;
      const missing = Math.max(0, wanted - pool.length);
      for (let i = 0; i < missing; i += connections) {
        const batch = Math.min(connections, missing - i);
        const pairs = await Promise.all(Array.from({ length: batch }, () => login(app.baseUrl, bench.account!)));
        pool.push(...pairs.map((p) => p.refreshToken));
      }
    },
  };
}

export async function refreshScenario(bench: Bench, app: AppInstance): Promise<Row[]> {
  const { options, worker, mongodbUri } = bench;
  const spec = refreshSpec(bench, app);
  const driver = async (kind: 'findOneAndUpdate' | 'refreshRoundTrips', count: number) => {
    await waitIdle([app.pid, worker.pid]);
    // As many calls as refreshes were answered, within a bounded time (the rate is what counts).
    return worker.run<DriverRun>({ kind, uri: mongodbUri, concurrency: options.connections, count, maxSec: options.durationSec });
  };

  bench.log('scenario 5: warm-up');
  await spec.prepare();
  await warmUp(bench, spec);
  await driver('findOneAndUpdate', 200);
  await driver('refreshRoundTrips', 50);

  const refreshes: Sample[] = [];
  const ceilings: DriverRun[] = [];
  const roundTrips: DriverRun[] = [];
  // Cores in use by [the app or the worker, FerretDB] during each run.
  const refreshCpu: number[][] = [];
  const ceilingCpu: number[][] = [];
  let ceilingPeakRss = 0;
  for (let round = 1; round <= options.rounds; round++) {
    await spec.prepare();
    await waitIdle([app.pid]);
    let cpu = cpuMeter([app.pid, bench.databasePid ?? 0]);
    const sample = await measure(bench, spec, [app.pid]);
    refreshCpu.push(cpu.stop());
    refreshes.push(sample);
    const rss = sampleRss([worker.pid]);
    // The same number of calls as refreshes just answered.
    const count = Math.max(sample.requests, options.connections);
    await waitIdle([app.pid, worker.pid]);
    cpu = cpuMeter([worker.pid, bench.databasePid ?? 0]);
    ceilings.push(await driver('findOneAndUpdate', count));
    ceilingCpu.push(cpu.stop());
    ceilingPeakRss = Math.max(ceilingPeakRss, rss.stop()[0]);
    roundTrips.push(await driver('refreshRoundTrips', count));
    bench.log(
      `scenario 5 round ${round}: refresh ${(sample.requests / sample.durationSec).toFixed(0)}/s, findOneAndUpdate ${ceilings.at(-1)!.rate.toFixed(0)}/s`,
    );
  }

  const s = summarise(refreshes);
  const ceilingRate = ceilings.reduce((n, c) => n + c.ops, 0) / ceilings.reduce((n, c) => n + c.durationSec, 0);
  const r = pairedRatio(
    s.roundsRps,
    ceilings.map((c) => c.rate),
  );
  const roundTripRate = roundTrips.reduce((n, c) => n + c.ops, 0) / roundTrips.reduce((n, c) => n + c.durationSec, 0);
  const dbShare = pairedRatio(
    roundTrips.map((c) => c.rate),
    ceilings.map((c) => c.rate),
  );
  const appShare = pairedRatio(
    s.roundsRps,
    roundTrips.map((c) => c.rate),
  );
  return [
    {
      id: '5',
      scenario: 'POST /auth/refresh, JSON (rotation)',
      rps: s.rps,
      p50: s.p50,
      p99: s.p99,
      ceiling: { label: `raw driver findOneAndUpdate by _id, ${options.connections} in flight`, rps: ceilingRate },
      ratio: r,
      target: '≥ 0.60',
      met: r === null ? null : r >= 0.6,
      peakRssMb: s.peakRssMb,
      notes: [
        `refreshes/s per round: ${rounds(s)}; findOneAndUpdate/s per round: ${ceilings.map((c) => c.rate.toFixed(0)).join(', ')} ` +
          `(p50 ${ceilings[0].p50.toFixed(2)} ms; the driver mongoose bundles, in a separate Node process, on documents of the app's own ` +
          `sessions collection, one per lane, peak RSS ${(ceilingPeakRss / 2 ** 20).toFixed(0)} MB). ` +
          'An app refresh awaits three database round trips in sequence (read the session; insert the claim; update by _id), ' +
          'and reads the user beside the last two; the ceiling is one update. ' +
          `${ceilings.at(-1)!.sessionDocuments ?? '?'} session documents here, most of them the logins of scenario 4.`,
        `CPU in use during the refreshes: app ${meanCores(refreshCpu, 0)} cores, FerretDB ${meanCores(refreshCpu, 1)}; ` +
          `during the ceiling: worker ${meanCores(ceilingCpu, 0)}, FerretDB ${meanCores(ceilingCpu, 1)} (of ${cpus().length}).`,
        `Diagnosis: those same round trips (as this checkout's SessionsService makes them), replayed with the raw driver and no app, ` +
          `run at ${roundTripRate.toFixed(0)}/s, ${dbShare?.toFixed(2)} of the ceiling (the app reached ${appShare?.toFixed(2)} of the replay): ` +
          'so the database work alone, with no app around it, is the bound on this ratio (docs/performance.md).',
        ...failureNote('refresh', s),
      ],
      detail: { refreshes: s, ceilings, roundTrips, refreshCpu, ceilingCpu },
    },
  ];
}
