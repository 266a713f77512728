import {
  closeSync,
  createWriteStream,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import type { ImageKind } from '../requests/image-request.js';

/**
 * What each client key used: one JSON line per request in `<dataDir>/usage.jsonl`,
 * appended through one stream (no fs call per request on the hot path), plus
 * in-memory daily image counts that the images-per-day limit reads. At startup the
 * counts of today (UTC) are read back from the end of the file, so a restart does
 * not hand every client a fresh daily allowance.
 */
export interface UsageRecord {
  time: string;
  requestId: string;
  client: string;
  provider: string;
  model: string;
  kind: ImageKind;
  images: number;
  estimatedCostUsd: number;
  inputTokens?: number;
  outputTokens?: number;
  /** The chat model that rewrote the prompt (docs/prompt-optimization.md), and what it used; its cost is in estimatedCostUsd too. */
  rewriteModel?: string;
  rewriteInputTokens?: number;
  rewriteOutputTokens?: number;
  rewriteCostUsd?: number;
  latencyMs: number;
  /** The prompt as the client gave it. */
  prompt?: string;
  /** Ids of the stored images handed out, in answer order. */
  imageIds?: string[];
}

/** One image of the gallery listing. */
export interface RecentImage {
  id: string;
  time: string;
  prompt?: string;
  /** `provider/model`. */
  model?: string;
  estimatedCostUsd?: number;
}

export interface RecentImagesPage {
  images: RecentImage[];
  hasMore: boolean;
}

export class UsageLedger {
  readonly path: string;
  private stream: WriteStream | undefined;
  private readonly daily = new Map<string, number>();
  private day = '';

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dataDir, 'usage.jsonl');
    mkdirSync(dataDir, { recursive: true });
    this.loadToday();
  }

  /** Records from newest to oldest, read backwards from the end of the file (they are appended in time order). */
  private *newestFirst(): Generator<Partial<UsageRecord>> {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return;
    }
    try {
      let position = fstatSync(fd).size;
      let carry = Buffer.alloc(0);
      while (position > 0) {
        const length = Math.min(64 * 1024, position);
        position -= length;
        const chunk = Buffer.alloc(length);
        readSync(fd, chunk, 0, length, position);
        const data = Buffer.concat([chunk, carry]);
        const lines = data.toString('utf8').split('\n');
        // The first piece may be the end of a line that starts in the previous chunk.
        carry = position > 0 ? Buffer.from(lines.shift()!, 'utf8') : Buffer.alloc(0);
        for (let index = lines.length - 1; index >= 0; index--) {
          const line = lines[index]!;
          if (!line) continue;
          try {
            yield JSON.parse(line) as Partial<UsageRecord>;
          } catch {}
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  private loadToday(): void {
    const today = this.today();
    for (const record of this.newestFirst()) {
      const day = typeof record.time === 'string' ? record.time.slice(0, 10) : '';
      if (day < today) return;
      if (day === today && typeof record.client === 'string' && typeof record.images === 'number') {
        this.daily.set(record.client, (this.daily.get(record.client) ?? 0) + record.images);
      }
    }
  }

  /**
   * The client's stored images, newest first, after the image id `before` (the gallery).
   * A backwards scan of the file: fine for one machine's history; the SQL usage store
   * answers the same question from an index.
   */
  recentImages(client: string, options: { limit: number; before?: string }): RecentImagesPage {
    const images: RecentImage[] = [];
    let skipping = options.before !== undefined;
    for (const record of this.newestFirst()) {
      if (record.client !== client || !Array.isArray(record.imageIds)) continue;
      const perImage =
        typeof record.estimatedCostUsd === 'number' && record.imageIds.length
          ? Math.round((record.estimatedCostUsd / record.imageIds.length) * 1e6) / 1e6
          : undefined;
      for (const id of record.imageIds) {
        if (skipping) {
          if (id === options.before) skipping = false;
          continue;
        }
        if (images.length === options.limit) return { images, hasMore: true };
        images.push({
          id,
          time: record.time ?? '',
          ...(record.prompt !== undefined ? { prompt: record.prompt } : {}),
          ...(record.provider && record.model ? { model: `${record.provider}/${record.model}` } : {}),
          ...(perImage !== undefined ? { estimatedCostUsd: perImage } : {}),
        });
      }
    }
    return { images, hasMore: false };
  }

  private today(): string {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.daily.clear();
    }
    return day;
  }

  record(record: UsageRecord): void {
    this.stream ??= createWriteStream(this.path, { flags: 'a' });
    this.stream.write(`${JSON.stringify(record)}\n`);
    this.today();
    this.daily.set(record.client, (this.daily.get(record.client) ?? 0) + record.images);
  }

  /** Images this client received today (UTC). */
  imagesToday(client: string): number {
    this.today();
    return this.daily.get(client) ?? 0;
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }
}
