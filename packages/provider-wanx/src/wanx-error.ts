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
import { topLevelCode, wanxErrorResponseSchema } from './wanx-responses.js';

/**
 * Maps a DashScope error (docs/providers/wanx.md §4.7) to a core error. The code decides; the HTTP
 * status only when there is no code. The vendor's message goes into ours, clipped: it
 * never holds the key, and it says what the vendor disliked.
 */

export interface VendorFailure {
  code: string;
  message: string;
  /** HTTP status it came with (200 for a FAILED task or a 200 with a top-level code). */
  status: number;
  headers?: Headers;
  vendorRequestId?: string | undefined;
}

/** `code` is `family` or one of its dotted sub-codes (`InternalError.Timeout`). */
const inFamily = (code: string, family: string) => code === family || code.startsWith(`${family}.`);

function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

/** InvalidParameter messages name the field ("The size is not match ..." docs/providers/wanx.md §4.6). */
function paramFrom(message: string): string | undefined {
  const fields: Array<[RegExp, string]> = [
    [/\bsize\b/i, 'size'],
    [/\bnegative_prompt\b/i, 'negative_prompt'],
    [/\bprompt\b/i, 'prompt'],
    [/\bseed\b/i, 'seed'],
    [/\bn\b/, 'n'],
    [/\b(base_image_url|mask_image_url|image|url)\b/i, 'image'],
  ];
  return fields.find(([pattern]) => pattern.test(message))?.[1];
}

export function wanxFailure(failure: VendorFailure, provider: string): UigError {
  const { code, status } = failure;
  const vendorMessage = clip(failure.message);
  const message = `${provider} answered${status === 200 ? '' : ` HTTP ${status},`} code ${code}${vendorMessage ? `: ${vendorMessage}` : '.'}`;
  const extra = { provider, vendorCode: code, vendorRequestId: failure.vendorRequestId };
  // docs/providers/wanx.md §4.7: no rate-limit headers are documented; honour a standard one if it ever comes.
  const retryAfterMs = failure.headers ? parseRetryAfterHeaders(failure.headers) : undefined;

  // docs/providers/wanx.md §4.7: refusals of the prompt or the input image.
  if (inFamily(code, 'DataInspectionFailed') || inFamily(code, 'IPInfringementSuspect'))
    return new ContentPolicyError(message, extra);
  // docs/providers/wanx.md §4.7 Throttling.*: retryable, Throttling.AllocationQuota included (it is the per-model
  // allocation, which refills; see docs/providers/wanx.md).
  if (inFamily(code, 'Throttling')) return new RateLimitedError(message, { ...extra, retryAfterMs });
  // docs/providers/wanx.md §4.7: an unpaid account or a used-up (free-tier) allocation: retrying never helps.
  if (inFamily(code, 'Arrearage') || inFamily(code, 'AllocationQuota'))
    return new QuotaExhaustedError(message, extra);
  if (inFamily(code, 'InvalidApiKey')) return new UpstreamAuthenticationError(message, extra);
  if (inFamily(code, 'AccessDenied') || inFamily(code, 'Model.AccessDenied')) {
    // docs/providers/wanx.md §4.1: a create without `X-DashScope-Async: enable` is refused like this. We always
    // send it, so this is our bug or a vendor change, not the operator's key.
    if (/synchronous/i.test(failure.message)) return new InvalidUpstreamResponseError(message, extra);
    return new UpstreamAuthenticationError(message, extra);
  }
  if (inFamily(code, 'ModelNotFound')) return new ModelNotFoundError(message, extra);
  if (inFamily(code, 'InvalidParameter')) {
    const param = paramFrom(failure.message);
    return new InvalidRequestError(message, { ...extra, ...(param ? { param } : {}) });
  }
  if (inFamily(code, 'InternalError'))
    return new UpstreamUnavailableError(message, { ...extra, retryAfterMs });
  return fromStatus(message, status, { ...extra, retryAfterMs });
}

function fromStatus(
  message: string,
  status: number,
  extra: {
    provider: string;
    vendorCode?: string | undefined;
    vendorRequestId?: string | undefined;
    retryAfterMs?: number | undefined;
  },
): UigError {
  if (status === 400) return new InvalidRequestError(message, extra);
  if (status === 401 || status === 403) return new UpstreamAuthenticationError(message, extra);
  if (status === 429) return new RateLimitedError(message, extra);
  if (status >= 500) return new UpstreamUnavailableError(message, extra);
  return new InvalidUpstreamResponseError(message, extra);
}

/** An answer that is an error: a non-2xx status, or a 2xx with a top-level `code` (docs/providers/wanx.md §4.7). */
export function wanxError(response: UpstreamResponse, provider: string): UigError {
  const code = topLevelCode(response.json);
  const parsed = wanxErrorResponseSchema.safeParse(response.json);
  const vendorRequestId = (parsed.success ? parsed.data.request_id : undefined) ?? undefined;
  if (code === undefined) {
    // No envelope (a gateway's HTML 502, an empty body): the status is all we have.
    const message = `${provider} answered HTTP ${response.status} without a DashScope error body.`;
    const extra = { provider, vendorRequestId, retryAfterMs: parseRetryAfterHeaders(response.headers) };
    if (
      response.status === 401 ||
      response.status === 403 ||
      response.status === 429 ||
      response.status >= 500
    )
      return fromStatus(message, response.status, extra);
    return new InvalidUpstreamResponseError(message, extra);
  }
  return wanxFailure(
    {
      code,
      message: (parsed.success ? parsed.data.message : undefined) ?? '',
      status: response.status,
      headers: response.headers,
      vendorRequestId,
    },
    provider,
  );
}
