import {
  InvalidUpstreamResponseError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  isJobSuspension,
  isUigError,
  malformedResponse,
  transportError,
  upstreamRequest,
  type ProgressEvent,
  type ProviderImage,
  type ProviderResult,
  type UigError,
  type UpstreamResponse,
  type Warning,
} from '@uig/core';
import { notRetryable, replicateError, replicateFailure } from './replicate-error.js';
import { type ReplicatePrediction, replicatePredictionSchema } from './replicate-responses.js';
import type { ReplicateInputMapping } from './replicate-settings.js';

/**
 * One Replicate prediction (docs/providers/replicate.md §10.1–§10.3): create it with `Prefer: wait`
 * (the answer may already be final), else poll `urls.get` until it ends, and cancel it
 * through `urls.cancel` when we stop waiting. Every wait goes through the injected `sleep`.
 */

export interface PredictionRun {
  provider: string;
  fetch: typeof globalThis.fetch;
  baseURL: string;
  apiKey: string;
  modelId: string;
  /** Community models: the version, created through `POST /predictions`. */
  version?: string | undefined;
  input: Record<string, unknown>;
  mapping: ReplicateInputMapping;
  waitSeconds: number;
  cancelAfter?: string | undefined;
  n: number;
  signal: AbortSignal;
  pollIntervalMs: number;
  deadlineMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  onTaskId?: ((taskId: string) => void) | undefined;
  resumeTaskId?: string | undefined;
}

const maxConsecutivePollFailures = 3;
const cancelTimeoutMs = 5_000;
/** docs/providers/replicate.md §10.2 (`aborted` from the SDK's type). */
const finalStatuses = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

const isError = (response: UpstreamResponse) => response.status < 200 || response.status > 299;

function parsePrediction(provider: string, response: UpstreamResponse): ReplicatePrediction & { id: string } {
  const parsed = replicatePredictionSchema.safeParse(response.json);
  if (!parsed.success || !parsed.data.id) throw malformedResponse(provider, response, 'a prediction id');
  return parsed.data as ReplicatePrediction & { id: string };
}

function imageFrom(value: unknown): ProviderImage | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const inline = /^data:([^;,]+);base64,(.*)$/s.exec(value);
  if (inline) return { kind: 'base64', data: inline[2]!, mimeType: inline[1]! };
  return { kind: 'url', url: value };
}

/** docs/providers/replicate.md §10.2: `output` is one URL or a list of them. */
function settle(run: PredictionRun, prediction: ReplicatePrediction & { id: string }): ProviderResult {
  const { provider } = run;
  const { id } = prediction;
  if (prediction.status === 'failed') throw replicateFailure(prediction.error, provider, id);
  if (prediction.status !== 'succeeded')
    throw new UpstreamUnavailableError(`${provider} prediction ${id} was ${prediction.status} upstream.`, {
      provider,
      vendorCode: prediction.status ?? undefined,
      vendorRequestId: id,
      retryable: false,
    });
  const outputs = Array.isArray(prediction.output) ? prediction.output : [prediction.output];
  const images = outputs.map(imageFrom).filter((image): image is ProviderImage => image !== undefined);
  if (images.length === 0)
    throw new InvalidUpstreamResponseError(
      `${provider} prediction ${id} succeeded without output${prediction.data_removed ? ' (its data was already removed)' : ''}.`,
      { provider, vendorRequestId: id },
    );
  const warnings: Warning[] =
    images.length < run.n
      ? [
          {
            type: 'partial_failure',
            feature: 'n',
            message: `${provider} returned ${images.length} of the ${run.n} images asked for.`,
          },
        ]
      : [];
  return {
    images,
    warnings,
    vendorRequestId: id,
    metadata: { prediction_id: id, ...(prediction.metrics ? { metrics: prediction.metrics } : {}) },
  };
}

