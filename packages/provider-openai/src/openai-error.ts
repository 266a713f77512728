import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
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
  isUigError,
  parseRetryAfterHeaders,
  toUigError,
  transportError,
  type UigError,
} from '@uig/core';

/**
 * Maps what the openai SDK throws to core errors (docs/providers/openai.md §2.8). The vendor's
 * `code` decides first, then `type`, then the HTTP status. Vendor messages go into
 * ours only clipped and scrubbed: a 401 names part of the key, and nothing from a
 * body may carry base64 into a log.
 */

export interface OpenAIErrorContext {
  /** The provider id (`openai`, or an extra provider's name). */
  provider: string;
  /** The call's signal: tells our timeout (504) from the caller going away. */
  signal: AbortSignal;
}

// docs/providers/openai.md §2.8: GPT image refuses with moderation_blocked, DALL·E with content_policy_violation.
const refusalCodes = new Set(['moderation_blocked', 'content_policy_violation']);
/** Request fields that are core's own; any other vendor field is a provider option. */
const coreFields: Record<string, string> = {
  prompt: 'prompt',
  n: 'n',
  size: 'size',
  quality: 'quality',
  model: 'model',
  image: 'image',
  'image[]': 'image',
  mask: 'mask',
};

/** Vendor text, made safe to show and log. */
export function scrubVendorMessage(message: unknown): string {
  if (typeof message !== 'string') return '';
  const scrubbed = message
    .replace(/\b(sk|sess|rk)-[A-Za-z0-9_*-]{3,}/g, '$1-***')
    .replace(/[A-Za-z0-9+/=_-]{120,}/g, '[long data omitted]')
    .trim();
  return scrubbed.length > 300 ? `${scrubbed.slice(0, 300)}…` : scrubbed;
}

/** docs/providers/openai.md §2.8: the captured invalid-parameter body names the field only at the end of its message: "... - 'size'". */
function paramOf(param: unknown, message: string, provider: string): string | undefined {
  const vendorParam =
    typeof param === 'string' && param !== '' ? param : /- '([\w[\]]+)'\s*$/.exec(message)?.[1];
  if (!vendorParam) return undefined;
  return coreFields[vendorParam] ?? `provider_options.${provider}.${vendorParam}`;
}

function fromApiError(error: APIError, provider: string): UigError {
  const body = (error.error ?? {}) as Record<string, unknown>;
  const status = error.status;
  const code = typeof error.code === 'string' ? error.code : undefined;
  const type = typeof error.type === 'string' ? error.type : undefined;
  const vendorText = scrubVendorMessage(body.message);
  const headers = error.headers;
  const retryAfterMs = headers ? parseRetryAfterHeaders(headers) : undefined;
  // The SDK obeys `x-should-retry` (docs/providers/openai.md §2.8); a "false" keeps core from retrying too.
  const noRetry = headers?.get('x-should-retry') === 'false' ? { retryable: false } : {};
  const extra = { provider, vendorCode: code ?? type, vendorRequestId: error.requestID ?? undefined };
  const where = status === undefined ? 'failed mid-stream' : `answered HTTP ${status}`;
  const message = `${provider} ${where}${code ? `, code ${code}` : type ? `, type ${type}` : ''}${vendorText ? `: ${vendorText}` : '.'}`;

  if ((code && refusalCodes.has(code)) || type === 'image_generation_user_error') {
    return new ContentPolicyError(
      `${provider} refused the request on safety grounds${vendorText ? `: ${vendorText}` : '.'}`,
      { ...extra, param: 'prompt' },
    );
  }
  // docs/providers/openai.md §2.8: quota is `insufficient_quota` by code, or by type with code null (observed 2023).
  if (code === 'insufficient_quota' || type === 'insufficient_quota')
    return new QuotaExhaustedError(message, extra);
  if (status === 429 || code === 'rate_limit_exceeded')
    return new RateLimitedError(message, { ...extra, retryAfterMs, ...noRetry });
  if (status === 401 || code === 'invalid_api_key') {
    // The vendor's 401 text quotes part of the key: leave it out entirely.
    return new UpstreamAuthenticationError(
      `${provider} rejected the API key (HTTP ${status ?? 401}${code ? `, ${code}` : ''}).`,
      extra,
    );
  }
  if (status === 403) return new UpstreamAuthenticationError(message, extra);
  if (status === 404 || code === 'model_not_found') return new ModelNotFoundError(message, extra);
  if (status === 408) return new UpstreamTimeoutError(message, { ...extra, retryAfterMs, ...noRetry });
  if (status === 400 || status === 422 || (status === undefined && type === 'invalid_request_error')) {
    const param = paramOf(body.param, typeof body.message === 'string' ? body.message : '', provider);
    return new InvalidRequestError(message, {
      ...extra,
      ...(param ? { param } : {}),
      ...(param === 'size' ? { code: 'INVALID_SIZE' } : {}),
    });
  }
  // 409 (a lock timeout the SDK retries), 5xx, and an error event in a stream (docs/providers/openai.md §2.7) with no verdict.
  if (status === undefined || status === 409 || status >= 500)
    return new UpstreamUnavailableError(message, { ...extra, retryAfterMs, ...noRetry });
  return new InvalidUpstreamResponseError(message, extra);
}

/** Anything the SDK (or the stream under it) threw, as a core error. */
export function openaiError(error: unknown, context: OpenAIErrorContext): UigError {
  const { provider, signal } = context;
  if (isUigError(error)) return error;
  // The SDK turns our signal's abort into APIUserAbortError; whether that was our
  // timeout or the caller leaving is in the signal's reason.
  if (error instanceof APIUserAbortError) return transportError(error, signal, provider) as UigError;
  if (error instanceof APIConnectionError) {
    if (signal.aborted) return transportError(error, signal, provider) as UigError;
    if (error instanceof APIConnectionTimeoutError)
      return new UpstreamTimeoutError(`${provider} did not answer in time.`, { provider, cause: error });
    return new UpstreamUnavailableError(`Could not reach ${provider}.`, { provider, cause: error });
  }
  if (error instanceof APIError) return fromApiError(error, provider);
  if (signal.aborted || (error instanceof Error && error.name === 'AbortError'))
    return transportError(error, signal, provider) as UigError;
  // A 2xx whose body is not JSON, or an SSE `data:` line that is not.
  if (error instanceof SyntaxError)
    return new InvalidUpstreamResponseError(`${provider} answered with a body that is not valid JSON.`, {
      provider,
      cause: error,
    });
  // undici reports a connection dropped mid-body as TypeError "terminated", with the socket error as cause.
  if (
    error instanceof TypeError &&
    (error.message === 'terminated' ||
      typeof (error.cause as { code?: unknown } | undefined)?.code === 'string')
  ) {
    return new UpstreamUnavailableError(`The connection to ${provider} broke mid-answer.`, {
      provider,
      cause: error,
    });
  }
  // Anything else is our bug or the SDK's: an internal error, its message kept out.
  return toUigError(error, provider);
}
