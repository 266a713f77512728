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
} from '@uig/core';
import { z } from 'zod';

/**
 * Maps an Ark error (docs/providers/seedream.md §11.6) to a core error. The code decides,
 * the status when the code is unknown. Relays answer the envelope with HTTP 200 too, so
 * callers check for `error` on any status.
 */

const seedreamErrorSchema = z.object({
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }),
});

const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** §11.6: `Input…`/`Output…SensitiveContentDetected` are refusals. */
const isSensitiveCode = (code: string | undefined) => code?.endsWith('SensitiveContentDetected') === true;

export interface SeedreamFailure {
  status: number;
  code: string | undefined;
  message: string;
  headers?: Headers;
  vendorRequestId?: string | undefined;
}

export function seedreamFailure(failure: SeedreamFailure, provider: string): UigError {
  const { status, code } = failure;
  const message = `${provider} answered HTTP ${status}${code ? `, code ${code}` : ''}${failure.message ? `: ${clip(failure.message)}` : '.'}`;
  const retryAfterMs = failure.headers ? parseRetryAfterHeaders(failure.headers) : undefined;
  const extra = { provider, vendorCode: code, vendorRequestId: failure.vendorRequestId };
  if (isSensitiveCode(code)) {
    const param = code!.startsWith('InputText')
      ? 'prompt'
      : code!.startsWith('InputImage')
        ? 'image'
        : undefined;
    return new ContentPolicyError(message, { ...extra, ...(param ? { param } : {}) });
  }
  if (code === 'InvalidParameter') {
    const field = /\b(size|image|prompt|model)\b/.exec(failure.message)?.[1];
    return new InvalidRequestError(message, {
      ...extra,
      ...(field ? { param: field } : {}),
      ...(field === 'size' ? { code: 'INVALID_SIZE' } : {}),
    });
  }
  if (code === 'AuthenticationError' || code === 'AccessDenied')
    return new UpstreamAuthenticationError(message, extra);
  // §11.6: an overdue account, or a quota used up, does not come back by retrying.
  if (code === 'AccountOverdueError' || code === 'QuotaExceeded')
    return new QuotaExhaustedError(message, extra);
  if (code === 'ModelNotOpen' || code === 'UnsupportedModel' || code?.startsWith('InvalidEndpointOrModel'))
    return new ModelNotFoundError(message, extra);
  if (code?.startsWith('RateLimitExceeded') || code === 'ServerOverloaded' || status === 429)
    return new RateLimitedError(message, { ...extra, retryAfterMs });
  if (code === 'InternalServiceError' || status >= 500)
    return new UpstreamUnavailableError(message, { ...extra, retryAfterMs });
  if (status === 400 || status === 422) return new InvalidRequestError(message, extra);
  if (status === 401 || status === 403) return new UpstreamAuthenticationError(message, extra);
  if (status === 404) return new ModelNotFoundError(message, extra);
  return new InvalidUpstreamResponseError(message, extra);
}

/** An answer that is an error: a non-2xx status, or the §11.6 envelope on any status. */
export function seedreamResponseError(
  status: number,
  headers: Headers,
  json: unknown,
  provider: string,
): UigError | undefined {
  const parsed = seedreamErrorSchema.safeParse(json);
  if (status >= 200 && status <= 299 && !parsed.success) return undefined;
  return seedreamFailure(
    {
      status,
      code: parsed.success ? (parsed.data.error.code ?? undefined) : undefined,
      message: parsed.success ? (parsed.data.error.message ?? '') : '',
      headers,
      vendorRequestId: headers.get('x-request-id') ?? undefined,
    },
    provider,
  );
}
