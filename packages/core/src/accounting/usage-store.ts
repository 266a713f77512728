import type { Database } from '../database/database.js';
import { DatabaseUnavailableError } from '../errors.js';

/**
 * The fields of the ledger's per-request record that the store keeps in columns (the
 * whole record is kept too, as `record` jsonb). Written against the ledger's record by
 * shape: every record the ledger takes fits.
 */
export interface RecordedRequest {
  time: string;
  requestId: string;
  client: string;
  provider: string;
  model: string;
  images: number;
  estimatedCostUsd: number;
  latencyMs: number;
  route?: string;
  kind?: string;
  /** HTTP status of the answer; a record without one is a success (200). */
  status?: number;
  errorCode?: string;
  attempts?: number;
  vendorCalls?: number;
  modelAsked?: string;
  modelResolved?: string;
  imagesAsked?: number;
  prompt?: string;
  promptSent?: string;
  imageIds?: string[];
  vendorRequestIds?: string[];
  inputTokens?: number;
  outputTokens?: number;
}

/** One image of the gallery listing. */
export interface GalleryImage {
  id: string;
  time: string;
  prompt?: string;
  /** `provider/model`. */
  model: string;
  /** The request's cost shared evenly over its images. */
  estimatedCostUsd: number;
}

export type UsageGrouping = 'day' | 'model' | 'provider';

export interface UsageQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  groupBy: UsageGrouping;
  /** One client; absent means every client (the admin key), each in its own rows. */
  client?: string;
}

