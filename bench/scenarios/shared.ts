/** Small helpers the scenario modules share. */
import type { Bench } from '../lib/context';
import { LoadSpec, runLoad, Sample, Summary, summarise } from '../lib/load';
import { waitIdle } from '../lib/processes';

/** Load for the warm-up time, thrown away: JIT, connection pools and caches settle first. */
export async function warmUp(bench: Bench, spec: Omit<LoadSpec, 'durationSec'>): Promise<void> {
  await runLoad({ ...spec, durationSec: bench.options.warmupSec });
}

/** One measured run, started once the watched processes are idle again. */
export async function measure(bench: Bench, spec: Omit<LoadSpec, 'durationSec'>, pids: number[]): Promise<Sample> {
  await waitIdle(pids);
  return runLoad({ ...spec, durationSec: bench.options.durationSec }, pids);
}

export function ratio(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && b > 0 ? a / b : null;
}

/**
 * The ratio of a scenario to its ceiling: the median over rounds of each
 * round's pair, so a round disturbed by something else on a shared machine
 * does not decide the result.
 */
export function pairedRatio(scenario: number[], ceiling: number[]): number | null {
  const ratios = scenario
    .map((s, i) => ratio(s, ceiling[i]))
    .filter((r): r is number => r !== null)
    .sort((x, y) => x - y);
  if (ratios.length === 0) return null;
  const mid = Math.floor(ratios.length / 2);
  return ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
}

/** A note for any answer that was not the expected 2xx: such a row measures the wrong thing. */
export function failureNote(name: string, summary: Summary): string[] {
  if (summary.failures === 0) return [];
  return [`${name}: ${summary.failures} answers were not 2xx or failed (${JSON.stringify(summary.statusCodes)}); the row is not valid.`];
}

/** The mean over runs of one column of cpuMeter readings, in cores. */
export function meanCores(runs: number[][], index: number): string {
  return (runs.reduce((n, r) => n + r[index], 0) / Math.max(1, runs.length)).toFixed(2);
}

export function rounds(summary: Summary): string {
  return summary.roundsRps.map((r) => r.toFixed(0)).join(', ');
}

export { summarise };
