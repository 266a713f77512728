import { isUigError, toUigError, UigError, type ErrorType } from '../errors.js';
import type { ImageResult } from '../images/image-service.js';
import type { ProgressEvent } from '../providers/provider.js';
import type { ImageRequest } from '../requests/image-request.js';
import type { StoredImage } from '../storage/image-store.js';

/**
 * A job: one image request run in the background (docs/architecture.md, "Jobs"). Its
 * record is plain JSON, so the same shape lives in a file under the data folder or in
 * Redis, and any process can read it. Input images are in the image store and named
 * by id; results are image ids too, so a record stays small whatever the images weigh.
 */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** The request, with input images replaced by their stored ids. */
export interface JobRequest extends Omit<ImageRequest, 'images' | 'mask'> {
  images: string[];
  mask?: string;
}

export interface JobImage extends StoredImage {
  revisedPrompt?: string;
}

/** An ImageResult without the bytes (they are in the store). */
export interface JobResult extends Omit<ImageResult, 'images'> {
  images: JobImage[];
}

export interface JobError {
  /** Core's SCREAMING_SNAKE code (`INTERRUPTED`, `UPSTREAM_TIMEOUT`, ...). */
  code: string;
  status: number;
  type: ErrorType;
  message: string;
  param?: string;
  provider?: string;
  vendorCode?: string;
}

/** A vendor call the job made: the credential it went out on and, for task vendors, the task id. */
export interface JobCall {
  credential: string;
  taskId?: string;
}

export interface JobRecord {
  id: string;
  /** The client key's name (`anonymous` on an open gateway). Other keys never see the job. */
  client: string;
  status: JobStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Last change, for pollers. */
  updatedAt: number;
  request: JobRequest;
  /** What the door that created the job needs to answer for it (route, response format, ...). */
  origin: Record<string, unknown>;
  /** The latest progress report (status messages only; partial images are streamed, not kept). */
  progress?: { message: string; progress?: number; total?: number };
  /** Vendor calls started, by `provider/model#batch`: what a resumed run may poll instead of paying again. */
  calls: Record<string, JobCall>;
  /** `host:pid` of the process running it (Redis queue), for operators. */
  runner?: string;
  /** Times a worker started (or resumed) it. */
  runs: number;
  cancelRequested?: boolean;
  result?: JobResult;
  error?: JobError;
}

/** What a subscriber hears about one job. */
export type JobEvent = { type: 'progress'; event: ProgressEvent } | { type: 'status'; job: JobRecord };

export const finishedStatuses: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export const isFinished = (job: Pick<JobRecord, 'status'>) => finishedStatuses.has(job.status);

/**
 * The route a job's ledger record names: the door that created it puts it in `origin`
 * (`/v1/images`, `mcp:generate_image`); `job` for a record from before it did.
 */
export function jobRoute(job: Pick<JobRecord, 'origin'>): string {
  const route = job.origin.route;
  return typeof route === 'string' ? route : 'job';
}

export function toJobResult(result: ImageResult): JobResult {
  return {
    ...result,
    images: result.images.map(({ data: _data, base64: _base64, directUrl: _directUrl, ...image }) => image),
  };
}

export function toJobError(caught: unknown): JobError {
  const error = toUigError(caught);
  return {
    code: error.code,
    status: error.status,
    type: error.type,
    // An unexpected error's text may hold anything: only UigError messages are shown.
    message: isUigError(caught) ? error.message : 'The job failed because of an internal error.',
    ...(error.param ? { param: error.param } : {}),
    ...(error.provider ? { provider: error.provider } : {}),
    ...(error.vendorCode ? { vendorCode: error.vendorCode } : {}),
  };
}

/** The job's error as a UigError again (for answers shaped like the synchronous call's). */
export function fromJobError(error: JobError): UigError {
  return new UigError(error.message, {
    code: error.code,
    status: error.status,
    type: error.type,
    param: error.param,
    provider: error.provider,
    vendorCode: error.vendorCode,
  });
}

export const interruptedError = (): JobError => ({
  code: 'INTERRUPTED',
  status: 500,
  type: 'server_error',
  message:
    'The gateway stopped while this job was inside a vendor call that cannot be resumed; it was not repeated, so it was not paid twice. Submit it again.',
});

export const cancelledError = (): JobError => ({
  code: 'CANCELLED',
  status: 499,
  type: 'invalid_request_error',
  message: 'The job was cancelled.',
});
