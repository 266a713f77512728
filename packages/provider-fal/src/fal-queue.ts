import {
  UpstreamTimeoutError,
  UpstreamUnavailableError,
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
import { falError, notRetryable } from './fal-error.js';
import { falResult } from './fal-output.js';
import { falQueueStatusSchema, type FalQueueStatus } from './fal-responses.js';
import type { FalInputMapping } from './fal-settings.js';

/**
 * One request through fal's queue (docs/providers/fal.md §9.2): submit to the full endpoint id,
 * poll the status URL (202 while IN_QUEUE / IN_PROGRESS, 200 when COMPLETED), fetch the
 * result, and cancel it when we stop waiting. Status, result and cancel live under
 * `owner/app` only (docs/providers/fal.md §9.1): we use the URLs the submit answer gives, and build
 * them by that rule only when resuming a request by id. Every wait goes through the
 * injected `sleep`, so tests poll in milliseconds.
 */

export interface FalQueueRun {
  provider: string;
  fetch: typeof globalThis.fetch;
  baseURL: string;
  apiKey: string;
  /** `owner/app[/path]`. */
  endpointId: string;
  input: Record<string, unknown>;
  mapping: FalInputMapping;
  headers: Record<string, string>;
  n: number;
  signal: AbortSignal;
  pollIntervalMs: number;
  deadlineMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  onTaskId?: ((taskId: string) => void) | undefined;
  /** A request submitted by an earlier attempt: poll it instead of submitting again. */
  resumeTaskId?: string | undefined;
}

interface QueueUrls {
  requestId: string;
  status: string;
  response: string;
  cancel: string;
}

/**
 * Polling tolerates a reset, a 429 or a 5xx this many times in a row: the request lives on
 * upstream, and a retry by core would submit (and pay for) a second one.
 */
const maxConsecutivePollFailures = 3;
/** A best-effort cancel gets this long. */
const cancelTimeoutMs = 5_000;

/** docs/providers/fal.md §9.1: `fal-ai/flux/dev` → `fal-ai/flux`. */
const ownerApp = (endpointId: string) => endpointId.split('/').slice(0, 2).join('/');

function builtUrls(run: FalQueueRun, requestId: string): QueueUrls {
  const root = `${run.baseURL}/${ownerApp(run.endpointId)}/requests/${encodeURIComponent(requestId)}`;
  return { requestId, status: `${root}/status`, response: root, cancel: `${root}/cancel` };
}

function parseStatus(run: FalQueueRun, response: UpstreamResponse): FalQueueStatus {
  const parsed = falQueueStatusSchema.safeParse(response.json);
  if (!parsed.success) throw malformedResponse(run.provider, response, 'a queue status');
  return parsed.data;
}

const isError = (response: UpstreamResponse) => response.status < 200 || response.status > 299;

async function submit(run: FalQueueRun, authorization: Record<string, string>): Promise<QueueUrls> {
  const response = await upstreamRequest({
    provider: run.provider,
    fetch: run.fetch,
    url: `${run.baseURL}/${run.endpointId}`,
    method: 'POST',
    headers: { ...authorization, ...run.headers },
    body: run.input,
    signal: run.signal,
  });
  if (isError(response)) throw falError(response, { provider: run.provider, input: run.mapping });
  const answer = parseStatus(run, response);
  if (!answer.request_id) throw malformedResponse(run.provider, response, 'a request_id');
  const built = builtUrls(run, answer.request_id);
  return {
    requestId: answer.request_id,
    status: answer.status_url ?? built.status,
    response: answer.response_url ?? built.response,
    cancel: answer.cancel_url ?? built.cancel,
  };
}

export async function runFalQueue(run: FalQueueRun): Promise<ProviderResult> {
  const { provider } = run;
  // docs/providers/fal.md §9.1: `Key`, not `Bearer`.
  const authorization = { authorization: `Key ${run.apiKey}`, accept: 'application/json' };
  const urls = run.resumeTaskId ? builtUrls(run, run.resumeTaskId) : await submit(run, authorization);
  const { requestId } = urls;
  if (!run.resumeTaskId) run.onTaskId?.(requestId);
  const report = (message: string) => run.onProgress?.({ type: 'status', message });
  report(`${provider}: request ${requestId} ${run.resumeTaskId ? 'resumed' : 'queued'}.`);
  const started = run.now();
  const deadline = started + run.deadlineMs;
  let lastStatus = run.resumeTaskId ? 'UNKNOWN' : 'IN_QUEUE';

  const get = (url: string) =>
    upstreamRequest({
      provider,
      fetch: run.fetch,
      url,
      method: 'GET',
      headers: authorization,
      signal: run.signal,
    });

  /** We stop waiting: cancel it at the vendor (docs/providers/fal.md §9.2 `PUT cancel_url`), then throw. */
  async function abandon(error: UigError): Promise<never> {
    try {
      await upstreamRequest({
        provider,
        fetch: run.fetch,
        url: urls.cancel,
        method: 'PUT',
        headers: authorization,
        signal: AbortSignal.timeout(cancelTimeoutMs),
      });
    } catch {
      // Best effort: an uncancelled request runs out upstream.
    }
    if (!run.signal.aborted)
      report(`${provider}: stopped waiting for request ${requestId} (${lastStatus}); cancelled it.`);
    throw error;
  }

  function stopped(): Promise<never> {
    const error = transportError(run.signal.reason, run.signal, provider) as UigError;
    // The job is suspended (shutdown, or another worker took it over): another run resumes
    // this request, so it must live on at fal.
    if (isJobSuspension(run.signal.reason)) throw error;
    if (error instanceof UpstreamTimeoutError)
      return abandon(
        new UpstreamTimeoutError(
          `${provider} request ${requestId} did not finish before the gateway's upstream timeout.`,
          {
            provider,
            vendorRequestId: requestId,
            retryable: false,
          },
        ),
      );
    return abandon(error);
  }

  let failures = 0;
  for (let poll = 1; ; poll++) {
    const remaining = deadline - run.now();
    if (remaining <= 0)
      return abandon(
        new UpstreamTimeoutError(
          `${provider} request ${requestId} did not finish within ${run.deadlineMs} ms (last status ${lastStatus}).`,
          { provider, vendorRequestId: requestId, retryable: false },
        ),
      );
    // A resumed request is asked at once: it may have finished while nobody watched.
    if (!(run.resumeTaskId && poll === 1))
      await run.sleep(Math.min(run.pollIntervalMs, remaining), run.signal);
    if (run.signal.aborted) return stopped();

    let response: UpstreamResponse;
    try {
      response = await get(urls.status);
    } catch (error) {
      if (run.signal.aborted) return stopped();
      const mapped = isUigError(error) ? error : (transportError(error, run.signal, provider) as UigError);
      if (++failures > maxConsecutivePollFailures) return abandon(notRetryable(mapped));
      continue;
    }
    if (response.status === 404) {
      // The vendor does not know the request (purged, or never ours): a new submit cannot pay twice.
      throw new UpstreamUnavailableError(`${provider} no longer knows request ${requestId}.`, {
        provider,
        vendorCode: 'NOT_FOUND',
        vendorRequestId: requestId,
        retryable: true,
      });
    }
    if (isError(response)) {
      const error = falError(response, { provider, vendorRequestId: requestId });
      if (error.retryable && ++failures <= maxConsecutivePollFailures) continue;
      return abandon(notRetryable(error));
    }
    failures = 0;
    let status: FalQueueStatus;
    try {
      status = parseStatus(run, response);
    } catch (error) {
      return abandon(error as UigError);
    }
    lastStatus = status.status ?? (response.status === 200 ? 'COMPLETED' : 'IN_PROGRESS');
    const position = status.queue_position != null ? `, position ${status.queue_position}` : '';
    report(`${provider}: request ${requestId} ${lastStatus}${position} (poll ${poll}).`);
    if (lastStatus === 'COMPLETED' || lastStatus === 'FAILED' || lastStatus === 'ERROR') break;
    if (lastStatus === 'CANCELED' || lastStatus === 'CANCELLED')
      throw new UpstreamUnavailableError(`${provider} request ${requestId} was cancelled upstream.`, {
        provider,
        vendorCode: lastStatus,
        vendorRequestId: requestId,
        retryable: false,
      });
  }

  // docs/providers/fal.md §9.2: the result (or the model's error) lives at the response URL.
  let result: UpstreamResponse;
  try {
    result = await get(urls.response);
  } catch (error) {
    // The request ran (and is billed): a retry by core would pay for a second one.
    throw notRetryable(isUigError(error) ? error : (transportError(error, run.signal, provider) as UigError));
  }
  if (isError(result)) throw falError(result, { provider, input: run.mapping, vendorRequestId: requestId });
  return falResult(result, { provider, requestId, n: run.n });
}
