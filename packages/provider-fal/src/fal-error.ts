import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  parseRetryAfterHeaders,
  type UigError,
  type UpstreamResponse,
} from '@uig/core';
import type { FalInputMapping } from './fal-settings.js';
import { type FalDetailItem, falErrorSchema } from './fal-responses.js';

/**
 * Maps a fal error answer (docs/providers/fal.md §9.4) to a core error. The `X-Fal-Error-Type`
 * header or `error_type` decides for infrastructure errors, the `detail[].type` for model
 * errors, the HTTP status otherwise. The vendor's message goes into ours, clipped: it
 * never holds the key, and it says what the vendor disliked.
 */

function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

/** docs/providers/fal.md §9.4: 504 for these, 503 for the runner_* ones. */
const timeoutTypes = new Set(['request_timeout', 'startup_timeout']);

/** The uig request field an input field came from, by the endpoint's mapping. */
function paramFor(field: string | undefined, input: FalInputMapping | undefined): string | undefined {
  if (!field || !input) return undefined;
  const pairs: Array<[string | undefined, string]> = [
    [input.prompt, 'prompt'],
    [input.size?.field, 'size'],
    [input.aspectRatio, 'aspect_ratio'],
    [input.numImages, 'n'],
    [input.seed, 'seed'],
    [input.negativePrompt, 'negative_prompt'],
    [input.image, 'image'],
    [input.images, 'image'],
    [input.mask, 'mask'],
  ];
  return pairs.find(([name]) => name === field)?.[1] ?? `provider_options.fal.${field}`;
}

export interface FalErrorContext {
  provider: string;
  /** The endpoint's mapping, to name the request field a 422 is about. */
  input?: FalInputMapping | undefined;
  vendorRequestId?: string | undefined;
}

export function falError(response: UpstreamResponse, context: FalErrorContext): UigError {
  const { provider } = context;
  const { status, headers } = response;
  const parsed = falErrorSchema.safeParse(response.json);
  const body = parsed.success ? parsed.data : {};
  const items = Array.isArray(body.detail)
    ? body.detail.filter((item): item is FalDetailItem => item != null)
    : [];
  const errorObject = typeof body.error === 'object' && body.error ? body.error : undefined;
  const vendorText =
    typeof body.detail === 'string'
      ? body.detail
      : items.length > 0
        ? items.map((item) => [item.loc?.join('.'), item.msg].filter(Boolean).join(': ')).join('; ')
        : (errorObject?.message ?? (typeof body.error === 'string' ? body.error : ''));
  const errorType = headers.get('x-fal-error-type') ?? body.error_type ?? undefined;
  const vendorCode =
    errorType ?? items[0]?.type ?? (errorObject?.code != null ? String(errorObject.code) : undefined);
  const message = `${provider} answered HTTP ${status}${vendorCode ? `, ${vendorCode}` : ''}${vendorText ? `: ${clip(vendorText)}` : '.'}`;
  const retryAfterMs = parseRetryAfterHeaders(headers);
  const vendorRequestId = context.vendorRequestId ?? headers.get('x-fal-request-id') ?? undefined;
  const extra = { provider, vendorCode, vendorRequestId };

  // docs/providers/fal.md §9.4: the content checker refuses with a 422 `content_policy_violation`.
  const refusal = items.find((item) => item.type === 'content_policy_violation');
  if (refusal) {
    const categories = refusal.categories?.length ? ` (${refusal.categories.join(', ')})` : '';
    return new ContentPolicyError(
      `${provider} refused the request${categories}: ${clip(refusal.msg ?? '')}`,
      {
        ...extra,
        vendorCode: 'content_policy_violation',
        param: 'prompt',
      },
    );
  }
  if (errorType && timeoutTypes.has(errorType))
    return new UpstreamTimeoutError(message, { ...extra, retryAfterMs });
  if (errorType?.startsWith('runner_'))
    return new UpstreamUnavailableError(message, { ...extra, retryAfterMs });
  if (status === 422 || status === 400) {
    // docs/providers/fal.md §9.4: `X-Fal-Retryable: true` marks a model error worth another try.
    if (headers.get('x-fal-retryable') === 'true')
      return new UpstreamUnavailableError(message, { ...extra, retryAfterMs });
    const field = items[0]?.loc?.filter((part) => part !== 'body').map(String)[0];
    const param = paramFor(field, context.input);
    return new InvalidRequestError(message, { ...extra, ...(param ? { param } : {}) });
  }
  if (status === 401) return new UpstreamAuthenticationError(message, extra);
  if (status === 403) {
    // docs/providers/fal.md §9.4: an exhausted balance is a 403 "User is locked. Reason: Exhausted balance".
    if (/exhausted balance|top up|insufficient/i.test(vendorText))
      return new QuotaExhaustedError(message, extra);
    return new UpstreamAuthenticationError(message, extra);
  }
  if (status === 402) return new QuotaExhaustedError(message, extra);
  if (status === 404) return new ModelNotFoundError(message, extra);
  if (status === 429) return new RateLimitedError(message, { ...extra, retryAfterMs });
  if (status === 504) return new UpstreamTimeoutError(message, { ...extra, retryAfterMs });
  if (status >= 500) return new UpstreamUnavailableError(message, { ...extra, retryAfterMs });
  return new InvalidUpstreamResponseError(message, extra);
}

/**
 * An error after the vendor accepted the request must not make core submit (and pay for)
 * a second one while the first may still run. The class, and so the HTTP answer, stays.
 */
export function notRetryable(error: UigError): UigError {
  (error as { retryable: boolean }).retryable = false;
  return error;
}
