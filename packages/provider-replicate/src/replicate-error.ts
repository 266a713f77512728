import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
  parseRetryAfterHeaders,
  type UigError,
  type UpstreamResponse,
} from '@uig/core';
import { replicateProblemSchema } from './replicate-responses.js';
import type { ReplicateInputMapping } from './replicate-settings.js';

/**
 * Maps a Replicate error (docs/providers/replicate.md §10.4, RFC 7807 problem details) and a
 * `failed` prediction (§10.2) to core errors. The vendor's text goes into ours, clipped:
 * it never holds the token, and it says what the vendor disliked.
 */

function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

/** `input.output_format` → the uig field it came from by the model's mapping, else the provider option. */
function paramFor(field: string | undefined, input: ReplicateInputMapping | undefined): string | undefined {
  const name = field?.replace(/^input\./, '');
  if (!name) return undefined;
  const pairs: Array<[string | undefined, string]> = input
    ? [
        [input.prompt, 'prompt'],
        [input.aspectRatio, 'aspect_ratio'],
        [input.size, 'size'],
        [input.width, 'size'],
        [input.height, 'size'],
        [input.numImages, 'n'],
        [input.seed, 'seed'],
        [input.negativePrompt, 'negative_prompt'],
        [input.image, 'image'],
        [input.images, 'image'],
        [input.mask, 'mask'],
      ]
    : [];
  return pairs.find(([mapped]) => mapped === name)?.[1] ?? `provider_options.replicate.input.${name}`;
}

export interface ReplicateErrorContext {
  provider: string;
  input?: ReplicateInputMapping | undefined;
  vendorRequestId?: string | undefined;
}

export function replicateError(response: UpstreamResponse, context: ReplicateErrorContext): UigError {
  const { provider } = context;
  const { status, headers } = response;
  const parsed = replicateProblemSchema.safeParse(response.json);
  const problem = parsed.success ? parsed.data : {};
  const text = [problem.title, problem.detail].filter(Boolean).join(': ');
  const message = `${provider} answered HTTP ${status}${text ? `: ${clip(text)}` : '.'}`;
  const extra = {
    provider,
    vendorCode: problem.title ?? String(status),
    vendorRequestId: context.vendorRequestId,
  };
  const retryAfterMs = parseRetryAfterHeaders(headers);

  if (status === 401 || status === 403) return new UpstreamAuthenticationError(message, extra);
  if (status === 402) return new QuotaExhaustedError(message, extra);
  if (status === 429) return new RateLimitedError(message, { ...extra, retryAfterMs });
  if (status === 404) return new ModelNotFoundError(message, extra);
  if (status === 422) {
    // docs/providers/replicate.md §10.4: a version that does not exist (or is not ours to run).
    if (/version/i.test(problem.title ?? '')) return new ModelNotFoundError(message, extra);
    const field = problem.invalid_fields?.find((entry) => entry?.field)?.field ?? undefined;
    const param = paramFor(field, context.input);
    return new InvalidRequestError(message, { ...extra, ...(param ? { param } : {}) });
  }
  if (status === 400) return new InvalidRequestError(message, extra);
  if (status >= 500) return new UpstreamUnavailableError(message, { ...extra, retryAfterMs });
  return new InvalidUpstreamResponseError(message, extra);
}

/**
 * A prediction that ended `failed` (docs/providers/replicate.md §10.2). E005 (flagged as sensitive)
 * is a refusal. Others are not retried: the prediction ran, and nothing says a second
 * run would differ; fallbacks still apply.
 */
export function replicateFailure(error: unknown, provider: string, predictionId: string): UigError {
  const text = typeof error === 'string' ? error : error ? JSON.stringify(error) : '';
  const vendorCode = /\((E\d{3,4})\)|\b(E\d{3,4})\b/.exec(text)?.slice(1).find(Boolean) ?? 'failed';
  const message = `${provider} prediction ${predictionId} failed${text ? `: ${clip(text)}` : '.'}`;
  const extra = { provider, vendorCode, vendorRequestId: predictionId };
  if (vendorCode === 'E005' || /flagged as sensitive|nsfw/i.test(text))
    return new ContentPolicyError(message, { ...extra, param: 'prompt' });
  return new UpstreamUnavailableError(message, { ...extra, retryable: false });
}

/** An error once the prediction exists must not make core create (and pay for) a second one. */
export function notRetryable(error: UigError): UigError {
  (error as { retryable: boolean }).retryable = false;
  return error;
}
