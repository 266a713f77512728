import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  PayloadTooLargeError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
  parseRetryAfterHeaders,
  type UigError,
} from '@uig/core';
import { z } from 'zod';

/**
 * Maps a Stability error answer (docs/providers/stability.md §8.7) to a core error. The
 * envelope's `name` decides, the status when the name is unknown. The vendor's text goes
 * into our message clipped: it never holds the key.
 */

/** docs/providers/stability.md §8.7 envelope `{id, name, errors[]}`; the v1 shape `{id, name, message}` too. */
const errorSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  errors: z.array(z.string()).nullish(),
  message: z.string().nullish(),
});

/** docs/providers/stability.md §8.7: after a 429 the caller is "timed out for 60 seconds". */
const rateLimitTimeoutMs = 60_000;

const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** "some-field: is required" names the field. */
function paramFor(text: string, provider: string): string | undefined {
  const field = /^([a-z_]+):/.exec(text)?.[1];
  if (!field) return undefined;
  if (['prompt', 'negative_prompt', 'aspect_ratio', 'seed', 'image', 'mask'].includes(field)) return field;
  return `provider_options.${provider}.${field}`;
}

export function stabilityError(status: number, headers: Headers, json: unknown, provider: string): UigError {
  const parsed = errorSchema.safeParse(json);
  const body = parsed.success ? parsed.data : {};
  const name = body.name ?? undefined;
  const text = body.errors?.join(' ') ?? body.message ?? '';
  const message = `${provider} answered HTTP ${status}${name ? ` (${name})` : ''}${text ? `: ${clip(text)}` : '.'}`;
  const extra = {
    provider,
    vendorCode: name,
    vendorRequestId: body.id ?? headers.get('x-request-id') ?? undefined,
  };
  if (name === 'content_moderation' || name === 'public_figure')
    return new ContentPolicyError(message, {
      ...extra,
      param: name === 'public_figure' ? 'image' : 'prompt',
    });
  if (name === 'invalid_language')
    return new InvalidRequestError(message, { ...extra, param: 'prompt', code: 'UNSUPPORTED_LANGUAGE' });
  if (name === 'payload_too_large' || status === 413) return new PayloadTooLargeError(message, extra);
  if (status === 429 || name === 'rate_limit_exceeded')
    return new RateLimitedError(message, {
      ...extra,
      retryAfterMs: parseRetryAfterHeaders(headers) ?? rateLimitTimeoutMs,
    });
  if (status === 400 || status === 422) {
    const param = paramFor(body.errors?.[0] ?? '', provider);
    return new InvalidRequestError(message, { ...extra, ...(param ? { param } : {}) });
  }
  // docs/providers/stability.md §8.7: 401 and 402 are not in the spec; 402 is the usual "insufficient credits".
  if (status === 402) return new QuotaExhaustedError(message, extra);
  if (status === 401 || status === 403) return new UpstreamAuthenticationError(message, extra);
  if (status >= 500) return new UpstreamUnavailableError(message, extra);
  return new InvalidUpstreamResponseError(message, extra);
}
