import type { ProfileRun } from './profile-run.js';

/** The CPU profile summaries as Markdown: per run, time per owner, then the top functions. */
export function renderProfileReport(runs: ProfileRun[], top = 15): string {
  const parts: string[] = [];
  for (const run of runs) {
    const { summary, load } = run;
    parts.push(
      `#### ${run.body} body, ${run.format}: ${Math.round(load.requestsPerSecond)} req/s, ${load.cpuMsPerRequest?.toFixed(3)} ms CPU per request; busy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.wallMs / 1000).toFixed(1)} s`,
      '',
      '| owner | self ms | % of busy |',
      '|---|---:|---:|',
      ...summary.byOwner
        .slice(0, 12)
        .map((entry) => `| ${entry.owner} | ${Math.round(entry.ms)} | ${entry.percent.toFixed(1)} |`),
      '',
      '| top self time | where | % of busy |',
      '|---|---|---:|',
      ...summary.selfTop
        .slice(0, top)
        .map((entry) => `| ${entry.name} | ${entry.where || entry.owner} | ${entry.percent.toFixed(1)} |`),
      '',
      '| uig function, inclusive | where | % of busy |',
      '|---|---|---:|',
      ...summary.uigInclusiveTop
        .slice(0, top)
        .map((entry) => `| ${entry.name} | ${entry.where} | ${entry.percent.toFixed(1)} |`),
      '',
    );
  }
  return parts.join('\n');
}
