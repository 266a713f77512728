import { Queue, Worker, type Job } from 'bullmq';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { JobExecution } from './job-execution.js';
import { isJobId, newJobId } from './job-ids.js';
import type { JobQueue, JobWork, NewJob } from './job-queue.js';
import { cancelledError, isFinished, type JobEvent, type JobRecord } from './job-record.js';

/**
 * Jobs on Redis (`UIG_REDIS_URL`), for several gateway instances: BullMQ queues them and
 * every instance is a worker (`jobs.concurrency` each). Records are JSON under
 * `uig:jobs:<id>` (kept `jobs.ttlHours` once finished), so any instance answers GET for
 * any job; progress and cancels travel over Redis pub/sub, so events and DELETE work
 * from any instance too. An instance that dies stops renewing its BullMQ lock; after
 * `lockDurationMs` another worker's stalled-job check (every `stalledIntervalMs`) puts
 * the job back in the queue, and the next worker resumes it (docs/architecture.md,
 * "The resume rule").
 */
export interface RedisJobQueueOptions {
  url: string;
  concurrency: number;
  ttlMs: number;
  stalledIntervalMs: number;
  lockDurationMs: number;
  /** How long close() lets running jobs finish before leaving them to another worker. Default 5 s. */
  closeGraceMs?: number;
  now?: () => number;
  onFinished?: (job: JobRecord) => void;
  onError?: (error: Error) => void;
}

const queueName = 'uig-jobs';
const recordKey = (id: string) => `uig:jobs:${id}`;
const clientKey = (client: string) => `uig:jobs:client:${client}`;
const cancelKey = (id: string) => `uig:jobs:cancel:${id}`;
const eventChannel = (id: string) => `uig:jobs:events:${id}`;
const cancelChannel = 'uig:jobs:cancel';
const cancelWaitMs = 5_000;

export class RedisJobQueue implements JobQueue {
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly running = new Map<string, JobExecution>();
  private readonly events = new EventEmitter();
  private readonly now: () => number;
  private readonly runner = `${hostname()}:${process.pid}`;

  constructor(private readonly options: RedisJobQueueOptions) {
    this.now = options.now ?? Date.now;
    const onError = (error: Error) => options.onError?.(error);
    this.redis = new Redis(options.url, { maxRetriesPerRequest: 2 });
    this.redis.on('error', onError);
    this.subscriber = new Redis(options.url, { maxRetriesPerRequest: null });
    this.subscriber.on('error', onError);
    this.queue = new Queue(queueName, { connection: { url: options.url, maxRetriesPerRequest: null } });
    this.queue.on('error', onError);
    this.events.setMaxListeners(0);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === cancelChannel) return this.running.get(message)?.cancel();
      const id = channel.slice(eventChannel('').length);
      this.events.emit(id, JSON.parse(message) as JobEvent);
    });
  }

  async start(work: JobWork): Promise<void> {
    await this.subscriber.subscribe(cancelChannel);
    this.worker = new Worker(queueName, (job: Job<{ id: string }>) => this.process(job.data.id, work), {
      connection: { url: this.options.url, maxRetriesPerRequest: null },
      concurrency: this.options.concurrency,
      stalledInterval: this.options.stalledIntervalMs,
      lockDuration: this.options.lockDurationMs,
      // A job whose worker died is resumed, however often that happens.
      maxStalledCount: 1_000,
    });
    this.worker.on('error', (error) => this.options.onError?.(error));
  }

  private async write(record: JobRecord): Promise<void> {
    const value = JSON.stringify(record);
    if (isFinished(record)) await this.redis.set(recordKey(record.id), value, 'PX', this.options.ttlMs);
    else await this.redis.set(recordKey(record.id), value);
  }

  private async process(id: string, work: JobWork): Promise<void> {
    const record = await this.get(id);
    if (!record || isFinished(record)) return;
    const execution = new JobExecution(
      { ...record, runner: this.runner },
      {
        work,
        write: (next) => this.write(next),
        // Every instance (this one too) hears events through Redis: one path, no duplicates.
        emit: (event) =>
          void this.redis.publish(eventChannel(id), JSON.stringify(event)).catch(() => undefined),
        now: this.now,
        cancelRequested: (await this.redis.exists(cancelKey(id))) === 1,
      },
    );
    this.running.set(id, execution);
    const finished = await execution.done;
    this.running.delete(id);
    if (finished) this.options.onFinished?.(finished);
    // Suspended (this instance is closing): never settle, so BullMQ does not mark the job
    // done; its lock lapses and another worker resumes it.
    else await new Promise<never>(() => undefined);
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
    await this.write(record);
    await this.redis.zadd(clientKey(job.client), now, record.id);
    await this.queue.add(
      'image',
      { id: record.id },
      { jobId: record.id, removeOnComplete: true, removeOnFail: true },
    );
    return record;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!isJobId(id)) return undefined;
    const local = this.running.get(id);
    if (local) return local.current;
    const value = await this.redis.get(recordKey(id));
    return value ? (JSON.parse(value) as JobRecord) : undefined;
  }

  async list(client: string, limit: number): Promise<JobRecord[]> {
    const key = clientKey(client);
    // Records expire on their own; the index forgets them here.
    await this.redis.zremrangebyscore(key, 0, this.now() - this.options.ttlMs - 7 * 24 * 3_600_000);
    const ids = await this.redis.zrevrange(key, 0, limit * 2);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    const gone = ids.filter((_, index) => !records[index]);
    if (gone.length) await this.redis.zrem(key, ...gone);
    return records.filter((record): record is JobRecord => record !== undefined).slice(0, limit);
  }

  async cancel(id: string): Promise<JobRecord | undefined> {
    const record = await this.get(id);
    if (!record || isFinished(record)) return record;
    await this.redis.set(cancelKey(id), '1', 'PX', this.options.ttlMs);
    await this.redis.publish(cancelChannel, id);
    // Still waiting for a worker: take it out of the queue and end it here.
    const queued = await this.queue.getJob(id);
    if (queued && (await queued.isWaiting())) {
      const removed = await queued.remove().then(
        () => true,
        () => false,
      );
      if (removed) {
        const cancelled: JobRecord = {
          ...record,
          status: 'cancelled',
          finishedAt: this.now(),
          updatedAt: this.now(),
          error: cancelledError(),
        };
        await this.write(cancelled);
        await this.redis.publish(eventChannel(id), JSON.stringify({ type: 'status', job: cancelled }));
        this.options.onFinished?.(cancelled);
        return cancelled;
      }
    }
    const deadline = this.now() + cancelWaitMs;
    for (;;) {
      const current = await this.get(id);
      if (!current || isFinished(current) || this.now() >= deadline) return current;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  subscribe(id: string, listener: (event: JobEvent) => void): () => void {
    if (this.events.listenerCount(id) === 0)
      this.subscriber.subscribe(eventChannel(id)).catch(() => undefined);
    this.events.on(id, listener);
    return () => {
      this.events.off(id, listener);
      if (this.events.listenerCount(id) === 0)
        this.subscriber.unsubscribe(eventChannel(id)).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    const running = [...this.running.values()];
    const grace = new Promise((resolve) => setTimeout(resolve, this.options.closeGraceMs ?? 5_000).unref());
    await Promise.race([Promise.all(running.map((execution) => execution.done)), grace]);
    for (const execution of running) execution.suspend();
    await this.worker?.close(true);
    await this.queue.close();
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => undefined);
  }
}
