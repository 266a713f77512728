import type { JobContext, JobWork } from './job-queue.js';
import { cancelledError, toJobError, type JobEvent, type JobRecord, type JobStatus } from './job-record.js';
import { isJobSuspension, JobSuspendedError } from './job-suspension.js';

/**
 * One run of one job, whichever queue holds it: `running`, the work, then the final
 * record. Record writes go out in order (each one whole). `cancel()` aborts the work
 * and ends the job `cancelled`; `suspend()` aborts it without a final write, so the
 * record stays `running` and the next worker resumes it.
 */
export interface ExecutionOptions {
  work: JobWork;
  write(record: JobRecord): Promise<void>;
  emit(event: JobEvent): void;
  now: () => number;
  /** The job was asked to stop before this run began. */
  cancelRequested?: boolean;
}

export class JobExecution {
  readonly controller = new AbortController();
  readonly done: Promise<JobRecord | undefined>;
  private record: JobRecord;
  private writes: Promise<void> = Promise.resolve();
  private detached = false;

  constructor(
    record: JobRecord,
    private readonly options: ExecutionOptions,
  ) {
    this.record = record;
    this.done = this.run();
  }

  get current(): JobRecord {
    return this.record;
  }

  cancel(): void {
    this.controller.abort();
  }

  /** Stops without a final state: the process is going away, or the job was taken over. */
  suspend(): void {
    this.detached = true;
    this.controller.abort(new JobSuspendedError());
  }

  private save(patch: Partial<JobRecord>): Promise<void> {
    if (this.detached) return this.writes;
    this.record = { ...this.record, ...patch, updatedAt: this.options.now() };
    const snapshot = this.record;
    this.writes = this.writes.then(
      () => (this.detached ? undefined : this.options.write(snapshot)),
      () => (this.detached ? undefined : this.options.write(snapshot)),
    );
    return this.writes;
  }

  private async finish(status: JobStatus, patch: Partial<JobRecord>): Promise<JobRecord> {
    await this.save({ status, finishedAt: this.options.now(), ...patch });
    this.options.emit({ type: 'status', job: this.record });
    return this.record;
  }

  private async run(): Promise<JobRecord | undefined> {
    const resumed = this.record.status === 'running';
    if (this.options.cancelRequested) return this.finish('cancelled', { error: cancelledError() });
    await this.save({
      status: 'running',
      startedAt: this.record.startedAt ?? this.options.now(),
      runs: this.record.runs + 1,
    });
    this.options.emit({ type: 'status', job: this.record });
    const context: JobContext = {
      signal: this.controller.signal,
      resumed,
      update: (patch) => this.save(patch),
      progress: (event) => {
        if (this.detached) return;
        this.options.emit({ type: 'progress', event });
        if (event.type === 'status') {
          const { message, progress, total } = event;
          this.save({
            progress: {
              message,
              ...(progress !== undefined ? { progress } : {}),
              ...(total !== undefined ? { total } : {}),
            },
          }).catch(() => undefined);
        }
      },
    };
    try {
      const result = await this.options.work(this.record, context);
      if (this.detached) return undefined;
      return await this.finish('succeeded', { result });
    } catch (error) {
      if (this.detached || isJobSuspension(this.controller.signal.reason)) return undefined;
      if (this.controller.signal.aborted) return this.finish('cancelled', { error: cancelledError() });
      return this.finish('failed', { error: toJobError(error) });
    }
  }
}
