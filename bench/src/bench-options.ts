/**
 * Command-line options of `pnpm bench`. The defaults are the published run; the
 * whole of it stays within about twelve minutes on the 2-core machine (`--quick`: about four).
 */
type Section =
  | 'local-render'
  | 'transport'
  | 'usage-rows'
  | 'comparison'
  | 'concurrency'
  | 'limiter'
  | 'profile';
const sections: readonly Section[] = [
  'local-render',
  'transport',
  'usage-rows',
  'comparison',
  'concurrency',
  'limiter',
  'profile',
];

export interface BenchOptions {
  sections: Set<Section>;
  writeDocs: boolean;
  connections: number;
  sampleSeconds: number;
  rounds: number;
  lightSeconds: number;
  lightRounds: number;
  warmupSeconds: number;
  /** The slow-vendor cases: how long each target is loaded, and the vendor's answer time. */
  concurrencySeconds: number;
  vendorLatencyMs: number;
  largeConcurrency: number;
  tinyConcurrency: number;
  keyCount: number;
  renderRuns: number;
  /** Calls per round of the in-process transport measurement (tiny; large a tenth). */
  transportCalls: number;
  /** Records per round of the in-process usage-row measurement, for each batch size. */
  usageRecords: number;
  profileSeconds: number;
}

const usage = `pnpm bench [options]
  --write-docs         put the tables into docs/benchmarks.md
  --only=a,b           sections: local-render, transport, usage-rows, comparison, concurrency,
                       limiter, profile
                       (default: all but profile)
  --profile            add the CPU-profile section (uig under --cpu-prof, both bodies)
  --quick              short rounds of everything, for development: not a result
  --connections=N      closed-loop connections of the loaded series (default 32)
  --seconds=N          seconds per loaded sample (default 3)
  --rounds=N           alternating rounds (default 4)`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    sections: new Set(sections.filter((section) => section !== 'profile')),
    writeDocs: false,
    connections: 32,
    sampleSeconds: 3,
    rounds: 4,
    lightSeconds: 2,
    lightRounds: 2,
    warmupSeconds: 2,
    concurrencySeconds: 30,
    vendorLatencyMs: 3000,
    largeConcurrency: 500,
    tinyConcurrency: 2000,
    keyCount: 100_000,
    renderRuns: 40,
    transportCalls: 3000,
    usageRecords: 2000,
    profileSeconds: 8,
  };
  const number = (value: string | undefined, name: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`--${name} needs a positive number\n${usage}`);
    return parsed;
  };
  for (const argument of argv) {
    const [name, value] = argument.replace(/^--/, '').split('=', 2) as [string, string | undefined];
    if (name === 'write-docs') options.writeDocs = true;
    else if (name === 'profile') options.sections.add('profile');
    else if (name === 'quick')
      Object.assign(options, {
        sampleSeconds: 1,
        rounds: 2,
        lightSeconds: 1,
        lightRounds: 1,
        warmupSeconds: 1,
        concurrencySeconds: 8,
        keyCount: 10_000,
        renderRuns: 5,
        transportCalls: 500,
        usageRecords: 300,
        profileSeconds: 3,
      });
    else if (name === 'only')
      options.sections = new Set((value ?? '').split(',').filter(Boolean) as Section[]);
    else if (name === 'connections') options.connections = number(value, name);
    else if (name === 'seconds') options.sampleSeconds = number(value, name);
    else if (name === 'rounds') options.rounds = number(value, name);
    else if (name === 'help') throw new Error(usage);
    else throw new Error(`unknown option ${argument}\n${usage}`);
  }
  for (const section of options.sections) {
    if (!sections.includes(section)) throw new Error(`unknown section ${section}\n${usage}`);
  }
  return options;
}
