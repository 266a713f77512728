import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { FileJobStore, type Claim } from './file-job-store.js';
import { JobExecution } from './job-execution.js';
import { isJobId, newJobId } from './job-ids.js';
import type { JobQueue, JobWork, NewJob } from './job-queue.js';
import { isFinished, type JobEvent, type JobRecord } from './job-record.js';

/**
 * The embedded job queue: records under `<dataDir>/jobs` (FileJobStore), run by the
 * processes sharing that folder, at most `concurrency` at a time each. The process
 * that takes a job is whichever claims it first; a job whose process died (kill -9,
 * power cut) is claimed again by a live one, or by the same process after a restart,
 * and resumed (docs/architecture.md, "The resume rule").
 */
export interface LocalJobQueueOptions {
  dataDir: string;
  concurrency: number;
  /** How long finished records are kept. */
  ttlMs: number;
  /** A claim not renewed for this long is taken over. Default 30 s. */
  leaseMs?: number;
  /** How often claims are renewed, cancels and other processes' jobs looked at. Default 1 s. */
  pollMs?: number;
  /** How long close() lets running jobs finish before suspending them. Default 5 s. */
  closeGraceMs?: number;
  now?: () => number;
  /** Told once per job when it ends (the ledger line). */
  onFinished?: (job: JobRecord) => void;
}

interface Running {
  execution: JobExecution;
  claim: Claim;
}

const cancelWaitMs = 5_000;

export class LocalJobQueue implements JobQueue {
  private readonly store: FileJobStore;
  private readonly owner = { instance: randomUUID() };
  private readonly pending: string[] = [];
  private readonly running = new Map<string, Running>();
  private readonly events = new EventEmitter();
  private readonly now: () => number;
  private readonly pollMs: number;
  private work: JobWork | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSweep = 0;
  private closed = false;
  /** Jobs being claimed or run here. */
  private busy = 0;

  constructor(private readonly options: LocalJobQueueOptions) {
    this.now = options.now ?? Date.now;
    this.pollMs = options.pollMs ?? 1000;
    this.store = new FileJobStore(options.dataDir, options.leaseMs ?? 30_000, this.now);
    this.events.setMaxListeners(0);
  }

  async start(work: JobWork): Promise<void> {
    this.work = work;
    await this.store.init();
    await this.tick();
    this.timer = setInterval(() => void this.tick().catch(() => undefined), this.pollMs);
    this.timer.unref();
  }

  async submit(job: NewJob): Promise<JobRecord> {
    const now = this.now();
    const record: JobRecord = {
      id: newJobId(),
      client: job.client,
      status: 'queued',
      createdAt: now,
      updatedAt: now,
      request: job.request,
      origin: job.origin,
      calls: {},
      runs: 0,
    };
    await this.store.create(record);
    this.pending.push(record.id);
    this.pump();
    return record;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!isJobId(id)) return undefined;
    return this.running.get(id)?.execution.current ?? this.store.read(id);
  }

  async list(client: string, limit: number): Promise<JobRecord[]> {
    const records = await this.store.all();
    return records
      .filter((record) => record.client === client)
      .map((record) => this.running.get(record.id)?.execution.current ?? record)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
  }

  async cancel(id: string): Promise<JobRecord | undefined> {
    const record = await this.get(id);
    if (!record || isFinished(record)) return record;
    const local = this.running.get(id);
    if (local) {
      local.execution.cancel();
      return (await local.execution.done) ?? (await this.store.read(id));
    }
    await this.store.requestCancel(id);
    // Queued here, or left by a dead process: claiming it ends it `cancelled` at once.
    await this.take(id);
    const deadline = this.now() + cancelWaitMs;
    for (;;) {
      const current = await this.get(id);
      if (!current || isFinished(current) || this.now() >= deadline) return current;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, this.pollMs)));
    }
  }

  subscribe(id: string, listener: (event: JobEvent) => void): () => void {
    this.events.on(id, listener);
    // A job run by another process: its record is the only news.
    let last: number | undefined;
    let stopped = false;
    const poll = setInterval(() => {
      if (this.running.has(id)) return;
      void this.store.read(id).then((record) => {
        if (stopped || !record || record.updatedAt === last) return;
        const first = last === undefined;
        last = record.updatedAt;
        if (first && !isFinished(record)) return;
        if (this.running.has(id)) return;
        if (record.progress && !isFinished(record))
          listener({ type: 'progress', event: { type: 'status', ...record.progress } });
        listener({ type: 'status', job: record });
      });
    }, this.pollMs);
    poll.unref();
    return () => {
      stopped = true;
      clearInterval(poll);
      this.events.off(id, listener);
    };
  }

  private pump(): void {
    while (!this.closed && this.work && this.busy < this.options.concurrency && this.pending.length) {
      const id = this.pending.shift()!;
      this.busy++;
      void this.take(id)
        .catch(() => undefined)
        .finally(() => {
          this.busy--;
          this.pump();
        });
    }
  }

  /** Claims the job and runs it here, unless a live worker holds it. */
  private async take(id: string): Promise<void> {
    if (this.running.has(id) || !this.work || this.closed) return;
    const claim = await this.store.claim(id, this.owner);
    if (!claim) return;
    const record = await this.store.read(id);
    if (!record || isFinished(record)) {
      await this.store.finished(id);
      return;
    }
    const execution = new JobExecution(record, {
      work: this.work,
      write: (next) => this.store.write(next),
      emit: (event) => this.events.emit(id, event),
      now: this.now,
      cancelRequested: await this.store.cancelRequested(id),
    });
    this.running.set(id, { execution, claim });
    const finished = await execution.done;
    this.running.delete(id);
    if (finished) {
      await this.store.finished(id);
      this.options.onFinished?.(finished);
    }
  }

  /** Renews claims, notices cancels from other processes, picks up orphans, drops expired records. */
  private async tick(): Promise<void> {
    for (const [id, { execution, claim }] of this.running) {
      if (!(await this.store.renew(id, claim))) execution.suspend();
      else if (await this.store.cancelRequested(id)) execution.cancel();
    }
    if (this.closed) return;
    for (const id of await this.store.active()) {
      if (!this.running.has(id) && !this.pending.includes(id)) this.pending.push(id);
    }
    this.pump();
    if (this.now() - this.lastSweep >= 60_000) {
      this.lastSweep = this.now();
      for (const record of await this.store.all()) {
        if (record.finishedAt !== undefined && record.finishedAt + this.options.ttlMs < this.now())
          await this.store.remove(record.id);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const running = [...this.running.values()].map((entry) => entry.execution);
    const grace = new Promise((resolve) => setTimeout(resolve, this.options.closeGraceMs ?? 5_000).unref());
    await Promise.race([Promise.all(running.map((execution) => execution.done)), grace]);
    for (const execution of running) execution.suspend();
  }
}
