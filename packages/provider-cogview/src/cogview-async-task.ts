import {
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  malformedResponse,
  transportError,
  upstreamRequest,
  type ProgressEvent,
  type ProviderResult,
  type UigError,
} from '@uig/core';
import { cogviewError, cogviewFailure, isCogviewErrorAnswer } from './cogview-error.js';
import { cogviewTaskResponseSchema } from './cogview-responses.js';

/**
 * The glm-image async flow (docs/providers/cogview.md §1.5): create a task, then poll
 * `GET /async-result/{id}` until SUCCESS or FAIL. Every wait goes through the
 * injected `sleep`, so tests poll in milliseconds; the caller's signal stops it.
 */

export interface CogviewTaskRun {
  provider: string;
  fetch: typeof globalThis.fetch;
  baseURL: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  signal: AbortSignal;
  pollIntervalMs: number;
  pollTimeoutMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Told the task id as soon as the create call answers (a job stores it to resume after a crash). */
  onTaskId?: ((taskId: string) => void) | undefined;
  /** Poll this task, created by an earlier run of the same call, instead of creating (and paying for) another. */
  resumeTaskId?: string | undefined;
}

type TaskBody = ReturnType<typeof cogviewTaskResponseSchema.parse>;

function parseTask(run: CogviewTaskRun, response: Awaited<ReturnType<typeof upstreamRequest>>): TaskBody {
  const parsed = cogviewTaskResponseSchema.safeParse(response.json);
  if (!parsed.success || !parsed.data.task_status)
    throw malformedResponse(run.provider, response, 'a task_status');
  return parsed.data;
}

/** A finished task as a result, or the error it ended with; undefined while it runs. */
function settle(run: CogviewTaskRun, task: TaskBody, taskId: string): ProviderResult | undefined {
  const vendorRequestId = task.request_id ?? taskId;
  if (task.task_status === 'SUCCESS') {
    const url = task.image_result?.[0]?.url;
    if (!url)
      throw new InvalidUpstreamResponseError(
        `${run.provider} reported task SUCCESS without image_result[0].url.`,
        { provider: run.provider, vendorRequestId },
      );
    return {
      images: [{ kind: 'url', url }],
      warnings: [],
      vendorRequestId,
      metadata: { task_id: taskId, ...(task.content_filter ? { content_filter: task.content_filter } : {}) },
    };
  }
  if (task.task_status === 'FAIL') {
    const code = task.error?.code;
    if (code !== undefined && code !== null && String(code) !== '') {
      throw cogviewFailure(
        { code: String(code), message: task.error?.message ?? '', status: 200, vendorRequestId },
        { provider: run.provider, now: run.now },
      );
    }
    // docs/providers/cogview.md §1.5 gives no reason for a FAIL. Not retried: the task already ran, maybe for
    // minutes, and nothing says a second run would differ; fallbacks still apply.
    throw new UpstreamUnavailableError(`${run.provider} reported the image task failed, without a reason.`, {
      provider: run.provider,
      vendorCode: 'FAIL',
      vendorRequestId,
      retryable: false,
    });
  }
  return undefined;
}

/** An error answer while polling a task the vendor accepted is the vendor's inconsistency, not the caller's. */
function pollError(run: CogviewTaskRun, error: UigError): UigError {
  if (error instanceof InvalidRequestError || error instanceof ModelNotFoundError) {
    return new InvalidUpstreamResponseError(
      `${run.provider} no longer knows the task it accepted (${error.vendorCode ?? 'no code'}): ${error.message}`,
      {
        provider: run.provider,
        vendorCode: error.vendorCode,
        vendorRequestId: error.vendorRequestId,
      },
    );
  }
  return error;
}

export async function runCogviewTask(run: CogviewTaskRun): Promise<ProviderResult> {
  const context = { provider: run.provider, now: run.now };
  let taskId: string;
  let vendorRequestId: string | undefined;
  if (run.resumeTaskId) {
    // An earlier run created this task (a job resumed after a restart): poll it, do not pay for another.
    taskId = run.resumeTaskId;
    run.onProgress?.({ type: 'status', message: `${run.provider}: resuming image task ${taskId}.` });
  } else {
    const created = await upstreamRequest({
      provider: run.provider,
      fetch: run.fetch,
      url: `${run.baseURL}/async/images/generations`,
      method: 'POST',
      headers: run.headers,
      body: run.body,
      signal: run.signal,
    });
    if (isCogviewErrorAnswer(created)) throw cogviewError(created, context);
    const first = parseTask(run, created);
    if (!first.id) throw malformedResponse(run.provider, created, 'a task id');
    taskId = first.id;
    vendorRequestId = first.request_id ?? undefined;
    run.onTaskId?.(taskId);
    // Hugging Face's client handles a create answer that is already final; so do we.
    const early = settle(run, first, taskId);
    if (early) return early;
    run.onProgress?.({
      type: 'status',
      message: `${run.provider}: image task accepted, status ${first.task_status}.`,
    });
  }

  const started = run.now();
  const maxPolls = Math.max(1, Math.floor(run.pollTimeoutMs / run.pollIntervalMs));
  for (let poll = 1; poll <= maxPolls; poll++) {
    await run.sleep(run.pollIntervalMs, run.signal);
    if (run.signal.aborted) throw transportError(run.signal.reason, run.signal, run.provider);
    const response = await upstreamRequest({
      provider: run.provider,
      fetch: run.fetch,
      url: `${run.baseURL}/async-result/${encodeURIComponent(taskId)}`,
      method: 'GET',
      headers: { authorization: run.headers.authorization! },
      signal: run.signal,
    });
    if (isCogviewErrorAnswer(response)) throw pollError(run, cogviewError(response, context));
    const task = parseTask(run, response);
    run.onProgress?.({
      type: 'status',
      message: `${run.provider}: image task ${task.task_status} (poll ${poll}).`,
    });
    const done = settle(run, task, taskId);
    if (done) return done;
    if (run.now() - started >= run.pollTimeoutMs) break;
  }
  // Not retried: the task may still be running upstream, and a new one would start from zero.
  throw new UpstreamTimeoutError(
    `${run.provider} image task ${taskId} did not finish within ${run.pollTimeoutMs} ms.`,
    {
      provider: run.provider,
      vendorRequestId: vendorRequestId ?? taskId,
      retryable: false,
    },
  );
}
