import {
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  UpstreamTimeoutError,
  isJobSuspension,
  isUigError,
  malformedResponse,
  transportError,
  upstreamRequest,
  type ProgressEvent,
  type ProviderResult,
  type UigError,
  type UpstreamResponse,
} from '@uig/core';
import { wanxError } from './wanx-error.js';
import { topLevelCode, wanxTaskResponseSchema, type WanxTaskResponse } from './wanx-responses.js';
import { settleWanxTask, wanxFinalStatuses, type WanxTaskContext } from './wanx-task-outcome.js';

/**
 * One DashScope async task (docs/providers/wanx.md §4.1, docs/providers/wanx.md §4.5, docs/providers/wanx.md §4.6): create it with
 * `X-DashScope-Async: enable`, poll `GET /tasks/{id}` with a growing interval until a
 * final state, and cancel it (PENDING only, docs/providers/wanx.md §4.1) when we stop waiting for it. Every
 * wait goes through the injected `sleep`, so tests poll in milliseconds.
 */

export interface WanxPollSchedule {
  initialIntervalMs: number;
  maxIntervalMs: number;
  /** The interval doubles every this many polls. */
  doublingEvery: number;
  deadlineMs: number;
}

export interface WanxTaskRun {
  provider: string;
  fetch: typeof globalThis.fetch;
  baseURL: string;
  /** `services/aigc/text2image/image-synthesis` or `services/aigc/image2image/image-synthesis`. */
  servicePath: string;
  apiKey: string;
  workspaceId?: string | undefined;
  body: Record<string, unknown>;
  /** Added to the create call only (`X-DashScope-OssResourceResolve` for `oss://` inputs, docs/providers/wanx.md §13.1). */
  createHeaders?: Record<string, string> | undefined;
  /** Images asked of this task (for the partial-failure warning). */
  n: number;
  signal: AbortSignal;
  schedule: WanxPollSchedule;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Told the task id as soon as the create call answers (a job stores it to resume after a crash). */
  onTaskId?: ((taskId: string) => void) | undefined;
  /** Poll this task, created by an earlier run of the same call, instead of creating (and paying for) another. */
  resumeTaskId?: string | undefined;
}

/**
 * Polling tolerates a reset, a 429 or a 500/502 this many times in a row: the task lives
 * on upstream, and a retry by core would start (and pay for) a second one. 503 and 504
 * never count: the SDK keeps polling through them (docs/providers/wanx.md §4.6).
 */
const maxConsecutivePollFailures = 3;
/** A best-effort cancel gets this long; nobody waits for its answer beyond it. */
const cancelTimeoutMs = 5_000;

/** The wait before poll `index` (0-based): initial, doubling every `doublingEvery` polls, capped. */
export function wanxPollInterval(
  index: number,
  schedule: Pick<WanxPollSchedule, 'initialIntervalMs' | 'maxIntervalMs' | 'doublingEvery'>,
): number {
  return Math.min(
    schedule.maxIntervalMs,
    schedule.initialIntervalMs * 2 ** Math.floor(index / schedule.doublingEvery),
  );
}

function parseTask(run: WanxTaskRun, response: UpstreamResponse): WanxTaskResponse {
  const parsed = wanxTaskResponseSchema.safeParse(response.json);
  if (!parsed.success || !parsed.data.output?.task_status)
    throw malformedResponse(run.provider, response, 'output.task_status');
  return parsed.data;
}

const isError = (response: UpstreamResponse) =>
  response.status < 200 || response.status > 299 || topLevelCode(response.json) !== undefined;

