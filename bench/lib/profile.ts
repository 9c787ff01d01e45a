/**
 * Reads a V8 .cpuprofile (from node --cpu-prof) and ranks functions and
 * packages by self time: where the CPU actually was, not who called whom.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from './processes';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  /** Busy time: every sample except (idle). */
  busyMs: number;
  functions: HotSpot[];
  packages: HotSpot[];
}

/** node_modules/<pkg>, the app's own dist/ file, node's internals, or a V8 pseudo-frame. */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  if (url.includes('/dist/')) return 'app ' + url.slice(url.indexOf('/dist/') + 1);
  return url;
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; it is charged to the sample's node.
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0)));

  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busyUs += us;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.startsWith('file://') ? relative(REPO_ROOT, url.slice(7)) : url}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const pkg = packageOf(url, name);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const spot = (name: string, where: string, us: number): HotSpot => ({ name, where, selfMs: us / 1000, share: busyUs ? us / busyUs : 0 });
  return {
    file: relative(REPO_ROOT, file),
    busyMs: busyUs / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => spot(f.name, f.where, f.us)),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([pkg, us]) => spot(pkg, '', us)),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const line = (s: HotSpot) =>
    `  ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.selfMs.toFixed(0).padStart(6)} ms  ${s.name}${s.where ? `  ${s.where}` : ''}`;
  return [
    `${summary.file}: ${summary.busyMs.toFixed(0)} ms busy`,
    ' top functions by self time:',
    ...summary.functions.map(line),
    ' by package:',
    ...summary.packages.map(line),
  ].join('\n');
}
