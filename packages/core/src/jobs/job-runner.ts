import type { ClientConfig } from '../config/config.js';
import type { ClientLimiter } from '../clients/client-limiter.js';
import { InvalidRequestError, isUigError, UigError } from '../errors.js';
import type { ImageService } from '../images/image-service.js';
import type { VendorTaskJournal } from '../images/vendor-task-journal.js';
import type { InputImage } from '../providers/provider.js';
import type { ImageStore } from '../storage/image-store.js';
import { realSleep, type Sleep } from '../upstream/retry.js';
import type { JobContext, JobWork } from './job-queue.js';
import { interruptedError, toJobResult, type JobCall, type JobRecord } from './job-record.js';

/**
 * The work of one job: the same ImageService run as a synchronous request, plus what
 * only a job needs (docs/architecture.md, "Jobs"):
 * - the client key's concurrency limit applies while it runs (a job over it waits, it
 *   is not refused: it was admitted at submission);
 * - every vendor call is written to the record before it goes out, and a task vendor's
 *   task id as soon as the adapter reports it;
 * - the resume rule: a run taking over an interrupted one polls the vendor tasks the
 *   earlier run created; if that run was inside a call with no task id (a synchronous
 *   vendor call, or a task create whose answer never came), the job fails `INTERRUPTED`
 *   rather than paying twice, unless `retryInterrupted`.
 */
export interface JobRunnerOptions {
  service: ImageService;
  store: ImageStore;
  limiter: Pick<ClientLimiter, 'admit'>;
  /** The client key's configuration by name (limits, allowed models). */
  /** The job's client key; a promise when it may have to be read first (a managed key). */
  clientNamed: (name: string) => ClientConfig | undefined | Promise<ClientConfig | undefined>;
  retryInterrupted: boolean;
  sleep?: Sleep;
}

class InterruptedJobError extends UigError {
  constructor() {
    const error = interruptedError();
    super(error.message, { code: error.code, status: error.status, type: error.type });
  }
}

async function inputImage(store: ImageStore, id: string, param: string): Promise<InputImage> {
  const stored = await store.read(id);
  if (!stored)
    throw new InvalidRequestError(`${param}: the stored input image ${id} is gone; submit the job again.`, {
      param,
      code: 'IMAGE_NOT_FOUND',
    });
  const { image, data } = stored;
  return { data, mimeType: image.mimeType, width: image.width, height: image.height, id: image.id };
}

function journalFor(job: JobRecord, context: JobContext): VendorTaskJournal {
  const calls: Record<string, JobCall> = { ...job.calls };
  return {
    resumable(key) {
      const call = calls[key];
      return call?.taskId ? { credentialId: call.credential, taskId: call.taskId } : undefined;
    },
    async starting(key, credentialId, resumeTaskId) {
      calls[key] = { credential: credentialId, ...(resumeTaskId ? { taskId: resumeTaskId } : {}) };
      await context.update({ calls: { ...calls } });
    },
    taskCreated(key, taskId) {
      calls[key] = { credential: calls[key]?.credential ?? '', taskId };
      // Not awaited by the adapter (it goes on polling); a write lost to a crash only
      // means the job ends INTERRUPTED instead of resuming.
      context.update({ calls: { ...calls } }).catch(() => undefined);
    },
  };
}

export function createJobRunner(options: JobRunnerOptions): JobWork {
  const sleep = options.sleep ?? realSleep;
  return async (job, context) => {
    let calls = job.calls;
    if (context.resumed) {
      const blind = Object.values(calls).some((call) => !call.taskId);
      if (blind && !options.retryInterrupted) throw new InterruptedJobError();
      calls = Object.fromEntries(Object.entries(calls).filter(([, call]) => call.taskId));
    }
    const client = await options.clientNamed(job.client);
    const admission = await admitRunning(options, client, context.signal, sleep);
    let delivered = 0;
    try {
      const { images: imageIds, mask: maskId, ...request } = job.request;
      const images = await Promise.all(
        imageIds.map((id, index) =>
          inputImage(options.store, id, imageIds.length > 1 ? `image.${index}` : 'image'),
        ),
      );
      const mask = maskId ? await inputImage(options.store, maskId, 'mask') : undefined;
      const result = await options.service.run(
        { ...request, images, ...(mask ? { mask } : {}) },
        {
          requestId: job.id,
          signal: context.signal,
          ...(client ? { client } : {}),
          onProgress: (event) => context.progress(event),
          vendorTasks: journalFor({ ...job, calls }, context),
        },
      );
      delivered = result.images.length;
      return toJobResult(result);
    } finally {
      admission?.release(delivered);
    }
  };
}

/** The key's concurrency limit, held while the job runs; a job over it waits its turn. */
async function admitRunning(
  options: JobRunnerOptions,
  client: ClientConfig | undefined,
  signal: AbortSignal,
  sleep: Sleep,
): Promise<{ release(delivered?: number): void } | undefined> {
  const concurrency = client?.limits?.concurrency;
  if (!client || !concurrency) return undefined;
  const runningOnly: ClientConfig = { ...client, limits: { concurrency } };
  for (;;) {
    try {
      return await options.limiter.admit(runningOnly, 0);
    } catch (error) {
      if (!isUigError(error) || error.code !== 'RATE_LIMIT_EXCEEDED' || signal.aborted) throw error;
      await sleep(Math.min(error.retryAfterMs ?? 1000, 1000), signal);
      if (signal.aborted) throw error;
    }
  }
}
