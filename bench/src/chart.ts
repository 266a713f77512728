import type { BenchResults } from './results-report.js';
import { headline } from './targets-report.js';

/**
 * The chart docs/benchmarks.md shows (docs/benchmarks-chart.svg): req/s at 32 connections
 * for both bodies, and peak RSS under the two slow-vendor cases, one bar per system.
 * Plain SVG written here, so the chart always comes from the run the tables come from.
 */
type System = 'uig' | 'portkey' | 'forwarder' | 'direct';
const colors: Record<System, string> = {
  uig: '#2563eb',
  portkey: '#f59e0b',
  forwarder: '#6b7280',
  direct: '#d1d5db',
};
const names: Record<System, string> = {
  uig: 'uig',
  portkey: 'Portkey',
  forwarder: 'undici forwarder',
  direct: 'direct',
};

interface Panel {
  title: string;
  unit: string;
  values: Partial<Record<System, number>>;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const format = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1));

function panel(spec: Panel, x: number, y: number, width: number): string {
  const order: System[] = ['uig', 'portkey', 'forwarder', 'direct'];
  const entries = order.flatMap((system): Array<[System, number]> => {
    const value = spec.values[system];
    return value !== undefined && Number.isFinite(value) ? [[system, value]] : [];
  });
  const max = Math.max(1, ...entries.map(([, value]) => value));
  const labelWidth = 120;
  const barArea = width - labelWidth - 70;
  const parts = [
    `<text x="${x}" y="${y + 14}" font-size="14" font-weight="bold">${escape(spec.title)}</text>`,
  ];
  entries.forEach(([system, value], index) => {
    const top = y + 26 + index * 26;
    const length = Math.max(1, (value / max) * barArea);
    parts.push(
      `<text x="${x}" y="${top + 14}" font-size="12">${names[system]}</text>`,
      `<rect x="${x + labelWidth}" y="${top}" width="${length.toFixed(1)}" height="18" fill="${colors[system]}"/>`,
      `<text x="${x + labelWidth + length + 6}" y="${top + 14}" font-size="12">${format(value)} ${spec.unit}</text>`,
    );
  });
  return parts.join('\n');
}

export function renderChart(results: BenchResults): string {
  const h = headline(results);
  const rss = (result: typeof h.large) =>
    Object.fromEntries(
      (result?.targets ?? []).flatMap((target) =>
        target.peakRssBytes === undefined ? [] : [[target.id, target.peakRssBytes / 1048576]],
      ),
    ) as Partial<Record<System, number>>;
  const panels: Panel[] = [
    { title: 'tiny image, 32 connections: req/s (higher is better)', unit: 'req/s', values: h.tinyRate },
    { title: 'large image (1.5 MB base64), 32 connections: req/s', unit: 'req/s', values: h.largeRate },
    {
      title: `${h.large?.connections ?? 500} concurrent large, 3 s vendor: peak RSS (lower is better)`,
      unit: 'MiB',
      values: rss(h.large),
    },
    {
      title: `${h.tiny?.connections ?? 2000} concurrent tiny, 3 s vendor: peak RSS`,
      unit: 'MiB',
      values: rss(h.tiny),
    },
  ];
  const width = 900;
  const panelWidth = 430;
  const panelHeight = 140;
  const body = panels
    .map((spec, index) =>
      panel(spec, 10 + (index % 2) * (panelWidth + 20), 40 + Math.floor(index / 2) * panelHeight, panelWidth),
    )
    .join('\n');
  const height = 40 + Math.ceil(panels.length / 2) * panelHeight;
  const title =
    'req/s at 32 connections and peak RSS under many slow requests: uig, Portkey, a minimal forwarder, direct calls';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<title>${title}</title>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="24" font-size="16" font-weight="bold">${escape(`uig, Portkey, a minimal forwarder and direct calls — ${results.date}, ${results.machine.cores} cores, Node ${results.machine.node}`)}</text>
${body}
</svg>
`;
}
