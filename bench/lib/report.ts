/** results.md (a table a person reads) and results.json (everything, for tools). */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Options } from './options';
import type { ProfileSummary } from './profile';
import { REPO_ROOT } from './processes';

export interface Row {
  id: string;
  scenario: string;
  rps: number | null;
  p50: number | null;
  p99: number | null;
  /** What the scenario is measured against, and its rate in the same run. */
  ceiling: { label: string; rps: number | null };
  ratio: number | null;
  target: string;
  /** null: nothing to meet, or skipped. */
  met: boolean | null;
  peakRssMb: number | null;
  notes: string[];
  detail?: unknown;
}

export interface Check {
  id: string;
  name: string;
  /** null: skipped (see detail). */
  passed: boolean | null;
  detail: string[];
}

export interface Results {
  startedAt: string;
  elapsedSec: number;
  command: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  rows: Row[];
  checks: Check[];
  profiles: ProfileSummary[];
  notes: string[];
}

export function machineInfo(options: Options): Record<string, string | number> {
  const version = (command: string) => {
    try {
      return execSync(command, { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim()
        .split('\n')[0];
    } catch {
      return 'not installed';
    }
  };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    // Other work on a shared machine shows here; the ratios are built to survive it.
    loadAverageAtEnd: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    database: 'FerretDB v1.24.2 (SQLite backend), started by the runner on 127.0.0.1',
    redis: version('redis-server --version'),
    app: options.appDir === REPO_ROOT ? 'this checkout (dist/ built by tsc)' : options.appDir,
  };
}

const fixed = (n: number | null, digits: number) => (n === null || !Number.isFinite(n) ? '—' : n.toFixed(digits));
const metText = (met: boolean | null) => (met === null ? '—' : met ? '**yes**' : '**no**');

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| # | scenario | req/s | p50 ms | p99 ms | ceiling (same run) | ceiling req/s | ratio | target | met? | server peak RSS |',
    '|---|---|---:|---:|---:|---|---:|---:|---|:-:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.id} | ${r.scenario} | ${fixed(r.rps, 0)} | ${fixed(r.p50, 2)} | ${fixed(r.p99, 2)} | ${r.ceiling.label} | ${fixed(r.ceiling.rps, 0)} | ${fixed(r.ratio, 2)} | ${r.target} | ${metText(r.met)} | ${r.peakRssMb === null ? '—' : `${r.peakRssMb.toFixed(0)} MB`} |`,
    );
  }
  return lines.join('\n');
}

function markdown(results: Results): string {
  const out: string[] = [
    '# Latchkey benchmark results',
    '',
    `Made by \`${results.command}\` on ${results.startedAt} in ${Math.round(results.elapsedSec)} s. How to read it: [README.md](README.md).`,
    '',
    '**Machine:** ' +
      Object.entries(results.machine)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · '),
    '',
    '**Settings:** ' +
      Object.entries(results.settings)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · '),
    '',
    markdownTable(results.rows),
    '',
    'Ratio = the median over rounds of (scenario req/s ÷ ceiling req/s) in that round; scenario and ceiling alternate within this run. ' +
      'req/s, p50 and p99 are over all rounds together. ' +
      'For 4b the "ceiling" is the same probe on an idle server and the ratio is p50 under load ÷ idle p50; ' +
      'for 6a it is one instance and the ratio is the gain from two.',
    '',
    '## Notes',
    '',
  ];
  for (const r of results.rows) for (const note of r.notes) out.push(`- **${r.id}**: ${note}`);
  for (const note of results.notes) out.push(`- ${note}`);
  if (results.checks.length > 0) {
    out.push('', '## Correctness checks across two instances', '');
    for (const c of results.checks) {
      out.push(`### ${c.id} ${c.name}: ${c.passed === null ? 'SKIPPED' : c.passed ? 'PASS' : 'FAIL'}`, '');
      for (const d of c.detail) out.push(`- ${d}`);
      out.push('');
    }
  }
  if (results.profiles.length > 0) {
    out.push('## CPU profiles (top self time)', '');
    for (const p of results.profiles) {
      out.push(`\`${p.file}\` (${p.busyMs.toFixed(0)} ms busy, start-up included)`, '', '| self % | function | where |', '|---:|---|---|');
      for (const f of p.functions.slice(0, 10)) out.push(`| ${(f.share * 100).toFixed(1)} | ${f.name} | ${f.where} |`);
      out.push('');
    }
  }
  return out.join('\n') + '\n';
}

const DATA_START = '<!-- data-scale:start -->';
const DATA_END = '<!-- data-scale:end -->';

/** The data-scale section of results.md (written by `--data`), kept when the other groups rewrite the file. */
function dataSection(file: string): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const from = text.indexOf(DATA_START);
  const to = text.indexOf(DATA_END);
  return from >= 0 && to > from ? text.slice(from, to + DATA_END.length) : '';
}

function writeJson(file: string, value: unknown): void {
  // Written whole, then renamed: a crash never leaves half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

export function writeResults(outDir: string, results: Results): void {
  writeJson(join(outDir, 'results.json'), results);
  const md = join(outDir, 'results.md');
  const kept = dataSection(md);
  writeFileSync(md, markdown(results) + (kept ? `\n${kept}\n` : ''));
}

/** Replaces (or adds) the data-scale section of results.md, and writes results-data.json. */
export function writeDataScale(outDir: string, section: string, json: unknown): void {
  writeJson(join(outDir, 'results-data.json'), json);
  const md = join(outDir, 'results.md');
  const text = existsSync(md) ? readFileSync(md, 'utf8') : '# Latchkey benchmark results\n';
  const block = `${DATA_START}\n## Data scale: the same requests with N users and sessions loaded\n\n${section}\n${DATA_END}`;
  const old = dataSection(md);
  writeFileSync(md, old ? text.replace(old, block) : `${text.trimEnd()}\n\n${block}\n`);
}

/** Keeps the table in bench/README.md in step with the latest default run. */
export function updateReadme(readme: string, results: Results): void {
  if (!existsSync(readme)) return;
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return;
  const block = [
    start,
    `Latest run: \`${results.command}\`, ${results.startedAt}, ${Math.round(results.elapsedSec)} s, on ${results.machine.cores} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}.`,
    '',
    markdownTable(results.rows),
    '',
    end,
  ].join('\n');
  writeFileSync(readme, text.slice(0, from) + block + text.slice(to + end.length));
}
