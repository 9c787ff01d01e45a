/**
 * Scenarios 1–3: what authentication costs on a read.
 *  1. GET /healthz, unauthenticated: the ceiling, same app, same middleware.
 *  2. GET /profile as JSON with a Bearer token (verified without the database).
 *  3. GET /profile as HTML with the access cookie (view cache on in production).
 * Each round runs 1, 2, 3 in turn, so drift on a shared machine hits all three alike.
 */
import type { Bench } from '../lib/context';
import { browserCookies, login } from '../lib/http';
import type { LoadSpec, Sample } from '../lib/load';
import type { AppInstance } from '../lib/processes';
import type { Row } from '../lib/report';
import { failureNote, measure, pairedRatio, rounds, summarise, warmUp } from './shared';

export type ReadSpec = Omit<LoadSpec, 'durationSec'>;

/** The three read requests, ready for autocannon (also used by the profiler). */
export async function readSpecs(bench: Bench, app: AppInstance): Promise<{ healthz: ReadSpec; json: ReadSpec; html: ReadSpec }> {
  const { accessToken } = await login(app.baseUrl, bench.account!);
  const cookies = await browserCookies(app.baseUrl, bench.account!);
  const base = { baseUrl: app.baseUrl, connections: bench.options.connections };
  const specs: Record<'healthz' | 'json' | 'html', ReadSpec> = {
    healthz: { ...base, path: '/healthz' },
    json: { ...base, path: '/profile', headers: { Authorization: `Bearer ${accessToken}` } },
    html: { ...base, path: '/profile', headers: { Accept: 'text/html,application/xhtml+xml', Cookie: cookies } },
  };
  // Each request must get what the scenario claims, before it is measured.
  for (const [name, spec] of Object.entries(specs)) {
    const response = await fetch(`${spec.baseUrl}${spec.path}`, { headers: spec.headers, redirect: 'manual' });
    const type = response.headers.get('content-type') ?? '';
    await response.arrayBuffer();
    const wanted = name === 'html' ? 'text/html' : 'application/json';
    if (response.status !== 200 || !type.includes(wanted))
      throw new Error(`${name}: ${spec.path} answered ${response.status} ${type}, not 200 ${wanted}`);
  }
  return specs;
}

export async function readScenarios(bench: Bench, app: AppInstance): Promise<Row[]> {
  const specs = await readSpecs(bench, app);
  const order = ['healthz', 'json', 'html'] as const;
  bench.log('scenarios 1–3: warm-up');
  for (const name of order) await warmUp(bench, specs[name]);

  const samples: Record<(typeof order)[number], Sample[]> = { healthz: [], json: [], html: [] };
  for (let round = 1; round <= bench.options.rounds; round++) {
    for (const name of order) {
      samples[name].push(await measure(bench, specs[name], [app.pid]));
      const last = samples[name].at(-1)!;
      bench.log(`scenarios 1–3 round ${round}: ${name} ${(last.requests / last.durationSec).toFixed(0)} req/s`);
    }
  }

  const ceiling = summarise(samples.healthz);
  const json = summarise(samples.json);
  const html = summarise(samples.html);
  const row = (id: string, scenario: string, s: typeof json, target: number | null, notes: string[]): Row => {
    const r = pairedRatio(s.roundsRps, ceiling.roundsRps);
    return {
      id,
      scenario,
      rps: s.rps,
      p50: s.p50,
      p99: s.p99,
      ceiling: { label: 'scenario 1', rps: ceiling.rps },
      ratio: r,
      target: target === null ? '(ceiling)' : `≥ ${target.toFixed(2)}`,
      met: target === null || r === null ? null : r >= target,
      peakRssMb: s.peakRssMb,
      notes: [...notes, ...failureNote(scenario, s)],
      detail: { ...s, roundsRatio: s.roundsRps.map((x, i) => x / ceiling.roundsRps[i]) },
    };
  };
  return [
    row('1', 'GET /healthz, unauthenticated (ceiling)', ceiling, null, [
      `req/s per round: ${rounds(ceiling)}. /healthz is the app's terminus liveness route: it passes every middleware ` +
        '(helmet, Cache-Control, body parsers, cookie-parser, CSRF) and the global guards, interceptor, pipe and filter; ' +
        'being public, the JWT guard only notes that no token came. A client without cookies also makes csurf mint a CSRF secret ' +
        'and a Set-Cookie on every such request, which a Bearer request (exempt from CSRF) never pays, so this ceiling is slightly low.',
    ]),
    row('2', 'GET /profile, JSON, Bearer token', json, 0.85, [`req/s per round: ${rounds(json)}.`]),
    row('3', 'GET /profile, HTML, access cookie', html, 0.7, [
      `req/s per round: ${rounds(html)}. Sends the access and CSRF cookies a browser holds after a form login; the page renders a CSRF token.`,
    ]),
  ];
}
