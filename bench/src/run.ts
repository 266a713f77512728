import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions } from './bench-options.js';
import { writeBenchmarksDoc } from './benchmarks-doc.js';
import { renderChart } from './chart.js';
import { runComparison } from './comparison.js';
import { runConcurrency } from './concurrency.js';
import { measureTransportCost } from './transport-cost.js';
import { measureClientKeyCost } from './client-key-cost.js';
import { measureLimiterOverhead } from './limiter-overhead.js';
import { measureLocalRender } from './local-render-timing.js';
import { measureUsageRowCost } from './usage-row-cost.js';
import { renderProfileReport } from './profile-report.js';
import { runProfiles, type ProfileRun } from './profile-run.js';
import { renderReport, type BenchResults } from './results-report.js';
import { killAllServicesNow, stopAllServices } from './service-process.js';

/**
 * `pnpm bench`: issues 8's and 21's benchmarks in one run (see docs/benchmarks.md). Progress
 * goes to stderr, the tables to stdout, the raw numbers to bench/results/latest.json.
 */
const benchDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

process.on('exit', killAllServicesNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping every process the benchmark started`);
    void stopAllServices().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseBenchOptions(argv);
  const started = Date.now();
  const results: BenchResults = {
    command: ['pnpm bench', ...argv.filter((argument) => argument !== '--write-docs')].join(' '),
    date: new Date().toISOString().slice(0, 10),
    machine: {
      cores: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${platform()} ${release()}`,
    },
    settings: {
      connections: options.connections,
      'seconds per sample': options.sampleSeconds,
      rounds: options.rounds,
      'light-load rounds (1 conn.)': `${options.lightRounds} × ${options.lightSeconds} s`,
      'warm-up': `${options.warmupSeconds} s`,
      'slow-vendor cases': `${options.largeConcurrency} large and ${options.tinyConcurrency} tiny concurrent, vendor ${options.vendorLatencyMs / 1000} s, ${options.concurrencySeconds} s each`,
    },
    comparisons: [],
  };

  // First, while nothing else of ours runs: it times this process's own CPU.
  if (options.sections.has('local-render')) {
    log('local provider render');
    results.localRender = await measureLocalRender(options.renderRuns);
  }
  if (options.sections.has('transport')) {
    log('one vendor call in process: the transport and parsing levers');
    results.transport = await measureTransportCost(3, options.transportCalls);
  }
  if (options.sections.has('usage-rows')) {
    log('one usage row in process: the database levers');
    results.usageRows = await measureUsageRowCost(3, options.usageRecords);
  }
  if (options.sections.has('comparison')) {
    for (const body of ['tiny', 'large'] as const) {
      log(`comparison, ${body} body`);
      results.comparisons.push(await runComparison(body, { ...options, log }));
    }
  }
  if (options.sections.has('concurrency')) {
    results.concurrency = [];
    for (const [body, connections] of [
      ['large', options.largeConcurrency],
      ['tiny', options.tinyConcurrency],
    ] as const) {
      log(`many slow requests: ${connections} concurrent ${body}`);
      results.concurrency.push(
        await runConcurrency(
          {
            body,
            connections,
            vendorLatencyMs: options.vendorLatencyMs,
            seconds: options.concurrencySeconds,
          },
          log,
        ),
      );
    }
  }
  if (options.sections.has('limiter')) {
    log(`client keys and limiter, ${options.keyCount} keys: in process, then end to end`);
    results.clientKeyCost = await measureClientKeyCost(options.keyCount);
    results.limiter = await measureLimiterOverhead({ ...options, log });
  }
  let profiles: ProfileRun[] | undefined;
  if (options.sections.has('profile')) {
    log('CPU profiles of uig');
    profiles = await runProfiles({
      directory: join(benchDirectory, 'profiles'),
      connections: options.connections,
      seconds: options.profileSeconds,
      warmupSeconds: options.warmupSeconds,
      log,
    });
  }

  const report = renderReport(results);
  process.stdout.write(`\n${report}\n`);
  if (profiles)
    process.stdout.write(
      `\n### CPU profiles of uig (files in bench/profiles/)\n\n${renderProfileReport(profiles)}\n`,
    );
  await mkdir(join(benchDirectory, 'results'), { recursive: true });
  await writeFile(
    join(benchDirectory, 'results', 'latest.json'),
    JSON.stringify(
      {
        ...results,
        profiles: profiles?.map(({ body, format, load, summary }) => ({ body, format, load, summary })),
      },
      null,
      2,
    ),
  );
  const chart = renderChart(results);
  await writeFile(join(benchDirectory, 'results', 'chart.svg'), chart);
  if (options.writeDocs) {
    await writeBenchmarksDoc(join(benchDirectory, '..', 'docs', 'benchmarks.md'), report);
    await writeFile(join(benchDirectory, '..', 'docs', 'benchmarks-chart.svg'), chart);
    log('docs/benchmarks.md updated');
  }
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

try {
  await main();
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await stopAllServices();
  process.exitCode = 1;
}
