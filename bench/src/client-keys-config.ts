import { writeFile } from 'node:fs/promises';

/**
 * A uig config file (UIG_CONFIG, JSON) with `count` client keys, each with limits on
 * every axis (rpm, concurrency, images per day) so the limiter does its full work
 * per request, and each limit far above what the benchmark sends, so no request is
 * refused: what is measured is the bookkeeping, not 429s.
 */
export const clientKey = (index: number) => `uig-bench-client-${String(index).padStart(5, '0')}`;

export async function writeClientKeysConfig(path: string, count: number): Promise<void> {
  const clients = Array.from({ length: count }, (_, index) => ({
    name: `client-${index}`,
    key: clientKey(index),
    limits: { rpm: 1_000_000, concurrency: 10_000, imagesPerDay: 1_000_000_000 },
  }));
  await writeFile(path, JSON.stringify({ clients }));
}
