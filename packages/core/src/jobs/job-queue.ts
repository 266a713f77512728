import type { ProgressEvent } from '../providers/provider.js';
import type { JobEvent, JobRecord, JobRequest, JobResult } from './job-record.js';

/**
 * Where jobs wait and who runs them (docs/architecture.md, "Jobs"). Two implementations:
 * `LocalJobQueue` (the embedded default: records under the data folder, run by the
 * processes that share it) and `RedisJobQueue` (BullMQ: every instance is a worker and
 * answers for every job). Either one owns the record's life: `queued` → `running` →
 * `succeeded` | `failed` | `cancelled`; the work itself is a `JobWork`.
 */
export interface NewJob {
  client: string;
  request: JobRequest;
  origin: Record<string, unknown>;
}

export interface JobQueue {
  /** Stores the record (`queued`) and hands it to a worker. */
  submit(job: NewJob): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  /** The client's jobs, newest first. */
  list(client: string, limit: number): Promise<JobRecord[]>;
  /**
   * Stops the job wherever it runs (the vendor call is aborted, a pending vendor task
   * cancelled). Resolves with the record: `cancelled`, or as it stands when the worker
   * running it did not confirm within a few seconds. Undefined for an unknown id.
   */
  cancel(id: string): Promise<JobRecord | undefined>;
  /** Progress and status changes of one job, from whichever process runs it. */
  subscribe(id: string, listener: (event: JobEvent) => void): () => void;
  /** Starts taking jobs (and resuming the ones a dead worker left). */
  start(work: JobWork): Promise<void>;
  close(): Promise<void>;
}

/** What a running job may do to its own record. */
export interface JobContext {
  /** Aborts when the job is cancelled. */
  signal: AbortSignal;
  /** True when an earlier run was interrupted (a crash or a lost worker) and this one takes over. */
  resumed: boolean;
  /** Persists a change to the record; writes are applied in order. */
  update(patch: Partial<Pick<JobRecord, 'calls' | 'progress'>>): Promise<void>;
  progress(event: ProgressEvent): void;
}

export type JobWork = (job: JobRecord, context: JobContext) => Promise<JobResult>;
