import type { ComparisonResult, TargetResult } from './comparison.js';
import type { ClientKeyCost } from './client-key-cost.js';
import type { ConcurrencyResult } from './concurrency.js';
import { headlineTable, targetsTable } from './targets-report.js';
import type { LimiterResult } from './limiter-overhead.js';
import type { LocalRenderResult } from './local-render-timing.js';
import type { TransportCost } from './transport-cost.js';
import { type UsageRowCost, usageRowTable } from './usage-row-cost.js';

/**
 * The results as Markdown: the tables docs/benchmarks.md holds and the terminal
 * shows. Latency is given as what a target adds over the direct call in the same
 * run; throughput as req/s and as ratios, because absolute numbers belong to this
 * machine and ratios are the claims (issues 8 and 21).
 */
export interface BenchResults {
  command: string;
  date: string;
  machine: { cores: number; cpuModel: string; node: string; platform: string };
  settings: Record<string, number | string>;
  comparisons: ComparisonResult[];
  concurrency?: ConcurrencyResult[];
  limiter?: LimiterResult[];
  /** The same cases timed in process, in the same order as `limiter`. */
  clientKeyCost?: ClientKeyCost[];
  localRender?: LocalRenderResult;
  transport?: TransportCost[];
  usageRows?: UsageRowCost[];
}

const mebibytes = (bytes: number | undefined) =>
  bytes === undefined ? '—' : `${Math.round(bytes / 1048576)}`;
const fixed = (value: number | undefined, digits = 2) =>
  value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
const rate = (value: number) => (value >= 100 ? Math.round(value).toString() : value.toFixed(1));
const spread = (rates: number[]) =>
  rates.length > 1 ? ` (${rate(Math.min(...rates))}–${rate(Math.max(...rates))})` : '';
const added = (value: number, base: number) =>
  Number.isNaN(value) ? '—' : `${value - base >= 0 ? '+' : ''}${(value - base).toFixed(2)}`;

function find(comparison: ComparisonResult | undefined, id: TargetResult['id']): TargetResult | undefined {
  return comparison?.targets.find((target) => target.id === id);
}