export interface UsageRow {
  client: string;
  /** The day (`YYYY-MM-DD`, UTC), `provider/model` or provider, per `groupBy`. */
  key: string;
  requests: number;
  failedRequests: number;
  images: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

const groupings: Record<UsageGrouping, string> = {
  day: `to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  model: `CASE WHEN provider = '' THEN '' ELSE provider || '/' || model END`,
  provider: 'provider',
};

/** Columns of `usage_requests` a write fills, in the order of `rowValues`. */
const requestColumns = [
  'request_id',
  'time',
  'client',
  'route',
  'kind',
  'status',
  'error_code',
  'prompt',
  'prompt_sent',
  'model_asked',
  'model_resolved',
  'provider',
  'model',
  'images_asked',
  'images',
  'attempts',
  'vendor_calls',
  'latency_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'vendor_request_ids',
  'record',
] as const;

function rowValues(record: RecordedRequest): unknown[] {
  return [
    record.requestId,
    record.time,
    record.client,
    record.route ?? null,
    record.kind ?? null,
    record.status ?? 200,
    record.errorCode ?? null,
    record.prompt ?? null,
    record.promptSent ?? null,
    record.modelAsked ?? null,
    record.modelResolved ?? null,
    record.provider,
    record.model,
    record.imagesAsked ?? null,
    record.images,
    record.attempts ?? null,
    record.vendorCalls ?? null,
    Math.round(record.latencyMs),
    record.inputTokens ?? null,
    record.outputTokens ?? null,
    record.estimatedCostUsd,
    record.vendorRequestIds ?? [],
    JSON.stringify(record),
  ];
}

/** Most records one statement writes (23 parameters each; PostgreSQL allows 65,535). */
const maxBatch = 256;
/** Most records waiting while the database is unreachable; older ones are reported and dropped from SQL. */
const maxQueued = 10_000;

interface PendingWrite {
  record: RecordedRequest;
  done: () => void;
}

/**
 * The usage store (docs/accounting.md): one row per image request in `usage_requests`,
 * and its images in `usage_images` (the gallery's index). Writes never fail a request: a
 * write that cannot reach the database is reported to `onError` and dropped from SQL
 * (the JSONL export still has it).
 *
 * Writes are group-committed: while one statement is under way, the records that arrive
 * wait and then go together in the next one (one multi-row INSERT whose images follow in
 * the same statement). An idle store writes a record at once; a busy one writes many per
 * statement, so a statement's fixed cost is shared (docs/benchmarks.md measures it). Each
 * caller still hears back only when its own row is in the database.
 */
export class UsageStore {
  private queue: PendingWrite[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly onError: (error: Error, requestId: string) => void = () => undefined,
  ) {}

  /** Stores the record; resolves when it is in the database (or the failure was reported). Never rejects. */
  record(record: RecordedRequest): Promise<void> {
    return new Promise<void>((done) => {
      this.queue.push({ record, done });
      if (this.queue.length > maxQueued) {
        const dropped = this.queue.shift()!;
        this.onError(
          new DatabaseUnavailableError('Too many usage rows are waiting for the database.'),
          dropped.record.requestId,
        );
        dropped.done();
      }
      this.writing ??= this.drain();
    });
  }

  /** Waits for the writes under way (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Writes batches until nothing waits. */
  private async drain(): Promise<void> {
    // Let the records of this turn of the event loop join the first batch.
    await Promise.resolve();
    while (this.queue.length) {
      const batch = this.queue.splice(0, maxBatch);
      await this.write(batch);
      for (const write of batch) write.done();
    }
    this.writing = undefined;
  }

  private async write(batch: PendingWrite[]): Promise<void> {
    try {
      await this.insert(batch.map((write) => write.record));
    } catch (error) {
      if (batch.length === 1 || error instanceof DatabaseUnavailableError) {
        for (const write of batch) this.onError(error as Error, write.record.requestId);
        return;
      }
      // One record the database refuses must not cost the others their rows: each alone.
      for (const write of batch) await this.write([write]);
    }
  }

  /**
   * One statement: the requests' rows, then the images of the rows that were new. Keyed
   * by request id, so a batch sent again after a lost connection is not doubled.
   */
  private async insert(records: RecordedRequest[]): Promise<void> {
    const values: unknown[] = [];
    const rows = records.map((record) => {
      const start = values.length;
      values.push(...rowValues(record));
      return `(${requestColumns.map((_, column) => `$${start + column + 1}`).join(', ')})`;
    });
    const imageRequests: string[] = [];
    const imageIds: string[] = [];
    const positions: number[] = [];
    for (const record of records) {
      (record.imageIds ?? []).forEach((id, index) => {
        imageRequests.push(record.requestId);
        imageIds.push(id);
        positions.push(index + 1);
      });
    }
    const insertRequests = `INSERT INTO usage_requests (${requestColumns.join(', ')})
      VALUES ${rows.join(',\n')}
      ON CONFLICT (request_id) DO NOTHING`;
    if (imageIds.length === 0) {
      await this.database.query(insertRequests, values);
      return;
    }
    const at = values.length;
    values.push(imageRequests, imageIds, positions);
    await this.database.query(
      `WITH inserted AS (${insertRequests} RETURNING request_id, seq, client, time)
       INSERT INTO usage_images (image_id, request_id, request_seq, position, client, time)
       SELECT image.id, inserted.request_id, inserted.seq, image.position, inserted.client, inserted.time
       FROM unnest($${at + 1}::text[], $${at + 2}::text[], $${at + 3}::int[]) AS image(request_id, id, position)
       JOIN inserted USING (request_id)`,
      values,
    );
  }

  /**
   * The client's images, newest first, after the image `before` (the gallery): an index
   * scan of `usage_images (client, time DESC, …)`, however long the history.
   */
  async recentImages(
    client: string,
    options: { limit: number; before?: string },
  ): Promise<{ images: GalleryImage[]; hasMore: boolean }> {
    const values: unknown[] = [client, options.limit + 1];
    let after = '';
    if (options.before !== undefined) {
      values.push(options.before);
      // The cursor image's place in the order; an unknown id gives an empty page.
      after = `AND (image.time, image.request_seq, -image.position) <
        (SELECT cursor.time, cursor.request_seq, -cursor.position FROM usage_images cursor
          WHERE cursor.client = $1 AND cursor.image_id = $3 ORDER BY cursor.time DESC LIMIT 1)`;
    }
    const rows = await this.database.query<{
      id: string;
      time: Date;
      prompt: string | null;
      model: string;
      cost: number;
    }>(
      `SELECT image.image_id AS id, image.time, request.prompt, request.provider || '/' || request.model AS model,
         round(request.cost_usd / greatest(request.images, 1), 6)::float8 AS cost
       FROM usage_images image JOIN usage_requests request USING (request_id)
       WHERE image.client = $1 ${after}
       ORDER BY image.time DESC, image.request_seq DESC, image.position
       LIMIT $2`,
      values,
    );
    const images = rows.slice(0, options.limit).map((row) => ({
      id: row.id,
      time: row.time.toISOString(),
      ...(row.prompt !== null ? { prompt: row.prompt } : {}),
      model: row.model,
      estimatedCostUsd: row.cost,
    }));
    return { images, hasMore: rows.length > options.limit };
  }

  /** Requests, images, cost and tokens per client and per day, model or provider. */
  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const values: unknown[] = [query.from.toISOString(), query.to.toISOString()];
    if (query.client !== undefined) values.push(query.client);
    const key = groupings[query.groupBy];
    const rows = await this.database.query<{
      client: string;
      key: string;
      requests: number;
      failed: number;
      images: number;
      cost: number;
      input: number;
      output: number;
    }>(
      `SELECT client, ${key} AS key, count(*)::int AS requests,
         count(*) FILTER (WHERE status >= 400)::int AS failed,
         coalesce(sum(images), 0)::int AS images, coalesce(sum(cost_usd), 0)::float8 AS cost,
         coalesce(sum(input_tokens), 0)::float8 AS input, coalesce(sum(output_tokens), 0)::float8 AS output
       FROM usage_requests
       WHERE time >= $1 AND time < $2 ${query.client !== undefined ? 'AND client = $3' : ''}
       GROUP BY client, ${key}
       ORDER BY client, ${key}`,
      values,
    );
    return rows.map((row) => ({
      client: row.client,
      key: row.key,
      requests: row.requests,
      failedRequests: row.failed,
      images: row.images,
      costUsd: Math.round(row.cost * 1e6) / 1e6,
      inputTokens: row.input,
      outputTokens: row.output,
    }));
  }
}
