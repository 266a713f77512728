import { fromJobError, loadJobResult, type ImageStore, type JobRecord } from '@uig/core';
import type { UrlSigner } from '@uig/runtime';
import { errorBody } from './error-envelope.js';
import { openaiResponse, type OpenAIKind } from './openai-response.js';
import { nativeResponse, type ResponseFormat } from './response-shapes.js';

/**
 * A job as the REST API shows it (docs/api.md, "Jobs"): its state, the latest progress,
 * and once it succeeded, `result`: exactly the body the synchronous call would have
 * answered (OpenAI's shape for the OpenAI routes, the native one for /v1/images), with
 * freshly signed URLs. `error` is the envelope's error object.
 */
export interface JobOrigin {
  /** Which answer the synchronous call gives. */
  shape: 'openai' | 'native';
  responseFormat: ResponseFormat;
  /** The OpenAI route it came in by (its usage split differs for edits). */
  kind?: OpenAIKind;
}

function jobOrigin(origin: Record<string, unknown>): JobOrigin {
  return {
    shape: origin.shape === 'openai' ? 'openai' : 'native',
    responseFormat: origin.responseFormat === 'b64_json' ? 'b64_json' : 'url',
    kind:
      origin.kind === 'image_edit' || origin.kind === 'image_variation' ? origin.kind : 'image_generation',
  };
}

const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

export async function jobResultBody(
  job: JobRecord,
  store: ImageStore,
  signer: UrlSigner,
): Promise<ReturnType<typeof openaiResponse> | ReturnType<typeof nativeResponse> | null> {
  if (!job.result) return null;
  const origin = jobOrigin(job.origin);
  const result = await loadJobResult(job.result, store, origin.responseFormat === 'b64_json');
  return origin.shape === 'openai'
    ? openaiResponse(result, origin.responseFormat, signer, origin.kind ?? 'image_generation')
    : nativeResponse(result, origin.responseFormat, signer);
}

export async function jobBody(
  job: JobRecord,
  store: ImageStore,
  signer: UrlSigner,
  options: { withResult?: boolean } = {},
) {
  return {
    id: job.id,
    object: 'image.job' as const,
    status: job.status,
    created: seconds(job.createdAt)!,
    started_at: seconds(job.startedAt),
    finished_at: seconds(job.finishedAt),
    model: job.result?.model ?? job.request.model ?? null,
    progress: job.progress ?? null,
    result: options.withResult === false ? null : await jobResultBody(job, store, signer),
    error: job.error ? errorBody(fromJobError(job.error), job.id).error : null,
  };
}
