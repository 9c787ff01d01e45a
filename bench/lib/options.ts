/** Command-line flags of `npm run bench -- …`; see docs/performance.md. */
import { resolve } from 'node:path';
import { REPO_ROOT, threadPoolSize } from './processes';

export const GROUPS = ['reads', 'login', 'refresh', 'scaling'] as const;
export type Group = (typeof GROUPS)[number];

export interface Options {
  /** Seconds of each measured run (one scenario or ceiling, one round). */
  durationSec: number;
  /** Seconds of load before a scenario's first measured run, thrown away. */
  warmupSec: number;
  /** How many times each scenario and its ceiling alternate. */
  rounds: number;
  /** autocannon connections for throughput scenarios (and the refresh ceiling's concurrency). */
  connections: number;
  /** Concurrent logins, and concurrent comparisons in the bcrypt ceiling. */
  loginConcurrency: number;
  /** Accounts the logins of scenario 4 take turns with (1: one account, the worst case; docs/performance.md). */
  loginAccounts: number;
  bcryptCost: number;
  /** Requests per second of the /profile probe that runs beside the logins. */
  probeRate: number;
  groups: Group[];
  profile: boolean;
  build: boolean;
  /** The checkout whose dist/ is benchmarked: another copy of the app, to try a change. */
  appDir: string;
  /** Node flags for the app: those of `npm run start:prod` unless --app-node-args is given. */
  appNodeArgs: string[] | null;
  outDir: string;
  /** `--data N`: measure how requests grow with N loaded users and sessions, instead of the groups. */
  dataSize: number | null;
  /** `--memory`: only the memory-by-phase run. */
  memory: boolean;
}

export const DEFAULT_DATA_SIZE = 100_000;

const HELP = `npm run bench -- [flags]
  --duration N           seconds of each measured run (default 5)
  --warmup N             seconds of warm-up per scenario (default 2)
  --rounds N             times each scenario alternates with its ceiling (default 3)
  --connections N        concurrent connections for reads and refreshes (default 10)
  --login-concurrency N  concurrent logins and bcrypt comparisons (default 2 x UV_THREADPOOL_SIZE)
  --login-accounts N     accounts the logins take turns with (default 64; 1 is the worst case)
  --bcrypt-cost N        BCRYPT_COST of the app and of the bcrypt ceiling (default 10)
  --probe-rate N         /profile requests per second beside the logins (default 50)
  --only a,b             groups to run: ${GROUPS.join(', ')} (default all)
  --profile              also record CPU profiles (--cpu-prof) into bench/profiles/
  --no-build             use the existing dist/ instead of running tsc
  --app-dir PATH         benchmark another checkout of the app (default: this one)
  --app-node-args "..."  node flags for the app instead of those of npm run start:prod ("" for none)
  --out DIR              where results.md and results.json go (default bench/)
  --data [N]             only the data-scale run: requests on an empty database and with N users and
                         N sessions loaded, on FerretDB over SQLite and over PostgreSQL (default N 100000)
  --memory               only the memory run: the server's process.memoryUsage() peaks, phase by phase`;

export function parseOptions(argv: string[]): Options {
  const options: Options = {
    durationSec: 5,
    warmupSec: 2,
    rounds: 3,
    connections: 10,
    loginConcurrency: 2 * threadPoolSize(),
    loginAccounts: 64,
    bcryptCost: 10,
    probeRate: 50,
    groups: [...GROUPS],
    profile: false,
    build: true,
    appDir: REPO_ROOT,
    appNodeArgs: null,
    outDir: resolve(REPO_ROOT, 'bench'),
    dataSize: null,
    memory: false,
  };
  const numbers: Record<string, keyof Options> = {
    '--duration': 'durationSec',
    '--warmup': 'warmupSec',
    '--rounds': 'rounds',
    '--connections': 'connections',
    '--login-concurrency': 'loginConcurrency',
    '--login-accounts': 'loginAccounts',
    '--bcrypt-cost': 'bcryptCost',
    '--probe-rate': 'probeRate',
  };
  for (let i = 0; i < argv.length; i++) {
    // Split at the first '=' only: a value may hold one (--app-node-args=--max-old-space-size=160).
    const eq = argv[i].indexOf('=');
    const flag = eq < 0 ? argv[i] : argv[i].slice(0, eq);
    const inline = eq < 0 ? undefined : argv[i].slice(eq + 1);
    const value = () => inline ?? argv[++i];
    if (flag in numbers) {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
      (options as unknown as Record<string, number>)[numbers[flag]] = n;
    } else if (flag === '--only') {
      const groups = value()
        .split(',')
        .map((g) => g.trim());
      const unknown = groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
      if (unknown.length) throw new Error(`--only: unknown group ${unknown.join(', ')} (known: ${GROUPS.join(', ')})`);
      options.groups = groups as Group[];
    } else if (flag === '--data') {
      const next = inline ?? argv[i + 1];
      const n = next !== undefined && !next.startsWith('--') ? Number(next) : DEFAULT_DATA_SIZE;
      if (inline === undefined && next !== undefined && !next.startsWith('--')) i++;
      if (!Number.isInteger(n) || n <= 0) throw new Error('--data needs a positive whole number');
      options.dataSize = n;
    } else if (flag === '--memory') options.memory = true;
    else if (flag === '--profile') options.profile = true;
    else if (flag === '--no-build') options.build = false;
    else if (flag === '--app-dir') options.appDir = resolve(value());
    else if (flag === '--app-node-args') options.appNodeArgs = value().split(/\s+/).filter(Boolean);
    else if (flag === '--out') options.outDir = resolve(value());
    else if (flag === '--help' || flag === '-h') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown flag ${flag}\n${HELP}`);
  }
  if (options.bcryptCost < 10) throw new Error('--bcrypt-cost: production mode refuses a cost below 10');
  return options;
}
