import { encodePng } from '@uig/core';
import { createLocalProvider, renderPlaceholderPixels } from '@uig/provider-local';

/**
 * How fast the local provider renders and encodes one placeholder PNG (moved here
 * from bench/local-render.ts; same method).
 *
 * For each model and size: warm up, then time `provider.generate` with n = 1
 * (render + PNG encode, including the yields between row bands), with a different
 * seed each run so every run draws a new layout. Reports median and p95 in ms, and
 * the render-only and encode-only medians for the gradient model so a regression
 * can be placed. The target is a median of at most 50 ms at 1024x1024.
 */
interface Timing {
  median: number;
  p95: number;
  /** Median CPU time of this process: on a shared machine it moves less than wall time. */
  cpuMedian: number;
}

interface RenderRow extends Timing {
  model: string;
  side: number;
  pngBytes: number;
}

interface BreakdownRow {
  side: number;
  render: Timing;
  encode: Timing;
}

export interface LocalRenderResult {
  runs: number;
  warmupRuns: number;
  rows: RenderRow[];
  breakdown: BreakdownRow[];
}

const warmupRuns = 8;
const models = ['placeholder', 'placeholder-blocks'] as const;

function quantile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function time(count: number, task: (run: number) => unknown): Promise<Timing> {
  for (let run = 0; run < warmupRuns; run++) await task(-1 - run);
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let run = 0; run < count; run++) {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    await task(run);
    samples.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    cpuSamples.push((cpu.user + cpu.system) / 1000);
  }
  samples.sort((left, right) => left - right);
  cpuSamples.sort((left, right) => left - right);
  return {
    median: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    cpuMedian: quantile(cpuSamples, 0.5),
  };
}

export async function measureLocalRender(
  runs: number,
  sizes: readonly number[] = [512, 1024, 2048],
): Promise<LocalRenderResult> {
  const provider = createLocalProvider({ id: 'local', baseURL: '', fetch: globalThis.fetch, options: {} });
  const signal = new AbortController().signal;
  let bytesSeen = 0;
  const rows: RenderRow[] = [];
  for (const model of models) {
    for (const side of sizes) {
      let lastBytes = 0;
      const timing = await time(side === 2048 ? Math.max(10, Math.round(runs / 2)) : runs, async (run) => {
        const result = await provider.generate({
          model,
          prompt: `benchmark prompt ${run}`,
          n: 1,
          seed: 1000 + run,
          size: { width: side, height: side },
          images: [],
          providerOptions: {},
          credential: { id: 'local', apiKey: '' },
          signal,
          requestId: 'bench',
        });
        const image = result.images[0];
        if (image?.kind === 'bytes') lastBytes = image.data.length;
        bytesSeen += lastBytes;
      });
      rows.push({ model, side, pngBytes: lastBytes, ...timing });
    }
  }

  const breakdown: BreakdownRow[] = [];
  for (const side of sizes) {
    const request = (run: number) => ({
      model: 'placeholder',
      style: 'gradient' as const,
      prompt: `breakdown ${run}`,
      seed: run,
      width: side,
      height: side,
    });
    const render = await time(runs, (run) => renderPlaceholderPixels(request(run)));
    const pixels = renderPlaceholderPixels(request(0));
    const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
    const encode = await time(runs, () => {
      bytesSeen += encodePng({ width: side, height: side, channels: 3, pixels: bytes, level: 1 }).length;
    });
    breakdown.push({ side, render, encode });
  }
  // Keeps the results observably used so nothing is optimised away.
  if (bytesSeen === 0) throw new Error('local render produced no bytes');
  return { runs, warmupRuns, rows, breakdown };
}
