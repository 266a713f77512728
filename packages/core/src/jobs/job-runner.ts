import type { ClientConfig } from '../config/config.js';
import type { ClientLimiter } from '../clients/client-limiter.js';
import { RequestTally } from '../accounting/request-tally.js';
import type { RequestRecord } from '../accounting/request-record.js';
import { InvalidRequestError, isUigError, toUigError, UigError } from '../errors.js';
import type { ImageService } from '../images/image-service.js';
import type { VendorTaskJournal } from '../images/vendor-task-journal.js';
import type { InputImage } from '../providers/provider.js';
import type { ImageStore } from '../storage/image-store.js';
import { realSleep, type Sleep } from '../upstream/retry.js';
import type { JobContext, JobWork } from './job-queue.js';
import { interruptedError, jobRoute, toJobResult, type JobCall, type JobRecord } from './job-record.js';
import { isJobSuspension } from './job-suspension.js';

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
  /**
   * Writes the job's ledger record (docs/operations.md): awaited before the job's final
   * state is written, so whoever sees the job end can read its line. Not called for a
   * run that is suspended (the run that finishes the job records it).
   */
  recordRequest?: (record: RequestRecord) => Promise<void>;
  now?: () => number;
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
  const now = options.now ?? Date.now;
  const run = runJob(options);
  return async (job, context) => {
    const recordRequest = options.recordRequest;
    if (!recordRequest) return run(job, context, undefined);
    const tally = new RequestTally({
      requestId: job.id,
      client: job.client,
      route: jobRoute(job),
      started: job.createdAt,
    });
    const { kind, model, n, prompt } = job.request;
    tally.askedFor({ kind, model, n, prompt });
    try {
      const result = await run(job, context, tally);
      await recordRequest(tally.finish({ status: 200 }, now()));
      return result;
    } catch (error) {
      const reason: unknown = context.signal.reason;
      if (!(context.signal.aborted && isJobSuspension(reason))) {
        const failure = context.signal.aborted
          ? { status: 499, errorCode: 'cancelled' }
          : (() => {
              const uigError = toUigError(error);
              return { status: uigError.status, errorCode: uigError.code.toLowerCase() };
            })();
        await recordRequest(tally.finish(failure, now()));
      }
      throw error;
    }
  };
}

function runJob(options: JobRunnerOptions) {
  const sleep = options.sleep ?? realSleep;
  return async (job: JobRecord, context: JobContext, tally: RequestTally | undefined) => {
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
          ...(tally ? { tally } : {}),
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