export async function runWanxTask(run: WanxTaskRun): Promise<ProviderResult> {
  const { provider } = run;
  const headers: Record<string, string> = {
    authorization: `Bearer ${run.apiKey}`,
    ...(run.workspaceId ? { 'x-dashscope-workspace': run.workspaceId } : {}),
  };
  let taskId: string;
  let context: WanxTaskContext;
  let lastStatus: string;
  if (run.resumeTaskId) {
    // An earlier run created this task (a job resumed after a restart): poll it, do not pay
    // for another. docs/providers/wanx.md §4.6: a task can be polled for 24 h.
    taskId = run.resumeTaskId;
    context = { provider, taskId, vendorRequestId: undefined, n: run.n };
    lastStatus = 'PENDING';
  } else {
    const created = await upstreamRequest({
      provider,
      fetch: run.fetch,
      url: `${run.baseURL}/${run.servicePath}`,
      method: 'POST',
      // docs/providers/wanx.md §4.1: without it the vendor refuses with "does not support synchronous calls".
      headers: { ...headers, ...run.createHeaders, 'x-dashscope-async': 'enable' },
      body: run.body,
      signal: run.signal,
    });
    // docs/providers/wanx.md §4.7: a top-level code is an error on any status, 200 included.
    if (isError(created)) throw wanxError(created, provider);
    const first = parseTask(run, created);
    const createdId = first.output?.task_id;
    if (!createdId) throw malformedResponse(provider, created, 'output.task_id');
    taskId = createdId;
    run.onTaskId?.(taskId);
    context = { provider, taskId, vendorRequestId: first.request_id ?? undefined, n: run.n };
    const early = settleWanxTask(first, context);
    if (early) return early;
    lastStatus = first.output!.task_status!;
  }

  const started = run.now();
  const deadline = started + run.schedule.deadlineMs;
  const report = (message: string) => run.onProgress?.({ type: 'status', message });
  report(
    run.resumeTaskId
      ? `${provider}: resuming task ${taskId}.`
      : `${provider}: task ${taskId} accepted, ${lastStatus}.`,
  );

  /** We stop waiting: cancel what can still be cancelled (docs/providers/wanx.md §4.1: PENDING only), then throw. */
  async function abandon(error: UigError): Promise<never> {
    let cancelled = false;
    if (lastStatus === 'PENDING') {
      try {
        const response = await upstreamRequest({
          provider,
          fetch: run.fetch,
          url: `${run.baseURL}/tasks/${encodeURIComponent(taskId!)}/cancel`,
          method: 'POST',
          headers,
          signal: AbortSignal.timeout(cancelTimeoutMs),
        });
        cancelled = !isError(response);
      } catch {
        // Best effort: the task runs out upstream and is purged after 24 h (docs/providers/wanx.md §4.6).
      }
    }
    // Nobody listens once the caller has gone.
    if (!run.signal.aborted)
      report(
        `${provider}: stopped waiting for task ${taskId} (${lastStatus})${cancelled ? '; cancelled it' : ''}.`,
      );
    throw error;
  }

  /** The caller went away, or core's own timeout fired. */
  function stopped(): Promise<never> {
    const error = transportError(run.signal.reason, run.signal, provider) as UigError;
    // The job will be resumed by another run: the task must live on.
    if (isJobSuspension(run.signal.reason)) throw error;
    if (error instanceof UpstreamTimeoutError) {
      // A new task would start from zero, likely into the same timeout.
      return abandon(
        new UpstreamTimeoutError(
          `${provider} task ${taskId} did not finish before the gateway's upstream timeout.`,
          { provider, vendorRequestId: context.vendorRequestId, retryable: false },
        ),
      );
    }
    return abandon(error);
  }

  let failures = 0;
  for (let index = 0; ; index++) {
    const remaining = deadline - run.now();
    if (remaining <= 0) {
      return abandon(
        new UpstreamTimeoutError(
          `${provider} task ${taskId} did not finish within ${run.schedule.deadlineMs} ms (last status ${lastStatus}).`,
          {
            provider,
            vendorRequestId: context.vendorRequestId,
            // Not retried: the task may still be running upstream, and a new one would start from zero.
            retryable: false,
          },
        ),
      );
    }
    await run.sleep(Math.min(wanxPollInterval(index, run.schedule), remaining), run.signal);
    if (run.signal.aborted) return stopped();

    let response: UpstreamResponse;
    try {
      response = await upstreamRequest({
        provider,
        fetch: run.fetch,
        url: `${run.baseURL}/tasks/${encodeURIComponent(taskId)}`,
        method: 'GET',
        // docs/providers/wanx.md §4.1: polling needs only the key (and the workspace, when one is set).
        headers,
        signal: run.signal,
      });
    } catch (error) {
      if (run.signal.aborted) return stopped();
      if (++failures > maxConsecutivePollFailures)
        return abandon(
          notRetryable(isUigError(error) ? error : (transportError(error, run.signal, provider) as UigError)),
        );
      report(`${provider}: polling task ${taskId} failed (connection); trying again.`);
      continue;
    }
    if (response.status === 503 || response.status === 504) {
      // docs/providers/wanx.md §4.6 / docs/providers/wanx.md §4.7: a gateway in front of the API; the SDK keeps polling.
      report(`${provider}: polling task ${taskId} answered HTTP ${response.status}; trying again.`);
      continue;
    }
    if (isError(response)) {
      const error = pollError(provider, wanxError(response, provider));
      if (error.retryable && ++failures <= maxConsecutivePollFailures) {
        report(`${provider}: polling task ${taskId} answered HTTP ${response.status}; trying again.`);
        continue;
      }
      return abandon(notRetryable(error));
    }
    failures = 0;
    let task: WanxTaskResponse;
    try {
      task = parseTask(run, response);
    } catch (error) {
      return abandon(error as UigError);
    }
    lastStatus = task.output!.task_status!;
    const seconds = Math.round((run.now() - started) / 1000);
    report(`${provider}: task ${taskId} ${lastStatus} after ${seconds} s (poll ${index + 1}).`);
    if (wanxFinalStatuses.has(lastStatus)) return settleWanxTask(task, context)!;
  }
}

/**
 * An error after the task exists must not make core start a second task while the first
 * may still run. The class (and so the HTTP answer) stays; only `retryable` changes.
 */
function notRetryable(error: UigError): UigError {
  (error as { retryable: boolean }).retryable = false;
  return error;
}

/** A 400/404 while polling a task the vendor accepted is the vendor's inconsistency, not the caller's mistake. */
function pollError(provider: string, error: UigError): UigError {
  if (error instanceof InvalidRequestError || error instanceof ModelNotFoundError) {
    return new InvalidUpstreamResponseError(
      `${provider} refused to report a task it accepted (${error.vendorCode ?? 'no code'}): ${error.message}`,
      {
        provider,
        vendorCode: error.vendorCode,
        vendorRequestId: error.vendorRequestId,
      },
    );
  }
  return error;
}
