import {
  InvalidUpstreamResponseError,
  UpstreamTimeoutError,
  isUigError,
  malformedResponse,
  transportError,
  upstreamRequest,
  type ProgressEvent,
  type ProviderResult,
  type UigError,
  type UpstreamResponse,
} from '@uig/core';
import { bflHttpError, bflTaskError } from './bfl-error.js';
import { bflResultResponseSchema, bflSubmitResponseSchema } from './bfl-responses.js';

/**
 * One BFL task (docs/providers/bfl.md §7.2–§7.4): submit `POST {base}/{model}`, then poll
 * the `polling_url` exactly as given (it may name another cluster's host) until a final
 * status. The polling URL is the task's handle: it is reported through `onTaskId` and,
 * when resuming, polled again instead of submitting (and paying for) a new task.
 * BFL has no cancel call: when the caller goes away we stop polling.
 */

interface BflPollSchedule {
  initialIntervalMs: number;
  maxIntervalMs: number;
  deadlineMs: number;
}

export interface BflTaskRun {
  provider: string;
  fetch: typeof globalThis.fetch;
  baseURL: string;
  model: string;
  apiKey: string;
  body: Record<string, unknown>;
  signal: AbortSignal;
  schedule: BflPollSchedule;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  onTaskId?: ((taskId: string) => void) | undefined;
  /** A polling URL (or a bare task id) reported by an earlier attempt of this call. */
  resumeTaskId?: string | undefined;
}

/** docs/providers/bfl.md §7.4: `Pending` and the observed `Reasoning`/`Generating` (and anything new) keep us polling. */
const finalStatuses = new Set([
  'Ready',
  'Request Moderated',
  'Content Moderated',
  'Error',
  'Failed',
  'Task not found',
]);
/** Polling tolerates a reset, 429 or 5xx this many times in a row: the task lives on upstream. */
const maxConsecutivePollFailures = 3;
/** docs/providers/bfl.md §7.8: 1 credit = $0.01. */
const bflUsdPerCredit = 0.01;

/** docs/providers/bfl.md §7.3: the AI SDK appends `?id=` when a polling URL lacks it. */
function pollingUrlFor(pollingUrl: string | undefined, id: string, baseURL: string): string {
  if (!pollingUrl) return `${baseURL}/get_result?id=${encodeURIComponent(id)}`;
  const url = new URL(pollingUrl);
  if (!url.searchParams.has('id')) url.searchParams.set('id', id);
  return url.toString();
}

function taskIdOf(pollingUrl: string): string {
  return new URL(pollingUrl).searchParams.get('id') ?? pollingUrl;
}

function notRetryable(error: UigError): UigError {
  (error as { retryable: boolean }).retryable = false;
  return error;
}

async function submit(run: BflTaskRun): Promise<{ pollingUrl: string; costCredits?: number }> {
  const response = await upstreamRequest({
    provider: run.provider,
    fetch: run.fetch,
    url: `${run.baseURL}/${run.model}`,
    method: 'POST',
    headers: { 'x-key': run.apiKey, accept: 'application/json' },
    body: run.body,
    signal: run.signal,
  });
  if (response.status < 200 || response.status > 299) throw bflHttpError(response, run.provider);
  const parsed = bflSubmitResponseSchema.safeParse(response.json);
  if (!parsed.success || !parsed.data.id) throw malformedResponse(run.provider, response, 'a task id');
  let pollingUrl: string;
  try {
    pollingUrl = pollingUrlFor(parsed.data.polling_url ?? undefined, parsed.data.id, run.baseURL);
  } catch {
    throw malformedResponse(run.provider, response, 'a valid polling_url');
  }
  const cost = parsed.data.cost;
  return { pollingUrl, ...(typeof cost === 'number' ? { costCredits: cost } : {}) };
}

