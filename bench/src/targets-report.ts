import type { ComparisonResult, TargetResult } from './comparison.js';
import type { ConcurrencyResult, ConcurrencyTargetResult } from './concurrency.js';
import type { BenchResults } from './results-report.js';

/**
 * Issue 21's table, measured side by side in one run, and its targets, each marked as
 * met or not. uig is the b64_json route (what an OpenAI client gets by default): the
 * vendor's base64 is decoded, stored and encoded again into the answer.
 */
type System = 'uig' | 'portkey' | 'forwarder' | 'direct';
const systems: System[] = ['uig', 'portkey', 'forwarder', 'direct'];
const comparisonIds: Record<System, TargetResult['id']> = {
  uig: 'uig-b64',
  portkey: 'portkey',
  forwarder: 'forwarder',
  direct: 'direct',
};

export interface Headline {
  tinyRate: Partial<Record<System, number>>;
  tinyCpu: Partial<Record<System, number>>;
  largeRate: Partial<Record<System, number>>;
  largeCpu: Partial<Record<System, number>>;
  large: ConcurrencyResult | undefined;
  tiny: ConcurrencyResult | undefined;
}

function perSystem(
  comparison: ComparisonResult | undefined,
  value: (target: TargetResult) => number | undefined,
): Partial<Record<System, number>> {
  const out: Partial<Record<System, number>> = {};
  for (const system of systems) {
    const target = comparison?.targets.find((entry) => entry.id === comparisonIds[system]);
    const result = target ? value(target) : undefined;
    if (result !== undefined && !Number.isNaN(result)) out[system] = result;
  }
  return out;
}

export function headline(results: BenchResults): Headline {
  const tiny = results.comparisons.find((comparison) => comparison.body === 'tiny');
  const large = results.comparisons.find((comparison) => comparison.body === 'large');
  return {
    tinyRate: perSystem(tiny, (target) => target.saturated.requestsPerSecond),
    tinyCpu: perSystem(tiny, (target) => target.saturated.cpuMsPerRequest),
    largeRate: perSystem(large, (target) => target.saturated.requestsPerSecond),
    largeCpu: perSystem(large, (target) => target.saturated.cpuMsPerRequest),
    large: results.concurrency?.find((entry) => entry.body === 'large'),
    tiny: results.concurrency?.find((entry) => entry.body === 'tiny'),
  };
}

const mib = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1048576);
const fromConcurrency = (
  result: ConcurrencyResult | undefined,
  value: (target: ConcurrencyTargetResult) => number | undefined,
): Partial<Record<System, number>> =>
  Object.fromEntries(
    (result?.targets ?? []).flatMap((target) => {
      const found = value(target);
      return found === undefined ? [] : [[target.id, found]];
    }),
  );

const show = (value: number | undefined, digits: number) =>
  value === undefined ? '—' : digits === 0 ? Math.round(value).toLocaleString('en') : value.toFixed(digits);
const ratio = (top: number | undefined, bottom: number | undefined) =>
  top === undefined || bottom === undefined || bottom === 0 ? undefined : top / bottom;
const mark = (holds: boolean | undefined) => (holds === undefined ? '—' : holds ? '✅ met' : '❌ not met');

export function headlineTable(results: BenchResults): string {
  const h = headline(results);
  const completedCell = (result: ConcurrencyResult | undefined, system: System) => {
    const target = result?.targets.find((entry) => entry.id === system);
    if (!target) return '—';
    return `${target.completed.toLocaleString('en')}${target.errors ? ` (${target.errors} errors)` : ''}`;
  };
  const rows: Array<{
    label: string;
    values: Partial<Record<System, number>>;
    digits: number;
    cells?: (system: System) => string;
  }> = [
    { label: 'tiny body, 32 connections: req/s', values: h.tinyRate, digits: 0 },
    { label: 'tiny: gateway CPU per request (ms)', values: h.tinyCpu, digits: 3 },
    { label: 'large body (1.5 MB base64), 32 connections: req/s', values: h.largeRate, digits: 1 },
    { label: 'large: gateway CPU per request (ms)', values: h.largeCpu, digits: 2 },
    {
      label: `${h.large?.connections ?? 500} concurrent large, vendor answers after ${(h.large?.vendorLatencyMs ?? 3000) / 1000} s, ${h.large?.seconds ?? 30} s: completed`,
      values: fromConcurrency(h.large, (target) => target.completed),
      digits: 0,
      cells: (system) => completedCell(h.large, system),
    },
    {
      label: 'same: peak RSS (MiB)',
      values: fromConcurrency(h.large, (target) => mib(target.peakRssBytes)),
      digits: 0,
    },
    {
      label: `${h.tiny?.connections ?? 2000} concurrent tiny, ${(h.tiny?.vendorLatencyMs ?? 3000) / 1000} s vendor, ${h.tiny?.seconds ?? 30} s: completed`,
      values: fromConcurrency(h.tiny, (target) => target.completed),
      digits: 0,
      cells: (system) => completedCell(h.tiny, system),
    },
    {
      label: 'same: peak RSS (MiB)',
      values: fromConcurrency(h.tiny, (target) => mib(target.peakRssBytes)),
      digits: 0,
    },
  ];
  const lines = [
    '| case | uig | Portkey | forwarder | direct | uig ÷ Portkey | uig ÷ forwarder |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const cells = systems.map((system) =>
      row.cells ? row.cells(system) : show(row.values[system], row.digits),
    );
    lines.push(
      `| ${row.label} | ${cells.join(' | ')} | ${show(ratio(row.values.uig, row.values.portkey), 2)} | ${show(ratio(row.values.uig, row.values.forwarder), 2)} |`,
    );
  }
  return lines.join('\n');
}

