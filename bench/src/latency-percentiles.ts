/** Nearest-rank percentiles (fractions in (0, 1]) of unsorted samples; NaN when there are none. */
export function latencyPercentiles(samples: readonly number[], fractions: readonly number[]): number[] {
  if (samples.length === 0) return fractions.map(() => Number.NaN);
  const sorted = Float64Array.from(samples).sort();
  return fractions.map(
    (fraction) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!,
  );
}
