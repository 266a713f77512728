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
import { bflErrorResponseSchema } from './bfl-responses.js';

/**
 * Maps BFL answers to core errors: an HTTP error (docs/providers/bfl.md §7.6) or a final
 * task status other than `Ready` (docs/providers/bfl.md §7.4). The vendor's text goes
 * into our message clipped: it never holds the key.
 */

const clip = (text: string) => {
  const trimmed = text.trim();
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
};

/** The request field a 422 `loc` names (`["body","width"]`). */
function paramFor(field: string | undefined, provider: string): string | undefined {
  if (field === undefined) return undefined;
  if (field === 'width' || field === 'height') return 'size';
  if (field === 'aspect_ratio' || field === 'prompt' || field === 'seed' || field === 'mask') return field;
  if (field === 'image' || field.startsWith('input_image')) return 'image';
  return `provider_options.${provider}.${field}`;
}

export function bflHttpError(response: UpstreamResponse, provider: string): UigError {
  const parsed = bflErrorResponseSchema.safeParse(response.json);
  const body = parsed.success ? parsed.data : {};
  const detail = body.detail;
  const first = Array.isArray(detail) ? detail[0] : undefined;
  const text =
    typeof detail === 'string'
      ? detail
      : first
        ? `${(first.loc ?? []).join('.')}: ${first.msg ?? first.type ?? 'invalid'}`
        : (body.message ?? '');
  const { status } = response;
  const message = `${provider} answered HTTP ${status}${text ? `: ${clip(text)}` : '.'}`;
  const extra = {
    provider,
    vendorCode: first?.type ?? (status === 402 || status === 429 ? String(status) : undefined),
    vendorRequestId: response.headers.get('x-request-id') ?? undefined,
  };
  if (status === 400 || status === 422) {
    const field = first?.loc?.[0] === 'body' ? first.loc[1] : undefined;
    const param = paramFor(field === undefined ? undefined : String(field), provider);
    return new InvalidRequestError(message, {
      ...extra,
      ...(param ? { param } : {}),
      ...(param === 'size' ? { code: 'INVALID_SIZE' } : {}),
    });
  }
  // docs/providers/bfl.md §7.6: 402 is "insufficient credits": retrying never helps.
  if (status === 402) return new QuotaExhaustedError(message, extra);
  if (status === 401 || status === 403) return new UpstreamAuthenticationError(message, extra);
  // An unknown model is an unknown path: FastAPI's 404.
  if (status === 404) return new ModelNotFoundError(message, extra);
  // docs/providers/bfl.md §7.6: 429 is "too many active tasks" (24 in flight, 6 for kontext-max): it clears as tasks end.
  if (status === 429)
    return new RateLimitedError(message, {
      ...extra,
      retryAfterMs: parseRetryAfterHeaders(response.headers),
    });
  if (status >= 500)
    return new UpstreamUnavailableError(message, {
      ...extra,
      retryAfterMs: parseRetryAfterHeaders(response.headers),
    });
  return new InvalidUpstreamResponseError(message, extra);
}

/** docs/providers/bfl.md §7.4: a final status that is not `Ready`. */
export function bflTaskError(
  status: string,
  details: unknown,
  context: { provider: string; taskId: string },
): UigError {
  const { provider, taskId } = context;
  const said = details === undefined || details === null ? '' : `: ${clip(JSON.stringify(details))}`;
  const extra = { provider, vendorCode: status, vendorRequestId: taskId };
  // docs/providers/bfl.md §7.4: `Request Moderated` flags the input, `Content Moderated` the output; neither is charged.
  if (status === 'Request Moderated')
    return new ContentPolicyError(`${provider} refused the request (Request Moderated)${said}`, {
      ...extra,
      param: 'prompt',
    });
  if (status === 'Content Moderated')
    return new ContentPolicyError(
      `${provider} refused the generated image (Content Moderated)${said}`,
      extra,
    );
  // docs/providers/bfl.md §7.4: the id does not exist or has expired. A new task would be paid again: not retried.
  if (status === 'Task not found')
    return new UpstreamUnavailableError(`${provider} no longer knows task ${taskId} (Task not found).`, {
      ...extra,
      retryable: false,
    });
  // `Error` (and the `Failed` some clients see): the task ended without an image; a new one may work.
  return new UpstreamUnavailableError(`${provider} task ${taskId} ended with status ${status}${said}`, extra);
}