export function targetsTable(results: BenchResults): string {
  const h = headline(results);
  const large = (system: System) => h.large?.targets.find((target) => target.id === system);
  const tiny = (system: System) => h.tiny?.targets.find((target) => target.id === system);
  const largeRss = mib(large('uig')?.peakRssBytes);
  const tinyRss = mib(tiny('uig')?.peakRssBytes);
  const keys = results.clientKeyCost;
  const keyRatio = keys && keys.length >= 3 ? keys[2]!.microseconds / keys[1]!.microseconds : undefined;
  const render1024 =
    results.localRender?.rows.find((row) => row.side === 1024 && row.model.includes('placeholder')) ??
    results.localRender?.rows.find((row) => row.side === 1024);
  const rows: Array<[string, number | undefined, (value: number) => boolean, number]> = [
    [
      "1. 500 large: uig peak RSS ÷ Portkey's (≤ 1.0)",
      ratio(largeRss, mib(large('portkey')?.peakRssBytes)),
      (v) => v <= 1,
      2,
    ],
    ['1. 500 large: uig peak RSS, MiB (≤ 600)', largeRss, (v) => v <= 600, 0],
    [
      "1. 500 large: uig completions ÷ forwarder's (≥ 0.8)",
      ratio(large('uig')?.completed, large('forwarder')?.completed),
      (v) => v >= 0.8,
      2,
    ],
    ['1. 500 large: uig errors (0)', large('uig')?.errors, (v) => v === 0, 0],
    ["2. tiny: uig req/s ÷ Portkey's (≥ 2.0)", ratio(h.tinyRate.uig, h.tinyRate.portkey), (v) => v >= 2, 2],
    ['2. tiny: uig CPU per request, ms (≤ 0.5)', h.tinyCpu.uig, (v) => v <= 0.5, 3],
    [
      "2. large: uig req/s ÷ Portkey's (≥ 3.0)",
      ratio(h.largeRate.uig, h.largeRate.portkey),
      (v) => v >= 3,
      2,
    ],
    [
      "2. large: uig req/s ÷ forwarder's (≥ 0.4)",
      ratio(h.largeRate.uig, h.largeRate.forwarder),
      (v) => v >= 0.4,
      2,
    ],
    ['2. large: uig CPU per request, ms (≤ 7)', h.largeCpu.uig, (v) => v <= 7, 2],
    [
      "3. 2,000 tiny: uig completions ÷ forwarder's (≥ 0.98)",
      ratio(tiny('uig')?.completed, tiny('forwarder')?.completed),
      (v) => v >= 0.98,
      3,
    ],
    [
      "3. 2,000 tiny: uig peak RSS ÷ Portkey's (≤ 0.8)",
      ratio(tinyRss, mib(tiny('portkey')?.peakRssBytes)),
      (v) => v <= 0.8,
      2,
    ],
    [
      `4. key lookup, ${keys?.[2]?.label ?? 'many keys'} ÷ 1 key, in process (flat: ≤ 1.5)`,
      keyRatio,
      (v) => v <= 1.5,
      2,
    ],
    ['4. local render, 1024², median ms (≤ 25)', render1024?.median, (v) => v <= 25, 1],
  ];
  const lines = ['| issue 21 target | measured | |', '|---|---:|---|'];
  for (const [label, value, holds, digits] of rows)
    lines.push(
      `| ${label} | ${show(value, digits)} | ${mark(value === undefined ? undefined : holds(value))} |`,
    );
  return lines.join('\n');
}
