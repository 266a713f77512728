import type { ClientConfig } from '../config/config.js';
import type { ImageRequest } from '../requests/image-request.js';
import type { ImageStore } from '../storage/image-store.js';
import type { JobQueue } from './job-queue.js';
import { isFinished, type JobRecord, type JobRequest } from './job-record.js';

/**
 * What every door (REST `Prefer: respond-async`, MCP tasks, the MCP foreground deadline)
 * does to turn a checked request into a job: the client key's rpm and images-per-day
 * limits are spent now, as for a synchronous call (concurrency applies while the job
 * runs: JobRunner); input images go into the store so any worker can read them; the
 * day's image reservation is settled with what the job delivered once it ends.
 */
export interface JobSubmission {
  queue: JobQueue;
  /** The client-key limiter (core's ClientLimiter, or any admission with its shape). */
  limiter: {
    admit(client: ClientConfig | undefined, images: number): Promise<{ release(delivered?: number): void }>;
  };
  store: ImageStore;
  client: ClientConfig | undefined;
  request: ImageRequest;
  origin: Record<string, unknown>;
}

/** The key's limits without concurrency: what a submission is counted against. */
function submissionLimits(client: ClientConfig | undefined): ClientConfig | undefined {
  if (!client?.limits) return client;
  const { concurrency: _concurrency, ...limits } = client.limits;
  return { ...client, limits };
}

async function storedIds(request: ImageRequest, store: ImageStore): Promise<JobRequest> {
  const idOf = async (image: ImageRequest['images'][number]) => image.id ?? (await store.put(image.data)).id;
  const { images, mask, ...rest } = request;
  return {
    ...rest,
    images: await Promise.all(images.map(idOf)),
    ...(mask ? { mask: await idOf(mask) } : {}),
  };
}

export async function submitJob(submission: JobSubmission): Promise<JobRecord> {
  const { queue, client, request } = submission;
  const admission = await submission.limiter.admit(submissionLimits(client), request.n);
  let job: JobRecord;
  try {
    job = await queue.submit({
      client: client?.name ?? 'anonymous',
      request: await storedIds(request, submission.store),
      origin: submission.origin,
    });
  } catch (error) {
    admission.release(0);
    throw error;
  }
  const stop = queue.subscribe(job.id, (event) => {
    if (event.type !== 'status' || !isFinished(event.job)) return;
    stop();
    admission.release(event.job.result?.images.length ?? 0);
  });
  return job;
}

/** Waits for the job to end, at most `timeoutMs`; the record as it stands then. */
export async function waitForJob(
  queue: JobQueue,
  id: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<JobRecord | undefined> {
  const current = await queue.get(id);
  if (!current || isFinished(current) || timeoutMs <= 0 || signal?.aborted) return current;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const stop = queue.subscribe(id, (event) => {
      if (event.type === 'status' && isFinished(event.job)) done();
    });
    signal?.addEventListener('abort', done, { once: true });
    // It may have ended between the read above and the subscription.
    void queue.get(id).then((record) => record && isFinished(record) && done());
  });
  return queue.get(id);
}
