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
import type { RequestRecord } from './request-record.js';

/**
 * What each client key used: one RequestRecord per image request in
 * `<dataDir>/usage.jsonl`, appended through one stream (no fs call per request on the
 * hot path) and awaited, so a client that has its answer can read its line; plus
 * in-memory daily image counts that the images-per-day limit reads. At startup the
 * counts of today (UTC) are read back from the end of the file, so a restart does not
 * hand every client a fresh daily allowance.
 *
 * A write that fails (a full or read-only disk) never crashes the process and never
 * fails the request: the line is kept in memory (up to `maxPending` lines), the failure
 * is reported once (`onFailure`, with the OS code and the path) and shows in `health()`
 * (`/readyz`), and the kept lines are written again every `retryMs` until the disk takes
 * them; then `onRecovered` is told how many were written late.
 */
export interface LedgerHealth {
  ok: boolean;
  /** The OS code of the failed write (`ENOSPC`, `EROFS`, `EACCES`, ...). */
  osCode?: string;
  path: string;
  /** Lines waiting in memory for the disk to take them. */
  pending: number;
  /** Lines given up because more than `maxPending` were waiting. */
  dropped: number;
  /** When the failure began (ms since the epoch). */
  since?: number;
}

interface UsageLedgerOptions {
  now?: () => number;
  onFailure?: (health: LedgerHealth, error: Error) => void;
  onRecovered?: (written: number) => void;
  /** How often kept lines are written again while the disk fails. Default 5 s. */
  retryMs?: number;
  maxPending?: number;
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
  private readonly now: () => number;
  private readonly options: UsageLedgerOptions;
  /** Lines a failed write left, oldest first, while the disk fails. */
  private pending: string[] = [];
  /** Kept lines taken out of `pending` by a retry that is writing them now. */
  private retrying = 0;
  private failure: { osCode: string; since: number } | undefined;
  private dropped = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(dataDir: string, options: UsageLedgerOptions | (() => number) = {}) {
    this.options = typeof options === 'function' ? { now: options } : options;
    this.now = this.options.now ?? Date.now;
    this.path = join(dataDir, 'usage.jsonl');
    mkdirSync(dataDir, { recursive: true });
    this.loadToday();
  }

  /** Records from newest to oldest, read backwards from the end of the file (they are appended in time order). */
  private *newestFirst(): Generator<Partial<RequestRecord>> {
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
            yield JSON.parse(line) as Partial<RequestRecord>;
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

  /**
   * Appends the record; resolves once the line is on disk, or (the disk failing) kept
   * in memory to be written later. Never rejects.
   */
  record(record: RequestRecord): Promise<void> {
    this.today();
    if (record.images > 0)
      this.daily.set(record.client, (this.daily.get(record.client) ?? 0) + record.images);
    const line = `${JSON.stringify(record)}\n`;
    if (this.failure) {
      this.keep([line]);
      return Promise.resolve();
    }
    return this.write(line).then((error) => {
      if (error) this.failed(error, [line]);
    });
  }

  /** Whether the last write reached the disk (`/readyz`). */
  health(): LedgerHealth {
    return {
      ok: this.failure === undefined,
      path: this.path,
      // Lines being written again still count until the write succeeds.
      pending: this.pending.length + this.retrying,
      dropped: this.dropped,
      ...(this.failure ? { osCode: this.failure.osCode, since: this.failure.since } : {}),
    };
  }

  /** Writes through the stream; resolves with the error instead of rejecting. */
  private write(text: string): Promise<Error | undefined> {
    if (!this.stream) {
      const stream = createWriteStream(this.path, { flags: 'a' });
      // A failed write destroys the stream: the next write opens a new one. Without this
      // listener the 'error' event would be an uncaught exception and end the process.
      stream.on('error', () => {
        if (this.stream === stream) this.stream = undefined;
      });
      this.stream = stream;
    }
    const stream = this.stream;
    return new Promise((resolve) => {
      stream.write(text, (error) => {
        if (error && this.stream === stream) this.stream = undefined;
        resolve(error ?? undefined);
      });
    });
  }

  private keep(lines: string[]): void {
    this.pending.push(...lines);
    const maxPending = this.options.maxPending ?? 10_000;
    if (this.pending.length > maxPending) {
      this.dropped += this.pending.length - maxPending;
      this.pending = this.pending.slice(-maxPending);
    }
  }

  private failed(error: Error, lines: string[]): void {
    this.keep(lines);
    if (this.failure) return;
    const code = (error as NodeJS.ErrnoException).code;
    this.failure = { osCode: typeof code === 'string' ? code : error.name, since: this.now() };
    this.options.onFailure?.(this.health(), error);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, this.options.retryMs ?? 5000);
    this.retryTimer.unref();
  }

  /** Writes the kept lines again; on success the ledger is healthy again. */
  private flush(): Promise<void> {
    this.flushing ??= (async () => {
      const lines = this.pending;
      this.pending = [];
      this.retrying = lines.length;
      const error = lines.length ? await this.write(lines.join('')) : undefined;
      this.retrying = 0;
      if (error) {
        this.pending = [...lines, ...this.pending];
        this.scheduleRetry();
        return;
      }
      this.failure = undefined;
      const late = this.pending;
      this.pending = [];
      if (late.length) {
        const lateError = await this.write(late.join(''));
        if (lateError) {
          this.failed(lateError, late);
          return;
        }
      }
      this.options.onRecovered?.(lines.length + late.length);
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Images this client received today (UTC). */
  imagesToday(client: string): number {
    this.today();
    return this.daily.get(client) ?? 0;
  }

  async close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.failure) await this.flush();
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }
}