function comparisonTable(comparison: ComparisonResult, connections: number): string {
  const direct = find(comparison, 'direct')!;
  const forwarder = find(comparison, 'forwarder')!;
  const lines = [
    `| target | req/s, ${connections} conn. (rounds' range) | × forwarder | p50 / p99 added, 1 conn. (ms) | p50 / p99 added, ${connections} conn. (ms) | gateway CPU per request (ms) | peak RSS (MiB) |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const target of comparison.targets) {
    const isDirect = target.id === 'direct';
    const light = isDirect
      ? `${fixed(target.light.p50Ms)} / ${fixed(target.light.p99Ms)} (itself)`
      : `${added(target.light.p50Ms, direct.light.p50Ms)} / ${added(target.light.p99Ms, direct.light.p99Ms)}`;
    const saturated = isDirect
      ? `${fixed(target.saturated.p50Ms)} / ${fixed(target.saturated.p99Ms)} (itself)`
      : `${added(target.saturated.p50Ms, direct.saturated.p50Ms)} / ${added(target.saturated.p99Ms, direct.saturated.p99Ms)}`;
    const failures = target.saturated.failed + target.light.failed;
    lines.push(
      `| ${target.label}${failures ? ` (${failures} failed)` : ''} | ${rate(target.saturated.requestsPerSecond)}${spread(target.saturated.roundRates)} | ${fixed(target.saturated.requestsPerSecond / forwarder.saturated.requestsPerSecond)} | ${light} | ${saturated} | ${fixed(target.saturated.cpuMsPerRequest, 3)} | ${mebibytes(target.peakRssBytes)} |`,
    );
  }
  return lines.join('\n');
}

function limiterTable(limiter: LimiterResult[], inProcess: ClientKeyCost[] | undefined): string {
  const open = limiter.find((entry) => entry.variant === 'open')!;
  const lines = [
    '| client keys | req/s | × open | p50 / p99 (ms) | gateway CPU per request (ms) | CPU added over open (µs) | in process: authenticate + admit + release (µs) | peak RSS (MiB) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  limiter.forEach((entry, index) => {
    const cpu = entry.series.cpuMsPerRequest ?? Number.NaN;
    const alone = inProcess?.[index]?.microseconds;
    lines.push(
      `| ${entry.label}${entry.series.failed ? ` (${entry.series.failed} failed)` : ''} | ${rate(entry.series.requestsPerSecond)}${spread(entry.series.roundRates)} | ${fixed(entry.series.requestsPerSecond / open.series.requestsPerSecond)} | ${fixed(entry.series.p50Ms)} / ${fixed(entry.series.p99Ms)} | ${fixed(cpu, 3)} | ${entry === open ? '—' : Math.round((cpu - (open.series.cpuMsPerRequest ?? Number.NaN)) * 1000)} | ${alone === undefined ? '—' : alone < 10 ? alone.toFixed(1) : Math.round(alone)} | ${mebibytes(entry.peakRssBytes)} |`,
    );
  });
  return lines.join('\n');
}

function transportTable(costs: TransportCost[]): string {
  const lines = [
    '| body | how | CPU ms per call (each round) | median | × before |',
    '|---|---|---:|---:|---:|',
  ];
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const cost of costs) {
    const before = costs.find((entry) => entry.body === cost.body)!;
    lines.push(
      `| ${cost.body} | ${cost.variant} | ${cost.rounds.map((value) => value.toFixed(3)).join(' / ')} | ${median(cost.rounds).toFixed(3)} | ${(median(cost.rounds) / median(before.rounds)).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

function concurrencyTable(results: ConcurrencyResult[]): string {
  const lines = [
    '| case | target | completed | errors | peak RSS (MiB) | gateway CPU per completed request (ms) |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const result of results)
    for (const target of result.targets)
      lines.push(
        `| ${result.connections} × ${result.body}, ${result.seconds} s | ${target.label} | ${target.completed.toLocaleString('en')} | ${target.errors} | ${mebibytes(target.peakRssBytes)} | ${fixed(target.cpuMsPerRequest, 3)} |`,
      );
  return lines.join('\n');
}

function localRenderTable(local: LocalRenderResult): string {
  const lines = [
    `n = 1 per call, ${local.runs} runs after ${local.warmupRuns} warm-up (2048² runs half as often); target: median ≤ 25 ms at 1024×1024.`,
    '',
    '| model | size | median (ms) | p95 (ms) | CPU median (ms) | PNG (KiB) |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const row of local.rows)
    lines.push(
      `| ${row.model} | ${row.side}×${row.side} | ${fixed(row.median, 1)} | ${fixed(row.p95, 1)} | ${fixed(row.cpuMedian, 1)} | ${Math.round(row.pngBytes / 1024)} |`,
    );
  lines.push(
    '',
    'Where the placeholder (gradient) model spends it, median wall ms (CPU ms):',
    '',
    '| size | render only | PNG encode only |',
    '|---|---:|---:|',
  );
  for (const row of local.breakdown)
    lines.push(
      `| ${row.side}×${row.side} | ${fixed(row.render.median, 1)} (${fixed(row.render.cpuMedian, 1)}) | ${fixed(row.encode.median, 1)} (${fixed(row.encode.cpuMedian, 1)}) |`,
    );
  return lines.join('\n');
}

export function renderReport(results: BenchResults): string {
  const connections = Number(results.settings.connections);
  const foreignLoads = [
    ...results.comparisons.flatMap((comparison) =>
      comparison.targets.flatMap((target) => [target.saturated.foreignCores, target.light.foreignCores]),
    ),
    ...(results.limiter ?? []).map((entry) => entry.series.foreignCores),
    ...(results.concurrency ?? []).flatMap((entry) => entry.targets.map((target) => target.foreignCores)),
  ];
  const foreign = Math.max(0, ...foreignLoads);
  const parts = [
    `Run ${results.date} with \`${results.command}\` on ${results.machine.cores} cores (${results.machine.cpuModel}), Node ${results.machine.node}, ${results.machine.platform}.`,
    `Settings: ${Object.entries(results.settings)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')}.`,
  ];
  if (foreignLoads.length) {
    parts.push(
      `Other processes on the machine (not the benchmark's) used on average up to ${foreign.toFixed(2)} cores during a target's samples${foreign > 0.15 ? ' — **the machine was not quiet: req/s and latency moved with it; CPU per request moves least**' : ''}.`,
    );
  }
  if (results.comparisons.length || results.concurrency?.length) {
    parts.push(
      '',
      '### Side by side (issue 21)',
      '',
      headlineTable(results),
      '',
      '![req/s and peak RSS per system](benchmarks-chart.svg)',
      '',
      '### Targets',
      '',
      targetsTable(results),
    );
  }
  for (const comparison of results.comparisons) {
    const answer = find(comparison, 'direct')!.answerBytes;
    parts.push(
      '',
      `### ${comparison.body === 'tiny' ? 'Tiny image' : 'Large image'} (upstream answer ${answer >= 1e5 ? `${(answer / 1e6).toFixed(2)} MB` : `${answer} bytes`})`,
      '',
      comparisonTable(comparison, connections),
    );
  }
  if (results.transport?.length)
    parts.push(
      '',
      '### One vendor call, in process: CPU ms per call with each lever',
      '',
      transportTable(results.transport),
    );
  if (results.usageRows?.length)
    parts.push(
      '',
      '### One usage row, in process (embedded database): CPU µs per record with each lever',
      '',
      usageRowTable(results.usageRows),
    );
  if (results.concurrency?.length)
    parts.push(
      '',
      '### Many slow requests at once (vendor answers after 3 s)',
      '',
      concurrencyTable(results.concurrency),
    );
  if (results.limiter)
    parts.push(
      '',
      '### Client keys and the per-key limiter (tiny body, b64_json)',
      '',
      limiterTable(results.limiter, results.clientKeyCost),
    );
  if (results.localRender)
    parts.push('', '### Local provider render', '', localRenderTable(results.localRender));
  return parts.join('\n');
}
