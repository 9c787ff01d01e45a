/**
 * `--profile`: the hot paths under load (scenarios 1, 2, 3, 4 and 5), each on a fresh instance started
 * with node --cpu-prof, so one profile holds one scenario (plus start-up,
 * which is small beside the load). Files go to bench/profiles/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench } from '../lib/context';
import { runLoad } from '../lib/load';
import { REPO_ROOT } from '../lib/processes';
import { formatProfile, ProfileSummary, summariseProfile } from '../lib/profile';
import type { Group } from '../lib/options';
import { loginAccounts, loginSpec } from './login';
import { readSpecs } from './reads';
import { refreshSpec } from './refresh';

export const PROFILE_DIR = join(REPO_ROOT, 'bench', 'profiles');

const TARGETS = ['scenario1-healthz', 'scenario2-profile-json', 'scenario3-profile-html', 'scenario4-login', 'scenario5-refresh'] as const;
const GROUP_OF: Record<(typeof TARGETS)[number], Group> = {
  'scenario1-healthz': 'reads',
  'scenario2-profile-json': 'reads',
  'scenario3-profile-html': 'reads',
  'scenario4-login': 'login',
  'scenario5-refresh': 'refresh',
};

export async function profileHotPaths(bench: Bench): Promise<ProfileSummary[]> {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const summaries: ProfileSummary[] = [];
  const targets = TARGETS.filter((t) => bench.options.groups.includes(GROUP_OF[t]));
  for (const target of targets) {
    const file = `${target}-${stamp}.cpuprofile`;
    bench.log(`profiling ${target}`);
    // Refresh needs live logins; another instance of the same deployment makes
    // them, so the profile holds refreshes, not logins.
    const families: string[] = [];
    if (target === 'scenario5-refresh') {
      const maker = await bench.startApp('login-maker');
      try {
        await refreshSpec({ ...bench, families }, maker).prepare();
      } finally {
        await maker.stop();
      }
    }
    const app = await bench.startApp(`profiled-${target}`, {
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', file],
    });
    try {
      let spec;
      if (target === 'scenario5-refresh') {
        spec = refreshSpec({ ...bench, families }, app);
      } else if (target === 'scenario4-login') {
        // The profile shows the event loop's share of a login; the hashes run on pool threads, which V8 does not sample.
        spec = loginSpec(bench, app, [], await loginAccounts(bench, app, bench.account!));
      } else {
        const specs = await readSpecs(bench, app);
        spec = target.startsWith('scenario1') ? specs.healthz : target.startsWith('scenario2') ? specs.json : specs.html;
      }
      await runLoad({ ...spec, durationSec: bench.options.warmupSec + bench.options.durationSec });
    } finally {
      // The profile is written as the process exits (Nest closes on SIGTERM, then exits).
      await app.stop();
    }
    const summary = summariseProfile(join(PROFILE_DIR, file));
    console.log(formatProfile(summary));
    summaries.push(summary);
  }
  return summaries;
}
