/**
 * Load from autocannon, always against 127.0.0.1 and always for a bounded
 * time. Latencies are collected per response (autocannon's own histogram
 * rounds to whole milliseconds, too coarse for a 1 ms route), so rounds of
 * the same scenario can be merged exactly.
 */
import autocannon from 'autocannon';
import { sampleRss } from './processes';

export interface LoadSpec {
  baseUrl: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSec: number;
  /** Requests per second over all connections; unset means as fast as answers come. */
  overallRate?: number;
  /** For requests that depend on earlier answers (refresh-token chains). */
  requests?: autocannon.Request[];
}

export interface Sample {
  requests: number;
  durationSec: number;
  /** Latency of every answered request, in ms. */
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  /** Peak RSS of each watched process during the sample, in bytes. */
  peakRss: number[];
}

export async function runLoad(spec: LoadSpec, watchPids: number[] = []): Promise<Sample> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(spec.baseUrl)) throw new Error(`refusing to load anything but 127.0.0.1: ${spec.baseUrl}`);
  const latencies: number[] = [];
  const rss = sampleRss(watchPids);
  const instance = autocannon({
    url: `${spec.baseUrl}${spec.path}`,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.durationSec,
    overallRate: spec.overallRate,
    requests: spec.requests,
    timeout: 30,
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await instance;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  return { requests: latencies.length, durationSec: result.duration, latencies, statusCodes, errors: result.errors, peakRss: rss.stop() };
}

/** Several samples of one thing (the rounds of a scenario), merged. */
export interface Summary {
  requests: number;
  durationSec: number;
  rps: number;
  p50: number;
  p99: number;
  /** Answers other than 2xx, plus connection errors. */
  failures: number;
  statusCodes: Record<string, number>;
  peakRssMb: number | null;
  /** Requests per second of each round, to show the noise. */
  roundsRps: number[];
}

export function summarise(samples: Sample[], rssIndex = 0): Summary {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const requests = samples.reduce((n, s) => n + s.requests, 0);
  const durationSec = samples.reduce((n, s) => n + s.durationSec, 0);
  const statusCodes: Record<string, number> = {};
  for (const s of samples) for (const [code, n] of Object.entries(s.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const non2xx = Object.entries(statusCodes).reduce((n, [code, count]) => (code.startsWith('2') ? n : n + count), 0);
  const peak = Math.max(0, ...samples.map((s) => s.peakRss[rssIndex] ?? 0));
  return {
    requests,
    durationSec,
    rps: durationSec > 0 ? requests / durationSec : 0,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failures: non2xx + samples.reduce((n, s) => n + s.errors, 0),
    statusCodes,
    peakRssMb: peak > 0 ? peak / 2 ** 20 : null,
    roundsRps: samples.map((s) => (s.durationSec > 0 ? s.requests / s.durationSec : 0)),
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