export async function runBflTask(run: BflTaskRun): Promise<ProviderResult> {
  const { provider } = run;
  const report = (message: string) => run.onProgress?.({ type: 'status', message });
  let pollingUrl: string;
  let costCredits: number | undefined;
  if (run.resumeTaskId) {
    pollingUrl = /^https?:\/\//.test(run.resumeTaskId)
      ? run.resumeTaskId
      : pollingUrlFor(undefined, run.resumeTaskId, run.baseURL);
    report(`${provider}: resuming task ${taskIdOf(pollingUrl)}.`);
  } else {
    ({ pollingUrl, costCredits } = await submit(run));
    run.onTaskId?.(pollingUrl);
    report(`${provider}: task ${taskIdOf(pollingUrl)} accepted.`);
  }
  const taskId = taskIdOf(pollingUrl);
  const started = run.now();
  const deadline = started + run.schedule.deadlineMs;
  let lastStatus = 'Pending';
  let failures = 0;

  const stopped = (): never => {
    const error = transportError(run.signal.reason, run.signal, provider) as UigError;
    // Our own timeout: a new task would start from zero into the same timeout.
    throw error instanceof UpstreamTimeoutError ? notRetryable(error) : error;
  };

  for (let index = 0; ; index++) {
    const remaining = deadline - run.now();
    if (remaining <= 0)
      throw new UpstreamTimeoutError(
        `${provider} task ${taskId} did not finish within ${run.schedule.deadlineMs} ms (last status ${lastStatus}).`,
        { provider, vendorRequestId: taskId, retryable: false },
      );
    const interval = Math.min(run.schedule.maxIntervalMs, run.schedule.initialIntervalMs * 2 ** index);
    await run.sleep(Math.min(interval, remaining), run.signal);
    if (run.signal.aborted) return stopped();

    let response: UpstreamResponse;
    try {
      // docs/providers/bfl.md §7.1: the vendor's own API named this URL, so it gets the key.
      response = await upstreamRequest({
        provider,
        fetch: run.fetch,
        url: pollingUrl,
        method: 'GET',
        headers: { 'x-key': run.apiKey, accept: 'application/json' },
        signal: run.signal,
      });
    } catch (error) {
      if (run.signal.aborted) return stopped();
      if (++failures > maxConsecutivePollFailures)
        throw notRetryable(
          isUigError(error) ? error : (transportError(error, run.signal, provider) as UigError),
        );
      report(`${provider}: polling task ${taskId} failed (connection); trying again.`);
      continue;
    }
    const parsed = bflResultResponseSchema.safeParse(response.json);
    const status = parsed.success ? (parsed.data.status ?? undefined) : undefined;
    // docs/providers/bfl.md §7.4: `Task not found` is a status; it is final whatever the HTTP status.
    if (status === 'Task not found') throw bflTaskError(status, undefined, { provider, taskId });
    if (response.status < 200 || response.status > 299) {
      const error = bflHttpError(response, provider);
      if (error.retryable && ++failures <= maxConsecutivePollFailures) {
        report(`${provider}: polling task ${taskId} answered HTTP ${response.status}; trying again.`);
        continue;
      }
      throw notRetryable(error);
    }
    failures = 0;
    if (!parsed.success || !status) throw malformedResponse(provider, response, 'a task status');
    lastStatus = status;
    const progress = parsed.data.progress;
    report(
      `${provider}: task ${taskId} ${status}${typeof progress === 'number' ? ` (${Math.round(progress * 100)}%)` : ''} after ${Math.round((run.now() - started) / 1000)} s.`,
    );
    if (!finalStatuses.has(status)) continue;
    if (status !== 'Ready') throw bflTaskError(status, parsed.data.details, { provider, taskId });
    const sample = parsed.data.result?.sample;
    if (!sample)
      throw new InvalidUpstreamResponseError(`${provider} task ${taskId} is Ready without result.sample.`, {
        provider,
        vendorRequestId: taskId,
      });
    const seed = parsed.data.result?.seed;
    return {
      // docs/providers/bfl.md §7.5: the delivery URL expires after 10 minutes; core downloads it as soon as we return.
      images: [{ kind: 'url', url: sample }],
      warnings: [],
      ...(costCredits !== undefined ? { usage: { vendorCostUsd: costCredits * bflUsdPerCredit } } : {}),
      vendorRequestId: taskId,
      ...(typeof seed === 'number' ? { metadata: { seed } } : {}),
    };
  }
}
