import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * What each client key used: one JSON line per request in `<dataDir>/usage.jsonl`,
 * appended through one stream (no fs call per request on the hot path), plus
 * in-memory daily image counts that the images-per-day limit reads.
 */
export interface UsageRecord {
  time: string;
  requestId: string;
  client: string;
  provider: string;
  model: string;
  kind: 'generate' | 'edit';
  images: number;
  estimatedCostUsd: number;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs: number;
}

export class UsageLedger {
  readonly path: string;
  private stream: WriteStream | undefined;
  private readonly daily = new Map<string, number>();
  private day = '';

  constructor(dataDir: string, private readonly now: () => number = Date.now) {
    this.path = join(dataDir, 'usage.jsonl');
    mkdirSync(dataDir, { recursive: true });
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