export async function runPrediction(run: PredictionRun): Promise<ProviderResult> {
  const { provider } = run;
  const authorization = { authorization: `Bearer ${run.apiKey}` };
  const request = (
    url: string,
    method: 'GET' | 'POST',
    extra: Record<string, string> = {},
    body?: unknown,
    signal = run.signal,
  ) =>
    upstreamRequest({
      provider,
      fetch: run.fetch,
      url,
      method,
      headers: { ...authorization, ...extra },
      body,
      signal,
    });

  let prediction: ReplicatePrediction & { id: string };
  let getUrl: string;
  let cancelUrl: string;
  if (run.resumeTaskId) {
    getUrl = `${run.baseURL}/predictions/${encodeURIComponent(run.resumeTaskId)}`;
    cancelUrl = `${getUrl}/cancel`;
    prediction = { id: run.resumeTaskId, status: 'starting' };
  } else {
    const created = await request(
      run.version ? `${run.baseURL}/predictions` : `${run.baseURL}/models/${run.modelId}/predictions`,
      'POST',
      {
        // docs/providers/replicate.md §10.1: hold the connection up to n s; an unfinished prediction comes back to poll.
        prefer: `wait=${run.waitSeconds}`,
        ...(run.cancelAfter ? { 'cancel-after': run.cancelAfter } : {}),
      },
      run.version ? { version: run.version, input: run.input } : { input: run.input },
    );
    if (isError(created)) throw replicateError(created, { provider, input: run.mapping });
    prediction = parsePrediction(provider, created);
    run.onTaskId?.(prediction.id);
    getUrl = prediction.urls?.get ?? `${run.baseURL}/predictions/${encodeURIComponent(prediction.id)}`;
    cancelUrl = prediction.urls?.cancel ?? `${getUrl}/cancel`;
  }
  const { id } = prediction;
  const report = (message: string) => run.onProgress?.({ type: 'status', message });
  if (prediction.status && finalStatuses.has(prediction.status)) return settle(run, prediction);
  report(
    `${provider}: prediction ${id} ${run.resumeTaskId ? 'resumed' : (prediction.status ?? 'starting')}.`,
  );

  async function abandon(error: UigError): Promise<never> {
    try {
      // docs/providers/replicate.md §10.1: `POST urls.cancel`.
      await request(cancelUrl, 'POST', {}, undefined, AbortSignal.timeout(cancelTimeoutMs));
    } catch {
      // Best effort: the prediction runs out upstream.
    }
    if (!run.signal.aborted) report(`${provider}: stopped waiting for prediction ${id}; cancelled it.`);
    throw error;
  }

  function stopped(): Promise<never> {
    const error = transportError(run.signal.reason, run.signal, provider) as UigError;
    // The job is suspended (shutdown, or another worker took it over): another run resumes
    // this prediction, so it must live on at Replicate.
    if (isJobSuspension(run.signal.reason)) throw error;
    return abandon(error instanceof UpstreamTimeoutError ? notRetryable(error) : error);
  }

  const deadline = run.now() + run.deadlineMs;
  let failures = 0;
  for (let poll = 1; ; poll++) {
    const remaining = deadline - run.now();
    if (remaining <= 0)
      return abandon(
        new UpstreamTimeoutError(`${provider} prediction ${id} did not finish within ${run.deadlineMs} ms.`, {
          provider,
          vendorRequestId: id,
          retryable: false,
        }),
      );
    if (!(run.resumeTaskId && poll === 1))
      await run.sleep(Math.min(run.pollIntervalMs, remaining), run.signal);
    if (run.signal.aborted) return stopped();
    let response: UpstreamResponse;
    try {
      response = await request(getUrl, 'GET');
    } catch (error) {
      if (run.signal.aborted) return stopped();
      const mapped = isUigError(error) ? error : (transportError(error, run.signal, provider) as UigError);
      if (++failures > maxConsecutivePollFailures) return abandon(notRetryable(mapped));
      continue;
    }
    if (response.status === 404)
      // A prediction the vendor does not know (purged, or not this account's): a new one cannot pay twice.
      throw new UpstreamUnavailableError(`${provider} no longer knows prediction ${id}.`, {
        provider,
        vendorCode: 'NOT_FOUND',
        vendorRequestId: id,
        retryable: true,
      });
    if (isError(response)) {
      const error = replicateError(response, { provider, vendorRequestId: id });
      if (error.retryable && ++failures <= maxConsecutivePollFailures) continue;
      return abandon(notRetryable(error));
    }
    failures = 0;
    try {
      prediction = parsePrediction(provider, response);
    } catch (error) {
      return abandon(error as UigError);
    }
    report(`${provider}: prediction ${id} ${prediction.status ?? 'unknown'} (poll ${poll}).`);
    if (prediction.status && finalStatuses.has(prediction.status)) return settle(run, prediction);
  }
}
